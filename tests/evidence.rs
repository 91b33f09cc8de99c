//! Reports as evidence: reproducible bytes, a manifest that `verify` checks, archival and
//! accessible PDF, atomic outputs that survive a killed run, one writer per folder, and
//! hostile ticket text that prints literally.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{bin, run, text};

fn tmp(name: &str) -> PathBuf {
    common::tmp(&format!("ev-{name}"))
}

fn monthly(data: &Path, out: &Path, today: &str) -> Output {
    bin()
        .args(["monthly", "--period", "2026-10", "--today", today])
        .arg("--data")
        .arg(data)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// The PDF uncompressed (qpdf), so the catalog and the XMP metadata can be read.
fn raw_pdf(pdf: &Path, scratch: &Path) -> String {
    let qdf = scratch.join("qdf.pdf");
    let q = Command::new("qpdf").args(["--qdf", "--object-streams=disable"]).arg(pdf).arg(&qdf).output().expect("qpdf is installed");
    assert!(q.status.code() == Some(0) || q.status.code() == Some(3), "{}", text(&q));
    String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).to_string()
}

fn sha(p: &Path) -> String {
    slarapport::digest::sha256_hex(&std::fs::read(p).unwrap())
}

#[test]
fn verify_names_a_changed_input() {
    let data = tmp("verify-data");
    std::fs::copy("tests/fixtures/counting/tickets.csv", data.join("tickets.csv")).unwrap();
    std::fs::copy("fixtures/demo/calls.csv", data.join("calls.csv")).unwrap();
    let out = tmp("verify-out");
    let o = monthly(&data, &out, "2026-11-02");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let dir = out.join("2026-10");
    let v = bin().arg("verify").arg(&dir).output().unwrap();
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    assert!(text(&v).contains("all files match"));
    // Change one input file: verify names it, and only it.
    std::fs::write(data.join("calls.csv"), "started_at,wait_seconds,answered\n2026-10-05T09:00,5,true\n").unwrap();
    let v = bin().arg("verify").arg(&dir).output().unwrap();
    assert_eq!(v.status.code(), Some(1));
    let t = text(&v);
    assert!(t.contains("calls.csv: changed since the report was made"), "{t}");
    assert!(!t.contains("tickets.csv") && !t.contains("sla-rapportage"), "{t}");
    // And one output, a single byte of the cover message: verify names both.
    let mail = dir.join("sla-rapportage-2026-10.txt");
    let mut bytes = std::fs::read(&mail).unwrap();
    bytes[0] ^= 0x20;
    std::fs::write(&mail, bytes).unwrap();
    let v = bin().arg("verify").arg(&dir).output().unwrap();
    assert_eq!(v.status.code(), Some(1));
    let t = text(&v);
    assert!(t.contains("calls.csv: changed since the report was made"), "{t}");
    assert!(t.contains("sla-rapportage-2026-10.txt: changed since the report was made"), "{t}");
    assert!(!t.contains("sla-rapportage-2026-10.pdf") && !t.contains("sla-rapportage-2026-10.json"), "{t}");
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["inputs"][0]["name"], "tickets.csv");
    assert_eq!(manifest["inputs"][0]["rows"], 9);
    assert!(manifest["template_files"].as_array().unwrap().iter().any(|f| f["name"] == "monthly.typ"));
    assert_eq!(manifest["outputs"].as_array().unwrap().len(), 4);
}

