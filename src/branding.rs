//! A provider's branding of its reports: the names of the parties, a logo, the house colours
//! and a footer text, from a small TOML file (`branding.toml` in the data folder, or
//! `--branding FILE`). Without one the reports keep the built-in look.
//!
//! ```toml
//! provider = "Voorbeeld IT B.V."
//! client = "De Haagse Scholen"
//! logo = "logo.svg"            # SVG or PNG, relative to this file
//! logo_alt = "Logo Voorbeeld IT"
//! footer = "Voorbeeld IT B.V. · servicedesk 070 123 45 67"
//!
//! [colours]
//! primary = "#0b5f7a"
//! accent = "#e8f2f5"
//! ```
//!
//! Invariants:
//! - Everything is checked when the file is read: an unknown key, a colour that is not
//!   `#rgb`/`#rrggbb`, a logo that is missing or not an SVG/PNG Typst can decode — each is an
//!   error naming the key or file, before anything is rendered.
//! - The logo reaches Typst as bytes (`sys.inputs.branding.logo`, see `render::world`), never
//!   as a path: templates still read nothing outside their template set.
//! - The names override the contract's `[parties]` in one place, [`Branding::apply_names`],
//!   called when a run is set up; every report model takes them from there.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::contract::LoadedContract;
use crate::error::{Error, Result};

/// The file looked for in the data folder when `--branding` is not given.
pub const BRANDING_FILE: &str = "branding.toml";

/// The keys a branding file may hold, for hints.
pub const BRANDING_KEYS: &str = "provider, client, logo, logo_alt, footer, [colours] primary, accent";

/// The longest footer text: it has to fit on one line beside the date and the page number.
pub const MAX_FOOTER_CHARS: usize = 120;


/// The house colours, used when the branding sets none (the same as in `templates/lib.typ`).
pub const DEFAULT_PRIMARY: &str = "#0b5f7a";
pub const DEFAULT_ACCENT: &str = "#e8f2f5";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BrandingFile {
    provider: Option<String>,
    client: Option<String>,
    logo: Option<String>,
    logo_alt: Option<String>,
    footer: Option<String>,
    colours: Option<ColoursFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColoursFile {
    primary: Option<String>,
    accent: Option<String>,
}

/// The image format of a logo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoFormat {
    Svg,
    Png,
}

impl LogoFormat {
    /// The name Typst's `image(format: ..)` takes.
    pub fn typst_name(self) -> &'static str {
        match self {
            LogoFormat::Svg => "svg",
            LogoFormat::Png => "png",
        }
    }
}

/// A logo, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// The file it was read from (the branding file's folder joined with `logo`).
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub format: LogoFormat,
}

/// The branding of a run; `Branding::default()` is the built-in look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Branding {
    /// The branding file, when there is one.
    pub source: Option<PathBuf>,
    /// The SHA-256 of the branding file's bytes (for the manifest).
    pub sha256: Option<String>,
    pub provider: Option<String>,
    pub client: Option<String>,
    /// `#rrggbb`, lower case.
    pub primary: Option<String>,
    /// `#rrggbb`, lower case.
    pub accent: Option<String>,
    pub footer: Option<String>,
    pub logo: Option<Logo>,
    /// The logo's text alternative (PDF/UA); the template's "Logo of <provider>" when `None`.
    pub logo_alt: Option<String>,
    /// Things that work but may not look right (poor contrast), for `warning:` lines.
    pub warnings: Vec<String>,
}

impl Branding {
    /// The branding of a run: `explicit` (`--branding FILE`) if given, else `branding.toml`
    /// in the data folder if it exists, else the built-in look.
    pub fn resolve(explicit: Option<&Path>, data_dir: Option<&Path>) -> Result<Branding> {
        match (explicit, data_dir) {
            (Some(p), _) => Branding::load(p),
            (None, Some(d)) if d.join(BRANDING_FILE).is_file() => Branding::load(&d.join(BRANDING_FILE)),
            _ => Ok(Branding::default()),
        }
    }

