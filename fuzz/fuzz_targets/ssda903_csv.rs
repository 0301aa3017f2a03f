//! Fuzz target `ssda903_csv`: see [`csc_fuzz::ssda903_csv`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| csc_fuzz::ssda903_csv(data));
