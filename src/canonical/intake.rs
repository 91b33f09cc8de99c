//! A ticket file's rows validated into a [`TicketIntake`]: the canonical `tickets.csv` /
//! `tickets.xlsx` read here, a mapping's rows handed in ([`validate_rows`]). Large files are
//! checked in chunks on all cores, each straight into its own ticket list; the lists are
//! joined in file order and repeated ids found over them afterwards, so tickets, ids and
//! messages are exactly those of one pass.

use std::collections::HashMap;

use super::*;
use crate::error::{Error, Result};
use crate::table::{Cells, SplitTable};

/// The tickets of one ticket file: what the canonical reader or a mapping made of its rows.
/// The data folder (`load::DataSet`) holds them beside its other files.
#[derive(Debug, Clone, Default)]
pub struct TicketIntake {
    pub tickets: Vec<Ticket>,
    /// Rows of the ticket file; for an event log (several rows per ticket) the tickets it
    /// holds, the reduction said in `notes`.
    pub rows_read: u64,
    pub rejections: Vec<Rejection>,
    pub warnings: Vec<Warning>,
    pub notes: Vec<String>,
    pub files: Vec<InputFile>,
    /// The name of the file the tickets came from (`tickets.csv`, or the user's export);
    /// empty means `tickets.csv`. Read it with [`TicketIntake::tickets_file`].
    pub tickets_file: String,
}

impl TicketIntake {
    /// The file the tickets came from: its rejections are the ticket rejections.
    pub fn tickets_file(&self) -> &str {
        if self.tickets_file.is_empty() { "tickets.csv" } else { &self.tickets_file }
    }
}

/// Reads and validates canonical ticket CSV bytes (`tickets.csv`).
pub fn read_tickets_csv(bytes: &[u8], file: &str, contract: &LoadedContract) -> Result<TicketIntake> {
    tickets_of_csv_table(SplitTable::read(bytes.to_vec(), file)?, file, contract)
}

/// Reads and validates the canonical ticket CSV file at `path` (`file`: its name), in blocks
/// when it is UTF-8 (only the tickets are held, never the whole file), else whole.
pub fn read_tickets_csv_file(path: &std::path::Path, file: &str, contract: &LoadedContract) -> Result<TicketIntake> {
    read_tickets_csv_file_in(crate::table::split::BLOCK_BYTES, path, file, contract)
}

/// [`read_tickets_csv_file`] in blocks of about `block` bytes.
fn read_tickets_csv_file_in(block: usize, path: &std::path::Path, file: &str, contract: &LoadedContract) -> Result<TicketIntake> {
    use crate::limits::{open_file, read_file, MAX_DATA_FILE_BYTES, MAX_TICKETS_CSV_BYTES};
    let (reader, len) = open_file(path, MAX_TICKETS_CSV_BYTES, "tickets file")?;
    // A block is read and split on this thread while the one before it is validated on the
    // others; the validated block's text comes back to read a later block into.
    let (streamed, validation) = std::thread::scope(|scope| {
        let (to_check, blocks) = std::sync::mpsc::sync_channel::<SplitTable>(0);
        let (give_back, spares) = std::sync::mpsc::channel::<Vec<u8>>();
        let checker = scope.spawn(move || -> Result<Option<Validation>> {
            let mut validation: Option<Validation> = None;
            for block in blocks {
                let v = match &mut validation {
                    Some(v) => v,
                    None => {
                        let v = validation.insert(Validation::new(&block.names, file)?);
                        // Room for the tickets of the whole file, estimated from the first
                        // block's records (a tenth more); a list that must grow after all is
                        // copied once.
                        let per_record = block.text_len() as f64 / block.height().max(1) as f64;
                        v.reserve(((len as f64 / per_record.max(1.0)) * 1.1) as usize + block.height());
                        v
                    }
                };
                v.add(&block, contract)?;
                let _ = give_back.send(block.into_text());
            }
            Ok(validation)
        });
        let streamed = crate::table::split::read_blocks(block, reader, path, file, MAX_TICKETS_CSV_BYTES, |table| {
            // A send fails only when the validation has stopped: its error is the one told.
            to_check.send(table).map_err(|_| Error::new(format!("{file}: the validation of its rows stopped")))?;
            Ok(spares.try_recv().ok())
        });
        drop(to_check);
        (streamed, checker.join().expect("row validation"))
    });
    // Not UTF-8 (or CR-only lines): the whole file, decoded, tells (whatever its blocks found).
    if matches!(streamed, Ok(None)) {
        // The blocks' tickets go first: a large file is not held twice.
        drop(validation);
        return tickets_of_csv_table(SplitTable::read(read_file(path, MAX_DATA_FILE_BYTES, "tickets file")?, file)?, file, contract);
    }
    let validation = validation?;
    let streamed = streamed?;
    match (streamed, validation) {
        (Some(streamed), Some(validation)) => {
            let mut data = validation.finish();
            data.notes.extend(streamed.notes);
            data.files.push(InputFile { name: file.into(), sha256: streamed.sha256, rows: data.rows_read });
            Ok(data)
        }
        // Every file read in blocks hands over at least its last one; should none come, the
        // whole file tells.
        _ => tickets_of_csv_table(SplitTable::read(read_file(path, MAX_DATA_FILE_BYTES, "tickets file")?, file)?, file, contract),
    }
}

/// Validates the canonical CSV read into `table` (with the note of its reading), which holds
/// the file's text until the tickets are made.
pub fn tickets_of_csv_table((table, note): (SplitTable, Option<String>), file: &str, contract: &LoadedContract) -> Result<TicketIntake> {
    let mut data = read_tickets_table(&table, file, contract)?;
    data.notes.extend(note);
    data.notes.extend(table.notes.iter().cloned());
    data.files.push(InputFile { name: file.into(), sha256: table.sha256.clone(), rows: (table.height() + table.broken.len()) as u64 });
    drop(table);
    Ok(data)
}

