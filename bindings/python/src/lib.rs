//! `csc_measures._native`: the private native module of the Python package `csc_measures`.
//!
//! It only translates: Python inputs (file paths, Arrow tables) become the core's records and a
//! [`Dataset`]; the core computes; results go back as immutable objects and Arrow tables. Users
//! import `csc_measures`, whose pure-Python layer wraps these classes (`Dataset`, `Results`,
//! `Scorecard`, `Table`) and defines the exceptions.
//!
//! * Inputs are converted while the GIL is held (reading an Arrow stream may call its producer),
//!   then loading, merging and computing run with it released (`Python::detach`); the module
//!   declares `gil_used = false`.
//! * Every class is `frozen` and holds `Send + Sync` data (`Arc<Dataset>`, results, record
//!   batches): safe to share across threads, and never changed after it is made.
//! * Errors take one path: a core [`Error`] becomes the exception class of its kind, defined in
//!   `csc_measures/_errors.py`, carrying `code` ([`ErrorKind::code`]) and `kind`
//!   ([`ErrorKind::as_str`]) (see the `error` module).

mod arrow_io;
mod column;
mod error;
mod frames;
mod tables;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use csc_measures::measure::{MeasureId, Options, compute_many};
use csc_measures::records::ReturnKind;
use csc_measures::report::Scorecard;
use csc_measures::{Calendar, Dataset, Day, Error, ErrorKind, MeasureResult, Period, WorkingDays};
use csc_returns::FileReport;
use csc_returns::load::Input;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::error::OrRaise;
use crate::frames::ReturnInput;
use crate::tables::PyTable;

/// A loaded, validated dataset (`csc_measures.Dataset` wraps it).
#[pyclass(name = "Dataset", module = "csc_measures._native", frozen)]
pub struct PyDataset {
    dataset: Arc<Dataset>,
    files: Vec<FileReport>,
    description: String,
}

/// The results of `PyDataset::compute`: one per measure, over one period.
#[pyclass(name = "Results", module = "csc_measures._native", frozen)]
pub struct PyResults {
    dataset: Arc<Dataset>,
    period: Period,
    results: Vec<MeasureResult>,
}

/// The scorecard of the `report` command.
#[pyclass(name = "Scorecard", module = "csc_measures._native", frozen)]
pub struct PyScorecard {
    card: Scorecard,
}

fn parse_kind(kind: &str) -> PyResult<ReturnKind> {
    match kind {
        "cin" => Ok(ReturnKind::Cin),
        "ssda903" => Ok(ReturnKind::Ssda903),
        other => Err(error::invalid_input(format!(
            "return kind {other:?} is not cin or ssda903"
        ))),
    }
}

fn parse_day(s: &str) -> Result<Day, Error> {
    s.parse()
}

fn parse_options(options: &[(String, String)]) -> Result<Options, Error> {
    let mut o = Options::default();
    for (k, v) in options {
        o.set(k, v)?;
    }
    Ok(o)
}

fn parse_measures(ids: Option<Vec<String>>) -> Result<Vec<MeasureId>, Error> {
    ids.unwrap_or_default().iter().map(|s| s.parse()).collect()
}

/// The period of a computation: a financial year, a start and end, or else the latest collection
/// year loaded (as the CLI).
fn period(
    ds: &Dataset,
    year: Option<i32>,
    start: Option<&str>,
    end: Option<&str>,
) -> Result<Period, Error> {
    match (year, start, end) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(Error::new(
            ErrorKind::InvalidPeriod,
            "give year, or start and end, not both",
        )),
        (Some(y), None, None) => Period::financial_year(y),
        (None, Some(s), Some(e)) => Period::new(parse_day(s)?, parse_day(e)?),
        (None, Some(_), None) | (None, None, Some(_)) => Err(Error::new(
            ErrorKind::InvalidPeriod,
            "give both start and end (or a year)",
        )),
        (None, None, None) => {
            let latest = ds
                .returns()
                .iter()
                .filter_map(|r| r.collection_year)
                .max()
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidPeriod,
                        "no collection year is known: give year=, or start= and end=",
                    )
                })?;
            Period::financial_year(latest)
        }
    }
}

