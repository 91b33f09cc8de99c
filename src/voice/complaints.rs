//! Complaints (`klachten.csv`) and escalations (`escalaties.csv`). Two files, because they
//! are two different things with different columns: a complaint comes from a school and is
//! handled by the provider; an escalation is raised to the tactical or strategic level of the
//! contract (§8) and resolved there. Domain 7 counts the complaints received in a period.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::{duplicate, RowReader};
use crate::error::Result;
use crate::canonical::Rejection;
use crate::table::CsvTable;

pub const COMPLAINT_COLUMNS: &[&str] = &["id", "received", "school", "channel", "subject", "ticket", "handled", "outcome"];
pub const ESCALATION_COLUMNS: &[&str] = &["id", "date", "level", "subject", "ticket", "resolved", "note"];

/// One complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Complaint {
    pub id: String,
    pub received_on: NaiveDate,
    pub school: String,
    /// `phone`, `email`, `portal`, `meeting`, `letter`; empty when not recorded.
    pub channel: String,
    pub subject: String,
    pub ticket: String,
    pub handled_on: Option<NaiveDate>,
    pub outcome: String,
    pub line: u64,
}

impl Complaint {
    #[cfg(test)]
    pub fn example(id: &str) -> Complaint {
        Complaint {
            id: id.into(),
            received_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            school: String::new(),
            channel: String::new(),
            subject: "x".into(),
            ticket: String::new(),
            handled_on: None,
            outcome: String::new(),
            line: 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationLevel {
    Tactical,
    Strategic,
}

impl EscalationLevel {
    pub fn key(self) -> &'static str {
        match self {
            EscalationLevel::Tactical => "tactical",
            EscalationLevel::Strategic => "strategic",
        }
    }
}

/// One escalation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Escalation {
    pub id: String,
    pub raised_on: NaiveDate,
    pub level: EscalationLevel,
    pub subject: String,
    pub ticket: String,
    pub resolved_on: Option<NaiveDate>,
    pub note: String,
    pub line: u64,
}

const CHANNELS: &[(&str, &str)] = &[
    ("phone", "phone"),
    ("email", "email"),
    ("portal", "portal"),
    ("meeting", "meeting"),
    ("letter", "letter"),
    ("telefoon", "phone"),
    ("e-mail", "email"),
    ("mail", "email"),
    ("overleg", "meeting"),
    ("brief", "letter"),
];

const LEVELS: &[(&str, EscalationLevel)] = &[
    ("tactical", EscalationLevel::Tactical),
    ("strategic", EscalationLevel::Strategic),
    ("tactisch", EscalationLevel::Tactical),
    ("strategisch", EscalationLevel::Strategic),
];

/// The related ticket, when given, must be a ticket of the data.
fn ticket<'a>(r: &RowReader<'a>, tickets: &HashSet<&str>) -> Result<&'a str, Rejection> {
    match r.get("ticket") {
        v if v.is_empty() || tickets.contains(v) => Ok(v),
        v => Err(r.reject(
            "ticket",
            format!("ticket \"{v}\" is not in the data"),
            "write the id of a ticket of the data, or leave it empty".into(),
            "unknown_ticket",
            &[],
        )),
    }
}

/// Reads rows with `read`, rejecting a repeated id; rows read = used + rejected.
fn read_rows<T>(
    t: &CsvTable,
    file: &str,
    line_of: impl Fn(&T) -> (String, u64),
    read: impl Fn(&RowReader) -> Result<T, Rejection>,
) -> (Vec<T>, Vec<Rejection>) {
    let mut seen: HashMap<String, u64> = HashMap::new();
    let (mut out, mut rejections) = (Vec::new(), Vec::new());
    for row in 0..t.height {
        let r = RowReader { table: t, file, row };
        let got = match seen.get(r.get("id")) {
            Some(first) => Err(duplicate(&r, *first)),
            None => read(&r),
        };
        match got {
            Ok(x) => {
                let (id, line) = line_of(&x);
                seen.insert(id, line);
                out.push(x);
            }
            Err(e) => rejections.push(e),
        }
    }
    (out, rejections)
}

