//! The provider's commentary on a period (`toelichting/2026-10.toml`, `toelichting/2026-Q3.toml`):
//! a summary and explanations keyed by what they explain — a KPI, a recurring issue, a P1, a
//! school — each with an optional action (what, who, by when).
//!
//! Why this exists: the guideline wants deviations "besproken … zodat corrigerende of
//! preventieve acties" follow (§9), and the tactical meeting discusses them (§8). Numbers alone
//! do not say why a KPI fell short; the service manager's words do, and they belong in the
//! report beside the figure, checked like any other input: a key that matches nothing in the
//! report is an error (file, line, the keys that exist, closest first), and a KPI below its
//! norm or a P1 breach without a word is listed "zonder toelichting" (with
//! `rules.require_explanations` the report is then a draft).
//!
//! Text is a small Markdown subset (paragraphs, bullet lists, bold, italics) parsed with
//! pulldown-cmark into blocks of runs; the templates print runs as strings, so `#`, `$`, `=`,
//! `]`, `@` are never Typst markup. Markdown outside the subset (headings, links, code, HTML)
//! is kept as the literal text the user typed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{Error, Result};
use crate::limits;

/// The folder of the commentary files inside the data folder.
pub const COMMENTARY_DIR: &str = "toelichting";
/// The most files the folder may hold (one per month, quarter and year for decades).
const MAX_FILES: usize = 2_000;
/// The keys a commentary file may hold, for the hint of a parse error.
const FILE_KEYS: &str = "summary, [kpi.ID], [recurring.\"Category / Subcategory\"], [p1.TICKET], [school.\"Name\"]; \
    each entry: explanation, action, owner, due_on";

// ---- the file as written -------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    summary: Option<String>,
    #[serde(default)]
    kpi: BTreeMap<Spanned<String>, RawEntry>,
    #[serde(default)]
    recurring: BTreeMap<Spanned<String>, RawEntry>,
    #[serde(default)]
    p1: BTreeMap<Spanned<String>, RawEntry>,
    #[serde(default)]
    school: BTreeMap<Spanned<String>, RawEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    explanation: String,
    action: Option<String>,
    owner: Option<String>,
    due_on: Option<toml::Value>,
}

/// What an explanation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Kpi,
    Recurring,
    P1,
    School,
}

impl SubjectKind {
    /// The table name in the file (`[kpi.…]`).
    pub fn table(self) -> &'static str {
        match self {
            SubjectKind::Kpi => "kpi",
            SubjectKind::Recurring => "recurring",
            SubjectKind::P1 => "p1",
            SubjectKind::School => "school",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            SubjectKind::Kpi => "KPIs",
            SubjectKind::Recurring => "recurring issues",
            SubjectKind::P1 => "P1s",
            SubjectKind::School => "schools",
        }
    }
}

/// One explanation as read: its key, the line of the key, the text and the action.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: SubjectKind,
    pub key: String,
    pub line: u64,
    pub explanation: Vec<Block>,
    pub action: Option<Action>,
}

/// A commentary file as read (its keys not yet matched to a report).
#[derive(Debug, Clone)]
pub struct CommentaryFile {
    /// `toelichting/2026-10.toml`.
    pub name: String,
    /// Of the file's text (the manifest lists it).
    pub sha256: String,
    pub summary: Vec<Block>,
    pub entries: Vec<Entry>,
}

// ---- text ----------------------------------------------------------------------------------

/// A piece of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// A paragraph (`items` holds one list of runs) or a bullet list (one per item).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// `paragraph` or `list`.
    pub kind: String,
    pub items: Vec<Vec<Run>>,
}