/// The files that shape a report without rows (the RCA files, the provider's commentary) are
/// hashed too: a changed RCA or commentary file is named by verify.
#[test]
fn verify_names_a_changed_rca_or_commentary_file() {
    let data = tmp("verify-documents");
    for f in ["tickets.csv", "measurements.csv", "rca/P1A.toml", "rca/P1B.toml"] {
        std::fs::create_dir_all(data.join(f).parent().unwrap()).unwrap();
        std::fs::copy(Path::new("tests/fixtures/story").join(f), data.join(f)).unwrap();
    }
    std::fs::create_dir_all(data.join("toelichting")).unwrap();
    std::fs::write(data.join("toelichting/2026-10.toml"), "summary = \"Een rustige maand.\"\n").unwrap();
    let out = tmp("verify-documents-out");
    let o = monthly(&data, &out, "2026-11-03");
    // Made, with the story's one finding (ticket L's recorded priority is not the matrix's).
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("warning: 1 data-quality warnings"), "{}", text(&o));
    let dir = out.join("2026-10");
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let names: Vec<&str> = manifest["inputs"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    for doc in ["rca/P1A.toml", "rca/P1B.toml", "toelichting/2026-10.toml"] {
        assert!(names.contains(&doc), "{doc} not in {names:?}");
    }
    let v = bin().arg("verify").arg(&dir).output().unwrap();
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    std::fs::write(data.join("rca/P1B.toml"), std::fs::read_to_string(data.join("rca/P1B.toml")).unwrap() + "# later\n").unwrap();
    std::fs::write(data.join("toelichting/2026-10.toml"), "summary = \"Toch niet rustig.\"\n").unwrap();
    let v = bin().arg("verify").arg(&dir).output().unwrap();
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    let t = text(&v);
    assert!(t.contains("rca/P1B.toml: changed") && t.contains("toelichting/2026-10.toml: changed"), "{t}");
    assert!(!t.contains("P1A.toml"), "{t}");
}

#[test]
fn archival_accessible_pdf_with_embedded_data() {
    let out = tmp("pdfa");
    let o = monthly(Path::new("tests/fixtures/counting"), &out, "2026-11-02");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let pdf = out.join("2026-10/sla-rapportage-2026-10.pdf");
    let check = Command::new("qpdf").arg("--check").arg(&pdf).output().expect("qpdf is installed");
    assert!(check.status.success(), "{}", text(&check));
    let raw = raw_pdf(&pdf, &out);
    assert!(raw.contains("<pdfaid:part>3</pdfaid:part>") && raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "not PDF/A-3b");
    assert!(raw.contains("<pdfuaid:part>1</pdfuaid:part>"), "not PDF/UA-1");
    assert!(raw.contains("/Lang (nl)"), "no document language");
    assert!(raw.contains("/StructTreeRoot"), "not tagged");
    assert!(raw.contains("/S /H1") || raw.contains("/S /H2"), "no real headings in the structure tree");
    assert!(raw.contains("SLA-rapportage oktober 2026"), "no title");
    // The report model and the annex are attached: the annex byte for byte, the model as the
    // JSON file beside the PDF without its per-ticket list (which the annex holds).
    let list = Command::new("pdfdetach").arg("-list").arg(&pdf).output().unwrap();
    let list = String::from_utf8_lossy(&list.stdout).to_string();
    assert!(list.contains("2 embedded files") && list.contains("sla-rapportage-2026-10-model.json"), "{list}");
    assert!(list.contains("sla-rapportage-2026-10-bijlage.xlsx"), "{list}");
    let detach = |name: &str| {
        let saved = out.join(format!("detached-{name}"));
        let d = Command::new("pdfdetach").args(["-savefile", name, "-o"]).arg(&saved).arg(&pdf).output().unwrap();
        assert!(d.status.success(), "{}", text(&d));
        saved
    };
    let annex = detach("sla-rapportage-2026-10-bijlage.xlsx");
    assert_eq!(sha(&annex), sha(&out.join("2026-10/sla-rapportage-2026-10-bijlage.xlsx")));
    let model: serde_json::Value = serde_json::from_slice(&std::fs::read(detach("sla-rapportage-2026-10-model.json")).unwrap()).unwrap();
    let mut beside: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("2026-10/sla-rapportage-2026-10.json")).unwrap()).unwrap();
    let tickets = beside.as_object_mut().unwrap().remove("tickets").unwrap();
    assert!(!tickets.as_array().unwrap().is_empty());
    assert!(model.get("tickets").is_none());
    assert_eq!(model, beside);
}

