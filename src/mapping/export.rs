//! An export read through a mapping: the mapping bound to the export's header ([`bind`]),
//! every row mapped onto the canonical columns ([`RowMapping`]), an event log reduced to one
//! row per ticket while it is read ([`EventLog`]), and the rows validated like `tickets.csv`.

use chrono::SecondsFormat;

use super::*;
use crate::canonical::{column_index, validate_rows, InputFile, TicketIntake, NCOL, UNUSED_BY_FIGURES};
use crate::contract::LoadedContract;
use crate::digest::sha256_hex;
use crate::table::csv::{decode, detect_delimiter};
use crate::table::{Cells, CsvTable, SheetTable};

/// A field resolved against the export's header.
struct Bound<'m> {
    field: &'m Field,
    source: BoundSource,
    /// Label index in the pool (the column name, or the template / constant).
    label: usize,
    tz: Tz,
}

enum BoundSource {
    Columns(Vec<usize>),
    Template(Vec<(Option<usize>, String)>),
    Const(String),
    Absent,
}

/// One row (or ticket of an event log) after mapping, before validation.
struct Unit {
    line: u64,
    // Boxed text, not `String`: an event log keeps one unit per ticket until the end.
    values: [Option<Box<str>>; NCOL],
    shown: [Option<Box<str>>; NCOL],
    labels: [usize; NCOL],
    problem: Option<Box<Rejection>>,
    /// Canonical column → why its value was dropped (a column no figure uses).
    dropped: Vec<(usize, String)>,
    /// Canonical column → the line its value comes from, when that is not `line` (an event
    /// log's `[events.first]` times).
    value_lines: Vec<(usize, u64)>,
}

impl Unit {
    /// The row the validation reads (or the mapping's rejection of it); `pool` holds the
    /// labels `labels` points at.
    fn row<'u>(&'u self, file: &'u str, pool: &'u [String]) -> Result<Row<'u>, Rejection> {
        if let Some(p) = &self.problem {
            return Err(p.as_ref().clone());
        }
        let labels: [&str; NCOL] = std::array::from_fn(|k| pool.get(self.labels[k]).map_or(COLUMNS[k], String::as_str));
        let mut row = Row::new(file, self.line, labels, true);
        for k in 0..NCOL {
            row.values[k] = self.values[k].as_deref();
            row.shown[k] = self.shown[k].as_deref();
        }
        for (k, reason) in &self.dropped {
            row.dropped[*k] = Some(reason);
        }
        for (k, line) in &self.value_lines {
            row.value_lines[*k] = *line;
        }
        Ok(row)
    }
}

/// The tickets of an event log while it is read: per ticket its last update so far by the
/// order column, the first update (by order) that matched each `[events.first]` rule, and its
/// priorities by order — never every update, so memory grows with tickets, not updates.
#[derive(Default)]
struct EventLog {
    index: HashMap<String, usize>,
    tickets: Vec<Pending>,
    /// Updates without a ticket key, each rejected.
    keyless: Vec<(usize, Box<Unit>)>,
    /// The priorities met, once each (a ticket's path holds their positions).
    priority_names: Vec<String>,
}

/// One ticket of an event log, while it is read.
struct Pending {
    key: String,
    /// Its first row in the file (tickets keep the order of their first update).
    first_row: usize,
    /// The update with the highest order value so far: (order, row, the mapped update).
    best: Option<(f64, usize, Box<Unit>)>,
    /// The last update in the file, kept only while no order value could be read.
    last_in_file: Option<Box<Unit>>,
    /// The first update whose order value cannot be read: it rejects the ticket.
    order_problem: Option<Box<Rejection>>,
    /// Per `[events.first]` rule: the matching update with the lowest order, (order, row).
    firsts: Vec<Option<(f64, usize)>>,
    /// (order, row, priority) of every update with a priority.
    priorities: Vec<(f64, u32, u32)>,
    /// With `[events] priority = "first"`: the first update (by order) with a priority, and
    /// its priority, impact and urgency (value, as written), which then count together.
    first_priority: Option<Box<(f64, [(Option<Box<str>>, Option<Box<str>>); 3])>>,
}

/// The canonical columns that `[events] priority = "first"` takes from one update.
const PRIORITY_FIELDS: [&str; 3] = ["priority", "impact", "urgency"];

type FirstBinding<'a> = (&'a FirstRule, usize, usize, usize, usize);

