//! The golden corpus (`tests/golden/<measure>.toml`): its cases as data, and the comparison of a
//! result with a case's expectations and with the drill-down invariants of spec 6. One loader for
//! every implementation that runs the corpus (the core's test, the C ABI's test), behind the `serde`
//! feature.
//!
//! A case gives the returns as the core's records (the field names are the schema's Rust names), a
//! period (`year`, or `start` and `end`), options (`"key" = value`, `measure.key` too), a population
//! (`population = { 2023 = 63051 }`), and what to expect: `numerator`, `denominator`, `value`,
//! `unit`, `null` (fields expected null), `excluded`, `warnings`, `rows`, `bands`, `quartiles`, and
//! `extras` (each named extra's value: a number, a flag, an object of counts; `null_extras` for
//! extras expected null).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::day::Day;
use crate::error::Error;
use crate::measure::Options;
use crate::period::Period;
use crate::population::Population;
use crate::records::{CinReturn, Ssda903Return};
use crate::result::{Extra, MeasureResult, ValueKind};
use crate::{Dataset, DatasetBuilder};

/// One file of the corpus: a measure and its cases.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// The measure id.
    pub measure: String,
    /// The cases.
    #[serde(rename = "case")]
    pub cases: Vec<Case>,
}

/// One case.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What it shows.
    pub name: String,
    /// The spec sections it rests on.
    pub spec: String,
    /// The financial year, or ...
    pub year: Option<i32>,
    /// ... the period's first day ...
    pub start: Option<Day>,
    /// ... and last day.
    pub end: Option<Day>,
    /// Options, by key (a string, number or boolean value).
    #[serde(default)]
    pub options: BTreeMap<String, serde_json::Value>,
    /// The population input, by mid-year.
    #[serde(default)]
    pub population: BTreeMap<String, u64>,
    /// CIN census returns.
    #[serde(default)]
    pub cin: Vec<CinReturn>,
    /// SSDA903 returns.
    #[serde(default)]
    pub ssda903: Vec<Ssda903Return>,
    /// What to expect.
    pub expect: Expect,
}

/// What a case expects.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The unit in force (`assessments` under `factor_unit = assessments`).
    pub unit: Option<String>,
    /// The numerator.
    pub numerator: Option<u64>,
    /// The denominator.
    pub denominator: Option<u64>,
    /// The value (within 1e-9).
    pub value: Option<f64>,
    /// Fields expected to be null: any of `numerator`, `denominator`, `value`.
    #[serde(default)]
    pub null: Vec<String>,
    /// Excluded records per reason (exactly).
    #[serde(default)]
    pub excluded: BTreeMap<String, u64>,
    /// The warnings, in order.
    pub warnings: Option<Vec<String>>,
    /// The drill-down rows, in order.
    pub rows: Option<Vec<Row>>,
    /// The non-zero bands.
    pub bands: Option<BTreeMap<String, u64>>,
    /// Quartiles by name (`p25`, `median`, `p75`).
    pub quartiles: Option<BTreeMap<String, f64>>,
    /// Extras by name: a number (within 1e-9), a flag, or an object of counts.
    #[serde(default)]
    pub extras: BTreeMap<String, serde_json::Value>,
    /// Extras expected null.
    #[serde(default)]
    pub null_extras: Vec<String>,
}

/// An expected drill-down row.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// The child.
    pub child: String,
    /// The record date.
    pub record: Option<Day>,
    /// In the denominator.
    #[serde(default)]
    pub in_denominator: bool,
    /// In the numerator.
    #[serde(default)]
    pub in_numerator: bool,
    /// The row's value.
    pub value: Option<i64>,
    /// The exclusion reason.
    pub reason: Option<String>,
}

impl Case {
    /// The case's returns, built.
    pub fn dataset(&self) -> Result<Dataset, Error> {
        let mut b = DatasetBuilder::new();
        for r in &self.cin {
            b.add_cin(r.clone());
        }
        for r in &self.ssda903 {
            b.add_ssda903(r.clone());
        }
        b.build()
    }

    /// The case's period.
    pub fn period(&self) -> Result<Period, String> {
        match (self.year, self.start, self.end) {
            (Some(y), None, None) => Period::financial_year(y).map_err(|e| e.to_string()),
            (None, Some(s), Some(e)) => Period::new(s, e).map_err(|e| e.to_string()),
            _ => Err("give either year or start and end".into()),
        }
    }

