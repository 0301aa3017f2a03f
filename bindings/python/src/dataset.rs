//! The module's classes: a loaded [`PyDataset`], the [`PyResults`] of a query, and a
//! [`PyScorecard`]. Each holds what the request layer (`csc_api`) gave and hands it out as
//! `csc_arrow` tables or as the request layer's renderings; nothing is computed here.

use std::path::PathBuf;
use std::sync::Arc;

use csc_api::{Detail, PeriodSpec, Query, Response, Scorecard, render};
use csc_arrow::TableInput;
use csc_arrow::results::ScoreRow;
use csc_measures::population::Population;
use csc_measures::records::ReturnKind;
use csc_measures::rows::FileReport;
use csc_measures::{Dataset, Error};
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::arrow_io::read_table;
use crate::error::{OrRaise, detached, invalid_input, invalid_request};
use crate::tables::PyTable;

/// A loaded, validated dataset (`csc_measures.Dataset` wraps it).
#[pyclass(name = "Dataset", module = "csc_measures._native", frozen)]
pub struct PyDataset {
    dataset: Arc<Dataset>,
    files: Vec<FileReport>,
    description: Arc<str>,
}

impl PyDataset {
    /// What `csc_api::load` gave.
    pub fn new(loaded: csc_api::Loaded) -> PyDataset {
        PyDataset {
            dataset: Arc::new(loaded.dataset),
            files: loaded.files,
            description: Arc::from(loaded.description),
        }
    }

    /// The dataset.
    pub fn dataset(&self) -> &Arc<Dataset> {
        &self.dataset
    }
}

/// The results of a query: one per measure and period.
#[pyclass(name = "Results", module = "csc_measures._native", frozen)]
pub struct PyResults {
    dataset: Arc<Dataset>,
    description: Arc<str>,
    response: Response,
}

/// The scorecard of the `report` command.
#[pyclass(name = "Scorecard", module = "csc_measures._native", frozen)]
pub struct PyScorecard {
    card: Scorecard,
    dataset: Arc<Dataset>,
    description: Arc<str>,
    comparators: bool,
}

/// `cin` or `ssda903`.
pub fn parse_kind(kind: &str) -> PyResult<ReturnKind> {
    match kind {
        "cin" => Ok(ReturnKind::Cin),
        "ssda903" => Ok(ReturnKind::Ssda903),
        other => Err(invalid_input(format!(
            "return kind {other:?} is not cin or ssda903"
        ))),
    }
}

/// The population input as Python gave it, converted while the GIL is held.
enum PopulationArg {
    /// `(mid-year, total)` pairs, as text.
    Pairs(Vec<(String, String)>),
    /// A CSV file with the columns `year` and `population`.
    File(PathBuf),
    /// A table with those columns.
    Table(TableInput),
}

impl PopulationArg {
    /// Takes `obj`: `None`, pairs, a path, or a table with `__arrow_c_stream__`.
    fn from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<PopulationArg>> {
        let Some(obj) = obj.filter(|o| !o.is_none()) else {
            return Ok(None);
        };
        if obj.is_instance_of::<PyString>() {
            return Ok(Some(PopulationArg::File(PathBuf::from(
                obj.extract::<String>()?,
            ))));
        }
        if obj.hasattr("__arrow_c_stream__")? {
            return Ok(Some(PopulationArg::Table(read_table(obj, "population")?)));
        }
        match obj.extract::<Vec<(String, String)>>() {
            Ok(pairs) => Ok(Some(PopulationArg::Pairs(pairs))),
            Err(_) => Err(invalid_request(format!(
                "population: a {} is not a population; give {{MIDYEAR: TOTAL, ...}}, a table \
                 with the columns year and population, or the path of such a CSV file",
                obj.get_type().name()?
            ))),
        }
    }

    /// The population (without the GIL).
    fn read(self) -> Result<Population, Error> {
        match self {
            PopulationArg::Pairs(pairs) => csc_api::parse_population(&pairs, &[]),
            PopulationArg::File(path) => csc_api::parse_population(&[], &[path]),
            PopulationArg::Table(t) => csc_arrow::population(&t),
        }
    }
}

