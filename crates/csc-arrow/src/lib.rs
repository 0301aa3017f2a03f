//! # csc-arrow
//!
//! Arrow in and out of [`csc_measures`]: the returns' tables as Arrow record batches.
//!
//! * In ([`input`]): tables with the returns' own names and column names, of whatever Arrow types
//!   a data-frame library chose (text, numbers, booleans, dates, timestamps, dictionaries, lists),
//!   read row by row through the core's row rules ([`csc_measures::rows`]) into
//!   [`CinReturn`](csc_measures::records::CinReturn)s and
//!   [`Ssda903Return`](csc_measures::records::Ssda903Return)s ([`read`]), or straight into a
//!   [`Dataset`](csc_measures::Dataset) ([`build`]). [`table_from_reader`] collects a table from
//!   any [`RecordBatchReader`](arrow_array::RecordBatchReader), an Arrow C stream's for one.
//! * Files ([`files`]): the tables in Parquet and Arrow IPC files, one file per table, any number
//!   of collection years in a `year` column, read into [`ReturnInput`]s (one collection year at a
//!   time when the files allow it) and written by [`files::TableWriter`].
//! * Out ([`output`]): a return's tables as record batches whose schemas come from the core's
//!   schema ([`cin_tables`], [`ssda903_tables`], [`table_batch`], [`schema_of`]); reading them back
//!   gives the same return.
//! * Results ([`results`]): the measures' results, their drill-down rows, the load report and the
//!   scorecard as tables, the same for Rust, C and Python; and the catalogues of the measures, the
//!   options and the tables, made from their declarations ([`catalogue`]).
//! * The cleaned care tables ([`cleaned`]): the care episodes after the repairs, the periods of
//!   care and the placements, to check a drill-down row by hand.
//! * The population input from a `year`, `population` table ([`population`]).
//! * Tables given as plain values ([`values`]): columns of text, numbers, booleans, dates and
//!   date-times (what Python holds without pyarrow) made Arrow arrays, then read as above.
//!
//! Everything that knows a table or a field comes from [`csc_measures::schema`]: a table or field
//! added there is read and written here without a change. Only the CIN census's layout of the
//! sector's tools, which has no table of its own in the schema, is known here: the child's fields
//! split over `ChildIdentifiers`, `ChildCharacteristics` and `Disabilities`, the census `Header`
//! holding `ReferenceDate`, and nested tables linked to their CIN episode by `CINdetailsID`.

#![forbid(unsafe_code)]

pub mod catalogue;
pub mod cleaned;
mod column;
pub mod docs;
pub mod files;
pub mod input;
pub mod output;
pub mod results;
pub mod values;

pub use input::{
    CIN_DETAILS_ID, REFERENCE_DATE, ReadReturn, ReturnInput, TableInput, build, population, read,
    table_from_reader,
};
pub use output::{
    CIN_HEADER, arrow_field, cin_header_schema, cin_tables, schema_of, ssda903_tables, table_batch,
};