/// Validates a table with the canonical columns (from `tickets.csv` or `tickets.xlsx`); the
/// caller adds the file to `files`.
pub fn read_tickets_table(table: &(dyn Cells + Sync), file: &str, contract: &LoadedContract) -> Result<TicketIntake> {
    let mut validation = Validation::new(table.names(), file)?;
    validation.reserve(table.height());
    validation.add(table, contract)?;
    Ok(validation.finish())
}

/// The validation of a ticket file's rows, a table (or a block of a large file's records) at
/// a time: the header checked once ([`Validation::new`]), each table's rows checked on all
/// cores ([`Validation::add`]), repeated ids found over all of them at the end
/// ([`Validation::finish`]), so tickets, ids and messages are exactly those of one pass.
pub struct Validation {
    data: TicketIntake,
    /// Canonical column → position in the file (the first, when a name repeats).
    positions: Vec<Option<usize>>,
    /// The line of every ticket in `data.tickets`.
    lines: Vec<u64>,
    /// Warnings with the index of their ticket in `data.tickets`.
    warnings: Vec<(usize, Warning)>,
    rejections: Vec<Rejection>,
    broken: Vec<Rejection>,
}

impl Validation {
    /// Checks the header's `names`: an error when a required column is missing.
    pub fn new(names: &[String], file: &str) -> Result<Validation> {
        let mut data = TicketIntake { tickets_file: file.into(), ..TicketIntake::default() };
        let extra: Vec<&String> = names.iter().filter(|n| !COLUMNS.contains(&n.as_str())).collect();
        if !extra.is_empty() {
            let list: Vec<&str> = extra.iter().map(|s| s.as_str()).collect();
            data.notes.push(format!("{file}: columns ignored because slarapport does not use them: {}", list.join(", ")));
        }
        let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !names.iter().any(|n| n == c)).collect();
        let has = |c: &str| names.iter().any(|n| n == c);
        if !missing.is_empty() || !(has("priority") || (has("impact") && has("urgency"))) {
            let mut missing = missing;
            if !(has("priority") || (has("impact") && has("urgency"))) {
                missing.push("priority (or impact and urgency)");
            }
            return Err(Error::lacks_columns(file, &missing)
                .with_hint(format!("the header must name at least: {}, and priority or impact + urgency", REQUIRED.join(", ")))
                .with_hint("an export with other column names needs a mapping: --profile servicenow|topdesk|jira or --mapping FILE"));
        }
        let positions = COLUMNS.iter().map(|c| names.iter().position(|n| n == c)).collect();
        Ok(Validation { data, positions, lines: Vec::new(), warnings: Vec::new(), rejections: Vec::new(), broken: Vec::new() })
    }

    /// Room for about `tickets` more tickets, so the list is not copied as it grows (the
    /// room is only address space until tickets fill it). An estimate the machine cannot
    /// give room for (a first block of tiny rows in a large file) is no error: the list then
    /// grows as tickets come.
    pub fn reserve(&mut self, tickets: usize) {
        if self.data.tickets.try_reserve(tickets).is_ok() {
            let _ = self.lines.try_reserve(tickets);
        }
    }

    /// Checks the rows of `table` (whose header is the one given to [`Validation::new`]).
    /// Stops with an error once more than [`crate::limits::MAX_REJECTED_ROWS`] rows are
    /// rejected (each chunk stops there too, so the rejections kept stay bounded).
    pub fn add(&mut self, table: &(dyn Cells + Sync), contract: &LoadedContract) -> Result<()> {
        use crate::limits::MAX_REJECTED_ROWS;
        let file = self.data.tickets_file.as_str();
        let positions = &self.positions;
        let height = table.height();
        // Rows are made and checked one at a time (a million rows never sit in memory as
        // rows, only as tickets), in as many chunks as there are cores; the chunks' results
        // are then taken in file order, so ids and messages are exactly as in one pass.
        let row_at = |i: usize| {
            let mut row = Row::new(file, table.line(i), COLUMNS, false);
            table.row_cells(i, positions, &mut row.values);
            for v in &mut row.values {
                *v = v.map(str::trim).filter(|v| !v.is_empty());
            }
            row
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
        // Small files are not worth a thread (unit tests use small chunks to exercise the split).
        let min_chunk = if cfg!(test) { 1_000 } else { 50_000 };
        let chunk = height.div_ceil(threads).max(min_chunk);
        let checked: Vec<Checked> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..height)
                .step_by(chunk)
                .map(|start| {
                    let row_at = &row_at;
                    scope.spawn(move || {
                        let mut out = Checked::with_capacity(chunk.min(height - start));
                        let mut texts = crate::text::Interner::default();
                        for i in start..(start + chunk).min(height) {
                            let row = row_at(i);
                            let mut warnings = Vec::new();
                            match parse_row(&row, contract, &mut texts, &mut warnings) {
                                Ok(ticket) => {
                                    out.lines.push(row.line);
                                    out.warnings.extend(warnings.into_iter().map(|w| (out.tickets.len(), w)));
                                    out.tickets.push(ticket);
                                }
                                Err(r) => {
                                    out.rejections.push(r);
                                    if out.rejections.len() > MAX_REJECTED_ROWS {
                                        break;
                                    }
                                }
                            }
                        }
                        out
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("row validation")).collect()
        });
        for mut c in checked {
            let base = self.data.tickets.len();
            self.warnings.extend(c.warnings.into_iter().map(|(k, w)| (base + k, w)));
            self.data.tickets.append(&mut c.tickets);
            self.lines.append(&mut c.lines);
            self.rejections.append(&mut c.rejections);
        }
        self.data.rows_read += (height + table.broken().len()) as u64;
        self.broken.extend(table.broken().iter().map(|b| broken_row(file, b)));
        if self.rejections.len() + self.broken.len() > MAX_REJECTED_ROWS {
            let first = match (self.rejections.first(), self.broken.first()) {
                (Some(r), Some(b)) if b.line < r.line => Some(b),
                (Some(r), _) => Some(r),
                (None, b) => b,
            };
            let first = match first {
                Some(r) if r.column.is_empty() => format!("line {}: {}", r.line, r.reason),
                Some(r) => format!("line {}, column {}: {}", r.line, r.column, r.reason),
                None => "in an earlier part of the file".to_string(),
            };
            return Err(crate::limits::too_many_rejected(file, &first));
        }
        Ok(())
    }

    /// The tickets, rejections and warnings of every table added.
    pub fn finish(self) -> TicketIntake {
        let Validation { mut data, lines, warnings, rejections, broken, .. } = self;
        let file = data.tickets_file.clone();
        // Repeated ids, in file order: the first row with an id counts, a later one is
        // rejected (and its warnings dropped, they belong to no ticket).
        let ids: Vec<&str> = data.tickets.iter().map(|t| t.id.as_str()).collect();
        let repeats = repeated_ids(&ids, |id| std::hash::BuildHasher::hash_one(&foldhash::fast::FixedState::default(), id));
        drop(ids);
        let dropped: Vec<usize> = repeats.iter().map(|&(k, _)| k).collect();
        let repeat_rejections: Vec<Rejection> =
            repeats.iter().map(|&(k, first)| repeated_id(&file, lines[k], "id", &data.tickets[k].id, lines[first])).collect();
        let mut warnings = warnings;
        if !dropped.is_empty() {
            // Both lists are in ticket order: dropped in place, nothing copied.
            warnings.retain(|(k, _)| dropped.binary_search(k).is_err());
            let mut k = 0;
            data.tickets.retain(|_| {
                k += 1;
                dropped.binary_search(&(k - 1)).is_err()
            });
        }
        data.tickets.shrink_to_fit();
        data.warnings = warnings.into_iter().map(|(_, w)| w).collect();
        // The lists are in file order: merged by line they are the rejections in file order.
        data.rejections = merge_by_line(merge_by_line(rejections, repeat_rejections), broken);
        note_dropped(&mut data);
        data
    }
}

