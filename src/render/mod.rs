//! Rendering the report model: PDF (Typst), Excel annex, JSON, and the short cover message.
//! Renderers read the model and format it; they decide nothing about what counts. The PDF
//! and the annex are made from the same `Monthly`, so they cannot disagree.

pub mod annex;
pub mod pdf;
pub mod world;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::i18n::{Labels, Lang};
use crate::report::model::{JsonDocument, Monthly};
use world::TemplateSet;

/// The files of one report, in memory, before they are written.
#[derive(Debug, Clone)]
pub struct RenderedReport {
    /// File name stem, e.g. `sla-rapportage-2026-10`.
    pub stem: String,
    /// The annex's file name ([`annex_name`]), e.g. `sla-rapportage-2026-10-bijlage.xlsx`.
    pub annex_name: String,
    pub pdf: Vec<u8>,
    pub xlsx: Vec<u8>,
    pub json: Vec<u8>,
    /// Plain text to send with the report (the monthly report only).
    pub message: Option<String>,
    /// The archival PDF could not be made and `pdf` is a plain tagged one (a finding).
    pub plain_fallback: bool,
}

/// A report file's content as `output::write_report` writes it: bytes in memory, or written
/// straight into the file while it is made (the quarterly report's JSON, which carries the
/// quarter's ticket rows: about 2 GB at ten million tickets a year, never held whole).
pub enum FileBody<'a> {
    Bytes(&'a [u8]),
    Written(&'a dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>),
}

impl RenderedReport {
    /// The report's files by name, in the order they are written: the PDF, the annex, the
    /// JSON and, with a cover message, `{stem}.txt`.
    pub fn files(&self) -> Vec<(String, FileBody<'_>)> {
        self.files_with_json(FileBody::Bytes(&self.json))
    }

    /// As [`files`](Self::files), with the JSON's body `json` (a report whose JSON is written
    /// into its file as it is made, [`write_json`]).
    pub fn files_with_json<'a>(&'a self, json: FileBody<'a>) -> Vec<(String, FileBody<'a>)> {
        let mut files = vec![
            (format!("{}.pdf", self.stem), FileBody::Bytes(&self.pdf)),
            (self.annex_name.clone(), FileBody::Bytes(&self.xlsx)),
            (format!("{}.json", self.stem), json),
        ];
        if let Some(message) = &self.message {
            files.push((format!("{}.txt", self.stem), FileBody::Bytes(message.as_bytes())));
        }
        files
    }
}

/// The labels for `lang`, read from the template set (so a user's folder can override them).
pub fn labels(templates: &TemplateSet, lang: Lang) -> Result<Labels> {
    Labels::from_files(
        templates.files.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
        lang,
        &templates.origin,
    )
}

/// What the PDF template receives as `sys.inputs.data`.
#[derive(Serialize)]
struct PdfInput<'a, T: Serialize> {
    report: &'a T,
    labels: &'a Labels,
}

/// Serializes `value` for the Typst template, with the labels beside it. Text the fonts
/// cannot draw is written as code points (see `world::printable`).
pub fn pdf_input<T: Serialize>(value: &T, labels: &Labels) -> Result<Vec<u8>> {
    let mut v = serde_json::to_value(PdfInput { report: value, labels })
        .map_err(cannot_serialize)?;
    make_printable(&mut v);
    serde_json::to_vec(&v).map_err(cannot_serialize)
}

fn make_printable(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => {
            if let std::borrow::Cow::Owned(p) = world::printable(s) {
                *s = p;
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(make_printable),
        serde_json::Value::Object(o) => o.values_mut().for_each(make_printable),
        _ => {}
    }
}

/// The one message for a report serde cannot write (a bug, not bad input).
fn cannot_serialize(e: serde_json::Error) -> Error {
    Error::new(format!("cannot serialize the report: {e}"))
}

/// Pretty JSON with a final newline.
pub fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    write_json(&mut v, value).map_err(|e| Error::new(format!("cannot serialize the report: {e}")))?;
    Ok(v)
}

/// Writes `value` to `w` as [`to_json`] makes it (the same bytes), without holding it whole.
/// serde_json writes a token at a time; a buffer of its own type takes them without a call
/// through `dyn Write` each (a quarter's JSON at ten million tickets a year is 2 GB).
pub fn write_json<T: Serialize + ?Sized>(w: &mut dyn std::io::Write, value: &T) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// Renders a plain-text template (minijinja) — file names and the cover message only, never
/// Typst markup.
pub fn render_text(template: &str, ctx: impl Serialize) -> Result<String> {
    render_text_in(template, ctx, Lang::Nl)
}

