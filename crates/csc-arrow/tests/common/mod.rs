//! Helpers of the tests: batches from columns, and reading one return.

#![allow(dead_code)]

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch};
use csc_arrow::{ReadReturn, ReturnInput, TableInput, read};
use csc_measures::Error;
use csc_measures::quality::{Issue, Location};
use csc_measures::records::{CinReturn, ReturnKind, Ssda903Return};
use csc_measures::rows::Read;

/// A batch of named columns.
pub fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(cols).expect("columns of equal length")
}

/// An array as an `ArrayRef`.
pub fn arr(a: impl arrow_array::Array + 'static) -> ArrayRef {
    Arc::new(a)
}

/// Reads one return of `kind` for 2024 from named batches.
pub fn read_return(
    kind: Option<ReturnKind>,
    tables: Vec<(&str, RecordBatch)>,
    strict: bool,
) -> Result<Vec<ReadReturn>, Error> {
    let tables = tables
        .into_iter()
        .map(|(n, b)| TableInput::from_batch(n, b))
        .collect();
    read(vec![ReturnInput::new(kind, Some(2024), tables)], strict)
}

/// Reads an SSDA903 return for 2024.
pub fn ssda903(
    tables: Vec<(&str, RecordBatch)>,
    strict: bool,
) -> Result<Read<Ssda903Return>, Error> {
    match read_return(Some(ReturnKind::Ssda903), tables, strict)?.pop() {
        Some(ReadReturn::Ssda903(r)) => Ok(r),
        other => panic!("not one SSDA903 return: {other:?}"),
    }
}

/// Reads a CIN census return for 2024.
pub fn cin(tables: Vec<(&str, RecordBatch)>, strict: bool) -> Result<Read<CinReturn>, Error> {
    match read_return(Some(ReturnKind::Cin), tables, strict)?.pop() {
        Some(ReadReturn::Cin(r)) => Ok(r),
        other => panic!("not one CIN census return: {other:?}"),
    }
}

/// The location of an issue as (file, line, column, value).
pub fn at(i: &Issue) -> (String, u32, String, String) {
    let l: &Location = i.location.as_ref().expect("located");
    (
        l.file.as_deref().unwrap_or_default().to_owned(),
        l.line.unwrap_or_default(),
        l.column.as_deref().unwrap_or_default().to_owned(),
        l.value.clone().unwrap_or_default(),
    )
}

/// The codes of the issues.
pub fn codes(issues: &[Issue]) -> Vec<&'static str> {
    issues.iter().map(|i| i.code.as_str()).collect()
}

/// A day from ISO text.
pub fn day(s: &str) -> csc_measures::Day {
    s.parse().expect("a date")
}
