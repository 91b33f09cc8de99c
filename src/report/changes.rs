//! What changed between two versions of a report, and why — for the rerun before the
//! tactical meeting (a corrected export makes the figures on the table differ from the ones
//! in the mail) and for `slarapport diff`.
//!
//! The comparison reads both versions as their JSON (`serde_json::Value`), so a report made
//! by an older version of the tool, with fewer fields, or a later one with more, still
//! compares on what both have: the headline figures (`summary`), the attainment rows, every
//! KPI's achievement, the domain scores and their malus bands, and — the why — ticket by
//! ticket, from the `tickets` list (each ticket's evaluation) and the rejected rows.
//!
//! Invariant: the result depends only on the two documents (sorted lists, no clock), so the
//! same rerun gives the same bytes; an empty result means "nothing that a reader of the
//! figures could find different".

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

/// The changes of a report against the version it replaces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Changes {
    /// The date the earlier version was made (its `meta.generated_on`).
    pub against_generated_on: String,
    /// Figures that changed, in report order: `summary`, `attainment`, `kpi`, `domain`,
    /// `malus`.
    pub figures: Vec<FigureChange>,
    /// Every ticket that explains a change, sorted by ticket id and kind.
    pub tickets: Vec<TicketChange>,
    /// How many of each kind (`added`, `priority`, …).
    pub ticket_counts: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureChange {
    /// `summary`, `attainment`, `kpi`, `domain` or `malus`.
    pub group: String,
    /// A summary field (`response_pct`), an attainment row (`response.incident.P1`), a KPI id
    /// (`response_time`), a domain number (`2`).
    pub key: String,
    /// The KPI's or domain's name as the report gives it; empty where labels name the figure.
    pub name: String,
    /// `pct` (a percentage) or `count`.
    pub unit: String,
    /// `None`: no figure (no data) in that version.
    pub old: Option<f64>,
    pub new: Option<f64>,
}

/// One reason a figure changed: what happened to one ticket (or one rejected row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketChange {
    /// Empty for a rejected row that names no ticket.
    pub ticket_id: String,
    /// `added`, `removed`, `rejected`, `no_longer_rejected`, `priority`, `type`, `opened`,
    /// `response_recorded`, `response_changed`, `response_removed`, `resolution_recorded`,
    /// `resolution_changed`, `resolution_removed`, `excluded`, `no_longer_excluded`,
    /// `evaluation` (only the verdict changed, e.g. under another contract).
    pub kind: String,
    /// The value before and after (a priority, a time, a counting reason, a rejection's
    /// `file:line column: reason`).
    pub old: Option<String>,
    pub new: Option<String>,
    pub summary: String,
    /// The ticket's verdicts (`met`, `breached`, `not_yet_due`) before and after; `None`
    /// where that version does not list the ticket.
    pub response_status_old: Option<String>,
    pub response_status_new: Option<String>,
    pub resolution_status_old: Option<String>,
    pub resolution_status_new: Option<String>,
}

impl Changes {
    /// Nothing changed that a reader of the figures could see.
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty() && self.tickets.is_empty()
    }
}

/// The order of the ticket kinds within one ticket.
const KINDS: &[&str] = &[
    "added",
    "no_longer_rejected",
    "removed",
    "rejected",
    "excluded",
    "no_longer_excluded",
    "type",
    "priority",
    "opened",
    "response_recorded",
    "response_changed",
    "response_removed",
    "resolution_recorded",
    "resolution_changed",
    "resolution_removed",
    "evaluation",
];

fn kind_rank(k: &str) -> usize {
    KINDS.iter().position(|x| *x == k).unwrap_or(KINDS.len())
}

