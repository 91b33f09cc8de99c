//! When an RCA is owed and when it came in: which tickets need one, its due date (N workdays
//! after the local resolution date, holidays skipped) and its delivery as of the report's
//! date. One place for the RCA KPI, the reports' P1 lists and the RCA document.

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::contract::LoadedContract;
use crate::ticket::{Priority, Ticket, TicketType};

/// Whether a ticket needs an RCA under the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    Required,
    NotP1,
    OutOfScope,
}

pub fn requirement(t: &Ticket) -> Requirement {
    if t.priority != Priority::P1 || t.ticket_type != TicketType::Incident {
        Requirement::NotP1
    } else if t.out_of_scope {
        Requirement::OutOfScope
    } else {
        Requirement::Required
    }
}

/// The RCA due date of a ticket resolved at `resolved`: N workdays after the local date.
pub fn due_date(contract: &LoadedContract, resolved: DateTime<Utc>) -> NaiveDate {
    let clock = &contract.clock;
    clock.add_workdays(clock.local(resolved).date(), contract.contract.rules.rca_due_workdays)
}

/// The local date a ticket's RCA was delivered, as of `today`: a delivery dated after the day
/// the report is made has not happened yet.
pub fn delivered_by(contract: &LoadedContract, t: &Ticket, today: NaiveDate) -> Option<NaiveDate> {
    t.rca_delivered_at.map(|d| contract.clock.local(d).date()).filter(|d| *d <= today)
}

/// The end of `today` (local midnight after it), the cut-off for missing events.
pub fn end_of_day(contract: &LoadedContract, today: NaiveDate) -> DateTime<Utc> {
    let next = today + Days::new(1);
    let midnight = next.and_hms_opt(0, 0, 0).expect("midnight exists");
    contract.clock.instant(midnight).unwrap_or_else(|| midnight.and_utc())
}

/// Where an RCA stands as of the report's date (the label keys `rca_status.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RcaStatus {
    /// Delivered on or before its due date.
    OnTime,
    /// Delivered after its due date.
    Late,
    /// Past its due date and not delivered.
    Overdue,
    /// Not delivered, due date still ahead.
    NotYetDue,
    /// The incident is not resolved: no due date yet.
    Unresolved,
    /// Not required (made on request): no due date.
    Voluntary,
}

impl RcaStatus {
    /// The status of a required RCA due on `due` (none while unresolved) and delivered on
    /// `delivered` (none while not delivered), as of `today`.
    pub fn of(due: Option<NaiveDate>, delivered: Option<NaiveDate>, today: NaiveDate) -> RcaStatus {
        match (due, delivered) {
            (None, _) => RcaStatus::Unresolved,
            (Some(due), Some(d)) if d <= due => RcaStatus::OnTime,
            (Some(_), Some(_)) => RcaStatus::Late,
            (Some(due), None) if today > due => RcaStatus::Overdue,
            (Some(_), None) => RcaStatus::NotYetDue,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            RcaStatus::OnTime => "on_time",
            RcaStatus::Late => "late",
            RcaStatus::Overdue => "overdue",
            RcaStatus::NotYetDue => "not_yet_due",
            RcaStatus::Unresolved => "unresolved",
            RcaStatus::Voluntary => "voluntary",
        }
    }

    /// Late or overdue: the RCA was not there when it was due.
    pub fn missed_due_date(self) -> bool {
        matches!(self, RcaStatus::Late | RcaStatus::Overdue)
    }
}
