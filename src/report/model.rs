//! The report model: one serde tree from which the PDF, the Excel annex and the JSON are made.
//!
//! Invariant: renderers only read this model; they compute nothing that a reader could find
//! different in another output. Numbers are raw (percentages as 0–100 floats, durations in
//! business minutes, instants as local ISO strings `YYYY-MM-DDTHH:MM`), so each renderer
//! formats them for its medium; days and local times are held as dates ([`LocalMinute`]) and
//! written as those strings only when serialized; labels come from `labels` (nl or en). Maps are `BTreeMap`s
//! and lists are sorted, so the JSON is byte-stable.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Serialize, Serializer};

use crate::canonical::{InputFile, Rejection, Warning};
use crate::text::Text;

/// A local wall-clock time (the contract's zone) to the minute, written `YYYY-MM-DDTHH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalMinute(NaiveDateTime);

impl LocalMinute {
    /// `t` without its seconds (so two times of one minute are equal, as written).
    pub fn new(t: NaiveDateTime) -> LocalMinute {
        use chrono::Timelike;
        LocalMinute(t.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(t))
    }

    pub fn get(self) -> NaiveDateTime {
        self.0
    }
}

impl LocalMinute {
    /// `YYYY-MM-DDTHH:MM` written digit by digit: a quarter's JSON writes millions of these,
    /// and chrono's `format` reads its pattern again for each one. `None` for a year outside
    /// 0–9999 (never in a report: the contract calendar is 2000–2100), which chrono writes.
    fn digits(self) -> Option<[u8; 16]> {
        use chrono::{Datelike, Timelike};
        let year = u32::try_from(self.0.year()).ok().filter(|y| *y <= 9999)?;
        let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        let ([y1, y2], [y3, y4]) = (two(year / 100), two(year % 100));
        let [mo1, mo2] = two(self.0.month());
        let [d1, d2] = two(self.0.day());
        let [h1, h2] = two(self.0.hour());
        let [mi1, mi2] = two(self.0.minute());
        Some([y1, y2, y3, y4, b'-', mo1, mo2, b'-', d1, d2, b'T', h1, h2, b':', mi1, mi2])
    }
}

impl std::fmt::Display for LocalMinute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.digits() {
            // Only ASCII digits and separators.
            Some(d) => f.write_str(std::str::from_utf8(&d).map_err(|_| std::fmt::Error)?),
            None => write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M")),
        }
    }
}

impl Serialize for LocalMinute {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.digits() {
            Some(d) => s.serialize_str(std::str::from_utf8(&d).map_err(serde::ser::Error::custom)?),
            None => s.collect_str(self),
        }
    }
}

/// A day that may be absent, written `YYYY-MM-DD` or as an empty string.
fn date_or_empty<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_str(""),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthlyReport {
    pub meta: Meta,
    pub summary: Summary,
    pub volumes: Volumes,
    pub attainment: Attainment,
    pub breaches: Vec<Breach>,
    pub backlog: Vec<BacklogItem>,
    pub recurring: Recurring,
    pub p1s: Vec<P1Item>,
    /// KPI domains, scores and malus indication (§9).
    pub kpis: crate::kpi::KpiSection,
    /// Tickets whose recorded priority differs from the matrix's.
    pub priority_overrides: PriorityOverrides,
    /// Each contract reading that changes a figure, with the figure the other reading gives.
    pub interpretations: Vec<Interpretation>,
    /// The RCA files' preventive measures not yet carried out on the report's date.
    pub open_measures: Vec<OpenMeasure>,
    /// The provider's logs for the period: improvement actions, complaints, escalations.
    pub voice: super::voice::Voice,
    /// The provider's commentary on the period (`toelichting/`), matched to the report.
    pub commentary: crate::voice::commentary::Commentary,
    pub data_quality: DataQuality,
    /// A rerun: what changed against the version it replaces, and why (absent on a first
    /// report, and when nothing ever changed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<crate::report::changes::Changes>,
}

/// A preventive measure of an RCA file that is still open on the report's date.
#[derive(Debug, Clone, Serialize)]
pub struct OpenMeasure {
    pub ticket_id: String,
    pub measure: String,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// Its due date has passed.
    pub overdue: bool,
}

