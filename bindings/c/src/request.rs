//! `csc_compute_json`: one JSON request in, the CLI's JSON response out.

use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use csc_measures::measure::{MeasureId, Options, compute_many};
use csc_measures::{Day, Error, ErrorKind, Period};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::arg;
use crate::dataset::{latest_year, load_paths, sample};
use crate::status::{Failure, Res, csc_status, guard};
use crate::text;

/// The request, as documented on [`csc_compute_json`].
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct Request {
    #[serde(default)]
    cin: Vec<String>,
    #[serde(default)]
    ssda903: Vec<String>,
    sample: Option<Sample>,
    year: Option<i32>,
    start: Option<String>,
    end: Option<String>,
    measures: Option<Vec<String>>,
    #[serde(default)]
    options: Map<String, Value>,
    #[serde(default)]
    strict: bool,
    #[serde(default)]
    records: bool,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Sample {
    children: Option<u32>,
    seed: Option<u64>,
}

/// The response to `request`, or why there is none.
fn respond(request: &str) -> Res<String> {
    let req: Request = serde_json::from_str(request)
        .map_err(|e| Failure::invalid(format!("the request is not a valid request: {e}")))?;
    let ids = req
        .measures
        .iter()
        .flatten()
        .map(|s| s.parse())
        .collect::<Result<Vec<MeasureId>, Error>>()?;
    let mut options = Options::default();
    for (k, v) in &req.options {
        let v = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                return Err(Error::new(
                    ErrorKind::InvalidOption,
                    format!("option {k:?}: {other} is not a string or a number"),
                )
                .into());
            }
        };
        options.set(k, &v)?;
    }
    let ds = if req.cin.is_empty() && req.ssda903.is_empty() {
        let default = csc_synth::Config::default();
        let s = req.sample.as_ref();
        sample(
            s.and_then(|s| s.children).unwrap_or(default.children),
            s.and_then(|s| s.seed).unwrap_or(default.seed),
        )?
    } else {
        let cin: Vec<&str> = req.cin.iter().map(String::as_str).collect();
        let ssda903: Vec<&str> = req.ssda903.iter().map(String::as_str).collect();
        load_paths(&cin, &ssda903, req.strict)?
    };
    let period = match (req.year, &req.start, &req.end) {
        (Some(y), None, None) => Period::financial_year(y)?,
        (None, Some(s), Some(e)) => Period::new(s.parse::<Day>()?, e.parse::<Day>()?)?,
        (None, None, None) => Period::financial_year(latest_year(&ds)?)?,
        _ => {
            return Err(Failure::invalid(
                "the request gives \"year\", or \"start\" and \"end\" together, or neither",
            ));
        }
    };
    let results = compute_many(&ds, &ids, period, &options);
    let mut response = csc_measures::json::response(period, &results, ds.issues());
    if req.records {
        if let Value::Object(m) = &mut response {
            m.insert("records".into(), csc_measures::json::records(&results));
        }
    }
    Ok(response.to_string())
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
///  "sample":  {"children": 2000, "seed": 42},           used when there are no files (default)
///  "year":    2024,                                     the financial year ending 31 March 2024,
///  "start": "2023-04-01", "end": "2024-03-31",          or a period; default: the latest
///                                                       collection year loaded
///  "measures": ["assessments_45wd", "re_referrals_12m"], default: every measure
///  "options": {"working_days": "networkdays", "assessment_limit_wd": 40},
///  "strict":  false,                                    stop at the first data problem
///  "records": false}                                    add the drill-down rows
/// ```
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
///               "reason"}, ...]}                       only with "records": true
/// ```
///
/// Absent numbers are `null`. On failure the status is returned, `*response` is
/// `{"error": {"code": n, "kind": "...", "message": "..."}}` (the same code and kind as the
/// status and `csc_status_str`) and the thread's last error is set. A request that is not JSON or
/// not of this shape (an unknown field, a wrong type, `year` with `start`) is
/// `CSC_STATUS_INVALID_ARGUMENT`. Unlike other out-parameters, `*response` is written on failure
/// too, whenever `response` is not NULL; free it with `csc_string_free` in both cases.
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

    #[test]
    fn shape_errors_are_invalid_arguments() {
        for bad in [
            "",
            "[]",
            "{\"yeer\": 2024}",
            "{\"year\": \"2024\"}",
            "{\"year\": 2024, \"start\": \"2023-04-01\", \"end\": \"2024-03-31\"}",
            "{\"sample\": {\"children\": 10}, \"start\": \"2023-04-01\"}",
        ] {
            let e = respond(bad).unwrap_err();
            assert_eq!(e.status, csc_status::InvalidArgument, "{bad}: {e:?}");
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
