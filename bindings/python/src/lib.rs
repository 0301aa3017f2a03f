//! `csc_measures._native`: the private native module of the Python package `csc_measures`.
//!
//! It only translates. Python's arguments become the request layer's (`csc_api`) inputs and query:
//! file paths become [`Inputs`] for [`csc_api::load()`], Arrow tables (through the Arrow `PyCapsule`
//! interface) `csc_arrow` [`ReturnInput`]s, keyword arguments a [`Query`] made by
//! the functions every surface uses (`PeriodSpec::from_parts`, `parse_measures`, `parse_options`,
//! `parse_population`), so the same mistake gives the same error as the CLI and the C ABI. The
//! request layer runs the job; results go back as the request layer's renderings and as
//! `csc_arrow`'s tables. Users import `csc_measures`, whose pure-Python layer wraps these classes
//! (`Dataset`, `Results`, `Scorecard`, `Table`) and defines the exceptions.
//!
//! * Inputs are converted while the GIL is held (reading an Arrow stream may call its producer),
//!   then loading, merging and computing run with it released (`Python::detach`); the module
//!   declares `gil_used = false`. A panic in that work becomes a `RuntimeError`, never an abort.
//! * Every class is `frozen` and holds `Send + Sync` data (`Arc<Dataset>`, responses, record
//!   batches): safe to share across threads, and never changed after it is made.
//! * Errors take one path: a core [`Error`] becomes the exception class of its kind, defined in
//!   `csc_measures/_errors.py`, carrying `code` ([`ErrorKind::code`]) and `kind`
//!   ([`ErrorKind::as_str`]) (see the `error` module).

mod arrow_io;
mod columns;
mod dataset;
mod error;
mod tables;

use std::path::PathBuf;
use std::time::Instant;

use csc_api::{Detail, Input, Inputs, PeriodSpec, Query, Sample, Source};
use csc_arrow::ReturnInput;
use csc_measures::records::ReturnKind;
use csc_measures::{Calendar, Day, Error, ErrorKind, WorkingDays};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::dataset::{PyDataset, PyResults, PyScorecard, nothing_to_load, parse_kind};
use crate::error::{OrRaise, PyCscError, detached};
use crate::tables::PyTable;

/// Loads `inputs` with the request layer, without the GIL.
fn load_inputs(py: Python<'_>, inputs: Inputs) -> PyResult<PyDataset> {
    detached(py, move || csc_api::load(&inputs, &|_| {})).map(PyDataset::new)
}

/// Reads returns from files: `(kind, path_or_year_eq_path, year)`, kind `cin`, `ssda903` or
/// `tables` (Parquet or Arrow IPC table files); a given year makes the second item a plain path.
#[pyfunction]
#[pyo3(signature = (inputs, strict))]
fn load(
    py: Python<'_>,
    inputs: Vec<(String, String, Option<i32>)>,
    strict: bool,
) -> PyResult<PyDataset> {
    if inputs.is_empty() {
        return Err(nothing_to_load("load"));
    }
    let mut returns = Vec::new();
    for (kind, spec, year) in inputs {
        if kind == "tables" {
            // Parquet or Arrow IPC table files: each file's name says its return.
            returns.push(match year {
                Some(y) => Input {
                    kind: ReturnKind::Cin,
                    source: Source::Tables(PathBuf::from(spec)),
                    year: Some(y),
                },
                None => Input::tables(&spec).or_raise()?,
            });
            continue;
        }
        let kind = parse_kind(&kind)?;
        returns.push(match year {
            Some(y) => Input {
                kind,
                source: Source::Path(PathBuf::from(spec)),
                year: Some(y),
            },
            None => Input::parse(kind, &spec).or_raise()?,
        });
    }
    load_inputs(
        py,
        Inputs {
            returns,
            strict,
            ..Inputs::default()
        },
    )
}

/// One collection year of tables from Python: the return kind if given, the year if given, and
/// `(table name, Arrow table)` pairs.
type TablesOfYear<'py> = (
    Option<String>,
    Option<i32>,
    Vec<(String, Bound<'py, PyAny>)>,
);

/// Builds a dataset from Arrow tables: `(kind or None, year or None, [(table name, table)])` per
/// collection year.
#[pyfunction]
#[pyo3(signature = (returns, strict))]
fn from_tables(
    py: Python<'_>,
    returns: Vec<TablesOfYear<'_>>,
    strict: bool,
) -> PyResult<PyDataset> {
    if returns.is_empty() {
        return Err(nothing_to_load("from_frames"));
    }
    let mut frames = Vec::new();
    for (kind, year, tables) in returns {
        let kind = kind.as_deref().map(parse_kind).transpose()?;
        let tables = tables
            .iter()
            .map(|(name, obj)| arrow_io::read_table(obj, name))
            .collect::<PyResult<Vec<_>>>()?;
        frames.push(ReturnInput::new(kind, year, tables));
    }
    load_inputs(
        py,
        Inputs {
            frames,
            strict,
            ..Inputs::default()
        },
    )
}

/// The request layer's sample of `children` (saturated: more than it may have is refused) and
/// `seed`.
fn sample_of(children: u64, seed: u64) -> Result<Sample, Error> {
    Sample::new(
        Some(u32::try_from(children).unwrap_or(u32::MAX)),
        Some(seed),
    )
}

/// The built-in synthetic sample, as the CLI builds it.
#[pyfunction]
#[pyo3(signature = (children, seed))]
fn sample(py: Python<'_>, children: u64, seed: u64) -> PyResult<PyDataset> {
    let sample = sample_of(children, seed).or_raise()?;
    load_inputs(
        py,
        Inputs {
            sample: Some(sample),
            ..Inputs::default()
        },
    )
}