/// As [`render_text`], with a `num` filter that writes a number as the report's language
/// does (`{{ n | num }}`: 2.489 in Dutch, 2,489 in English).
pub fn render_text_in(template: &str, ctx: impl Serialize, lang: Lang) -> Result<String> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("num", move |x: f64| crate::i18n::format_number(x, 0, lang));
    env.add_template("t", template).map_err(|e| Error::new(format!("text template: {e}")))?;
    env.get_template("t")
        .and_then(|t| t.render(ctx))
        .map_err(|e| Error::new(format!("text template: {e}")))
}

/// A file name stem made from a template (`key`, e.g. `file.monthly_stem` of a language
/// table a user's template folder may replace), kept to one plain file name inside the report
/// folder: no folder separators, no leading dot, letters, digits, `-`, `_` and `.` only
/// (anything else becomes `_`), at most 120 characters.
pub fn file_stem(raw: &str, key: &str) -> Result<String> {
    let s: String = raw
        .trim()
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .take(120)
        .collect();
    let s = s.trim_start_matches('.').to_string();
    let hint = format!("give {key} letters or digits, e.g. \"sla-rapportage-{{{{ period }}}}\"");
    if s.trim_matches(|c| c == '_' || c == '.').is_empty() {
        return Err(Error::new(format!("the file name template {key} gives no file name (\"{raw}\")")).with_hint(hint));
    }
    // manifest.json is the report's own list of files.
    if s.eq_ignore_ascii_case("manifest") {
        return Err(Error::new(format!("the file name template {key} gives \"{s}\", the name of the report's manifest")).with_hint(hint));
    }
    Ok(s)
}

/// The annex's file name: the stem and the language's `file.annex_suffix`, as one plain name.
pub fn annex_name(stem: &str, labels: &Labels) -> Result<String> {
    Ok(format!("{}.xlsx", file_stem(&format!("{stem}{}", labels.get("file.annex_suffix")), "file.annex_suffix")?))
}

/// A report's JSON `json`, named `name`, to embed in its PDF (PDF/A-3 associated file, the
/// report's own data), described by `description`.
pub fn json_attachment(name: String, json: Vec<u8>, description: &str) -> world::Attachment {
    world::Attachment {
        name,
        data: json,
        mime: "application/json".into(),
        relationship: "data".into(),
        description: description.into(),
    }
}

/// The JSON and the annex (named `annex_name`), to embed in the PDF (PDF/A-3 associated
/// files): the report then carries its own data. `json_name` is the embedded JSON's file name.
pub fn attachments(annex_name: &str, labels: &Labels, json_name: String, json: Vec<u8>, xlsx: Vec<u8>) -> Vec<world::Attachment> {
    vec![
        json_attachment(json_name, json, labels.get("pdf.attachment.json")),
        world::Attachment {
            name: annex_name.to_string(),
            data: xlsx,
            mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
            relationship: "supplement".into(),
            description: labels.get("pdf.attachment.xlsx").into(),
        },
    ]
}

/// The name of the report model embedded in a monthly or quarterly PDF: the JSON file without
/// its per-ticket list (README, "What the PDF carries").
pub fn model_name(stem: &str) -> String {
    format!("{stem}-model.json")
}

/// What a monthly PDF is made from, apart from the annex: the JSON file (with every
/// ticket), the report model the PDF embeds (the same JSON without the per-ticket list,
/// which the annex holds), and the template's input.
pub struct MonthlyParts {
    pub json: Vec<u8>,
    pub model: Vec<u8>,
    pub pdf_input: Vec<u8>,
}

/// The [`MonthlyParts`] of `m`.
pub fn monthly_parts(m: &Monthly, labels: &Labels) -> Result<MonthlyParts> {
    let r = &m.report;
    let json = to_json(&JsonDocument { report: r, tickets: &m.tickets })?;
    let model = to_json(r)?;
    // The PDF shows rejections and warnings in its language (the JSON keeps them in
    // English, with their codes and values).
    let mut local = r.clone();
    for x in &mut local.data_quality.rejections {
        (x.reason, x.hint) = x.localized(labels);
    }
    for w in &mut local.data_quality.warnings {
        w.message = w.localized(labels);
    }
    Ok(MonthlyParts { json, model, pdf_input: pdf_input(&local, labels)? })
}

/// The annex of `m` on a second thread while `parts` runs on this one (they are
/// independent; only the PDF needs both). A panic on either side stays a panic.
pub fn with_annex<T>(m: &Monthly, labels: &Labels, parts: impl FnOnce() -> T) -> (Result<Vec<u8>>, T) {
    std::thread::scope(|s| {
        let annex = s.spawn(|| annex::monthly_xlsx(m, labels));
        let rest = parts();
        (annex.join().unwrap_or_else(|p| std::panic::resume_unwind(p)), rest)
    })
}