/// The demo's reports settle maluses, so each must be the archival PDF (PDF/A-3b + PDF/UA-1)
/// with its annex attached, not the plain fallback. The fallback came from headings that
/// skipped a level (the improvement actions' and escalations' level-3 headings placed under a
/// chapter heading in the monthly and annual reports).
#[test]
fn demo_reports_are_archival() {
    let out = tmp("demo-archival");
    let runs: [(&[&str], &str, &str); 3] = [
        (&["monthly", "--period", "2026-10", "--today", "2026-11-03"], "2026-10/sla-rapportage-2026-10", "nl"),
        (&["quarterly", "--period", "2026-Q3", "--today", "2026-10-05"], "2026-Q3/kwartaalrapportage-2026-Q3", "nl"),
        (&["annual", "--period", "2026", "--today", "2027-01-10"], "2026/jaarrapportage-2026", "nl"),
    ];
    for (args, stem, lang) in runs {
        let o = bin().args(args).args(["--data", "fixtures/demo", "--out"]).arg(&out).output().unwrap();
        let t = text(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: the demo has rejected rows: {t}");
        assert!(!t.contains("could not be made as PDF/A"), "{args:?}: fell back to a plain PDF: {t}");
        let pdf = out.join(format!("{stem}.pdf"));
        let raw = raw_pdf(&pdf, &out);
        assert!(raw.contains("<pdfaid:part>3</pdfaid:part>") && raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{args:?}: not PDF/A-3b");
        assert!(raw.contains("<pdfuaid:part>1</pdfuaid:part>"), "{args:?}: not PDF/UA-1");
        assert!(raw.contains(&format!("/Lang ({lang})")), "{args:?}: no document language");
        let list = Command::new("pdfdetach").arg("-list").arg(&pdf).output().unwrap();
        let list = String::from_utf8_lossy(&list.stdout).to_string();
        let annex = format!("{}-bijlage.xlsx", stem.rsplit('/').next().unwrap());
        assert!(list.contains(&annex), "{args:?}: the annex is not attached: {list}");
    }
}

/// A PDF that could only be made plain (here: a user's template whose heading skips a level,
/// which PDF/UA-1 refuses) is a finding: the run says so and exits 1, where the same data
/// with the embedded templates exits 0.
#[test]
fn a_plain_fallback_pdf_is_a_finding() {
    let templates = tmp("fallback-templates");
    let own = format!("{}\n#heading(level: 1, numbering: none)[Chapter]\n#heading(level: 3, numbering: none)[Skipped a level]\n", include_str!("../templates/monthly.typ"));
    std::fs::write(templates.join("monthly.typ"), own).unwrap();
    let args = ["monthly", "--data", "tests/fixtures/all-week", "--period", "2026-10", "--today", "2026-11-03", "--out"];
    let clean = bin().args(args).arg(tmp("fallback-clean")).output().unwrap();
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
    let o = bin().args(args).arg(tmp("fallback-out")).arg("--templates").arg(&templates).output().unwrap();
    let t = text(&o);
    assert!(t.contains("could not be made as PDF/A-3b + PDF/UA-1") && t.contains("skipped from heading level"), "{t}");
    assert_eq!(o.status.code(), Some(1), "{t}");
}

#[test]
fn quarterly_pdf_embeds_its_model_and_annex() {
    let out = tmp("pdfa-quarter");
    let o = run(&["quarterly", "--data", "tests/fixtures/counting", "--period", "2026-Q4", "--today", "2027-01-05", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let dir = out.join("2026-Q4");
    let pdf = dir.join("kwartaalrapportage-2026-Q4.pdf");
    let list = Command::new("pdfdetach").arg("-list").arg(&pdf).output().unwrap();
    let list = String::from_utf8_lossy(&list.stdout).to_string();
    assert!(list.contains("2 embedded files") && list.contains("kwartaalrapportage-2026-Q4-model.json"), "{list}");
    assert!(list.contains("kwartaalrapportage-2026-Q4-bijlage.xlsx"), "{list}");
    let saved = out.join("detached-model.json");
    let d = Command::new("pdfdetach").args(["-savefile", "kwartaalrapportage-2026-Q4-model.json", "-o"]).arg(&saved).arg(&pdf).output().unwrap();
    assert!(d.status.success(), "{}", text(&d));
    // The model is the JSON file beside the PDF without its per-ticket list, value for value.
    let model: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    let mut beside: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("kwartaalrapportage-2026-Q4.json")).unwrap()).unwrap();
    let tickets = beside.as_object_mut().unwrap().remove("tickets").unwrap();
    assert!(!tickets.as_array().unwrap().is_empty());
    assert!(model.get("tickets").is_none() && model.get("rejections").is_some());
    assert_eq!(model, beside);
}

#[test]
fn plain_pdf_on_request() {
    let out = tmp("plain");
    let o = bin()
        .args(["monthly", "--data", "tests/fixtures/counting", "--period", "2026-10", "--today", "2026-11-02", "--no-archival", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let list = Command::new("pdfdetach").arg("-list").arg(out.join("2026-10/sla-rapportage-2026-10.pdf")).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("0 embedded files"));
}

/// The moments a run is killed at, each while it writes the report: the fresh folder made,
/// its first file, most of its files, the manifest (written last), and the swap done but not
/// finished (the old report not yet moved into `versies/`).
const KILL_POINTS: &[(&str, fn(&Path) -> bool)] = &[
    ("the fresh folder made", |out| out.join(".2026-10.new").is_dir()),
    ("a first file in the fresh folder", |out| std::fs::read_dir(out.join(".2026-10.new")).is_ok_and(|d| d.count() >= 2)),
    ("four files in the fresh folder", |out| std::fs::read_dir(out.join(".2026-10.new")).is_ok_and(|d| d.count() >= 5)),
    ("the manifest in the fresh folder", |out| out.join(".2026-10.new/manifest.json").is_file()),
    ("the new report swapped in, the old one not yet kept", |out| out.join("2026-10/.slarapport-unfinished").is_file()),
];

/// Whether a run was stopped while it wrote: its fresh folder, or the mark of an unfinished
/// swap, is still there.
fn stopped_while_writing(out: &Path) -> bool {
    out.join(".2026-10.new").exists() || out.join("2026-10/.slarapport-unfinished").exists()
}

#[test]
fn a_killed_run_leaves_whole_files() {
    let data = Path::new("fixtures/demo");
    let (out, pristine, reference) = (tmp("kill"), tmp("kill-old"), tmp("kill-ref"));
    // The old report (made on 2 November) and what the new run (5 November) writes.
    assert_eq!(monthly(data, &pristine, "2026-11-02").status.code(), Some(1));
    assert_eq!(monthly(data, &reference, "2026-11-05").status.code(), Some(1));
    let dir = out.join("2026-10");
    let names: Vec<String> = std::fs::read_dir(pristine.join("2026-10"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with('.'))
        .collect();
    let old: Vec<(String, String)> = names.iter().map(|n| (n.clone(), sha(&pristine.join("2026-10").join(n)))).collect();
    let new: Vec<(String, String)> = names.iter().map(|n| (n.clone(), sha(&reference.join("2026-10").join(n)))).collect();
    for (point, reached) in KILL_POINTS {
        // The run is watched and killed the moment it reaches the point; a run that got past
        // the point before the kill landed is tried again (the machine may be busy). Each try
        // starts from the old report alone.
        let landed = (0..8).any(|_| {
            let _ = std::fs::remove_dir_all(&out);
            std::fs::create_dir_all(&dir).unwrap();
            for n in &names {
                std::fs::copy(pristine.join("2026-10").join(n), dir.join(n)).unwrap();
            }
            let mut child = bin()
                .args(["monthly", "--period", "2026-10", "--today", "2026-11-05", "--data"])
                .arg(data)
                .arg("--out")
                .arg(&out)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            while child.try_wait().unwrap().is_none() {
                if reached(&out) {
                    let _ = child.kill();
                    break;
                }
            }
            let status = child.wait().unwrap();
            // The folder holds the old set or the new set, never a mix.
            let now: Vec<(String, String)> = names.iter().map(|n| (n.clone(), sha(&dir.join(n)))).collect();
            assert!(now == old || now == new, "neither the old nor the new report after a kill at {point}");
            status.code().is_none() && stopped_while_writing(&out)
        });
        assert!(landed, "no kill landed at {point} in 8 runs");
    }
    // The last kill left the new report swapped in and the old one not yet kept.
    assert!(dir.join(".slarapport-unfinished").is_file());
    // A rerun replaces everything and cleans up left-over temporary files.
    assert_eq!(monthly(data, &out, "2026-11-05").status.code(), Some(1));
    for (name, n) in &new {
        assert_eq!(sha(&dir.join(name)), *n, "{name} after the rerun");
    }
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp") || n.starts_with(".slarapport"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // No fresh folder, old folder or lock file beside it; the first report kept as a version.
    let beside: Vec<String> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    assert_eq!(beside, ["2026-10"]);
    let versions: Vec<String> = std::fs::read_dir(dir.join("versies")).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    assert_eq!(versions, ["2026-11-02"]);
    for (name, o) in &old {
        assert_eq!(sha(&dir.join("versies/2026-11-02").join(name)), *o, "{name} of the kept version");
    }
}

/// A real full disk (a 1 MB tmpfs, where the machine lets the tests mount one; skipped with
/// a note elsewhere): a rerun that runs out of space after writing the new PDF fails with an
/// error and leaves the old whole report and nothing beside it; with space again, the rerun
/// replaces it and keeps it as a version.
#[test]
fn a_full_disk_leaves_the_old_report() {
    struct Mounted(PathBuf);
    impl Drop for Mounted {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let out = tmp("full-disk");
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"]).arg(&out).output();
    if !mounted.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: cannot mount a tmpfs here (not root, or not allowed)");
        return;
    }
    let _mounted = Mounted(out.clone());
    let data = Path::new("tests/fixtures/counting");
    assert_eq!(monthly(data, &out, "2026-11-02").status.code(), Some(1));
    let dir = out.join("2026-10");
    let listing = |d: &Path| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = std::fs::read_dir(d).unwrap().flatten().filter(|e| e.path().is_file()).map(|e| (e.file_name().to_string_lossy().to_string(), sha(&e.path()))).collect();
        v.sort();
        v
    };
    let old = listing(&dir);
    // Leave room for the new PDF and a little more: the annex after it does not fit.
    let pdf = std::fs::metadata(dir.join("sla-rapportage-2026-10.pdf")).unwrap().len();
    let df = Command::new("df").args(["-B1", "--output=avail"]).arg(&out).output().unwrap();
    let avail: u64 = String::from_utf8_lossy(&df.stdout).lines().nth(1).unwrap().trim().parse().unwrap();
    let filler = out.join("filler");
    std::fs::write(&filler, vec![0u8; (avail - pdf - 8192) as usize]).unwrap();
    let o = monthly(data, &out, "2026-11-05");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("No space left"), "{}", text(&o));
    assert_eq!(listing(&dir), old, "the old report changed");
    let mut beside: Vec<String> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    beside.sort();
    assert_eq!(beside, ["2026-10", "filler"], "left-overs beside the report");
    std::fs::remove_file(&filler).unwrap();
    assert_eq!(monthly(data, &out, "2026-11-05").status.code(), Some(1));
    assert_ne!(listing(&dir), old);
    assert_eq!(listing(&dir.join("versies/2026-11-02")), old, "the old report is not kept as a version");
}

/// A lock file left by a run that was killed (its process gone) is taken over with a note,
/// and removed when the run ends.
#[test]
fn a_left_lock_file_is_taken_over() {
    let out = tmp("stale-lock");
    std::fs::write(out.join(".2026-10.lock"), "999999\n").unwrap();
    let o = monthly(Path::new("tests/fixtures/counting"), &out, "2026-11-02");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("note: took over the lock of") && text(&o).contains("process 999999"), "{}", text(&o));
    assert!(!out.join(".2026-10.lock").exists(), "the lock file lingers");
    assert!(out.join("2026-10/manifest.json").exists());
}

#[test]
fn a_second_run_on_the_same_folder_is_refused() {
    let out = tmp("lock");
    let dir = out.join("2026-10");
    let _held = slarapport::output::FolderLock::acquire(&dir).unwrap();
    let o = monthly(Path::new("tests/fixtures/counting"), &out, "2026-11-02");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("another slarapport run is making the report in"), "{}", text(&o));
}

