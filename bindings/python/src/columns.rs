//! Tables given as columns of Python values: a dict of column name to a list (or any iterable)
//! of `str`, `int`, `float`, `bool`, `datetime.date`, `datetime.datetime` (pandas `Timestamp`),
//! lists of these, and `None` (or `NaT`, `pd.NA`, NaN) for a blank. This is how
//! `csc_measures.from_frames` hands over a pandas frame when pyarrow is not installed, and what a
//! user may give directly. Each value becomes a [`Value`]; the column's Arrow type and every rule
//! of reading it are `csc_arrow`'s ([`csc_arrow::values`], then [`csc_arrow::input`]), the same as
//! for an Arrow table.

use csc_arrow::TableInput;
use csc_arrow::values::{Value, Zone};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::error::{OrRaise, invalid_input};

/// The day number of 1970-01-01 as Python's `date.toordinal` counts (0001-01-01 is 1).
const EPOCH_ORDINAL: i64 = 719_163;

/// Python's date and time classes, looked up once per table.
struct Classes<'py> {
    date: Bound<'py, PyAny>,
    datetime: Bound<'py, PyAny>,
    timezone: Bound<'py, PyAny>,
    index: Bound<'py, PyAny>,
}

impl<'py> Classes<'py> {
    fn new(py: Python<'py>) -> PyResult<Classes<'py>> {
        let dt = py.import("datetime")?;
        Ok(Classes {
            date: dt.getattr("date")?,
            datetime: dt.getattr("datetime")?,
            timezone: dt.getattr("timezone")?,
            index: py.import("operator")?.getattr("index")?,
        })
    }
}

/// The type name of `v`, with its module when it is not a builtin.
fn type_name(v: &Bound<'_, PyAny>) -> String {
    let t = v.get_type();
    let name = t.name().map_or_else(|_| "?".to_owned(), |n| n.to_string());
    match t.module().map(|m| m.to_string()) {
        Ok(m) if m != "builtins" => format!("{m}.{name}"),
        _ => name,
    }
}

/// A `datetime.datetime` as microseconds on its own clock and its zone.
fn datetime(v: &Bound<'_, PyAny>, c: &Classes<'_>) -> PyResult<Value> {
    let ordinal: i64 = v.call_method0("toordinal")?.extract()?;
    let part = |name: &str| -> PyResult<i64> { v.getattr(name)?.extract() };
    let seconds = (part("hour")? * 60 + part("minute")?) * 60 + part("second")?;
    let micros = (ordinal - EPOCH_ORDINAL) * 86_400_000_000 + seconds * 1_000_000;
    let micros = micros + part("microsecond")?;
    let tz = v.getattr("tzinfo")?;
    let zone = if tz.is_none() {
        Zone::Naive
    } else if tz.is_instance(&c.timezone)? {
        let offset = v.call_method0("utcoffset")?;
        let secs: f64 = offset.call_method0("total_seconds")?.extract()?;
        #[allow(clippy::cast_possible_truncation)] // an offset is under a day
        Zone::Fixed(secs as i32)
    } else {
        Zone::Named(tz.str()?.to_string())
    };
    Ok(Value::DateTime { micros, zone })
}

/// One Python value; `Err(what)` names a value no column holds.
fn value(v: &Bound<'_, PyAny>, c: &Classes<'_>, nested: bool) -> PyResult<Result<Value, String>> {
    if v.is_none() {
        return Ok(Ok(Value::Null));
    }
    if v.is_instance_of::<PyBool>() {
        return Ok(Ok(Value::Bool(v.extract()?)));
    }
    if v.is_instance_of::<PyInt>() {
        return Ok(Ok(match v.extract::<i64>() {
            Ok(n) => Value::Int(n),
            Err(_) => Value::BigInt(v.str()?.to_string()),
        }));
    }
    if v.is_instance_of::<PyFloat>() {
        return Ok(Ok(Value::Float(v.extract()?)));
    }
    if v.is_instance_of::<PyString>() {
        return Ok(Ok(Value::Text(v.extract()?)));
    }
    let name = type_name(v);
    // pandas' missing values (`NaT` is a `datetime` that has no date).
    if matches!(
        name.as_str(),
        "pandas._libs.tslibs.nattype.NaTType" | "pandas._libs.missing.NAType"
    ) {
        return Ok(Ok(Value::Null));
    }
    if v.is_instance(&c.datetime)? {
        return datetime(v, c).map(Ok);
    }
    if v.is_instance(&c.date)? {
        let ordinal: i64 = v.call_method0("toordinal")?.extract()?;
        // Python's dates (years 1 to 9999) are all within `i32` days of 1970.
        return Ok(Ok(Value::Date(
            i32::try_from(ordinal - EPOCH_ORDINAL).unwrap_or(i32::MAX),
        )));
    }
    if !nested && (v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>()) {
        let mut items = Vec::new();
        for x in v.try_iter()? {
            match value(&x?, c, true)? {
                Ok(x) => items.push(x),
                Err(e) => return Ok(Err(e)),
            }
        }
        return Ok(Ok(Value::List(items)));
    }
    // numpy scalars: booleans, and whole numbers through `__index__`.
    if name == "numpy.bool" || name == "numpy.bool_" {
        return Ok(Ok(Value::Bool(v.is_truthy()?)));
    }
    if name.starts_with("numpy.") {
        if let Ok(n) = c.index.call1((v,)) {
            return value(&n, c, nested);
        }
    }
    let repr = v.repr().map(|r| r.to_string()).unwrap_or_default();
    let short: String = repr.chars().take(40).collect();
    Ok(Err(format!(
        "a {name} ({short}) is not a value of a table column: give text, numbers, booleans, \
         dates, date-times or None"
    )))
}

/// Reads `columns` (a dict of column name to values) as table `name`.
pub fn read_columns(columns: &Bound<'_, PyDict>, name: &str) -> PyResult<TableInput> {
    let c = Classes::new(columns.py())?;
    let mut out = Vec::with_capacity(columns.len());
    for (key, values) in columns.iter() {
        let col = key.str()?.to_string();
        if values.is_instance_of::<PyString>() {
            return Err(invalid_input(format!(
                "table {name}: column {col} is a str, not a list of values"
            )));
        }
        let Ok(items) = values.try_iter() else {
            return Err(invalid_input(format!(
                "table {name}: column {col} is a {}, not a list of values",
                type_name(&values)
            )));
        };
        let mut vals = Vec::new();
        for (i, v) in items.enumerate() {
            match value(&v?, &c, false)? {
                Ok(x) => vals.push(x),
                Err(what) => {
                    return Err(invalid_input(format!(
                        "table {name}: column {col}, row {}: {what}",
                        i + 1
                    )));
                }
            }
        }
        out.push((col, vals));
    }
    csc_arrow::values::table(name, out).or_raise()
}