impl EventLog {
    /// Takes update `row`, mapped to `u`.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        row: usize,
        u: Box<Unit>,
        pick: PriorityPick,
        key_col: usize,
        order_col: usize,
        rules: &[FirstBinding],
        peek: &dyn Fn(usize, usize) -> Option<String>,
        order_of: &dyn Fn(&str) -> Result<f64, TimeFail>,
        file: &str,
        names: &[String],
        table: &dyn Cells,
    ) {
        let Some(key) = peek(key_col, row) else {
            self.keyless.push((row, u));
            return;
        };
        let g = match self.index.get(key.as_str()) {
            Some(&g) => g,
            None => {
                self.index.insert(key.clone(), self.tickets.len());
                self.tickets.push(Pending { key: key.clone(), first_row: row, best: None, last_in_file: None, order_problem: None, firsts: vec![None; rules.len()], priorities: Vec::new(), first_priority: None });
                self.tickets.len() - 1
            }
        };
        let t = &mut self.tickets[g];
        let v = peek(order_col, row).unwrap_or_default();
        let x = match order_of(&v) {
            Ok(x) => x,
            Err(fail) => {
                if t.order_problem.is_none() {
                    t.order_problem = Some(Box::new(Rejection {
                        file: file.into(),
                        line: table.line(row),
                        column: names[order_col].clone(),
                        value: v.clone(),
                        reason: format!("{}; the updates of ticket {key} cannot be put in order", fail.reason),
                        hint: fail.hint("correct the value in the export"),
                        ..Default::default()
                    }));
                }
                if t.best.is_none() {
                    t.last_in_file = Some(u);
                }
                return;
            }
        };
        let pk = column_index("priority").expect("canonical");
        if let Some(p) = u.values[pk].as_deref() {
            let i = match self.priority_names.iter().position(|n| n == p) {
                Some(i) => i,
                None => {
                    self.priority_names.push(p.to_string());
                    self.priority_names.len() - 1
                }
            };
            t.priorities.push((x, row as u32, i as u32));
            if pick == PriorityPick::First && t.first_priority.as_ref().is_none_or(|f| x < f.0) {
                let fields = PRIORITY_FIELDS.map(|c| {
                    let k = column_index(c).expect("canonical");
                    (u.values[k].clone(), u.shown[k].clone())
                });
                t.first_priority = Some(Box::new((x, fields)));
            }
        }
        for ((r, state, ..), first) in rules.iter().zip(t.firsts.iter_mut()) {
            let Some(s) = peek(*state, row) else { continue };
            let s = norm(&s);
            let hit = if r.is_in.is_empty() { !r.not_in.contains(&s) } else { r.is_in.contains(&s) };
            if hit && first.is_none_or(|(fx, _)| x < fx) {
                *first = Some((x, row));
            }
        }
        // Rows come in file order: on equal order values the later row is the later update.
        if t.best.as_ref().is_none_or(|(bx, _, _)| x.total_cmp(bx).is_ge()) {
            t.best = Some((x, row, u));
            t.last_in_file = None;
        }
    }
}

fn find_column(names: &[String], wanted: &str) -> Option<usize> {
    let w = wanted.trim();
    names.iter().position(|n| n == w).or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(w)))
}

/// A mapping bound to an export's header: the columns by name, the labels of messages, which
/// columns are read at all (the others are listed as not used, and a CSV reader skips them),
/// where each field comes from, and the event-log rule when it applies.
struct Binding<'m> {
    /// The header's names, a repeated name's copies under its own name.
    names: Vec<String>,
    /// Labels: the export's column names first, then the mapping's own (templates, constants).
    pool: Vec<String>,
    used: Vec<bool>,
    bound: Vec<Bound<'m>>,
    events: Option<(&'m Events, usize, usize, Vec<FirstBinding<'m>>)>,
}