/// Parses `text` in the Markdown subset into blocks. Never fails: what lies outside the subset
/// is kept as the text the user typed.
pub fn markdown(text: &str) -> Vec<Block> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Builder::default();
    let mut skip_until: Option<usize> = None; // the end of a literal element being skipped
    let (mut bold, mut italic) = (0u32, 0u32);
    for (event, range) in Parser::new_ext(text, pulldown_cmark::Options::empty()).into_offset_iter() {
        if let Some(end) = skip_until {
            if range.end <= end {
                continue;
            }
            skip_until = None;
        }
        let literal = |out: &mut Builder, bold: u32, italic: u32| {
            let raw = text[range.clone()].trim();
            out.text(&raw.split_whitespace().collect::<Vec<_>>().join(" "), bold > 0, italic > 0);
        };
        match event {
            Event::Start(Tag::Paragraph) => out.paragraph_start(),
            Event::End(TagEnd::Paragraph) => out.paragraph_end(),
            Event::Start(Tag::List(_)) => out.list_start(),
            Event::End(TagEnd::List(_)) => out.list_end(),
            Event::Start(Tag::Item) => out.item_start(),
            Event::End(TagEnd::Item) => out.item_end(),
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Text(t) => out.text(&t, bold > 0, italic > 0),
            Event::SoftBreak | Event::HardBreak => out.text(" ", bold > 0, italic > 0),
            // Outside the subset: headings, quotes, code, links, images, HTML, rules — the
            // text as typed, so a leading `#` or a `[x](y)` prints as written.
            Event::Start(tag) => {
                let block = matches!(tag, Tag::Heading { .. } | Tag::BlockQuote(_) | Tag::CodeBlock(_) | Tag::HtmlBlock);
                if block {
                    out.paragraph_start();
                }
                literal(&mut out, bold, italic);
                if block {
                    out.paragraph_end();
                }
                skip_until = Some(range.end);
            }
            Event::Rule => {
                out.paragraph_start();
                literal(&mut out, bold, italic);
                out.paragraph_end();
            }
            Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_)
            | Event::InlineMath(_) | Event::DisplayMath(_) => literal(&mut out, bold, italic),
            Event::End(_) => {}
        }
    }
    out.finish()
}

/// Collects runs into paragraphs and list items (a nested list's items join the outer list).
#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    paragraph: Option<Vec<Run>>,
    list: Option<Vec<Vec<Run>>>,
    depth: u32,
    item: Option<Vec<Run>>,
}

impl Builder {
    fn text(&mut self, s: &str, bold: bool, italic: bool) {
        if s.is_empty() {
            return;
        }
        let runs = match (&mut self.item, &mut self.paragraph) {
            (Some(item), _) => item,
            (None, Some(p)) => p,
            (None, None) => self.paragraph.insert(Vec::new()),
        };
        match runs.last_mut() {
            Some(last) if last.bold == bold && last.italic == italic => last.text.push_str(s),
            _ => runs.push(Run { text: s.into(), bold, italic }),
        }
    }

    fn paragraph_start(&mut self) {
        match &mut self.item {
            // A second paragraph in a list item continues the item after a space.
            Some(item) if !item.is_empty() => self.text(" ", false, false),
            Some(_) => {}
            None => self.paragraph_end(),
        }
    }

    fn paragraph_end(&mut self) {
        if self.item.is_some() {
            return;
        }
        if let Some(p) = self.paragraph.take().filter(|p| !p.iter().all(|r| r.text.trim().is_empty())) {
            self.blocks.push(Block { kind: "paragraph".into(), items: vec![trimmed(p)] });
        }
    }

    fn list_start(&mut self) {
        if self.depth == 0 {
            self.paragraph_end();
            self.list = Some(Vec::new());
        }
        self.depth += 1;
    }

    fn list_end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.item_end();
            if let Some(items) = self.list.take().filter(|l| !l.is_empty()) {
                self.blocks.push(Block { kind: "list".into(), items });
            }
        }
    }

    fn item_start(&mut self) {
        self.item_end();
        self.item = Some(Vec::new());
    }

    fn item_end(&mut self) {
        if let (Some(item), Some(list)) = (self.item.take(), &mut self.list) {
            if !item.iter().all(|r| r.text.trim().is_empty()) {
                list.push(trimmed(item));
            }
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.paragraph_end();
        self.blocks
    }
}

/// Runs without leading and trailing blanks.
fn trimmed(mut runs: Vec<Run>) -> Vec<Run> {
    if let Some(first) = runs.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = runs.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    runs.retain(|r| !r.text.is_empty());
    runs
}

// ---- reading -------------------------------------------------------------------------------

/// The period a file name stands for: `2026-10.toml` → `2026-10`, `2026-Q3.toml` → `2026-Q3`,
/// `2026.toml` → `2026`.
fn period_of(file_name: &str) -> Option<String> {
    let stem = file_name.strip_suffix(".toml")?;
    let ok = crate::period::Period::parse_month(stem).is_ok()
        || crate::period::Period::parse_quarter(&stem.to_uppercase()).is_ok()
        || (stem.len() == 4 && stem.parse::<i32>().is_ok_and(|y| crate::contract::CALENDAR_YEARS.contains(&y)));
    ok.then(|| stem.to_uppercase())
}

