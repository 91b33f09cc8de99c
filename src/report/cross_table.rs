//! Cross tables of ticket counts: the sparse school × category table (kept by the cells that
//! hold tickets, so its cost follows the tickets), the view of it the PDF prints (the largest
//! columns and rows, the rest summed), and the small dense tables (type × priority, type ×
//! month) with their rows in a given order.

use crate::natural::natural_cmp;
use crate::report::model::*;

/// A hash map with a fast, fixed hash, for counting by text keys (the order of the output
/// never comes from it: keys are sorted before they are shown).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
/// The set to [`FastMap`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

/// Counts per (row, column) pair, kept by the cells that hold tickets (a hash map over the
/// pairs seen, then one list per row): the cost follows the tickets, never rows × columns.
/// `columns` come first, in their given order (also those without tickets); a column met in
/// the items but not given follows, in natural order. Rows in natural order.
pub(crate) fn sparse_cross_table<'t>(items: impl Iterator<Item = (&'t str, &'t str)>, columns: &[String]) -> SparseCrossTable {
    let mut counts: FastMap<(&str, &str), u64> = FastMap::default();
    for (r, c) in items {
        *counts.entry((r, c)).or_default() += 1;
    }
    let mut column_of: FastMap<&str, u32> = columns.iter().enumerate().map(|(j, c)| (c.as_str(), j as u32)).collect();
    let mut all_columns = columns.to_vec();
    let mut extra: Vec<&str> =
        counts.keys().map(|(_, c)| *c).filter(|c| !column_of.contains_key(c)).collect::<FastSet<_>>().into_iter().collect();
    extra.sort_by(|a, b| natural_cmp(a, b));
    for c in extra {
        column_of.insert(c, all_columns.len() as u32);
        all_columns.push(c.to_string());
    }
    let mut rows: Vec<&str> = counts.keys().map(|(r, _)| *r).collect::<FastSet<_>>().into_iter().collect();
    rows.sort_by(|a, b| natural_cmp(a, b));
    let row_of: FastMap<&str, usize> = rows.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let mut cells: Vec<Vec<(u32, u64)>> = vec![Vec::new(); rows.len()];
    for ((r, c), n) in counts {
        cells[row_of[r]].push((column_of[c], n));
    }
    let mut column_totals = vec![0u64; all_columns.len()];
    let row_totals: Vec<u64> = cells
        .iter_mut()
        .map(|row| {
            row.sort_unstable();
            row.iter().map(|&(j, n)| {
                column_totals[j as usize] += n;
                n
            })
            .sum()
        })
        .collect();
    let total = row_totals.iter().sum();
    let mut t = SparseCrossTable {
        rows: rows.into_iter().map(String::from).collect(),
        columns: all_columns,
        cells,
        row_totals,
        column_totals,
        total,
        shown: CrossView { columns: vec![], other_columns: 0, rows: vec![], other_rows: None, totals: view_row(String::new(), 0, 0, 0), row_order: String::new() },
    };
    t.shown = cross_view(&t, VIEW_COLUMNS, VIEW_ROWS);
    t
}

/// How many columns of a school × category table the PDF shows (the template's column widths
/// are made for this many, an "other" column and the total on an A4 page), and how many rows.
/// One more than the limit is shown as it is (an "other" of one would hide a name for nothing).
pub(crate) const VIEW_COLUMNS: usize = 8;
pub(crate) const VIEW_ROWS: usize = 60;

fn view_row(name: String, rows: u64, columns: usize, total: u64) -> CrossViewRow {
    CrossViewRow { name, rows, cells: vec![0; columns], other: 0, total }
}

