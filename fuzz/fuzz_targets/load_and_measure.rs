//! Fuzz target `load_and_measure`: see [`csc_fuzz::load_and_measure`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| csc_fuzz::load_and_measure(data));
