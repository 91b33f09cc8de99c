//! The Typst `World` that compiles our reports: templates, fonts, data — and nothing else.
//!
//! Invariants:
//! - Files come only from the template set (the embedded `templates/` or a user's folder,
//!   read up front); any other path, `/etc/passwd` included, is refused. The report data is
//!   never a file: it arrives as bytes in `sys.inputs.data` and is read with `json(..)`, so
//!   ticket text is data and can never become markup. The provider's logo (`branding.toml`)
//!   arrives the same way, as bytes in `sys.inputs.branding`.
//! - Fonts are the ones shipped in `fonts/` (embedded in the binary), never the system's, so
//!   every machine lays out the same PDF.
//! - `today()` is the run's date, never the wall clock.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Array, Bytes, Datetime, Dict, Duration, IntoValue, Value};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::branding::Branding;
use crate::error::{Error, Result};


const FONT_FILES: &[&[u8]] = &[
    include_bytes!("../../fonts/Inter-Regular.otf"),
    include_bytes!("../../fonts/Inter-Italic.otf"),
    include_bytes!("../../fonts/Inter-SemiBold.otf"),
    include_bytes!("../../fonts/Inter-Bold.otf"),
    include_bytes!("../../fonts/Inter-BoldItalic.otf"),
    // Fallbacks for right-to-left scripts and symbols in ticket text.
    include_bytes!("../../fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansSymbols2-Regular.ttf"),
];

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> =
            FONT_FILES.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
        Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
    })
}

/// Whether the shipped fonts can draw `c`.
pub fn displayable(c: char) -> bool {
    fonts().fonts.iter().any(|f| f.info().coverage.contains(c as u32))
}

/// Longest text the PDF shows of one field; the JSON and the annex hold all of it.
pub const MAX_PDF_TEXT: usize = 500;

/// `s` with every character the shipped fonts cannot draw (emoji, control characters, rare
/// scripts) written as its code point, `[U+1F393]`: shown literally, and a PDF/A file may
/// not hold text it cannot display. Text over `MAX_PDF_TEXT` characters is cut, ending in
/// `… [+N]` (N characters left out).
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let ok = |c: char| c == '\n' || c == '\t' || c == ' ' || (!c.is_control() && displayable(c));
    let long = s.len() > MAX_PDF_TEXT && s.chars().count() > MAX_PDF_TEXT;
    if !long && s.chars().all(ok) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(4 * MAX_PDF_TEXT) + 8);
    let total = s.chars().count();
    for c in s.chars().take(MAX_PDF_TEXT) {
        if ok(c) {
            out.push(c);
        } else if !(c == '\u{FE0F}' || c == '\u{200D}') {
            // Emoji variation selectors and joiners carry no meaning on their own.
            out.push_str(&format!("[U+{:04X}]", c as u32));
        }
    }
    if total > MAX_PDF_TEXT {
        out.push_str(&format!("… [+{}]", total - MAX_PDF_TEXT));
    }
    std::borrow::Cow::Owned(out)
}

/// The template files a report is compiled from.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    /// Path inside the set (with `/`) → contents.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Where they came from, for messages: "embedded" or the folder.
    pub origin: String,
    /// The provider's look (names, logo, colours, footer); the default is the built-in
    /// look. Given to the templates as `sys.inputs.branding` (see `branding_input`).
    pub branding: Branding,
}

impl TemplateSet {
    pub fn embedded() -> TemplateSet {
        TemplateSet {
            files: crate::assets::EMBEDDED_TEMPLATES.iter().map(|(p, c)| (p.to_string(), c.as_bytes().to_vec())).collect(),
            origin: "embedded".into(),
            branding: Branding::default(),
        }
    }

    /// This set with `branding` (see `crate::branding`).
    pub fn with_branding(mut self, branding: Branding) -> TemplateSet {
        self.branding = branding;
        self
    }

    /// The embedded set, with every file of `dir` (recursively) put over it: a user's folder
    /// may replace one template or all of them.
    pub fn with_overrides(dir: &Path) -> Result<TemplateSet> {
        if !dir.is_dir() {
            return Err(Error::new(format!("template folder {} does not exist", dir.display()))
                .with_hint("pass a folder made with `slarapport init`, or leave --templates out"));
        }
        let mut set = TemplateSet::embedded();
        set.origin = dir.display().to_string();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d)
                .map_err(|e| Error::cannot_read(format_args!("template folder {}", d.display()), e))?;
            for entry in entries.flatten() {
                let path = entry.path();
                let meta = std::fs::symlink_metadata(&path)
                    .map_err(|e| Error::cannot_read(path.display(), e))?;
                if meta.is_dir() {
                    stack.push(path);
                } else if meta.is_file() {
                    let rel = path.strip_prefix(dir).expect("inside the folder");
                    let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                    let bytes = std::fs::read(&path)
                        .map_err(|e| Error::cannot_read(path.display(), e))?;
                    set.files.insert(key, bytes);
                }
                // Symbolic links are skipped: a template set holds only its own files.
            }
        }
        Ok(set)
    }
}

