//! What a mapping did to an export, counted: where each field came from, values not in the
//! maps, unreadable times, placeholders, ignored columns, an event log's reduction. `check`
//! prints it ([`MappingReport::check_lines`]) and the report's notes summarise it.

use super::*;
use crate::contract::LoadedContract;

/// How often a value that the map does not list occurred, and what became of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ValueCount {
    pub count: u64,
    /// `rejected`, `read as "X"`, `read as empty`, or `passed on; slarapport does not know it`.
    pub outcome: String,
    /// The first line it occurred on.
    pub first_line: u64,
}

/// Timestamps that could not be read in one column.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TimeProblems {
    pub count: u64,
    /// The first few: line, value, reason.
    pub examples: Vec<(u64, String, String)>,
}

/// A ticket of an event log whose priority changed on the way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityChange {
    pub ticket: String,
    pub line: u64,
    /// The priorities in the order of the updates.
    pub path: Vec<String>,
}

/// What the mapping did with an export: for `slarapport check` and the report's notes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MappingReport {
    /// `profile topdesk` or the mapping file.
    pub mapping: String,
    pub file: String,
    pub sheet: Option<String>,
    pub encoding: String,
    pub delimiter: Option<String>,
    /// Records in the file after the header.
    pub rows_in_file: u64,
    /// What was handed on to the validation: rows, or the tickets of an event log.
    pub rows_mapped: u64,
    /// Rows that the mapping itself rejected (unmapped value, unreadable time, …).
    pub rejected_by_mapping: u64,
    /// `Some((key column, order column))` when an event log was reduced to one row per ticket.
    pub events: Option<(String, String)>,
    /// Why an event-log rule of the mapping was not applied.
    pub events_skipped: Option<String>,
    /// Canonical column → where it comes from, in the canonical order.
    pub fields: Vec<(String, String)>,
    /// Canonical columns that nothing gives (optional source columns the export lacks, too).
    pub not_given: Vec<String>,
    /// Export columns the mapping does not read.
    pub ignored_columns: Vec<String>,
    /// Column → value → count, for values not in the map or unknown to slarapport.
    pub unmapped: BTreeMap<String, BTreeMap<String, ValueCount>>,
    /// Column → unreadable timestamps (rows rejected).
    pub bad_times: BTreeMap<String, TimeProblems>,
    /// Column → unreadable timestamps in a column no figure uses (values dropped, rows kept).
    pub dropped_times: BTreeMap<String, TimeProblems>,
    /// Column → values read as empty because they are placeholders (`?`, `#N/B`, …).
    pub placeholders: BTreeMap<String, u64>,
    pub priority_changes: Vec<PriorityChange>,
    /// Event log: tickets by their first priority and then their last (first → last →
    /// tickets), for what `[events] priority = "first"` would change.
    pub priority_choice: BTreeMap<String, BTreeMap<String, u64>>,
    /// Event log: which priority counts, `last` or `first` (`[events] priority`).
    pub priority_pick: Option<String>,
}

impl MappingReport {
    /// `n` rows, said as update rows of an event log (its counts are per update, not ticket).
    fn rows(&self, n: u64) -> String {
        match self.events {
            Some(_) => format!("{} (of the log's updates, not tickets)", plural(n, "update row")),
            None => plural(n, "row"),
        }
    }

    /// What `[events] priority` decides: the tickets each choice puts at another priority,
    /// and the tickets per priority under either.
    fn priority_choice_lines(&self) -> Vec<String> {
        let Some(pick) = self.priority_pick.as_deref() else { return Vec::new() };
        let other = if pick == "first" { "last" } else { "first" };
        // (the priority that counts, the one the other choice gives) → tickets
        let mut moves: BTreeMap<(&str, &str), u64> = BTreeMap::new();
        let mut per: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for (first, lasts) in &self.priority_choice {
            for (last, n) in lasts {
                let (now, then) = if pick == "first" { (first.as_str(), last.as_str()) } else { (last.as_str(), first.as_str()) };
                per.entry(now).or_default().0 += n;
                per.entry(then).or_default().1 += n;
                if now != then {
                    *moves.entry((now, then)).or_default() += n;
                }
            }
        }
        let moved: u64 = moves.values().sum();
        if moved == 0 {
            return vec![format!("priority along the event log: no ticket changed priority, so [events] priority = \"first\" or \"last\" gives the same")];
        }
        let list: Vec<String> = moves.iter().map(|((a, b), n)| format!("{a} → {b} {n}")).collect();
        let counts: Vec<String> = per.iter().map(|(p, (a, b))| format!("{p} {a} / {b}")).collect();
        vec![
            format!(
                "priority along the event log: the {pick} one counts ([events] priority = \"{pick}\"); \"{other}\" would move {}: {}",
                plural(moved, "ticket"),
                list.join(", ")
            ),
            format!("  tickets per priority, \"{pick}\" / \"{other}\": {}", counts.join(", ")),
        ]
    }