    /// Reads and checks a branding file; the logo path is relative to the file's folder.
    pub fn load(path: &Path) -> Result<Branding> {
        let bytes = crate::limits::read_file(path, crate::limits::MAX_SMALL_FILE_BYTES, "branding file").map_err(|e| {
            e.with_hint("pass an existing file with --branding, or leave it out for the built-in look")
        })?;
        let text = String::from_utf8(bytes.clone())
            .map_err(|_| Error::new(format!("branding file {} is not UTF-8", path.display())).with_hint("save it as UTF-8"))?;
        let base = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut b = Branding::parse(&text, &path.display().to_string(), base)?;
        b.source = Some(path.to_path_buf());
        b.sha256 = Some(crate::digest::sha256_hex(&bytes));
        Ok(b)
    }

    /// Parses branding TOML; `name` is used in messages, `base` is the folder `logo` is
    /// relative to.
    pub fn parse(text: &str, name: &str, base: &Path) -> Result<Branding> {
        let f: BrandingFile = toml::from_str(text).map_err(|e| {
            Error::new(format!("branding file {name}: {}", e.to_string().trim_end()))
                .with_hint(format!("a branding file may hold these keys: {BRANDING_KEYS}"))
                .with_hint("`slarapport init DIR` writes a commented example")
        })?;
        let text_key = |key: &str, v: Option<String>| -> Result<Option<String>> {
            match v {
                Some(s) if s.trim().is_empty() => Err(Error::new(format!("branding file {name}: {key} is empty"))
                    .with_hint(format!("fill in {key}, or leave the key out"))),
                Some(s) if s.contains('\n') || s.contains('\r') => {
                    Err(Error::new(format!("branding file {name}: {key} holds a line break"))
                        .with_hint(format!("write {key} on one line")))
                }
                other => Ok(other.map(|s| s.trim().to_string())),
            }
        };
        let provider = text_key("provider", f.provider)?;
        let client = text_key("client", f.client)?;
        let logo_alt = text_key("logo_alt", f.logo_alt)?;
        let footer = text_key("footer", f.footer)?;
        if let Some(s) = &footer {
            let n = s.chars().count();
            if n > MAX_FOOTER_CHARS {
                return Err(Error::new(format!(
                    "branding file {name}: footer is {n} characters long, more than the {MAX_FOOTER_CHARS} that fit on one line"
                ))
                .with_hint("shorten the footer text, for example to the provider's name and the service desk's number"));
            }
        }
        let colours = f.colours.unwrap_or(ColoursFile { primary: None, accent: None });
        let primary = colours.primary.map(|c| parse_colour(&c, "colours.primary", name)).transpose()?;
        let accent = colours.accent.map(|c| parse_colour(&c, "colours.accent", name)).transpose()?;
        let logo = match text_key("logo", f.logo)? {
            Some(rel) => Some(read_logo(&base.join(&rel), &rel, name)?),
            None => None,
        };
        if logo_alt.is_some() && logo.is_none() {
            return Err(Error::new(format!("branding file {name}: logo_alt is given, but no logo"))
                .with_hint("add logo = \"logo.svg\" (a file beside the branding file), or leave logo_alt out"));
        }
        let mut warnings = Vec::new();
        if let Some(p) = &primary {
            let c = contrast(p, "#ffffff");
            if c < 4.5 {
                warnings.push(format!(
                    "branding file {name}: colours.primary {p} is light (contrast with white {c:.1}:1, under 4.5:1): the white text of table headers will be hard to read"
                ));
            }
        }
        if let Some(a) = &accent {
            let c = contrast(a, "#1f2937");
            if c < 4.5 {
                warnings.push(format!(
                    "branding file {name}: colours.accent {a} is dark (contrast with the text {c:.1}:1, under 4.5:1): text on striped rows and tiles will be hard to read"
                ));
            }
        }
        Ok(Branding { source: None, sha256: None, provider, client, primary, accent, footer, logo, logo_alt, warnings })
    }