/// A file embedded in the PDF (PDF/A-3 allows it): the JSON model and the Excel annex.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub data: Vec<u8>,
    pub mime: String,
    /// `data`, `supplement`, `source` or `alternative` (PDF/A-3's AFRelationship).
    pub relationship: String,
    pub description: String,
}

/// A World for one compilation.
pub struct ReportWorld {
    library: LazyHash<Library>,
    main: FileId,
    templates: TemplateSet,
    today: NaiveDate,
}

pub fn file_id(path: &str) -> Option<FileId> {
    Some(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).ok()?).intern())
}

impl ReportWorld {
    /// `main` is the template to compile (e.g. `monthly.typ`); `data` the report model as JSON.
    pub fn new(templates: TemplateSet, main: &str, data: Vec<u8>, today: NaiveDate) -> Result<Self> {
        Self::with_attachments(templates, main, data, &[], today)
    }

    /// As `new`, with files for the template to attach to the PDF (`sys.inputs.attachments`:
    /// an array of dictionaries with `name`, `data` (bytes), `mime`, `relationship`,
    /// `description`).
    pub fn with_attachments(
        templates: TemplateSet,
        main: &str,
        data: Vec<u8>,
        attachments: &[Attachment],
        today: NaiveDate,
    ) -> Result<Self> {
        if !templates.files.contains_key(main) {
            return Err(Error::new(format!("template {main} is missing from {}", templates.origin)));
        }
        let mut inputs = Dict::new();
        inputs.insert("data".into(), Bytes::new(data).into_value());
        let list: Vec<Value> = attachments
            .iter()
            .map(|a| {
                let mut d = Dict::new();
                d.insert("name".into(), a.name.as_str().into_value());
                d.insert("data".into(), Bytes::new(a.data.clone()).into_value());
                d.insert("mime".into(), a.mime.as_str().into_value());
                d.insert("relationship".into(), a.relationship.as_str().into_value());
                d.insert("description".into(), a.description.as_str().into_value());
                d.into_value()
            })
            .collect();
        inputs.insert("attachments".into(), Array::from(list.as_slice()).into_value());
        inputs.insert("branding".into(), branding_input(&templates.branding).into_value());
        let library = Library::builder().with_inputs(inputs).build();
        let main = file_id(main).ok_or_else(|| Error::new(format!("bad template name {main}")))?;
        Ok(ReportWorld { library: LazyHash::new(library), main, templates, today })
    }

    fn lookup(&self, id: FileId) -> FileResult<&[u8]> {
        let rooted = id.get();
        if matches!(rooted.root(), VirtualRoot::Package(_)) {
            // No packages: nothing is fetched at run time.
            return Err(FileError::AccessDenied);
        }
        let key = rooted.vpath().get_without_slash();
        self.templates
            .files
            .get(key)
            .map(Vec::as_slice)
            .ok_or_else(|| FileError::NotFound(key.into()))
    }

    pub fn templates(&self) -> &TemplateSet {
        &self.templates
    }
}

/// The branding as the templates see it (`sys.inputs.branding`): a dictionary with only the
/// keys the branding sets — `primary`, `accent` (`#rrggbb`), `footer`, and for a logo `logo`
/// (bytes), `logo_format` (`svg` or `png`) and `logo_alt` — so `lib.typ`'s defaults apply to
/// the rest. The logo is bytes, never a path: templates read no file outside their set.
pub fn branding_input(b: &Branding) -> Dict {
    let mut d = Dict::new();
    let mut text = |key: &str, v: &Option<String>| {
        if let Some(v) = v {
            d.insert(key.into(), printable(v).as_ref().into_value());
        }
    };
    text("primary", &b.primary);
    text("accent", &b.accent);
    text("footer", &b.footer);
    if let Some(logo) = &b.logo {
        text("logo_alt", &b.logo_alt);
        d.insert("logo".into(), Bytes::new(logo.bytes.clone()).into_value());
        d.insert("logo_format".into(), logo.format.typst_name().into_value());
    }
    d
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let bytes = self.lookup(id)?;
        let text = std::str::from_utf8(bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        Ok(Bytes::new(self.lookup(id)?.to_vec()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(self.today.year(), self.today.month() as u8, self.today.day() as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_text() {
        assert_eq!(printable("gewoon"), "gewoon");
        assert_eq!(printable("bel\u{7}"), "bel[U+0007]");
        assert_eq!(printable("𓀀"), "[U+13000]");
        assert_eq!(printable("שלום"), "שלום");
        let long = "x".repeat(MAX_PDF_TEXT + 10);
        assert!(printable(&long).ends_with("… [+10]"));
    }
}
