//! The one path from the core's [`Error`] to a Python exception, and the guard that keeps a panic
//! from reaching Python.
//!
//! The exception classes live in Python (`csc_measures/_errors.py`), so that users can catch them
//! without importing the native module; this file maps each [`ErrorKind`] to its class, once, and
//! raises it with the same `code` the C ABI returns and the same `kind` string.

use std::panic::{AssertUnwindSafe, catch_unwind};

use csc_measures::{Error, ErrorKind};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A core [`Error`] on its way to Python: `?` turns a core error into one, and pyo3 raises it
/// through the one [`From<PyCscError> for PyErr`].
#[derive(Debug)]
pub struct PyCscError(pub Error);

impl From<Error> for PyCscError {
    fn from(e: Error) -> PyCscError {
        PyCscError(e)
    }
}

impl From<PyCscError> for PyErr {
    fn from(e: PyCscError) -> PyErr {
        Python::attach(|py| to_pyerr(py, &e.0))
    }
}

/// The name of the Python class in `csc_measures._errors` that stands for `kind`.
pub fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidInput | ErrorKind::InvalidDate | ErrorKind::DataQuality => "InputError",
        ErrorKind::InvalidOption | ErrorKind::UnknownMeasure => "OptionError",
        ErrorKind::InvalidPeriod | ErrorKind::CalendarRange => "PeriodError",
        ErrorKind::Io => "CscIOError",
        ErrorKind::InvalidRequest => "RequestError",
        // A kind added to the core after this file: the base class, until it is mapped here (a
        // test fails meanwhile).
        _ => "CscError",
    }
}

/// Builds the Python exception for `e`: the message as its argument, then `code`, `kind` and
/// the location fields (`file`, `line`, `path`, `column`, `value`) as keywords.
fn to_pyerr(py: Python<'_>, e: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = py.import("csc_measures._errors")?;
        let class = module.getattr(class_name(e.kind()))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("code", e.kind().code())?;
        kwargs.set_item("kind", e.kind().as_str())?;
        if let Some(loc) = e.location() {
            kwargs.set_item("file", loc.file.as_deref())?;
            kwargs.set_item("line", loc.line)?;
            kwargs.set_item("path", loc.path.as_deref())?;
            kwargs.set_item("column", loc.column.as_deref())?;
            kwargs.set_item("value", loc.value.as_deref())?;
        }
        let exc = class.call((e.to_string(),), Some(&kwargs))?;
        Ok(PyErr::from_value(exc))
    };
    // Only a broken installation (no `csc_measures._errors`) gets here: say so, with the message.
    build().unwrap_or_else(|err| {
        PyRuntimeError::new_err(format!(
            "[{}] {e} (and raising csc_measures._errors failed: {err})",
            e.kind()
        ))
    })
}

/// `?` for core results inside functions that also call Python: `ds.build().or_raise()?`.
pub trait OrRaise<T> {
    /// The value, or the core error as its Python exception.
    fn or_raise(self) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, Error> {
    fn or_raise(self) -> PyResult<T> {
        self.map_err(|e| PyCscError(e).into())
    }
}

/// An [`ErrorKind::InvalidInput`] error with `message`, as the Python exception.
pub fn invalid_input(message: impl Into<String>) -> PyErr {
    PyCscError(Error::new(ErrorKind::InvalidInput, message)).into()
}

/// An [`ErrorKind::InvalidRequest`] error with `message`, as the Python exception.
pub fn invalid_request(message: impl Into<String>) -> PyErr {
    PyCscError(Error::new(ErrorKind::InvalidRequest, message)).into()
}

/// Runs `f` with the GIL released, as the module runs every job: a core error becomes its Python
/// exception, and a panic (a defect of the library) a `RuntimeError` saying so, never an abort or
/// a `PanicException` of the host.
pub fn detached<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> Result<T, Error> + Send,
) -> PyResult<T> {
    match py.detach(move || catch_unwind(AssertUnwindSafe(f))) {
        Ok(r) => r.or_raise(),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(PyRuntimeError::new_err(format!(
                "csc_measures failed inside its native code ({what}); this is a defect of the \
                 library: please report it with the call that made it"
            )))
        }
    }
}
