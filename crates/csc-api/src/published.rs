//! DfE's published local-authority tables: read them, find England's, a region's and a local
//! authority's figures, compare a local authority with its comparators, and reconcile a computed
//! result with the local authority's own published row.
//!
//! DfE publishes the children in need tables on explore-education-statistics as tidy CSV files:
//! `time_period, time_identifier, geographic_level, country_code, country_name, region_code,
//! region_name, old_la_code, new_la_code, la_name`, an optional `category`, then one column per
//! figure. [`read`] parses one such file and recognises the tables this module knows by their
//! header ([`TableId`]: C2, assessments by duration; D3, second or subsequent child protection
//! plans); any other file is kept as an unrecognised table whose cells can still be read by column
//! name. [`Published`] holds several tables and finds a row by table, year and area
//! ([`Area`]: England, a region, a local authority by its 3-digit `old_la_code` or its 9-character
//! `new_la_code`). [`source`] says which table and columns publish a measure, [`Comparators`] puts
//! a local authority beside England, its region and its statistical neighbours, and [`reconcile`]
//! lines a [`MeasureResult`] up with the published row, figure by figure.
//!
//! ```
//! use csc_api::published::{self, Comparators, Figure, Marker, Published, TableId};
//! use csc_measures::measure::MeasureId;
//!
//! let csv = "\u{feff}time_period,time_identifier,geographic_level,country_code,country_name,\
//! region_code,region_name,old_la_code,new_la_code,la_name,category,CPP_start,CPP_subsequent,CPP_subsequent_percent
//! 202324,Financial year,National,E92000001,England,,,,,,Plans,62110,15330,24.7
//! 2024,Reporting year,Regional,E92000001,England,E12000001,North East,,,,Plans,4860,1250,25.7
//! 2024,Reporting year,Local authority,E92000001,England,E12000001,North East,807,E06000003,Redcar and Cleveland,Plans,374,100,26.7
//! 2024,Reporting year,Local authority,E92000001,England,E12000001,North East,805,E06000001,Hartlepool,Plans,200,48,24
//! 2024,Reporting year,Local authority,E92000001,England,E12000001,North East,806,E06000002,Middlesbrough,Plans,310,c,c
//! ";
//! let table = published::read("d3.csv", csv.as_bytes())?;
//! assert_eq!(table.table(), Some(TableId::D3));
//! let mut tables = Published::new();
//! tables.add(table);
//!
//! // Cells are figures: a number with the decimals as written, or a suppression marker.
//! let redcar = tables.la(TableId::D3, 2024, "807").unwrap();
//! assert_eq!(redcar.figure("CPP_subsequent_percent").unwrap().to_string(), "26.7");
//! let middlesbrough = tables.la(TableId::D3, 2024, "E06000002").unwrap();
//! assert_eq!(middlesbrough.figure("CPP_subsequent"), Some(Figure::Marker(Marker::Suppressed)));
//!
//! // Redcar beside England, the North East and two neighbours (one suppressed).
//! let neighbours = ["805".to_string(), "806".to_string()];
//! let c = Comparators::new(&tables, MeasureId::CppSecondOrSubsequent, 2024, "807", &neighbours).unwrap();
//! assert_eq!(c.england.unwrap().value.to_string(), "24.7");
//! assert_eq!(c.region.unwrap().name, "North East");
//! assert_eq!(c.neighbours.mean.unwrap().to_string(), "24.0"); // "24" is published to 1 decimal
//! assert_eq!((c.neighbours.with_value, c.neighbours.of), (1, 2));
//! # Ok::<(), csc_measures::Error>(())
//! ```
//!
//! # Which measures the tables read here publish
//!
//! [`source`] gives, for each measure, the table and columns that publish its value, numerator and
//! denominator. Every measure id is listed; the two read here are:
//!
//! | measure | table | value | numerator | denominator |
//! |---|---|---|---|---|
//! | `referrals` | not published in a table read here | | | |
//! | `re_referrals_12m` | not published in a table read here | | | |
//! | `assessments_45wd` | C2 | derived: `100 * (Same_day + 1-10_days + 11-20_days + 21-30_days + 31-40_days + 41-45_days) / Assessments_completed`, one decimal | `Same_day + 1-10_days + ... + 41-45_days` | `Assessments_completed` |
//! | `icpc_15wd` | not published in a table read here | | | |
//! | `s47_to_icpc` | not published in a table read here | | | |
//! | `cpp_second_or_subsequent` | D3 | `CPP_subsequent_percent`, one decimal | `CPP_subsequent` | `CPP_start` |
//! | `cpp_repeat_2y` | not published in a table read here | | | |
//! | `cpp_ended_2y_plus` | not published in a table read here | | | |
//! | `cpp_open_15m_plus` | not published in a table read here | | | |
//! | `cin_at_end` | not published in a table read here | | | |
//! | `cpp_at_end` | not published in a table read here | | | |
//! | `in_assessment_at_end` | not published in a table read here | | | |
//! | `re_referrals_12m_children` | not published in a table read here | | | |
//! | `section47s` | not published in a table read here | | | |
//! | `icpcs` | not published in a table read here | | | |
//! | `icpc_to_cpp` | not published in a table read here | | | |
//! | `cpp_started` | not published in a table read here (D3's `CPP_start` counts the same plans, but only as `cpp_second_or_subsequent`'s denominator) | | | |
//! | `cpp_open_2y_plus` | not published in a table read here | | | |
//! | `cpp_reviews_in_timescale` | not published in a table read here | | | |
//! | `cin_plan_at_end` | not published in a table read here | | | |
//! | `assessment_factors` | not published in a table read here | | | |
//! | `cla_at_end` | not published in a table read here | | | |
//! | `stability_3plus_placements` | not published in a table read here | | | |
//! | `stability_long_term` | not published in a table read here | | | |
//! | `adoption_a1` | not published in a table read here | | | |
//! | `adoption_a10` | not published in a table read here | | | |
//! | `adoption_a2` | not published in a table read here | | | |
//! | `adoption_a3` | not published in a table read here | | | |
//! | `cla_started` | not published in a table read here | | | |
//! | `cla_ceased` | not published in a table read here | | | |
//! | `cla_ceased_adopted` | not published in a table read here | | | |
//! | `cla_ceased_sgo` | not published in a table read here | | | |
//! | `cla_ceased_cao` | not published in a table read here | | | |
//! | `cla_ceased_returned_home` | not published in a table read here | | | |
//! | `cla_uasc_at_end` | not published in a table read here | | | |
//! | `stability_3plus_placements_2y` | not published in a table read here | | | |
//! | `placed_foster_at_end` | not published in a table read here | | | |
//! | `placed_childrens_homes_at_end` | not published in a table read here | | | |
//! | `placed_supported_at_end` | not published in a table read here | | | |
//! | `cla_reviews_on_time` | not published in a table read here | | | |
//! | `health_assessments` | not published in a table read here | | | |
//! | `dental_checks` | not published in a table read here | | | |
//! | `immunisations` | not published in a table read here | | | |
//! | `health_checks_under_5` | not published in a table read here | | | |
//! | `sdq_average` | not published in a table read here | | | |
//! | `care_leavers_eet_17_18` | not published in a table read here | | | |
//! | `care_leavers_eet_19_21` | not published in a table read here | | | |
//! | `care_leavers_accommodation_17_18` | not published in a table read here | | | |
//! | `care_leavers_accommodation_19_21` | not published in a table read here | | | |
//! | `care_leavers_in_touch` | not published in a table read here | | | |
//! | `missing_children` | not published in a table read here | | | |
//! | `missing_incidents` | not published in a table read here | | | |
//! | `sw_3plus` | not published in a table read here | | | |
//! | `adoption_decision_to_match` | not published in a table read here | | | |
//!
//! C2 publishes no percentage within 45 working days, so the value of `assessments_45wd` is
//! **derived** from its bands (the bands up to `41-45_days` are the assessments within 45 working
//! days, counting a same-day assessment as 0, as the measure does). D3's percentage is published.
//!
//! # Decisions where DfE's files and the task are silent
//!
//! * **Years.** `time_period` `2024` and `202324` both mean the reporting year ending 31 March 2024
//!   (financial year 2024, as `--year 2024`). A 6-digit period must name two consecutive years;
//!   any other `time_period` is an error. Only rows whose `time_identifier` is `Reporting year` or
//!   `Financial year` are found by the lookups; rows of other periods (academic, calendar,
//!   quarters) are kept in [`PublishedTable::rows`], since a `2024` there is not April to March.
//! * **Cells.** A figure is a number (an optional `-`, digits, optionally `.` and digits; no
//!   thousands separators, no exponent) or a marker ([`Marker`]): `c`, `k`, `low`, `x`, `z`, `u`,
//!   their bracketed GSS forms (`[c]`, ...), and the older `..` and `:` (read as `x`, not
//!   available). Markers are read whatever their case, and surrounding spaces are ignored. Any
//!   other cell in a figure column, an empty one included, is an error naming the file, line,
//!   column and value. In a recognised table every column other than the time, geography and
//!   `category` columns is a figure column; in an unrecognised table the figure columns are not
//!   known, so a cell is parsed when asked for ([`PublishedRow::figure`],
//!   [`PublishedRow::try_figure`]).
//! * **Decimals.** A number keeps the decimals it was written with, but DfE's files drop trailing
//!   zeros (`24` in a percentage column published to one decimal is 24.0). The mapping therefore
//!   declares the precision DfE publishes each value at ([`PublishedSource::decimals`]: one decimal
//!   for percentages, whole numbers for counts), and comparators and reconciliation read a number at
//!   the larger of that and its written decimals. [`PublishedTable::decimals`] gives the most
//!   decimals written in a column.
//! * **The derived C2 value** is computed exactly from the published counts and rounded as DfE
//!   rounds, half away from zero, to one decimal. When the denominator is a marker the value is that
//!   marker; otherwise, when a band it sums is a marker, the value and numerator are the first such
//!   marker (no band is recovered from the others: that would undo DfE's secondary suppression); a
//!   zero denominator gives `z`. National and regional counts are rounded to the nearest 10 by DfE,
//!   so England's and a region's derived values carry that rounding. A dozen local-authority rows
//!   of 2014 to 2021 in the 2024 release (Leicestershire 2015 to 2019, for example) have bands
//!   adding up to less than `Assessments_completed`; the denominator is `Assessments_completed` as published, and
//!   [`reconcile`] says so in a note.
//! * **Duplicates and releases.** In a recognised table a second row for the same period, level,
//!   area and `category` is an error naming both lines. In [`Published`], when two tables of the
//!   same kind both hold a row, the table added last wins (a later release revises earlier years).
//! * **Areas.** England is the `National` row of `E92000001` (or with no country code). A region is
//!   found by `region_code` (or its name). A local authority is found by `old_la_code` or
//!   `new_la_code`: the old code stays the same across DfE's years where the new code changed (815
//!   North Yorkshire, 825 Buckinghamshire, 933 Somerset), so use the old code for a time series. The
//!   local authority's region is the one on its own row: for London boroughs that is Inner or
//!   Outer London (`E13000001`, `E13000002`), and London as a whole (`E12000007`) is given beside it
//!   ([`Comparators::wider_region`]).
//! * **Statistical neighbours.** The codes are used as given, except that an empty code, a code of
//!   the local authority itself and a second code for a local authority already listed are ignored.
//!   The mean and median are over the neighbours with a number (markers, `k` and `low` included, are
//!   not numbers), read at the published precision and rounded half away from zero to it; the
//!   median of an even count is the mean of the middle two. The unrounded mean is given too.
//! * **Reconciliation** is made only for a period that is exactly the financial year it ends in
//!   (DfE publishes years). A computed value is rounded half away from zero to the published
//!   figure's precision (a percentage exactly from its numerator and denominator) before the
//!   comparison; a marker gives `agrees: None`; a computed figure that is missing (a `no_data`
//!   result) against a published number disagrees. [`Reconciliation::agrees`] needs at least one
//!   comparable line. Options other than the measure's defaults and the result's warnings are
//!   written as notes, since DfE's figures follow the defaults.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use csc_measures::measure::MeasureId;
use csc_measures::quality::Location;
use csc_measures::result::ValueKind;
use csc_measures::{Error, ErrorKind, MeasureResult, Period};

