//! The catalogue of measures and the scorecard's periods.

use std::ffi::c_char;

use csc_measures::measure::MeasureId;

use crate::arg;
use crate::status::{csc_status, guard, guard_value};
use crate::text;

/// The number of measures in the registry.
#[unsafe(no_mangle)]
pub extern "C" fn csc_measure_count() -> usize {
    guard_value(0, || Ok(MeasureId::ALL.len()))
}

/// The stable id of measure `index` (0-based, in the spec's order), or NULL when `index >=
/// csc_measure_count()`. Static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn csc_measure_id(index: usize) -> *const c_char {
    guard_value(std::ptr::null(), || {
        Ok(MeasureId::ALL
            .get(index)
            .map_or(std::ptr::null(), |m| text::fixed(m.as_str())))
    })
}

/// The title of measure `index`, or NULL when `index` is out of range. Static.
#[unsafe(no_mangle)]
pub extern "C" fn csc_measure_title(index: usize) -> *const c_char {
    guard_value(std::ptr::null(), || {
        Ok(MeasureId::ALL
            .get(index)
            .map_or(std::ptr::null(), |m| text::fixed(m.title())))
    })
}

/// The period the scorecard (the CLI's `report`) uses for `measure_id` in the year ending 31 March
/// `year`: the window the measure declares (`"window"` in `csc_catalog_json`): the three years to
/// 31 March for A1, A10, A2 and A3, the financial year for the rest.
///
/// # Safety
///
/// `measure_id` is NULL or NUL-terminated; `start_day` and `end_day` NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_scorecard_period(
    measure_id: *const c_char,
    year: i32,
    start_day: *mut i32,
    end_day: *mut i32,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (id, s, e) = unsafe {
            (
                arg::text(measure_id, "measure_id")?,
                arg::out(start_day, "start_day")?,
                arg::out(end_day, "end_day")?,
            )
        };
        let id: MeasureId = id.parse()?;
        let p = id.spec().window.period(year)?;
        s.set(p.start().get());
        e.set(p.end().get());
        Ok(())
    })
}