/// Binds mapping `m` to the header `raw_names` of export `file`, saying in `report` where
/// each field comes from; a column the mapping needs and the export lacks is an error.
fn bind<'m>(m: &'m LoadedMapping, raw_names: &[String], file: &str, default_tz: Tz, report: &mut MappingReport) -> Result<Binding<'m>> {
    // A name that repeats (Jira's Component/s, Labels) comes back from the CSV reader as
    // `NAME_duplicated_N`: show it by its own name, and read the repeats as one field.
    let names: Vec<String> = raw_names
        .iter()
        .map(|n| match n.rfind("_duplicated_") {
            Some(i) if n[i + 12..].parse::<u32>().is_ok() && raw_names.iter().any(|b| b == &n[..i]) => n[..i].to_string(),
            _ => n.clone(),
        })
        .collect();
    // Labels: the export's column names first, then the mapping's own (templates, constants).
    let mut pool: Vec<String> = names.clone();
    let mut used = vec![false; names.len()];
    let mut bound: Vec<Bound> = Vec::new();
    for f in &m.fields {
        let (source, label) = match &f.kind {
            SourceKind::Columns(list) => {
                let mut found: Vec<usize> = Vec::new();
                for c in list.iter().filter_map(|c| find_column(&names, c)) {
                    for (j, n) in names.iter().enumerate() {
                        if (j == c || n == &names[c]) && !found.contains(&j) {
                            found.push(j);
                        }
                    }
                }
                if found.is_empty() {
                    if f.optional {
                        pool.push(list[0].clone());
                        report.not_given.push(format!("{} (no column {})", f.canon, list.join(" / ")));
                        (BoundSource::Absent, pool.len() - 1)
                    } else {
                        return Err(Error::new(format!(
                            "{file} has no column {} (the mapping {} reads {} from it)",
                            list.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(" or "),
                            m.origin,
                            f.canon
                        ))
                        .with_hint(format!("the columns of {file} are: {}", names.join(", ")))
                        .with_hint(format!("fix {} in [columns] of the mapping (or mark it optional = true)", f.canon)));
                    }
                } else {
                    for c in &found {
                        used[*c] = true;
                    }
                    (BoundSource::Columns(found.clone()), found[0])
                }
            }
            SourceKind::Template(t) => {
                let mut pieces = Vec::new();
                for p in template_pieces(t).expect("checked on load") {
                    match p {
                        Piece::Lit(s) => pieces.push((None, s)),
                        Piece::Col(c) => match find_column(&names, &c) {
                            Some(i) => {
                                used[i] = true;
                                pieces.push((Some(i), c));
                            }
                            None => {
                                return Err(Error::new(format!("{file} has no column \"{c}\" (the template of {} in {} uses it)", f.canon, m.origin))
                                    .with_hint(format!("the columns of {file} are: {}", names.join(", "))));
                            }
                        },
                    }
                }
                pool.push(t.clone());
                (BoundSource::Template(pieces), pool.len() - 1)
            }
            SourceKind::Const(v) => {
                pool.push(format!("{} (constant in the mapping)", f.canon));
                (BoundSource::Const(v.clone()), pool.len() - 1)
            }
        };
        let shown_src = match &source {
            BoundSource::Columns(c) => {
                let mut shown: Vec<String> = c.iter().map(|i| format!("\"{}\"", names[*i])).collect();
                shown.dedup();
                shown.join(", else ")
            }
            BoundSource::Template(_) => format!("template \"{}\"", pool[label]),
            BoundSource::Const(v) => format!("constant \"{v}\""),
            BoundSource::Absent => "(not in this export)".into(),
        };
        let mut desc = shown_src;
        if f.map.is_some() {
            desc += match &f.unmapped {
                Unmapped::Reject => " with a value map (other values rejected)".to_string(),
                Unmapped::Keep => " with a value map (other values passed on)".to_string(),
                Unmapped::Empty => " with a value map (other values read as empty)".to_string(),
                Unmapped::Default(d) if d.is_empty() => " with a value map (other values read as empty)".to_string(),
                Unmapped::Default(d) => format!(" with a value map (other values read as \"{d}\")"),
            }
            .as_str();
        }
        if TIME_COLUMNS.contains(&f.canon) && !matches!(source, BoundSource::Absent) {
            let fm: Vec<String> = f.formats.iter().map(TimeFormat::show).collect();
            desc += &format!(" as {} in {}", fm.join(" / "), f.tz.unwrap_or(default_tz));
        }
        report.fields.push((f.canon.to_string(), desc));
        bound.push(Bound { field: f, source, label, tz: f.tz.unwrap_or(default_tz) });
    }
    for c in COLUMNS {
        if !m.fields.iter().any(|f| f.canon == c) {
            report.not_given.push(c.to_string());
        }
    }
    // Events: active when the export has the columns that mark an event log.
    let events = match &m.events {
        Some(ev) if ev.when_columns.iter().all(|c| find_column(&names, c).is_some()) => {
            let col = |c: &str, what: &str| -> Result<usize> {
                find_column(&names, c).ok_or_else(|| {
                    Error::new(format!("{file} has no column \"{c}\" ({what} in [events] of {})", m.origin))
                        .with_hint(format!("the columns of {file} are: {}", names.join(", ")))
                })
            };
            let key = col(&ev.key, "the ticket key")?;
            let order = col(&ev.order, "the update order")?;
            used[key] = true;
            used[order] = true;
            let mut rules = Vec::new();
            for r in &ev.first {
                let state = col(&r.column, "a state column")?;
                let at = col(&r.at, "a time column")?;
                used[state] = true;
                used[at] = true;
                pool.push(format!("{} (first {} {})", names[at], names[state], if r.is_in.is_empty() { "left the listed states" } else { "reached the listed states" }));
                let label = pool.len() - 1;
                let i = column_index(r.canon).expect("canonical");
                report.fields.retain(|(c, _)| c != r.canon);
                report.fields.push((r.canon.to_string(), format!("\"{}\" of the first update where \"{}\" {} {}", names[at], names[state], if r.is_in.is_empty() { "is not" } else { "is" }, r.states_shown.join(" / "))));
                report.not_given.retain(|c| c.as_str() != r.canon && !c.starts_with(&format!("{} ", r.canon)));
                rules.push((r, state, at, label, i));
            }
            report.events = Some((names[key].clone(), names[order].clone()));
            report.priority_pick = Some(if ev.priority == PriorityPick::First { "first" } else { "last" }.into());
            Some((ev, key, order, rules))
        }
        Some(ev) => {
            report.events_skipped = Some(format!(
                "one row per ticket: the mapping's event-log rule applies only when the export has the column(s) {}",
                ev.when_columns.join(", ")
            ));
            None
        }
        None => None,
    };
    let mut ignored: Vec<String> = names.iter().zip(&used).filter(|(_, u)| !**u).map(|(n, _)| n.clone()).collect();
    ignored.dedup();
    report.ignored_columns = ignored;
    Ok(Binding { names, pool, used, bound, events })
}