// ---------------------------------------------------------------------------------------------
// Figures

/// A marker DfE writes in place of a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Marker {
    /// `c`: suppressed to protect confidentiality.
    Suppressed,
    /// `k`: a positive figure that rounds to zero.
    RoundsToZero,
    /// `low`: a positive figure that rounds to zero (the form some tables use).
    Low,
    /// `x`: not available (also the older `..` and `:`).
    NotAvailable,
    /// `z`: not applicable (a percentage of nothing, for example).
    NotApplicable,
    /// `u`: low reliability.
    LowReliability,
}

impl Marker {
    /// Every marker, in the order of this enum.
    pub const ALL: &'static [Marker] = &[
        Marker::Suppressed,
        Marker::RoundsToZero,
        Marker::Low,
        Marker::NotAvailable,
        Marker::NotApplicable,
        Marker::LowReliability,
    ];

    /// The form explore-education-statistics writes: `c`, `k`, `low`, `x`, `z` or `u`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Marker::Suppressed => "c",
            Marker::RoundsToZero => "k",
            Marker::Low => "low",
            Marker::NotAvailable => "x",
            Marker::NotApplicable => "z",
            Marker::LowReliability => "u",
        }
    }

    /// What it means, in a few words.
    #[must_use]
    pub const fn meaning(self) -> &'static str {
        match self {
            Marker::Suppressed => "suppressed",
            Marker::RoundsToZero | Marker::Low => "rounds to zero, but is not zero",
            Marker::NotAvailable => "not available",
            Marker::NotApplicable => "not applicable",
            Marker::LowReliability => "low reliability",
        }
    }

    /// The marker written as `s` (bare, bracketed as `[c]`, or `..` / `:`; any case; surrounding
    /// spaces ignored), or `None`.
    ///
    /// ```
    /// use csc_api::published::Marker;
    /// assert_eq!(Marker::parse("[low]"), Some(Marker::Low));
    /// assert_eq!(Marker::parse(".."), Some(Marker::NotAvailable));
    /// assert_eq!(Marker::parse("n/a"), None);
    /// ```
    #[must_use]
    pub fn parse(s: &str) -> Option<Marker> {
        let s = s.trim();
        let inner = s
            .strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .unwrap_or(s);
        if s == ".." || s == ":" {
            return Some(Marker::NotAvailable);
        }
        Marker::ALL
            .iter()
            .copied()
            .find(|m| inner.eq_ignore_ascii_case(m.as_str()))
    }
}

impl fmt::Display for Marker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The most decimals a [`Number`] holds.
pub const MAX_DECIMALS: u8 = 12;

/// A decimal number with the number of decimals it is written with: `26.7` is 267 units at 1
/// decimal. Equality is of the written form (`24` and `24.0` differ); [`Number::same_value`]
/// compares values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Number {
    units: i64,
    decimals: u8,
}

impl Number {
    /// `units / 10^decimals`; `decimals` is capped at [`MAX_DECIMALS`].
    #[must_use]
    pub const fn new(units: i64, decimals: u8) -> Number {
        Number {
            units,
            decimals: if decimals > MAX_DECIMALS {
                MAX_DECIMALS
            } else {
                decimals
            },
        }
    }

    /// The number as an integer count of its last decimal place (`26.7` gives 267).
    #[must_use]
    pub const fn units(self) -> i64 {
        self.units
    }

    /// The decimals it is written with.
    #[must_use]
    pub const fn decimals(self) -> u8 {
        self.decimals
    }

    /// The value as a double (the nearest one to the decimal).
    #[must_use]
    pub fn value(self) -> f64 {
        self.units as f64 / 10f64.powi(i32::from(self.decimals))
    }

    /// The same value written with `decimals` decimals: more decimals add zeros, fewer round half
    /// away from zero (as DfE rounds).
    ///
    /// ```
    /// use csc_api::published::Number;
    /// assert_eq!(Number::new(24, 0).with_decimals(1).to_string(), "24.0");
    /// assert_eq!(Number::new(2675, 2).with_decimals(1).to_string(), "26.8");
    /// assert_eq!(Number::new(-2675, 2).with_decimals(1).to_string(), "-26.8");
    /// ```
    #[must_use]
    pub fn with_decimals(self, decimals: u8) -> Number {
        let decimals = decimals.min(MAX_DECIMALS);
        let units = rescale(i128::from(self.units), self.decimals, decimals);
        Number::new(i64::try_from(units).unwrap_or(i64::MAX), decimals)
    }

