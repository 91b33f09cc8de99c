//! Volume tables at real and extreme sizes: 1 to 200 categories, 1 to 500 schools, names of
//! 100 characters. The PDF is read back word by word (`pdftotext -bbox-layout`): no word may
//! overlap another or leave the page's margins, and the page count stays bounded; the annex
//! keeps every school and category.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use common::{run, tmp};

/// A name of exactly 100 characters: half of them one unbroken word (as codes and names
/// glued together in exports are), half ordinary words.
fn long_name(kind: &str, i: usize) -> String {
    let base = format!("{kind} {i} ");
    let tail = if i % 2 == 1 { "Verylongunbrokenword".repeat(5) } else { "met een heel lange naam die maar doorgaat ".repeat(3) };
    format!("{base}{tail}").chars().take(100).collect()
}

/// `tickets.csv` with incidents spread over `categories` × `schools` (every school and every
/// category has at least one), all opened and resolved in October 2026.
fn write_data(dir: &Path, categories: usize, schools: usize, long: bool) -> usize {
    let name = |kind: &str, i: usize| if long { long_name(kind, i) } else { format!("{kind} {i}") };
    let n = categories.max(schools) * 2;
    let mut csv = String::from("id,type,school,category,priority,opened_at,responded_at,resolved_at\n");
    for k in 0..n {
        let (c, s, day) = (k % categories + 1, (k * 7) % schools + 1, k % 28 + 1);
        writeln!(
            csv,
            "T{k},incident,\"{}\",\"{}\",P3,2026-10-{day:02}T10:00,2026-10-{day:02}T10:30,2026-10-{day:02}T12:00",
            name("Location", s),
            name("Category", c)
        )
        .unwrap();
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("tickets.csv"), csv).unwrap();
    n
}