/// Reads `klachten.csv`.
pub fn load_complaints(bytes: &[u8], file: &str, tickets: &[crate::ticket::Ticket]) -> Result<(Vec<Complaint>, Vec<Rejection>, CsvTable)> {
    let t = CsvTable::read(bytes, file)?;
    t.require_columns(file, &["id", "received", "subject"], COMPLAINT_COLUMNS)?;
    let tickets = super::tickets_named(&t, "ticket", false, tickets);
    let (rows, rejections) = read_rows(&t, file, |c: &Complaint| (c.id.clone(), c.line), |r| {
        let id = r.required("id")?;
        let received_on = r.required_date("received")?;
        let subject = r.required("subject")?;
        let channel = if r.get("channel").is_empty() { "" } else { r.one_of("channel", CHANNELS)? };
        let ticket = ticket(r, &tickets)?;
        let handled_on = r.date("handled")?;
        r.not_before("handled", handled_on, "received", received_on)?;
        Ok(Complaint {
            id: id.into(),
            received_on,
            school: r.get("school").into(),
            channel: channel.into(),
            subject: subject.into(),
            ticket: ticket.into(),
            handled_on,
            outcome: r.get("outcome").into(),
            line: r.line(),
        })
    });
    Ok((rows, rejections, t))
}

/// Reads `escalaties.csv`.
pub fn load_escalations(bytes: &[u8], file: &str, tickets: &[crate::ticket::Ticket]) -> Result<(Vec<Escalation>, Vec<Rejection>, CsvTable)> {
    let t = CsvTable::read(bytes, file)?;
    t.require_columns(file, &["id", "date", "level", "subject"], ESCALATION_COLUMNS)?;
    let tickets = super::tickets_named(&t, "ticket", false, tickets);
    let (rows, rejections) = read_rows(&t, file, |e: &Escalation| (e.id.clone(), e.line), |r| {
        let id = r.required("id")?;
        let raised_on = r.required_date("date")?;
        r.required("level")?;
        let level = r.one_of("level", LEVELS)?;
        let subject = r.required("subject")?;
        let ticket = ticket(r, &tickets)?;
        let resolved_on = r.date("resolved")?;
        r.not_before("resolved", resolved_on, "date", raised_on)?;
        Ok(Escalation {
            id: id.into(),
            raised_on,
            level,
            subject: subject.into(),
            ticket: ticket.into(),
            resolved_on,
            note: r.get("note").into(),
            line: r.line(),
        })
    });
    Ok((rows, rejections, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complaints_and_escalations_are_validated() {
        let csv = "id,received,school,channel,subject,ticket,handled,outcome\n\
            K1,2026-10-02,De Regenboog,telefoon,Wachttijd,,2026-10-06,excuses\n\
            K2,2026-10-03,,,Laptop,INC404,,\n\
            K1,2026-10-04,,,Herhaald,,,\n\
            K3,2026-10-05,,duif,Kanaal,,,\n\
            K4,2026-10-05,,,Te vroeg,,2026-10-01,\n\
            K5,,,,Geen datum,,,\n\
            K6,2026-10-09,,e-mail,,,,\n";
        let (c, r, _) = load_complaints(csv.as_bytes(), "klachten.csv", &[]).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].channel.as_str(), c[0].handled_on), ("phone", NaiveDate::from_ymd_opt(2026, 10, 6)));
        let got: Vec<(u64, &str, &str)> = r.iter().map(|x| (x.line, x.column.as_str(), x.code.as_str())).collect();
        assert_eq!(
            got,
            [
                (3, "ticket", "unknown_ticket"),
                (4, "id", "duplicate_id"),
                (5, "channel", "not_one_of"),
                (6, "handled", "date_before"),
                (7, "received", "required"),
                (8, "subject", "required"),
            ]
        );
        let csv = "id,date,level,subject,ticket,resolved,note\nE1,2026-10-07,strategisch,Telefonie,,2026-10-20,\nE2,2026-10-07,hoog,X,,,\nE3,2026-10-07,,X,,,\n";
        let (e, r, _) = load_escalations(csv.as_bytes(), "escalaties.csv", &[]).unwrap();
        assert_eq!(e[0].level, EscalationLevel::Strategic);
        let got: Vec<(u64, &str)> = r.iter().map(|x| (x.line, x.code.as_str())).collect();
        assert_eq!(got, [(3, "not_one_of"), (4, "required")]);
    }
}