    /// `x` rounded half away from zero to `decimals` decimals, reading `x` as the shortest decimal
    /// that gives it back (so `0.15` rounds to `0.2`); `None` when `x` is not finite or too large.
    ///
    /// ```
    /// use csc_api::published::Number;
    /// assert_eq!(Number::round(86.787_204, 1).unwrap().to_string(), "86.8");
    /// assert_eq!(Number::round(0.15, 1).unwrap().to_string(), "0.2");
    /// assert_eq!(Number::round(22.5, 0).unwrap().to_string(), "23");
    /// ```
    #[must_use]
    pub fn round(x: f64, decimals: u8) -> Option<Number> {
        if !x.is_finite() || x.abs() >= 1e15 {
            return None;
        }
        // Rust writes a double as the shortest decimal that reads back to it, never with an exponent.
        let text = format!("{x}");
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let decimals = decimals.min(MAX_DECIMALS);
        let keep = usize::from(decimals);
        let mut units: i128 = 0;
        for b in int
            .bytes()
            .chain(frac.bytes().chain(std::iter::repeat(b'0')).take(keep))
        {
            units = units * 10 + i128::from(b - b'0');
        }
        if frac.as_bytes().get(keep).is_some_and(|&b| b >= b'5') {
            units += 1;
        }
        let units = i64::try_from(if negative { -units } else { units }).ok()?;
        Some(Number::new(units, decimals))
    }

    /// Do the two numbers have the same value, whatever their decimals?
    #[must_use]
    pub fn same_value(self, other: Number) -> bool {
        let d = self.decimals.max(other.decimals);
        rescale(i128::from(self.units), self.decimals, d)
            == rescale(i128::from(other.units), other.decimals, d)
    }

    fn parse(s: &str) -> Option<Number> {
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || (digits.contains('.') && frac.is_empty())
            || frac.len() > usize::from(MAX_DECIMALS)
        {
            return None;
        }
        let mut units: i64 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            units = units.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
        }
        Some(Number::new(
            if negative { -units } else { units },
            frac.len() as u8,
        ))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.units < 0 { "-" } else { "" };
        let abs = self.units.unsigned_abs();
        let text = if self.decimals == 0 {
            format!("{sign}{abs}")
        } else {
            let scale = 10u64.pow(u32::from(self.decimals));
            format!(
                "{sign}{}.{:0width$}",
                abs / scale,
                abs % scale,
                width = usize::from(self.decimals)
            )
        };
        f.pad(&text)
    }
}

/// `units` at `from` decimals, written at `to` decimals (rounded half away from zero when fewer).
fn rescale(units: i128, from: u8, to: u8) -> i128 {
    if to >= from {
        units * 10i128.pow(u32::from(to - from))
    } else {
        ratio_half_away(units, 10i128.pow(u32::from(from - to)))
    }
}

/// `num / den` rounded half away from zero (`den > 0`).
fn ratio_half_away(num: i128, den: i128) -> i128 {
    let (q, r) = (num / den, num % den);
    if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    }
}

/// One published cell: a number, or the marker written in its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Figure {
    /// A number, with the decimals it is written with.
    Number(Number),
    /// A marker in place of a number.
    Marker(Marker),
}

impl Figure {
    /// The figure written as `s` (surrounding spaces ignored), or `None` when it is neither a
    /// number nor a marker.
    ///
    /// ```
    /// use csc_api::published::{Figure, Marker};
    /// assert_eq!(Figure::parse("26.7").unwrap().decimals(), Some(1));
    /// assert_eq!(Figure::parse("[c]"), Some(Figure::Marker(Marker::Suppressed)));
    /// assert_eq!(Figure::parse("1,234"), None);
    /// ```
    #[must_use]
    pub fn parse(s: &str) -> Option<Figure> {
        let s = s.trim();
        Number::parse(s)
            .map(Figure::Number)
            .or_else(|| Marker::parse(s).map(Figure::Marker))
    }

    /// The number, when it is one.
    #[must_use]
    pub const fn number(self) -> Option<Number> {
        match self {
            Figure::Number(n) => Some(n),
            Figure::Marker(_) => None,
        }
    }

    /// The value, when it is a number.
    #[must_use]
    pub fn value(self) -> Option<f64> {
        self.number().map(Number::value)
    }

    /// The decimals it is written with, when it is a number.
    #[must_use]
    pub const fn decimals(self) -> Option<u8> {
        match self {
            Figure::Number(n) => Some(n.decimals()),
            Figure::Marker(_) => None,
        }
    }

    /// The marker, when it is one.
    #[must_use]
    pub const fn marker(self) -> Option<Marker> {
        match self {
            Figure::Number(_) => None,
            Figure::Marker(m) => Some(m),
        }
    }

    /// A number written with at least `decimals` decimals (zeros added, never rounded); a marker
    /// as it is.
    #[must_use]
    pub fn at_least(self, decimals: u8) -> Figure {
        match self {
            Figure::Number(n) if n.decimals() < decimals => {
                Figure::Number(n.with_decimals(decimals))
            }
            other => other,
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Number(n) => n.fmt(f),
            Figure::Marker(m) => m.fmt(f),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tables

/// The DfE tables this module recognises from their headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum TableId {
    /// C2: assessments completed, by duration in working days, with quartiles.
    C2,
    /// D3: child protection plans starting in the year that were a second or subsequent plan.
    D3,
}

/// C2's band columns, in the order of the `assessments_45wd` bands.
const C2_BANDS: [&str; 9] = [
    "Same_day",
    "1-10_days",
    "11-20_days",
    "21-30_days",
    "31-40_days",
    "41-45_days",
    "46-50_days",
    "51-60_days",
    "61+_days",
];
/// C2's quartile columns, as `p25`, `median`, `p75`.
const C2_QUARTILES: [(&str, &str); 3] = [
    ("p25", "25th_Percentile_days"),
    ("median", "Median_days"),
    ("p75", "75th_Percentile_days"),
];

impl TableId {
    /// Every table, in order.
    pub const ALL: &'static [TableId] = &[TableId::C2, TableId::D3];

    /// `C2` or `D3`, as DfE names the table.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            TableId::C2 => "C2",
            TableId::D3 => "D3",
        }
    }

    /// What the table holds.
    #[must_use]
    pub const fn title(self) -> &'static str {
        match self {
            TableId::C2 => "Assessments completed, by duration in working days",
            TableId::D3 => "Child protection plans that were a second or subsequent plan",
        }
    }

    /// The figure columns the table must have.
    #[must_use]
    pub const fn columns(self) -> &'static [&'static str] {
        match self {
            TableId::C2 => &[
                "Assessments_completed",
                "Same_day",
                "1-10_days",
                "11-20_days",
                "21-30_days",
                "31-40_days",
                "41-45_days",
                "46-50_days",
                "51-60_days",
                "61+_days",
                "25th_Percentile_days",
                "Median_days",
                "75th_Percentile_days",
            ],
            TableId::D3 => &["CPP_start", "CPP_subsequent", "CPP_subsequent_percent"],
        }
    }

    /// The table a header belongs to: C2 when it has `Assessments_completed` and a C2 band column,
    /// D3 when it has `CPP_subsequent`. Its other columns are then required.
    fn recognise(header: &Header) -> Option<TableId> {
        let has = |c: &str| header.index(c).is_some();
        if has("Assessments_completed") && C2_BANDS.iter().any(|b| has(b)) {
            Some(TableId::C2)
        } else if has("CPP_subsequent") {
            Some(TableId::D3)
        } else {
            None
        }
    }
}

impl fmt::Display for TableId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `geographic_level` of a row.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    /// `National`.
    National,
    /// `Regional`.
    Regional,
    /// `Local authority`.
    LocalAuthority,
    /// Any other level, as written (kept, never found by the lookups).
    Other(String),
}

impl Level {
    /// The level written as `s` (any case).
    #[must_use]
    pub fn parse(s: &str) -> Level {
        let s = s.trim();
        if s.eq_ignore_ascii_case("National") {
            Level::National
        } else if s.eq_ignore_ascii_case("Regional") {
            Level::Regional
        } else if s.eq_ignore_ascii_case("Local authority") {
            Level::LocalAuthority
        } else {
            Level::Other(s.to_owned())
        }
    }

