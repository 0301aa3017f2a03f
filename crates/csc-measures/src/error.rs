//! The one error type of the library, with a stable kind and code for every surface.
//!
//! [`Error`] is opaque: callers branch on [`Error::kind`] (whose [`ErrorKind::code`] is the number the
//! C ABI and the Python exceptions carry) and show the message, which names the file, line, column and
//! value when the error comes from input. Dates in messages are ISO.

use std::fmt;

use crate::quality::Location;

/// What went wrong, without the detail. New kinds may be added; codes are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A date that is malformed, impossible, or outside 0001-01-01 ..= 9999-12-31.
    InvalidDate,
    /// A period whose end is before its start, or a financial year out of range.
    InvalidPeriod,
    /// A date outside the years a working-day calendar covers.
    CalendarRange,
    /// A record or value the library cannot accept (for example a blank child identifier).
    InvalidInput,
    /// Strict loading stopped at a data-quality problem.
    DataQuality,
    /// A measure id that the registry does not know.
    UnknownMeasure,
    /// An option that is unknown, or a value that it does not take.
    InvalidOption,
    /// Reading or writing a file failed.
    Io,
    /// A request that is malformed: not of the request's shape (an unknown field, a value of the
    /// wrong type), or asking for things that exclude each other (a year and a start date).
    InvalidRequest,
}

impl ErrorKind {
    /// Every kind, in code order: bindings check that they map each one.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::InvalidDate,
        ErrorKind::InvalidPeriod,
        ErrorKind::CalendarRange,
        ErrorKind::InvalidInput,
        ErrorKind::DataQuality,
        ErrorKind::UnknownMeasure,
        ErrorKind::InvalidOption,
        ErrorKind::Io,
        ErrorKind::InvalidRequest,
    ];

    /// The stable number of this kind: the C status is this number and Python's `code` attribute too.
    #[must_use]
    pub const fn code(self) -> u32 {
        match self {
            ErrorKind::InvalidDate => 100,
            ErrorKind::InvalidPeriod => 101,
            ErrorKind::CalendarRange => 102,
            ErrorKind::InvalidInput => 103,
            ErrorKind::DataQuality => 104,
            ErrorKind::UnknownMeasure => 105,
            ErrorKind::InvalidOption => 106,
            ErrorKind::Io => 107,
            ErrorKind::InvalidRequest => 108,
        }
    }

    /// A short snake_case name (`invalid_date`, ...), stable across versions.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidDate => "invalid_date",
            ErrorKind::InvalidPeriod => "invalid_period",
            ErrorKind::CalendarRange => "calendar_range",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::DataQuality => "data_quality",
            ErrorKind::UnknownMeasure => "unknown_measure",
            ErrorKind::InvalidOption => "invalid_option",
            ErrorKind::Io => "io",
            ErrorKind::InvalidRequest => "invalid_request",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error of the library: a kind, a message, and where in the input it arose when known.
///
/// ```
/// use csc_measures::{Day, ErrorKind};
/// let err = "31/02/2024".parse::<Day>().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidDate);
/// assert_eq!(err.kind().code(), 100);
/// assert!(err.to_string().contains("31/02/2024"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    message: String,
    location: Option<Location>,
}

impl Error {
    /// A new error of `kind` with a message a person can act on.
    #[must_use]
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                location: None,
            }),
        }
    }

    /// The same error, placed at `location` in the input.
    #[must_use]
    pub fn at(mut self, location: Location) -> Error {
        self.inner.location = Some(location);
        self
    }

    /// What kind of error this is.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The message without the location.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Where in the input the error arose, when it came from a file.
    #[must_use]
    pub fn location(&self) -> Option<&Location> {
        self.inner.location.as_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.inner.location {
            write!(f, "{loc}: ")?;
        }
        f.write_str(&self.inner.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {self})", self.inner.kind)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(ErrorKind::Io, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorKind;

    #[test]
    fn all_lists_every_kind_once_in_code_order() {
        // An exhaustive match: a new kind fails to compile here until it is placed in ALL.
        let position = |k: ErrorKind| match k {
            ErrorKind::InvalidDate => 0,
            ErrorKind::InvalidPeriod => 1,
            ErrorKind::CalendarRange => 2,
            ErrorKind::InvalidInput => 3,
            ErrorKind::DataQuality => 4,
            ErrorKind::UnknownMeasure => 5,
            ErrorKind::InvalidOption => 6,
            ErrorKind::Io => 7,
            ErrorKind::InvalidRequest => 8,
        };
        for (i, &k) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(position(k), i);
            assert_eq!(k.code(), 100 + i as u32);
        }
    }
}