/// Ticket text that is markup in Typst or a formula in Excel, control characters, a long
/// field, right-to-left text and emoji: every one prints literally or the row is rejected.
#[test]
fn hostile_ticket_text() {
    let data = tmp("hostile");
    let long = "x".repeat(100_000);
    let summaries = [
        "#import \"lib.typ\": *",
        "#read(\"/etc/passwd\")",
        "$x^2$ and [link] <label> @ref \\ backslash * _ ` ~",
        "= Heading at the start",
        "=HYPERLINK(\"http://evil\";\"klik\")",
        "+31 6 12345678",
        "-1+1",
        "@SUM(A1)",
        "tab\there and bell\u{7} and escape\u{1b}",
        "עברית שלום and العربية",
        "emoji 🎓📚 and a hieroglyph 𓀀",
        &long,
    ];
    let mut csv = String::from("id,type,school,category,priority,opened_at,summary\n");
    for (i, s) in summaries.iter().enumerate() {
        csv += &format!("H{i},incident,School,werkplek,P4,2026-10-05T09:00,\"{}\"\n", s.replace('"', "\"\""));
    }
    std::fs::write(data.join("tickets.csv"), &csv).unwrap();
    let out = tmp("hostile-out");
    let o = monthly(&data, &out, "2026-11-02");
    // Valid rows, however odd their text: a clean run.
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let dir = out.join("2026-10");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("sla-rapportage-2026-10.json")).unwrap()).unwrap();
    let got: Vec<&str> = json["tickets"].as_array().unwrap().iter().map(|t| t["summary"].as_str().unwrap()).collect();
    for s in &summaries {
        assert!(got.contains(&s.trim()), "summary {:?} did not reach the JSON", &s[..s.len().min(40)]);
    }
    // The annex holds them as text, never as formulas.
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(dir.join("sla-rapportage-2026-10-bijlage.xlsx")).unwrap();
    for name in wb.sheet_names() {
        let f = wb.worksheet_formula(&name).unwrap();
        let formulas: Vec<&String> = f.used_cells().map(|(_, _, v)| v).filter(|v| !v.is_empty()).collect();
        assert!(formulas.iter().all(|x| !x.contains("HYPERLINK") && !x.contains("SUM(A1)")), "ticket text became a formula in {name}");
    }
    // The PDF shows the Typst-looking text literally, right-to-left text in its script, and
    // what no font can draw as its code point. Nothing of the template leaked or ran.
    let pdf = Command::new("pdftotext").arg(dir.join("sla-rapportage-2026-10.pdf")).arg("-").output().unwrap();
    assert!(pdf.status.success());
    let text = String::from_utf8_lossy(&pdf.stdout).replace('\n', " ");
    for needle in ["#import \"lib.typ\": *", "#read(\"/etc/passwd\")", "$x^2$", "[link]", "<label>", "@ref", "= Heading at the start", "@SUM(A1)", "🎓", "[U+13000]", "[U+0007]", "שלום"] {
        assert!(text.contains(needle), "PDF lacks {needle:?}");
    }
    assert!(!text.contains("root:x:0:0"), "the template read /etc/passwd");
}