    /// As DfE writes it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Level::National => "National",
            Level::Regional => "Regional",
            Level::LocalAuthority => "Local authority",
            Level::Other(s) => s,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An area to look up: England, a region, or a local authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area<'a> {
    /// The `National` row of England.
    England,
    /// A `Regional` row, by `region_code` (`E12000001`) or its name.
    Region(&'a str),
    /// A `Local authority` row, by `old_la_code` (`807`) or `new_la_code` (`E06000003`).
    LocalAuthority(&'a str),
}

/// The time and geography columns; `category` too, which is a filter, not a figure.
const STANDARD: [&str; 11] = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "category",
];
/// The columns every table must have.
const REQUIRED: [&str; 3] = ["time_period", "time_identifier", "geographic_level"];

/// A file's header, shared by its rows.
#[derive(Debug)]
struct Header {
    file: Arc<str>,
    table: Option<TableId>,
    names: Vec<String>,
    /// Is the column a figure column parsed on reading (the non-standard columns of a recognised
    /// table)?
    figures: Vec<bool>,
}

impl Header {
    fn index(&self, column: &str) -> Option<usize> {
        let column = column.trim();
        self.names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(column))
    }

    fn at(&self, line: u32) -> Location {
        Location::new(self.file.clone(), line)
    }

    fn error(&self, line: u32, column: &str, value: &str, message: String) -> Error {
        Error::new(ErrorKind::InvalidInput, message).at(self.at(line).with_field(column, value))
    }

    fn missing(&self, column: &str, why: &str) -> Error {
        Error::new(
            ErrorKind::InvalidInput,
            format!("missing required column {column:?} ({why})"),
        )
        .at(self.at(1))
    }
}

/// One row of a published table.
#[derive(Clone, Debug)]
pub struct PublishedRow {
    /// The 1-based line it starts on.
    pub line: u32,
    /// `time_period` as written (`2024`, `202324`).
    pub time_period: String,
    /// The financial year `time_period` ends in (`2024` for both `2024` and `202324`).
    pub year: i32,
    /// `time_identifier` as written (`Reporting year`).
    pub time_identifier: String,
    /// `geographic_level`.
    pub level: Level,
    /// `country_code` (empty when the file has no such column).
    pub country_code: String,
    /// `region_code` (empty for a national row).
    pub region_code: String,
    /// `region_name`.
    pub region_name: String,
    /// `old_la_code`, the 3-digit DfE code (empty above local-authority level).
    pub old_la_code: String,
    /// `new_la_code`, the 9-character GSS code.
    pub new_la_code: String,
    /// `la_name`.
    pub la_name: String,
    header: Arc<Header>,
    cells: Vec<String>,
    figures: Vec<Option<Figure>>,
}

impl PublishedRow {
    /// The table it belongs to, when recognised.
    #[must_use]
    pub fn table(&self) -> Option<TableId> {
        self.header.table
    }

    /// The name of the file it came from.
    #[must_use]
    pub fn file(&self) -> &str {
        &self.header.file
    }

    /// Is its period a reporting or financial year (April to March), the rows the lookups find?
    #[must_use]
    pub fn is_financial_year(&self) -> bool {
        let t = self.time_identifier.trim();
        t.eq_ignore_ascii_case("Reporting year") || t.eq_ignore_ascii_case("Financial year")
    }

    /// The area's code: `E92000001` (or the country code) for a national row, the region code
    /// for a region, the `new_la_code` (else the old code) for a local authority.
    #[must_use]
    pub fn code(&self) -> &str {
        match self.level {
            Level::National if self.country_code.is_empty() => "E92000001",
            Level::National => &self.country_code,
            Level::Regional => &self.region_code,
            Level::LocalAuthority if !self.new_la_code.is_empty() => &self.new_la_code,
            Level::LocalAuthority => &self.old_la_code,
            Level::Other(_) => "",
        }
    }

    /// The area's name: `England`, the region's or the local authority's.
    #[must_use]
    pub fn name(&self) -> &str {
        match self.level {
            Level::National => self
                .header
                .index("country_name")
                .map_or("England", |i| &self.cells[i]),
            Level::Regional => &self.region_name,
            Level::LocalAuthority => &self.la_name,
            Level::Other(_) => "",
        }
    }

    /// The cell of `column` as written (trimmed), or `None` when the file has no such column.
    #[must_use]
    pub fn text(&self, column: &str) -> Option<&str> {
        self.header.index(column).map(|i| self.cells[i].as_str())
    }

    /// The cell of `column` as a figure; `None` when the file has no such column or, in an
    /// unrecognised table, the cell is neither a number nor a marker.
    #[must_use]
    pub fn figure(&self, column: &str) -> Option<Figure> {
        let i = self.header.index(column)?;
        self.figures[i].or_else(|| Figure::parse(&self.cells[i]))
    }

    /// The cell of `column` as a figure, or an error naming the file, line, column and value (or
    /// the missing column).
    pub fn try_figure(&self, column: &str) -> Result<Figure, Error> {
        let i = self
            .header
            .index(column)
            .ok_or_else(|| self.header.missing(column, "asked for by name"))?;
        self.figures[i]
            .or_else(|| Figure::parse(&self.cells[i]))
            .ok_or_else(|| {
                self.header.error(
                    self.line,
                    &self.header.names[i],
                    &self.cells[i],
                    format!("{:?} is neither a number nor a marker", self.cells[i]),
                )
            })
    }

    fn is(&self, year: i32, area: Area<'_>) -> bool {
        if self.year != year || !self.is_financial_year() {
            return false;
        }
        match area {
            Area::England => {
                self.level == Level::National
                    && (self.country_code.is_empty()
                        || self.country_code.eq_ignore_ascii_case(ENGLAND))
            }
            Area::Region(code) => {
                let code = code.trim();
                self.level == Level::Regional
                    && !code.is_empty()
                    && (self.region_code.eq_ignore_ascii_case(code)
                        || self.region_name.eq_ignore_ascii_case(code))
            }
            Area::LocalAuthority(code) => {
                let code = code.trim();
                self.level == Level::LocalAuthority
                    && !code.is_empty()
                    && (self.old_la_code == code || self.new_la_code.eq_ignore_ascii_case(code))
            }
        }
    }
}

/// England's country code.
const ENGLAND: &str = "E92000001";
/// London as a whole, and its two halves, the regions of London boroughs' rows.
const LONDON: &str = "E12000007";
const LONDON_PARTS: [&str; 2] = ["E13000001", "E13000002"];

/// One file of published figures: its rows, and the table it is when recognised.
#[derive(Clone, Debug)]
pub struct PublishedTable {
    header: Arc<Header>,
    rows: Vec<PublishedRow>,
}

impl PublishedTable {
    /// The name it was read under (the file's path for [`Published::from_paths`]).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.header.file
    }

    /// Which DfE table it is; `None` for a table this module does not recognise.
    #[must_use]
    pub fn table(&self) -> Option<TableId> {
        self.header.table
    }

    /// The header's columns, as written (trimmed, without a byte-order mark).
    #[must_use]
    pub fn columns(&self) -> &[String] {
        &self.header.names
    }

    /// Every row, in file order.
    #[must_use]
    pub fn rows(&self) -> &[PublishedRow] {
        &self.rows
    }

    /// The first row (in file order) of `area` for the reporting year `year`.
    #[must_use]
    pub fn row(&self, year: i32, area: Area<'_>) -> Option<&PublishedRow> {
        self.rows.iter().find(|r| r.is(year, area))
    }

    /// The reporting years it has rows for, ascending.
    #[must_use]
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self
            .rows
            .iter()
            .filter(|r| r.is_financial_year())
            .map(|r| r.year)
            .collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// The most decimals written in `column` (DfE drops trailing zeros, so this is the column's
    /// precision when any row needs it); `None` when no cell of it is a number.
    #[must_use]
    pub fn decimals(&self, column: &str) -> Option<u8> {
        self.rows
            .iter()
            .filter_map(|r| r.figure(column)?.decimals())
            .max()
    }

    /// How many cells hold each marker: in a recognised table over its figure columns, otherwise
    /// over every column but the time and geography ones.
    #[must_use]
    pub fn marker_counts(&self) -> BTreeMap<Marker, usize> {
        let mut counts = BTreeMap::new();
        let columns: Vec<usize> = (0..self.header.names.len())
            .filter(|&i| match self.header.table {
                Some(_) => self.header.figures[i],
                None => !STANDARD
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(&self.header.names[i])),
            })
            .collect();
        for row in &self.rows {
            for &i in &columns {
                let figure = row.figures[i].or_else(|| Figure::parse(&row.cells[i]));
                if let Some(Figure::Marker(m)) = figure {
                    *counts.entry(m).or_insert(0) += 1;
                }
            }
        }
        counts
    }
}

