//! The improvement log (`verbeteracties.csv`): one improvement action a row, with where it
//! came from (a KPI, a recurring issue, a P1's RCA, a complaint). Domain 6 counts the actions
//! implemented in a quarter (§9: "≥ 2 verbeteracties per kwartaal"); the reports list them.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{duplicate, RowReader};
use crate::contract::LoadedContract;
use crate::error::Result;
use crate::canonical::Rejection;
use crate::table::CsvTable;

pub const COLUMNS: &[&str] = &["id", "title", "source", "owner", "opened", "due", "implemented", "status", "note"];
const REQUIRED: &[&str] = &["id", "title", "opened"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Implemented,
    Cancelled,
}

impl ActionStatus {
    pub fn key(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Implemented => "implemented",
            ActionStatus::Cancelled => "cancelled",
        }
    }
}

const STATUSES: &[(&str, ActionStatus)] = &[
    ("open", ActionStatus::Open),
    ("in_progress", ActionStatus::InProgress),
    ("implemented", ActionStatus::Implemented),
    ("cancelled", ActionStatus::Cancelled),
    ("in uitvoering", ActionStatus::InProgress),
    ("lopend", ActionStatus::InProgress),
    ("geïmplementeerd", ActionStatus::Implemented),
    ("geimplementeerd", ActionStatus::Implemented),
    ("gereed", ActionStatus::Implemented),
    ("vervallen", ActionStatus::Cancelled),
    ("canceled", ActionStatus::Cancelled),
];

/// What an action answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A KPI of the contract, by id.
    Kpi,
    /// A recurring issue (category / subcategory, as the reports name it).
    Issue,
    /// A P1's RCA, by ticket id.
    Rca,
    /// A complaint of `klachten.csv`, by id.
    Complaint,
}

impl SourceKind {
    pub fn key(self) -> &'static str {
        match self {
            SourceKind::Kpi => "kpi",
            SourceKind::Issue => "issue",
            SourceKind::Rca => "rca",
            SourceKind::Complaint => "complaint",
        }
    }
}

const SOURCE_KINDS: &[(&str, SourceKind)] = &[
    ("kpi", SourceKind::Kpi),
    ("issue", SourceKind::Issue),
    ("rca", SourceKind::Rca),
    ("complaint", SourceKind::Complaint),
    ("probleem", SourceKind::Issue),
    ("klacht", SourceKind::Complaint),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionSource {
    pub kind: SourceKind,
    pub reference: String,
}

/// One improvement action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImprovementAction {
    pub id: String,
    pub title: String,
    pub source: Option<ActionSource>,
    pub owner: String,
    pub opened_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub implemented_on: Option<NaiveDate>,
    pub status: ActionStatus,
    pub note: String,
    pub line: u64,
}

impl ImprovementAction {
    /// Implemented on a day of `[from, to]` that has happened by `today`.
    pub fn implemented_within(&self, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> bool {
        self.implemented_on.is_some_and(|d| from <= d && d <= to && d <= today)
    }

    /// Opened by `day` and neither implemented by then nor cancelled.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.status != ActionStatus::Cancelled && self.opened_on <= day && self.implemented_on.is_none_or(|d| d > day)
    }
}