#[test]
fn broken_csv_never_panics() {
    for (name, bytes) in [
        ("nul", b"id,type,school,category,priority,opened_at,summary\nN1,incident,School,werkplek,P4,2026-10-05T09:00,a\0b\n".to_vec()),
        ("quote", b"id,type,school,category,priority,opened_at,summary\nQ1,incident,School,werkplek,P4,2026-10-05T09:00,\"never closed\nQ2,incident,School,werkplek,P4,2026-10-05T09:00,ok\n".to_vec()),
        ("latin1", b"id,type,school,category,priority,opened_at,summary\nL1,incident,Prinses M\xe1ximaschool,werkplek,P4,2026-10-05T09:00,x\n".to_vec()),
        ("empty", Vec::new()),
        ("header-only", b"id,type,school,category,priority,opened_at\n".to_vec()),
    ] {
        let data = tmp(&format!("broken-{name}"));
        std::fs::write(data.join("tickets.csv"), &bytes).unwrap();
        let out = tmp(&format!("broken-{name}-out"));
        let o = monthly(&data, &out, "2026-11-02");
        let code = o.status.code();
        assert!(matches!(code, Some(0..=2)), "{name}: exit {code:?}: {}", text(&o));
        if code == Some(2) {
            assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: "), "{name}: {}", text(&o));
        }
    }
}