/// Reads `bytes` (the export named `file`) with mapping `m` and validates every row.
pub fn load_export(bytes: &[u8], file: &str, m: &LoadedMapping, contract: &LoadedContract) -> Result<(TicketIntake, MappingReport)> {
    load_export_from(std::borrow::Cow::Borrowed(bytes), file, m, contract)
}

/// [`load_export`] of bytes it may free once the table is read (the file's bytes and text are
/// not held beside the table while an event log is reduced).
pub fn load_export_owned(bytes: Vec<u8>, file: &str, m: &LoadedMapping, contract: &LoadedContract) -> Result<(TicketIntake, MappingReport)> {
    load_export_from(std::borrow::Cow::Owned(bytes), file, m, contract)
}

fn load_export_from(bytes: std::borrow::Cow<[u8]>, file: &str, m: &LoadedMapping, contract: &LoadedContract) -> Result<(TicketIntake, MappingReport)> {
    let sha256 = sha256_hex(&bytes);
    let mut report = MappingReport { mapping: m.origin.clone(), file: file.to_string(), ..MappingReport::default() };
    let default_tz = m.tz.unwrap_or(contract.tz);
    let (table, binding, read_notes) = read_bound(&bytes, file, m, default_tz, &sha256, &mut report)?;
    drop(bytes);
    let Binding { names, pool, bound, events, .. } = binding;
    let mut cells = ExportCells { table: table.as_ref(), names: &names, empties: &m.empty, placeholders: BTreeMap::new() };
    let rows = RowMapping { m, file, bound: &bound, pool: &pool, default_tz };
    let height = table.height();
    let units = match &events {
        None => (0..height).map(|row| rows.unit(&mut cells, row, &mut report)).collect(),
        Some(events) => rows.reduced_event_log(&mut cells, events, &mut report),
    };
    report.fields.sort_by_key(|(c, _)| column_index(c));
    report.placeholders = std::mem::take(&mut cells.placeholders);
    // Rows that could not be split into the header's fields are rejected where they stand.
    let broken: Vec<Rejection> = table.broken().iter().map(|b| crate::canonical::broken_row(file, b)).collect();
    // The table is not read again: its memory is the tickets'.
    drop(table);
    report.rows_in_file = (height + broken.len()) as u64;
    report.rows_mapped = units.len() as u64;
    report.rejected_by_mapping = (units.iter().filter(|u| u.problem.is_some()).count() + broken.len()) as u64;

    let mut data = validate_units(&units, broken, file, &pool, &report, contract);
    data.files.push(InputFile { name: file.to_string(), sha256, rows: report.rows_in_file });
    data.notes.extend(read_notes);
    data.notes.extend(mapping_notes(&report, m, file));
    crate::canonical::note_dropped(&mut data);
    Ok((data, report))
}

/// Reads the export (a worksheet, or CSV text in its encoding and separator), binding the
/// mapping to its header as soon as the header is read, so that a CSV is read with only the
/// columns the mapping uses (an audit log has three dozen). The table, the binding and what
/// the reading noted.
fn read_bound<'m>(
    bytes: &[u8],
    file: &str,
    m: &'m LoadedMapping,
    default_tz: Tz,
    sha256: &str,
    report: &mut MappingReport,
) -> Result<(Box<dyn Cells>, Binding<'m>, Vec<String>)> {
    let mut binding: Option<Binding> = None;
    let (table, notes): (Box<dyn Cells>, Vec<String>) = if crate::table::is_xlsx(Path::new(file)) {
        let t = SheetTable::read(bytes, file, m.sheet.as_deref())?;
        binding = Some(bind(m, &t.names, file, default_tz, report)?);
        report.sheet = Some(t.sheet.clone());
        report.encoding = "xlsx".into();
        let notes = t.notes.clone();
        (Box::new(t), notes)
    } else {
        let (text, enc) = decode(bytes, m.encoding, file)?;
        let sep = m.delimiter.unwrap_or_else(|| detect_delimiter(&text));
        report.encoding = enc;
        report.delimiter = Some(match sep {
            b',' => "comma".into(),
            b';' => "semicolon".into(),
            b'\t' => "tab".into(),
            s => format!("'{}'", s as char),
        });
        let t = CsvTable::read_text_with(&text, file, sep, sha256.to_string(), Some(|names: &[String]| {
            let b = bind(m, names, file, default_tz, report)?;
            let used = b.used.clone();
            binding = Some(b);
            Ok(used)
        }))?;
        let notes = t.notes.clone();
        (Box::new(t), notes)
    };
    Ok((table, binding.expect("the header was bound"), notes))
}

/// The export's cells as the mapping reads them: trimmed, and a placeholder (`[source]
/// empty`) read as empty and counted per column.
struct ExportCells<'t> {
    table: &'t dyn Cells,
    names: &'t [String],
    empties: &'t [String],
    placeholders: BTreeMap<String, u64>,
}

