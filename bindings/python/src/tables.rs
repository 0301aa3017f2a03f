//! [`PyTable`], the frozen class that holds one Arrow record batch and hands it to Python
//! (`__arrow_c_stream__`, `to_pydict`). Every table of the module is one: the results, their
//! drill-down, the load report, the scorecard, the catalogues and the sample's returns, all made by
//! `csc_arrow`, the same tables Rust and C users get.
//!
//! Columns of JSON text (marked with the field metadata [`JSON`]) are given as dicts by
//! `to_pydict`.

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, SchemaRef};
use csc_arrow::results::JSON;
use csc_measures::Day;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDate, PyDict, PyList};
use serde_json::Value;

use crate::arrow_io::stream_capsule;

/// An immutable Arrow table: what `Results.records()`, `Dataset.load_report` and the other
/// tables of the module are. Python reads it through `__arrow_c_stream__` (pyarrow, polars,
/// pandas) or `to_pydict`.
#[pyclass(name = "Table", module = "csc_measures._native", frozen)]
pub struct PyTable {
    batch: RecordBatch,
}

impl PyTable {
    /// A table holding `batch`.
    pub fn new(batch: RecordBatch) -> PyTable {
        PyTable { batch }
    }
}

fn is_json(f: &Field) -> bool {
    f.metadata().get(JSON).is_some_and(|v| v == "true")
}

/// A JSON value as the Python object `json.loads` would give.
pub fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(json_to_py(py, x)?)?;
            }
            l.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// A date as a Python `datetime.date`.
pub fn date_to_py(py: Python<'_>, d: Day) -> PyResult<Bound<'_, PyAny>> {
    let (y, m, dd) = d.to_ymd();
    Ok(PyDate::new(py, y, m as u8, dd as u8)?.into_any())
}

/// One column as a Python list.
fn column_to_py<'py>(
    py: Python<'py>,
    field: &Field,
    a: &dyn Array,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    let none = || py.None().into_bound(py);
    match a.data_type() {
        DataType::Utf8 => {
            let s = a.as_string::<i32>();
            let json = is_json(field);
            for i in 0..s.len() {
                if s.is_null(i) {
                    out.append(none())?;
                } else if json {
                    let v: Value = serde_json::from_str(s.value(i)).unwrap_or(Value::Null);
                    out.append(json_to_py(py, &v)?)?;
                } else {
                    out.append(s.value(i))?;
                }
            }
        }
        DataType::Date32 => {
            let d = a.as_primitive::<Date32Type>();
            for i in 0..d.len() {
                match d.is_valid(i).then(|| Day::new(d.value(i)).ok()).flatten() {
                    Some(day) => out.append(date_to_py(py, day)?)?,
                    None => out.append(none())?,
                }
            }
        }
        DataType::UInt64 => {
            let v = a.as_primitive::<UInt64Type>();
            for i in 0..v.len() {
                out.append(v.is_valid(i).then(|| v.value(i)))?;
            }
        }
        DataType::UInt32 => {
            let v = a.as_primitive::<UInt32Type>();
            for i in 0..v.len() {
                out.append(v.is_valid(i).then(|| v.value(i)))?;
            }
        }
        DataType::Int64 => {
            let v = a.as_primitive::<Int64Type>();
            for i in 0..v.len() {
                out.append(v.is_valid(i).then(|| v.value(i)))?;
            }
        }
        DataType::Float64 => {
            let v = a.as_primitive::<Float64Type>();
            for i in 0..v.len() {
                out.append(v.is_valid(i).then(|| v.value(i)))?;
            }
        }
        DataType::Boolean => {
            let v = a.as_boolean();
            for i in 0..v.len() {
                out.append(v.is_valid(i).then(|| v.value(i)))?;
            }
        }
        DataType::List(item) => {
            let l = a.as_list::<i32>();
            for i in 0..l.len() {
                if l.is_null(i) {
                    out.append(none())?;
                } else {
                    out.append(column_to_py(py, item, l.value(i).as_ref())?)?;
                }
            }
        }
        other => {
            return Err(PyTypeError::new_err(format!(
                "column {} is {other}, which to_pydict does not give",
                field.name()
            )));
        }
    }
    Ok(out)
}

#[pymethods]
impl PyTable {
    /// The number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// The column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// The type of each column: `utf8`, `json`, `date32`, `uint64`, `uint32`, `int64`, `float64`,
    /// `bool`, `list<utf8>` or `list<date32>`.
    #[getter]
    fn column_types(&self) -> Vec<String> {
        self.batch
            .schema()
            .fields()
            .iter()
            .map(|f| type_name(f).to_owned())
            .collect()
    }

    /// The columns as a dict of lists (dates as `datetime.date`, JSON columns as dicts).
    fn to_pydict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let schema = self.batch.schema();
        for (f, a) in schema.fields().iter().zip(self.batch.columns()) {
            d.set_item(f.name(), column_to_py(py, f, a.as_ref())?)?;
        }
        Ok(d)
    }

    /// Rows `offset..offset + length` (clamped to the table), without copying.
    fn slice(&self, offset: usize, length: usize) -> PyTable {
        let n = self.batch.num_rows();
        let offset = offset.min(n);
        PyTable::new(self.batch.slice(offset, length.min(n - offset)))
    }

    fn __len__(&self) -> usize {
        self.batch.num_rows()
    }

    /// The table as an Arrow C stream (the Arrow `PyCapsule` interface). The requested schema, if
    /// any, is ignored, as the interface allows: the table has one schema.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let schema: SchemaRef = self.batch.schema();
        stream_capsule(py, schema, self.batch.clone())
    }
}

fn type_name(f: &Field) -> &'static str {
    match f.data_type() {
        DataType::Utf8 if is_json(f) => "json",
        DataType::Utf8 => "utf8",
        DataType::Date32 => "date32",
        DataType::UInt64 => "uint64",
        DataType::UInt32 => "uint32",
        DataType::Int64 => "int64",
        DataType::Float64 => "float64",
        DataType::Boolean => "bool",
        DataType::List(item) if item.data_type() == &DataType::Date32 => "list<date32>",
        DataType::List(_) => "list<utf8>",
        _ => "other",
    }
}
