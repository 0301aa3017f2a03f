//! The C status enum mirrors the core's error kinds exactly: every `ErrorKind::code()` is a
//! `csc_status` with the same number and the same name, and every status from 100 up is a kind.
//!
//! `ErrorKind` is `#[non_exhaustive]` and has no list of its kinds, so the kinds are read from its
//! source (the `code()` and `as_str()` match arms of `crates/csc-measures/src/error.rs`): a kind
//! added there without a C status fails this test.

use std::collections::BTreeMap;
use std::ffi::CStr;

use cscmeasures::csc_status;
use cscmeasures::status::csc_status_str;

/// `ErrorKind::Name => value,` arms of the function `fn_name` in error.rs.
fn arms(src: &str, fn_name: &str) -> BTreeMap<String, String> {
    let start = src
        .find(&format!("fn {fn_name}("))
        .unwrap_or_else(|| panic!("error.rs has no fn {fn_name}"));
    let body = &src[start..];
    let body = &body[..body.find("\n    }\n").expect("the end of the function")];
    body.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("ErrorKind::")?;
            let (name, value) = rest.split_once("=>")?;
            Some((
                name.trim().to_owned(),
                value
                    .trim()
                    .trim_end_matches(',')
                    .trim_matches('"')
                    .to_owned(),
            ))
        })
        .collect()
}

/// The variants of `pub enum ErrorKind`.
fn variants(src: &str) -> Vec<String> {
    let start = src
        .find("pub enum ErrorKind {")
        .expect("pub enum ErrorKind");
    let body = &src[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with('#'))
        .map(|l| l.trim_end_matches(',').to_owned())
        .collect()
}

#[test]
fn every_error_kind_has_its_status() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../crates/csc-measures/src/error.rs"
    );
    let src = std::fs::read_to_string(path).unwrap();
    let kinds = variants(&src);
    let codes = arms(&src, "code");
    let names = arms(&src, "as_str");
    assert!(kinds.len() >= 8, "found only {kinds:?}");
    assert_eq!(
        codes.keys().cloned().collect::<Vec<_>>().len(),
        kinds.len(),
        "{codes:?}"
    );
    for kind in &kinds {
        let code: u32 = codes[kind].parse().unwrap();
        let status = csc_status::from_code(code)
            .unwrap_or_else(|| panic!("ErrorKind::{kind} (code {code}) has no csc_status"));
        assert_eq!(status.as_str(), names[kind], "ErrorKind::{kind}");
        // SAFETY: csc_status_str returns a static NUL-terminated string.
        let c = unsafe { CStr::from_ptr(csc_status_str(code)) };
        assert_eq!(c.to_str().unwrap(), names[kind]);
    }
    for s in csc_status::ALL {
        let code = *s as u32;
        if code >= 100 {
            assert!(
                codes.values().any(|c| c.parse::<u32>() == Ok(code)),
                "{s:?} ({code}) is no ErrorKind's code"
            );
        }
    }
}

#[test]
fn the_kinds_we_can_name_map_to_their_codes() {
    use csc_measures::ErrorKind as K;
    for k in [
        K::InvalidDate,
        K::InvalidPeriod,
        K::CalendarRange,
        K::InvalidInput,
        K::DataQuality,
        K::UnknownMeasure,
        K::InvalidOption,
        K::Io,
    ] {
        let s = csc_status::of_kind(k);
        assert_eq!(s as u32, k.code());
        assert_eq!(s.as_str(), k.as_str());
    }
}
