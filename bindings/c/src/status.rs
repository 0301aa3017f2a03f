//! [`csc_status`], the thread-local last error, and the panic boundary every export runs inside.

use std::any::Any;
use std::cell::RefCell;
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use csc_measures::{Error, ErrorKind};

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

    /// [`csc_status::as_str`] as a static C string, for `csc_status_str`.
    #[must_use]
    pub const fn as_c_str(self) -> &'static CStr {
        match self {
            csc_status::Ok => c"ok",
            csc_status::NullArgument => c"null_argument",
            csc_status::InvalidUtf8 => c"invalid_utf8",
            csc_status::InvalidArgument => c"invalid_argument",
            csc_status::Panic => c"panic",
            csc_status::InvalidDate => c"invalid_date",
            csc_status::InvalidPeriod => c"invalid_period",
            csc_status::CalendarRange => c"calendar_range",
            csc_status::InvalidInput => c"invalid_input",
            csc_status::DataQuality => c"data_quality",
            csc_status::UnknownMeasure => c"unknown_measure",
            csc_status::InvalidOption => c"invalid_option",
            csc_status::Io => c"io",
            csc_status::InvalidRequest => c"invalid_request",
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

/// Messages longer than this many bytes give their buffer back after they are cleared, so one
/// huge message does not pin its memory for the life of the thread.
const KEPT_CAPACITY: usize = 4096;

thread_local! {
    /// The calling thread's last error message: NUL-terminated bytes in a buffer the thread owns,
    /// empty when there is none. Reused from one error to the next, freed when the thread ends
    /// (for the main thread, at `exit`), so nothing is interned or leaked.
    static LAST_ERROR: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Writes `message` (or nothing) into the thread's buffer. An interior NUL, which no message of
/// the library holds, becomes U+FFFD so the C string is the whole message.
fn set_last_error(message: Option<&str>) {
    LAST_ERROR.with(|cell| {
        let mut buf = cell.borrow_mut();
        buf.clear();
        match message {
            Some(m) => {
                if m.contains('\0') {
                    buf.extend_from_slice(m.replace('\0', "\u{FFFD}").as_bytes());
                } else {
                    buf.extend_from_slice(m.as_bytes());
                }
                buf.push(0);
                if buf.capacity() > KEPT_CAPACITY && buf.capacity() > 2 * buf.len() {
                    buf.shrink_to_fit();
                }
            }
            None => {
                if buf.capacity() > KEPT_CAPACITY {
                    *buf = Vec::new();
                }
            }
        }
    });
}

/// The pointer `csc_last_error_message` returns: the thread's buffer, or a static `""`.
fn last_error_ptr() -> *const c_char {
    LAST_ERROR.with(|cell| {
        let buf = cell.borrow();
        if buf.is_empty() {
            c"".as_ptr()
        } else {
            buf.as_ptr().cast::<c_char>()
        }
    })
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
    guard_value(c"unknown".as_ptr(), || {
        Ok(csc_status::from_code(code)
            .map_or(c"unknown", csc_status::as_c_str)
            .as_ptr())
    })
}

/// The message of the last failed call on the calling thread, or `""` (never NULL) when there is
/// none.
///
/// * Set by every call that fails: one returning a `csc_status` other than `CSC_STATUS_OK`, and
///   one returning a count, handle or string that fails (0 or NULL, as its docs say).
/// * Cleared (to `""`) by every call that returns `CSC_STATUS_OK`. Calls that return a count, a
///   handle or a string leave it as it was when they succeed, and so does this function.
/// * Thread-local: each thread sees only its own calls.
///
/// The text lives in a buffer that belongs to the calling thread and is reused: the pointer is
/// valid until the next call on the same thread that fails or that returns `CSC_STATUS_OK`, or
/// until the thread ends, whichever is first. Copy the text to keep it; never free it. The
/// buffer is freed when the thread exits, so an error leaves nothing behind for a leak checker.
#[unsafe(no_mangle)]
pub extern "C" fn csc_last_error_message() -> *const c_char {
    guard_value(c"".as_ptr(), || Ok(last_error_ptr()))
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

    #[test]
    fn status_names_as_c_strings_match_as_str() {
        for s in csc_status::ALL {
            assert_eq!(s.as_c_str().to_str().unwrap(), s.as_str());
            // SAFETY: csc_status_str returns a static NUL-terminated string.
            let named = unsafe { CStr::from_ptr(csc_status_str(*s as u32)) };
            assert_eq!(named.to_str().unwrap(), s.as_str());
        }
        // SAFETY: as above.
        let unknown = unsafe { CStr::from_ptr(csc_status_str(77)) };
        assert_eq!(unknown.to_str().unwrap(), "unknown");
    }

    #[test]
    fn the_message_lives_in_one_reused_buffer_of_the_thread() {
        assert_eq!(
            guard(|| Err(Failure::invalid("first failure"))),
            csc_status::InvalidArgument
        );
        let p1 = csc_last_error_message();
        assert_eq!(last(), "first failure");
        // Reading it again, or a value-returning call that succeeds, leaves it as it is.
        assert_eq!(csc_last_error_message(), p1);
        assert_eq!(guard_value(3_u8, || Ok(4)), 4);
        assert_eq!(last(), "first failure");
        // A shorter message reuses the same buffer.
        assert_eq!(
            guard(|| Err(Failure::invalid("second"))),
            csc_status::InvalidArgument
        );
        assert_eq!(csc_last_error_message(), p1);
        assert_eq!(last(), "second");
        // A success clears it to the static empty string.
        assert_eq!(guard(|| Ok(())), csc_status::Ok);
        assert_eq!(last(), "");
        assert_eq!(csc_last_error_message(), c"".as_ptr());
        // Another thread has its own.
        assert_eq!(
            guard(|| Err(Failure::invalid("main"))),
            csc_status::InvalidArgument
        );
        std::thread::spawn(|| {
            assert_eq!(last(), "");
            assert_eq!(
                guard(|| Err(Failure::invalid("other"))),
                csc_status::InvalidArgument
            );
            assert_eq!(last(), "other");
        })
        .join()
        .unwrap();
        assert_eq!(last(), "main");
    }

    #[test]
    fn a_nul_in_a_message_does_not_cut_it_and_a_huge_one_is_given_back() {
        assert_eq!(
            guard(|| Err(Failure::invalid("a\0b"))),
            csc_status::InvalidArgument
        );
        assert_eq!(last(), "a\u{FFFD}b");
        let huge = "x".repeat(1 << 20);
        assert_eq!(
            guard(|| Err(Failure::invalid(huge.clone()))),
            csc_status::InvalidArgument
        );
        assert_eq!(last(), huge);
        assert_eq!(guard(|| Ok(())), csc_status::Ok);
        LAST_ERROR.with(|cell| assert!(cell.borrow().capacity() <= KEPT_CAPACITY));
        assert_eq!(
            guard(|| Err(Failure::invalid("small"))),
            csc_status::InvalidArgument
        );
        assert_eq!(last(), "small");
    }
}