/// Renders the monthly report three ways, plus its cover message.
pub fn monthly(m: &Monthly, labels: &Labels, templates: &TemplateSet, today: NaiveDate, archival: bool) -> Result<RenderedReport> {
    let r = &m.report;
    let stem = file_stem(&render_text(labels.get("file.monthly_stem"), minijinja::context! { period => r.meta.period })?, "file.monthly_stem")?;
    let annex_name = annex_name(&stem, labels)?;
    let (xlsx, parts) = with_annex(m, labels, || monthly_parts(m, labels));
    let (xlsx, MonthlyParts { json, model, pdf_input }) = (xlsx?, parts?);
    let settings = pdf::PdfSettings {
        archival,
        attachments: if archival { attachments(&annex_name, labels, model_name(&stem), model, xlsx.clone()) } else { Vec::new() },
    };
    let (pdf, plain_fallback) = pdf::render_pdf_noting_fallback(templates, "monthly.typ", pdf_input, today, &settings)?;
    let mail_name = format!("mail/monthly.{}.txt", labels.lang().code());
    let mail = templates
        .files
        .get(&mail_name)
        .ok_or_else(|| Error::new(format!("no cover message template {mail_name} in {}", templates.origin)))?;
    let mail = std::str::from_utf8(mail).map_err(|_| Error::new(format!("{mail_name} is not UTF-8")))?;
    let message = render_text_in(mail, minijinja::context! {
        report => r,
        period_name => crate::i18n::month_label(&r.meta.period, labels),
        response_pct => r.summary.response_pct.map(|x| crate::i18n::format_pct(x, 1, labels.lang())),
        resolution_pct => r.summary.resolution_pct.map(|x| crate::i18n::format_pct(x, 1, labels.lang())),
        due_on => r.meta.due_on.map(|d| crate::i18n::format_date(d, labels)).unwrap_or_default(),
        stem => stem,
        annex_suffix => labels.get("file.annex_suffix"),
    }, labels.lang())?;
    Ok(RenderedReport { stem, annex_name, pdf, xlsx, json, message: Some(message), plain_fallback })
}

/// Renders the quarterly report: PDF and annex (no cover message). Its `json` is empty: the
/// JSON is written into its file by [`write_quarterly_json`] (it carries every ticket row of
/// the quarter).
pub fn quarterly(
    q: &crate::report::quarterly::QuarterlyReport,
    labels: &Labels,
    templates: &TemplateSet,
    today: NaiveDate,
    archival: bool,
) -> Result<RenderedReport> {
    quarterly_with_annex(q, annex::quarterly_xlsx(q, labels)?, labels, templates, today, archival)
}

/// As [`quarterly`], with its annex `xlsx` already made (the benchmark times the two apart).
pub fn quarterly_with_annex(
    q: &crate::report::quarterly::QuarterlyReport,
    xlsx: Vec<u8>,
    labels: &Labels,
    templates: &TemplateSet,
    today: NaiveDate,
    archival: bool,
) -> Result<RenderedReport> {
    /// The template's input: the report, how many changes it lists at most, and the P1s it
    /// lists (`p1s_shown`, see `QuarterlyReport::p1s_in_pdf`) with how many of them owe
    /// something.
    #[derive(Serialize)]
    struct QuarterlyPdf<'a> {
        #[serde(flatten)]
        report: &'a crate::report::quarterly::QuarterlyReport,
        changes_limit: usize,
        p1s_shown: Vec<&'a crate::report::model::P1Item>,
        p1s_owing: usize,
    }
    let model = Some(to_json(&q.model_document())?);
    let input = QuarterlyPdf {
        report: q,
        changes_limit: crate::report::quarterly::CHANGES_IN_PDF,
        p1s_shown: q.p1s_in_pdf(),
        p1s_owing: q.p1s.iter().filter(|p| crate::report::quarterly::p1_owes(p)).count(),
    };
    report_with_annex(&input, Vec::new(), model, &q.meta.period, "quarterly", xlsx, labels, templates, today, archival)
}

/// The quarterly report's JSON file (`QuarterlyReport::json_document`: the model and every
/// ticket row of the quarter), written into `w` as it is made: its body for
/// [`RenderedReport::files_with_json`].
pub fn write_quarterly_json(q: &crate::report::quarterly::QuarterlyReport, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_json(w, &q.json_document())
}

