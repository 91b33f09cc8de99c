//! A tool a provider can make its own: branding (names, logo, colours, footer) in every
//! report, `init` (a working folder that works), `--only-first-workday`, and the shell
//! completions and man page generated from the CLI.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{pdftotext, run, text};

fn tmp(name: &str) -> PathBuf {
    common::tmp(&format!("branding-{name}"))
}

/// The PDF with its objects uncompressed (qpdf), to read the structure tree and XMP.
fn raw_pdf(pdf: &Path, scratch: &Path) -> String {
    let qdf = scratch.join("qdf.pdf");
    let q = Command::new("qpdf").args(["--qdf", "--object-streams=disable"]).arg(pdf).arg(&qdf).output().expect("qpdf is installed");
    assert!(q.status.code() == Some(0) || q.status.code() == Some(3), "{}", text(&q));
    String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).to_string()
}

/// A branding folder with `logo` copied from the fixtures and a branding.toml.
fn branding_dir(name: &str, logo: &str, extra: &str) -> PathBuf {
    let d = tmp(name);
    std::fs::create_dir_all(d.join("huisstijl")).unwrap();
    std::fs::copy(Path::new("tests/fixtures/branding").join(logo), d.join("huisstijl").join(logo)).unwrap();
    std::fs::write(
        d.join("branding.toml"),
        format!(
            "provider = \"Voorbeeld IT B.V.\"\nclient = \"Stichting Voorbeeldscholen\"\nlogo = \"huisstijl/{logo}\"\nfooter = \"Voorbeeld IT · Servicedesk 070 123 45 67\"\n{extra}\n[colours]\nprimary = \"#7a1f5c\"\naccent = \"#f6e9f1\"\n"
        ),
    )
    .unwrap();
    d
}

fn monthly_with(branding: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "monthly", "--data", "tests/fixtures/counting", "--period", "2026-10", "--today", "2026-11-02",
        "--out", out.to_str().unwrap(), "--branding", branding.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn png_and_svg_logos_make_archival_pdfs() {
    for (logo, image_object) in [("logo.png", true), ("logo.svg", false)] {
        let d = branding_dir(&format!("logo-{logo}"), logo, "");
        let out = d.join("out");
        let o = monthly_with(&d.join("branding.toml"), &out, &[]);
        assert_eq!(o.status.code(), Some(1), "{logo}: {}", text(&o));
        let pdf = out.join("2026-10/sla-rapportage-2026-10.pdf");
        let t = pdftotext(&pdf);
        for needle in ["Voorbeeld IT B.V.", "Stichting Voorbeeldscholen", "Voorbeeld IT · Servicedesk 070 123 45 67", "SLA-rapportage"] {
            assert!(t.contains(needle), "{logo}: PDF lacks {needle:?}");
        }
        assert!(!t.contains("De Haagse Scholen ·"), "{logo}: the contract's client name is still in the header");
        // The footer text is on every page, the cover included.
        let pages = t.split('\u{c}').filter(|p| !p.trim().is_empty()).count();
        assert_eq!(t.matches("Servicedesk 070 123 45 67").count(), pages, "{logo}: footer not on every page");
        let raw = raw_pdf(&pdf, &d);
        assert!(raw.contains("<pdfaid:part>3</pdfaid:part>") && raw.contains("<pdfuaid:part>1</pdfuaid:part>"), "{logo}: not PDF/A-3b + UA-1");
        assert!(raw.contains("/Alt (Logo van Voorbeeld IT B.V.)"), "{logo}: the logo has no alt text");
        assert_eq!(raw.contains("/Subtype /Image"), image_object, "{logo}: image object");
        // The names reach the JSON through the contract's parties.
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("2026-10/sla-rapportage-2026-10.json")).unwrap()).unwrap();
        assert_eq!(json["meta"]["provider"], "Voorbeeld IT B.V.");
        assert_eq!(json["meta"]["client"], "Stichting Voorbeeldscholen");
    }
}

