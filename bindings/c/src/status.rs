//! [`csc_status`], the thread-local last error, and the panic boundary every export runs inside.

use std::any::Any;
use std::cell::RefCell;
use std::ffi::{CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use csc_measures::{Error, ErrorKind};

use crate::text;

/// The outcome of a call. The numbers are stable and never reused: 0 is success; 1-99 are misuse
/// of the API (a null pointer, text that is not UTF-8, an argument out of range) and a caught
/// panic; 100 and up are exactly the core's `ErrorKind::code()`, so the same number means the same
/// thing in C, Python and the CLI's JSON.
///
/// `csc_status_str` gives a status's stable snake_case name; `csc_last_error_message` gives the
/// message of the last failed call on the calling thread.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(non_camel_case_types)]
pub enum csc_status {
    /// Success.
    Ok = 0,
    /// A pointer argument that must not be NULL was NULL (an array of length 0 may be NULL).
    NullArgument = 1,
    /// A string argument is not valid UTF-8.
    InvalidUtf8 = 2,
    /// An argument is out of range or the handle is in the wrong state (an index past the end, a
    /// record added to a builder with no return of its kind begun, a table or column that the
    /// return does not have). A JSON request of the wrong shape is `CSC_STATUS_INVALID_REQUEST`
    /// (it was this status before 108 existed: see CHANGELOG.md).
    InvalidArgument = 3,
    /// A bug: the library panicked. The call had no effect on its out-parameters; the message
    /// says where. Please report it.
    Panic = 4,
    /// `invalid_date`: a date that is malformed, impossible, or outside 0001-01-01 ..= 9999-12-31.
    InvalidDate = 100,
    /// `invalid_period`: a period whose end is before its start, a year out of range, or no
    /// collection year known where one is needed.
    InvalidPeriod = 101,
    /// `calendar_range`: a date outside the years a working-day calendar covers.
    CalendarRange = 102,
    /// `invalid_input`: a record or value the library cannot accept.
    InvalidInput = 103,
    /// `data_quality`: strict loading stopped at a data-quality problem.
    DataQuality = 104,
    /// `unknown_measure`: a measure id that the registry does not know.
    UnknownMeasure = 105,
    /// `invalid_option`: an option that is unknown, or a value that it does not take.
    InvalidOption = 106,
    /// `io`: reading or writing a file failed.
    Io = 107,
    /// `invalid_request`: a request that is malformed: not JSON, or not of the request's shape (an
    /// unknown field, a value of the wrong type), or asking for things that exclude each other (a
    /// year and a start date).
    InvalidRequest = 108,
}

impl csc_status {
    /// Every status, in numeric order.
    pub const ALL: &'static [csc_status] = &[
        csc_status::Ok,
        csc_status::NullArgument,
        csc_status::InvalidUtf8,
        csc_status::InvalidArgument,
        csc_status::Panic,
        csc_status::InvalidDate,
        csc_status::InvalidPeriod,
        csc_status::CalendarRange,
        csc_status::InvalidInput,
        csc_status::DataQuality,
        csc_status::UnknownMeasure,
        csc_status::InvalidOption,
        csc_status::Io,
        csc_status::InvalidRequest,
    ];

    /// The stable snake_case name: `ok`, `null_argument`, ..., and for 100 and up the core's
    /// `ErrorKind::as_str()`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            csc_status::Ok => "ok",
            csc_status::NullArgument => "null_argument",
            csc_status::InvalidUtf8 => "invalid_utf8",
            csc_status::InvalidArgument => "invalid_argument",
            csc_status::Panic => "panic",
            csc_status::InvalidDate => "invalid_date",
            csc_status::InvalidPeriod => "invalid_period",
            csc_status::CalendarRange => "calendar_range",
            csc_status::InvalidInput => "invalid_input",
            csc_status::DataQuality => "data_quality",
            csc_status::UnknownMeasure => "unknown_measure",
            csc_status::InvalidOption => "invalid_option",
            csc_status::Io => "io",
            csc_status::InvalidRequest => "invalid_request",
        }
    }

    /// The status with number `code`, if there is one.
    #[must_use]
    pub fn from_code(code: u32) -> Option<csc_status> {
        csc_status::ALL.iter().copied().find(|s| *s as u32 == code)
    }

    /// The status of a core error kind: the one whose number is `kind.code()`.
    ///
    /// # Panics
    ///
    /// When the core has a kind this enum lacks (a test keeps that from shipping); inside an
    /// export the panic boundary turns it into [`csc_status::Panic`] with a message naming it.
    #[must_use]
    pub fn of_kind(kind: ErrorKind) -> csc_status {
        match csc_status::from_code(kind.code()) {
            Some(s) if kind.code() >= 100 => s,
            _ => panic!(
                "error kind {kind} (code {}) has no csc_status: add it to the C enum",
                kind.code()
            ),
        }
    }
}