/// Reads one published CSV file, named `name` in errors.
///
/// A byte-order mark is skipped. The columns `time_period`, `time_identifier` and
/// `geographic_level` are required, `region_code` and `region_name` when a regional row is present,
/// `old_la_code`, `new_la_code` and `la_name` when a local-authority row is, and every column of
/// [`TableId::columns`] in a recognised table. Errors are [`ErrorKind::InvalidInput`] and name the
/// file, the line, the column and the value (a missing column names itself).
pub fn read(name: &str, bytes: &[u8]) -> Result<PublishedTable, Error> {
    let file: Arc<str> = Arc::from(name);
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.records();
    let csv_error = |e: &csv::Error| {
        let line = e.position().map_or(1, |p| p.line() as u32);
        Error::new(
            ErrorKind::InvalidInput,
            format!("not a readable CSV file: {e}"),
        )
        .at(Location::new(file.clone(), line))
    };
    let header = match records.next() {
        Some(Ok(h)) => Arc::new(Header::read(file.clone(), &h)?),
        Some(Err(e)) => return Err(csv_error(&e)),
        None => {
            return Err(
                Error::new(ErrorKind::InvalidInput, "the file has no header row").at(Location {
                    file: Some(file.clone()),
                    ..Location::default()
                }),
            );
        }
    };
    let mut rows = Vec::new();
    let mut seen = BTreeMap::new();
    for record in records {
        let record = record.map_err(|e| csv_error(&e))?;
        let row = PublishedRow::read(&header, &record)?;
        if header.table.is_some() {
            let key = [
                row.year.to_string(),
                row.time_identifier.to_ascii_lowercase(),
                row.level.as_str().to_ascii_lowercase(),
                row.region_code.to_ascii_uppercase(),
                row.old_la_code.clone(),
                row.new_la_code.to_ascii_uppercase(),
                row.text("category").unwrap_or_default().to_owned(),
            ];
            if let Some(first) = seen.insert(key, row.line) {
                return Err(header.error(
                    row.line,
                    "time_period",
                    &row.time_period,
                    format!(
                        "a second row for the same period and area (the first is at line {first})"
                    ),
                ));
            }
        }
        rows.push(row);
    }
    Ok(PublishedTable { header, rows })
}

impl Header {
    /// The header of `file` from its first record: names trimmed, none empty or repeated, the
    /// required columns present, the table recognised and its columns present.
    fn read(file: Arc<str>, record: &csv::StringRecord) -> Result<Header, Error> {
        let names: Vec<String> = record.iter().map(|s| s.trim().to_owned()).collect();
        let mut header = Header {
            file,
            table: None,
            figures: vec![false; names.len()],
            names,
        };
        for (i, n) in header.names.iter().enumerate() {
            if n.is_empty() {
                return Err(header.error(
                    1,
                    &format!("#{}", i + 1),
                    "",
                    format!("column {} of the header has no name", i + 1),
                ));
            }
            if header.names[..i].iter().any(|m| m.eq_ignore_ascii_case(n)) {
                return Err(header.error(1, n, n, format!("the column {n:?} appears twice")));
            }
        }
        for c in REQUIRED {
            if header.index(c).is_none() {
                return Err(header.missing(c, "every published table has it"));
            }
        }
        header.table = TableId::recognise(&header);
        if let Some(t) = header.table {
            for c in t.columns() {
                if header.index(c).is_none() {
                    return Err(header.missing(c, &format!("table {t} has it")));
                }
            }
            for (i, n) in header.names.iter().enumerate() {
                header.figures[i] = !STANDARD.iter().any(|s| s.eq_ignore_ascii_case(n));
            }
        }
        Ok(header)
    }
}

impl PublishedRow {
    /// One row of a file whose header is `header`.
    fn read(header: &Arc<Header>, record: &csv::StringRecord) -> Result<PublishedRow, Error> {
        let line = record.position().map_or(0, |p| p.line() as u32);
        if record.len() != header.names.len() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "the row has {} fields, the header {}",
                    record.len(),
                    header.names.len()
                ),
            )
            .at(header.at(line)));
        }
        let cells: Vec<String> = record.iter().map(|s| s.trim().to_owned()).collect();
        let get = |c: &str| header.index(c).map_or(String::new(), |i| cells[i].clone());
        // The required columns are there: `Header::read` checked.
        let tp = header.index("time_period").unwrap_or(0);
        let year = parse_year(&cells[tp]).ok_or_else(|| {
            header.error(
                line,
                &header.names[tp],
                &cells[tp],
                format!(
                    "{:?} is not a year (2024) or a financial year (202324)",
                    cells[tp]
                ),
            )
        })?;
        let level = Level::parse(&get("geographic_level"));
        let needs: &[&str] = match level {
            Level::Regional => &["region_code", "region_name"],
            Level::LocalAuthority => &["old_la_code", "new_la_code", "la_name"],
            Level::National | Level::Other(_) => &[],
        };
        for c in needs {
            if header.index(c).is_none() {
                return Err(header.missing(c, &format!("the {level} row at line {line} needs it")));
            }
        }
        let codeless = match level {
            Level::Regional => get("region_code").is_empty(),
            Level::LocalAuthority => get("old_la_code").is_empty() && get("new_la_code").is_empty(),
            Level::National | Level::Other(_) => false,
        };
        if codeless {
            return Err(header.error(
                line,
                needs[0],
                "",
                format!(
                    "a {level} row needs its {}",
                    needs[..needs.len() - 1].join(" or ")
                ),
            ));
        }
        let mut figures = vec![None; cells.len()];
        for (i, cell) in cells.iter().enumerate() {
            if header.figures[i] {
                figures[i] = Some(Figure::parse(cell).ok_or_else(|| {
                    header.error(
                        line,
                        &header.names[i],
                        cell,
                        format!(
                            "{cell:?} is neither a number nor a marker (c, k, low, x, z, u, [c], .., :)"
                        ),
                    )
                })?);
            }
        }
        Ok(PublishedRow {
            line,
            time_period: cells[tp].clone(),
            year,
            time_identifier: get("time_identifier"),
            level,
            country_code: get("country_code"),
            region_code: get("region_code"),
            region_name: get("region_name"),
            old_la_code: get("old_la_code"),
            new_la_code: get("new_la_code"),
            la_name: get("la_name"),
            header: header.clone(),
            cells,
            figures,
        })
    }
}

/// `2024` gives 2024; `202324` gives 2024 (the second year must follow the first).
fn parse_year(s: &str) -> Option<i32> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match s.len() {
        4 => s.parse().ok().filter(|y| *y >= 1000),
        6 => {
            let first: i32 = s[..4].parse().ok()?;
            let second: i32 = s[4..].parse().ok()?;
            (first >= 1000 && (first + 1) % 100 == second).then_some(first + 1)
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// A set of tables

/// Several published tables, searched together.
#[derive(Clone, Debug, Default)]
pub struct Published {
    tables: Vec<PublishedTable>,
}

impl Published {
    /// No tables.
    #[must_use]
    pub fn new() -> Published {
        Published::default()
    }

    /// Adds a table; for a row that two tables of the same kind both have, the one added last
    /// wins.
    pub fn add(&mut self, table: PublishedTable) -> &mut Published {
        self.tables.push(table);
        self
    }

    /// Reads every path: a CSV file, or a folder whose `.csv` files (not the `.meta.csv` files
    /// explore-education-statistics ships beside them) are read in name order.
    pub fn from_paths<I, P>(paths: I) -> Result<Published, Error>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        let mut published = Published::new();
        let io = |path: &Path, e: &std::io::Error| {
            Error::new(
                ErrorKind::Io,
                format!("cannot read {}: {e}", path.display()),
            )
        };
        for path in paths {
            let path = path.as_ref();
            let files = if path.is_dir() {
                let mut files: Vec<_> = std::fs::read_dir(path)
                    .map_err(|e| io(path, &e))?
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| {
                        let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase());
                        name.is_some_and(|n| {
                            Path::new(&n).extension().is_some_and(|e| e == "csv")
                                && !n.ends_with(".meta.csv")
                        })
                    })
                    .collect();
                files.sort();
                files
            } else {
                vec![path.to_path_buf()]
            };
            for file in files {
                let bytes = std::fs::read(&file).map_err(|e| io(&file, &e))?;
                published.add(read(&file.display().to_string(), &bytes)?);
            }
        }
        Ok(published)
    }

    /// Every table, in the order added.
    #[must_use]
    pub fn tables(&self) -> &[PublishedTable] {
        &self.tables
    }

    /// The row of `area` for the reporting year `year` in a table of kind `table`.
    #[must_use]
    pub fn row(&self, table: TableId, year: i32, area: Area<'_>) -> Option<&PublishedRow> {
        self.tables
            .iter()
            .rev()
            .filter(|t| t.table() == Some(table))
            .find_map(|t| t.row(year, area))
    }

    /// England's row.
    #[must_use]
    pub fn england(&self, table: TableId, year: i32) -> Option<&PublishedRow> {
        self.row(table, year, Area::England)
    }

    /// A region's row, by `region_code` (or name).
    #[must_use]
    pub fn region(&self, table: TableId, year: i32, region: &str) -> Option<&PublishedRow> {
        self.row(table, year, Area::Region(region))
    }

    /// A local authority's row, by `old_la_code` or `new_la_code`.
    #[must_use]
    pub fn la(&self, table: TableId, year: i32, la: &str) -> Option<&PublishedRow> {
        self.row(table, year, Area::LocalAuthority(la))
    }

    /// The row of the region on the local authority's own row.
    #[must_use]
    pub fn la_region(&self, table: TableId, year: i32, la: &str) -> Option<&PublishedRow> {
        let row = self.la(table, year, la)?;
        self.region(table, year, &row.region_code)
    }

    /// Does a table of kind `table` have any row for the reporting year `year`?
    #[must_use]
    pub fn has_year(&self, table: TableId, year: i32) -> bool {
        self.tables
            .iter()
            .filter(|t| t.table() == Some(table))
            .any(|t| {
                t.rows
                    .iter()
                    .any(|r| r.year == year && r.is_financial_year())
            })
    }
}