/// One return of the sample as tables: kind, collection year, `(table name, table)` pairs.
type SampleReturn = (&'static str, Option<i32>, Vec<(&'static str, PyTable)>);

/// The sample's returns as tables (`csc_arrow`'s): `(kind, year, [(table name, table)])` per
/// return.
#[pyfunction]
#[pyo3(signature = (children, seed))]
fn sample_tables(py: Python<'_>, children: u64, seed: u64) -> PyResult<Vec<SampleReturn>> {
    let sample = sample_of(children, seed).or_raise()?;
    let returns = detached(py, move || {
        let synthetic = csc_synth::generate(&csc_synth::Config {
            children: sample.children,
            seed: sample.seed,
            ..csc_synth::Config::default()
        });
        let mut out = Vec::new();
        for r in &synthetic.cin {
            out.push(("cin", r.source.collection_year, csc_arrow::cin_tables(r)));
        }
        for r in &synthetic.ssda903 {
            out.push((
                "ssda903",
                r.source.collection_year,
                csc_arrow::ssda903_tables(r),
            ));
        }
        Ok(out)
    })?;
    Ok(returns
        .into_iter()
        .map(|(kind, year, tables)| {
            let tables = tables
                .into_iter()
                .map(|(n, b)| (n, PyTable::new(b)))
                .collect();
            (kind, year, tables)
        })
        .collect())
}

/// The catalogue of measures.
#[pyfunction]
fn measures() -> PyTable {
    PyTable::new(csc_arrow::catalogue::measures())
}

/// The catalogue of options.
#[pyfunction]
fn options() -> PyTable {
    PyTable::new(csc_arrow::catalogue::options())
}

/// The catalogue of the returns' tables, one row per field.
#[pyfunction]
fn schema() -> PyTable {
    PyTable::new(csc_arrow::catalogue::schema())
}

/// Every error kind of the core, in code order: `(kind, code, name of its Python class)`.
#[pyfunction]
fn error_kinds() -> Vec<(&'static str, u32, &'static str)> {
    ErrorKind::ALL
        .iter()
        .map(|&k| (k.as_str(), k.code(), error::class_name(k)))
        .collect()
}

/// Raises the exception of error kind `kind` with `message`, through the one conversion every
/// error takes (for tests of that conversion).
#[pyfunction]
fn raise_error(kind: &str, message: &str) -> PyResult<()> {
    let k = ErrorKind::ALL
        .iter()
        .copied()
        .find(|k| k.as_str() == kind)
        .ok_or_else(|| PyValueError::new_err(format!("{kind:?} is no error kind")))?;
    Err(PyCscError(Error::new(k, message)).into())
}

/// `wd(a, b)` under `convention`, with the England and Wales calendar; `a` and `b` as
/// `YYYY-MM-DD` or `DD/MM/YYYY`.
#[pyfunction]
#[pyo3(signature = (a, b, convention))]
fn working_days(a: &str, b: &str, convention: &str) -> PyResult<u32> {
    (|| {
        let (a, b) = (Day::parse_user(a)?, Day::parse_user(b)?);
        let convention: WorkingDays = convention.parse()?;
        let n = Calendar::england_and_wales()
            .wd(a, b, convention)
            .map_err(|e| Error::new(ErrorKind::InvalidPeriod, format!("{b} is before {a}: {e}")))?;
        Ok(n.days)
    })()
    .or_raise()
}

/// Benchmark helper: seconds the request layer takes to run `measures` over `year` (default: the
/// latest collection year) on `dataset`, `repeat` times, measured inside Rust (no Python in the
/// loop).
#[pyfunction]
#[pyo3(signature = (dataset, measures, year, repeat))]
fn core_compute_seconds(
    py: Python<'_>,
    dataset: &PyDataset,
    measures: Option<Vec<String>>,
    year: Option<i32>,
    repeat: u32,
) -> PyResult<f64> {
    let ds = dataset.dataset().clone();
    detached(py, move || {
        let query = Query {
            period: PeriodSpec::from_parts(year, None, None, None)?,
            measures: csc_api::parse_measures(&measures.unwrap_or_default())?,
            detail: Detail::Records,
            ..Query::default()
        };
        let t = Instant::now();
        for _ in 0..repeat {
            std::hint::black_box(csc_api::run(&ds, &query)?);
        }
        Ok(t.elapsed().as_secs_f64())
    })
}

/// Runs the `csc-measures` command (`args`: the program name, then its arguments, as `sys.argv`)
/// in this process, with the GIL released, and returns its exit status: the very function the Rust
/// binary's `main` calls ([`csc_cli::run`]), so the output, the errors and the status are the
/// binary's. It writes to the process's standard output and error (file descriptors 1 and 2), not
/// to `sys.stdout`, and flushes them before it returns. A panic (a defect) prints its message to
/// standard error and returns 101, the status of a Rust program that panicked.
#[pyfunction]
fn cli(py: Python<'_>, args: Vec<std::ffi::OsString>) -> u8 {
    py.detach(move || {
        std::panic::catch_unwind(move || csc_cli::run(args)).unwrap_or_else(|_| {
            use std::io::Write;
            let _ = std::io::stdout().flush();
            101
        })
    })
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
    m.add_function(wrap_pyfunction!(options, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(error_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(raise_error, m)?)?;
    m.add_function(wrap_pyfunction!(working_days, m)?)?;
    m.add_function(wrap_pyfunction!(core_compute_seconds, m)?)?;
    m.add_function(wrap_pyfunction!(cli, m)?)?;
    Ok(())
}
