//! # csc-api
//!
//! The request layer of csc-measures: one job, run the same way for every surface. A [`Request`]
//! holds the [`Inputs`] (files, bytes, Arrow tables, or the built-in sample) and the [`Query`] (a
//! [`PeriodSpec`]: a financial year, a start and an end, the latest collection year loaded, or a
//! [`Series`] of periods; the measures; the options and the population; the detail wanted).
//! [`load()`] reads the inputs and merges them; [`run`] computes every (measure, period) pair (both
//! spread over the cores by rayon with the default `parallel` feature); the [`render`] functions give the one JSON shape, CSV,
//! text and HTML; [`Scorecard`] is the panel's view of a year.
//!
//! The CLI parses its flags into a [`Request`], the C ABI its JSON ([`Request::from_json`]),
//! Python its keyword arguments: all with the functions here, so the same mistake gives the same
//! error kind, code and message on every surface (a malformed request is
//! [`ErrorKind::InvalidRequest`](csc_measures::ErrorKind::InvalidRequest), code 108).
//!
//! ```
//! use csc_api::{Request, load, render, run};
//! let req = Request::from_json(r#"{"sample": {"children": 300}, "measures": ["referrals"], "year": 2024}"#)?;
//! let loaded = load(&req.inputs, &|_| {})?;
//! let response = run(&loaded.dataset, &req.query)?;
//! let json = render::json::response(&response, loaded.dataset.issues());
//! assert_eq!(json["measures"][0]["id"], "referrals");
//! assert_eq!(json["period"]["end"], "2024-03-31");
//! # Ok::<(), csc_measures::Error>(())
//! ```

pub mod check;
pub mod load;
pub mod published;
pub mod render;
mod request;
mod run;
pub mod scorecard;
mod series;

pub use load::{Loaded, load};
pub use request::{
    Detail, Input, Inputs, PeriodSpec, Query, Request, Sample, Source, financial_year, option_pair,
    parse_measures, parse_month, parse_options, parse_population, parse_targets, population_csv,
};
pub use run::{Response, compute_pairs, compute_series, latest_year, measures, run};
pub use scorecard::{
    Comparison, Direction, ReconLine, ReportQuery, SMALL_DENOMINATOR, ScoreLine, Scorecard,
    Section, Shown, TrendPoint,
};
pub use series::{DEFAULT_MONTHS, Series, SeriesKind};