/// The order of the rows in the export changes nothing but line numbers.
#[test]
fn shuffled_input_gives_the_same_figures() {
    let src = std::fs::read_to_string("fixtures/demo/tickets.csv").unwrap();
    // Split into records, not lines: a quoted field may hold a line break.
    let mut lines: Vec<&str> = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, ch) in src.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '\n' if !quoted => {
                lines.push(&src[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    let header = lines.remove(0);
    // A fixed permutation: reverse, then interleave halves.
    lines.reverse();
    let (a, b) = lines.split_at(lines.len() / 2);
    let mut shuffled: Vec<&str> = Vec::new();
    for i in 0..a.len().max(b.len()) {
        if let Some(x) = b.get(i) {
            shuffled.push(x);
        }
        if let Some(x) = a.get(i) {
            shuffled.push(x);
        }
    }
    let data = tmp("shuffled");
    std::fs::write(data.join("tickets.csv"), format!("{header}\n{}\n", shuffled.join("\n"))).unwrap();
    for f in ["calls.csv", "measurements.csv", "klachten.csv", "escalaties.csv", "verbeteracties.csv"] {
        std::fs::copy(Path::new("fixtures/demo").join(f), data.join(f)).unwrap();
    }
    let (x, y) = (tmp("shuffled-a"), tmp("shuffled-b"));
    monthly(Path::new("fixtures/demo"), &x, "2026-11-02");
    monthly(&data, &y, "2026-11-02");
    let read = |d: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(d.join("2026-10/sla-rapportage-2026-10.json")).unwrap()).unwrap()
    };
    let (mut a, mut b) = (read(&x), read(&y));
    // What legitimately differs: the input file's hash and the line numbers.
    for v in [&mut a, &mut b] {
        v["meta"]["inputs"] = serde_json::Value::Null;
        v["data_quality"]["rejections"] = serde_json::Value::Null;
        v["data_quality"]["warnings"] = serde_json::Value::Null;
        for t in v["tickets"].as_array_mut().unwrap() {
            t["line"] = serde_json::Value::Null;
        }
    }
    for key in ["summary", "volumes", "attainment", "breaches", "backlog", "recurring", "p1s", "kpis"] {
        assert_eq!(a[key], b[key], "{key} differs after shuffling the rows");
    }
    assert_eq!(a["data_quality"]["accounting"]["counted"], b["data_quality"]["accounting"]["counted"]);
    assert_eq!(a["tickets"], b["tickets"]);
}