// ---------------------------------------------------------------------------------------------
// Which table publishes which measure

/// How a measure's value is read from its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublishedValue {
    /// The value is this column.
    Column(&'static str),
    /// The value is derived: `100 * (sum of the numerator columns) / denominator`, rounded half
    /// away from zero to [`PublishedSource::decimals`].
    Percentage,
}

/// Where a measure is published: its table, and the columns of its value, numerator and
/// denominator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublishedSource {
    /// The measure.
    pub measure: MeasureId,
    /// The table.
    pub table: TableId,
    /// The value's column, or how it is derived.
    pub value: PublishedValue,
    /// The columns whose sum is the numerator.
    pub numerator: &'static [&'static str],
    /// The denominator's column.
    pub denominator: &'static str,
    /// The decimals DfE publishes the value to (trailing zeros are dropped in its files).
    pub decimals: u8,
}

const ASSESSMENTS_45WD: PublishedSource = PublishedSource {
    measure: MeasureId::Assessments45wd,
    table: TableId::C2,
    value: PublishedValue::Percentage,
    numerator: &[
        "Same_day",
        "1-10_days",
        "11-20_days",
        "21-30_days",
        "31-40_days",
        "41-45_days",
    ],
    denominator: "Assessments_completed",
    decimals: 1,
};

const CPP_SECOND_OR_SUBSEQUENT: PublishedSource = PublishedSource {
    measure: MeasureId::CppSecondOrSubsequent,
    table: TableId::D3,
    value: PublishedValue::Column("CPP_subsequent_percent"),
    numerator: &["CPP_subsequent"],
    denominator: "CPP_start",
    decimals: 1,
};

impl PublishedSource {
    /// Is the value derived rather than published as a column?
    #[must_use]
    pub fn is_derived(&self) -> bool {
        self.value == PublishedValue::Percentage
    }

    /// What the value is, in words (`CPP_subsequent_percent`, or the formula).
    #[must_use]
    pub fn value_text(&self) -> String {
        match self.value {
            PublishedValue::Column(c) => c.to_owned(),
            PublishedValue::Percentage => format!(
                "100 * ({}) / {}",
                self.numerator.join(" + "),
                self.denominator
            ),
        }
    }

    /// The value on `row`, at least at [`PublishedSource::decimals`] decimals; `None` for a row of
    /// another table.
    #[must_use]
    pub fn value(&self, row: &PublishedRow) -> Option<Figure> {
        if row.table() != Some(self.table) {
            return None;
        }
        match self.value {
            PublishedValue::Column(c) => Some(row.figure(c)?.at_least(self.decimals)),
            PublishedValue::Percentage => {
                let den = row.figure(self.denominator)?;
                let num = self.sum(row)?;
                Some(match (den, num) {
                    (Figure::Marker(m), _) | (_, Figure::Marker(m)) => Figure::Marker(m),
                    (Figure::Number(d), Figure::Number(n)) => {
                        let scale = d.decimals().max(n.decimals());
                        let d = rescale(i128::from(d.units()), d.decimals(), scale);
                        let n = rescale(i128::from(n.units()), n.decimals(), scale);
                        if d <= 0 {
                            Figure::Marker(Marker::NotApplicable)
                        } else {
                            let units =
                                ratio_half_away(100 * n * 10i128.pow(u32::from(self.decimals)), d);
                            Figure::Number(Number::new(
                                i64::try_from(units).unwrap_or(i64::MAX),
                                self.decimals,
                            ))
                        }
                    }
                })
            }
        }
    }

    /// The numerator on `row` (the sum of its columns; the first marker when one is a marker).
    #[must_use]
    pub fn numerator(&self, row: &PublishedRow) -> Option<Figure> {
        if row.table() != Some(self.table) {
            return None;
        }
        self.sum(row)
    }

    /// The denominator on `row`.
    #[must_use]
    pub fn denominator(&self, row: &PublishedRow) -> Option<Figure> {
        if row.table() != Some(self.table) {
            return None;
        }
        row.figure(self.denominator)
    }

    fn sum(&self, row: &PublishedRow) -> Option<Figure> {
        let mut figures = Vec::with_capacity(self.numerator.len());
        for c in self.numerator {
            figures.push(row.figure(c)?);
        }
        if let Some(m) = figures.iter().find_map(|f| f.marker()) {
            return Some(Figure::Marker(m));
        }
        let scale = figures
            .iter()
            .filter_map(|f| f.decimals())
            .max()
            .unwrap_or(0);
        let total: i128 = figures
            .iter()
            .filter_map(|f| f.number())
            .map(|n| rescale(i128::from(n.units()), n.decimals(), scale))
            .sum();
        Some(Figure::Number(Number::new(
            i64::try_from(total).unwrap_or(i64::MAX),
            scale,
        )))
    }
}

/// What this module decided about a measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decision {
    /// Published in this table and these columns.
    Published(&'static PublishedSource),
    /// Not published in a table read here.
    NotPublished,
    /// No decision yet: a measure added after this mapping was written (a test fails until one
    /// is made).
    Undecided,
}

/// Where `id` is published, as [`source`] says.
fn decision(id: MeasureId) -> Decision {
    match id {
        MeasureId::Assessments45wd => Decision::Published(&ASSESSMENTS_45WD),
        MeasureId::CppSecondOrSubsequent => Decision::Published(&CPP_SECOND_OR_SUBSEQUENT),
        MeasureId::Referrals
        | MeasureId::ReReferrals12m
        | MeasureId::Icpc15wd
        | MeasureId::S47ToIcpc
        | MeasureId::CppRepeat2y
        | MeasureId::CppEnded2yPlus
        | MeasureId::CppOpen15mPlus
        | MeasureId::CinAtEnd
        | MeasureId::CppAtEnd
        | MeasureId::InAssessmentAtEnd
        | MeasureId::ReReferrals12mChildren
        | MeasureId::Section47s
        | MeasureId::Icpcs
        | MeasureId::IcpcToCpp
        | MeasureId::CppStarted
        | MeasureId::CppOpen2yPlus
        | MeasureId::CppReviewsInTimescale
        | MeasureId::CinPlanAtEnd
        | MeasureId::AssessmentFactors
        | MeasureId::ClaAtEnd
        | MeasureId::Stability3plusPlacements
        | MeasureId::StabilityLongTerm
        | MeasureId::AdoptionA1
        | MeasureId::AdoptionA10
        | MeasureId::AdoptionA2
        | MeasureId::AdoptionA3
        | MeasureId::ClaStarted
        | MeasureId::ClaCeased
        | MeasureId::ClaCeasedAdopted
        | MeasureId::ClaCeasedSgo
        | MeasureId::ClaCeasedCao
        | MeasureId::ClaCeasedReturnedHome
        | MeasureId::ClaUascAtEnd
        | MeasureId::Stability3plusPlacements2y
        | MeasureId::PlacedFosterAtEnd
        | MeasureId::PlacedChildrensHomesAtEnd
        | MeasureId::PlacedSupportedAtEnd
        | MeasureId::ClaReviewsOnTime
        | MeasureId::HealthAssessments
        | MeasureId::DentalChecks
        | MeasureId::Immunisations
        | MeasureId::HealthChecksUnder5
        | MeasureId::SdqAverage
        | MeasureId::CareLeaversEet1718
        | MeasureId::CareLeaversEet1921
        | MeasureId::CareLeaversAccommodation1718
        | MeasureId::CareLeaversAccommodation1921
        | MeasureId::CareLeaversInTouch
        | MeasureId::MissingChildren
        | MeasureId::MissingIncidents
        | MeasureId::Sw3plus
        | MeasureId::AdoptionDecisionToMatch => Decision::NotPublished,
        // `MeasureId` is `#[non_exhaustive]`, so this crate must have a wildcard arm; the test
        // `every_measure_has_a_decision` fails for a measure that lands here.
        _ => Decision::Undecided,
    }
}

