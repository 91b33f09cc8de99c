//! The canonical ticket: what every export is turned into before anything is counted.
//!
//! Loading (`load`) produces these from rows; evaluation (`evaluate`) reads them. Keeping the
//! vocabulary here (ticket type, impact/urgency level, priority, channel, change class) gives
//! one place that knows the spellings an input may use, in English and Dutch.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::text::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketType {
    Incident,
    ServiceRequest,
    Change,
}

impl TicketType {
    pub const ALL: [TicketType; 3] =
        [TicketType::Incident, TicketType::ServiceRequest, TicketType::Change];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "incident" => return Some(Self::Incident),
            "service_request" => return Some(Self::ServiceRequest),
            "change" => return Some(Self::Change),
            _ => {}
        }
        match s.trim().to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
            "incident" | "storing" => Some(Self::Incident),
            "service_request" | "request" | "servicerequest" | "verzoek" | "aanvraag" => {
                Some(Self::ServiceRequest)
            }
            "change" | "wijziging" => Some(Self::Change),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            TicketType::Incident => "incident",
            TicketType::ServiceRequest => "service_request",
            TicketType::Change => "change",
        }
    }
}

/// Impact and urgency share one three-level scale (guideline §3.1, §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    High,
    Medium,
    Low,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::High, Level::Medium, Level::Low];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "high" => return Some(Self::High),
            "medium" => return Some(Self::Medium),
            "low" => return Some(Self::Low),
            _ => {}
        }
        match s.trim().to_lowercase().as_str() {
            "high" | "hoog" => Some(Self::High),
            "medium" | "gemiddeld" | "middel" => Some(Self::Medium),
            "low" | "laag" => Some(Self::Low),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Level::High => "high",
            Level::Medium => "medium",
            Level::Low => "low",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Priority {
    P1,
    P2,
    P3,
    P4,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::P1, Priority::P2, Priority::P3, Priority::P4];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "P1" => return Some(Self::P1),
            "P2" => return Some(Self::P2),
            "P3" => return Some(Self::P3),
            "P4" => return Some(Self::P4),
            _ => {}
        }
        match s.trim().to_ascii_uppercase().as_str() {
            "P1" | "1" => Some(Self::P1),
            "P2" | "2" => Some(Self::P2),
            "P3" | "3" => Some(Self::P3),
            "P4" | "4" => Some(Self::P4),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
            Priority::P4 => "P4",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Phone,
    Email,
    Portal,
}

impl Channel {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "phone" => return Some(Self::Phone),
            "email" => return Some(Self::Email),
            "portal" => return Some(Self::Portal),
            _ => {}
        }
        match s.trim().to_lowercase().as_str() {
            "phone" | "telefoon" | "telefonisch" => Some(Self::Phone),
            "email" | "e-mail" | "mail" => Some(Self::Email),
            "portal" | "portaal" | "ticketsysteem" | "self-service" | "selfservice" => {
                Some(Self::Portal)
            }
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Email => "email",
            Channel::Portal => "portal",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeClass {
    Standard,
    NonStandard,
    Emergency,
}

impl ChangeClass {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "standard" | "standaard" => Some(Self::Standard),
            "non_standard" | "nonstandard" | "normal" | "normaal" => Some(Self::NonStandard),
            "emergency" | "spoed" => Some(Self::Emergency),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ChangeClass::Standard => "standard",
            ChangeClass::NonStandard => "non_standard",
            ChangeClass::Emergency => "emergency",
        }
    }
}

/// One valid ticket, as loaded. Timestamps are instants; text fields are data, never markup.
/// A million of these are held at once: the texts are [`Text`]s (16 bytes, the repeating ones
/// shared), and a test pins the size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ticket {
    pub id: Text,
    /// 1-based line of the row in its file, for messages. A CSV file has at most
    /// `MAX_TICKETS_CSV_BYTES` (4 GiB − 1) bytes, so a ticket's row (a few bytes long at the
    /// least) starts on a line a `u32` holds (checked below when the program is compiled); a
    /// sheet's rows are numbered in `u32` by calamine (Excel has 1,048,576).
    pub line: u32,
    pub ticket_type: TicketType,
    pub school: Text,
    pub category: Text,
    pub subcategory: Text,
    pub summary: Text,
    pub impact: Option<Level>,
    pub urgency: Option<Level>,
    /// The priority that counts: the recorded one, else the matrix's.
    pub priority: Priority,
    /// The priority the matrix gives for impact × urgency, when both are known.
    pub matrix_priority: Option<Priority>,
    pub channel: Option<Channel>,
    pub opened_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub first_line_resolved: Option<bool>,
    pub out_of_scope: bool,
    pub escalated_at: Option<DateTime<Utc>>,
    pub onsite: Option<bool>,
    pub change_class: Option<ChangeClass>,
    pub cab_approved: Option<bool>,
    pub change_failed: Option<bool>,
    pub rca_delivered_at: Option<DateTime<Utc>>,
}

// A line is at most one more than the bytes before it in its file: it fits the ticket's `u32`.
const _: () = assert!(crate::limits::MAX_DATA_FILE_BYTES <= u32::MAX as u64);
const _: () = assert!(crate::limits::MAX_TICKETS_CSV_BYTES <= u32::MAX as u64);

#[cfg(test)]
mod tests {
    use super::*;

    /// A vocabulary's key is its serde name and reads back as itself.
    #[test]
    fn keys_are_the_serde_names_and_parse_back() {
        fn check<T: Copy + PartialEq + std::fmt::Debug + Serialize>(all: &[T], key: fn(T) -> &'static str, parse: fn(&str) -> Option<T>) {
            for &v in all {
                assert_eq!(serde_json::to_value(v).unwrap(), key(v), "{v:?}");
                assert_eq!(parse(key(v)), Some(v));
            }
        }
        check(&[Channel::Phone, Channel::Email, Channel::Portal], Channel::key, Channel::parse);
        check(&[ChangeClass::Standard, ChangeClass::NonStandard, ChangeClass::Emergency], ChangeClass::key, ChangeClass::parse);
        check(&TicketType::ALL, TicketType::key, TicketType::parse);
        check(&Level::ALL, Level::key, Level::parse);
        check(&Priority::ALL, Priority::key, Priority::parse);
        assert_eq!(Channel::key(Channel::Phone), "phone");
        assert_eq!(ChangeClass::key(ChangeClass::NonStandard), "non_standard");
    }

    /// A million tickets are held at once: the struct must not grow unnoticed. Its parts:
    /// five texts of 16 bytes (80; a text of up to 15 bytes needs nothing more, a longer one
    /// shares its block with the tickets of the same text), the line (4), the opening time
    /// (12) and five optional times (12 each, 60: chrono's time has a niche for `None`), and
    /// twelve one-byte enums and booleans (12): 168, a multiple of the alignment (8).
    #[test]
    fn a_ticket_is_at_most_168_bytes() {
        assert_eq!(std::mem::size_of::<Option<DateTime<Utc>>>(), 12);
        assert!(std::mem::size_of::<Ticket>() <= 168, "Ticket is {} bytes", std::mem::size_of::<Ticket>());
    }
}
