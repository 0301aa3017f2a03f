//! Strings across the boundary: static names (interned once, valid for the life of the program),
//! strings owned by a handle, and strings handed to the caller (freed by `csc_string_free`).

use std::collections::BTreeMap;
use std::ffi::{CStr, CString, c_char};
use std::sync::{Mutex, PoisonError};

use crate::status::{Res, guard_value};

/// A NUL-terminated copy of `s`; an interior NUL (which no return's text holds) becomes U+FFFD.
#[must_use]
pub fn owned(s: &str) -> CString {
    CString::new(s)
        .unwrap_or_else(|_| CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default())
}

/// A pointer to a NUL-terminated copy of a static string, made once and kept for the life of the
/// program (ids, titles, units, reasons, warnings, codes: a small, fixed set, never a message
/// made from input). The table is a `BTreeMap`, whose nodes are pointed to from their starts, so
/// a leak checker counts the copies as still reachable at exit, not as possibly lost.
#[must_use]
pub fn fixed(s: &'static str) -> *const c_char {
    static INTERNED: Mutex<BTreeMap<&'static str, &'static CStr>> = Mutex::new(BTreeMap::new());
    let mut map = INTERNED.lock().unwrap_or_else(PoisonError::into_inner);
    map.entry(s)
        .or_insert_with(|| Box::leak(owned(s).into_boxed_c_str()))
        .as_ptr()
}

/// The pointer of an optional string owned by a handle: NULL when absent.
#[must_use]
pub fn ptr(s: Option<&CString>) -> *const c_char {
    s.map_or(std::ptr::null(), |s| s.as_ptr())
}

/// A string handed to the caller, who frees it with `csc_string_free`.
#[must_use]
pub fn give(s: &str) -> *mut c_char {
    owned(s).into_raw()
}

/// Frees a string the library returned through a `char **` out-parameter
/// (`csc_compute_json`, `csc_result_to_json`). NULL is a no-op.
///
/// # Safety
///
/// `s` is NULL or a string from this library not yet freed; it is invalid afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_string_free(s: *mut c_char) {
    guard_value((), || -> Res<()> {
        if !s.is_null() {
            // SAFETY: the caller passes a string made by `CString::into_raw` in `give`.
            drop(unsafe { CString::from_raw(s) });
        }
        Ok(())
    });
}

/// The library's version, `"MAJOR.MINOR.PATCH"`, the same as the header's `CSC_MEASURES_VERSION`
/// when the header and the library match. Static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn csc_version() -> *const c_char {
    guard_value(std::ptr::null(), || Ok(fixed(env!("CARGO_PKG_VERSION"))))
}