/// What fits a page of `t`: at most `max_columns` columns and `max_rows` rows, the largest
/// (ties in name order), the others summed. When everything fits, the table as it is.
pub(crate) fn cross_view(t: &SparseCrossTable, max_columns: usize, max_rows: usize) -> CrossView {
    // The largest first, ties in the table's (natural) order.
    let largest = |totals: &[u64], n: usize| -> Vec<usize> {
        let mut order: Vec<usize> = (0..totals.len()).collect();
        order.sort_by(|&a, &b| totals[b].cmp(&totals[a]).then(a.cmp(&b)));
        order.truncate(n);
        order
    };
    let shown_columns: Vec<usize> =
        if t.columns.len() <= max_columns + 1 { (0..t.columns.len()).collect() } else { largest(&t.column_totals, max_columns) };
    let mut slot: Vec<Option<usize>> = vec![None; t.columns.len()];
    for (k, &j) in shown_columns.iter().enumerate() {
        slot[j] = Some(k);
    }
    let all_rows = t.rows.len() <= max_rows + 1;
    let shown_rows: Vec<usize> = if all_rows { (0..t.rows.len()).collect() } else { largest(&t.row_totals, max_rows) };
    let n = shown_columns.len();
    let add = |into: &mut CrossViewRow, i: usize| {
        for &(j, c) in &t.cells[i] {
            match slot[j as usize] {
                Some(k) => into.cells[k] += c,
                None => into.other += c,
            }
        }
    };
    let rows = shown_rows
        .iter()
        .map(|&i| {
            let mut row = view_row(t.rows[i].clone(), 1, n, t.row_totals[i]);
            add(&mut row, i);
            row
        })
        .collect();
    let other_rows = (!all_rows).then(|| {
        let mut is_shown = vec![false; t.rows.len()];
        for &i in &shown_rows {
            is_shown[i] = true;
        }
        let mut other = view_row(String::new(), (t.rows.len() - shown_rows.len()) as u64, n, 0);
        for i in (0..t.rows.len()).filter(|&i| !is_shown[i]) {
            add(&mut other, i);
            other.total += t.row_totals[i];
        }
        other
    });
    let mut totals = view_row(String::new(), t.rows.len() as u64, n, t.total);
    for (j, &c) in t.column_totals.iter().enumerate() {
        match slot[j] {
            Some(k) => totals.cells[k] += c,
            None => totals.other += c,
        }
    }
    CrossView {
        columns: shown_columns.iter().map(|&j| t.columns[j].clone()).collect(),
        other_columns: (t.columns.len() - n) as u64,
        rows,
        other_rows,
        totals,
        row_order: if all_rows { "name" } else { "volume" }.into(),
    }
}

impl SparseCrossTable {
    /// Every cell, zeros included: only for tables known to be small (a few columns).
    pub(crate) fn to_dense(&self) -> CrossTable {
        let cells = self
            .cells
            .iter()
            .map(|row| {
                let mut dense = vec![0; self.columns.len()];
                for &(j, n) in row {
                    dense[j as usize] = n;
                }
                dense
            })
            .collect();
        CrossTable {
            rows: self.rows.clone(),
            columns: self.columns.clone(),
            cells,
            row_totals: self.row_totals.clone(),
            column_totals: self.column_totals.clone(),
            total: self.total,
        }
    }
}

/// A small cross table with every cell (types × priorities, types or schools × months).
pub(crate) fn cross_table<'t>(items: impl Iterator<Item = (&'t str, &'t str)>, all_columns: &[String]) -> CrossTable {
    sparse_cross_table(items, all_columns).to_dense()
}