#[derive(Debug, Clone, Copy)]
struct Word {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// Per page, its width and its words with their boxes (`pdftotext -bbox-layout`).
fn pages(pdf: &Path) -> Vec<(f64, Vec<(Word, String)>)> {
    let o = Command::new("pdftotext").arg("-bbox-layout").arg(pdf).arg("-").output().expect("pdftotext");
    assert!(o.status.success());
    let html = String::from_utf8(o.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
    };
    let mut out = Vec::new();
    for page in html.split("<page ").skip(1) {
        let width = attr(page, "width");
        let mut words = Vec::new();
        for w in page.split("<word ").skip(1) {
            let (tag, rest) = w.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap().to_string();
            words.push((Word { x0: attr(tag, "xMin"), y0: attr(tag, "yMin"), x1: attr(tag, "xMax"), y1: attr(tag, "yMax") }, text));
        }
        out.push((width, words));
    }
    out
}

/// No two words overlap (beyond a rounding's width) and every word lies within the margins.
fn assert_readable(pdf: &Path, what: &str) -> usize {
    let pages = pages(pdf);
    for (p, (width, words)) in pages.iter().enumerate() {
        for (i, (a, ta)) in words.iter().enumerate() {
            assert!(a.x0 >= 40.0 && a.x1 <= width - 40.0, "{what}, page {}: {ta:?} leaves the margin ({a:?})", p + 1);
            for (b, tb) in &words[i + 1..] {
                let dx = a.x1.min(b.x1) - a.x0.max(b.x0);
                let dy = a.y1.min(b.y1) - a.y0.max(b.y0);
                // A word's box spans its font's ascent and descent: lines of different sizes
                // touch by a little without their letters meeting.
                let slack = 0.25 * (a.y1 - a.y0).min(b.y1 - b.y0);
                assert!(dx <= 0.5 || dy <= slack, "{what}, page {}: {ta:?} overlaps {tb:?} ({a:?} {b:?})", p + 1);
            }
        }
    }
    pages.len()
}

#[test]
fn volume_tables_stay_readable_at_any_width_and_length() {
    let root = tmp("wide-tables");
    // (categories, schools, 100-character names, most pages the monthly report may have)
    // (the bounds include the chapter on complaints and escalations, present without logs too,
    // and the chapter Toelichting en acties, which lists the unexplained KPIs and P1s)
    let cases = [(1, 1, false, 18), (10, 50, false, 20), (40, 50, true, 21), (200, 500, true, 23), (200, 1, true, 18), (1, 500, false, 21)];
    for (categories, schools, long, max_pages) in cases {
        let what = format!("{categories} categories × {schools} schools{}", if long { ", long names" } else { "" });
        let data = root.join(format!("d{categories}x{schools}"));
        let tickets = write_data(&data, categories, schools, long);
        let out = root.join(format!("o{categories}x{schools}"));
        let o = run(&["monthly", "--data", data.to_str().unwrap(), "--period", "2026-10", "--today", "2026-11-03", "--out", out.to_str().unwrap()]);
        assert!(o.status.code() == Some(0), "{what}: {}", common::text(&o));
        let pdf = out.join("2026-10/sla-rapportage-2026-10.pdf");
        let n = assert_readable(&pdf, &what);
        assert!(n <= max_pages, "{what}: {n} pages");

        // The PDF summarises: at most 8 categories of their own (9 when that is all), an
        // "other" column naming how many it sums; at most 60 schools plus one row of the rest.
        let text = common::pdftotext(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("2026-10/sla-rapportage-2026-10.json")).unwrap()).unwrap();
        let t = &json["volumes"]["incidents_by_school_category"];
        let v = &t["shown"];
        assert_eq!(t["rows"].as_array().unwrap().len(), schools, "{what}");
        assert_eq!(t["columns"].as_array().unwrap().len(), categories, "{what}");
        assert_eq!(t["total"], tickets, "{what}");
        let shown_columns = v["columns"].as_array().unwrap().len();
        if categories <= 9 {
            assert_eq!((shown_columns, v["other_columns"].as_u64()), (categories, Some(0)), "{what}");
        } else {
            assert_eq!((shown_columns as u64, v["other_columns"].as_u64().unwrap()), (8, categories as u64 - 8), "{what}");
            assert!(text.contains(&format!("overige {}", categories - 8)), "{what}");
        }
        if schools <= 61 {
            assert!(v["other_rows"].is_null(), "{what}");
            assert_eq!(v["rows"].as_array().unwrap().len(), schools, "{what}");
        } else {
            assert_eq!(v["rows"].as_array().unwrap().len(), 60, "{what}");
            assert_eq!(v["other_rows"]["rows"], schools - 60, "{what}");
            assert!(text.contains(&format!("Overige {} scholen", schools - 60)), "{what}");
            assert!(text.contains("De volledige tabel staat in de bijlage."), "{what}");
        }
        // Every figure of the view adds up to the table's total.
        let sum = |row: &serde_json::Value| row["cells"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).sum::<u64>() + row["other"].as_u64().unwrap();
        let mut rows_total = v["rows"].as_array().unwrap().iter().map(|r| {
            assert_eq!(sum(r), r["total"].as_u64().unwrap());
            sum(r)
        }).sum::<u64>();
        if !v["other_rows"].is_null() {
            rows_total += sum(&v["other_rows"]);
        }
        assert_eq!((rows_total, sum(&v["totals"])), (tickets as u64, tickets as u64), "{what}");
    }

    // The quarterly report of the widest month: its school table summarised the same way.
    let data = root.join("d200x500");
    let out = root.join("q");
    let o = run(&["quarterly", "--data", data.to_str().unwrap(), "--period", "2026-Q4", "--today", "2027-01-05", "--out", out.to_str().unwrap()]);
    assert!(o.status.code() == Some(0), "{}", common::text(&o));
    let pdf = out.join("2026-Q4/kwartaalrapportage-2026-Q4.pdf");
    let n = assert_readable(&pdf, "quarterly, 200 × 500");
    assert!(n <= 16, "{n} pages");
    assert!(common::pdftotext(&pdf).contains("Overige 440 scholen"));
    let _ = std::fs::remove_dir_all(&root);
}
