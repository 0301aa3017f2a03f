//! # csc-measures
//!
//! The statutory performance measures of English children's social care, computed from the CIN
//! census and SSDA903 returns, with the working-day calendar and the record rules they rest on.
//!
//! The definitions are those of the project's specification (`MEASURES.md`); this crate is the one
//! core that computes them, and the CLI, the C ABI and the Python module translate to and from it.
//!
//! ```
//! use csc_measures::{Calendar, Day, Period, WorkingDays};
//! let year = Period::financial_year(2024)?;
//! let cal = Calendar::england_and_wales();
//! let days = cal.wd(year.start(), year.end(), WorkingDays::AfterStart)?;
//! assert_eq!(days.days, 250);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod calendar;
pub mod cell;
pub mod cleaned;
pub mod codes;
pub mod dataset;
pub mod day;
pub mod error;
pub mod flat;
#[cfg(feature = "serde")]
pub mod golden;
pub mod json;
pub mod measure;
pub mod period;
pub mod population;
pub mod quality;
pub mod records;
pub mod result;
pub mod rows;
pub mod schema;
pub mod table;

pub use dataset::care;

pub use calendar::{Calendar, WorkingDayCount, WorkingDays};
pub use dataset::{Dataset, DatasetBuilder, Summary};
pub use day::Day;
pub use error::{Error, ErrorKind};
pub use measure::{MeasureId, Options, compute, compute_many};
pub use period::Period;
pub use result::MeasureResult;
pub use table::Source;

/// The README's Rust examples, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