    /// The options as strings, as every surface takes them.
    #[must_use]
    pub fn option_strings(&self) -> Vec<(String, String)> {
        self.options
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), v)
            })
            .collect()
    }

    /// The case's options, with its population.
    pub fn options(&self) -> Result<Options, Error> {
        let mut opts = Options::default();
        for (k, v) in self.option_strings() {
            opts.set(&k, &v)?;
        }
        if !self.population.is_empty() {
            let mut p = Population::new();
            for (y, t) in &self.population {
                p.insert_text(y, &t.to_string())?;
            }
            opts = opts.with_population(std::sync::Arc::new(p));
        }
        Ok(opts)
    }
}

/// Spec 6: rows with `in_numerator` = numerator (ratios and counts), rows with `in_denominator` =
/// denominator, excluded rows per reason = `excluded`, excluded rows have no value, averages sum,
/// rows in spec order.
#[must_use]
pub fn invariants(r: &MeasureResult) -> Vec<String> {
    let mut errs = Vec::new();
    if r.is_no_data() {
        // Spec 6.1: nothing but the options, `threshold` and the one warning.
        let blank = r.numerator.is_none()
            && r.denominator.is_none()
            && r.value.is_none()
            && r.excluded.is_empty()
            && r.rows.is_empty()
            && r.warnings.len() == 1
            && r.extras
                .iter()
                .all(|(k, e)| *k == "threshold" || *e == Extra::Null);
        if !blank {
            errs.push(format!("a no_data result that holds more: {r:?}"));
        }
        return errs;
    }
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
        ValueKind::MeanDays | ValueKind::Mean => {
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
    let key = |x: &crate::result::RecordRow| {
        (
            x.child.as_bytes().to_vec(),
            x.record,
            x.value,
            x.in_denominator,
            x.in_numerator,
            x.reason.map(crate::result::Reason::as_str),
        )
    };
    let sorted = r.rows.windows(2).all(|w| key(&w[0]) <= key(&w[1]));
    if !sorted {
        errs.push("rows are not in spec 6 order".into());
    }
    errs
}

/// Does extra `e` have the expected JSON value `want`?
fn extra_is(e: &Extra, want: &serde_json::Value) -> bool {
    use serde_json::Value;
    let close = |got: f64| want.as_f64().is_some_and(|w| (got - w).abs() <= 1e-9);
    match (e, want) {
        (Extra::Int(n), _) => n.is_some_and(|n| close(n as f64)),
        (Extra::Float(x), _) => x.is_some_and(close),
        (Extra::Flag(b), Value::Bool(w)) => *b == Some(*w),
        (Extra::Counts(v), Value::Object(m)) => {
            v.len() == m.len()
                && v.iter()
                    .all(|(k, n)| m.get(*k).and_then(Value::as_u64) == Some(*n))
        }
        (Extra::Floats(v), Value::Object(m)) => {
            v.len() == m.len()
                && v.iter().all(|(k, x)| match (x, m.get(*k)) {
                    (Some(x), Some(w)) => w.as_f64().is_some_and(|w| (x - w).abs() <= 1e-9),
                    (None, Some(Value::Null)) => true,
                    _ => false,
                })
        }
        (Extra::Quartiles(q), Value::Object(m)) => {
            [("p25", q.p25), ("median", q.median), ("p75", q.p75)]
                .iter()
                .all(|(k, g)| m.get(*k).and_then(Value::as_f64) == *g)
        }
        _ => false,
    }
}

/// Every way `r` differs from the case's expectations, and every invariant it breaks.
#[must_use]
pub fn compare(case: &Case, r: &MeasureResult) -> Vec<String> {
    let e = &case.expect;
    let mut errs = invariants(r);
    if let Some(u) = &e.unit {
        if r.unit.as_str() != u {
            errs.push(format!("unit: want {u}, got {}", r.unit));
        }
    }
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
    compare_extras(e, r, &mut errs);
    errs
}

/// The bands, quartiles and extras `e` expects, against `r`'s.
fn compare_extras(e: &Expect, r: &MeasureResult, errs: &mut Vec<String>) {
    if let Some(b) = &e.bands {
        let got: BTreeMap<String, u64> = r
            .extras
            .counts("bands")
            .unwrap_or_default()
            .iter()
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
        let got = r.extras.quartiles("quartiles").unwrap_or_default();
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
    for (k, want) in &e.extras {
        match r.extras.get(k) {
            Some(got) if extra_is(got, want) => {}
            got => errs.push(format!("extra {k}: want {want}, got {got:?}")),
        }
    }
    for k in &e.null_extras {
        let is_null = matches!(
            r.extras.get(k),
            Some(Extra::Int(None) | Extra::Float(None) | Extra::Flag(None) | Extra::Null)
        );
        if !is_null {
            errs.push(format!("extra {k}: want null, got {:?}", r.extras.get(k)));
        }
    }
}