impl ExportCells<'_> {
    fn is_placeholder(&self, v: &str) -> bool {
        !self.empties.is_empty() && self.empties.contains(&norm(v))
    }

    /// The cell's text; `None` when empty or a placeholder (then counted).
    fn cell(&mut self, c: usize, row: usize) -> Option<String> {
        let v = self.table.cell(c, row)?.trim();
        if v.is_empty() {
            return None;
        }
        if self.is_placeholder(v) {
            *self.placeholders.entry(self.names[c].clone()).or_default() += 1;
            return None;
        }
        Some(v.to_string())
    }

    /// The same, without counting placeholders again (for the event-log columns).
    fn peek(&self, c: usize, row: usize) -> Option<String> {
        let v = self.table.cell(c, row)?.trim();
        if v.is_empty() || self.is_placeholder(v) { None } else { Some(v.to_string()) }
    }
}

/// What every row of the export is mapped with.
struct RowMapping<'a, 'm> {
    m: &'m LoadedMapping,
    file: &'a str,
    bound: &'a [Bound<'m>],
    pool: &'a [String],
    default_tz: Tz,
}

impl RowMapping<'_, '_> {
    /// Row `row` of the export mapped onto the canonical columns: each bound field's text
    /// from its source, through its value map, a time read in its format and zone. The
    /// first problem becomes the unit's rejection; what was defaulted or could not be read
    /// is counted in `report`.
    fn unit(&self, cells: &mut ExportCells, row: usize, report: &mut MappingReport) -> Box<Unit> {
        let line = cells.table.line(row);
        let mut u = Box::new(Unit {
            line,
            values: std::array::from_fn(|_| None),
            shown: std::array::from_fn(|_| None),
            labels: std::array::from_fn(|k| usize::MAX - k),
            problem: None,
            dropped: Vec::new(),
            value_lines: Vec::new(),
        });
        for b in self.bound {
            let k = column_index(b.field.canon).expect("canonical");
            u.labels[k] = b.label;
            let Some(text) = source_text(b, cells, row, &mut u.labels[k]) else { continue };
            let label = &self.pool[u.labels[k]];
            let Some(value) = self.mapped_value(b, &text, label, line, &mut u, report) else { continue };
            if TIME_COLUMNS.contains(&b.field.canon) {
                self.read_time(b, k, value, text, label, line, &mut u, report);
            } else {
                if value != text {
                    u.shown[k] = Some(text.into());
                }
                u.values[k] = Some(value.into());
            }
        }
        u
    }

    /// `text` through field `b`'s value map (the unmapped rule deciding for a value not in
    /// it, counted in `report`); the text itself for a field without a map.
    fn mapped_value(&self, b: &Bound, text: &str, label: &str, line: u64, u: &mut Unit, report: &mut MappingReport) -> Option<String> {
        let mut note_value = |outcome: String| {
            let e = report.unmapped.entry(label.to_string()).or_default().entry(text.to_string()).or_insert(ValueCount {
                count: 0,
                outcome,
                first_line: line,
            });
            e.count += 1;
        };
        let Some(map) = &b.field.map else {
            if !is_known_value(b.field.canon, text) {
                note_value(format!("rejected (not a value of {}; add a map)", b.field.canon));
            }
            return Some(text.to_string());
        };
        if let Some(v) = map.get(&norm(text)) {
            return Some(v.clone()).filter(|v| !v.is_empty());
        }
        match &b.field.unmapped {
            Unmapped::Reject => {
                note_value("rejected".into());
                if u.problem.is_none() {
                    u.problem = Some(Box::new(Rejection {
                        file: self.file.into(),
                        line,
                        column: label.to_string(),
                        value: crate::limits::shown(text).into_owned(),
                        reason: format!("\"{}\" is not in the value map for {} in {}", crate::limits::shown(text), b.field.canon, self.m.origin),
                        hint: format!(
                            "add \"{}\" = \"…\" ({}) to the map of {} in the mapping, or give it a default",
                            crate::limits::shown(text),
                            vocabulary(b.field.canon),
                            b.field.canon
                        ),
                        ..Default::default()
                    }));
                }
                None
            }
            Unmapped::Keep => {
                if !is_known_value(b.field.canon, text) {
                    note_value("rejected (not in the map, and not a value slarapport knows)".into());
                }
                Some(text.to_string())
            }
            Unmapped::Empty => {
                note_value("read as empty".into());
                None
            }
            Unmapped::Default(d) => {
                note_value(if d.is_empty() { "read as empty (the map's default)".into() } else { format!("read as \"{d}\" (the map's default)") });
                Some(d.clone()).filter(|d| !d.is_empty())
            }
        }
    }

