//! Fuzz target `value_tables`: see [`csc_fuzz::value_tables`] (tables of plain values, as Python
//! hands over frames without pyarrow, through the Arrow input path).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| csc_fuzz::value_tables(data));
