//! The provider's RCA files, `DATA/rca/<ticket id>.toml`: read strictly (an unknown key or a
//! value of the wrong kind is an error naming the key and the file), and their preventive
//! measures listed for the reports. A reader of the data folder, under everything that
//! builds a report; the RCA document itself is made in `rca`.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

// ---- the provider's file -----------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRcaFile {
    ticket: Option<String>,
    author: Option<String>,
    delivered_on: Option<toml::Value>,
    cause: Option<String>,
    impact: Option<String>,
    actions: Option<Vec<String>>,
    preventive_measures: Option<Vec<RawMeasure>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    measure: Option<String>,
    owner: Option<String>,
    due_on: Option<toml::Value>,
    done_on: Option<toml::Value>,
}

/// The provider's RCA file as read: every part optional (a half-written file makes a draft).
#[derive(Debug, Clone, PartialEq)]
pub struct RcaFile {
    /// The path as shown to a person, e.g. `rca/INC039228.toml`.
    pub name: String,
    pub sha256: String,
    pub author: Option<String>,
    pub delivered_on: Option<NaiveDate>,
    pub cause: Option<String>,
    pub impact: Option<String>,
    pub actions: Vec<String>,
    pub preventive_measures: Vec<PreventiveMeasure>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreventiveMeasure {
    pub measure: Option<String>,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// When the measure was carried out; open until then.
    pub done_on: Option<NaiveDate>,
}

/// The keys an RCA file may hold, for hints.
pub const RCA_FILE_KEYS: &str =
    "ticket, author, delivered_on, cause, impact, actions, [[preventive_measures]] (measure, owner, due_on, done_on)";

fn text(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn date_value(v: Option<toml::Value>, key: &str, name: &str) -> Result<Option<NaiveDate>> {
    let bad = |shown: String| {
        Error::new(format!("RCA file {name}: `{key}` is {shown}, not a date"))
            .with_hint(format!("write it as {key} = \"YYYY-MM-DD\", for example {key} = \"2026-11-06\""))
    };
    let years = crate::contract::CALENDAR_YEARS;
    let in_range = |d: Option<NaiveDate>| match d {
        Some(d) if !years.contains(&d.year()) => Err(Error::new(format!(
            "RCA file {name}: `{key}` is {d}, outside the years {}–{} slarapport reports on",
            years.start(),
            years.end()
        ))
        .with_hint(format!("correct the year of {key}"))),
        d => Ok(d),
    };
    let date = match v {
        None => Ok(None),
        Some(toml::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(toml::Value::String(s)) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| bad(format!("\"{s}\""))),
        Some(toml::Value::Datetime(dt)) => match (dt.date, dt.time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .map(Some)
                .ok_or_else(|| bad(dt.to_string())),
            _ => Err(bad(dt.to_string())),
        },
        Some(other) => Err(bad(crate::limits::shown(&other.to_string()).into_owned())),
    };
    in_range(date?)
}

/// Parses an RCA file's text. `name` is how the file is named in messages; `ticket` the id it
/// must belong to.
pub fn parse_rca_file(text_in: &str, name: &str, ticket: &str) -> Result<RcaFile> {
    let raw: RawRcaFile = toml::from_str(text_in).map_err(|e| {
        Error::new(format!("RCA file {name}: {}", e.to_string().trim_end()))
            .with_hint(format!("an RCA file may hold only these keys: {RCA_FILE_KEYS}"))
    })?;
    if let Some(t) = text(raw.ticket.clone()) {
        if t != ticket {
            return Err(Error::new(format!("RCA file {name}: `ticket` is \"{t}\", but the file is for ticket {ticket}"))
                .with_hint(format!("name the file after its ticket ({t}.toml), or correct `ticket`")));
        }
    }
    let delivered_on = date_value(raw.delivered_on, "delivered_on", name)?;
    let mut measures = Vec::new();
    for (i, m) in raw.preventive_measures.unwrap_or_default().into_iter().enumerate() {
        let key = format!("preventive_measures[{}].due_on", i + 1);
        let due = date_value(m.due_on, &key, name)?;
        let done = date_value(m.done_on, &format!("preventive_measures[{}].done_on", i + 1), name)?;
        let pm = PreventiveMeasure {
            measure: text(m.measure),
            owner: text(m.owner),
            due_on: due,
            done_on: done,
        };
        if pm.measure.is_some() || pm.owner.is_some() || pm.due_on.is_some() {
            measures.push(pm);
        }
    }
    Ok(RcaFile {
        name: name.to_string(),
        sha256: crate::digest::sha256_hex(text_in.as_bytes()),
        author: text(raw.author),
        delivered_on,
        cause: text(raw.cause),
        impact: text(raw.impact),
        actions: raw.actions.unwrap_or_default().into_iter().filter_map(|a| text(Some(a))).collect(),
        preventive_measures: measures,
    })
}

/// Reads `DIR/rca/<ticket>.toml`; `None` when there is no such file.
pub fn read_rca_file(data_dir: &Path, ticket: &str) -> Result<Option<RcaFile>> {
    if ticket.is_empty() || ticket.starts_with('.') || ticket.contains(['/', '\\', '\0']) {
        return Err(Error::new(format!("ticket id \"{ticket}\" cannot name an RCA file in rca/"))
            .with_hint("give the ticket an id without slashes or a leading dot"));
    }
    let path = data_dir.join("rca").join(format!("{ticket}.toml"));
    // Anything by that name is read (a pipe or folder is refused, never waited on).
    if !path.exists() {
        return Ok(None);
    }
    let name = path.display().to_string();
    let text_in = crate::limits::read_text_file(&path, crate::limits::MAX_SMALL_FILE_BYTES, "RCA file")?;
    let mut file = parse_rca_file(&text_in, &name, ticket)?;
    // Messages name the path on this machine; the document names the file in the data
    // folder (the client has no business with the server's paths, and the same data in
    // another folder gives the same document).
    file.name = format!("rca/{ticket}.toml");
    Ok(Some(file))
}

/// A preventive measure of an RCA file, with the ticket it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RcaMeasure {
    pub ticket_id: String,
    #[serde(flatten)]
    pub measure: PreventiveMeasure,
}

/// Every preventive measure of the RCA files in `DIR/rca/` (in file-name order), a note for
/// each file that cannot be read (its measures are then not listed; `rca` names the problem
/// in full), and the files read with their SHA-256 (for the manifest).
pub fn read_preventive_measures(data_dir: &Path) -> (Vec<RcaMeasure>, Vec<String>, Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(data_dir.join("rca")) else { return (Vec::new(), Vec::new(), Vec::new()) };
    let mut tickets: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".toml")).map(String::from))
        .collect();
    tickets.sort();
    let (mut measures, mut notes, mut files) = (Vec::new(), Vec::new(), Vec::new());
    for ticket in tickets {
        match read_rca_file(data_dir, &ticket) {
            Ok(Some(file)) => {
                files.push((file.name.clone(), file.sha256.clone()));
                measures.extend(
                    file.preventive_measures.into_iter().map(|m| RcaMeasure { ticket_id: ticket.clone(), measure: m }),
                )
            }
            Ok(None) => {}
            Err(e) => notes.push(format!(
                "rca/{ticket}.toml cannot be read, so its preventive measures are not listed: {}",
                e.message
            )),
        }
    }
    (measures, notes, files)
}