    /// A time field's `value` read in its formats and zone into canonical column `k`; one
    /// that cannot be read is counted, and costs the ticket (a rejection) unless no figure
    /// uses the column (then only the value is dropped).
    #[allow(clippy::too_many_arguments)]
    fn read_time(&self, b: &Bound, k: usize, value: String, text: String, label: &str, line: u64, u: &mut Unit, report: &mut MappingReport) {
        match parse_time(&value, &b.field.formats, b.tz, self.m.decimal_comma, self.m.dst) {
            Ok(t) => {
                u.values[k] = Some(t.to_rfc3339_opts(SecondsFormat::Secs, true).into());
                u.shown[k] = Some(text.into());
            }
            Err(fail) => {
                // A column no figure uses loses the value, not the ticket.
                let unused = UNUSED_BY_FIGURES.contains(&b.field.canon);
                let p = if unused { report.dropped_times.entry(label.to_string()) } else { report.bad_times.entry(label.to_string()) }.or_default();
                p.count += 1;
                if p.examples.len() < 3 {
                    p.examples.push((line, text.clone(), fail.reason.clone()));
                }
                if unused {
                    u.dropped.push((k, fail.reason));
                    u.shown[k] = Some(text.into());
                } else if u.problem.is_none() {
                    let hint = fail.hint(&format!("correct the time in the export, or give its format in the mapping ([columns] {} format = \"…\")", b.field.canon));
                    u.problem = Some(Box::new(Rejection {
                        file: self.file.into(),
                        line,
                        column: label.to_string(),
                        value: crate::limits::shown(&text).into_owned(),
                        reason: fail.reason,
                        hint,
                        ..Default::default()
                    }));
                }
            }
        }
    }

    /// An event log mapped row by row and reduced while it is read (see [`EventLog`]), then
    /// to one unit per ticket: what is left of its updates, in the order of each ticket's
    /// first row.
    fn reduced_event_log(
        &self,
        cells: &mut ExportCells,
        (ev, key_col, order_col, rules): &(&Events, usize, usize, Vec<FirstBinding>),
        report: &mut MappingReport,
    ) -> Vec<Box<Unit>> {
        let (m, file) = (self.m, self.file);
        let mut log = EventLog::default();
        let order_of = |v: &str| match &ev.order_formats {
            None => parse_number(v, m.decimal_comma).ok_or_else(|| TimeFail::format(format!("\"{}\" is not a number (the update counter)", crate::limits::shown(v)))),
            Some(f) => parse_time(v, f, self.default_tz, m.decimal_comma, m.dst).map(|t| t.timestamp_millis() as f64),
        };
        for row in 0..cells.table.height() {
            let u = self.unit(cells, row, report);
            let cells = &*cells;
            log.add(row, u, ev.priority, *key_col, *order_col, rules, &|c, r| cells.peek(c, r), &order_of, file, cells.names, cells.table);
        }
        drop(std::mem::take(&mut log.index));
        let mut reduced: Vec<(usize, Box<Unit>)> = Vec::with_capacity(log.tickets.len() + log.keyless.len());
        for (row, mut u) in std::mem::take(&mut log.keyless) {
            if u.problem.is_none() {
                let key = &cells.names[*key_col];
                u.problem = Some(Box::new(Rejection {
                    file: file.into(),
                    line: u.line,
                    column: key.clone(),
                    value: String::new(),
                    reason: format!("the update has no ticket key ({key} is empty)"),
                    hint: "fill in the key, or remove the row".into(),
                    ..Default::default()
                }));
            }
            reduced.push((row, u));
        }
        for t in std::mem::take(&mut log.tickets) {
            let first_row = t.first_row;
            reduced.push((first_row, self.ticket_unit(t, &log.priority_names, rules, cells, report)));
        }
        reduced.sort_by_key(|(first_row, _)| *first_row);
        reduced.into_iter().map(|(_, u)| u).collect()
    }