/// The first of `keys` that `v` has (a monthly report's `summary`, a quarterly's
/// `quarter_summary`).
fn first<'v>(v: &'v Value, keys: &[&str]) -> &'v Value {
    keys.iter().map(|k| &v[*k]).find(|x| !x.is_null()).unwrap_or(&Value::Null)
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Compares two versions of a report (their JSON documents).
pub fn compare(old: &Value, new: &Value) -> Changes {
    let mut figures = Vec::new();
    let mut push = |group: &str, key: String, name: String, unit: &str, a: Option<f64>, b: Option<f64>| {
        if a != b {
            figures.push(FigureChange { group: group.into(), key, name, unit: unit.into(), old: a, new: b });
        }
    };

    // Headline figures: every number of the summary (fields added later included).
    let (so, sn) = (first(old, &["summary", "quarter_summary"]), first(new, &["summary", "quarter_summary"]));
    // By name (the order of a JSON object is not the report's order in every reader).
    let keys: BTreeSet<&String> = so.as_object().into_iter().chain(sn.as_object()).flat_map(|o| o.keys()).collect();
    for k in keys {
        let (a, b) = (&so[k.as_str()], &sn[k.as_str()]);
        if !(a.is_number() || b.is_number()) {
            continue;
        }
        let unit = if k.ends_with("_pct") { "pct" } else { "count" };
        push("summary", k.clone(), String::new(), unit, num(a), num(b));
    }

    // Attainment per type and priority, per type, overall.
    for measure in ["response", "resolution"] {
        let rows = |v: &Value| -> Vec<(String, Option<f64>)> {
            v["attainment"][measure]
                .as_array()
                .map(|rows| {
                    rows.iter()
                        .map(|r| (format!("{measure}.{}.{}", r["ticket_type"].as_str().unwrap_or(""), r["priority"].as_str().unwrap_or("")), num(&r["pct"])))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (ro, rn) = (rows(old), rows(new));
        let old_map: BTreeMap<&str, Option<f64>> = ro.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let new_keys: BTreeSet<&str> = rn.iter().map(|(k, _)| k.as_str()).collect();
        for (k, b) in &rn {
            push("attainment", k.clone(), String::new(), "pct", old_map.get(k.as_str()).copied().flatten(), *b);
        }
        for (k, a) in &ro {
            if !new_keys.contains(k.as_str()) {
                push("attainment", k.clone(), String::new(), "pct", *a, None);
            }
        }
    }

    // KPI achievements, domain scores, malus bands.
    let domains = |v: &Value| -> Vec<Value> {
        first(v, &["kpis", "kpi_quarter"])["domains"].as_array().cloned().unwrap_or_default()
    };
    let (dold, dnew) = (domains(old), domains(new));
    let number = |d: &Value| d["number"].as_u64().map(|n| n.to_string()).unwrap_or_else(|| text(&d["id"]).unwrap_or_default());
    let find = |list: &[Value], n: &str| list.iter().find(|d| number(d) == n).cloned().unwrap_or(Value::Null);
    let mut numbers: Vec<String> = dnew.iter().map(number).collect();
    numbers.extend(dold.iter().map(number).filter(|n| !dnew.iter().any(|d| number(d) == *n)));
    for n in &numbers {
        let (a, b) = (find(&dold, n), find(&dnew, n));
        let dname = text(&b["name"]).or_else(|| text(&a["name"])).unwrap_or_default();
        let kpi_ids = |d: &Value| -> Vec<String> {
            d["kpis"].as_array().map(|k| k.iter().filter_map(|k| text(&k["id"])).collect()).unwrap_or_default()
        };
        let mut ids = kpi_ids(&b);
        ids.extend(kpi_ids(&a).into_iter().filter(|i| !kpi_ids(&b).contains(i)));
        let kpi = |d: &Value, id: &str| {
            d["kpis"].as_array().and_then(|k| k.iter().find(|k| k["id"].as_str() == Some(id)).cloned()).unwrap_or(Value::Null)
        };
        for id in &ids {
            let (ka, kb) = (kpi(&a, id), kpi(&b, id));
            let name = text(&kb["name"]).or_else(|| text(&ka["name"])).unwrap_or_default();
            push("kpi", id.clone(), name, "pct", num(&ka["achievement_pct"]), num(&kb["achievement_pct"]));
        }
        push("domain", n.clone(), dname.clone(), "pct", num(&a["score_pct"]), num(&b["score_pct"]));
        push("malus", n.clone(), dname, "pct", num(&a["band_malus_pct"]), num(&b["band_malus_pct"]));
    }
    // Domain figures after their KPIs read well per domain; the reader wants the groups.
    let group_rank = |g: &str| ["summary", "attainment", "kpi", "domain", "malus"].iter().position(|x| *x == g).unwrap_or(9);
    figures.sort_by_key(|f| group_rank(&f.group));

    let tickets = ticket_changes(old, new);
    let mut ticket_counts = BTreeMap::new();
    for t in &tickets {
        *ticket_counts.entry(t.kind.clone()).or_default() += 1;
    }
    Changes {
        against_generated_on: text(&old["meta"]["generated_on"]).unwrap_or_default(),
        figures,
        tickets,
        ticket_counts,
    }
}

/// A rejected row: its key and how it is shown. A monthly report lists them under
/// `data_quality`, a quarterly report's JSON at its top level.
fn rejections(v: &Value) -> BTreeMap<(String, u64, String), String> {
    let listed = if v["data_quality"]["rejections"].is_array() { &v["data_quality"]["rejections"] } else { &v["rejections"] };
    listed
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| {
                    let file = r["file"].as_str().unwrap_or("").to_string();
                    let line = r["line"].as_u64().unwrap_or(0);
                    let column = r["column"].as_str().unwrap_or("").to_string();
                    let shown = format!("{file}:{line} {column}: {}", r["reason"].as_str().unwrap_or(""));
                    ((file, line, column), shown)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The ticket-by-ticket reasons: tickets added or removed (rejected now or no longer),
/// priority, type or opening changed, response or resolution recorded, changed or removed,
/// excluded now or no longer, and rejected rows that came or went.
fn ticket_changes(old: &Value, new: &Value) -> Vec<TicketChange> {
    // Borrowed: a report of a million tickets holds them once, not twice.
    fn rows(v: &Value) -> BTreeMap<&str, &Value> {
        v["tickets"].as_array().map(|ts| ts.iter().filter_map(|t| Some((t["ticket_id"].as_str()?, t))).collect()).unwrap_or_default()
    }
    let (to, tn) = (rows(old), rows(new));
    let (mut ro, mut rn) = (rejections(old), rejections(new));
    // Rejected rows present in both versions explain nothing.
    let both: Vec<_> = ro.keys().filter(|k| rn.contains_key(*k)).cloned().collect();
    for k in both {
        ro.remove(&k);
        rn.remove(&k);
    }
    // A rejected row of the ticket's own line (first one by column).
    fn take_line(r: &mut BTreeMap<(String, u64, String), String>, line: Option<u64>) -> Option<String> {
        let line = line?;
        let k = r.keys().find(|(_, l, _)| *l == line).cloned()?;
        r.remove(&k)
    }
    let ids: BTreeSet<&str> = to.keys().chain(tn.keys()).copied().collect();
    let mut out = Vec::new();
    for id in ids {
        let (a, b) = (to.get(id).copied(), tn.get(id).copied());
        let row = |kind: &str, old: Option<String>, new: Option<String>| TicketChange {
            ticket_id: id.to_string(),
            kind: kind.into(),
            old,
            new,
            summary: b.or(a).and_then(|t| text(&t["summary"])).unwrap_or_default(),
            response_status_old: a.and_then(|t| text(&t["response_status"])),
            response_status_new: b.and_then(|t| text(&t["response_status"])),
            resolution_status_old: a.and_then(|t| text(&t["resolution_status"])),
            resolution_status_new: b.and_then(|t| text(&t["resolution_status"])),
        };
        match (a, b) {
            (None, Some(t)) => match take_line(&mut ro, t["line"].as_u64()) {
                Some(was) => out.push(row("no_longer_rejected", Some(was), text(&t["counting"]))),
                None => out.push(row("added", None, text(&t["counting"]))),
            },
            (Some(t), None) => match take_line(&mut rn, t["line"].as_u64()) {
                Some(now) => out.push(row("rejected", text(&t["counting"]), Some(now))),
                None => out.push(row("removed", text(&t["counting"]), None)),
            },
            (Some(a), Some(b)) => {
                let before = out.len();
                let (ca, cb) = (text(&a["counting"]), text(&b["counting"]));
                if ca != cb {
                    let kind = if cb.as_deref() == Some("counted") { "no_longer_excluded" } else { "excluded" };
                    out.push(row(kind, ca, cb));
                }
                for (field, kind) in [("ticket_type", "type"), ("priority", "priority"), ("opened_at", "opened")] {
                    if a[field] != b[field] {
                        out.push(row(kind, text(&a[field]), text(&b[field])));
                    }
                }
                for (field, what) in [("responded_at", "response"), ("resolved_at", "resolution")] {
                    let (x, y) = (text(&a[field]), text(&b[field]));
                    let kind = match (&x, &y) {
                        (None, Some(_)) => "recorded",
                        (Some(_), None) => "removed",
                        _ if x != y => "changed",
                        _ => continue,
                    };
                    out.push(row(&format!("{what}_{kind}"), x, y));
                }
                let verdict = |t: &Value| (t["response_status"].clone(), t["resolution_status"].clone());
                if out.len() == before && verdict(a) != verdict(b) {
                    out.push(row("evaluation", None, None));
                }
            }
            (None, None) => {}
        }
    }
    // Rejected rows that name no listed ticket.
    let reject = |kind: &str, shown: String| TicketChange {
        ticket_id: String::new(),
        kind: kind.into(),
        old: (kind == "no_longer_rejected").then(|| shown.clone()),
        new: (kind == "rejected").then_some(shown),
        summary: String::new(),
        response_status_old: None,
        response_status_new: None,
        resolution_status_old: None,
        resolution_status_new: None,
    };
    out.extend(rn.into_values().map(|s| reject("rejected", s)));
    out.extend(ro.into_values().map(|s| reject("no_longer_rejected", s)));
    out.sort_by(|a, b| {
        (a.ticket_id.is_empty(), &a.ticket_id, kind_rank(&a.kind), &a.old, &a.new)
            .cmp(&(b.ticket_id.is_empty(), &b.ticket_id, kind_rank(&b.kind), &b.old, &b.new))
    });
    out
}

/// The largest report JSON read back (a million tickets are some 800 MB).
const MAX_JSON_BYTES: u64 = 2 << 30;

/// Reads a report's JSON: a regular file of bounded size that parses.
pub fn read_json(path: &Path) -> Result<Value> {
    let hint = "pass a report folder (e.g. rapporten/2026-10) or the report's .json file";
    let meta = std::fs::metadata(path).map_err(|e| Error::cannot_read(path.display(), e).with_hint(hint))?;
    if !meta.is_file() || meta.len() > MAX_JSON_BYTES {
        return Err(Error::new(format!("{} is not a report's JSON (not a regular file of at most 2 GB)", path.display())).with_hint(hint));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::cannot_read(path.display(), e))?;
    let v: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Error::new(format!("{} is not a report's JSON: {e}", path.display())).with_hint(hint))?;
    if !v["meta"].is_object() {
        return Err(Error::new(format!("{} is not a slarapport report's JSON (it has no meta)", path.display())).with_hint(hint));
    }
    Ok(v)
}

/// The changes a new report shows against the report it replaces (`previous`, its JSON;
/// `new`, the new report's JSON without changes; `key`, the field that holds a report's
/// changes: `changes` in a monthly report, `rerun_changes` in a quarterly one, whose
/// `changes` are the change-management figures). When nothing changed since `previous`,
/// the changes `previous` showed are kept, so a rerun that changes nothing makes the same
/// report again (byte-identical on the same day) and the explanation of the last real
/// change stays with the report.
pub fn against_previous(previous: &Value, new: &Value, key: &str) -> Option<Changes> {
    let c = compare(previous, new);
    if c.is_empty() {
        serde_json::from_value(previous[key].clone()).ok()
    } else {
        Some(c)
    }
}

/// The changes as plain text for the terminal (`slarapport diff`), in English.
pub fn to_text(c: &Changes) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let show = |v: Option<f64>, unit: &str| match (v, unit) {
        (None, _) => "no data".to_string(),
        (Some(x), "pct") => format!("{x:.2} %"),
        (Some(x), _) => format!("{x}"),
    };
    if c.is_empty() {
        return "no changes: the figures and the tickets are the same\n".into();
    }
    let _ = writeln!(s, "Changes against the version made on {}:", c.against_generated_on);
    let mut group = "";
    for f in &c.figures {
        if f.group != group {
            group = &f.group;
            let title = match group {
                "summary" => "Headline figures",
                "attainment" => "Attainment (measure.type.priority)",
                "kpi" => "KPI achievement",
                "domain" => "Domain score",
                _ => "Malus band",
            };
            let _ = writeln!(s, "  {title}:");
        }
        let name = if f.name.is_empty() { f.key.clone() } else { format!("{} {}", f.key, f.name) };
        let _ = writeln!(s, "    {name}: {} → {}", show(f.old, &f.unit), show(f.new, &f.unit));
    }
    if !c.tickets.is_empty() {
        let counts: Vec<String> = c.ticket_counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = writeln!(s, "  Tickets ({}):", counts.join(", "));
        for t in &c.tickets {
            let id = if t.ticket_id.is_empty() { "(row)".to_string() } else { t.ticket_id.clone() };
            let mut line = format!("    {id}: {}", t.kind.replace('_', " "));
            match (&t.old, &t.new) {
                (Some(a), Some(b)) => line += &format!(" {a} → {b}"),
                (None, Some(b)) => line += &format!(" → {b}"),
                (Some(a), None) => line += &format!(" {a} →"),
                (None, None) => {}
            }
            let verdict = |m: &str, a: &Option<String>, b: &Option<String>| {
                (a != b).then(|| format!("{m} {} → {}", a.as_deref().unwrap_or("-"), b.as_deref().unwrap_or("-")))
            };
            let v: Vec<String> = [
                verdict("response", &t.response_status_old, &t.response_status_new),
                verdict("resolution", &t.resolution_status_old, &t.resolution_status_new),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !v.is_empty() {
                line += &format!(" ({})", v.join(", "));
            }
            let _ = writeln!(s, "{line}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ticket(id: &str, line: u64, prio: &str, resolved: Option<&str>, res: &str) -> Value {
        json!({"ticket_id": id, "line": line, "ticket_type": "incident", "priority": prio, "opened_at": "2026-10-05T09:00",
               "responded_at": "2026-10-05T09:10", "resolved_at": resolved, "counting": "counted", "summary": format!("s {id}"),
               "response_status": "met", "resolution_status": res})
    }

    fn report(made: &str, pct: Option<f64>, tickets: Vec<Value>, rejected: Vec<Value>) -> Value {
        json!({"meta": {"generated_on": made}, "summary": {"tickets_opened": tickets.len(), "resolution_pct": pct, "note": "x"},
               "attainment": {"response": [], "resolution": [{"ticket_type": "all", "priority": "all", "pct": pct}]},
               "kpis": {"domains": [{"number": 2, "name": "Incidenten", "score_pct": pct, "band_malus_pct": 0.0,
                        "kpis": [{"id": "resolution_time", "name": "Oplostijd", "achievement_pct": pct}]}]},
               "data_quality": {"rejections": rejected}, "tickets": tickets})
    }

    #[test]
    fn identical_reports_have_no_changes() {
        let r = report("2026-11-03", Some(50.0), vec![ticket("A", 2, "P2", None, "breached")], vec![]);
        assert!(compare(&r, &r).is_empty());
        assert_eq!(against_previous(&r, &r, "changes"), None);
    }

    /// A reprioritised ticket, a resolution recorded, a ticket added, one rejected now, one
    /// no longer: each named, and the figures old → new.
    #[test]
    fn tickets_and_figures_are_explained() {
        let rej = |line: u64| json!({"file": "tickets.csv", "line": line, "column": "opened_at", "reason": "not a time"});
        let old = report(
            "2026-11-03",
            Some(50.0),
            vec![ticket("A", 2, "P2", None, "breached"), ticket("B", 3, "P3", Some("2026-10-06T10:00"), "met"), ticket("C", 4, "P3", None, "breached")],
            vec![rej(5), rej(9)],
        );
        let new = report(
            "2026-11-10",
            Some(75.0),
            vec![ticket("A", 2, "P1", Some("2026-10-07T10:00"), "met"), ticket("B", 3, "P3", Some("2026-10-06T10:00"), "met"), ticket("D", 5, "P4", None, "not_yet_due"), ticket("E", 7, "P4", None, "met")],
            vec![rej(4), rej(9)],
        );
        let c = compare(&old, &new);
        assert_eq!(c.against_generated_on, "2026-11-03");
        let figs: Vec<(&str, &str, Option<f64>, Option<f64>)> = c.figures.iter().map(|f| (f.group.as_str(), f.key.as_str(), f.old, f.new)).collect();
        assert_eq!(
            figs,
            [
                ("summary", "resolution_pct", Some(50.0), Some(75.0)),
                ("summary", "tickets_opened", Some(3.0), Some(4.0)),
                ("attainment", "resolution.all.all", Some(50.0), Some(75.0)),
                ("kpi", "resolution_time", Some(50.0), Some(75.0)),
                ("domain", "2", Some(50.0), Some(75.0)),
            ]
        );
        let rows: Vec<(&str, &str, Option<&str>, Option<&str>)> =
            c.tickets.iter().map(|t| (t.ticket_id.as_str(), t.kind.as_str(), t.old.as_deref(), t.new.as_deref())).collect();
        assert_eq!(
            rows,
            [
                ("A", "priority", Some("P2"), Some("P1")),
                ("A", "resolution_recorded", None, Some("2026-10-07T10:00")),
                ("C", "rejected", Some("counted"), Some("tickets.csv:4 opened_at: not a time")),
                ("D", "no_longer_rejected", Some("tickets.csv:5 opened_at: not a time"), Some("counted")),
                ("E", "added", None, Some("counted")),
            ]
        );
        assert_eq!(c.tickets[0].resolution_status_old.as_deref(), Some("breached"));
        assert_eq!(c.tickets[0].resolution_status_new.as_deref(), Some("met"));
        assert_eq!(c.ticket_counts["priority"], 1);
        // Nothing changed since: the explanation stays, unchanged.
        let mut carried = new.clone();
        carried["changes"] = serde_json::to_value(&c).unwrap();
        assert_eq!(against_previous(&carried, &new, "changes"), Some(c.clone()));
        // A quarterly report keeps them under `rerun_changes` (its `changes` are a list).
        let mut quarterly = new.clone();
        quarterly["changes"] = json!([{"period": "quarter"}]);
        quarterly["rerun_changes"] = serde_json::to_value(&c).unwrap();
        assert_eq!(against_previous(&quarterly, &new, "rerun_changes"), Some(c.clone()));
        assert_eq!(against_previous(&quarterly, &new, "changes"), None);
        let t = to_text(&c);
        assert!(t.contains("A: priority P2 → P1 (resolution breached → met)"), "{t}");
        assert!(t.contains("resolution_pct: 50.00 % → 75.00 %"), "{t}");
    }

    /// A report of another version of the tool (fields missing or added) still compares.
    #[test]
    fn unknown_and_missing_fields_are_survived() {
        let old = json!({"meta": {"generated_on": "2026-11-03"}, "summary": {"tickets_opened": 1}});
        let new = json!({"meta": {}, "summary": {"tickets_opened": 1, "new_count": 2}, "extra": [1, 2]});
        let c = compare(&old, &new);
        assert_eq!(c.figures.len(), 1);
        assert_eq!((c.figures[0].key.as_str(), c.figures[0].old, c.figures[0].new), ("new_count", None, Some(2.0)));
        assert!(compare(&Value::Null, &json!([])).is_empty());
    }
}
