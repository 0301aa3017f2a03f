//! Computing: `csc_compute`, `csc_compute_many`, and the `csc_result` they give.

use std::ffi::{CString, c_char};
use std::sync::OnceLock;

use csc_measures::measure::{MeasureId, Options, compute, compute_many};
use csc_measures::{MeasureResult, Period};

use crate::arg;
use crate::dataset::csc_dataset;
use crate::options::csc_options;
use crate::status::{Res, csc_status, guard, guard_value};
use crate::text;

/// The result of one measure over one period: numerator, denominator, value, exclusions by
/// reason, warnings, and one drill-down row per record looked at. Made by `csc_compute`, freed by
/// `csc_result_free`; or borrowed from a `csc_result_list`.
///
/// Thread safety: immutable; any number of threads may read it at the same time.
pub struct csc_result {
    pub(crate) result: MeasureResult,
    /// The rows' child identifiers, made on first use.
    children: OnceLock<Vec<CString>>,
}

impl csc_result {
    fn new(result: MeasureResult) -> csc_result {
        csc_result {
            result,
            children: OnceLock::new(),
        }
    }
}

/// Several results, in registry order, from `csc_compute_many`; freed by `csc_result_list_free`,
/// which also frees the results it holds.
///
/// Thread safety: immutable; any number of threads may read it at the same time.
pub struct csc_result_list {
    results: Vec<csc_result>,
}

/// Numerator, denominator and value of a result; each is present only when its `has_` field is
/// true (a count has no denominator; a ratio over nothing has no value).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[allow(non_camel_case_types)]
pub struct csc_numbers {
    /// The numerator: the count, for counts; the day sum, for averages.
    pub numerator: u64,
    /// Whether `numerator` is present.
    pub has_numerator: bool,
    /// The denominator.
    pub denominator: u64,
    /// Whether `denominator` is present.
    pub has_denominator: bool,
    /// The value: `100 * numerator / denominator` unrounded for percentages, the count for
    /// counts, the mean rounded half up to a whole day for averages.
    pub value: f64,
    /// Whether `value` is present.
    pub has_value: bool,
}

/// One drill-down row: a record the measure looked at (spec 6).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
#[allow(non_camel_case_types)]
pub struct csc_row {
    /// The child's identifier; belongs to the result and is valid until it is freed.
    pub child: *const c_char,
    /// The record's key date (day number), when `has_record`.
    pub record: i32,
    /// Whether `record` is set.
    pub has_record: bool,
    /// In the denominator.
    pub in_denominator: bool,
    /// In the numerator.
    pub in_numerator: bool,
    /// The per-record value (working days, days, a count), when `has_value`.
    pub value: i64,
    /// Whether `value` is set.
    pub has_value: bool,
    /// Why the record is excluded (`missing_start`, ...; static), or NULL when it is not.
    pub reason: *const c_char,
}

/// The period `[start_day, end_day]` from day numbers.
pub(crate) fn period(start_day: i32, end_day: i32) -> Res<Period> {
    let (s, e) = (
        arg::day(start_day, "start_day")?,
        arg::day(end_day, "end_day")?,
    );
    Ok(Period::new(s, e)?)
}

/// The options behind a possibly-NULL handle.
///
/// # Safety
///
/// `opts` is NULL or live options.
unsafe fn options<'a>(opts: *const csc_options) -> &'a Options {
    static DEFAULT: OnceLock<Options> = OnceLock::new();
    // SAFETY: forwarded from the caller.
    match unsafe { opts.as_ref() } {
        Some(o) => &o.options,
        None => DEFAULT.get_or_init(Options::default),
    }
}

