//! Criterion benchmarks of csc-measures live in `benches/`; this library is empty.