#[test]
fn manifest_holds_the_branding_and_verify_sees_a_changed_logo() {
    let d = branding_dir("manifest", "logo.svg", "logo_alt = \"Voorbeeld IT\"");
    let out = d.join("out");
    let o = monthly_with(&d.join("branding.toml"), &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let dir = out.join("2026-10");
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let names: Vec<&str> = m["branding_files"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].ends_with("branding.toml") && names[1].ends_with("logo.svg"), "{names:?}");
    let v = run(&["verify", dir.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    std::fs::write(d.join("huisstijl/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>").unwrap();
    let v = run(&["verify", dir.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    assert!(text(&v).contains("logo.svg"), "{}", text(&v));
    // logo_alt replaces the default text alternative.
    let raw = raw_pdf(&dir.join("sla-rapportage-2026-10.pdf"), &d);
    assert!(raw.contains("/Alt (Voorbeeld IT)"), "logo_alt not used");
}

#[test]
fn branding_in_the_data_folder_applies_to_quarterly_and_rca() {
    let d = branding_dir("datafolder", "logo.png", "");
    let data = d.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["tickets.csv", "calls.csv", "measurements.csv"] {
        std::fs::copy(Path::new("fixtures/demo").join(f), data.join(f)).unwrap();
    }
    // branding.toml in the data folder is picked up without --branding; its logo is relative
    // to it.
    std::fs::rename(d.join("branding.toml"), data.join("branding.toml")).unwrap();
    std::fs::rename(d.join("huisstijl"), data.join("huisstijl")).unwrap();
    let out = d.join("out");
    let o = run(&["quarterly", "--data", data.to_str().unwrap(), "--period", "2026-Q3", "--today", "2026-10-05", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = pdftotext(&out.join("2026-Q3/kwartaalrapportage-2026-Q3.pdf"));
    assert!(t.contains("Voorbeeld IT · Servicedesk 070 123 45 67") && t.contains("Stichting Voorbeeldscholen"), "quarterly not branded");
    let raw = raw_pdf(&out.join("2026-Q3/kwartaalrapportage-2026-Q3.pdf"), &d);
    assert!(raw.contains("/Alt (Logo van Voorbeeld IT B.V.)"), "quarterly has no logo");

    let o = run(&["rca", "--data", data.to_str().unwrap(), "--due", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    // No rca/ folder here: the RCAs due are drafts that name the missing file, exit 1.
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let rca = std::fs::read_dir(out.join("rca")).unwrap().flatten().map(|e| e.path()).find(|p| p.extension().is_some_and(|e| e == "pdf")).expect("an RCA PDF");
    let t = pdftotext(&rca);
    assert!(t.contains("Voorbeeld IT · Servicedesk 070 123 45 67") && t.contains("Voorbeeld IT B.V."), "RCA not branded:\n{t}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(rca.with_extension("json")).unwrap()).unwrap();
    assert_eq!(json["meta"]["client"], "Stichting Voorbeeldscholen");
}

#[test]
fn without_branding_the_report_keeps_the_contract_names() {
    let out = tmp("nobranding");
    let o = run(&["monthly", "--data", "tests/fixtures/counting", "--period", "2026-10", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("2026-10/sla-rapportage-2026-10.json")).unwrap()).unwrap();
    assert_eq!(json["meta"]["client"], "De Haagse Scholen");
    assert_eq!(json["meta"]["provider"], "Opdrachtnemer");
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("2026-10/manifest.json")).unwrap()).unwrap();
    assert_eq!(m.get("branding_files"), None, "{m}");
}

#[test]
fn invalid_branding_is_an_error_naming_the_key_or_file() {
    let d = tmp("invalid");
    std::fs::write(d.join("logo.gif"), b"GIF89a").unwrap();
    for (toml, needle) in [
        ("kleur = \"#fff\"\n", "kleur"),
        ("[colours]\nprimary = \"paars\"\n", "colours.primary \"paars\" is not a colour"),
        ("logo = \"weg.svg\"\n", "weg.svg"),
        ("logo = \"logo.gif\"\n", "logo \"logo.gif\" is not an SVG or PNG"),
    ] {
        std::fs::write(d.join("branding.toml"), toml).unwrap();
        let o = monthly_with(&d.join("branding.toml"), &d.join("out"), &[]);
        assert_eq!(o.status.code(), Some(2), "{toml}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("error: ") && err.contains(needle) && err.contains("branding.toml"), "{toml}: {err}");
        assert!(err.contains("hint: "), "{toml}: {err}");
        assert!(!d.join("out").exists(), "{toml}: something was written");
    }
    let o = monthly_with(&d.join("nope.toml"), &d.join("out"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("nope.toml"), "{}", text(&o));
}

#[test]
fn init_makes_a_working_folder() {
    let root = tmp("init");
    let dir = root.join("werkmap");
    let o = run(&["init", dir.to_str().unwrap(), "--today", "2026-11-02"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("Next steps"), "{}", text(&o));
    for f in [
        "contract.toml", "branding.toml", "templates/monthly.typ", "templates/lib.typ", "templates/lang/nl-branding.toml",
        "templates/mail/monthly.nl.txt", "data/tickets.csv", "data/calls.csv", "data/measurements.csv",
        "schedule/slarapport-monthly.service", "schedule/slarapport-monthly.timer", "schedule/crontab",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    // Every embedded template is copied, byte for byte.
    for (name, contents) in slarapport::render::world::EMBEDDED_TEMPLATES {
        assert_eq!(std::fs::read_to_string(dir.join("templates").join(name)).unwrap(), *contents, "{name}");
    }
    let timer = std::fs::read_to_string(dir.join("schedule/slarapport-monthly.timer")).unwrap();
    assert!(timer.contains("OnCalendar=*-*-01..07 07:00:00 Europe/Amsterdam"), "{timer}");
    let service = std::fs::read_to_string(dir.join("schedule/slarapport-monthly.service")).unwrap();
    assert!(service.contains("monthly --only-first-workday --data "), "{service}");
    let cron = std::fs::read_to_string(dir.join("schedule/crontab")).unwrap();
    assert!(cron.lines().any(|l| l.starts_with("0 7 1-7 * * ") && l.contains("--only-first-workday")), "{cron}");

    // The folder works: the monthly report of October 2026 from it.
    let s = |p: &str| dir.join(p).to_str().unwrap().to_string();
    let out = root.join("out");
    let o = run(&[
        "monthly", "--data", &s("data"), "--contract", &s("contract.toml"), "--templates", &s("templates"),
        "--branding", &s("branding.toml"), "--today", "2026-11-02", "--out", out.to_str().unwrap(),
    ]);
    // The demo data init puts there holds deliberately broken rows: made, with findings.
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("rows were rejected"), "{}", text(&o));
    let pdf = out.join("2026-10/sla-rapportage-2026-10.pdf");
    assert!(pdf.is_file(), "{}", text(&o));
    assert!(pdftotext(&pdf).contains("oktober 2026"));

    // A second init refuses to overwrite, and writes nothing; --force overwrites.
    std::fs::write(dir.join("contract.toml"), "# mine\n").unwrap();
    let o = run(&["init", dir.to_str().unwrap(), "--today", "2026-11-02"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("contract.toml") && text(&o).contains("--force"), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(dir.join("contract.toml")).unwrap(), "# mine\n");
    let o = run(&["init", dir.to_str().unwrap(), "--today", "2026-11-02", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_ne!(std::fs::read_to_string(dir.join("contract.toml")).unwrap(), "# mine\n");
}

#[test]
fn only_first_workday_runs_on_the_first_workday_only() {
    let out = tmp("firstworkday");
    let m = |today: &str| {
        run(&[
            "monthly", "--data", "tests/fixtures/counting", "--today", today, "--only-first-workday",
            "--out", out.to_str().unwrap(),
        ])
    };
    // 1 November 2026 is a Sunday: the 3rd is not the first workday, the 2nd is.
    let o = m("2026-11-03");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("not the first workday") && text(&o).contains("2026-11-02"), "{}", text(&o));
    assert!(!out.join("2026-10").exists());
    let o = m("2026-11-01");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!out.join("2026-10").exists());
    let o = m("2026-11-02");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(out.join("2026-10/sla-rapportage-2026-10.pdf").is_file());
    // New Year's Day 2027 is a Friday (a holiday): the first workday is Monday the 4th.
    let o = m("2027-01-01");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("2027-01-04"), "{}", text(&o));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", text(&o));
        let s = String::from_utf8(o.stdout).unwrap();
        assert!(s.contains("monthly") && s.contains("quarterly"), "{shell}");
    }
    let bash = String::from_utf8(run(&["completions", "bash"]).stdout).unwrap();
    assert!(bash.contains("--branding") && bash.contains("--only-first-workday"), "bash completions lack the options");
    let o = run(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_page_mentions_every_subcommand() {
    let o = run(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let man = String::from_utf8(o.stdout).unwrap();
    assert!(man.starts_with(".TH"), "{}", &man[..man.len().min(200)]);
    let cmd = slarapport::cli::command();
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    assert!(subs.len() >= 10, "{subs:?}");
    for sub in &subs {
        assert!(man.contains(&format!("SLARAPPORT {}", sub.to_uppercase())), "the man page has no section for {sub}");
    }
    assert!(man.contains("only\\-first\\-workday") || man.contains("only-first-workday"), "options of monthly missing");
}