#[test]
fn a_run_that_fails_before_writing_leaves_no_folder() {
    // A template with a syntax error fails the run after the data is read and the report's
    // folder locked: no empty folder (or lock file) is left behind.
    let templates = tmp("broken-templates");
    std::fs::write(templates.join("monthly.typ"), "#let x = (\n").unwrap();
    let out = tmp("broken-out");
    let o = run(&["monthly", "--data", "tests/fixtures/counting", "--period", "2026-10", "--today", "2026-11-02", "--templates", templates.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("monthly.typ:"), "{}", text(&o));
    assert!(!out.join("2026-10").exists());
}

/// A user's template folder whose language table names the outputs with a path (absolute,
/// or up out of the report folder) still writes every output inside the report folder, as
/// plain file names (issue 13 item 10).
#[test]
fn output_names_from_templates_stay_in_the_report_folder() {
    let root = tmp("stem-escape");
    let (templates, out) = (root.join("templates"), root.join("out"));
    std::fs::create_dir_all(templates.join("lang")).unwrap();
    let nl = std::fs::read_to_string("templates/lang/nl.toml").unwrap();
    let escape = root.join("escaped");
    for stem in [format!("{}/x-{{{{ period }}}}", escape.display()), "../../x-{{ period }}".to_string()] {
        let table = nl
            .replace("monthly_stem = \"sla-rapportage-{{ period }}\"", &format!("monthly_stem = \"{stem}\""))
            .replace("annex_suffix = \"-bijlage\"", "annex_suffix = \"/../../bijlage\"");
        std::fs::write(templates.join("lang/nl.toml"), table).unwrap();
        let _ = std::fs::remove_dir_all(&out);
        let o = run(&["monthly", "--data", "tests/fixtures/counting", "--period", "2026-10", "--today", "2026-11-02", "--templates", templates.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        let mut names: Vec<String> = std::fs::read_dir(out.join("2026-10")).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
        names.sort();
        assert_eq!(names.len(), 5, "{names:?}");
        assert!(names.iter().all(|n| !n.starts_with('.') && !n.contains('/')), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with("x-2026-10.pdf")), "{names:?}");
        let mut outside: Vec<String> = std::fs::read_dir(&root).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
        outside.sort();
        assert_eq!(outside, ["out", "templates"], "an output escaped the report folder");
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "an output escaped the report folder");
    }
}

/// A panic that escapes is caught at the top: an internal error with a request to report
/// it, exit 2, and the report folder as it was (the test hook exists in debug builds only).
#[test]
fn a_panic_is_an_internal_error_and_leaves_the_report() {
    let out = tmp("panic");
    let data = Path::new("tests/fixtures/counting");
    assert_eq!(monthly(data, &out, "2026-11-02").status.code(), Some(1));
    let dir = out.join("2026-10");
    let before: Vec<(String, String)> = {
        let mut v: Vec<(String, String)> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| (e.file_name().to_string_lossy().to_string(), sha(&e.path()))).collect();
        v.sort();
        v
    };
    let o = bin()
        .args(["monthly", "--period", "2026-10", "--today", "2026-11-05", "--data"])
        .arg(data)
        .arg("--out")
        .arg(&out)
        .env("SLARAPPORT_TEST_PANIC_WRITING", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(err.contains("error: internal error in slarapport") && err.contains("test panic while writing"), "{err}");
    assert!(err.contains("hint: this is a bug: please report it"), "{err}");
    assert!(!err.contains("panicked at"), "{err}");
    let mut after: Vec<(String, String)> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| (e.file_name().to_string_lossy().to_string(), sha(&e.path()))).collect();
    after.sort();
    assert_eq!(after, before, "the report folder changed");
    let beside: Vec<String> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    assert_eq!(beside, ["2026-10"], "left-overs beside the report");
}

