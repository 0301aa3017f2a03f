//! The golden corpus: `tests/golden/<measure>.toml` at the repository root, one case per boundary
//! of the spec, each citing its section. Every case is computed by the core and compared with its
//! expectations; every result is also checked against the spec 6 invariants of its drill-down.

use std::path::{Path, PathBuf};

use csc_measures::golden::{Case, File, compare};
use csc_measures::measure::{MeasureId, compute};
use csc_measures::result::MeasureResult;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

fn run_case(id: MeasureId, case: &Case) -> Result<MeasureResult, String> {
    let ds = case.dataset().map_err(|e| e.to_string())?;
    let period = case.period()?;
    let opts = case.options().map_err(|e| e.to_string())?;
    Ok(compute(&ds, id, period, &opts))
}

#[test]
fn golden_corpus() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("tests/golden exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no golden files");
    let mut failures = Vec::new();
    let mut cases = 0;
    let mut measures = std::collections::BTreeSet::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let file: File =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let id: MeasureId = file.measure.parse().unwrap();
        assert_eq!(
            path.file_stem().and_then(|s| s.to_str()),
            Some(id.as_str()),
            "{} must be named after its measure",
            path.display()
        );
        measures.insert(id);
        for case in &file.cases {
            cases += 1;
            assert!(
                !case.spec.is_empty(),
                "{}: case {:?} cites no spec section",
                path.display(),
                case.name
            );
            match run_case(id, case) {
                Err(e) => failures.push(format!("{} / {}: {e}", id, case.name)),
                Ok(r) => {
                    for e in compare(case, &r) {
                        failures.push(format!("{} / {} ({}): {e}", id, case.name, case.spec));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} golden cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{cases} golden cases over {} measures", measures.len());
}
