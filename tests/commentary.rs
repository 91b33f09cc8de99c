//! The provider's commentary per period (`toelichting/2026-10.toml`) through the binary:
//! hostile text prints literally in the PDF, a key that matches nothing is an error naming
//! the file, line and the closest key, and with `require_explanations` a report with a KPI
//! below its norm or a P1 breach unexplained is a draft (CONCEPT, exit 1) until explained.

mod common;
use common::{pdftotext, run, text};

/// The counting fixture's tickets with a commentary file for October 2026 (and a contract
/// requiring explanations when `required`).
fn data_folder(name: &str, commentary: &str, required: bool) -> std::path::PathBuf {
    let dir = common::tmp(&format!("commentary-{name}"));
    std::fs::copy("tests/fixtures/counting/tickets.csv", dir.join("tickets.csv")).unwrap();
    std::fs::create_dir_all(dir.join("toelichting")).unwrap();
    std::fs::write(dir.join("toelichting/2026-10.toml"), commentary).unwrap();
    if required {
        let contract = std::fs::read_to_string("contracts/dhs.toml").unwrap();
        assert!(contract.contains("require_explanations = false"));
        std::fs::write(dir.join("contract.toml"), contract.replace("require_explanations = false", "require_explanations = true")).unwrap();
    }
    dir
}

fn monthly(dir: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    run(&["monthly", "--data", dir.to_str().unwrap(), "--period", "2026-10", "--today", "2026-11-02", "--out", out.to_str().unwrap()])
}

fn json(out: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("2026-10/sla-rapportage-2026-10.json")).unwrap()).unwrap()
}

#[test]
fn hostile_commentary_prints_literally() {
    let hostile = r##"summary = """
= Kop? #let x = 1 $a^2$ ]@ref **vet #b** *schuin $c$*

- punt #1 @x
- punt ]2[ = 3
"""

[kpi.response_time]
explanation = "#pagebreak() en \\= [link](http://x) @y"
action = "# niet een kop"
owner = "$eigenaar$"
due_on = 2026-11-30
"##;
    let dir = data_folder("hostile", hostile, false);
    let out = common::tmp("commentary-hostile-out");
    let o = monthly(&dir, &out);
    // Made, with the counting fixture's findings (its rejected row): exit 1.
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("warning: 1 rows were rejected"), "{}", text(&o));
    let pdf = pdftotext(&out.join("2026-10/sla-rapportage-2026-10.pdf"));
    let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in [
        "= Kop? #let x = 1 $a^2$ ]@ref vet #b schuin $c$",
        "punt #1 @x",
        "punt ]2[ = 3",
        "#pagebreak() en = [link](http://x) @y",
        "# niet een kop",
        "Eigenaar: $eigenaar$",
    ] {
        assert!(flat.contains(s), "{s:?} not in the PDF");
    }
    // The structure reached the JSON: bold and italic runs, a list of two items.
    let j = json(&out);
    let summary = &j["commentary"]["summary"];
    assert_eq!(summary[0]["items"][0][1], serde_json::json!({"text": "vet #b", "bold": true, "italic": false}));
    assert_eq!(summary[1]["kind"], "list");
    assert_eq!(summary[1]["items"].as_array().unwrap().len(), 2);
    // The annex's "Toelichting" sheet has the same text as strings (never formulas).
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(out.join("2026-10/sla-rapportage-2026-10-bijlage.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Toelichting en acties").unwrap();
    let formulas = wb.worksheet_formula("Toelichting en acties").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "a formula in the commentary sheet");
    let strings: Vec<String> = sheet.used_cells().filter_map(|(_, _, v)| match v { Data::String(s) => Some(s.clone()), _ => None }).collect();
    for s in ["= Kop? #let x = 1 $a^2$ ]@ref vet #b schuin $c$\n• punt #1 @x\n• punt ]2[ = 3", "#pagebreak() en = [link](http://x) @y", "# niet een kop", "$eigenaar$"] {
        assert!(strings.iter().any(|x| x == s), "{s:?} not a cell of the annex: {strings:?}");
    }
}

#[test]
fn an_unknown_key_names_file_line_and_the_closest_key() {
    let dir = data_folder("unknown", "summary = \"x\"\n\n[kpi.respons_time]\nexplanation = \"y\"\n", false);
    let out = common::tmp("commentary-unknown-out");
    let o = monthly(&dir, &out);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("error: toelichting/2026-10.toml line 3: [kpi.\"respons_time\"] matches nothing in the report of 2026-10"), "{t}");
    assert!(t.contains("hint: the KPIs of the report of 2026-10 are (closest first): response_time, "), "{t}");
    assert!(!out.join("2026-10").exists(), "no report is made");
    // check finds it too.
    let o = run(&["check", "--data", dir.to_str().unwrap(), "--period", "2026-10", "--today", "2026-11-02"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("[kpi.\"respons_time\"] matches nothing"));
}

#[test]
fn require_explanations_makes_a_draft_until_explained() {
    let dir = data_folder("draft", "summary = \"Een rustige maand.\"\n", true);
    let out = common::tmp("commentary-draft-out");
    let o = monthly(&dir, &out);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("warning: the report is a draft (CONCEPT)"), "{t}");
    assert!(t.contains("hint: explain them in toelichting/2026-10.toml"), "{t}");
    let j = json(&out);
    assert_eq!(j["commentary"]["draft"], true);
    let unexplained = j["commentary"]["unexplained"].as_array().unwrap().clone();
    assert!(!unexplained.is_empty());
    let pdf = pdftotext(&out.join("2026-10/sla-rapportage-2026-10.pdf"));
    assert!(pdf.contains("CONCEPT"));
    assert!(pdf.contains("Zonder toelichting"));
    // Explain every one of them: the rerun is the final report.
    let mut file = String::from("summary = \"Een rustige maand.\"\n");
    for u in &unexplained {
        file.push_str(&format!("\n[{}.\"{}\"]\nexplanation = \"Uitgelegd.\"\n", u["subject"].as_str().unwrap(), u["key"].as_str().unwrap()));
    }
    std::fs::write(dir.join("toelichting/2026-10.toml"), file).unwrap();
    let o = monthly(&dir, &out);
    let t = text(&o);
    assert!(!t.contains("is a draft"), "{t}");
    let j = json(&out);
    assert_eq!(j["commentary"]["draft"], false);
    assert_eq!(j["commentary"]["unexplained"].as_array().unwrap().len(), 0);
    assert_eq!(j["commentary"]["explanations"].as_array().unwrap().len(), unexplained.len());
    let pdf = pdftotext(&out.join("2026-10/sla-rapportage-2026-10.pdf"));
    assert!(!pdf.contains("CONCEPT"));
    assert!(pdf.contains("Elke KPI onder de norm en elke P1-overschrijding is toegelicht."));
}
