//! `csc_options`: the measures' options (spec 6), set by key and string value, and the population
//! input (spec 8).

use std::ffi::c_char;
use std::sync::Arc;

use csc_measures::Options;
use csc_measures::population::Population;

use crate::arg;
use crate::status::{csc_status, guard, guard_value};

/// The options of every measure, each at the spec's default until set. Made by `csc_options_new`,
/// freed by `csc_options_free`; passed to `csc_compute` and `csc_compute_many` (NULL there means
/// every default).
///
/// Thread safety: set it from one thread; once set, any number of threads may compute with it at
/// the same time (computing only reads it).
pub struct csc_options {
    pub(crate) options: Options,
}

/// New options, every one at its default. Returns NULL only if the library failed.
#[unsafe(no_mangle)]
pub extern "C" fn csc_options_new() -> *mut csc_options {
    guard_value(std::ptr::null_mut(), || {
        Ok(Box::into_raw(Box::new(csc_options {
            options: Options::default(),
        })))
    })
}

/// Sets option `key` to `value`, both strings as the CLI's `--option KEY=VALUE` takes them.
///
/// The keys are those of `csc_catalog_json` (its `"options"`: each key with its doc, the values it
/// takes, its default and the measures that read it); a key may be `MEASURE.KEY`
/// (`cpp_repeat_2y.unit`), which sets the option for that measure only and wins over the bare
/// key. An unknown key or measure, a measure that does not read the option, or a value it does
/// not take is `CSC_STATUS_INVALID_OPTION`, and the options are unchanged.
///
/// # Safety
///
/// `opts` is NULL or live options no other thread is using; `key` and `value` are NULL or
/// NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_options_set(
    opts: *mut csc_options,
    key: *const c_char,
    value: *const c_char,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (o, key, value) = unsafe {
            (
                arg::handle_mut(opts, "opts")?,
                arg::text(key, "key")?,
                arg::text(value, "value")?,
            )
        };
        o.options.set(key, value)?;
        Ok(())
    })
}

/// Adds the population input (spec 8: an input, not an option): `total`, the ONS mid-year
/// estimate of the children aged 0 to 17 in the authority, for mid-year `midyear`. The measures
/// that have rates per 10,000 children divide by the estimate of the mid-year before the financial
/// year that holds the period's end. A year outside 1900-2200, or a second, different total for a
/// year already given, is `CSC_STATUS_INVALID_INPUT` (`population_invalid`,
/// `population_conflict`), and the options are unchanged. A total of 0 counts as absent.
///
/// # Safety
///
/// `opts` is NULL or live options no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_options_set_population(
    opts: *mut csc_options,
    midyear: i32,
    total: u64,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let o = unsafe { arg::handle_mut(opts, "opts") }?;
        let mut p = o
            .options
            .population()
            .cloned()
            .unwrap_or_else(Population::new);
        p.insert(midyear, total)?;
        o.options = std::mem::take(&mut o.options).with_population(Arc::new(p));
        Ok(())
    })
}

/// Frees options. NULL is a no-op.
///
/// # Safety
///
/// `opts` is NULL or options not yet freed that no call is using; invalid afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_options_free(opts: *mut csc_options) {
    guard_value((), || {
        if !opts.is_null() {
            // SAFETY: made by `Box::into_raw` in `csc_options_new`, freed once.
            drop(unsafe { Box::from_raw(opts) });
        }
        Ok(())
    });
}
