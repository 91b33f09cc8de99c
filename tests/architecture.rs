//! The import graph of `src/` runs one way: no module imports a module of a higher layer, and
//! no modules import each other in a loop. Read from the source text (every `crate::` and
//! `super::` path in `src/**/*.rs`, test modules and doc links included, so a loop cannot
//! hide in a test or a comment), with no dependency beyond the standard library.
//!
//! The layers, bottom to top, are [`LAYERS`]; ARCHITECTURE.md ("Layers") says the same in
//! words. A new module must be placed in a layer here, or this test names it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first. A module may import modules of its own layer or lower ones. An
/// entry names a module; `x::*` names every submodule of `x` (not `x` itself).
const LAYERS: &[(&str, &[&str])] = &[
    ("foundations", &["error", "limits", "natural", "timestamp", "digest", "assets", "progress"]),
    ("tables", &["table", "table::*"]),
    ("contract", &["clock", "text", "ticket", "contract", "period", "i18n", "branding"]),
    ("canonical row", &["canonical", "canonical::*"]),
    ("mappings", &["mapping", "mapping::*"]),
    ("readers of the other inputs", &["kpi::input", "rca::file", "voice", "voice::*"]),
    ("data folder", &["load"]),
    ("evaluation", &["evaluate", "rca::due"]),
    ("kpi", &["kpi", "kpi::compute", "kpi::logs"]),
    ("report", &["report", "report::*", "rca"]),
    ("render", &["render", "render::*"]),
    ("evidence and output", &["manifest", "output"]),
    ("commands", &["demo", "demo::*", "commands", "commands::*", "cli"]),
];

/// The module a source file is (`src/report/mod.rs` → `report`, `src/lib.rs` → the root, "").
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().expect("a file name");
    let stem = last.strip_suffix(".rs").expect("a .rs file");
    if !matches!(stem, "mod" | "lib") {
        parts.push(stem.to_string());
    }
    parts.join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            // `src/bin` holds binaries: they use the library by its name, not `crate::`.
            if path.file_name().is_some_and(|n| n != "bin") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "main.rs") {
            out.push(path);
        }
    }
}

/// The paths that follow `prefix` in `text` (`crate::a::b::C` → `["a", "b", "C"]`), with a
/// `{…}` group after the prefix read as one path per item.
fn paths_after<'t>(text: &'t str, prefix: &str) -> Vec<Vec<&'t str>> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(ident) {
            continue; // `foo_crate::` is not `crate::`
        }
        let path = |s: &'t str| -> Vec<&'t str> {
            let mut segs = Vec::new();
            let mut s = s;
            loop {
                let end = s.find(|c: char| !ident(c)).unwrap_or(s.len());
                if end == 0 {
                    break;
                }
                segs.push(&s[..end]);
                match s[end..].strip_prefix("::") {
                    Some(next) => s = next,
                    None => break,
                }
            }
            segs
        };
        if let Some(group) = rest.strip_prefix('{') {
            let close = group.find('}').unwrap_or(group.len());
            out.extend(group[..close].split(',').map(|item| path(item.trim())).filter(|p| !p.is_empty()));
        } else {
            out.push(path(rest));
        }
    }
    out
}

/// Every module of `src/` and the modules it imports (arrows to itself or to a module it is
/// part of are not counted: `render::pdf` using `render`'s items is the module using its own
/// parent's).
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let texts: BTreeMap<String, String> =
        files.iter().map(|f| (module_of(&src, f), std::fs::read_to_string(f).expect("read a source file"))).collect();
    let modules: BTreeSet<&str> = texts.keys().map(String::as_str).collect();
    // The longest prefix of `path` that is a module.
    let module_at = |path: &[&str]| -> Option<String> {
        (1..=path.len()).rev().map(|k| path[..k].join("::")).find(|m| modules.contains(m.as_str()))
    };
    let mut graph = BTreeMap::new();
    for (m, text) in &texts {
        let mut to = BTreeSet::new();
        for p in paths_after(text, "crate::") {
            to.extend(module_at(&p));
        }
        // `super::x` at the top of a file is a sibling; inside a test module it is the file's
        // own module, which `module_at` then does not find as a sibling.
        let parent: Vec<&str> = m.rsplit_once("::").map(|(p, _)| p.split("::").collect()).unwrap_or_default();
        for p in paths_after(text, "super::") {
            let full: Vec<&str> = parent.iter().copied().chain(p.iter().copied()).collect();
            if let Some(found) = module_at(&full) {
                if found.split("::").count() > parent.len() {
                    to.insert(found);
                }
            }
        }
        to.retain(|t| t != m && !m.starts_with(&format!("{t}::")) && !t.is_empty());
        graph.insert(m.clone(), to);
    }
    graph
}