    /// One ticket of an event log as a unit: its chosen update, the path of its priorities
    /// (counted in `report`), and each `[events.first]` rule's time from the update that
    /// first reached it (with that update's line).
    fn ticket_unit(&self, t: Pending, priority_names: &[String], rules: &[FirstBinding], cells: &ExportCells, report: &mut MappingReport) -> Box<Unit> {
        let (m, file, names) = (self.m, self.file, cells.names);
        let Pending { key, best, last_in_file, order_problem, firsts, mut priorities, first_priority, .. } = t;
        let mut u = best.map(|(_, _, u)| u).or(last_in_file).expect("a ticket has an update");
        if u.problem.is_none() {
            u.problem = order_problem;
        }
        // The priorities by order, each change once.
        priorities.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut path: Vec<&str> = Vec::new();
        for (_, _, p) in &priorities {
            let p = priority_names[*p as usize].as_str();
            if path.last() != Some(&p) {
                path.push(p);
            }
        }
        if let (Some(first), Some(last)) = (path.first(), path.last()) {
            *report.priority_choice.entry(first.to_string()).or_default().entry(last.to_string()).or_default() += 1;
        }
        if let Some((_, fields)) = first_priority.map(|b| *b) {
            for (c, (value, shown)) in PRIORITY_FIELDS.iter().zip(fields) {
                let k = column_index(c).expect("canonical");
                (u.values[k], u.shown[k]) = (value, shown);
            }
        }
        if path.len() > 1 {
            report.priority_changes.push(PriorityChange { ticket: key.clone(), line: u.line, path: path.iter().map(|p| p.to_string()).collect() });
        }
        // The first update by order that reached (or left) a rule's states gives its time,
        // and its line is the line of that value.
        for ((r, _state, at, label, k), hit) in rules.iter().zip(firsts) {
            u.values[*k] = None;
            u.shown[*k] = None;
            u.labels[*k] = *label;
            let Some((_, row)) = hit else { continue };
            let line = cells.table.line(row);
            u.value_lines.push((*k, line));
            let found = match cells.peek(*at, row) {
                None => Err(Rejection {
                    file: file.into(),
                    line,
                    column: names[*at].clone(),
                    value: String::new(),
                    reason: format!("{} is empty on the update where {} was reached", names[*at], r.canon),
                    hint: "fill in the time of the update".into(),
                    ..Default::default()
                }),
                Some(t) => parse_time(&t, &r.at_formats, self.default_tz, m.decimal_comma, m.dst).map(|x| (x, t.clone())).map_err(|fail| {
                    let p = report.bad_times.entry(names[*at].clone()).or_default();
                    p.count += 1;
                    if p.examples.len() < 3 {
                        p.examples.push((line, t.clone(), fail.reason.clone()));
                    }
                    Rejection {
                        file: file.into(),
                        line,
                        column: names[*at].clone(),
                        value: crate::limits::shown(&t).into_owned(),
                        hint: fail.hint("correct the time, or give its format in the mapping ([events.first] at = { column = \"…\", format = \"…\" })"),
                        reason: fail.reason,
                        ..Default::default()
                    }
                }),
            };
            match found {
                Ok((x, shown)) => {
                    u.values[*k] = Some(x.to_rfc3339_opts(SecondsFormat::Secs, true).into());
                    u.shown[*k] = Some(shown.into());
                }
                Err(rej) => {
                    if u.problem.is_none() {
                        u.problem = Some(Box::new(rej));
                    }
                }
            }
        }
        u
    }
}

/// A bound field's text in row `row`: the first filled of its columns (`label` then names
/// that column), its template filled in, or its constant.
fn source_text(b: &Bound, cells: &mut ExportCells, row: usize, label: &mut usize) -> Option<String> {
    match &b.source {
        BoundSource::Columns(cols) => {
            for c in cols {
                if let Some(v) = cells.cell(*c, row) {
                    *label = *c;
                    return Some(v);
                }
            }
            None
        }
        BoundSource::Template(pieces) => {
            // Text between two columns is kept only when both have a value, so
            // "{Vestiging} - {Locatie}" with no Locatie gives "Duinoord", not "Duinoord -".
            let vals: Vec<Option<String>> = pieces.iter().map(|(c, _)| c.and_then(|c| cells.cell(c, row))).collect();
            let has = |j: usize, step: isize| -> bool {
                let mut k = j as isize + step;
                while k >= 0 && (k as usize) < pieces.len() {
                    if pieces[k as usize].0.is_some() {
                        return vals[k as usize].is_some();
                    }
                    k += step;
                }
                true
            };
            let mut s = String::new();
            for (j, (c, lit)) in pieces.iter().enumerate() {
                match c {
                    Some(_) => s += vals[j].as_deref().unwrap_or(""),
                    None if has(j, -1) && has(j, 1) => s += lit,
                    None => {}
                }
            }
            if vals.iter().any(Option::is_some) { Some(s.trim().to_string()).filter(|s| !s.is_empty()) } else { None }
        }
        BoundSource::Const(v) => Some(v.clone()).filter(|v| !v.is_empty()),
        BoundSource::Absent => None,
    }
}

/// The mapped units validated as canonical rows, in file order with the rows that could not
/// be split (`broken`) in between; each row is made as the validation takes it.
fn validate_units(units: &[Box<Unit>], broken: Vec<Rejection>, file: &str, pool: &[String], report: &MappingReport, contract: &LoadedContract) -> TicketIntake {
    let mut data = TicketIntake { tickets_file: file.to_string(), ..TicketIntake::default() };
    data.tickets.reserve_exact(units.len() - report.rejected_by_mapping.min(units.len() as u64) as usize);
    let mut broken = broken.into_iter().peekable();
    let mut pending = units.iter().peekable();
    let rows = std::iter::from_fn(|| match pending.peek() {
        Some(u) => match broken.next_if(|b| b.line < u.line) {
            Some(b) => Some(Err(b)),
            None => pending.next().map(|u| u.row(file, pool)),
        },
        None => broken.next().map(Err),
    });
    validate_rows(&mut data, rows, contract);
    data
}

