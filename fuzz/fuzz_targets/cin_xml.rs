//! Fuzz target `cin_xml`: see [`csc_fuzz::cin_xml`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| csc_fuzz::cin_xml(data));
