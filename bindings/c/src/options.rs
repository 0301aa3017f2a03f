//! `csc_options`: the measures' options (spec 6), set by key and string value.

use std::ffi::c_char;

use csc_measures::Options;

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

/// Sets option `key` to `value`, both strings as the CLI's `--option KEY=VALUE` takes them:
/// `working_days` (`after_start`, `networkdays`, `busday_count`), `assessment_clock` (`start`,
/// `referral`), `assessment_limit_wd`, `icpc_limit_wd`, `a3_months` (whole numbers),
/// `previous_plans` (`history_or_count`, `history`, `count`), `unit` (`plans`, `children`),
/// `adoption_thresholds` (`a1:426,a10:426,a2:121`, any subset). An unknown key or a value it
/// does not take is `CSC_STATUS_INVALID_OPTION`, and the options are unchanged.
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
