//! The C status enum mirrors the core's error kinds exactly: every `ErrorKind` (the core lists them
//! in `ErrorKind::ALL`) is a `csc_status` with the same number and name, and every status from 100
//! up is a kind.

use std::ffi::CStr;

use csc_measures::ErrorKind;
use cscmeasures::csc_status;
use cscmeasures::status::csc_status_str;

#[test]
fn every_error_kind_has_its_status() {
    assert!(ErrorKind::ALL.len() >= 8);
    for &kind in ErrorKind::ALL {
        let code = kind.code();
        let status = csc_status::from_code(code)
            .unwrap_or_else(|| panic!("ErrorKind::{kind:?} (code {code}) has no csc_status"));
        assert_eq!(status.as_str(), kind.as_str(), "ErrorKind::{kind:?}");
        assert_eq!(csc_status::of_kind(kind) as u32, code);
        // SAFETY: csc_status_str returns a static NUL-terminated string.
        let c = unsafe { CStr::from_ptr(csc_status_str(code)) };
        assert_eq!(c.to_str().unwrap(), kind.as_str());
    }
    for s in csc_status::ALL {
        let code = *s as u32;
        if code >= 100 {
            assert!(
                ErrorKind::ALL.iter().any(|k| k.code() == code),
                "{s:?} ({code}) is no ErrorKind's code"
            );
        }
    }
}