/// The report's notes on what the mapping did: nothing it did goes unsaid.
fn mapping_notes(report: &MappingReport, m: &LoadedMapping, file: &str) -> Vec<String> {
    let mut notes = Vec::new();
    let mut first = format!("{file}: tickets read with the mapping {}", m.origin);
    if let Some(s) = &report.sheet {
        first += &format!(", sheet {s}");
    }
    notes.push(first);
    if let Some((key, order)) = &report.events {
        notes.push(format!(
            "{file}: an event log of {} rows: {} tickets by {key}, each read from its last update by {order}",
            report.rows_in_file, report.rows_mapped
        ));
    }
    if !report.ignored_columns.is_empty() {
        let n = report.ignored_columns.len();
        let list: Vec<&str> = report.ignored_columns.iter().take(12).map(String::as_str).collect();
        notes.push(format!("{file}: {n} columns not used: {}{}", list.join(", "), if n > 12 { ", …" } else { "" }));
    }
    for (col, values) in &report.unmapped {
        let defaulted: Vec<String> = values
            .iter()
            .filter(|(_, c)| c.outcome.starts_with("read as"))
            .map(|(v, c)| format!("\"{}\" × {} {}", crate::limits::shown(v), c.count, c.outcome))
            .collect();
        if !defaulted.is_empty() {
            notes.push(format!("{file}: values of {col} not in the mapping's map: {}", defaulted.join(", ")));
        }
    }
    if !report.placeholders.is_empty() {
        let rows = if report.events.is_some() { " update rows" } else { "" };
        let list: Vec<String> = report.placeholders.iter().map(|(c, n)| format!("{c} {n}{rows}")).collect();
        notes.push(format!("{file}: placeholders read as empty ({}): {}", m.empty_shown.join(", "), list.join(", ")));
    }
    if !report.priority_changes.is_empty() {
        let list: Vec<String> = report.priority_changes.iter().take(5).map(|c| format!("{} {}", c.ticket, c.path.join("→"))).collect();
        notes.push(format!(
            "{file}: {} changed priority on the way, the {} one counts: {}{}",
            plural(report.priority_changes.len() as u64, "ticket"),
            report.priority_pick.as_deref().unwrap_or("last"),
            list.join(", "),
            if report.priority_changes.len() > 5 { ", …" } else { "" }
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_log_is_ordered_by_its_order_column_and_its_problems_named_by_line() {
        let c = LoadedContract::embedded();
        let mapping = "[columns]\nid = \"Ticket\"\ntype = { value = \"incident\" }\nschool = \"School\"\ncategory = \"Cat\"\npriority = \"Prio\"\nopened_at = \"Geopend\"\n[events]\norder = \"Volgnr\"\n";
        let m = LoadedMapping::parse(mapping, "t").unwrap();
        let csv = "Ticket;Volgnr;School;Cat;Prio;Geopend\n\
                   A;1;S;n;P3;2026-10-05T09:00\n\
                   A;1;S;n;P2;2026-10-05T09:00\n\
                   B;x;S;n;P4;2026-10-05T09:00\n\
                   B;2;S;n;P4;2026-10-05T09:00\n\
                   C;y;S;n;P4;2026-10-05T09:00\n\
                   A;0;S;n;P1;2026-10-05T09:00\n";
        let (d, report) = load_export(csv.as_bytes(), "log.csv", &m, &c).unwrap();
        // Equal order values: the row further down is the later update (P2 on line 3, not
        // P1 on line 7, whose order is lower).
        assert_eq!(d.tickets.len(), 1);
        assert_eq!((d.tickets[0].id.as_str(), d.tickets[0].priority.key(), d.tickets[0].line), ("A", "P2", 3));
        let got: Vec<(u64, &str)> = d.rejections.iter().map(|r| (r.line, r.column.as_str())).collect();
        assert_eq!(got, vec![(4, "Volgnr"), (6, "Volgnr")], "{:?}", d.rejections);
        assert!(d.rejections[0].reason.contains("\"x\" is not a number (the update counter); the updates of ticket B cannot be put in order"), "{}", d.rejections[0].reason);
        assert_eq!(report.priority_changes[0].path, vec!["P1", "P3", "P2"]);

        // An order time the clocks skip: its hint names the setting; with it, the log is read.
        let by_time = mapping.replace("order = \"Volgnr\"", "order = { column = \"Tijd\", format = \"%d-%m-%Y %H:%M\" }");
        let csv = "Ticket;Tijd;School;Cat;Prio;Geopend\nA;28-03-2026 10:00;S;n;P3;2026-03-28T10:00\nA;29-03-2026 02:30;S;n;P2;2026-03-28T10:00\n";
        let (d, _) = load_export(csv.as_bytes(), "log.csv", &LoadedMapping::parse(&by_time, "t").unwrap(), &c).unwrap();
        assert_eq!((d.rejections[0].line, d.rejections[0].column.as_str()), (3, "Tijd"));
        assert!(d.rejections[0].hint.contains("dst_gap = \"shift\""), "{}", d.rejections[0].hint);
        let shift = format!("[source]\ndst_gap = \"shift\"\n{by_time}");
        let (d, _) = load_export(csv.as_bytes(), "log.csv", &LoadedMapping::parse(&shift, "t").unwrap(), &c).unwrap();
        assert_eq!((d.rejections.len(), d.tickets[0].priority.key()), (0, "P2"));
    }
}