/// Computes measure `measure_id` (a stable id such as `"assessments_45wd"`) on `ds` over the
/// period from `start_day` to `end_day` inclusive (day numbers; `csc_scorecard_period` gives the
/// scorecard's periods), with `opts` (NULL for every default).
///
/// `CSC_STATUS_UNKNOWN_MEASURE` for an id the registry does not know (the message lists them),
/// `CSC_STATUS_INVALID_DATE` for a day out of range, `CSC_STATUS_INVALID_PERIOD` when the end is
/// before the start.
///
/// # Safety
///
/// `ds` is NULL or a live dataset; `measure_id` NULL or NUL-terminated; `opts` NULL or live
/// options; `out` NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_compute(
    ds: *const csc_dataset,
    measure_id: *const c_char,
    start_day: i32,
    end_day: i32,
    opts: *const csc_options,
    out: *mut *mut csc_result,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (ds, id, opts, out) = unsafe {
            (
                arg::handle(ds, "ds")?,
                arg::text(measure_id, "measure_id")?,
                options(opts),
                arg::out(out, "out")?,
            )
        };
        let id: MeasureId = id.parse()?;
        let r = compute(&ds.ds, id, period(start_day, end_day)?, opts);
        out.set(Box::into_raw(Box::new(csc_result::new(r))));
        Ok(())
    })
}

/// Computes the measures `measure_ids` (an array of `n_measure_ids` ids; NULL and 0 for every
/// measure) as `csc_compute` does, into a list in registry order without repeats.
///
/// # Safety
///
/// As `csc_compute`; `measure_ids` is NULL (with 0) or holds `n_measure_ids` strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_compute_many(
    ds: *const csc_dataset,
    measure_ids: *const *const c_char,
    n_measure_ids: usize,
    start_day: i32,
    end_day: i32,
    opts: *const csc_options,
    out: *mut *mut csc_result_list,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (ds, ids, opts, out) = unsafe {
            (
                arg::handle(ds, "ds")?,
                arg::texts(measure_ids, n_measure_ids, "measure_ids")?,
                options(opts),
                arg::out(out, "out")?,
            )
        };
        let ids = ids
            .iter()
            .map(|s| s.parse())
            .collect::<Result<Vec<MeasureId>, _>>()?;
        let results = compute_many(&ds.ds, &ids, period(start_day, end_day)?, opts);
        let results = results.into_iter().map(csc_result::new).collect();
        out.set(Box::into_raw(Box::new(csc_result_list { results })));
        Ok(())
    })
}

/// Frees a result. NULL is a no-op. Do not free a result borrowed from a list.
///
/// # Safety
///
/// `r` is NULL or a result from `csc_compute` not yet freed, that no call is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_free(r: *mut csc_result) {
    guard_value((), || {
        if !r.is_null() {
            // SAFETY: made by `Box::into_raw` in `csc_compute`, freed once.
            drop(unsafe { Box::from_raw(r) });
        }
        Ok(())
    });
}

/// Frees a list and every result in it. NULL is a no-op.
///
/// # Safety
///
/// `list` is NULL or a list not yet freed, that no call is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_list_free(list: *mut csc_result_list) {
    guard_value((), || {
        if !list.is_null() {
            // SAFETY: made by `Box::into_raw` in `csc_compute_many`, freed once.
            drop(unsafe { Box::from_raw(list) });
        }
        Ok(())
    });
}

/// The number of results in the list (0 when `list` is NULL).
///
/// # Safety
///
/// `list` is NULL or a live list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_list_count(list: *const csc_result_list) -> usize {
    // SAFETY: the caller's promise.
    guard_value(0, || {
        Ok(unsafe { arg::handle(list, "list") }?.results.len())
    })
}

/// Result `index` of the list, borrowed: valid until `csc_result_list_free(list)`, and never
/// freed on its own. `CSC_STATUS_INVALID_ARGUMENT` when `index >= csc_result_list_count(list)`.
///
/// # Safety
///
/// `list` is NULL or a live list; `out` NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_list_get(
    list: *const csc_result_list,
    index: usize,
    out: *mut *const csc_result,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (list, out) = unsafe { (arg::handle(list, "list")?, arg::out(out, "out")?) };
        out.set(std::ptr::from_ref(arg::index(
            &list.results,
            index,
            "result",
        )?));
        Ok(())
    })
}