/// The rejection of a row whose ticket id an earlier row (on line `first`) already has.
fn repeated_id(file: &str, line: u64, column: &str, id: &str, first: u64) -> Rejection {
    Rejection {
        file: file.into(),
        line,
        column: column.into(),
        value: id.into(),
        reason: format!("duplicate id; the first row with this id, on line {first}, counts"),
        hint: "remove the repeated row or give it its own id".into(),
        ..Default::default()
    }
    .coded("duplicate_id", &[("first", &first.to_string())])
}

/// What one chunk of rows gave, in file order.
struct Checked {
    tickets: Vec<Ticket>,
    /// The line of every ticket's row.
    lines: Vec<u64>,
    /// Warnings with the index of their ticket in `tickets`.
    warnings: Vec<(usize, Warning)>,
    rejections: Vec<Rejection>,
}

impl Checked {
    fn with_capacity(n: usize) -> Checked {
        Checked { tickets: Vec::with_capacity(n), lines: Vec::with_capacity(n), warnings: Vec::new(), rejections: Vec::new() }
    }
}

/// Two lists of rejections of one file, each in line order, as one list in line order.
pub(crate) fn merge_by_line(a: Vec<Rejection>, b: Vec<Rejection>) -> Vec<Rejection> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.line <= y.line,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
    out
}

/// The line of the first row of every ticket id seen, for repeated ids. Keys borrow the
/// input's text: no copy of a million ids.
type SeenIds<'a> = HashMap<&'a str, u64, foldhash::fast::FixedState>;

/// Every id of `ids` that an earlier one repeats, as (its index, the index of the first),
/// in order. The ids are hashed with `hash` on all cores and split by hash into as many
/// parts as there are cores, each part searched on its own core in file order (at ten
/// million tickets one table of every id took 5 s on one core, most of it waiting for
/// memory). Two different ids with the same hash are told apart by their text.
fn repeated_ids(ids: &[&str], hash: impl Fn(&str) -> u64 + Sync) -> Vec<(usize, usize)> {
    use std::hash::BuildHasherDefault;
    let parts = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = ids.len().div_ceil(parts).max(1);
    let hashes: Vec<u64> = std::thread::scope(|scope| {
        let handles: Vec<_> = ids.chunks(chunk).map(|c| scope.spawn(|| c.iter().map(|id| hash(id)).collect::<Vec<u64>>())).collect();
        handles.into_iter().flat_map(|h| h.join().expect("hashing ids")).collect()
    });
    /// The hash is the key's own: no second hashing.
    #[derive(Default)]
    struct Same(u64);
    impl std::hash::Hasher for Same {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, _: &[u8]) {
            unreachable!("only u64 keys")
        }
        fn write_u64(&mut self, n: u64) {
            self.0 = n;
        }
    }
    let mut repeats: Vec<(usize, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..parts as u64)
            .map(|part| {
                let hashes = &hashes;
                scope.spawn(move || {
                    let mut first: HashMap<u64, usize, BuildHasherDefault<Same>> = HashMap::default();
                    first.reserve(hashes.len() / parts + 16);
                    // Ids whose hash an earlier, different id has.
                    let mut collided: HashMap<&str, usize> = HashMap::new();
                    let mut out = Vec::new();
                    for (k, &h) in hashes.iter().enumerate().filter(|(_, h)| (*h >> 32) % parts as u64 == part) {
                        match first.entry(h) {
                            std::collections::hash_map::Entry::Vacant(e) => {
                                e.insert(k);
                            }
                            std::collections::hash_map::Entry::Occupied(e) if ids[*e.get()] == ids[k] => out.push((k, *e.get())),
                            std::collections::hash_map::Entry::Occupied(_) => match collided.entry(ids[k]) {
                                std::collections::hash_map::Entry::Vacant(e) => {
                                    e.insert(k);
                                }
                                std::collections::hash_map::Entry::Occupied(e) => out.push((k, *e.get())),
                            },
                        }
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("finding repeated ids")).collect()
    });
    repeats.sort_unstable();
    repeats
}

/// Validates rows (or rows a mapping already rejected) into `data`: tickets, rejections
/// (also for a repeated id) and warnings; counts them in `rows_read`.
pub fn validate_rows<'a>(data: &mut TicketIntake, rows: impl IntoIterator<Item = Result<Row<'a>, Rejection>>, contract: &LoadedContract) {
    let mut seen = SeenIds::default();
    let mut texts = crate::text::Interner::default();
    for row in rows {
        match row {
            Ok(row) => {
                let mut warnings = Vec::new();
                let result = parse_row(&row, contract, &mut texts, &mut warnings);
                accept(data, &mut seen, Parsed { file: row.file, line: row.line, id: row.get("id"), id_label: row.label("id"), result, warnings });
            }
            Err(r) => {
                data.rows_read += 1;
                data.rejections.push(r);
            }
        }
    }
}