/// `t` with its rows in `order` (a row not in `t` is all zeros).
pub(crate) fn reorder_rows(t: CrossTable, order: &[String]) -> CrossTable {
    let n = t.columns.len();
    let mut cells = Vec::new();
    let mut row_totals = Vec::new();
    for r in order {
        match t.rows.iter().position(|x| x == r) {
            Some(i) => {
                cells.push(t.cells[i].clone());
                row_totals.push(t.row_totals[i]);
            }
            None => {
                cells.push(vec![0; n]);
                row_totals.push(0);
            }
        }
    }
    CrossTable { rows: order.to_vec(), columns: t.columns, cells, row_totals, column_totals: t.column_totals, total: t.total }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_cross_table_keeps_the_cells_with_tickets_in_natural_order() {
        let items = [("S2", "a"), ("S10", "a"), ("S10", "b"), ("S1", "c"), ("S10", "a")];
        let t = sparse_cross_table(items.into_iter(), &strings(&["a", "b", "c"]));
        assert_eq!(t.rows, ["S1", "S2", "S10"]);
        assert_eq!(t.cells, [vec![(2, 1)], vec![(0, 1)], vec![(0, 2), (1, 1)]]);
        assert_eq!((t.row_totals.as_slice(), t.column_totals.as_slice(), t.total), (&[1, 1, 3][..], &[3, 1, 1][..], 5));
        // Everything fits: the view is the table.
        assert_eq!(t.shown.columns, ["a", "b", "c"]);
        assert_eq!((t.shown.other_columns, t.shown.other_rows.is_none(), t.shown.row_order.as_str()), (0, true, "name"));
        assert_eq!(t.shown.rows[2].cells, [2, 1, 0]);
        // A column met in the data but not given follows the given ones, in natural order.
        let t = sparse_cross_table(items.into_iter(), &strings(&["b"]));
        assert_eq!(t.columns, ["b", "a", "c"]);
        assert_eq!(t.cells[2], [(0, 1), (1, 2)]);
        assert_eq!(t.to_dense().cells, [vec![0, 0, 1], vec![0, 1, 0], vec![1, 2, 0]]);
    }

    #[test]
    fn the_view_shows_the_largest_and_sums_the_rest() {
        let items = [("S2", "a"), ("S10", "a"), ("S10", "b"), ("S1", "c"), ("S10", "a")];
        let t = sparse_cross_table(items.into_iter(), &strings(&["a", "b", "c"]));
        let v = cross_view(&t, 1, 1);
        assert_eq!((v.columns.as_slice(), v.other_columns, v.row_order.as_str()), (&strings(&["a"])[..], 2, "volume"));
        assert_eq!(v.rows.len(), 1);
        let r = &v.rows[0];
        assert_eq!((r.name.as_str(), r.rows, r.cells.as_slice(), r.other, r.total), ("S10", 1, &[2][..], 1, 3));
        // S1 (c: 1) and S2 (a: 1) summed.
        let o = v.other_rows.unwrap();
        assert_eq!((o.rows, o.cells.as_slice(), o.other, o.total), (2, &[1][..], 1, 2));
        assert_eq!((v.totals.rows, v.totals.cells.as_slice(), v.totals.other, v.totals.total), (3, &[3][..], 2, 5));
        // One more than the limit is shown as it is.
        let v = cross_view(&t, 2, 2);
        assert_eq!((v.columns.len(), v.rows.len(), v.other_columns, v.other_rows.is_none()), (3, 3, 0, true));
        // The largest row first; every row summed when none is shown.
        let t2 = sparse_cross_table([("S2", "a"), ("S1", "a"), ("S3", "a"), ("S3", "a")].into_iter(), &strings(&["a"]));
        let v2 = cross_view(&t2, 9, 1);
        assert_eq!(v2.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["S3"]);
        let v3 = cross_view(&t2, 9, 0);
        assert_eq!(v3.other_rows.unwrap().total, 4);
    }

    #[test]
    fn a_sparse_table_of_two_thousand_by_two_thousand_holds_only_its_tickets() {
        let names: Vec<(String, String)> = (0..4000).map(|i| (format!("School {}", i % 2000), format!("Category {}", (i * 7 + i / 2000) % 2000))).collect();
        let mut columns: Vec<String> = names.iter().map(|(_, c)| c.clone()).collect::<FastSet<_>>().into_iter().collect();
        columns.sort_by(|a, b| natural_cmp(a, b));
        let t = sparse_cross_table(names.iter().map(|(s, c)| (s.as_str(), c.as_str())), &columns);
        assert_eq!((t.rows.len(), t.columns.len(), t.total), (2000, 2000, 4000));
        // Two tickets per school, in two different categories: 4,000 cells, not 4,000,000.
        assert_eq!(t.cells.iter().map(Vec::len).sum::<usize>(), 4000);
        assert!(t.cells.iter().all(|r| r.capacity() <= 4));
        assert_eq!((t.rows[0].as_str(), t.rows[2].as_str(), t.rows[10].as_str()), ("School 0", "School 2", "School 10"));
        assert_eq!((t.shown.columns.len(), t.shown.other_columns, t.shown.rows.len()), (VIEW_COLUMNS, 2000 - VIEW_COLUMNS as u64, VIEW_ROWS));
        // The JSON of it stays small (a dense matrix would be some 8 MB of zeros).
        assert!(serde_json::to_vec(&t).unwrap().len() < 400_000);
    }
}