    /// Whether the export has errors a person must look at (beyond rejected rows, which the
    /// accounting shows): unreadable times, values that end up rejected.
    pub fn has_errors(&self) -> bool {
        self.rejected_by_mapping > 0
            || !self.bad_times.is_empty()
            || self.unmapped.values().flat_map(|m| m.values()).any(|v| !v.outcome.starts_with("read as"))
    }

    /// The lines `slarapport check` prints, before the accounting: rows read and mapped,
    /// values not in the maps, unreadable times, impact × urgency against the matrix.
    pub fn check_lines(&self, tickets: &[crate::ticket::Ticket], contract: &LoadedContract, show: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut head = format!("mapping: {} reads {}", self.mapping, self.file);
        if let Some(s) = &self.sheet {
            head += &format!(" (sheet {s})");
        } else {
            head += &format!(" ({}", self.encoding);
            if let Some(d) = &self.delimiter {
                head += &format!(", {d}-separated");
            }
            head += ")";
        }
        out.push(head);
        match &self.events {
            Some((key, order)) => out.push(format!(
                "rows read: {} in the file; an event log: {} tickets by {key}, each read from its last update by {order}",
                self.rows_in_file, self.rows_mapped
            )),
            None => out.push(format!("rows read: {}, mapped: {}", self.rows_in_file, self.rows_mapped)),
        }
        if let Some(s) = &self.events_skipped {
            out.push(format!("event log: {s}"));
        }
        out.push(format!("rejected by the mapping: {} (unmapped values, unreadable times)", self.rejected_by_mapping));
        for (canon, src) in &self.fields {
            out.push(format!("  {canon:<20} ← {src}"));
        }
        if !self.not_given.is_empty() {
            out.push(format!("not in this export: {} (see the README for what the report shows then)", self.not_given.join(", ")));
        }
        if !self.ignored_columns.is_empty() {
            let n = self.ignored_columns.len();
            let list: Vec<&str> = self.ignored_columns.iter().take(show).map(String::as_str).collect();
            out.push(format!("columns not used ({n}): {}{}", list.join(", "), if n > show { ", …" } else { "" }));
        }
        if self.unmapped.is_empty() {
            out.push("unmapped values: none".into());
        }
        for (col, values) in &self.unmapped {
            let total: u64 = values.values().map(|v| v.count).sum();
            out.push(format!("unmapped values in \"{col}\": {}", self.rows(total)));
            for (v, c) in values.iter().take(show) {
                out.push(format!("  \"{}\" × {} (first on line {}): {}", crate::limits::shown(v), c.count, c.first_line, c.outcome));
            }
            if values.len() > show {
                out.push(format!("  … {} more values", values.len() - show));
            }
        }
        if self.bad_times.is_empty() {
            out.push("unreadable timestamps: none".into());
        }
        for (col, p) in &self.bad_times {
            out.push(format!("unreadable timestamps in \"{col}\": {}", self.rows(p.count)));
            for (line, _value, reason) in &p.examples {
                out.push(format!("  {}:{line}: {reason}", self.file));
            }
        }
        for (col, p) in &self.dropped_times {
            out.push(format!("unreadable timestamps in \"{col}\", dropped (no figure uses the column; the tickets count): {}", self.rows(p.count)));
            for (line, _value, reason) in &p.examples {
                out.push(format!("  {}:{line}: {reason}", self.file));
            }
        }
        for (col, n) in &self.placeholders {
            out.push(format!("placeholders read as empty in \"{col}\": {}", self.rows(*n)));
        }
        let pick = self.priority_pick.as_deref().unwrap_or("last");
        for c in self.priority_changes.iter().take(show) {
            out.push(format!("priority changed on the way: {} (line {}): {} — the {pick} one counts", c.ticket, c.line, c.path.join(" → ")));
        }
        if self.priority_changes.len() > show {
            out.push(format!("priority changed on the way: … {} more tickets", self.priority_changes.len() - show));
        }
        out.extend(self.priority_choice_lines());
        // Impact × urgency against the contract's matrix.
        let mut combos: BTreeMap<(String, String, String, String), (u64, String)> = BTreeMap::new();
        for t in tickets {
            if let (Some(i), Some(u), Some(m)) = (t.impact, t.urgency, t.matrix_priority) {
                if m != t.priority {
                    let e = combos
                        .entry((i.key().into(), u.key().into(), m.key().into(), t.priority.key().into()))
                        .or_insert((0, t.id.to_string()));
                    e.0 += 1;
                }
            }
        }
        let _ = contract;
        if combos.is_empty() {
            out.push("impact × urgency against the matrix: no contradictions".into());
        }
        for ((i, u, m, p), (n, example)) in &combos {
            out.push(format!(
                "impact × urgency against the matrix: {i} × {u} gives {m}, recorded {p}: {} (e.g. {example}); the recorded priority counts",
                plural(*n, "ticket")
            ));
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// Mapping the rows
// ---------------------------------------------------------------------------------------
