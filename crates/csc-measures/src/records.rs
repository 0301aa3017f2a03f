//! The case records of the CIN census and the SSDA903 return (spec section 2), as the builder takes
//! them: one owned row per record, with field names that follow the returns' own.
//!
//! The record types and the return structs are made from the [schema](crate::schema), one entry per
//! table; this module gathers them with what every row shares ([`RowOrigin`]) and what a return
//! knows of itself ([`ReturnSource`]).
//!
//! Rows are plain data. [`crate::DatasetBuilder`] normalises, validates and merges them into a
//! [`crate::Dataset`]; nothing here enforces a rule. Identifiers and codes are
//! [`CompactString`](compact_str::CompactString)s, which keep strings of up to 24 bytes inline (every
//! real code and child id) without allocating.

pub use crate::schema::cin::{
    Assessment, CinChild, CinEpisode, CinPlan, CinReturn, CinTables, CpPlan, Section47,
};
pub use crate::schema::ssda903::{
    Ad1, CareEpisode, Header, Missing, Oc2, Oc3, PlacedAdoption, PrevPerm, Review, Ssda903Return,
    Ssda903Tables, SwEpisode, Uasc,
};

use crate::day::Day;

/// Where a row came from: the index of its file in the return's [`ReturnSource::files`] and the
/// 1-based line (0 when unknown, as for rows built in code).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct RowOrigin {
    /// Index into the return's file list.
    pub file: u32,
    /// 1-based line, 0 when unknown.
    pub line: u32,
}

impl RowOrigin {
    /// A row at `line` of the return's file `file`.
    #[must_use]
    pub const fn new(file: u32, line: u32) -> RowOrigin {
        RowOrigin { file, line }
    }
}

/// Which statutory return a set of rows came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReturnKind {
    /// The children in need census.
    Cin,
    /// The SSDA903 children looked after return.
    Ssda903,
}

impl ReturnKind {
    /// `cin` or `ssda903`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ReturnKind::Cin => "cin",
            ReturnKind::Ssda903 => "ssda903",
        }
    }
}

/// What is known about a return as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct ReturnSource {
    /// The files the rows came from, indexed by [`RowOrigin::file`]; empty for rows built in code.
    pub files: Vec<std::sync::Arc<str>>,
    /// The collection year the caller gave (financial year ending 31 March of this year).
    pub collection_year: Option<i32>,
    /// The CIN census `ReferenceDate`, when the file has one.
    pub reference_date: Option<Day>,
    /// The tables the return holds, by their schema names (spec 2.3: a CSV return holds the tables
    /// whose files it has, a header-only file included; the SSDA903 XML form every table but
    /// SWEpisodes). `None`: every table of its kind, as for a return built in code. A table is
    /// stitched between years Y and Y+1 only when return Y+1 holds it (spec 2.7).
    pub tables: Option<Vec<compact_str::CompactString>>,
}

impl ReturnSource {
    /// Does the return hold the table named `table` (a schema name)?
    #[must_use]
    pub fn holds(&self, table: &str) -> bool {
        self.tables
            .as_ref()
            .is_none_or(|t| t.iter().any(|n| n == table))
    }
}