    /// Puts the branding's provider and client names over the contract's `[parties]`: the
    /// one place where they are overridden, so every report model (monthly, quarterly, RCA)
    /// shows the same names.
    pub fn apply_names(&self, contract: &mut LoadedContract) {
        if let Some(p) = &self.provider {
            contract.contract.parties.provider = p.clone();
        }
        if let Some(c) = &self.client {
            contract.contract.parties.client = c.clone();
        }
    }

    /// Whether this is the built-in look (no branding file).
    pub fn is_default(&self) -> bool {
        self.source.is_none() && *self == Branding::default()
    }
}

/// `#rgb` or `#rrggbb` → `#rrggbb` (lower case).
fn parse_colour(value: &str, key: &str, name: &str) -> Result<String> {
    let v = value.trim();
    let hex = v.strip_prefix('#').unwrap_or("");
    let ok = matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit());
    if !ok {
        return Err(Error::new(format!("branding file {name}: {key} \"{value}\" is not a colour"))
            .with_hint(format!("write it as a hex colour, #rrggbb or #rgb, for example {key} = \"{DEFAULT_PRIMARY}\"")));
    }
    let hex = hex.to_ascii_lowercase();
    Ok(if hex.len() == 3 { format!("#{}", hex.chars().flat_map(|c| [c, c]).collect::<String>()) } else { format!("#{hex}") })
}

