//! # csc-returns
//!
//! Readers and writers of the statutory returns of English children's social care, into and out of
//! the records of [`csc_measures::records`]:
//!
//! * [`ssda903`]: the SSDA903 return as a folder of CSV tables (each recognised by its header row,
//!   whatever the file is called) or as XML (`EXPSSDA903`);
//! * [`cin`]: the CIN census XML, streamed in linear time and bounded memory.
//!
//! Readers are lenient by default: a row they cannot use is skipped and reported as an
//! [`Issue`] naming the file, line, column and value; a strict read
//! stops at the first problem with an error carrying the same detail. [`load`] reads several returns
//! at once and merges them into a [`csc_measures::Dataset`] (spec 2.1).

pub mod cin;
pub mod field;
pub mod load;
pub mod ssda903;

use std::sync::Arc;

use csc_measures::quality::Issue;

/// How to read a return.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Stop at the first problem with an error, instead of skipping and reporting.
    pub strict: bool,
    /// The collection year, when the caller knows it (it wins over `ReferenceDate` and the data).
    pub collection_year: Option<i32>,
}

/// What one file held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    /// The path as given.
    pub path: Arc<str>,
    /// The table it was recognised as (`Header`, `Episodes`, ..., or `CIN census`).
    pub table: String,
    /// Rows (or XML records) read, usable or not.
    pub rows: usize,
    /// Rows skipped as unusable.
    pub skipped: usize,
}

/// A return read from files, with the load report of that read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Read<R> {
    /// The records.
    pub ret: R,
    /// Every skipped, repaired or doubtful row.
    pub issues: Vec<Issue>,
    /// What each file held.
    pub files: Vec<FileReport>,
}