/// One row checked: its ticket or rejection, and its warnings.
struct Parsed<'a> {
    file: &'a str,
    line: u64,
    /// The id as in the input (the ticket's id), borrowed for the table of ids seen.
    id: Option<&'a str>,
    id_label: &'a str,
    result: Result<Ticket, Rejection>,
    warnings: Vec<Warning>,
}

/// Takes one checked row, in file order: a repeated id is rejected (the first row with it
/// counts); a rejected row's warnings are dropped (they belong to nobody).
fn accept<'a>(data: &mut TicketIntake, seen: &mut SeenIds<'a>, p: Parsed<'a>) {
    data.rows_read += 1;
    match p.result {
        Ok(ticket) => {
            let id = p.id.expect("a valid ticket has an id");
            debug_assert_eq!(id, ticket.id);
            if let Some(first) = seen.get(id) {
                data.rejections.push(repeated_id(p.file, p.line, p.id_label, &ticket.id, *first));
            } else {
                seen.insert(id, p.line);
                data.warnings.extend(p.warnings);
                data.tickets.push(ticket);
            }
        }
        Err(r) => data.rejections.push(r),
    }
}

/// A note per column whose values were dropped (see [`UNUSED_BY_FIGURES`]): how many, and the
/// first line.
pub(crate) fn note_dropped(data: &mut TicketIntake) {
    let mut by_column: std::collections::BTreeMap<&str, (u64, u64)> = std::collections::BTreeMap::new();
    for w in data.warnings.iter().filter(|w| w.code == "value_dropped") {
        let e = by_column.entry(w.column.as_str()).or_insert((0, w.line));
        e.0 += 1;
        e.1 = e.1.min(w.line);
    }
    let file = data.tickets_file().to_string();
    let notes: Vec<String> = by_column
        .into_iter()
        .map(|(col, (n, first))| format!("{file}: {n} value(s) of {col} dropped, their tickets counted (unreadable, or before the opening or resolution; first on line {first}; no figure uses it)"))
        .collect();
    data.notes.extend(notes);
}

#[cfg(test)]
mod tests {
    #[test]
    fn chunked_validation_equals_one_pass() {
        // The demo's 9,642 rows in chunks of 1,000 (cfg(test)), against one sequential pass;
        // with two rows repeated at the end (ids first seen in another chunk), one of them a
        // row with a warning: the repeat is rejected and its warning dropped.
        let c = LoadedContract::embedded();
        let demo = std::fs::read_to_string("fixtures/demo/tickets.csv").unwrap();
        let first = read_tickets_csv(demo.as_bytes(), "tickets.csv", &c).unwrap();
        let physical: Vec<&str> = demo.lines().collect();
        let warned = physical[first.warnings[0].line as usize - 1];
        assert!(!warned.contains('"') && warned.starts_with(&first.warnings[0].ticket_id));
        let bytes = format!("{demo}{warned}\n{}\n", physical[1]).into_bytes();
        let chunked = read_tickets_csv(&bytes, "tickets.csv", &c).unwrap();
        let end = physical.len() as u64;
        let repeats: Vec<&Rejection> = chunked.rejections.iter().filter(|r| r.line > end).collect();
        assert_eq!(repeats.len(), 2, "{repeats:?}");
        assert!(repeats.iter().all(|r| r.reason.starts_with("duplicate id")));
        assert!(chunked.warnings.iter().all(|w| w.line <= end));
        let table = crate::table::CsvTable::read(&bytes, "tickets.csv").unwrap();
        let positions: Vec<Option<usize>> = COLUMNS.iter().map(|col| table.names.iter().position(|n| n == col)).collect();
        let mut one = TicketIntake::default();
        let rows = (0..table.height).map(|i| {
            let mut row = Row::new("tickets.csv", table.line(i), COLUMNS, false);
            for (k, pos) in positions.iter().enumerate() {
                if let Some(p) = pos {
                    row.values[k] = table.cell(*p, i).map(str::trim).filter(|v| !v.is_empty());
                }
            }
            Ok(row)
        });
        validate_rows(&mut one, rows, &c);
        assert_eq!(chunked.rows_read, one.rows_read);
        assert_eq!(chunked.tickets, one.tickets);
        assert_eq!(chunked.rejections, one.rejections);
        assert_eq!(chunked.warnings, one.warnings);
        assert!(!chunked.rejections.is_empty() && !chunked.warnings.is_empty());
    }