/// Reads a static string of a result, NULL when `r` is NULL.
///
/// # Safety
///
/// `r` is NULL or a live result.
unsafe fn static_str(r: *const csc_result, f: fn(&MeasureResult) -> &'static str) -> *const c_char {
    guard_value(std::ptr::null(), || {
        // SAFETY: forwarded from the caller.
        Ok(text::fixed(f(&unsafe { arg::handle(r, "r") }?.result)))
    })
}

/// The measure's stable id (static; NULL when `r` is NULL).
///
/// # Safety
///
/// `r` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_id(r: *const csc_result) -> *const c_char {
    // SAFETY: the caller's promise.
    unsafe { static_str(r, |r| r.id.as_str()) }
}

/// The measure's title, as the spec gives it (static; NULL when `r` is NULL).
///
/// # Safety
///
/// `r` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_title(r: *const csc_result) -> *const c_char {
    // SAFETY: the caller's promise.
    unsafe { static_str(r, |r| r.id.title()) }
}

/// What the measure counts: `referrals`, `assessments`, `conferences`, `enquiries`, `plans`,
/// `children` or `days` (static; NULL when `r` is NULL).
///
/// # Safety
///
/// `r` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_unit(r: *const csc_result) -> *const c_char {
    // SAFETY: the caller's promise.
    unsafe { static_str(r, |r| r.unit.as_str()) }
}

/// Which direction is better: `higher`, `lower` or `neither` (static; NULL when `r` is NULL).
///
/// # Safety
///
/// `r` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_polarity(r: *const csc_result) -> *const c_char {
    // SAFETY: the caller's promise.
    unsafe { static_str(r, |r| r.id.polarity().as_str()) }
}

/// How the value is made: `count` (value = numerator, no denominator), `percentage` (100 *
/// numerator / denominator, unrounded), `mean_days` (numerator = day sum, value = mean rounded
/// half up) or `mean` (numerator = score sum, value = numerator / denominator, unrounded)
/// (static; NULL when `r` is NULL).
///
/// # Safety
///
/// `r` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_value_kind(r: *const csc_result) -> *const c_char {
    // SAFETY: the caller's promise.
    unsafe { static_str(r, |r| r.value_kind().as_str()) }
}

/// The period the result was computed for, as day numbers.
///
/// # Safety
///
/// `r` is NULL or a live result; `start_day` and `end_day` NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_period(
    r: *const csc_result,
    start_day: *mut i32,
    end_day: *mut i32,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (r, s, e) = unsafe {
            (
                arg::handle(r, "r")?,
                arg::out(start_day, "start_day")?,
                arg::out(end_day, "end_day")?,
            )
        };
        s.set(r.result.period.start().get());
        e.set(r.result.period.end().get());
        Ok(())
    })
}

/// Numerator, denominator and value.
///
/// # Safety
///
/// `r` is NULL or a live result; `out` NULL or valid for writing a `csc_numbers`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_numbers(
    r: *const csc_result,
    out: *mut csc_numbers,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (r, out) = unsafe { (arg::handle(r, "r")?, arg::out(out, "out")?) };
        let r = &r.result;
        out.set(csc_numbers {
            numerator: r.numerator.unwrap_or(0),
            has_numerator: r.numerator.is_some(),
            denominator: r.denominator.unwrap_or(0),
            has_denominator: r.denominator.is_some(),
            value: r.value.unwrap_or(0.0),
            has_value: r.value.is_some(),
        });
        Ok(())
    })
}

/// The number of exclusion reasons with at least one excluded record (0 when `r` is NULL).
///
/// # Safety
///
/// `r` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_excluded_count(r: *const csc_result) -> usize {
    // SAFETY: the caller's promise.
    guard_value(0, || {
        Ok(unsafe { arg::handle(r, "r") }?.result.excluded.len())
    })
}

