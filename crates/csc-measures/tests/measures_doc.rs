//! MEASURES.md carries each measure's module docs, its definition; this test fails when the two
//! differ (`UPDATE_MEASURES=1` rewrites the generated part), and when a measure lacks a module.

use std::fmt::Write as _;
use std::path::Path;

use csc_measures::measure::MeasureId;

const MARKER: &str = "<!-- generated: do not edit below this line -->\n";

fn family(root: &Path, id: MeasureId) -> &'static str {
    ["cin", "cla", "adoption"]
        .into_iter()
        .find(|f| root.join(format!("src/measure/{f}/{id}.rs")).exists())
        .unwrap_or_else(|| panic!("{id} has no module under src/measure/"))
}

/// The leading `//!` lines of a source file.
fn docs_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| {
            l.strip_prefix("//! ")
                .unwrap_or(l.strip_prefix("//!").unwrap_or(l))
        })
        .collect();
    assert!(
        doc.len() > 2,
        "{}: its module docs are its definition, and they are empty",
        path.display()
    );
    unlink(&doc.join("\n"))
}

fn module_docs(root: &Path, id: MeasureId) -> String {
    let family = family(root, id);
    let doc = docs_of(&root.join(format!("src/measure/{family}/{id}.rs")));
    format!("### `{id}`\n\n{doc}\n")
}

/// Intra-doc links (`[`x`](super::x)`) become plain code spans in Markdown.
fn unlink(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("](") {
        let (before, after) = rest.split_at(i);
        let Some(open) = before.rfind('[') else {
            out.push_str(&rest[..i + 2]);
            rest = &rest[i + 2..];
            continue;
        };
        let Some(close) = after.find(')') else { break };
        let target = &after[2..close];
        if target.starts_with("super") || target.starts_with("crate") {
            out.push_str(&before[..open]);
            out.push_str(&before[open + 1..]);
        } else {
            out.push_str(before);
            out.push_str(&after[..=close]);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The options, from their declarations.
fn options_section() -> String {
    use csc_measures::measure::options::OPTIONS;
    let mut s = String::from(
        "## Options\n\nEvery option, as the measures declare it (`csc-measures options` prints the same). A \
         key sets the option for every measure that reads it; `measure.key` for that measure only.\n\n\
         | option | values | default | read by | what it does |\n|---|---|---|---|---|\n",
    );
    for d in OPTIONS {
        let readers: Vec<String> = d.read_by().map(|m| format!("`{m}`")).collect();
        let _ = writeln!(
            s,
            "| `{}` | {} | `{}` | {} | {} |",
            d.key,
            d.kind.describe(),
            d.default,
            readers.join(", "),
            d.doc
        );
    }
    s
}

/// The tables and their fields, from the schema.
fn tables_section() -> String {
    use csc_measures::schema::{Merge, Stitch, TABLES, XmlPlace};
    let mut s = String::from(
        "## Tables\n\nEvery table the returns hold, as the schema declares it: the CSV file the writer \
         gives it, where its rows stand in the XML form, its key and how it merges across returns \
         (spec 2.1, 2.3), then its fields (the official column; the Rust field name, which the golden \
         corpus uses, in brackets).\n",
    );
    for t in TABLES {
        let xml = match t.xml {
            XmlPlace::None => "none".to_owned(),
            XmlPlace::Element { element, parent } => format!("`{element}` elements in `{parent}`"),
            XmlPlace::Flat { parent } => format!("fields of `{parent}`"),
        };
        let key = t.key.map_or_else(
            || "the child".to_owned(),
            |k| format!("child, `{}`", t.fields[k].column),
        );
        let merge = match t.merge {
            Merge::Keyed => "merged by key",
            Merge::PerReturn => "belongs to its return",
            Merge::ChildLevel => "one row per child",
        };
        let stitch = match t.stitch {
            Stitch::Never => "",
            Stitch::DropOrClose => "; stitched (closed on the first day of Y+1)",
            Stitch::DropOrCloseLastDay => "; stitched (closed on the last day of Y)",
            Stitch::Drop => "; stitched (always dropped)",
        };
        let file = if t.csv_file.is_empty() {
            "no CSV file".to_owned()
        } else {
            format!("CSV file `{}`", t.csv_file)
        };
        let _ = write!(
            s,
            "\n### {} ({})\n\n{}. {file}; XML {xml}; key {key}; {merge}{stitch}.\n\n",
            t.name,
            t.family.as_str(),
            t.doc.trim().trim_end_matches('.')
        );
        let fields: Vec<String> = t
            .fields
            .iter()
            .map(|f| format!("`{}` ({})", f.column, f.name))
            .collect();
        s.push_str(&fields.join(", "));
        s.push('\n');
    }
    s
}

#[test]
fn measures_md_carries_every_measure_definition() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("../../MEASURES.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let head = &text[..text
        .find(MARKER)
        .expect("MEASURES.md has the generated marker")
        + MARKER.len()];
    let mut body: Vec<String> = Vec::new();
    let mut last = "";
    for &id in MeasureId::ALL {
        let f = family(root, id);
        if f != last {
            let title = match f {
                "cin" => "CIN and child protection",
                "cla" => "Children looked after",
                _ => "Adoption",
            };
            body.push(format!(
                "## {title}\n\n{}\n",
                docs_of(&root.join(format!("src/measure/{f}/mod.rs")))
            ));
            last = f;
        }
        body.push(module_docs(root, id));
    }
    body.push(options_section());
    body.push(tables_section());
    let want = format!("{head}\n{}", body.join("\n"));
    if std::env::var_os("UPDATE_MEASURES").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    assert!(
        text == want,
        "MEASURES.md is stale: run UPDATE_MEASURES=1 cargo test -p csc-measures --test measures_doc"
    );
}