    #[test]
    fn a_file_read_in_blocks_gives_what_the_whole_file_gives() {
        // The demo with a row repeated at the end (its id first seen blocks before), a row
        // that cannot be split and a row a quote makes span lines, read in blocks of 4 KB.
        let c = LoadedContract::embedded();
        let demo = std::fs::read_to_string("fixtures/demo/tickets.csv").unwrap();
        let physical: Vec<&str> = demo.lines().collect();
        let bytes = format!("{demo}{}\nX1,incident,S,c,s,\"twee\nregels\",low,low,P4,,2026-10-01T09:00{}\nX2{}\n{}\n", physical[1], ",".repeat(11), ",".repeat(22), physical[2]).into_bytes();
        let path = std::env::temp_dir().join(format!("slarapport-blocks-{}.csv", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        let whole = read_tickets_csv(&bytes, "tickets.csv", &c).unwrap();
        for block in [4096, 100_000, 1 << 30] {
            let blocks = read_tickets_csv_file_in(block, &path, "tickets.csv", &c).unwrap();
            assert_eq!(blocks.rows_read, whole.rows_read);
            assert_eq!(blocks.tickets, whole.tickets);
            assert_eq!(blocks.rejections, whole.rejections);
            assert_eq!(blocks.warnings, whole.warnings);
            assert_eq!(blocks.notes, whole.notes);
            assert_eq!(blocks.files, whole.files);
        }
        assert!(whole.rejections.iter().any(|r| r.reason.starts_with("duplicate id")));
        assert!(whole.rejections.len() >= 2 && !whole.warnings.is_empty(), "{:?}", whole.rejections);
        // A header without a required column: that is the error, however many blocks follow.
        let rows = "1,incident,S\n".repeat(500);
        std::fs::write(&path, format!("id,type,school\n{rows}")).unwrap();
        for block in [16, 4096] {
            let e = read_tickets_csv_file_in(block, &path, "tickets.csv", &c).unwrap_err();
            assert!(e.message.starts_with("tickets.csv lacks required columns"), "{e:?}");
        }
        // An unclosed quote in a later block: that is the error.
        std::fs::write(&path, format!("{demo}X9,incident,\"S\n")).unwrap();
        let e = read_tickets_csv_file_in(4096, &path, "tickets.csv", &c).unwrap_err();
        assert!(e.message.contains("a quote opens a field there that is never closed"), "{e:?}");
        // Not UTF-8: read whole, as Windows-1252.
        let ansi = b"id,type,school,category,subcategory,summary,priority,opened_at\n1,incident,M\xE1xima,c,s,x,P4,2026-10-01T09:00\n";
        std::fs::write(&path, ansi).unwrap();
        let read = read_tickets_csv_file_in(16, &path, "tickets.csv", &c).unwrap();
        assert_eq!(read.tickets[0].school, "Máxima");
        assert!(read.notes.iter().any(|n| n.contains("Windows-1252")));
        // The UTF-8 mark, a header without a required column and a byte that is not UTF-8
        // after the first 4 KB: the byte is the error, as when the file is read whole.
        std::fs::write(&path, [b"\xEF\xBB\xBFid,type,school\n".as_slice(), &rows.as_bytes().repeat(4), b"2,incident,Caf\xE9\n"].concat()).unwrap();
        for block in [4096, 1 << 20] {
            let e = read_tickets_csv_file_in(block, &path, "tickets.csv", &c).unwrap_err();
            assert!(e.message.starts_with("tickets.csv starts with the UTF-8 mark (BOM), but line 2002 holds a byte"), "{e:?}");
        }
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_file_of_unreadable_rows_stops_with_an_error_not_with_the_memory() {
        // More than MAX_REJECTED_ROWS rows without a valid type, read whole and in blocks;
        // then as many rows that cannot be split (a field too many).
        let c = LoadedContract::embedded();
        let path = std::env::temp_dir().join(format!("slarapport-rejected-{}.csv", std::process::id()));
        let header = "id,type,school,category,subcategory,summary,priority,opened_at\n";
        let bad_type = format!("{header}{}", (0..crate::limits::MAX_REJECTED_ROWS + 10).map(|i| format!("T{i},x,S,c,s,x,P4,2026-10-01T09:00\n")).collect::<String>());
        let e = read_tickets_csv(bad_type.as_bytes(), "tickets.csv", &c).unwrap_err();
        assert!(e.message.starts_with("tickets.csv: more than 100000 rows are rejected, so slarapport stops reading it (the first: line 2, column type:"), "{e:?}");
        std::fs::write(&path, &bad_type).unwrap();
        for block in [1 << 16, 1 << 30] {
            let e = read_tickets_csv_file_in(block, &path, "tickets.csv", &c).unwrap_err();
            assert!(e.message.contains("more than 100000 rows are rejected") && e.message.contains("line 2, column type"), "{e:?}");
        }
        let too_wide = format!("{header}{}", "1,2,3,4,5,6,7,8,9\n".repeat(crate::limits::MAX_REJECTED_ROWS + 10));
        std::fs::write(&path, &too_wide).unwrap();
        for block in [1 << 16, 1 << 30] {
            let e = read_tickets_csv_file_in(block, &path, "tickets.csv", &c).unwrap_err();
            assert!(e.message.contains("more than 100000 rows are rejected") && e.message.contains("line 2, a row that cannot be split into the header's 8 fields"), "{e:?}");
        }
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn an_estimate_of_the_tickets_beyond_any_memory_is_no_error() {
        let mut v = Validation::new(&COLUMNS.iter().map(|c| c.to_string()).collect::<Vec<_>>(), "tickets.csv").unwrap();
        v.reserve(usize::MAX / 2);
        v.reserve(1 << 50);
        assert!(v.finish().tickets.is_empty());
    }

    #[test]
    fn repeated_ids_are_found_whatever_their_hashes() {
        let ids = ["a", "b", "a", "c", "b", "a", "d", "c", "e"];
        let expected = vec![(2, 0), (4, 1), (5, 0), (7, 3)];
        let real = |id: &str| std::hash::BuildHasher::hash_one(&foldhash::fast::FixedState::default(), id);
        assert_eq!(super::repeated_ids(&ids, real), expected);
        // Every id the same hash, or two hashes: told apart by their text.
        assert_eq!(super::repeated_ids(&ids, |_| 42), expected);
        assert_eq!(super::repeated_ids(&ids, |id| (id < "c") as u64), expected);
        assert_eq!(super::repeated_ids(&[], real), vec![]);
        // Many ids: the same as one table of every id.
        let many: Vec<String> = (0..50_000).map(|i| format!("T{}", (i * 7919) % 40_000)).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let mut seen = std::collections::HashMap::new();
        let one: Vec<(usize, usize)> = many.iter().enumerate().filter_map(|(k, id)| match seen.get(id) {
            Some(&first) => Some((k, first)),
            None => {
                seen.insert(*id, k);
                None
            }
        }).collect();
        assert_eq!(one.len(), 10_000);
        assert_eq!(super::repeated_ids(&many, real), one);
        assert_eq!(super::repeated_ids(&many, |id| id.len() as u64), one);
    }

    #[test]
    fn column_index_matches_the_column_list() {
        for (i, c) in COLUMNS.iter().enumerate() {
            assert_eq!(super::column_index(c), Some(i), "{c}");
        }
        assert_eq!(super::column_index("nope"), None);
    }

    use super::*;

    fn load(csv: &str) -> TicketIntake {
        read_tickets_csv(csv.as_bytes(), "tickets.csv", &LoadedContract::embedded()).unwrap()
    }

    const HEADER: &str = "id,type,school,category,impact,urgency,priority,channel,opened_at,responded_at,summary";

    #[test]
    fn priority_from_the_matrix_all_nine_cells() {
        let mut csv = String::from(HEADER) + "\n";
        let cells = [
            ("hoog", "hoog", "P1"), ("high", "gemiddeld", "P2"), ("high", "low", "P3"),
            ("gemiddeld", "high", "P2"), ("medium", "medium", "P3"), ("medium", "laag", "P4"),
            ("low", "high", "P3"), ("laag", "medium", "P4"), ("low", "low", "P4"),
        ];
        for (n, (i, u, _)) in cells.iter().enumerate() {
            csv += &format!("T{n},incident,School,werkplek,{i},{u},,phone,2026-10-05T09:00,,x\n");
        }
        let d = load(&csv);
        assert_eq!(d.rejections, vec![]);
        for (n, (_, _, p)) in cells.iter().enumerate() {
            assert_eq!(d.tickets[n].priority.key(), *p, "cell {n}");
        }
    }

    #[test]
    fn recorded_priority_counts_with_a_warning() {
        let d = load(&format!("{HEADER}\nT1,incident,S,netwerk,low,low,P2,email,2026-10-05T09:00,,x\n"));
        assert_eq!(d.tickets[0].priority, Priority::P2);
        assert_eq!(d.warnings.len(), 1);
        assert!(d.warnings[0].message.contains("differs from the matrix"));
    }

    #[test]
    fn p1_not_by_phone_is_a_warning() {
        let d = load(&format!("{HEADER}\nT1,incident,S,netwerk,,,P1,email,2026-10-05T09:00,,x\n"));
        assert_eq!(d.tickets.len(), 1);
        assert_eq!(d.warnings[0].column, "channel");
    }

    #[test]
    fn rejections_name_line_and_column() {
        let csv = format!(
            "{HEADER}\nT1,incident,S,netwerk,,,P3,email,2026-10-05T09:00,2026-10-05T08:00,ok\n\
             T2,storm,S,netwerk,,,P3,email,2026-10-05T09:00,,\"multi\nline\"\n\
             T3,incident,S,netwerk,,,P3,email,yesterday,,x\n\
             T4,incident,S,netwerk,,,P3,email,2026-10-05T09:00,,x\n\
             T4,incident,S,netwerk,,,P3,email,2026-10-05T09:00,,x\n\
             T5,incident,S,netwerk,,,,email,2026-10-05T09:00,,x\n"
        );
        let d = load(&csv);
        let got: Vec<(u64, &str)> = d.rejections.iter().map(|r| (r.line, r.column.as_str())).collect();
        assert_eq!(got, vec![(2, "responded_at"), (3, "type"), (5, "opened_at"), (7, "id"), (8, "impact")]);
        assert_eq!(d.rows_read, 6);
        assert_eq!(d.tickets.len(), 1);
        assert!(d.rejections[3].reason.contains("line 6"));
    }

    #[test]
    fn timestamps_local_and_with_offset() {
        let c = LoadedContract::embedded();
        let a = parse_timestamp("2026-10-05T09:00", &c).unwrap();
        let b = parse_timestamp("2026-10-05T07:00:00Z", &c).unwrap();
        let e = parse_timestamp("2026-10-05 09:00:00+02:00", &c).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, e);
        // In winter Amsterdam is UTC+1.
        assert_eq!(parse_timestamp("2026-11-05T09:00", &c).unwrap(), parse_timestamp("2026-11-05T08:00Z", &c).unwrap());
        assert!(parse_timestamp("2026-03-29T02:30", &c).unwrap_err().reason.contains("does not exist"));
    }

    #[test]
    fn semicolon_separated_is_read_and_a_ragged_row_is_explained() {
        let c = LoadedContract::embedded();
        let csv = "id;type;school;category;priority;opened_at\n1;incident;S;n;P1;2026-10-05T09:00\n";
        let d = read_tickets_csv(csv.as_bytes(), "t.csv", &c).unwrap();
        assert_eq!((d.tickets.len(), d.rejections.len()), (1, 0));
        // A row with fields too many is that row rejected, with its line; the rest is read.
        let csv = "id,type,school,category,priority,opened_at\n1,incident,S,n,P1,2026-10-05T09:00,extra,fields\n2,incident,S,n,P1,2026-10-05T09:00\n";
        let d = read_tickets_csv(csv.as_bytes(), "t.csv", &c).unwrap();
        assert_eq!((d.rows_read, d.tickets.len()), (2, 1));
        let r = &d.rejections[0];
        assert_eq!((r.line, r.code.as_str()), (2, "row_fields"));
        assert!(r.reason.contains("the row has 8 fields, the header has 6 columns"), "{}", r.reason);
        assert!(r.hint.contains("double quotes"), "{}", r.hint);
    }

    const SHORT: &str = "id,type,school,category,priority,opened_at,summary";

    #[test]
    fn an_inch_mark_in_an_unquoted_field_is_read_as_written() {
        let csv = format!("{SHORT}\nT1,incident,S,werkplek,P3,2026-10-05T09:00,Monitor 24\" flikkert\nT2,incident,S,werkplek,P3,2026-10-05T09:00,ok\n");
        let d = load(&csv);
        assert_eq!(d.rejections, vec![]);
        assert_eq!(d.tickets[0].summary, "Monitor 24\" flikkert");
        assert_eq!(d.tickets[1].line, 3);
        assert!(d.notes.iter().any(|n| n.contains("read as the character")), "{:?}", d.notes);
    }

    #[test]
    fn an_unclosed_quote_names_the_line_where_it_opens() {
        let mut csv = format!("{SHORT}\nT1,incident,S,werkplek,P3,2026-10-05T09:00,\"Monitor kapot\n");
        for i in 2..500 {
            csv += &format!("T{i},incident,S,werkplek,P3,2026-10-05T09:00,niets bijzonders\n");
        }
        let e = read_tickets_csv(csv.as_bytes(), "t.csv", &LoadedContract::embedded()).unwrap_err();
        assert!(e.message.contains("line 2") && e.message.contains("never closed"), "{e}");
        assert!(e.to_string().len() < 600, "the error does not quote the file: {e}");
    }

    #[test]
    fn line_ends_blank_lines_and_empty_rows() {
        let row = |id: &str| format!("{id},incident,S,werkplek,P3,2026-10-05T09:00,x");
        // CR-only line ends (old Mac): every row read.
        let csv = format!("{SHORT}\r{}\r{}\r", row("T1"), row("T2"));
        let d = load(&csv);
        assert_eq!((d.rows_read, d.tickets.len()), (2, 2));
        assert_eq!(d.tickets[1].line, 3);
        // Trailing blank, white and separator-only lines are no rows.
        let csv = format!("{SHORT}\n{}\n\n  \n,,,,,,\n\r\n\n", row("T1"));
        let d = load(&csv);
        assert_eq!((d.rows_read, d.tickets.len(), d.rejections.len()), (1, 1, 0), "{:?}", d.rejections);
        // A blank line before a field over two lines does not shift the lines after it.
        let csv = format!("{SHORT}\n{}\n\nT2,incident,S,werkplek,P3,2026-10-05T09:00,\"twee\nregels\"\nT3,storm,S,werkplek,P3,2026-10-05T09:00,x\n", row("T1"));
        let d = load(&csv);
        assert_eq!(d.tickets.iter().map(|t| t.line).collect::<Vec<_>>(), vec![2, 4]);
        assert_eq!(d.rejections[0].line, 6);
    }

    #[test]
    fn encodings_that_lie_are_named() {
        let c = LoadedContract::embedded();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(format!("{SHORT}\nT1,incident,Caf").as_bytes());
        bom.extend_from_slice(b"\xe9,werkplek,P3,2026-10-05T09:00,x\n");
        let e = read_tickets_csv(&bom, "t.csv", &c).unwrap_err();
        assert!(e.message.contains("UTF-8 mark") && e.message.contains("line 2"), "{e}");
        let utf16: Vec<u8> = format!("{SHORT}\nT1,incident,S,werkplek,P3,2026-10-05T09:00,x\n").encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let e = read_tickets_csv(&utf16, "t.csv", &c).unwrap_err();
        assert!(e.message.contains("UTF-16"), "{e}");
        // With its mark, UTF-16 is read.
        let mut marked = vec![0xFF, 0xFE];
        marked.extend_from_slice(&utf16);
        assert_eq!(read_tickets_csv(&marked, "t.csv", &c).unwrap().tickets.len(), 1);
    }

    #[test]
    fn impossible_times_are_rejected_and_odd_ones_warned() {
        let row = |id: &str, opened: &str, rest: &str| format!("{id},incident,S,werkplek,P3,{opened},x{rest}\n");
        let head = format!("{SHORT},responded_at,resolved_at,closed_at,rca_delivered_at\n");
        let csv = [
            head,
            row("T1", "2026-10-05T09:00+25:00", ",,,,"),
            row("T2", "2026-10-05T09:00+99:99", ",,,,"),
            row("T3", "0000-10-05T09:00", ",,,,"),
            row("T4", "-0001-10-05T09:00:00Z", ",,,,"),
            row("T5", "2026-10-05T09:00", ",9999-01-01T09:00,,,"),
            row("T6", "2026-10-05T09:00", ",,,2026-10-04T09:00,"),
            row("T7", "2026-10-05T09:00", ",,,,2026-10-01T09:00"),
            row("T8", "2026-10-05T09:00", ",,,,1999-10-01T09:00"),
            row("T9", "2026-10-05T09:00", ",2026-12-01T09:00,,,"),
        ]
        .concat();
        let d = load(&csv);
        let got: Vec<(u64, &str, &str)> = d.rejections.iter().map(|r| (r.line, r.column.as_str(), r.code.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (2, "opened_at", "bad_offset"),
                (3, "opened_at", "bad_offset"),
                (4, "opened_at", "year_out_of_range"),
                (5, "opened_at", "year_out_of_range"),
                (6, "responded_at", "year_out_of_range"),
                (8, "rca_delivered_at", "before_opened"),
                (9, "rca_delivered_at", "year_out_of_range"),
            ]
        );
        assert!(d.rejections[0].reason.contains("\"+25:00\" is not a UTC offset"), "{}", d.rejections[0].reason);
        // A closing before the opening costs the value, not the ticket: no figure uses it.
        assert_eq!(d.tickets.len(), 2);
        let w = &d.warnings[0];
        assert_eq!((w.line, w.code.as_str(), w.column.as_str(), w.ticket_id.as_str()), (7, "value_dropped", "closed_at", "T6"));
        assert!(w.message.contains("closed_at lies before opened_at (2026-10-05T09:00)"), "{}", w.message);
        // In a Dutch report it reads in Dutch.
        let nl = crate::i18n::Labels::embedded(crate::i18n::Lang::Nl).unwrap();
        let shown = w.localized(&nl);
        assert!(shown.starts_with("closed_at \"") && shown.contains("de waarde is weggelaten en het ticket telt mee"), "{shown}");
        assert_eq!(d.tickets[0].closed_at, None);
    }

    #[test]
    fn a_closing_time_no_figure_uses_is_dropped_not_the_ticket() {
        let row = |id: &str, rest: &str| format!("{id},incident,S,werkplek,P3,2026-03-26T10:00,x{rest}\n");
        let csv = [
            format!("{SHORT},resolved_at,closed_at\n"),
            // In the hour the clocks skip on 29 March 2026.
            row("T1", ",2026-03-27T09:00,2026-03-29T02:30"),
            row("T2", ",2026-03-27T09:00,gisteren"),
            row("T3", ",2026-03-27T09:00,2026-03-27T08:00"),
            row("T4", ",2026-03-27T09:00,2026-03-30T09:00"),
            // A used field in the gap still rejects its row, with a hint that names the setting.
            row("T5", ",2026-03-29T02:15,"),
        ]
        .concat();
        let d = load(&csv);
        let ids: Vec<&str> = d.tickets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, vec!["T1", "T2", "T3", "T4"]);
        assert_eq!(d.tickets.iter().map(|t| t.closed_at.is_some()).collect::<Vec<_>>(), vec![false, false, false, true]);
        let got: Vec<(u64, &str, &str)> = d.warnings.iter().map(|w| (w.line, w.ticket_id.as_str(), w.code.as_str())).collect();
        assert_eq!(got, vec![(2, "T1", "value_dropped"), (3, "T2", "value_dropped"), (4, "T3", "value_dropped")]);
        assert!(d.warnings[0].message.contains("does not exist in Europe/Amsterdam"), "{}", d.warnings[0].message);
        assert!(d.warnings[2].message.contains("closed_at lies before resolved_at (2026-03-27T09:00)"), "{}", d.warnings[2].message);
        assert!(d.notes.iter().any(|n| n == "tickets.csv: 3 value(s) of closed_at dropped, their tickets counted (unreadable, or before the opening or resolution; first on line 2; no figure uses it)"), "{:?}", d.notes);
        let r = &d.rejections[0];
        assert_eq!((r.line, r.column.as_str(), r.code.as_str()), (6, "resolved_at", "time_in_gap"));
        assert!(r.hint.contains("dst_gap = \"shift\""), "{}", r.hint);
    }

    #[test]
    fn a_huge_bad_value_is_cut_in_every_message() {
        let huge = "P".repeat(20 << 20);
        let d = load(&format!("{SHORT}\nT1,incident,S,werkplek,{huge},2026-10-05T09:00,x\n"));
        let r = &d.rejections[0];
        assert!(r.reason.len() < 1_000 && r.value.len() <= 800, "{} / {}", r.reason.len(), r.value.len());
        assert!(r.reason.contains("cut: 20971520 characters in all"), "{}", &r.reason);
        assert!(r.value.starts_with("PPPP") && r.value.ends_with("… (cut: 20971520 characters in all)"), "{}", r.value);
        assert!(r.args.values().all(|v| v.len() < 1_000));
        let json = serde_json::to_string(&d.rejections).unwrap();
        assert!(json.len() < 5_000, "{}", json.len());
    }

    #[test]
    fn windows_1252_is_read_with_a_note() {
        // "Café" and "Ümit" in Windows-1252 bytes, semicolon-separated: as Dutch Excel saves.
        let c = LoadedContract::embedded();
        let mut csv = b"id;type;school;category;summary;priority;opened_at\n1;incident;Caf".to_vec();
        csv.extend_from_slice(b"\xe9 De Brug;netwerk;\xdcmit kan niet inloggen;P3;2026-10-05T09:00\n");
        let d = read_tickets_csv(&csv, "t.csv", &c).unwrap();
        assert_eq!(d.rejections, vec![]);
        assert_eq!(d.tickets[0].school, "Café De Brug");
        assert_eq!(d.tickets[0].summary, "Ümit kan niet inloggen");
        assert!(d.notes.iter().any(|n| n.contains("read as Windows-1252")), "{:?}", d.notes);
        assert_eq!(d.files[0].sha256, crate::digest::sha256_hex(&csv), "the hash is that of the file's bytes");
    }

    #[test]
    fn missing_required_column_is_an_error() {
        let e = read_tickets_csv(b"id,type,school\n1,incident,S\n", "tickets.csv", &LoadedContract::embedded()).unwrap_err();
        assert!(e.message.contains("category") && e.message.contains("opened_at"), "{e}");
    }

    #[test]
    fn extra_columns_are_noted_and_order_is_free() {
        let d = load("opened_at,priority,foo,id,type,school,category\n2026-10-05T09:00,P4,bar,A,change,S,netwerk\n");
        assert_eq!(d.tickets.len(), 1);
        assert!(d.notes[0].contains("foo"));
    }
}
