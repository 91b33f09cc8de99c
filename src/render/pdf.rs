//! PDF rendering: the report model as JSON into a Typst template, compiled in-process.
//!
//! Output is reproducible: the document date, the PDF timestamp and the creator string are
//! fixed from the run's date and the tool's version, and fonts are embedded ones. Template
//! errors are reported with the template's name, line and column, so a user who edits their
//! own copy (`--templates DIR`) can find the mistake.

use chrono::{Datelike, NaiveDate};
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::WorldExt;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::error::{Error, Result};
use crate::render::world::{Attachment, ReportWorld, TemplateSet};

/// How the PDF is made.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    /// PDF/A-3b and PDF/UA-1 (archival, accessible); otherwise a plain tagged PDF.
    pub archival: bool,
    /// Files embedded in the PDF (only with `archival`, which is PDF/A-3).
    pub attachments: Vec<Attachment>,
}

impl Default for PdfSettings {
    fn default() -> Self {
        PdfSettings { archival: true, attachments: Vec::new() }
    }
}

/// Compiles `main` from `templates` with `data` (JSON) as `sys.inputs.data`, as `settings`
/// say (by default PDF/A-3b + PDF/UA-1, with `settings.attachments` attached).
pub fn render_pdf_with(
    templates: &TemplateSet,
    main: &str,
    data: Vec<u8>,
    today: NaiveDate,
    settings: &PdfSettings,
) -> Result<Vec<u8>> {
    render_pdf_noting_fallback(templates, main, data, today, settings).map(|(pdf, _)| pdf)
}

/// [`render_pdf_with`], and whether the archival PDF could not be made and a plain tagged
/// one was made instead (a finding: the report commands then exit 1).
pub fn render_pdf_noting_fallback(
    templates: &TemplateSet,
    main: &str,
    data: Vec<u8>,
    today: NaiveDate,
    settings: &PdfSettings,
) -> Result<(Vec<u8>, bool)> {
    let attachments: &[Attachment] = if settings.archival { &settings.attachments } else { &[] };
    let world = ReportWorld::with_attachments(templates.clone(), main, data, attachments, today)?;
    let result = typst::compile::<PagedDocument>(&world);
    let document = result.output.map_err(|diags| diagnostics_error(&world, &diags))?;
    // Typst's memoized layouts (every measured cell, every page break tried) are not needed
    // for the export: freed here, before the PDF is written, they are not held at the same
    // time (hundreds of MB for a report with thousands of table rows).
    typst::comemo::evict(0);
    let date = Datetime::from_ymd_hms(today.year(), today.month() as u8, today.day() as u8, 0, 0, 0)
        .ok_or_else(|| Error::new(format!("cannot use {today} as the document date")))?;
    let options = PdfOptions {
        ident: Smart::Custom(format!("slarapport-{main}")),
        creator: Smart::Custom(Some(format!("slarapport {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(date)),
        standards: if settings.archival {
            PdfStandards::new(&[PdfStandard::A_3b, PdfStandard::Ua_1])
                .map_err(|e| Error::new(format!("PDF standards: {}", e.message())))?
        } else {
            PdfStandards::default()
        },
        tagged: true,
        ..PdfOptions::default()
    };
    match typst_pdf::pdf(&document, &options) {
        Ok(pdf) => Ok((pdf, false)),
        Err(diags) if settings.archival => {
            // The archival standards can reject a layout that is otherwise fine (Typst 0.15
            // refuses, for one, a table whose header is repeated on a page without rows). A
            // report that cannot be archival is still a report: make a plain tagged PDF and
            // say why, rather than making nothing.
            let why: Vec<String> = diags.iter().map(|d| d.message.to_string()).collect();
            eprintln!(
                "warning: the PDF could not be made as PDF/A-3b + PDF/UA-1 ({}); a plain tagged PDF was made instead",
                why.join("; ")
            );
            let plain = PdfOptions { standards: PdfStandards::default(), ..options };
            typst_pdf::pdf(&document, &plain).map(|pdf| (pdf, true)).map_err(|diags| diagnostics_error(&world, &diags))
        }
        Err(diags) => Err(diagnostics_error(&world, &diags)),
    }
}

/// One message per diagnostic: `template.typ:12:5: message`, with Typst's hints.
fn diagnostics_error(world: &ReportWorld, diags: &[SourceDiagnostic]) -> Error {
    let mut lines = Vec::new();
    let mut hints = Vec::new();
    for d in diags.iter().filter(|d| d.severity == Severity::Error) {
        lines.push(format!("{}: {}", locate(world, d), d.message));
        for h in &d.hints {
            hints.push(h.v.to_string());
        }
    }
    let mut e = Error::new(format!(
        "the report template could not be compiled (templates: {}):\n  {}",
        world.templates().origin,
        lines.join("\n  ")
    ));
    for h in hints {
        e = e.with_hint(h);
    }
    e.with_hint("if you use your own templates (--templates), compare them with `slarapport init`'s copy")
}

fn locate(world: &ReportWorld, d: &SourceDiagnostic) -> String {
    let Some(id) = d.span.id() else { return "template".into() };
    let name = id.get().vpath().get_without_slash().to_string();
    let Some(range) = world.range(d.span) else { return name };
    match typst::World::source(world, id) {
        Ok(source) => match source.lines().byte_to_line_column(range.start) {
            Some((line, col)) => format!("{name}:{}:{}", line + 1, col + 1),
            None => name,
        },
        Err(_) => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(main: &str) -> Result<Vec<u8>> {
        let mut set = TemplateSet::embedded();
        set.files.insert("probe.typ".into(), main.as_bytes().to_vec());
        render_pdf_with(&set, "probe.typ", b"{}".to_vec(), NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(), &Default::default())
    }

    #[test]
    fn templates_cannot_read_outside_their_folder() {
        for probe in [
            "#read(\"/etc/passwd\")",
            "#read(\"../Cargo.toml\")",
            "#read(\"../../../../../../etc/hostname\")",
            "#image(\"/usr/share/pixmaps/debian-logo.png\")",
            "#import \"@preview/cetz:0.3.0\": *",
        ] {
            let e = compile(&format!("#set document(title: \"t\")\n#set text(lang: \"nl\")\n{probe}")).unwrap_err();
            assert!(e.message.contains("probe.typ:3:"), "{probe}: {e}");
        }
    }

    #[test]
    fn templates_read_their_own_files() {
        let pdf = compile("#set document(title: \"t\")\n#set text(lang: \"nl\", font: \"Inter\")\n#let l = read(\"lang/nl.toml\")\n#l.len()").unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }
}