/// The layer of `module`: its index in [`LAYERS`].
fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, entries)| {
        entries.iter().any(|e| match e.strip_suffix("::*") {
            Some(parent) => module.strip_prefix(parent).is_some_and(|r| r.starts_with("::")),
            None => *e == module,
        })
    })
}

/// The strongly connected components with more than one module (Tarjan).
fn loops(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                s.low.entry(v).and_modify(|l| *l = (*l).min(lw));
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                s.low.entry(v).and_modify(|l| *l = (*l).min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), on_stack: BTreeSet::new(), found: Vec::new() };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found
}

#[test]
fn no_module_imports_in_a_loop() {
    let graph = import_graph();
    let found = loops(&graph);
    let described: Vec<String> = found
        .iter()
        .map(|c| {
            let arrows: Vec<String> = c
                .iter()
                .flat_map(|m| graph[m].iter().filter(|t| c.contains(t)).map(move |t| format!("{m} → {t}")))
                .collect();
            format!("{} modules: {}\n    {}", c.len(), c.join(", "), arrows.join("\n    "))
        })
        .collect();
    assert!(found.is_empty(), "import loops in src/:\n  {}", described.join("\n  "));
}

#[test]
fn no_module_imports_a_higher_layer() {
    let graph = import_graph();
    let unplaced: Vec<&str> = graph.keys().map(String::as_str).filter(|m| !m.is_empty() && layer_of(m).is_none()).collect();
    assert!(unplaced.is_empty(), "modules in no layer of tests/architecture.rs (place each in one, and in ARCHITECTURE.md): {unplaced:?}");
    let mut upward = Vec::new();
    for (from, tos) in &graph {
        let Some(lf) = layer_of(from) else { continue };
        for to in tos {
            let lt = layer_of(to).expect("every module is placed");
            if lt > lf {
                upward.push(format!("{from} ({}) → {to} ({})", LAYERS[lf].0, LAYERS[lt].0));
            }
        }
    }
    assert!(upward.is_empty(), "imports that point up the layers:\n  {}", upward.join("\n  "));
}

#[test]
fn the_checks_see_loops_and_layers() {
    // The reading itself, on text made for it: a group, a path with an item, a doc link, a
    // longer identifier ending in `crate` that is not a path.
    let text = "use crate::{load::DataSet, report::model::X};\n/// [`crate::render::world`]\nlet my_crate::x = 1; crate::error::Error";
    let got: Vec<String> = paths_after(text, "crate::").into_iter().map(|p| p.join("::")).collect();
    assert_eq!(got, ["load::DataSet", "report::model::X", "render::world", "error::Error"]);
    // A loop of three is found as one component; a tail into it is not part of it.
    let g: BTreeMap<String, BTreeSet<String>> = [("a", &["b"][..]), ("b", &["c"]), ("c", &["a"]), ("d", &["a"])]
        .iter()
        .map(|(m, to)| (m.to_string(), to.iter().map(|t| t.to_string()).collect()))
        .collect();
    assert_eq!(loops(&g), vec![vec!["a".to_string(), "b".into(), "c".into()]]);
    // Layers: a submodule pattern does not take its parent.
    assert_eq!(layer_of("table::csv"), layer_of("table"));
    assert_eq!(layer_of("rca"), layer_of("report::aggregate"));
    assert!(layer_of("rca::file") < layer_of("load") && layer_of("load") < layer_of("rca"));
    assert_eq!(layer_of("nothing::here"), None);
}