/// Reads `verbeteracties.csv`. A source must name something that exists: a KPI of the
/// contract, a ticket of the data (RCA), a complaint of `klachten.csv`.
pub fn load_actions(
    bytes: &[u8],
    file: &str,
    contract: &LoadedContract,
    tickets: &[crate::ticket::Ticket],
    complaints: &[super::Complaint],
) -> Result<(Vec<ImprovementAction>, Vec<Rejection>, CsvTable)> {
    let t = CsvTable::read(bytes, file)?;
    t.require_columns(file, REQUIRED, COLUMNS)?;
    let kpis: Vec<&str> = contract.contract.domains.iter().flat_map(|d| d.kpis.iter().map(|k| k.id.as_str())).collect();
    let tickets = super::tickets_named(&t, "source", true, tickets);
    let complaints: Vec<&str> = complaints.iter().map(|c| c.id.as_str()).collect();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut out = Vec::new();
    let mut rejections = Vec::new();
    for row in 0..t.height {
        let r = RowReader { table: &t, file, row };
        let read = || -> Result<ImprovementAction, Rejection> {
            let id = r.required("id")?;
            if let Some(first) = seen.get(id) {
                return Err(duplicate(&r, *first));
            }
            let title = r.required("title")?;
            let opened_on = r.required_date("opened")?;
            let due_on = r.date("due")?;
            r.not_before("due", due_on, "opened", opened_on)?;
            let implemented_on = r.date("implemented")?;
            r.not_before("implemented", implemented_on, "opened", opened_on)?;
            let status = match (r.get("status"), implemented_on) {
                ("", Some(_)) => ActionStatus::Implemented,
                ("", None) => ActionStatus::Open,
                _ => r.one_of("status", STATUSES)?,
            };
            match (status, implemented_on) {
                (ActionStatus::Implemented, None) => {
                    return Err(r.reject(
                        "implemented",
                        "the status is implemented but the date it was implemented is empty".into(),
                        "fill in implemented with the date, or change the status".into(),
                        "implemented_without_date",
                        &[],
                    ))
                }
                (ActionStatus::Open | ActionStatus::InProgress | ActionStatus::Cancelled, Some(_)) => {
                    return Err(r.reject(
                        "status",
                        format!("the action has an implemented date but its status is {}", status.key()),
                        "write status implemented, or empty the implemented date".into(),
                        "date_without_implemented",
                        &[("status", status.key())],
                    ))
                }
                _ => {}
            }
            let source = source(&r, &kpis, &tickets, &complaints)?;
            Ok(ImprovementAction {
                id: id.into(),
                title: title.into(),
                source,
                owner: r.get("owner").into(),
                opened_on,
                due_on,
                implemented_on,
                status,
                note: r.get("note").into(),
                line: r.line(),
            })
        };
        match read() {
            Ok(a) => {
                seen.insert(a.id.clone(), a.line);
                out.push(a);
            }
            Err(e) => rejections.push(e),
        }
    }
    Ok((out, rejections, t))
}