/// `verify` checks the very files a report was made from (issue 13 item 7): a ticket file
/// given outside the data folder and a relative --data by their canonical paths, the mapping
/// file too; it reports every finding (a deleted template folder hides nothing), reads only
/// regular files, and refuses a manifest whose lists were emptied.
#[test]
fn verify_checks_the_files_the_report_was_made_from() {
    let root = tmp("verify-paths");
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["mapping.toml", "meldingen.tsv"] {
        std::fs::copy(format!("tests/fixtures/exports/custom/{f}"), data.join(f)).unwrap();
    }
    // The export elsewhere, and the data folder given relative to the working folder.
    let elsewhere = root.join("elsewhere.tsv");
    std::fs::copy("tests/fixtures/exports/custom/meldingen.tsv", &elsewhere).unwrap();
    let templates = root.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::copy("templates/monthly.typ", templates.join("monthly.typ")).unwrap();
    let o = bin()
        .current_dir(&root)
        .args(["monthly", "--data", "data", "--tickets", "elsewhere.tsv", "--templates", "templates", "--out", "out", "--period", "2026-10", "--today", "2026-11-02"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let dir = root.join("out/2026-10");
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap().display().to_string();
    assert_eq!(manifest["data_dir"], canon(&data));
    assert_eq!(manifest["inputs"][0]["path"], canon(&elsewhere), "{manifest:#}");
    assert_eq!(manifest["mapping"]["name"], canon(&data.join("mapping.toml")));
    assert_eq!(manifest["templates"], canon(&templates));
    assert!(manifest["paths"].as_str().unwrap().contains("canonical"));
    // From another working folder all matches.
    let v = bin().current_dir("/").arg("verify").arg(&dir).output().unwrap();
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    // The real export tampered with, "Hoog" = P1 changed in the mapping, the template folder
    // gone: each is named.
    std::fs::write(&elsewhere, std::fs::read_to_string(&elsewhere).unwrap().replace("M-1", "M-9")).unwrap();
    let mapping = std::fs::read_to_string(data.join("mapping.toml")).unwrap();
    std::fs::write(data.join("mapping.toml"), mapping.replacen("\"Hoog\" = \"high\"", "\"Hoog\" = \"low\"", 1)).unwrap();
    std::fs::remove_dir_all(&templates).unwrap();
    let v = bin().arg("verify").arg(&dir).output().unwrap();
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    let t = text(&v);
    for needle in ["elsewhere.tsv: changed since the report was made", "mapping.toml: changed since the report was made", "templates: cannot be read"] {
        assert!(t.contains(needle), "{needle}: {t}");
    }
    // A manifest naming a device as input: refused as not a regular file, at once.
    let mut m = manifest.clone();
    m["inputs"][0]["path"] = "/dev/zero".into();
    std::fs::write(dir.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    let v = bin().arg("verify").arg(&dir).output().unwrap();
    assert!(text(&v).contains("/dev/zero: is not a regular file"), "{}", text(&v));
    // A manifest whose lists were emptied proves nothing.
    for list in ["inputs", "outputs"] {
        let mut m = manifest.clone();
        m[list] = serde_json::json!([]);
        std::fs::write(dir.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
        let v = bin().arg("verify").arg(&dir).output().unwrap();
        assert_eq!(v.status.code(), Some(2), "{list}: {}", text(&v));
        assert!(text(&v).contains(&format!("lists no {list}")), "{}", text(&v));
    }
}