/// WCAG contrast ratio of two `#rrggbb` colours.
fn contrast(a: &str, b: &str) -> f64 {
    fn lum(c: &str) -> f64 {
        let ch = |i: usize| {
            let v = u8::from_str_radix(&c[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
            if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5)
    }
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Reads `path` (given as `rel` in the file `name`) and checks it is an SVG or PNG that Typst
/// can decode.
fn read_logo(path: &Path, rel: &str, name: &str) -> Result<Logo> {
    // Every message names the branding file and the logo as written there.
    let bad = |what: std::fmt::Arguments| Error::new(format!("branding file {name}: logo \"{rel}\" {what}"));
    let unreadable = |e: std::io::Error| bad(format_args!("cannot be read: {} ({e})", path.display()));
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let format = match ext.as_deref() {
        Some("svg") => LogoFormat::Svg,
        Some("png") => LogoFormat::Png,
        _ => {
            return Err(bad(format_args!("is not an SVG or PNG file"))
                .with_hint("export the logo as SVG (best: sharp at any size) or PNG, and name the file *.svg or *.png"));
        }
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        unreadable(e).with_hint("the logo path is relative to the folder of the branding file; put the logo there or fix the path")
    })?;
    if !meta.is_file() {
        return Err(bad(format_args!("is not a file: {}", path.display()))
            .with_hint("the logo path is relative to the folder of the branding file"));
    }
    if meta.len() as usize > crate::limits::MAX_LOGO_BYTES {
        return Err(bad(format_args!(
            "is {} KiB, more than the {} KiB a logo may be",
            meta.len() / 1024,
            crate::limits::MAX_LOGO_BYTES / 1024
        ))
        .with_hint("export the logo smaller: a PNG of 600 pixels wide is plenty, an SVG is smaller still"));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    check_logo(&bytes, format).map_err(|why| {
        bad(format_args!("({}) {why}", path.display())).with_hint(match format {
            LogoFormat::Svg => "save the logo again as plain SVG (with xmlns=\"http://www.w3.org/2000/svg\"), or use a PNG",
            LogoFormat::Png => "save the logo again as PNG, or use an SVG",
        })
    })?;
    Ok(Logo { path: path.to_path_buf(), bytes, format })
}

/// Decodes the logo as Typst will, so a broken file is found before rendering.
fn check_logo(bytes: &[u8], format: LogoFormat) -> Result<(), String> {
    use typst::foundations::Bytes;
    use typst::visualize::{ExchangeFormat, RasterImage};
    match format {
        LogoFormat::Png => {
            if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
                return Err("is not a PNG file (its first bytes are not a PNG signature)".into());
            }
            // The size from the header, before anything is decoded: a few KiB can claim
            // 100,000 × 100,000 pixels, tens of GB once decoded.
            if let (Some(w), Some(h)) = (bytes.get(16..20), bytes.get(20..24)) {
                let (w, h) = (u32::from_be_bytes(w.try_into().expect("4 bytes")), u32::from_be_bytes(h.try_into().expect("4 bytes")));
                let max = crate::limits::MAX_LOGO_SIDE_PIXELS;
                if w > max || h > max {
                    return Err(format!("is {w} × {h} pixels, more than the {max} × {max} a logo may be (export it at about 600 pixels wide)"));
                }
            }
            RasterImage::plain(Bytes::new(bytes.to_vec()), ExchangeFormat::Png)
                .map(|_| ())
                .map_err(|e| format!("cannot be decoded as PNG: {e}"))
        }
        LogoFormat::Svg => {
            let head = &bytes[..bytes.len().min(4096)];
            if !String::from_utf8_lossy(head).contains("<svg") {
                return Err("is not an SVG file (it holds no <svg> element)".into());
            }
            let opts = usvg::Options { resources_dir: None, ..usvg::Options::default() };
            let tree = usvg::Tree::from_data(bytes, &opts).map_err(|e| format!("cannot be read as SVG: {e}"))?;
            if tree.size().width() <= 0.0 || tree.size().height() <= 0.0 {
                return Err("has no size (give the <svg> element a width and height or a viewBox)".into());
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" rx="6" fill="#7a0b3c"/></svg>"##;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("slarapport-branding-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn parse_in(d: &Path, toml: &str) -> Result<Branding> {
        std::fs::write(d.join("branding.toml"), toml).unwrap();
        Branding::load(&d.join("branding.toml"))
    }

    #[test]
    fn a_full_file_reads() {
        let d = dir("full");
        std::fs::write(d.join("logo.svg"), SVG).unwrap();
        let b = parse_in(
            &d,
            "provider = \"Voorbeeld IT\"\nclient = \"Stichting X\"\nlogo = \"logo.svg\"\nfooter = \"Voorbeeld IT · 070 123\"\n[colours]\nprimary = \"#7A0B3C\"\naccent = \"#fde\"\n",
        )
        .unwrap();
        assert_eq!(b.provider.as_deref(), Some("Voorbeeld IT"));
        assert_eq!(b.primary.as_deref(), Some("#7a0b3c"));
        assert_eq!(b.accent.as_deref(), Some("#ffddee"));
        assert_eq!(b.logo.as_ref().unwrap().format, LogoFormat::Svg);
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
        assert!(b.sha256.is_some());
        let mut c = LoadedContract::embedded();
        b.apply_names(&mut c);
        assert_eq!(c.contract.parties.provider, "Voorbeeld IT");
        assert_eq!(c.contract.parties.client, "Stichting X");
    }

    #[test]
    fn absent_file_is_the_built_in_look() {
        let d = dir("absent");
        let b = Branding::resolve(None, Some(&d)).unwrap();
        assert!(b.is_default());
        let e = Branding::resolve(Some(&d.join("nope.toml")), Some(&d)).unwrap_err();
        assert!(e.message.contains("nope.toml"), "{e}");
    }

    #[test]
    fn names_left_out_keep_the_contract() {
        let d = dir("names");
        let b = parse_in(&d, "footer = \"x\"\n").unwrap();
        let mut c = LoadedContract::embedded();
        b.apply_names(&mut c);
        assert_eq!(c.contract.parties.client, "De Haagse Scholen");
    }

    #[test]
    fn mistakes_name_the_key_or_file() {
        let d = dir("bad");
        std::fs::write(d.join("logo.jpg"), b"\xff\xd8\xff\xe0").unwrap();
        std::fs::write(d.join("fake.png"), b"not a png").unwrap();
        std::fs::write(d.join("fake.svg"), b"<html></html>").unwrap();
        std::fs::write(d.join("broken.svg"), b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect").unwrap();
        for (toml, needle) in [
            ("provder = \"x\"\n", "provder"),
            ("[colours]\nprimry = \"#fff\"\n", "primry"),
            ("[colors]\nprimary = \"#fff\"\n", "colors"),
            ("[colours]\nprimary = \"blue\"\n", "colours.primary \"blue\" is not a colour"),
            ("[colours]\naccent = \"#12345\"\n", "colours.accent"),
            ("logo = \"missing.svg\"\n", "logo \"missing.svg\" cannot be read"),
            ("logo = \"logo.jpg\"\n", "logo \"logo.jpg\" is not an SVG or PNG"),
            ("logo = \"fake.png\"\n", "is not a PNG file"),
            ("logo = \"fake.svg\"\n", "is not an SVG file"),
            ("logo = \"broken.svg\"\n", "cannot be read as SVG"),
            ("provider = \"\"\n", "provider is empty"),
            ("logo_alt = \"x\"\n", "logo_alt is given, but no logo"),
            (&format!("footer = \"{}\"\n", "x".repeat(MAX_FOOTER_CHARS + 1)), "footer is"),
        ] {
            let e = parse_in(&d, toml).unwrap_err();
            assert!(e.message.contains(needle), "{toml}: {e}");
            assert!(e.message.contains("branding.toml"), "{toml}: {e}");
            assert!(!e.hints.is_empty(), "{toml}: no hint");
        }
    }

    /// The logo's messages in full: branding file, logo as written, then what is wrong.
    #[test]
    fn a_logo_error_names_the_branding_file_and_the_logo() {
        let d = dir("logo-messages");
        std::fs::write(d.join("fake.png"), b"not a png").unwrap();
        let (missing, fake) = (d.join("missing.svg"), d.join("fake.png"));
        let e = read_logo(&missing, "missing.svg", "huisstijl.toml").unwrap_err();
        let why = std::fs::metadata(&missing).unwrap_err();
        assert_eq!(e.message, format!("branding file huisstijl.toml: logo \"missing.svg\" cannot be read: {} ({why})", missing.display()));
        let e = read_logo(&fake, "fake.png", "huisstijl.toml").unwrap_err();
        assert_eq!(
            e.message,
            format!("branding file huisstijl.toml: logo \"fake.png\" ({}) is not a PNG file (its first bytes are not a PNG signature)", fake.display())
        );
    }

    #[test]
    fn a_png_claiming_100000_pixels_square_is_refused_before_decoding() {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut c = !0u32;
            for &b in bytes {
                c ^= u32::from(b);
                for _ in 0..8 {
                    c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
                }
            }
            !c
        }
        // The committed logo with its header saying 100,000 × 100,000 (its checksum right).
        let mut png = std::fs::read("tests/fixtures/branding/logo.png").unwrap();
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        let e = check_logo(&png, LogoFormat::Png).unwrap_err();
        assert!(e.contains("is 100000 × 100000 pixels, more than the 10000 × 10000"), "{e}");
        assert!(check_logo(&std::fs::read("tests/fixtures/branding/logo.png").unwrap(), LogoFormat::Png).is_ok());
    }

    #[test]
    fn light_primary_is_a_warning() {
        let d = dir("contrast");
        let b = parse_in(&d, "[colours]\nprimary = \"#ffee00\"\naccent = \"#333333\"\n").unwrap();
        assert_eq!(b.warnings.len(), 2, "{:?}", b.warnings);
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    }
}
