//! Dates: `int32_t` days since 1970-01-01 (the core's `Day`, Arrow's `date32`).

use csc_measures::Day;

use crate::arg;
use crate::status::{csc_status, guard};

/// The day number of year `y`, month `m` (1-12), day `d`: days since 1970-01-01, negative before
/// it. `CSC_STATUS_INVALID_DATE` for an impossible date or a year outside 1-9999.
///
/// # Safety
///
/// `out` is NULL or valid for writing an `int32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_day_from_ymd(y: i32, m: u32, d: u32, out: *mut i32) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let out = unsafe { arg::out(out, "out") }?;
        out.set(Day::from_ymd(y, m, d)?.get());
        Ok(())
    })
}

/// The year, month (1-12) and day of month of day number `day`. `CSC_STATUS_INVALID_DATE` outside
/// 0001-01-01 ..= 9999-12-31.
///
/// # Safety
///
/// `y`, `m` and `d` are NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_day_to_ymd(
    day: i32,
    y: *mut i32,
    m: *mut u32,
    d: *mut u32,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let (oy, om, od) = unsafe { (arg::out(y, "y")?, arg::out(m, "m")?, arg::out(d, "d")?) };
        let (yy, mm, dd) = arg::day(day, "day")?.to_ymd();
        oy.set(yy);
        om.set(mm);
        od.set(dd);
        Ok(())
    })
}