#[pymethods]
impl PyDataset {
    /// Counts of what the dataset holds.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.dataset.summary();
        let d = PyDict::new(py);
        d.set_item("children", s.children)?;
        d.set_item("cin_episodes", s.cin_episodes)?;
        d.set_item("assessments", s.assessments)?;
        d.set_item("section47s", s.section47s)?;
        d.set_item("cp_plans", s.cp_plans)?;
        d.set_item("care_episodes", s.care_episodes)?;
        d.set_item("periods_of_care", s.periods_of_care)?;
        d.set_item("placements", s.placements)?;
        d.set_item("issues", s.issues)?;
        Ok(d)
    }

    /// Every data-quality entry of the load and the merge, one row each.
    fn load_report(&self) -> PyTable {
        PyTable::new(tables::issues(self.dataset.issues()))
    }

    /// What each file held (file loads only): path, table, rows, skipped.
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for f in &self.files {
            let d = PyDict::new(py);
            d.set_item("path", &*f.path)?;
            d.set_item("table", &f.table)?;
            d.set_item("rows", f.rows)?;
            d.set_item("skipped", f.skipped)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// The collection years loaded for `kind` (`cin` or `ssda903`), ascending.
    fn collection_years(&self, kind: &str) -> PyResult<Vec<i32>> {
        Ok(self.dataset.collection_years(parse_kind(kind)?))
    }

    /// Where the dataset came from, in a line.
    #[getter]
    fn description(&self) -> &str {
        &self.description
    }

    /// Computes `measures` (all when `None`) over a period, with options as `(key, value)`.
    #[pyo3(signature = (measures, year, start, end, options))]
    fn compute(
        &self,
        py: Python<'_>,
        measures: Option<Vec<String>>,
        year: Option<i32>,
        start: Option<String>,
        end: Option<String>,
        options: Vec<(String, String)>,
    ) -> PyResult<PyResults> {
        let ds = self.dataset.clone();
        py.detach(move || {
            let ids = parse_measures(measures)?;
            let opts = parse_options(&options)?;
            let p = period(&ds, year, start.as_deref(), end.as_deref())?;
            let results = compute_many(&ds, &ids, p, &opts);
            Ok(PyResults {
                dataset: ds,
                period: p,
                results,
            })
        })
        .or_raise()
    }

    /// The scorecard for `year` (default: the latest collection year loaded).
    #[pyo3(signature = (year, options))]
    fn report(
        &self,
        py: Python<'_>,
        year: Option<i32>,
        options: Vec<(String, String)>,
    ) -> PyResult<PyScorecard> {
        let ds = self.dataset.clone();
        py.detach(move || {
            let opts = parse_options(&options)?;
            Scorecard::new(&ds, year, &opts).map(|card| PyScorecard { card })
        })
        .or_raise()
    }

    fn __repr__(&self) -> String {
        let s = self.dataset.summary();
        let years = |k| {
            let y = self.dataset.collection_years(k);
            match (y.first(), y.last()) {
                (Some(a), Some(b)) if a == b => a.to_string(),
                (Some(a), Some(b)) => format!("{a}-{b}"),
                _ => "none".to_owned(),
            }
        };
        format!(
            "<csc_measures.Dataset: {} children; CIN years {}, SSDA903 years {}; {} CIN episodes, {} assessments, {} CP plans, {} care episodes; {} data-quality entries>",
            s.children,
            years(ReturnKind::Cin),
            years(ReturnKind::Ssda903),
            s.cin_episodes,
            s.assessments,
            s.cp_plans,
            s.care_episodes,
            s.issues
        )
    }
}

#[pymethods]
impl PyResults {
    /// The first day of the period.
    #[getter]
    fn period_start(&self) -> String {
        self.period.start().to_string()
    }

    /// The last day of the period.
    #[getter]
    fn period_end(&self) -> String {
        self.period.end().to_string()
    }

