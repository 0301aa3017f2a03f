//! Fuzz target `ssda903_xml`: see [`csc_fuzz::ssda903_xml`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| csc_fuzz::ssda903_xml(data));
