//! The golden corpus: `tests/golden/<measure>.toml` at the repository root, one case per boundary
//! of the spec, each citing its section. Every case is computed by the core and compared with its
//! expectations; every result is also checked against the spec 6 invariants of its drill-down.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::records::{CinReturn, Ssda903Return};
use csc_measures::result::{MeasureResult, ValueKind};
use csc_measures::{DatasetBuilder, Day, Period};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    measure: String,
    #[serde(rename = "case")]
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    spec: String,
    year: Option<i32>,
    start: Option<Day>,
    end: Option<Day>,
    #[serde(default)]
    options: BTreeMap<String, toml::Value>,
    #[serde(default)]
    cin: Vec<CinReturn>,
    #[serde(default)]
    ssda903: Vec<Ssda903Return>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    numerator: Option<u64>,
    denominator: Option<u64>,
    value: Option<f64>,
    /// Fields expected to be null: any of `numerator`, `denominator`, `value`.
    #[serde(default)]
    null: Vec<String>,
    #[serde(default)]
    excluded: BTreeMap<String, u64>,
    warnings: Option<Vec<String>>,
    rows: Option<Vec<Row>>,
    bands: Option<BTreeMap<String, u64>>,
    quartiles: Option<BTreeMap<String, f64>>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct Row {
    child: String,
    record: Option<Day>,
    #[serde(default)]
    in_denominator: bool,
    #[serde(default)]
    in_numerator: bool,
    value: Option<i64>,
    reason: Option<String>,
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

fn run_case(id: MeasureId, case: &Case) -> Result<MeasureResult, String> {
    let mut b = DatasetBuilder::new();
    for r in &case.cin {
        b.add_cin(r.clone());
    }
    for r in &case.ssda903 {
        b.add_ssda903(r.clone());
    }
    let ds = b.build().map_err(|e| e.to_string())?;
    let period = match (case.year, case.start, case.end) {
        (Some(y), None, None) => Period::financial_year(y),
        (None, Some(s), Some(e)) => Period::new(s, e),
        _ => return Err("give either year or start and end".into()),
    }
    .map_err(|e| e.to_string())?;
    let mut opts = Options::default();
    for (k, v) in &case.options {
        let v = match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        opts.set(k, &v).map_err(|e| e.to_string())?;
    }
    Ok(compute(&ds, id, period, &opts))
}

/// Spec 6: rows with `in_numerator` = numerator (ratios and counts), rows with `in_denominator` =
/// denominator, excluded rows per reason = `excluded`, excluded rows have no value, averages sum.
fn check_invariants(r: &MeasureResult) -> Vec<String> {
    let mut errs = Vec::new();
    let num = r.rows.iter().filter(|x| x.in_numerator).count() as u64;
    let den = r.rows.iter().filter(|x| x.in_denominator).count() as u64;
    match r.value_kind() {
        ValueKind::Count => {
            if r.numerator != Some(num) || r.denominator.is_some() {
                errs.push(format!("count rows {num} vs numerator {:?}", r.numerator));
            }
            if r.rows.iter().any(|x| x.in_denominator) {
                errs.push("count rows must not be in a denominator".into());
            }
        }
        ValueKind::Percentage => {
            if r.numerator != Some(num) || r.denominator != Some(den) {
                errs.push(format!(
                    "rows {num}/{den} vs {:?}/{:?}",
                    r.numerator, r.denominator
                ));
            }
            if r.rows.iter().any(|x| x.in_numerator && !x.in_denominator) {
                errs.push("a numerator row outside the denominator".into());
            }
        }
        ValueKind::MeanDays => {
            let sum: i64 = r
                .rows
                .iter()
                .filter(|x| x.in_denominator)
                .filter_map(|x| x.value)
                .sum();
            if r.numerator != Some(sum as u64) {
                errs.push(format!(
                    "row values sum to {sum}, numerator {:?}",
                    r.numerator
                ));
            }
        }
    }
    let mut by_reason: BTreeMap<_, u64> = BTreeMap::new();
    for x in &r.rows {
        if let Some(reason) = x.reason {
            *by_reason.entry(reason).or_default() += 1;
            if x.in_numerator || x.in_denominator || x.value.is_some() {
                errs.push(format!("excluded row {x:?} has a flag or a value"));
            }
        }
    }
    if by_reason != r.excluded {
        errs.push(format!(
            "excluded rows {by_reason:?} vs excluded {:?}",
            r.excluded
        ));
    }
    let sorted = r.rows.windows(2).all(|w| {
        (w[0].child.as_str(), w[0].record, w[0].value)
            <= (w[1].child.as_str(), w[1].record, w[1].value)
    });
    if !sorted {
        errs.push("rows are not in spec 6 order".into());
    }
    errs
}

fn compare(case: &Case, r: &MeasureResult) -> Vec<String> {
    let e = &case.expect;
    let mut errs = check_invariants(r);
    let null = |f: &str| e.null.iter().any(|n| n == f);
    let mut field = |name: &str, want: Option<u64>, got: Option<u64>| {
        if null(name) && got.is_some() {
            errs.push(format!("{name}: want null, got {got:?}"));
        } else if want.is_some() && want != got {
            errs.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    };
    field("numerator", e.numerator, r.numerator);
    field("denominator", e.denominator, r.denominator);
    if null("value") && r.value.is_some() {
        errs.push(format!("value: want null, got {:?}", r.value));
    }
    if let Some(v) = e.value {
        if r.value.is_none_or(|got| (got - v).abs() > 1e-9) {
            errs.push(format!("value: want {v}, got {:?}", r.value));
        }
    }
    let excluded: BTreeMap<String, u64> = r
        .excluded
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), *v))
        .collect();
    if excluded != e.excluded {
        errs.push(format!("excluded: want {:?}, got {excluded:?}", e.excluded));
    }
    if let Some(w) = &e.warnings {
        let got: Vec<&str> = r.warnings.iter().map(|w| w.as_str()).collect();
        if got != *w {
            errs.push(format!("warnings: want {w:?}, got {got:?}"));
        }
    }
    if let Some(rows) = &e.rows {
        let got: Vec<Row> = r
            .rows
            .iter()
            .map(|x| Row {
                child: x.child.to_string(),
                record: x.record,
                in_denominator: x.in_denominator,
                in_numerator: x.in_numerator,
                value: x.value,
                reason: x.reason.map(|r| r.as_str().to_owned()),
            })
            .collect();
        if got != *rows {
            errs.push(format!("rows:\n  want {rows:?}\n  got  {got:?}"));
        }
    }
    if let Some(b) = &e.bands {
        let got: BTreeMap<String, u64> = r
            .extras
            .bands
            .iter()
            .flatten()
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| ((*k).to_owned(), *n))
            .collect();
        let want: BTreeMap<String, u64> = b
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (k.clone(), *n))
            .collect();
        if got != want {
            errs.push(format!("bands: want {want:?}, got {got:?}"));
        }
    }
    if let Some(q) = &e.quartiles {
        let got = r.extras.quartiles.unwrap_or_default();
        for (k, v) in q {
            let g = match k.as_str() {
                "p25" => got.p25,
                "median" => got.median,
                "p75" => got.p75,
                _ => None,
            };
            if g.is_none_or(|g| (g - v).abs() > 1e-9) {
                errs.push(format!("quartile {k}: want {v}, got {g:?}"));
            }
        }
    }
    errs
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