/// Why a call failed: the status to return and the message for `csc_last_error_message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The status.
    pub status: csc_status,
    /// The message, for a person.
    pub message: String,
}

impl Failure {
    /// A failure with `status` and `message`.
    pub fn new(status: csc_status, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }

    /// A NULL argument.
    #[must_use]
    pub fn null(name: &str) -> Failure {
        Failure::new(
            csc_status::NullArgument,
            format!("argument `{name}` is NULL"),
        )
    }

    /// An argument out of range or in the wrong state.
    pub fn invalid(message: impl Into<String>) -> Failure {
        Failure::new(csc_status::InvalidArgument, message)
    }

    /// The failure of a caught panic.
    #[must_use]
    pub fn panic(payload: &(dyn Any + Send)) -> Failure {
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("a panic without a message");
        Failure::new(
            csc_status::Panic,
            format!("internal error (panic) in csc-measures: {what}"),
        )
    }

    /// The kind's name, as `csc_status_str` gives it.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        self.status.as_str()
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::new(csc_status::of_kind(e.kind()), e.to_string())
    }
}

/// What a fallible step of an export returns.
pub type Res<T> = Result<T, Failure>;

thread_local! {
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

fn set_last_error(message: Option<&str>) {
    LAST_ERROR.with(|cell| *cell.borrow_mut() = message.map(text::owned));
}

/// Runs the body of an export that returns a status: `Ok` clears the thread's last error, a
/// failure sets it, and a panic becomes [`csc_status::Panic`] with the panic's message.
pub fn guard(body: impl FnOnce() -> Res<()>) -> csc_status {
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|p| Err(Failure::panic(&*p)));
    match outcome {
        Ok(()) => {
            set_last_error(None);
            csc_status::Ok
        }
        Err(f) => {
            set_last_error(Some(&f.message));
            f.status
        }
    }
}

/// Runs the body of an export that returns a value rather than a status (a count, a string):
/// `Err` and panics set the thread's last error and return `fallback`; success leaves it alone.
pub fn guard_value<T>(fallback: T, body: impl FnOnce() -> Res<T>) -> T {
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|p| Err(Failure::panic(&*p)));
    outcome.unwrap_or_else(|f| {
        set_last_error(Some(&f.message));
        fallback
    })
}

/// The stable snake_case name of status `code` (`"ok"`, `"null_argument"`, `"invalid_date"`,
/// ...), or `"unknown"` for a number that is not a status. The string is static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn csc_status_str(code: u32) -> *const c_char {
    guard_value(text::fixed("unknown"), || {
        Ok(text::fixed(
            csc_status::from_code(code).map_or("unknown", csc_status::as_str),
        ))
    })
}

/// The message of the last call on the calling thread that returned a status: empty (`""`, never
/// NULL) when that call succeeded or no call has been made. Calls that return a count or a string
/// set it only when they fail. Thread-local: each thread sees its own. The string belongs to the
/// library and is valid until the next call into the library on this thread; copy it to keep it.
#[unsafe(no_mangle)]
pub extern "C" fn csc_last_error_message() -> *const c_char {
    guard_value(text::fixed(""), || {
        Ok(LAST_ERROR.with(|cell| {
            cell.borrow()
                .as_ref()
                .map_or_else(|| text::fixed(""), |s| s.as_ptr())
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn last() -> String {
        // SAFETY: the library returns a valid NUL-terminated string.
        unsafe { CStr::from_ptr(csc_last_error_message()) }
            .to_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let s = guard(|| panic!("boom {}", 7));
        assert_eq!(s, csc_status::Panic);
        assert!(last().contains("boom 7"), "{}", last());
        assert_eq!(guard(|| Ok(())), csc_status::Ok);
        assert_eq!(last(), "");
        assert_eq!(guard_value(5_usize, || panic!("static")), 5);
        assert!(last().contains("static"));
    }

    #[test]
    fn core_errors_keep_their_code_and_message() {
        let e = Error::new(ErrorKind::UnknownMeasure, "unknown measure \"x\"");
        let s = guard(|| Err(e.into()));
        assert_eq!(s as u32, 105);
        assert_eq!(last(), "unknown measure \"x\"");
    }

    #[test]
    fn codes_are_distinct_and_named() {
        let mut seen = std::collections::HashSet::new();
        for s in csc_status::ALL {
            assert!(seen.insert(*s as u32));
            assert_eq!(csc_status::from_code(*s as u32), Some(*s));
        }
        assert_eq!(csc_status::from_code(99), None);
    }
}