/// Reads every commentary file of `dir/toelichting/`, keyed by period label. No folder: none.
pub fn load_commentary(dir: &Path) -> Result<BTreeMap<String, CommentaryFile>> {
    let folder = dir.join(COMMENTARY_DIR);
    let mut out = BTreeMap::new();
    let Ok(meta) = std::fs::metadata(&folder) else { return Ok(out) };
    if !meta.is_dir() {
        return Err(Error::new(format!("{} is not a folder", folder.display()))
            .with_hint(format!("{COMMENTARY_DIR} holds one file per report period, e.g. {COMMENTARY_DIR}/2026-10.toml")));
    }
    let entries = std::fs::read_dir(&folder).map_err(|e| Error::cannot_read(folder.display(), e))?;
    let mut names = Vec::new();
    for e in entries {
        let e = e.map_err(|e| Error::cannot_read(folder.display(), e))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') {
            continue; // hidden files and editors' backups
        }
        names.push(name);
        if names.len() > MAX_FILES {
            return Err(Error::new(format!("{} holds more than {MAX_FILES} files", folder.display()))
                .with_hint("keep only the commentary files (one per period) in it"));
        }
    }
    names.sort();
    for name in names {
        let shown = format!("{COMMENTARY_DIR}/{name}");
        let Some(period) = period_of(&name) else {
            return Err(Error::new(format!("{shown}: the name is not a report period"))
                .with_hint(format!("name the file after its period: {COMMENTARY_DIR}/2026-10.toml (a month), 2026-Q3.toml (a quarter), 2026.toml (a year)")));
        };
        let bytes = limits::read_file(&folder.join(&name), limits::MAX_SMALL_FILE_BYTES, "commentary file")?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::new(format!("{shown} is not UTF-8 text")).with_hint("save it as UTF-8"))?;
        if let Some(previous) = out.insert(period.clone(), parse_file(&shown, &text)?) {
            return Err(Error::new(format!("{shown}: a second file for {period} (the first is {})", previous.name))
                .with_hint("keep one file per period"));
        }
    }
    Ok(out)
}

/// Parses one commentary file (`name` as messages show it).
pub fn parse_file(name: &str, text: &str) -> Result<CommentaryFile> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        Error::new(format!("{name}: {}", e.to_string().trim_end())).with_hint(format!("a commentary file may hold only these keys: {FILE_KEYS}"))
    })?;
    let line = |offset: usize| 1 + text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() as u64;
    let mut entries = Vec::new();
    for (kind, table) in [
        (SubjectKind::Kpi, raw.kpi),
        (SubjectKind::Recurring, raw.recurring),
        (SubjectKind::P1, raw.p1),
        (SubjectKind::School, raw.school),
    ] {
        for (key, e) in table {
            let at = line(key.span().start);
            let key = key.into_inner();
            let whr = || format!("{name} line {at}: [{}.\"{}\"]", kind.table(), limits::shown(&key));
            if e.explanation.trim().is_empty() {
                return Err(Error::new(format!("{}: explanation is empty", whr())).with_hint("write what explains it, or remove the entry"));
            }
            let due_on = match &e.due_on {
                None => None,
                // A TOML date literal is read as the same text would be (years 1990–2100).
                Some(toml::Value::Datetime(d)) if d.date.is_some() && d.time.is_none() => Some(crate::voice::parse_date(&d.to_string()).ok_or_else(|| {
                    Error::new(format!("{}: due_on {d} is not a date of 1990–2100", whr())).with_hint("write it as 2026-11-30")
                })?),
                Some(toml::Value::String(s)) => Some(crate::voice::parse_date(s).ok_or_else(|| {
                    Error::new(format!("{}: due_on \"{}\" is not a date", whr(), limits::shown(s))).with_hint("write it as 2026-11-30")
                })?),
                Some(v) => {
                    return Err(Error::new(format!("{}: due_on {v} is not a date", whr())).with_hint("write it as 2026-11-30"));
                }
            };
            let text_of = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
            let (what, owner) = (text_of(&e.action), text_of(&e.owner));
            if what.is_none() && (owner.is_some() || due_on.is_some()) {
                return Err(Error::new(format!("{}: owner or due_on without an action", whr()))
                    .with_hint("write the action (what will be done) beside its owner and due date"));
            }
            entries.push(Entry {
                kind,
                key,
                line: at,
                explanation: markdown(&e.explanation),
                action: what.map(|w| Action { text: markdown(&w), owner: owner.unwrap_or_default(), due_on }),
            });
        }
    }
    entries.sort_by_key(|e| e.line);
    Ok(CommentaryFile {
        name: name.into(),
        sha256: crate::digest::sha256_hex(text.as_bytes()),
        summary: raw.summary.as_deref().map(markdown).unwrap_or_default(),
        entries,
    })
}

