//! The plain JSON entry takes dates as people type them, `YYYY-MM-DD` or `DD/MM/YYYY`, and
//! refuses any other form with an error naming the value and the two forms.

use std::ffi::{CStr, CString, c_char};

use cscmeasures::csc_status;
use cscmeasures::request::csc_compute_json;
use cscmeasures::text::csc_string_free;
use serde_json::Value;

fn call(request: &str) -> (csc_status, Value) {
    let req = CString::new(request).unwrap();
    let mut out: *mut c_char = std::ptr::null_mut();
    // SAFETY: a NUL-terminated request and a valid out-pointer.
    let status = unsafe { csc_compute_json(req.as_ptr(), &raw mut out) };
    assert!(!out.is_null());
    // SAFETY: the response is a NUL-terminated string the library made.
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    // SAFETY: freed once, as documented.
    unsafe { csc_string_free(out) };
    (status, serde_json::from_str(&text).unwrap())
}

#[test]
fn day_month_year_dates_give_the_same_response_as_iso_ones() {
    let base = r#""sample": {"children": 200}, "measures": ["referrals"]"#;
    let (s1, iso) = call(&format!(
        r#"{{{base}, "start": "2019-10-01", "end": "2020-03-31"}}"#
    ));
    let (s2, dmy) = call(&format!(
        r#"{{{base}, "start": "01/10/2019", "end": "31/03/2020"}}"#
    ));
    assert_eq!((s1, s2), (csc_status::Ok, csc_status::Ok));
    assert_eq!(iso, dmy);
    assert_eq!(dmy["period"]["start"], "2019-10-01");
    assert_eq!(dmy["period"]["end"], "2020-03-31");
}

#[test]
fn another_date_form_is_refused_naming_the_value_and_both_forms() {
    for bad in ["01-10-2019", "2019/10/01", "01/10/19", "31/02/2020"] {
        let (status, j) = call(&format!(r#"{{"start": "{bad}", "end": "2020-03-31"}}"#));
        assert_eq!(status, csc_status::InvalidDate, "{bad}");
        let message = j["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("start {bad:?} is not a date"))
                && message.contains("YYYY-MM-DD (2019-10-01) or DD/MM/YYYY (01/10/2019)"),
            "{message}"
        );
        assert_eq!(j["error"]["kind"], "invalid_date");
    }
}