/// Which table and columns publish `id`'s value, numerator and denominator; `None` when it is not
/// published in a table read here (the table in the module docs lists every measure).
///
/// ```
/// use csc_api::published::{TableId, source};
/// use csc_measures::measure::MeasureId;
/// let s = source(MeasureId::CppSecondOrSubsequent).unwrap();
/// assert_eq!((s.table, s.denominator), (TableId::D3, "CPP_start"));
/// assert!(source(MeasureId::Assessments45wd).unwrap().is_derived());
/// assert!(source(MeasureId::Referrals).is_none());
/// ```
#[must_use]
pub fn source(id: MeasureId) -> Option<&'static PublishedSource> {
    match decision(id) {
        Decision::Published(s) => Some(s),
        Decision::NotPublished | Decision::Undecided => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Comparators

/// An area's published value.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaValue {
    /// Its level.
    pub level: Level,
    /// Its code (`E92000001`, a region code, a local authority's `new_la_code`).
    pub code: String,
    /// A local authority's `old_la_code`; empty above local-authority level.
    pub old_code: String,
    /// Its name.
    pub name: String,
    /// Its value, at least at the published precision.
    pub value: Figure,
}

impl AreaValue {
    fn of(source: &PublishedSource, row: &PublishedRow) -> Option<AreaValue> {
        Some(AreaValue {
            level: row.level.clone(),
            code: row.code().to_owned(),
            old_code: row.old_la_code.clone(),
            name: row.name().to_owned(),
            value: source.value(row)?,
        })
    }
}

/// One statistical neighbour as asked for, with its value when the table has its row.
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbour {
    /// The code as given.
    pub code: String,
    /// Its published value; `None` when the table has no row for it that year.
    pub area: Option<AreaValue>,
}

/// The statistical neighbours' values, mean and median.
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbours {
    /// Each neighbour counted, in the order given.
    pub values: Vec<Neighbour>,
    /// The mean over the neighbours with a number, rounded half away from zero to the published
    /// precision; `None` when none has one.
    pub mean: Option<Figure>,
    /// The same mean, unrounded.
    pub mean_unrounded: Option<f64>,
    /// The median over the neighbours with a number, rounded the same way.
    pub median: Option<Figure>,
    /// How many neighbours have a number ...
    pub with_value: usize,
    /// ... of how many counted.
    pub of: usize,
}

/// A local authority's published value for a measure beside England's, its region's and its
/// statistical neighbours'.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparators {
    /// The measure.
    pub measure: MeasureId,
    /// The reporting year.
    pub year: i32,
    /// The table read.
    pub table: TableId,
    /// The local authority's own value; `None` when the table has no row for it that year.
    pub la: Option<AreaValue>,
    /// England's value.
    pub england: Option<AreaValue>,
    /// The region on the local authority's row (Inner or Outer London for a London borough).
    pub region: Option<AreaValue>,
    /// London as a whole, for a borough whose row names Inner or Outer London; else `None`.
    pub wider_region: Option<AreaValue>,
    /// The statistical neighbours.
    pub neighbours: Neighbours,
}

impl Comparators {
    /// The comparators of local authority `la` (old or new code) for `id` in the reporting year
    /// `year`; `None` when no table read publishes the measure for that year.
    #[must_use]
    pub fn new(
        published: &Published,
        id: MeasureId,
        year: i32,
        la: &str,
        neighbours: &[String],
    ) -> Option<Comparators> {
        let source = source(id)?;
        if !published.has_year(source.table, year) {
            return None;
        }
        let t = source.table;
        let own = published.la(t, year, la);
        let value = |row: Option<&PublishedRow>| row.and_then(|r| AreaValue::of(source, r));
        let region_row = own.and_then(|r| published.region(t, year, &r.region_code));
        let wider = own
            .filter(|r| {
                LONDON_PARTS
                    .iter()
                    .any(|p| r.region_code.eq_ignore_ascii_case(p))
            })
            .and_then(|_| published.region(t, year, LONDON));
        let mut values = Vec::new();
        let mut rows: Vec<&PublishedRow> = own.into_iter().collect();
        for code in neighbours {
            let code = code.trim();
            if code.is_empty() {
                continue;
            }
            let row = published.la(t, year, code);
            if let Some(r) = row {
                if rows.iter().any(|seen| std::ptr::eq(*seen, r)) {
                    continue;
                }
                rows.push(r);
            } else if values.iter().any(|n: &Neighbour| n.code == code) {
                continue;
            }
            values.push(Neighbour {
                code: code.to_owned(),
                area: value(row),
            });
        }
        let numbers: Vec<Number> = values
            .iter()
            .filter_map(|n| n.area.as_ref()?.value.number())
            .collect();
        let scale = numbers
            .iter()
            .map(|n| n.decimals())
            .max()
            .unwrap_or(0)
            .max(source.decimals);
        let mut units: Vec<i128> = numbers
            .iter()
            .map(|n| rescale(i128::from(n.units()), n.decimals(), scale))
            .collect();
        units.sort_unstable();
        let count = units.len();
        let figure =
            |u: i128| Figure::Number(Number::new(i64::try_from(u).unwrap_or(i64::MAX), scale));
        let (mean, median, mean_unrounded) = if count == 0 {
            (None, None, None)
        } else {
            let n = count as i128;
            let sum: i128 = units.iter().sum();
            let mid = if count % 2 == 1 {
                units[count / 2]
            } else {
                ratio_half_away(units[count / 2 - 1] + units[count / 2], 2)
            };
            let exact = numbers.iter().map(|x| x.value()).sum::<f64>() / count as f64;
            (
                Some(figure(ratio_half_away(sum, n))),
                Some(figure(mid)),
                Some(exact),
            )
        };
        Some(Comparators {
            measure: id,
            year,
            table: t,
            la: value(own),
            england: value(published.england(t, year)),
            region: value(region_row),
            wider_region: value(wider),
            neighbours: Neighbours {
                with_value: count,
                of: values.len(),
                values,
                mean,
                mean_unrounded,
                median,
            },
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Reconciliation

/// One figure of a reconciliation: the computed number beside the published one.
#[derive(Clone, Debug, PartialEq)]
pub struct ReconcileLine {
    /// `value`, `numerator`, `denominator`, a band label (`same_day`, `1-10`, ...), or a quartile
    /// (`p25`, `median`, `p75`).
    pub label: String,
    /// The published column, or the formula of a derived figure.
    pub column: String,
    /// The computed figure, unrounded; `None` when the result has none.
    pub computed: Option<f64>,
    /// The computed figure rounded half away from zero to the published figure's precision (or
    /// written with the measure's published decimals when the published figure is a marker).
    pub computed_rounded: Option<Number>,
    /// The published figure, at least at its published precision.
    pub published: Figure,
    /// Do they agree? `None` when the published figure is a marker.
    pub agrees: Option<bool>,
}

/// A computed result lined up with the local authority's own published row.
#[derive(Clone, Debug, PartialEq)]
pub struct Reconciliation {
    /// The measure.
    pub measure: MeasureId,
    /// The reporting year.
    pub year: i32,
    /// The table read.
    pub table: TableId,
    /// The file the row is in.
    pub file: String,
    /// The row's line.
    pub line: u32,
    /// The local authority's `old_la_code`.
    pub old_la_code: String,
    /// Its `new_la_code`.
    pub new_la_code: String,
    /// Its name.
    pub la_name: String,
    /// The figures, in order: value, numerator, denominator, then (for `assessments_45wd`) the
    /// bands and the quartiles.
    pub lines: Vec<ReconcileLine>,
    /// What a reader should know before trusting the comparison: options other than the
    /// defaults DfE follows, the result's warnings, published figures that do not add up.
    pub notes: Vec<String>,
}

impl Reconciliation {
    /// True when there is at least one comparable line and every comparable line agrees.
    #[must_use]
    pub fn agrees(&self) -> bool {
        self.comparable() > 0 && self.lines.iter().all(|l| l.agrees != Some(false))
    }

    /// How many lines can be compared (the published figure is a number).
    #[must_use]
    pub fn comparable(&self) -> usize {
        self.lines.iter().filter(|l| l.agrees.is_some()).count()
    }

    /// The line labelled `label`.
    #[must_use]
    pub fn line(&self, label: &str) -> Option<&ReconcileLine> {
        self.lines.iter().find(|l| l.label == label)
    }
}

impl fmt::Display for Reconciliation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {}, {} {} ({}), table {} ({}:{})",
            self.measure,
            self.year,
            self.la_name,
            self.old_la_code,
            self.new_la_code,
            self.table,
            self.file,
            self.line
        )?;
        for l in &self.lines {
            let computed = l
                .computed_rounded
                .map_or_else(|| "-".to_owned(), |n| n.to_string());
            let agrees = match l.agrees {
                Some(true) => "agrees",
                Some(false) => "DIFFERS",
                None => "not comparable",
            };
            writeln!(
                f,
                "  {:<12} computed {:>10}  published {:>10}  {agrees}",
                l.label, computed, l.published
            )?;
        }
        for n in &self.notes {
            writeln!(f, "  note: {n}")?;
        }
        Ok(())
    }
}

/// A computed figure for a line: the unrounded value, and its exact rational form when it has one
/// (`numerator / denominator` of a percentage, scaled by 100).
#[derive(Clone, Copy)]
struct Computed {
    value: Option<f64>,
    ratio: Option<(u64, u64)>,
}

impl Computed {
    fn plain(value: Option<f64>) -> Computed {
        Computed { value, ratio: None }
    }