/// Recorded priorities that differ from the priority matrix (they count, as recorded).
#[derive(Debug, Clone, Serialize)]
pub struct PriorityOverrides {
    /// Tickets opened in the period with a recorded priority other than the matrix's.
    pub tickets: u64,
    /// Recorded lower than the matrix gives (e.g. matrix P2, recorded P3).
    pub lowered: u64,
    pub raised: u64,
    /// Per (matrix, recorded) pair, matrix priority first.
    pub pairs: Vec<PriorityPair>,
    /// Judged on the recorded priority met, on the matrix priority breached (response and
    /// resolution counted separately), and the other way round.
    pub met_only_on_recorded: u64,
    pub met_only_on_matrix: u64,
    /// The month's overall attainment as reported, and as it would be on the matrix priority.
    pub response_pct: Option<f64>,
    pub response_pct_matrix: Option<f64>,
    pub resolution_pct: Option<f64>,
    pub resolution_pct_matrix: Option<f64>,
    /// Every such ticket (the annex lists them; the PDF the lowered P1/P2 ones).
    pub rows: Vec<PriorityOverride>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriorityPair {
    pub matrix: String,
    pub recorded: String,
    pub tickets: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriorityOverride {
    pub ticket_id: String,
    pub ticket_type: String,
    pub school: String,
    pub summary: String,
    pub opened_at: LocalMinute,
    pub matrix_priority: String,
    pub recorded_priority: String,
    /// `lowered` or `raised`.
    pub direction: String,
    /// `met`, `breached`, `not_yet_due`; `None` when the measure does not count this month.
    pub response_status: Option<String>,
    pub response_status_matrix: Option<String>,
    pub resolution_status: Option<String>,
    pub resolution_status_matrix: Option<String>,
}

/// A contract reading that changes a figure (spec §7, "Interpretaties"): the reading in force
/// and its figure, the other reading and what it would give.
#[derive(Debug, Clone, Serialize)]
pub struct Interpretation {
    /// `norm` (domain 2's 95 % norm), `combination` (per priority or pooled), `targets`
    /// (§5.1's incident targets against §9's KPI table), `recurring_key`.
    pub topic: String,
    /// The KPI it is about (`response_time`, `resolution_time`), when one.
    pub kpi: Option<String>,
    pub kpi_name: Option<String>,
    /// The priority it is about (`targets`).
    pub priority: Option<String>,
    /// The reading in force and the other one, as setting values (`per_priority_mean`,
    /// `pooled`, `95`, `100`, `category_subcategory`, …).
    pub in_force: String,
    pub alternative: String,
    /// Targets in minutes (`targets`).
    pub target_minutes: Option<i64>,
    pub alternative_target_minutes: Option<i64>,
    /// The figure in force and under the other reading: a KPI's achievement (`norm`,
    /// `combination`) or a priority's attainment (`targets`), in percent.
    pub value: Option<f64>,
    pub alternative_value: Option<f64>,
    /// Domain 2's score under the other reading (`norm`, `combination`, `targets`).
    pub domain_score: Option<f64>,
    pub alternative_domain_score: Option<f64>,
    /// `recurring_key`: the top three under each key, as "issue (count)".
    pub top: Vec<String>,
    pub alternative_top: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// "monthly".
    pub kind: String,
    pub lang: crate::i18n::Lang,
    pub tool_version: String,
    pub client: String,
    pub provider: String,
    pub contract_name: String,
    /// `embedded` (the guideline's contract) or the contract file's path.
    pub contract_source: String,
    pub contract_sha256: String,
    /// `2026-10`.
    pub period: String,
    /// First and last day.
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The instant counting stops: local midnight after the last day.
    pub cutoff: LocalMinute,
    /// The date the report was made (`--today` or `SOURCE_DATE_EPOCH`).
    pub generated_on: NaiveDate,
    /// The date the report is due: N workdays after the period; none for the year report
    /// (written as an empty string).
    #[serde(serialize_with = "date_or_empty")]
    pub due_on: Option<NaiveDate>,
    pub late: bool,
    /// A P1's RCA is due this many workdays after resolution (§5.2).
    pub rca_due_workdays: u32,
    pub time_zone: String,
    pub service_window: String,
    pub inputs: Vec<InputFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub tickets_opened: u64,
    pub incidents_opened: u64,
    pub service_requests_opened: u64,
    pub changes_opened: u64,
    pub tickets_resolved: u64,
    /// Over all types and priorities; `None` when nothing was counted.
    pub response_pct: Option<f64>,
    pub resolution_pct: Option<f64>,
    pub response_breaches: u64,
    pub resolution_breaches: u64,
    pub backlog_overdue: u64,
    /// P1 incidents opened or resolved in the period.
    pub p1_count: u64,
    /// Every listed P1 (this period's and carried over) whose RCA is overdue or was late.
    pub rca_overdue_or_late: u64,
    pub rows_rejected: u64,
    pub warnings: u64,
}

/// A cross table: rows × columns of counts with totals.
#[derive(Debug, Clone, Serialize)]
pub struct CrossTable {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<u64>>,
    pub row_totals: Vec<u64>,
    pub column_totals: Vec<u64>,
    pub total: u64,
}

/// A large cross table (school × category), kept by the cells that hold tickets: its size
/// follows the tickets, not schools × categories (2,000 schools × 2,000 categories with a few
/// thousand tickets are a few thousand cells). Rows and columns in natural order.
#[derive(Debug, Clone, Serialize)]
pub struct SparseCrossTable {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// Per row, the cells with tickets as `[column index, count]`, by column index; a cell
    /// not listed holds 0.
    pub cells: Vec<Vec<(u32, u64)>>,
    pub row_totals: Vec<u64>,
    pub column_totals: Vec<u64>,
    pub total: u64,
    /// What the PDF shows of it.
    pub shown: CrossView,
}

/// The part of a large cross table that fits a page: the largest columns, the others summed
/// in one column; the largest rows, the others summed in one row. Every figure is a sum of
/// the full table's cells (the annex has them all).
#[derive(Debug, Clone, Serialize)]
pub struct CrossView {
    pub columns: Vec<String>,
    /// How many columns the "other" column sums (0: there is none, every column is shown).
    pub other_columns: u64,
    pub rows: Vec<CrossViewRow>,
    /// The rows not shown, summed; `None` when every row is shown.
    pub other_rows: Option<CrossViewRow>,
    pub totals: CrossViewRow,
    /// `name` (every row, in name order) or `volume` (the largest rows, the largest first).
    pub row_order: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CrossViewRow {
    /// The row's name (empty for the summed rows and the totals).
    pub name: String,
    /// How many rows of the full table it sums (1 for a row of the table).
    pub rows: u64,
    /// Per shown column.
    pub cells: Vec<u64>,
    /// The columns not shown, summed.
    pub other: u64,
    pub total: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Volumes {
    /// All tickets opened in the period, school × category.
    pub by_school_category: SparseCrossTable,
    /// Incidents only.
    pub incidents_by_school_category: SparseCrossTable,
    /// Ticket type × priority (`incident`, `service_request`, `change` × P1–P4).
    pub by_type_priority: CrossTable,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttainmentRow {
    /// `incident`, `service_request`, `change`, or `all`.
    pub ticket_type: String,
    /// `P1`–`P4`, or `all`.
    pub priority: String,
    /// `None` on rows that pool several targets.
    pub target_minutes: Option<i64>,
    pub counted: u64,
    pub met: u64,
    pub breached: u64,
    /// Response only: still unanswered at the cut-off, before the deadline (not in `counted`).
    pub not_yet_due: u64,
    /// met ÷ counted × 100; `None` when `counted` is 0.
    pub pct: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attainment {
    /// Per type × priority, then per type (`priority = all`), then overall.
    pub response: Vec<AttainmentRow>,
    pub resolution: Vec<AttainmentRow>,
    /// Per priority over all types: the chart's series.
    pub response_by_priority: Vec<AttainmentRow>,
    pub resolution_by_priority: Vec<AttainmentRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Breach {
    pub ticket_id: String,
    /// `response` or `resolution`.
    pub measure: String,
    pub ticket_type: String,
    pub priority: String,
    pub school: String,
    pub category: String,
    pub summary: String,
    pub opened_at: LocalMinute,
    /// The response or resolution time; `None` when it has not happened yet.
    pub at: Option<LocalMinute>,
    pub target_minutes: i64,
    /// Business minutes taken (to the cut-off when `at` is missing).
    pub actual_minutes: f64,
    pub overshoot_minutes: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BacklogItem {
    pub ticket_id: String,
    pub ticket_type: String,
    pub priority: String,
    pub school: String,
    pub category: String,
    pub summary: String,
    pub opened_at: LocalMinute,
    pub deadline: LocalMinute,
    pub target_minutes: i64,
    /// Business minutes past the deadline at the cut-off.
    pub overdue_minutes: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecurringIssue {
    pub rank: u32,
    pub category: String,
    /// Empty when the contract groups by category alone.
    pub subcategory: String,
    /// Labels of the months, oldest first (`2026-08`, `2026-09`, `2026-10`).
    pub months: Vec<String>,
    pub counts: Vec<u64>,
    /// `up`, `down` or `flat`: this month against the one before.
    pub trend: String,
    /// Up to three example summaries from this month.
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recurring {
    /// `category_subcategory` or `category`.
    pub key: String,
    /// Incidents only; ranked by this month's count, ties by name.
    pub top: Vec<RecurringIssue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct P1Item {
    pub ticket_id: String,
    pub ticket_type: String,
    pub school: String,
    pub category: String,
    pub summary: String,
    pub channel: String,
    pub opened_at: LocalMinute,
    pub responded_at: Option<LocalMinute>,
    pub resolved_at: Option<LocalMinute>,
    pub response_minutes: Option<f64>,
    pub resolution_minutes: Option<f64>,
    pub response_status: String,
    pub resolution_status: String,
    pub rca_due_on: Option<NaiveDate>,
    pub rca_delivered_on: Option<NaiveDate>,
    /// Never `voluntary`: every listed P1 needs an RCA.
    pub rca_status: crate::rca::due::RcaStatus,
    /// A P1 of an earlier period, listed because its RCA is outstanding or was delivered in
    /// this period (nothing owed drops out between reports).
    pub carried_over: bool,
}

/// The rows left out of the figures, by reason. Written as a list of `{reason, rows}` in the
/// order the reports show them (`by_reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(into = "[ExclusionCount; 2]")]
pub struct ExcludedRows {
    /// Opened outside the report's period.
    pub outside_period: u64,
    /// Marked out of scope of the contract.
    pub out_of_scope: u64,
}

impl ExcludedRows {
    /// Each reason with its rows; the reason is the label key `exclusion.*`.
    pub fn by_reason(self) -> [ExclusionCount; 2] {
        [
            ExclusionCount { reason: "outside_period", rows: self.outside_period },
            ExclusionCount { reason: "out_of_scope", rows: self.out_of_scope },
        ]
    }
}

impl From<ExcludedRows> for [ExclusionCount; 2] {
    fn from(e: ExcludedRows) -> Self {
        e.by_reason()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ExclusionCount {
    pub reason: &'static str,
    pub rows: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Accounting {
    /// Rows of tickets.csv; calls.csv and measurements.csv are accounted in `other_files`.
    pub rows_read: u64,
    pub counted: u64,
    pub excluded: u64,
    pub excluded_by_reason: ExcludedRows,
    pub rejected: u64,
    /// rows_read == counted + excluded + rejected.
    pub balanced: bool,
    /// The phone log and the measurements: rows read, used, rejected.
    pub other_files: Vec<FileAccounting>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileAccounting {
    pub file: String,
    pub rows_read: u64,
    pub used: u64,
    pub rejected: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct WarningCount {
    pub column: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DataQuality {
    pub accounting: Accounting,
    pub rejections: Vec<Rejection>,
    pub warnings: Vec<Warning>,
    pub warnings_by_column: Vec<WarningCount>,
    pub notes: Vec<String>,
}

/// One evaluated ticket, for the annex's ticket sheet and the JSON. A quarter at ten million
/// tickets a year holds 2.5 million rows: the texts are [`Text`]s, the ticket's shared, and the
/// vocabulary's keys (type, priority, channel, counting, statuses) [`Word`]s of two bytes each;
/// a row is 184 bytes (a unit test pins it).
#[derive(Debug, Clone, Serialize)]
pub struct TicketRow {
    pub ticket_id: Text,
    pub line: u32,
    pub ticket_type: Word,
    pub priority: Word,
    pub matrix_priority: Option<Word>,
    pub school: Text,
    pub category: Text,
    pub subcategory: Text,
    pub summary: Text,
    /// Empty when the export names none.
    pub channel: Word,
    pub opened_at: LocalMinute,
    pub responded_at: Option<LocalMinute>,
    pub resolved_at: Option<LocalMinute>,
    /// `counted` or the exclusion reason.
    pub counting: Word,
    pub opened_in_period: bool,
    pub resolved_in_period: bool,
    pub response_target_minutes: i64,
    pub response_minutes: Option<f64>,
    pub response_status: Word,
    pub resolution_target_minutes: i64,
    pub resolution_minutes: Option<f64>,
    pub resolution_status: Word,
}

/// A key of the vocabulary a ticket row names (its type, priority, channel, counting and
/// statuses) in two bytes (which vocabulary, which key) instead of a `&'static str`'s
/// sixteen. It reads as its key (`Deref` to `str`, `Display`, compares equal to it) and
/// serializes as it, so outputs are those of the key itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Type(crate::ticket::TicketType),
    Priority(crate::ticket::Priority),
    Channel(Option<crate::ticket::Channel>),
    Counting(Counting),
    Status(crate::evaluate::Status),
}

/// Where a ticket row's ticket counts: `counted`, or why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    Counted,
    OutOfScope,
}

impl Word {
    pub fn as_str(self) -> &'static str {
        match self {
            Word::Type(t) => t.key(),
            Word::Priority(p) => p.key(),
            Word::Channel(c) => c.map_or("", |c| c.key()),
            Word::Counting(Counting::Counted) => "counted",
            Word::Counting(Counting::OutOfScope) => "out_of_scope",
            Word::Status(crate::evaluate::Status::Met) => "met",
            Word::Status(crate::evaluate::Status::Breached) => "breached",
            Word::Status(crate::evaluate::Status::NotYetDue) => "not_yet_due",
        }
    }
}

impl std::ops::Deref for Word {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Word {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The report and its per-ticket detail. The detail goes to the annex and the JSON, not to
/// the PDF (it can hold a hundred thousand rows).
#[derive(Debug, Clone)]
pub struct Monthly {
    pub report: MonthlyReport,
    pub tickets: Vec<TicketRow>,
}

/// The JSON file: the report with the ticket detail as its last key.
#[derive(Serialize)]
pub struct JsonDocument<'a> {
    #[serde(flatten)]
    pub report: &'a MonthlyReport,
    pub tickets: &'a [TicketRow],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_before() {
        use chrono::Timelike;
        let t = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap().and_hms_opt(9, 7, 59).unwrap();
        let m = LocalMinute::new(t);
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2026-10-05T09:07\"");
        // Seconds are dropped: two times of one minute are one.
        assert_eq!(m, LocalMinute::new(t.with_second(0).unwrap()));
        #[derive(Serialize)]
        struct Due(#[serde(serialize_with = "date_or_empty")] Option<NaiveDate>);
        assert_eq!(serde_json::to_string(&Due(NaiveDate::from_ymd_opt(2026, 11, 6))).unwrap(), "\"2026-11-06\"");
        assert_eq!(serde_json::to_string(&Due(None)).unwrap(), "\"\"");
    }

    /// A quarter holds millions of ticket rows: a row stays small, and its words read and
    /// serialize as the vocabulary's keys.
    #[test]
    fn a_ticket_row_is_small_and_its_words_are_the_keys() {
        use crate::evaluate::Status;
        use crate::ticket::{Channel, Priority, TicketType};
        assert_eq!(std::mem::size_of::<TicketRow>(), 184);
        assert_eq!(std::mem::size_of::<Option<Word>>(), 2);
        let words = [
            (Word::Type(TicketType::ServiceRequest), "service_request"),
            (Word::Priority(Priority::P4), "P4"),
            (Word::Channel(Some(Channel::Portal)), "portal"),
            (Word::Channel(None), ""),
            (Word::Counting(Counting::Counted), "counted"),
            (Word::Counting(Counting::OutOfScope), "out_of_scope"),
            (Word::Status(Status::Met), "met"),
            (Word::Status(Status::Breached), "breached"),
            (Word::Status(Status::NotYetDue), "not_yet_due"),
        ];
        for (w, key) in words {
            assert_eq!(&*w, key);
            assert!(w == key && w == *key);
            assert_eq!(w.to_string(), key);
            assert_eq!(serde_json::to_string(&w).unwrap(), format!("\"{key}\""));
        }
        assert_eq!(serde_json::to_string(&None::<Word>).unwrap(), "null");
    }

    /// The digit-by-digit writing gives what chrono's pattern gave, at the calendar's edges
    /// and outside the years it writes itself.
    #[test]
    fn local_minutes_are_written_as_chrono_wrote_them() {
        let at = |y, mo, d, h, mi| LocalMinute::new(NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, 0).unwrap());
        for (m, text) in [
            (at(2000, 1, 1, 0, 0), "2000-01-01T00:00"),
            (at(2100, 12, 31, 23, 59), "2100-12-31T23:59"),
            (at(2026, 3, 29, 2, 30), "2026-03-29T02:30"),
            (at(999, 7, 4, 13, 5), "0999-07-04T13:05"),
            (at(9999, 12, 31, 23, 59), "9999-12-31T23:59"),
            (at(10000, 1, 1, 0, 0), "+10000-01-01T00:00"),
            (at(-1, 1, 1, 0, 0), "-0001-01-01T00:00"),
        ] {
            assert_eq!(m.to_string(), text);
            assert_eq!(m.to_string(), m.get().format("%Y-%m-%dT%H:%M").to_string());
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{text}\""));
        }
    }
}