/// A report without a cover message (quarterly, annual): its `json`, its annex `xlsx`, and the
/// PDF of `{kind}.typ` named by `file.{kind}_stem` (from `report`), with the annex and `model`
/// (`{stem}-model.json`: the JSON without its per-ticket list) or, when there is none, the
/// whole JSON attached.
#[allow(clippy::too_many_arguments)]
fn report_with_annex<T: Serialize>(
    report: &T,
    json: Vec<u8>,
    model: Option<Vec<u8>>,
    period: &str,
    kind: &str,
    xlsx: Vec<u8>,
    labels: &Labels,
    templates: &TemplateSet,
    today: NaiveDate,
    archival: bool,
) -> Result<RenderedReport> {
    let key = format!("file.{kind}_stem");
    let stem = file_stem(&render_text(labels.get(&key), minijinja::context! { period => period })?, &key)?;
    let annex_name = annex_name(&stem, labels)?;
    let attachments = if !archival {
        Vec::new()
    } else {
        match model {
            Some(model) => attachments(&annex_name, labels, model_name(&stem), model, xlsx.clone()),
            None => attachments(&annex_name, labels, format!("{stem}.json"), json.clone(), xlsx.clone()),
        }
    };
    let settings = pdf::PdfSettings { archival, attachments };
    let (pdf, plain_fallback) = pdf::render_pdf_noting_fallback(templates, &format!("{kind}.typ"), pdf_input(report, labels)?, today, &settings)?;
    Ok(RenderedReport { stem, annex_name, pdf, xlsx, json, message: None, plain_fallback })
}

/// Renders the year report: PDF, annex and JSON.
pub fn annual(
    a: &crate::report::annual::AnnualReport,
    labels: &Labels,
    templates: &TemplateSet,
    today: NaiveDate,
    archival: bool,
) -> Result<RenderedReport> {
    let xlsx = annex::annual_xlsx(a, labels)?;
    report_with_annex(a, to_json(a)?, None, &a.meta.period, "annual", xlsx, labels, templates, today, archival)
}

#[cfg(test)]
mod tests {
    use super::{FileBody, Labels, RenderedReport, annex_name};

    /// A file's bytes as they would be written.
    fn bytes(body: &FileBody) -> Vec<u8> {
        match body {
            FileBody::Bytes(b) => b.to_vec(),
            FileBody::Written(write) => {
                let mut v = Vec::new();
                write(&mut v).unwrap();
                v
            }
        }
    }

    /// The streamed JSON is byte for byte the JSON made in memory.
    #[test]
    fn written_json_is_the_json_made_in_memory() {
        let value = serde_json::json!({"a": [1, 2, {"b": "=#$]@"}], "c": null});
        let mut streamed = Vec::new();
        super::write_json(&mut streamed, &value).unwrap();
        assert_eq!(streamed, super::to_json(&value).unwrap());
        assert!(streamed.ends_with(b"}\n"));
    }

    #[test]
    fn a_reports_files_are_pdf_annex_json_and_its_cover_message() {
        let nl = Labels::embedded(crate::i18n::Lang::Nl).unwrap();
        let stem = "sla-rapportage-2026-10".to_string();
        let mut r = RenderedReport {
            annex_name: annex_name(&stem, &nl).unwrap(),
            stem,
            pdf: b"pdf".to_vec(),
            xlsx: b"xlsx".to_vec(),
            json: b"json".to_vec(),
            message: Some("mail".into()),
            plain_fallback: false,
        };
        let files = |r: &RenderedReport| -> Vec<(String, Vec<u8>)> { r.files().into_iter().map(|(n, b)| (n, bytes(&b))).collect() };
        let named = |n: &str, b: &str| (n.to_string(), b.as_bytes().to_vec());
        assert_eq!(
            files(&r),
            [
                named("sla-rapportage-2026-10.pdf", "pdf"),
                named("sla-rapportage-2026-10-bijlage.xlsx", "xlsx"),
                named("sla-rapportage-2026-10.json", "json"),
                named("sla-rapportage-2026-10.txt", "mail"),
            ]
        );
        // A JSON written into its file as it is made takes the JSON's place.
        let json = |w: &mut dyn std::io::Write| w.write_all(b"streamed");
        let streamed: Vec<(String, Vec<u8>)> = r.files_with_json(super::FileBody::Written(&json)).into_iter().map(|(n, b)| (n, bytes(&b))).collect();
        assert_eq!(streamed[2], named("sla-rapportage-2026-10.json", "streamed"));
        assert_eq!(streamed.len(), 4);
        r.message = None;
        assert_eq!(files(&r).len(), 3);
        let en = Labels::embedded(crate::i18n::Lang::En).unwrap();
        assert_eq!(annex_name("quarterly-report-2026-Q3", &en).unwrap(), "quarterly-report-2026-Q3-annex.xlsx");
    }

    #[test]
    fn file_stems_are_plain_names() {
        let stem = |s: &str| super::file_stem(s, "file.monthly_stem");
        assert_eq!(stem("/tmp/x-2026-10").unwrap(), "_tmp_x-2026-10");
        assert_eq!(stem("../../x").unwrap(), "_.._x");
        assert_eq!(stem(" .hidden ").unwrap(), "hidden");
        assert_eq!(stem(&"a".repeat(500)).unwrap().len(), 120);
        for bad in ["", " / ", "..", "manifest", "Manifest"] {
            assert!(stem(bad).is_err(), "{bad:?}");
        }
    }
}