    /// The measure ids, in order.
    fn ids(&self) -> Vec<&'static str> {
        self.results.iter().map(|r| r.id.as_str()).collect()
    }

    /// One row per measure.
    fn table(&self) -> PyTable {
        PyTable::new(tables::measures(&self.results))
    }

    /// One row per record looked at, for `measures` (all when `None`).
    #[pyo3(signature = (measures = None))]
    fn records(&self, measures: Option<Vec<String>>) -> PyResult<PyTable> {
        let ids = parse_measures(measures).or_raise()?;
        let chosen = self
            .results
            .iter()
            .filter(|r| ids.is_empty() || ids.contains(&r.id));
        Ok(PyTable::new(tables::records(&chosen)))
    }

    /// The JSON of the CLI's `compute --format json`: `period`, `measures`, `data_quality`.
    fn to_json(&self) -> String {
        let j = csc_measures::json::response(self.period, &self.results, self.dataset.issues());
        format!("{j:#}")
    }

    fn __len__(&self) -> usize {
        self.results.len()
    }
}

#[pymethods]
impl PyScorecard {
    /// The financial year (ending 31 March).
    #[getter]
    fn year(&self) -> i32 {
        self.card.year
    }

    /// The scorecard as the CLI's terminal table.
    fn to_text(&self) -> String {
        self.card.to_text()
    }

    /// The scorecard as Markdown.
    fn to_markdown(&self) -> String {
        self.card.to_markdown()
    }

    /// The scorecard as the CLI's `report --format json`.
    fn to_json(&self) -> String {
        format!("{:#}", self.card.to_json())
    }

    /// One row per measure.
    fn table(&self) -> PyTable {
        PyTable::new(tables::scorecard(&self.card))
    }
}

/// Reads returns from files: `(kind, path_or_year_eq_path, year)`; a given year makes the second
/// item a plain path.
#[pyfunction]
#[pyo3(signature = (inputs, strict))]
fn load(
    py: Python<'_>,
    inputs: Vec<(String, String, Option<i32>)>,
    strict: bool,
) -> PyResult<PyDataset> {
    let mut parsed = Vec::new();
    for (kind, spec, year) in inputs {
        let kind = parse_kind(&kind)?;
        parsed.push(match year {
            Some(y) => Input {
                kind,
                path: PathBuf::from(spec),
                collection_year: Some(y),
            },
            None => Input::parse(kind, &spec).or_raise()?,
        });
    }
    let n = parsed.len();
    let loaded = py
        .detach(move || csc_returns::load::load(&parsed, strict, &mut |_| {}))
        .or_raise()?;
    Ok(PyDataset {
        dataset: Arc::new(loaded.dataset),
        description: format!("{n} returns ({} files)", loaded.files.len()),
        files: loaded.files,
    })
}

/// One collection year of tables from Python: the return kind if given, the year if given, and
/// `(table name, Arrow table)` pairs.
type TablesOfYear<'py> = (
    Option<String>,
    Option<i32>,
    Vec<(String, Bound<'py, PyAny>)>,
);

/// One return of the sample as tables: kind, collection year, `(table name, table)` pairs.
type SampleReturn = (&'static str, Option<i32>, Vec<(&'static str, PyTable)>);

/// Builds a dataset from Arrow tables: `(kind or None, year or None, [(table name, table)])` per
/// collection year.
#[pyfunction]
#[pyo3(signature = (returns, strict))]
fn from_tables(
    py: Python<'_>,
    returns: Vec<TablesOfYear<'_>>,
    strict: bool,
) -> PyResult<PyDataset> {
    let mut inputs = Vec::new();
    let mut n_tables = 0;
    for (kind, year, tables) in returns {
        let kind = kind.as_deref().map(parse_kind).transpose()?;
        let tables = tables
            .iter()
            .map(|(name, obj)| arrow_io::read_table(obj, name))
            .collect::<PyResult<Vec<_>>>()?;
        n_tables += tables.len();
        inputs.push(ReturnInput { kind, year, tables });
    }
    let n = inputs.len();
    let dataset = py
        .detach(move || frames::build(inputs, strict))
        .or_raise()?;
    Ok(PyDataset {
        dataset: Arc::new(dataset),
        files: Vec::new(),
        description: format!("{n} sets of tables ({n_tables} tables)"),
    })
}