/// Exclusion `index` (in the spec's order of reasons): its reason (`missing_start`, ...; static)
/// and how many records it excluded. `CSC_STATUS_INVALID_ARGUMENT` when `index` is out of range.
///
/// # Safety
///
/// `r` is NULL or a live result; `reason` and `count` NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_excluded(
    r: *const csc_result,
    index: usize,
    reason: *mut *const c_char,
    count: *mut u64,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (r, reason, count) = unsafe {
            (
                arg::handle(r, "r")?,
                arg::out(reason, "reason")?,
                arg::out(count, "count")?,
            )
        };
        let all: Vec<_> = r.result.excluded.iter().collect();
        let (k, n) = arg::index(&all, index, "exclusion")?;
        reason.set(text::fixed(k.as_str()));
        count.set(**n);
        Ok(())
    })
}

/// The number of warnings (0 when `r` is NULL).
///
/// # Safety
///
/// `r` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_warning_count(r: *const csc_result) -> usize {
    // SAFETY: the caller's promise.
    guard_value(0, || {
        Ok(unsafe { arg::handle(r, "r") }?.result.warnings.len())
    })
}

/// Warning `index` (sorted in the spec's order, without repeats): `insufficient_history`,
/// `calendar_provisional`, `period_beyond_data`, `period_before_data`,
/// `previous_cpp_count_missing`, `population_missing`, `no_data` (the returns do not cover the
/// period: numbers null), `table_missing`, `annual_table_period_mismatch` (static).
/// `CSC_STATUS_INVALID_ARGUMENT` when `index` is out of range.
///
/// # Safety
///
/// `r` is NULL or a live result; `out` NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_warning(
    r: *const csc_result,
    index: usize,
    out: *mut *const c_char,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (r, out) = unsafe { (arg::handle(r, "r")?, arg::out(out, "out")?) };
        out.set(text::fixed(
            arg::index(&r.result.warnings, index, "warning")?.as_str(),
        ));
        Ok(())
    })
}

/// The number of drill-down rows (0 when `r` is NULL).
///
/// # Safety
///
/// `r` is NULL or a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_row_count(r: *const csc_result) -> usize {
    // SAFETY: the caller's promise.
    guard_value(0, || Ok(unsafe { arg::handle(r, "r") }?.result.rows.len()))
}

/// Drill-down row `index`, in spec 6 order (child, then record, then value). Its `child` belongs
/// to the result. `CSC_STATUS_INVALID_ARGUMENT` when `index` is out of range.
///
/// # Safety
///
/// `r` is NULL or a live result; `out` NULL or valid for writing a `csc_row`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_row(
    r: *const csc_result,
    index: usize,
    out: *mut csc_row,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (r, out) = unsafe { (arg::handle(r, "r")?, arg::out(out, "out")?) };
        let row = arg::index(&r.result.rows, index, "row")?;
        let children = r.children.get_or_init(|| {
            r.result
                .rows
                .iter()
                .map(|x| text::owned(&x.child))
                .collect()
        });
        out.set(csc_row {
            child: children[index].as_ptr(),
            record: row.record.map_or(0, csc_measures::Day::get),
            has_record: row.record.is_some(),
            in_denominator: row.in_denominator,
            in_numerator: row.in_numerator,
            value: row.value.unwrap_or(0),
            has_value: row.value.is_some(),
            reason: row
                .reason
                .map_or(std::ptr::null(), |x| text::fixed(x.as_str())),
        });
        Ok(())
    })
}

/// The result as JSON: the same object as one element of the `measures` array of
/// `csc_compute_json` and the CLI's `compute --format json` (id, title, unit, polarity, period,
/// numerator, denominator, value, options, excluded, warnings, extras), without the drill-down
/// rows. Free `*out` with `csc_string_free`.
///
/// # Safety
///
/// `r` is NULL or a live result; `out` NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_result_to_json(
    r: *const csc_result,
    out: *mut *mut c_char,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (r, out) = unsafe { (arg::handle(r, "r")?, arg::out(out, "out")?) };
        out.set(text::give(
            &csc_api::render::json::result(&r.result).to_string(),
        ));
        Ok(())
    })
}