// ---- matched to a report -------------------------------------------------------------------

/// Something in a report an explanation may be about.
#[derive(Debug, Clone)]
pub struct Subject {
    pub kind: SubjectKind,
    /// The key as the file writes it: a KPI id, "Category / Subcategory", a ticket id, a school.
    pub key: String,
    /// How the report names it (a KPI's name, a P1's summary).
    pub title: String,
    /// Why it needs an explanation (`below_norm`, `response`, `resolution`, `rca_late`,
    /// `rca_overdue`); empty when it needs none.
    pub reasons: Vec<String>,
    /// A KPI's achievement, for the list of the unexplained.
    pub achievement_pct: Option<f64>,
}

/// What will be done about it.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub text: Vec<Block>,
    pub owner: String,
    pub due_on: Option<chrono::NaiveDate>,
}

/// An explanation matched to its subject.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub subject: SubjectKind,
    pub key: String,
    pub title: String,
    pub text: Vec<Block>,
    pub action: Option<Action>,
}

/// A KPI below its norm or a P1 with a breach that has no explanation.
#[derive(Debug, Clone, Serialize)]
pub struct Unexplained {
    pub subject: SubjectKind,
    pub key: String,
    pub title: String,
    pub reasons: Vec<String>,
    pub achievement_pct: Option<f64>,
}

/// The period's commentary in a report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Commentary {
    /// The file read (`toelichting/2026-10.toml`); `None` when the period has none.
    pub file: Option<String>,
    pub summary: Vec<Block>,
    /// In the order of the report: KPIs, recurring issues, P1s, schools.
    pub explanations: Vec<Explanation>,
    pub unexplained: Vec<Unexplained>,
    /// The contract's `require_explanations`.
    pub required: bool,
    /// Required and something is unexplained: the report is a draft (CONCEPT).
    pub draft: bool,
}

/// The key as compared: case and runs of blanks do not matter.
fn normal(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The keys of `kind` in `subjects`, closest to `key` first (at most ten).
pub fn closest<'a>(key: &str, kind: SubjectKind, subjects: &'a [Subject]) -> Vec<&'a str> {
    let key = normal(key);
    let mut keys: Vec<(usize, &str)> = subjects.iter().filter(|s| s.kind == kind).map(|s| (distance(&key, &normal(&s.key)), s.key.as_str())).collect();
    keys.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| crate::natural::natural_cmp(a.1, b.1)));
    keys.into_iter().take(10).map(|(_, k)| k).collect()
}

/// Matches `file` (the period's commentary, if any) to the report's `subjects`: every key must
/// name one of them; KPIs and P1s that need an explanation and have none are listed.
pub fn resolve(file: Option<&CommentaryFile>, subjects: &[Subject], period: &str, required: bool) -> Result<Commentary> {
    let mut found: Vec<Option<(u64, &Entry)>> = vec![None; subjects.len()];
    for e in file.iter().flat_map(|f| &f.entries) {
        let name = &file.expect("entries come from a file").name;
        let key = normal(&e.key);
        let Some(i) = subjects.iter().position(|s| s.kind == e.kind && normal(&s.key) == key) else {
            let near = closest(&e.key, e.kind, subjects);
            let hint = if near.is_empty() {
                format!("the report of {period} has no {}: remove the entry", e.kind.plural())
            } else {
                format!("the {} of the report of {period} are (closest first): {}", e.kind.plural(), near.join(", "))
            };
            return Err(Error::new(format!(
                "{name} line {}: [{}.\"{}\"] matches nothing in the report of {period}",
                e.line,
                e.kind.table(),
                limits::shown(&e.key)
            ))
            .with_hint(hint));
        };
        if let Some((first, _)) = found[i] {
            return Err(Error::new(format!("{name} line {}: [{}.\"{}\"] explains the same as line {first}", e.line, e.kind.table(), limits::shown(&e.key)))
                .with_hint("keep one explanation per subject"));
        }
        found[i] = Some((e.line, e));
    }
    let mut explanations = Vec::new();
    let mut unexplained = Vec::new();
    let mut order: Vec<usize> = (0..subjects.len()).collect();
    order.sort_by_key(|&i| subjects[i].kind); // stable: the report's order within a kind
    for i in order {
        let s = &subjects[i];
        match found[i] {
            Some((_, e)) => explanations.push(Explanation {
                subject: s.kind,
                key: s.key.clone(),
                title: s.title.clone(),
                text: e.explanation.clone(),
                action: e.action.clone(),
            }),
            None if !s.reasons.is_empty() => unexplained.push(Unexplained {
                subject: s.kind,
                key: s.key.clone(),
                title: s.title.clone(),
                reasons: s.reasons.clone(),
                achievement_pct: s.achievement_pct,
            }),
            None => {}
        }
    }
    let draft = required && !unexplained.is_empty();
    Ok(Commentary {
        file: file.map(|f| f.name.clone()),
        summary: file.map(|f| f.summary.clone()).unwrap_or_default(),
        explanations,
        unexplained,
        required,
        draft,
    })
}