fn config(children: u32, seed: u64) -> csc_synth::Config {
    csc_synth::Config {
        children,
        seed,
        ..csc_synth::Config::default()
    }
}

/// The built-in synthetic sample, as the CLI builds it.
#[pyfunction]
#[pyo3(signature = (children, seed))]
fn sample(py: Python<'_>, children: u32, seed: u64) -> PyResult<PyDataset> {
    let c = config(children, seed);
    let dataset = py.detach(move || csc_synth::dataset(&c)).or_raise()?;
    Ok(PyDataset {
        dataset: Arc::new(dataset),
        files: Vec::new(),
        description: format!(
            "Built-in synthetic sample: {} children, collection years {}-{}, seed {}",
            c.children, c.first_year, c.last_year, c.seed
        ),
    })
}

/// The sample's returns as tables: `(kind, year, [(table name, table)])` per return.
#[pyfunction]
#[pyo3(signature = (children, seed))]
fn sample_tables(py: Python<'_>, children: u32, seed: u64) -> Vec<SampleReturn> {
    let c = config(children, seed);
    let synthetic = py.detach(move || csc_synth::generate(&c));
    let mut out = Vec::new();
    for r in &synthetic.cin {
        let t = tables::cin_tables(r);
        out.push((
            "cin",
            r.source.collection_year,
            t.into_iter().map(|(n, b)| (n, PyTable::new(b))).collect(),
        ));
    }
    for r in &synthetic.ssda903 {
        let t = tables::ssda903_tables(r);
        out.push((
            "ssda903",
            r.source.collection_year,
            t.into_iter().map(|(n, b)| (n, PyTable::new(b))).collect(),
        ));
    }
    out
}

/// The catalogue of measures.
#[pyfunction]
fn measures() -> PyTable {
    PyTable::new(tables::catalogue())
}

/// Every option key, in spec order.
#[pyfunction]
fn option_keys() -> Vec<&'static str> {
    csc_measures::measure::OPTION_KEYS.to_vec()
}

/// `wd(a, b)` under `convention`, with the England and Wales calendar.
#[pyfunction]
#[pyo3(signature = (a, b, convention))]
fn working_days(a: &str, b: &str, convention: &str) -> PyResult<u32> {
    (|| {
        let (a, b) = (parse_day(a)?, parse_day(b)?);
        let convention: WorkingDays = convention.parse()?;
        let n = Calendar::england_and_wales()
            .wd(a, b, convention)
            .map_err(|e| Error::new(ErrorKind::InvalidPeriod, format!("{b} is before {a}: {e}")))?;
        Ok(n.days)
    })()
    .or_raise()
}

/// Benchmark helper: seconds the core takes to compute `measures` over `year`, `repeat` times,
/// measured inside Rust (no Python in the loop).
#[pyfunction]
#[pyo3(signature = (dataset, measures, year, repeat))]
fn core_compute_seconds(
    py: Python<'_>,
    dataset: &PyDataset,
    measures: Option<Vec<String>>,
    year: Option<i32>,
    repeat: u32,
) -> PyResult<f64> {
    let ds = dataset.dataset.clone();
    py.detach(move || {
        let ids = parse_measures(measures)?;
        let p = period(&ds, year, None, None)?;
        let opts = Options::default();
        let t = Instant::now();
        for _ in 0..repeat {
            std::hint::black_box(compute_many(&ds, &ids, p, &opts));
        }
        Ok(t.elapsed().as_secs_f64())
    })
    .or_raise()
}

/// The module.
#[pymodule(gil_used = false)]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<PyDataset>()?;
    m.add_class::<PyResults>()?;
    m.add_class::<PyScorecard>()?;
    m.add_class::<PyTable>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(from_tables, m)?)?;
    m.add_function(wrap_pyfunction!(sample, m)?)?;
    m.add_function(wrap_pyfunction!(sample_tables, m)?)?;
    m.add_function(wrap_pyfunction!(measures, m)?)?;
    m.add_function(wrap_pyfunction!(option_keys, m)?)?;
    m.add_function(wrap_pyfunction!(working_days, m)?)?;
    m.add_function(wrap_pyfunction!(core_compute_seconds, m)?)?;
    Ok(())
}
