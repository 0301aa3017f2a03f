//! Checked arguments: every pointer the caller passes goes through one of these, so that NULL,
//! text that is not UTF-8 and a NULL array are reported the same way everywhere.

use std::ffi::{CStr, c_char};

use csc_measures::{Day, Error};

use crate::status::{Failure, Res, csc_status};

/// A required NUL-terminated UTF-8 string argument.
///
/// # Safety
///
/// `p` is NULL or points to a NUL-terminated string that outlives `'a`.
pub unsafe fn text<'a>(p: *const c_char, name: &str) -> Res<&'a str> {
    // SAFETY: forwarded from the caller.
    unsafe { opt_text(p, name) }?.ok_or_else(|| Failure::null(name))
}

/// An optional string argument: NULL is `None` (a blank field).
///
/// # Safety
///
/// As [`text`].
pub unsafe fn opt_text<'a>(p: *const c_char, name: &str) -> Res<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL, and the caller promises a NUL-terminated string.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str().map(Some).map_err(|e| {
        Failure::new(
            csc_status::InvalidUtf8,
            format!("argument `{name}` is not valid UTF-8: {e}"),
        )
    })
}

/// A handle argument that must not be NULL.
///
/// # Safety
///
/// `p` is NULL or a live handle of type `T` not being mutated elsewhere during `'a`.
pub unsafe fn handle<'a, T>(p: *const T, name: &str) -> Res<&'a T> {
    // SAFETY: forwarded from the caller.
    unsafe { p.as_ref() }.ok_or_else(|| Failure::null(name))
}

/// A handle argument the call changes.
///
/// # Safety
///
/// `p` is NULL or a live handle of type `T` used by no one else during `'a`.
pub unsafe fn handle_mut<'a, T>(p: *mut T, name: &str) -> Res<&'a mut T> {
    // SAFETY: forwarded from the caller.
    unsafe { p.as_mut() }.ok_or_else(|| Failure::null(name))
}

/// An array argument followed by its length: NULL with length 0 is the empty slice.
///
/// # Safety
///
/// `p` is NULL or points to `n` initialised values that outlive `'a`.
pub unsafe fn slice<'a, T>(p: *const T, n: usize, name: &str) -> Res<&'a [T]> {
    if n == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: non-NULL, and the caller promises `n` values.
    Ok(unsafe { std::slice::from_raw_parts(p, n) })
}

/// An array of strings (`const char *const *` and a length), each required.
///
/// # Safety
///
/// As [`slice`], and each element as [`text`].
pub unsafe fn texts<'a>(p: *const *const c_char, n: usize, name: &str) -> Res<Vec<&'a str>> {
    // SAFETY: forwarded from the caller.
    let ptrs = unsafe { slice(p, n, name) }?;
    ptrs.iter()
        .enumerate()
        // SAFETY: forwarded from the caller.
        .map(|(i, &s)| unsafe { text(s, &format!("{name}[{i}]")) })
        .collect()
}

/// A day number argument (days since 1970-01-01), checked against 0001-01-01 ..= 9999-12-31.
pub fn day(d: i32, name: &str) -> Res<Day> {
    Day::new(d).map_err(|e| named(name, &e))
}

/// An optional day: `None` unless `has` is true.
pub fn opt_day(d: i32, has: bool, name: &str) -> Res<Option<Day>> {
    has.then(|| day(d, name)).transpose()
}

/// A core error about argument `name`: the same kind, with the argument's name in front.
#[must_use]
pub fn named(name: &str, e: &Error) -> Failure {
    Failure::from(Error::new(e.kind(), format!("{name}: {e}")))
}

/// An out-parameter, checked to be non-NULL before any work and written only at the end, on
/// success.
pub struct Out<T>(*mut T);

impl<T> Out<T> {
    /// Writes the value (without reading or dropping what was there).
    pub fn set(self, v: T) {
        // SAFETY: `out` checked that the pointer is non-NULL, and its caller that it is valid.
        unsafe { self.0.write(v) }
    }
}

/// Checks an out-parameter.
///
/// # Safety
///
/// `p` is NULL or valid for writing a `T`.
pub unsafe fn out<T>(p: *mut T, name: &str) -> Res<Out<T>> {
    if p.is_null() {
        return Err(Failure::null(name));
    }
    Ok(Out(p))
}

/// The element `i` of a list of `len`, or [`csc_status::InvalidArgument`] naming both.
pub fn index<'a, T>(items: &'a [T], i: usize, what: &str) -> Res<&'a T> {
    items.get(i).ok_or_else(|| {
        Failure::invalid(format!(
            "{what} index {i} is out of range (there are {})",
            items.len()
        ))
    })
}