/// Plain subjects that never need an explanation (recurring issues, schools).
pub fn plain_subjects(kind: SubjectKind, keys: impl IntoIterator<Item = String>) -> Vec<Subject> {
    keys.into_iter().map(|key| Subject { kind, title: key.clone(), key, reasons: vec![], achievement_pct: None }).collect()
}

/// A recurring issue's key as the file writes it: "Category / Subcategory" or "Category".
pub fn issue_key(category: &str, subcategory: &str) -> String {
    if subcategory.is_empty() { category.to_string() } else { format!("{category} / {subcategory}") }
}

/// What the command says when something is unexplained: one line per subject.
pub fn unexplained_lines(c: &Commentary) -> Vec<String> {
    c.unexplained
        .iter()
        .map(|u| match u.subject {
            SubjectKind::Kpi => format!(
                "KPI {} ({}): achievement {:.1} % is below its norm",
                u.key,
                u.title,
                u.achievement_pct.unwrap_or_default()
            ),
            _ => format!("P1 {}: {}", u.key, u.reasons.iter().map(|r| reason_text(r)).collect::<Vec<_>>().join(", ")),
        })
        .collect()
}

fn reason_text(r: &str) -> &'static str {
    match r {
        "response" => "response time breached",
        "resolution" => "resolution time breached",
        "rca_late" => "RCA delivered late",
        "rca_overdue" => "RCA overdue",
        _ => "below its norm",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, bold: bool, italic: bool) -> Run {
        Run { text: text.into(), bold, italic }
    }

    #[test]
    fn markdown_subset_paragraphs_lists_emphasis() {
        let b = markdown("Eerste **vet** en *schuin*\nregel.\n\n- een\n- twee **b**\n  - genest\n\nSlot.");
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].kind, "paragraph");
        assert_eq!(b[0].items[0], vec![run("Eerste ", false, false), run("vet", true, false), run(" en ", false, false), run("schuin", false, true), run(" regel.", false, false)]);
        assert_eq!(b[1].kind, "list");
        assert_eq!(b[1].items, vec![vec![run("een", false, false)], vec![run("twee ", false, false), run("b", true, false)], vec![run("genest", false, false)]]);
        assert_eq!(b[2].items[0], vec![run("Slot.", false, false)]);
    }

    #[test]
    fn markdown_outside_the_subset_is_literal() {
        let b = markdown("# 3 tickets\n\n= 5 $x$ [link](http://x) @ref `code` <b>html</b>\n\nTitel\n===");
        let texts: Vec<String> = b.iter().map(|b| b.items[0].iter().map(|r| r.text.as_str()).collect()).collect();
        assert_eq!(texts, vec!["# 3 tickets", "= 5 $x$ [link](http://x) @ref `code` <b>html</b>", "Titel ==="]);
    }

    #[test]
    fn keys_have_lines_and_unknown_keys_fail() {
        let text = "summary = \"Rustig.\"\n\n[kpi.response_time]\nexplanation = \"x\"\n\n[p1.INC1]\nexplanation = \"y\"\naction = \"z\"\nowner = \"A\"\ndue_on = 2026-11-30\n";
        let f = parse_file("toelichting/2026-10.toml", text).unwrap();
        assert_eq!(f.entries.iter().map(|e| (e.key.as_str(), e.line)).collect::<Vec<_>>(), vec![("response_time", 3), ("INC1", 6)]);
        assert_eq!(f.entries[1].action.as_ref().unwrap().due_on, chrono::NaiveDate::from_ymd_opt(2026, 11, 30));
        let e = parse_file("t.toml", "[kpi.x]\nexplanation = \"x\"\nwho = \"me\"\n").unwrap_err();
        assert!(e.message.contains("who"), "{}", e.message);
        let e = parse_file("t.toml", "[kpi.x]\nexplanation = \"x\"\nowner = \"me\"\n").unwrap_err();
        assert!(e.message.contains("owner or due_on without an action"), "{}", e.message);
        // A date literal holds the same years as a written date.
        let e = parse_file("t.toml", "[kpi.x]\nexplanation = \"x\"\naction = \"y\"\ndue_on = 0001-01-01\n").unwrap_err();
        assert!(e.message.contains("due_on 0001-01-01 is not a date of 1990–2100"), "{}", e.message);
    }

    #[test]
    fn unexplained_lists_exactly_the_kpis_below_norm_and_p1_breaches_without_explanation() {
        let kpi = |id: &str, a: Option<f64>| Subject {
            kind: SubjectKind::Kpi,
            key: id.into(),
            title: id.to_uppercase(),
            reasons: if a.is_some_and(|a| a < 100.0) { vec!["below_norm".into()] } else { vec![] },
            achievement_pct: a,
        };
        let p1 = |id: &str, reasons: &[&str]| Subject {
            kind: SubjectKind::P1,
            key: id.into(),
            title: String::new(),
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
            achievement_pct: None,
        };
        // a: 99.9 % explained; b: 70 % unexplained; c: 100 % (no need); d: no data; P1 X
        // breached and explained; Y breached (resolution, RCA overdue) unexplained; Z met.
        let mut subjects = vec![kpi("a", Some(99.9)), kpi("b", Some(70.0)), kpi("c", Some(100.0)), kpi("d", None)];
        subjects.extend([p1("X", &["response"]), p1("Y", &["resolution", "rca_overdue"]), p1("Z", &[])]);
        subjects.extend(plain_subjects(SubjectKind::School, ["De Regenboog".to_string()]));
        let f = parse_file("f.toml", "[p1.x]\nexplanation = \"p\"\n[kpi.A]\nexplanation = \"k\"\n[school.\"de  regenboog\"]\nexplanation = \"s\"\n").unwrap();
        let c = resolve(Some(&f), &subjects, "2026-10", false).unwrap();
        let keys = |v: Vec<(&SubjectKind, &String)>| v.into_iter().map(|(k, s)| format!("{}:{s}", k.table())).collect::<Vec<_>>();
        assert_eq!(keys(c.explanations.iter().map(|e| (&e.subject, &e.key)).collect()), vec!["kpi:a", "p1:X", "school:De Regenboog"]);
        assert_eq!(keys(c.unexplained.iter().map(|u| (&u.subject, &u.key)).collect()), vec!["kpi:b", "p1:Y"]);
        assert_eq!(c.unexplained[1].reasons, vec!["resolution", "rca_overdue"]);
        assert!(!c.draft);
        assert!(resolve(Some(&f), &subjects, "2026-10", true).unwrap().draft);
        // All explained: no draft even when required; no file: everything needing one listed.
        let empty = parse_file("f.toml", "summary = \"s\"").unwrap();
        assert!(!resolve(Some(&empty), &subjects[2..4], "2026-10", true).unwrap().draft);
        assert_eq!(resolve(None, &subjects, "2026-10", true).unwrap().unexplained.len(), 4); // a, b, X, Y
        // The same subject twice (keys differing in case only) is an error naming both lines.
        let twice = parse_file("f.toml", "[kpi.a]\nexplanation = \"k\"\n[kpi.A]\nexplanation = \"k\"\n").unwrap();
        let e = resolve(Some(&twice), &subjects, "2026-10", false).unwrap_err();
        assert!(e.message.contains("explains the same as line 1"), "{}", e.message);
    }

    #[test]
    fn closest_keys_first() {
        let subjects = plain_subjects(SubjectKind::School, ["De Regenboog".to_string(), "Het Anker".into(), "De Regenbui".into()]);
        assert_eq!(closest("de regenboogh", SubjectKind::School, &subjects), vec!["De Regenboog", "De Regenbui", "Het Anker"]);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