/// The options from `(key, value)` pairs, with the population when given.
fn options(
    pairs: &[(String, String)],
    population: Option<PopulationArg>,
) -> Result<csc_measures::measure::Options, Error> {
    let options = csc_api::parse_options(pairs)?;
    Ok(match population {
        Some(p) => options.with_population(Arc::new(p.read()?)),
        None => options,
    })
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
        PyTable::new(csc_arrow::results::issues(self.dataset.issues()))
    }

    /// A cleaned care table (`care_episodes`, `periods_of_care`, `placements`): every row, or
    /// those overlapping the financial year `year`.
    #[pyo3(signature = (name, year = None))]
    fn cleaned_table(&self, py: Python<'_>, name: &str, year: Option<i32>) -> PyResult<PyTable> {
        let which: csc_measures::cleaned::CleanedTable = name.parse().or_raise()?;
        let year = year
            .map(csc_measures::Period::financial_year)
            .transpose()
            .or_raise()?;
        let ds = Arc::clone(&self.dataset);
        let batch = detached(py, move || {
            let all = which.of(&ds);
            Ok(csc_arrow::cleaned::batch(&match year {
                Some(p) => all.overlapping(p),
                None => all,
            }))
        })?;
        Ok(PyTable::new(batch))
    }

    /// What each file or table held: path (a table's label), table, rows, skipped.
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

    /// Runs a query: the period from its parts, the measures (all when `None`), the options as
    /// `(key, value)` pairs, the population (pairs, a path, or a table).
    #[pyo3(signature = (measures, year, start, end, series, options, population))]
    #[allow(clippy::too_many_arguments)] // the parts of a query, as Python gives them
    fn compute(
        &self,
        py: Python<'_>,
        measures: Option<Vec<String>>,
        year: Option<i32>,
        start: Option<String>,
        end: Option<String>,
        series: Option<String>,
        options: Vec<(String, String)>,
        population: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyResults> {
        let population = PopulationArg::from_py(population)?;
        let ds = self.dataset.clone();
        let response = detached(py, move || {
            // In the CLI's order: the period, the measures, the options, the population.
            let period =
                PeriodSpec::from_parts(year, start.as_deref(), end.as_deref(), series.as_deref())?;
            let measures = csc_api::parse_measures(&measures.unwrap_or_default())?;
            let query = Query {
                period,
                measures,
                options: self::options(&options, population)?,
                detail: Detail::Records,
            };
            csc_api::run(&ds, &query)
        })?;
        Ok(PyResults {
            dataset: self.dataset.clone(),
            description: self.description.clone(),
            response,
        })
    }

    /// The scorecard for `year` (default: the latest collection year loaded), or for `start` to
    /// `end`, or for the `window` months to `month_end` (the request layer's
    /// `ReportQuery::set_period`), with the trend over `trend_months` month-ends, DfE's
    /// `published` tables compared for `la` and its `neighbours`, and the drill-down rows when
    /// `records`.
    #[pyo3(signature = (year, options, population, trend_months, published, la, neighbours, records, targets, start=None, end=None, month_end=None, window=None))]
    #[allow(clippy::too_many_arguments)] // the parts of a report query, as Python gives them
    fn report(
        &self,
        py: Python<'_>,
        year: Option<i32>,
        options: Vec<(String, String)>,
        population: Option<&Bound<'_, PyAny>>,
        trend_months: u32,
        published: Vec<PathBuf>,
        la: Option<String>,
        neighbours: Vec<String>,
        records: bool,
        targets: Vec<String>,
        start: Option<String>,
        end: Option<String>,
        month_end: Option<String>,
        window: Option<u32>,
    ) -> PyResult<PyScorecard> {
        let population = PopulationArg::from_py(population)?;
        let ds = self.dataset.clone();
        let comparators = !published.is_empty();
        let card = detached(py, move || {
            let mut query = csc_api::ReportQuery {
                options: self::options(&options, population)?,
                trend_months,
                published,
                la,
                neighbours,
                records,
                targets: csc_api::parse_targets(&targets)?,
                ..csc_api::ReportQuery::default()
            };
            query.set_period(
                year,
                start.as_deref(),
                end.as_deref(),
                month_end.as_deref(),
                window,
            )?;
            Scorecard::report(&ds, &query)
        })?;
        Ok(PyScorecard {
            card,
            dataset: self.dataset.clone(),
            description: self.description.clone(),
            comparators,
        })
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
    /// The first day of the first period.
    #[getter]
    fn period_start(&self) -> String {
        self.response.span.start().to_string()
    }

    /// The last day of the last period.
    #[getter]
    fn period_end(&self) -> String {
        self.response.span.end().to_string()
    }

    /// The series (`rolling:12`, ...), when the query asked for one.
    #[getter]
    fn series(&self) -> Option<String> {
        self.response.series.map(|s| s.to_string())
    }

    /// The periods, in order, as `(start, end)`.
    fn periods(&self) -> Vec<(String, String)> {
        self.response
            .periods
            .iter()
            .map(|p| (p.start().to_string(), p.end().to_string()))
            .collect()
    }

    /// The measure id of each result, in order.
    fn ids(&self) -> Vec<&'static str> {
        self.response
            .results
            .iter()
            .map(|r| r.id.as_str())
            .collect()
    }

    /// One row per result.
    fn table(&self) -> PyTable {
        PyTable::new(csc_arrow::results::measures(&self.response.results))
    }

    /// The long table: one row per result, the exclusions and extras as columns.
    fn series_table(&self) -> PyTable {
        PyTable::new(csc_arrow::results::series(&self.response.results))
    }

    /// One row per record looked at, for `measures` (all when `None`).
    #[pyo3(signature = (measures = None))]
    fn records(&self, measures: Option<Vec<String>>) -> PyResult<PyTable> {
        let ids = csc_api::parse_measures(&measures.unwrap_or_default()).or_raise()?;
        let chosen = self
            .response
            .results
            .iter()
            .filter(|r| ids.is_empty() || ids.contains(&r.id));
        Ok(PyTable::new(csc_arrow::results::records(chosen)))
    }

    /// One row per record that result `index` looked at.
    fn records_at(&self, index: usize) -> PyResult<PyTable> {
        let r = self.response.results.get(index).ok_or_else(|| {
            PyIndexError::new_err(format!("result {index} of {}", self.response.results.len()))
        })?;
        Ok(PyTable::new(csc_arrow::results::records(
            std::slice::from_ref(r),
        )))
    }

    /// The JSON of the CLI's `compute --format json` (with `records`, the drill-down rows too, as
    /// the C ABI's JSON entry gives them).
    #[pyo3(signature = (records = false))]
    fn to_json(&self, records: bool) -> String {
        let j = render::json::response_with(&self.response, self.dataset.issues(), records);
        format!("{j:#}")
    }

    /// The results as aligned columns for people, as the CLI's `compute` prints them.
    fn to_text(&self) -> String {
        let mut out = Vec::new();
        // Writing to memory cannot fail.
        let _ = render::text::measures(
            &self.description,
            &self.response,
            self.dataset.issues().len(),
            " (Dataset.load_report lists them)",
            &mut out,
        );
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The results as an HTML table, for notebooks.
    fn to_html(&self) -> String {
        render::text::response_html(&self.response)
    }

    fn __len__(&self) -> usize {
        self.response.results.len()
    }
}

#[pymethods]
impl PyScorecard {
    /// The financial year (ending 31 March) of the report; for another period, the one its end
    /// falls in.
    #[getter]
    fn year(&self) -> i32 {
        self.card.year
    }

    /// The report's period, `(start, end)` as ISO dates.
    #[getter]
    fn period(&self) -> (String, String) {
        (
            self.card.period.start().to_string(),
            self.card.period.end().to_string(),
        )
    }

    /// The name of the period: `2023-24`, or `START to END`.
    #[getter]
    fn period_name(&self) -> String {
        self.card.period_name()
    }

    /// Why the report covers this period, and which returns cover it.
    #[getter]
    fn reason(&self) -> String {
        self.card.reason.clone()
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

    /// The scorecard as the CLI's `report --format html`: one self-contained page.
    fn to_html(&self) -> String {
        render::html::scorecard(
            &self.card,
            &render::html::Page {
                source: &self.description,
                issues: self.dataset.issues(),
                records: self.card.lines.iter().any(|l| !l.current.rows.is_empty()),
                comparators: self.comparators,
                ..render::html::Page::default()
            },
        )
    }

    /// One row per measure.
    fn table(&self) -> PyTable {
        let lines: Vec<ScoreRow<'_>> = self
            .card
            .lines
            .iter()
            .map(|l| ScoreRow {
                current: &l.current,
                previous: &l.previous,
                direction: l.direction.as_str(),
            })
            .collect();
        PyTable::new(csc_arrow::results::scorecard(&lines))
    }
}

/// The error of a call that gives nothing to load (a request error: with nothing given, the
/// request layer would load the sample).
pub fn nothing_to_load(what: &str) -> PyErr {
    invalid_request(format!("{what} was given no returns"))
}
