//! The Arrow `PyCapsule` interface, both ways: taking the stream of any object with
//! `__arrow_c_stream__` (pyarrow, polars, pandas >= 2.2 through pyarrow, duckdb, ...) as a table
//! of `csc_arrow`, and exporting this module's tables as a stream capsule that any of them can
//! read. What a table means is `csc_arrow`'s business; this file only moves streams.

use std::ffi::CStr;

use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow_schema::SchemaRef;
use csc_arrow::TableInput;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyCapsuleMethods, PyDict};

use crate::error::{OrRaise, invalid_input};

/// The capsule name the interface gives a stream.
const STREAM: &CStr = c"arrow_array_stream";

/// Reads the whole stream of `obj` (any object with `__arrow_c_stream__`) as table `name`.
///
/// Runs with the GIL held, as the producer may need it; the batches are zero-copy views of the
/// producer's buffers and are `Send`, so what is made of them can run without it.
///
/// A dict is a table given as columns of Python values ([`crate::columns`]).
pub fn read_table(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<TableInput> {
    if let Ok(columns) = obj.cast::<PyDict>() {
        return crate::columns::read_columns(columns, name);
    }
    if !obj.hasattr("__arrow_c_stream__")? {
        let type_name = obj.get_type().name()?;
        return Err(invalid_input(format!(
            "table {name}: a {type_name} is not an Arrow table; give a pandas, polars or pyarrow table \
             (anything with __arrow_c_stream__), or a dict of column name to list of values"
        )));
    }
    let capsule = obj.call_method1("__arrow_c_stream__", (obj.py().None(),))?;
    let capsule = capsule.cast_into::<PyCapsule>()?;
    let ptr = capsule.pointer_checked(Some(STREAM))?;
    // SAFETY: the interface guarantees that a capsule named "arrow_array_stream" holds an
    // `ArrowArrayStream`; `from_raw` moves it out and leaves a released stream behind, which the
    // capsule's destructor then ignores.
    let stream = unsafe { FFI_ArrowArrayStream::from_raw(ptr.as_ptr().cast()) };
    let reader = ArrowArrayStreamReader::try_new(stream)
        .map_err(|e| invalid_input(format!("table {name}: reading its Arrow stream: {e}")))?;
    csc_arrow::table_from_reader(name, reader).or_raise()
}

/// Exports `batch` as a stream capsule (the `__arrow_c_stream__` of this module's tables).
pub fn stream_capsule(
    py: Python<'_>,
    schema: SchemaRef,
    batch: RecordBatch,
) -> PyResult<Bound<'_, PyCapsule>> {
    let reader: Box<dyn RecordBatchReader + Send> =
        Box::new(RecordBatchIterator::new(vec![Ok(batch)], schema));
    // The consumer moves the stream out of the capsule; if it never does, dropping the
    // `FFI_ArrowArrayStream` with the capsule releases it.
    PyCapsule::new_with_value(py, FFI_ArrowArrayStream::new(reader), STREAM)
}