    fn rounded(self, decimals: u8) -> Option<Number> {
        if let Some((num, den)) = self.ratio.filter(|&(_, d)| d > 0) {
            let units = ratio_half_away(
                100 * i128::from(num) * 10i128.pow(u32::from(decimals)),
                i128::from(den),
            );
            return i64::try_from(units).ok().map(|u| Number::new(u, decimals));
        }
        Number::round(self.value?, decimals)
    }
}

fn line(
    label: &str,
    column: String,
    computed: Computed,
    published: Figure,
    decimals: u8,
) -> ReconcileLine {
    let published = published.at_least(decimals);
    let (rounded, agrees) = match published {
        Figure::Number(p) => {
            let r = computed.rounded(p.decimals());
            (r, Some(r.is_some_and(|r| r.same_value(p))))
        }
        Figure::Marker(_) => (computed.rounded(decimals), None),
    };
    ReconcileLine {
        label: label.to_owned(),
        column,
        computed: computed.value,
        computed_rounded: rounded,
        published,
        agrees,
    }
}

/// Lines `result` up with local authority `la`'s (old or new code) published row for the result's
/// reporting year: value, numerator and denominator, and for `assessments_45wd` each C2 band and
/// the quartiles.
///
/// `None` when no table read publishes the measure, when the result's period is not exactly the
/// financial year it ends in, or when no table has the local authority's row for that year.
#[must_use]
pub fn reconcile(
    result: &MeasureResult,
    published: &Published,
    la: &str,
) -> Option<Reconciliation> {
    let source = source(result.id)?;
    let year = result.period.end().financial_year();
    if Period::financial_year(year).ok() != Some(result.period) {
        return None;
    }
    let row = published.la(source.table, year, la)?;
    let count = |n: Option<u64>| Computed::plain(n.map(|n| n as f64));
    let ratio = match (result.value_kind(), result.numerator, result.denominator) {
        (ValueKind::Percentage, Some(n), Some(d)) => Some((n, d)),
        _ => None,
    };
    let mut lines = Vec::new();
    if let Some(v) = source.value(row) {
        lines.push(line(
            "value",
            source.value_text(),
            Computed {
                value: result.value,
                ratio,
            },
            v,
            source.decimals,
        ));
    }
    if let Some(n) = source.numerator(row) {
        lines.push(line(
            "numerator",
            source.numerator.join(" + "),
            count(result.numerator),
            n,
            0,
        ));
    }
    if let Some(d) = source.denominator(row) {
        lines.push(line(
            "denominator",
            source.denominator.to_owned(),
            count(result.denominator),
            d,
            0,
        ));
    }
    let mut notes = Vec::new();
    if result.id == MeasureId::Assessments45wd {
        c2_lines(result, row, &mut lines, &mut notes);
    }
    notes.extend(result_notes(result));
    Some(Reconciliation {
        measure: result.id,
        year,
        table: source.table,
        file: row.file().to_owned(),
        line: row.line,
        old_la_code: row.old_la_code.clone(),
        new_la_code: row.new_la_code.clone(),
        la_name: row.la_name.clone(),
        lines,
        notes,
    })
}

/// The C2 lines of `assessments_45wd`: each band, then the quartiles; and a note when the
/// published bands do not add up to `Assessments_completed`.
fn c2_lines(
    result: &MeasureResult,
    row: &PublishedRow,
    lines: &mut Vec<ReconcileLine>,
    notes: &mut Vec<String>,
) {
    let count = |n: Option<u64>| Computed::plain(n.map(|n| n as f64));
    let bands = result.extras.counts("bands");
    for (i, column) in C2_BANDS.iter().enumerate() {
        let label = csc_measures::measure::cin::assessments_45wd::BANDS[i];
        let computed = bands
            .and_then(|b| b.iter().find(|(l, _)| *l == label))
            .map(|(_, n)| *n);
        if let Some(p) = row.figure(column) {
            lines.push(line(label, (*column).to_owned(), count(computed), p, 0));
        }
    }
    let q = result.extras.quartiles("quartiles").unwrap_or_default();
    for (label, column) in C2_QUARTILES {
        let computed = match label {
            "p25" => q.p25,
            "median" => q.median,
            _ => q.p75,
        };
        if let Some(p) = row.figure(column) {
            lines.push(line(
                label,
                column.to_owned(),
                Computed::plain(computed),
                p,
                0,
            ));
        }
    }
    let numbers: Option<Vec<i64>> = C2_BANDS
        .iter()
        .map(|c| row.figure(c).and_then(Figure::number).map(Number::units))
        .collect();
    if let (Some(bands), Some(Figure::Number(total))) =
        (numbers, row.figure("Assessments_completed"))
    {
        let sum: i64 = bands.iter().sum();
        if sum != total.units() {
            notes.push(format!(
                "the published bands add up to {sum}, but Assessments_completed is {total} \
                 (a difference of {}): the value's denominator is Assessments_completed",
                total.units() - sum
            ));
        }
    }
}

/// Notes on the options a result was computed with, where they are not the defaults DfE's
/// figures follow, and on its warnings.
fn result_notes(result: &MeasureResult) -> Vec<String> {
    let mut notes = Vec::new();
    for (key, value) in &result.options {
        let default = result
            .id
            .spec()
            .options
            .iter()
            .find(|d| d.key == *key)
            .map(|d| d.default);
        if default.is_some_and(|d| d != value) {
            notes.push(format!(
                "computed with {key} = {value}; DfE's figures follow the default, {}",
                default.unwrap_or_default()
            ));
        }
    }
    if !result.warnings.is_empty() {
        let w: Vec<&str> = result.warnings.iter().map(|w| w.as_str()).collect();
        notes.push(format!(
            "the computed result has warnings: {}",
            w.join(", ")
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::{Decision, MeasureId, decision};

    #[test]
    fn every_measure_has_a_decision() {
        for &id in MeasureId::ALL {
            assert!(
                decision(id) != Decision::Undecided,
                "{id}: say in published::decision (and the module docs) which table publishes it, if any"
            );
        }
    }

    #[test]
    fn the_module_docs_list_every_measure() {
        let docs: Vec<&str> = include_str!("published.rs")
            .lines()
            .filter(|l| l.starts_with("//! | `"))
            .collect();
        for &id in MeasureId::ALL {
            let cell = format!("//! | `{id}` |");
            let row = docs.iter().find(|l| l.starts_with(&cell));
            let row = row.unwrap_or_else(|| panic!("{id} is missing from the module docs' table"));
            match super::source(id) {
                Some(s) => assert!(row.contains(s.table.as_str()), "{id}: {row}"),
                None => assert!(
                    row.contains("not published in a table read here"),
                    "{id}: {row}"
                ),
            }
        }
        assert_eq!(docs.len(), MeasureId::ALL.len());
    }
}