/// `kpi:response_time`, `issue:Account / Wachtwoord`, `rca:INC0001234`, `complaint:K-12`
/// (or `probleem:`, `klacht:`); empty for none.
fn source(r: &RowReader, kpis: &[&str], tickets: &std::collections::HashSet<&str>, complaints: &[&str]) -> Result<Option<ActionSource>, Rejection> {
    let v = r.get("source");
    if v.is_empty() {
        return Ok(None);
    }
    let kinds = "kpi:, issue:, rca:, complaint:";
    let Some((kind, reference)) = v.split_once(':') else {
        return Err(r.reject("source", format!("\"{v}\" does not say what kind of source it is"), format!("start it with one of {kinds}, e.g. kpi:response_time"), "source_without_kind", &[]));
    };
    let (kind_text, reference) = (kind.trim().to_lowercase(), reference.trim());
    let Some(kind) = SOURCE_KINDS.iter().find(|(s, _)| *s == kind_text).map(|(_, k)| *k) else {
        return Err(r.reject("source", format!("\"{v}\" does not say what kind of source it is"), format!("start it with one of {kinds}, e.g. kpi:response_time"), "source_without_kind", &[]));
    };
    let missing = |code: &str, reason: String, hint: String, expected: &str| {
        Err(r.reject("source", reason, hint, code, &[("value", reference), ("expected", expected)]))
    };
    match kind {
        SourceKind::Kpi if !kpis.contains(&reference) => {
            let ids = kpis.join(", ");
            return missing("not_a_kpi", format!("\"{reference}\" is not a KPI of the contract"), format!("use one of: {ids}"), &ids);
        }
        SourceKind::Rca if !tickets.contains(reference) => {
            return missing("unknown_ticket", format!("ticket \"{reference}\" is not in the data"), "write the id of a ticket of the data".into(), "");
        }
        SourceKind::Complaint if !complaints.contains(&reference) => {
            return missing("unknown_complaint", format!("complaint \"{reference}\" is not in klachten.csv"), "write an id of klachten.csv".into(), "");
        }
        SourceKind::Issue if reference.is_empty() => {
            return missing("required", "the recurring issue is empty".into(), "write the issue as the report names it, e.g. issue:Account / Wachtwoord".into(), "");
        }
        _ => {}
    }
    Ok(Some(ActionSource { kind, reference: reference.into() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(csv: &str) -> (Vec<ImprovementAction>, Vec<Rejection>) {
        let c = LoadedContract::embedded();
        let complaints = [crate::voice::Complaint::example("K-1")];
        let (a, r, _) = load_actions(csv.as_bytes(), "verbeteracties.csv", &c, &[], &complaints).unwrap();
        (a, r)
    }

    #[test]
    fn every_row_is_used_or_rejected_with_its_column() {
        let csv = "id,title,source,owner,opened,due,implemented,status,note\n\
            V1,Kennisbank wachtwoord,kpi:first_contact_resolution,Servicedesk,2026-07-01,2026-08-01,2026-07-20,,\n\
            V2,Wifi-scan,issue:Netwerk / Wifi,Netwerk,2026-07-01,2026-09-30,,in uitvoering,\n\
            V1,Herhaald,,,2026-07-01,,,,\n\
            V3,,,,2026-07-01,,,,\n\
            V4,Datum,,,1 juli,,,,\n\
            V5,Te vroeg,,,2026-07-10,2026-07-01,,,\n\
            V6,Gereed zonder datum,,,2026-07-10,,,gereed,\n\
            V7,Datum maar open,,,2026-07-10,,2026-07-11,open,\n\
            V8,Bron,kpi:snelheid,,2026-07-10,,,,\n\
            V9,Bron,wens,,2026-07-10,,,,\n\
            V10,Klacht,klacht:K-1,,2026-07-10,,,,\n\
            V11,Klacht,complaint:K-2,,2026-07-10,,,,\n\
            V12,Status,,,2026-07-10,,,misschien,\n";
        let (a, r) = load(csv);
        let ids: Vec<&str> = a.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["V1", "V2", "V10"]);
        assert_eq!(a[0].status, ActionStatus::Implemented);
        assert_eq!(a[1].status, ActionStatus::InProgress);
        assert_eq!(a[2].source, Some(ActionSource { kind: SourceKind::Complaint, reference: "K-1".into() }));
        let got: Vec<(u64, &str, &str)> = r.iter().map(|x| (x.line, x.column.as_str(), x.code.as_str())).collect();
        assert_eq!(
            got,
            [
                (4, "id", "duplicate_id"),
                (5, "title", "required"),
                (6, "opened", "not_a_date"),
                (7, "due", "date_before"),
                (8, "implemented", "implemented_without_date"),
                (9, "status", "date_without_implemented"),
                (10, "source", "not_a_kpi"),
                (11, "source", "source_without_kind"),
                (13, "source", "unknown_complaint"),
                (14, "status", "not_one_of"),
            ]
        );
        // Rows read = used + rejected.
        assert_eq!(a.len() + r.len(), 13);
        let nl = crate::i18n::Labels::embedded(crate::i18n::Lang::Nl).unwrap();
        assert_eq!(r[2].localized(&nl).0, "\"1 juli\" is geen datum");
        assert_eq!(r[6].localized(&nl).0, "\"snelheid\" is geen KPI van het contract");
    }

    #[test]
    fn open_and_implemented_on_a_day() {
        let (a, _) = load("id,title,opened,due,implemented,status\nV1,a,2026-07-01,2026-08-01,2026-09-30,\nV2,b,2026-07-01,,,vervallen\n");
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(a[0].open_on(d("2026-09-29")));
        assert!(!a[0].open_on(d("2026-09-30")));
        assert!(a[0].implemented_within(d("2026-07-01"), d("2026-09-30"), d("2026-10-01")));
        // Not yet on the report's date: not counted.
        assert!(!a[0].implemented_within(d("2026-07-01"), d("2026-09-30"), d("2026-09-29")));
        assert!(!a[1].open_on(d("2026-09-29")));
    }
}
