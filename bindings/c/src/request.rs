//! `csc_compute_json`: one JSON request in, the CLI's JSON response out, through the request layer
//! (`csc_api`) that every surface uses.

use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use serde_json::json;

use crate::arg;
use crate::status::{Failure, Res, csc_status, guard};
use crate::text;

/// The response to `request`, or why there is none: the request parsed, its inputs loaded and
/// its query run by `csc_api`, and the response rendered in the one JSON shape.
fn respond(request: &str) -> Res<String> {
    let req = csc_api::Request::from_json(request)?;
    let loaded = csc_api::load(&req.inputs, &|_| {})?;
    let response = csc_api::run(&loaded.dataset, &req.query)?;
    Ok(csc_api::render::json::response(&response, loaded.dataset.issues()).to_string())
}

/// The error object of a failed request.
fn error_json(f: &Failure) -> String {
    json!({"error": {"code": f.status as u32, "kind": f.kind(), "message": f.message}}).to_string()
}

/// The plain entry point: a JSON request in, a JSON response out, both UTF-8; no structs to learn.
///
/// The request is an object; every field is optional:
///
/// ```text
/// {"cin":     ["cin2023.xml", "2024=cin2024.xml"],      CIN census files, PATH or YEAR=PATH
///  "ssda903": ["2024=ssda903/2024"],                    SSDA903 folders or XML files
///  "sample":  {"children": 40000, "seed": 42},          used when there are no files (default;
///                                                       at most 5,000,000 children)
///  "year":    2024,                                     the financial year ending 31 March 2024,
///  "start": "2023-04-01", "end": "2024-03-31",          or a period,
///  "series": "rolling:12",                              or a series of periods over the months
///                                                       of start..end ("2023-04" or a date;
///                                                       without both: the 24 months to the
///                                                       latest 31 March): rolling:N, month_end,
///                                                       quarters, fytd, years; default: the
///                                                       latest collection year loaded
///  "measures": ["assessments_45wd", "re_referrals_12m"], default: every measure
///  "options": {"working_days": "networkdays", "cpp_repeat_2y.unit": "children"},
///  "population": {"2023": 63051},                       mid-year estimates (spec 8), or the path
///                                                       of a year,population CSV file
///  "strict":  false,                                    stop at the first data problem
///  "records": false}                                    add the drill-down rows
/// ```
///
/// The option keys are those of `csc_catalog_json` (its `"options"`); a key may be
/// `MEASURE.KEY`, which sets the option for that measure only.
///
/// The response is the CLI's `csc-measures compute --format json` object, the same fields with
/// the same values (written compactly):
///
/// ```text
/// {"period": {"start": "2023-04-01", "end": "2024-03-31"},
///  "measures": [{"id", "title", "unit", "polarity", "period", "numerator", "denominator",
///                "value", "options", "excluded", "warnings", "extras"}, ...],
///  "data_quality": [{"code", "severity", "child", "record", "message", "file", "line", "path",
///                    "column", "value"}, ...],
///  "records": [{"measure", "child", "record", "in_denominator", "in_numerator", "value",
///               "reason", "start", "end"}, ...]}       only with "records": true
/// ```
///
/// A series adds `"series"` and `"periods"` (each period's start and end); its `"period"` runs
/// from the first period's start to the last one's end, and `"measures"` holds each measure for
/// each period in turn, each with its own `"period"`. It also adds `"rows"`, the same results as
/// one long table, one object per measure and period: `"measure"`, `"unit"`, `"period_start"`,
/// `"period_end"`, `"numerator"`, `"denominator"`, `"value"`, `"warnings"`, then the exclusions
/// (`"excluded.<reason>"`) and the extras flattened (`"bands.same_day"`, `"quartiles.median"`,
/// `"rate_per_10000"`, ...), null where a measure lacks one (the `csc-measures series` table).
///
/// Absent numbers are `null`. On failure the status is returned, `*response` is
/// `{"error": {"code": n, "kind": "...", "message": "..."}}` (the same code and kind as the
/// status and `csc_status_str`, and the message every surface gives for the same mistake) and
/// the thread's last error is set. A request that is not JSON or not of this shape (an unknown
/// field, a wrong type, `year` with `start`) is `CSC_STATUS_INVALID_REQUEST` (108; before 108
/// existed it was `CSC_STATUS_INVALID_ARGUMENT`). Unlike other out-parameters, `*response` is
/// written on failure too, whenever `response` is not NULL; free it with `csc_string_free` in
/// both cases.
///
/// # Safety
///
/// `request` is NULL or a NUL-terminated string; `response` NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_compute_json(
    request: *const c_char,
    response: *mut *mut c_char,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let out = unsafe { arg::out(response, "response") }?;
        let answer = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: the caller's promise.
            respond(unsafe { arg::text(request, "request") }?)
        }))
        .unwrap_or_else(|p| Err(Failure::panic(&*p)));
        match answer {
            Ok(s) => {
                out.set(text::give(&s));
                Ok(())
            }
            Err(f) => {
                out.set(text::give(&error_json(&f)));
                Err(f)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn malformed_requests_are_invalid_requests() {
        for bad in [
            "",
            "[]",
            "{\"yeer\": 2024}",
            "{\"year\": \"2024\"}",
            "{\"year\": 2024, \"start\": \"2023-04-01\", \"end\": \"2024-03-31\"}",
            "{\"sample\": {\"children\": 10}, \"start\": \"2023-04-01\"}",
            "{\"sample\": {\"children\": 5000001}}",
        ] {
            let e = respond(bad).unwrap_err();
            assert_eq!(e.status, csc_status::InvalidRequest, "{bad}: {e:?}");
            assert_eq!(e.status as u32, 108);
        }
    }

    #[test]
    fn core_errors_keep_their_kind() {
        let cases = [
            ("{\"measures\": [\"nope\"]}", csc_status::UnknownMeasure),
            ("{\"options\": {\"nope\": 1}}", csc_status::InvalidOption),
            ("{\"options\": {\"unit\": true}}", csc_status::InvalidOption),
            (
                "{\"sample\": {\"children\": 5}, \"start\": \"2024-04-01\", \"end\": \"2024-03-31\"}",
                csc_status::InvalidPeriod,
            ),
            (
                "{\"sample\": {\"children\": 5}, \"start\": \"2024-02-30\", \"end\": \"2024-03-31\"}",
                csc_status::InvalidDate,
            ),
            ("{\"cin\": [\"/no/such/file.xml\"]}", csc_status::Io),
            ("{\"cin\": [\"20x4=cin.xml\"]}", csc_status::Io),
            ("{\"cin\": [\"202=cin.xml\"]}", csc_status::InvalidInput),
        ];
        for (req, want) in cases {
            let e = respond(req).unwrap_err();
            assert_eq!(e.status, want, "{req}: {e:?}");
            let j: Value = serde_json::from_str(&error_json(&e)).unwrap();
            assert_eq!(j["error"]["code"], want as u32);
            assert_eq!(j["error"]["kind"], want.as_str());
        }
    }
}
