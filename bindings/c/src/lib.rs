//! csc-measures for C: the statutory measures of English children's social care, computed by the
//! Rust core, through a C ABI (`include/csc_measures.h`, generated from this crate by cbindgen).
//!
//! Two ways in:
//!
//! - the plain entry point `csc_compute_json`: a JSON request in, the CLI's JSON response out,
//!   through the same request layer as the CLI and Python;
//! - handles: a `csc_dataset` (from files, the built-in sample, or a `csc_builder` of rows: typed
//!   structs, `csc_builder_add_row` for any table by its column names, `csc_builder_add_arrow`
//!   for a whole table as an Arrow C stream), `csc_options`, and a `csc_result` per measure with
//!   its numbers, exclusions, warnings and drill-down rows.
//!
//! `csc_catalog_json` describes the measures, the options and the tables (with their columns) as
//! JSON, made from their declarations.
//!
//! API conventions
//!
//! - Names: every symbol starts with `csc_`; functions are `csc_<noun>_<verb>` and take the noun
//!   first: self, then inputs, then outputs. A buffer or array is followed by its length.
//! - Handles are opaque pointers from `_new`, `_load`, `_sample`, `_build` or `_compute`, freed by
//!   the matching `_free`; `_free(NULL)` is a no-op. `csc_builder_build` consumes its builder.
//! - Status: a function that can fail returns a `csc_status` (0 = `CSC_STATUS_OK`). The numbers
//!   never change: 1-99 are misuse (`CSC_STATUS_NULL_ARGUMENT`, `CSC_STATUS_INVALID_UTF8`,
//!   `CSC_STATUS_INVALID_ARGUMENT`) and `CSC_STATUS_PANIC` (a bug, caught: the host never aborts);
//!   100 and up are the core's error codes (`CSC_STATUS_INVALID_DATE` = 100, ...,
//!   `CSC_STATUS_IO` = 107, `CSC_STATUS_INVALID_REQUEST` = 108), the same numbers as Python's
//!   `code` and the JSON's `error.code`. A malformed JSON request is `CSC_STATUS_INVALID_REQUEST`
//!   (it was `CSC_STATUS_INVALID_ARGUMENT` before 108 existed: the one change of meaning so far).
//!   `csc_status_str(code)` names a status; `csc_last_error_message()` gives the message of the
//!   last failed call on the calling thread (empty after a success), from a buffer that thread
//!   owns: valid until its next call that fails or succeeds with a status, or until it ends.
//! - Out-parameters come last and are written only on success (the one exception,
//!   `csc_compute_json`, also writes its error object). A NULL pointer where a value is needed is
//!   `CSC_STATUS_NULL_ARGUMENT`; a NULL array with length 0 is an empty array. Functions that
//!   return a count or a string instead of a status return 0 or NULL for a NULL handle.
//! - Strings are UTF-8 and NUL-terminated; one that is not UTF-8 is `CSC_STATUS_INVALID_UTF8`. A
//!   `const char *` the library returns is static (ids, codes, names: never freed) or belongs to
//!   the handle it came from (valid until that handle is freed); a `char *` through a `char **`
//!   out-parameter is the caller's, freed with `csc_string_free`. In record structs and
//!   `csc_builder_add_row` a NULL string is a blank field.
//! - Arrow: `csc_builder_add_arrow` takes a `struct ArrowArrayStream *` (the Arrow C stream
//!   interface, declared in this header unless the host declared it first) and consumes it
//!   whatever the outcome: its release callback has been called when the call returns.
//! - Dates are `int32_t` day numbers, days since 1970-01-01 (negative before), between 0001-01-01
//!   and 9999-12-31; `csc_day_from_ymd` and `csc_day_to_ymd` convert. An optional date, flag or
//!   count in a struct has a `has_` field beside it, so a struct set to `{0}` is all blank.
//! - Thread safety is stated on each type: a `csc_dataset`, `csc_result` and `csc_result_list` are
//!   immutable and may be used from many threads at once (compute from one dataset on every core);
//!   `csc_options` and `csc_builder` are changed by one thread at a time.
//! - Versions: `CSC_MEASURES_VERSION_MAJOR`, `_MINOR`, `_PATCH` and `CSC_MEASURES_VERSION` in the
//!   header; `csc_version()` in the library. Record structs may gain fields in a new minor version
//!   before 1.0: rebuild against the new header.
//!
//! Build and link: `cargo build --release -p csc-measures-c` makes
//! `target/release/libcscmeasures.a` and `libcscmeasures.so`; then
//! `cc -I include app.c -L target/release -lcscmeasures -lpthread -ldl -lm`.

#![allow(non_camel_case_types)]

// In the header's order: status and strings, dates, the catalogue (measures, then the JSON
// catalogue), datasets and the builder, options, results, then the JSON entry point.
pub mod status;

pub mod text;

pub mod day;

pub mod measure;

pub mod catalog;

pub mod dataset;

pub mod builder;

pub mod options;

pub mod result;

pub mod request;

mod arg;

pub use builder::{
    csc_ad1, csc_assessment, csc_builder, csc_care_episode, csc_cin_child, csc_cin_episode,
    csc_cp_plan, csc_header, csc_placed_adoption, csc_section47,
};
pub use dataset::{csc_dataset, csc_issue, csc_summary};
pub use options::csc_options;
pub use result::{csc_numbers, csc_result, csc_result_list, csc_row};
pub use status::csc_status;

// The header's thread-safety claims, checked by the compiler: the immutable handles may be shared
// between threads, and the others may at least move between them.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    const fn movable<T: Send>() {}
    shared::<csc_dataset>();
    shared::<csc_result>();
    shared::<csc_result_list>();
    shared::<csc_options>();
    movable::<csc_builder>();
};
