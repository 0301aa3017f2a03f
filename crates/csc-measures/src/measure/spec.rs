//! What a measure declares of itself, beside its definition: [`MeasureSpec`].

use super::Cx;
use super::options::OptionDef;
use super::series::Slices;
use crate::day::Day;
use crate::error::Error;
use crate::period::Period;
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Unit, ValueKind};

/// A measure's metadata, declared in its own module as `SPEC` (its module docs are its
/// definition); the registry names the module.
#[derive(Clone, Copy)]
pub struct MeasureSpec {
    /// The stable snake_case id of the spec.
    pub id: &'static str,
    /// The title, as the spec gives it.
    pub title: &'static str,
    /// What it counts.
    pub unit: Unit,
    /// Which direction is better.
    pub polarity: Polarity,
    /// How its value is made.
    pub value_kind: ValueKind,
    /// The return it reads: its period warnings and coverage are judged against that kind.
    pub source: ReturnKind,
    /// The period a scorecard for a year uses.
    pub window: Window,
    /// What it reads of its period, and the tables it needs (spec 3.1).
    pub coverage: Coverage,
    /// The options it reads.
    pub options: &'static [&'static OptionDef],
    /// Its rates per 10,000 children (spec 8); empty when it has none.
    pub rates: &'static [Rate],
    /// What one of its drill-down rows is, and what its `record`, `value`, `start` and `end` hold
    /// (spec 6, 6.1).
    pub rows: RowDoc,
    /// How it is computed ([`Compute`]).
    pub(crate) compute: Compute,
}

impl std::fmt::Debug for MeasureSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeasureSpec")
            .field("id", &self.id)
            .field("unit", &self.unit)
            .field("polarity", &self.polarity)
            .field("value_kind", &self.value_kind)
            .field("source", &self.source)
            .field("window", &self.window)
            .field("coverage", &self.coverage)
            .finish_non_exhaustive()
    }
}

/// What one drill-down row of a measure is, and what its columns hold (spec 6 and 6.1 tables,
/// and the measure's module docs). `record` and `value` are the spec's columns; `start` and `end`
/// are additions after them: the dates a reader needs to check `value` by hand (for durations,
/// `value` is the days or working days from `start` to `end`). A date is empty when it is blank in
/// the data, unknown (the start of a history-truncated period of care) or not reached.
///
/// ```
/// use csc_measures::measure::MeasureId;
/// let rows = MeasureId::AdoptionA1.spec().rows;
/// assert_eq!(rows.record, "adoption `DEC`");
/// assert_eq!(rows.start, Some("entered care: `DECOM` of the period of care's first episode (empty when history-truncated)"));
/// assert!(MeasureId::Referrals.spec().rows.start.is_none());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowDoc {
    /// What one row stands for ("adopted episode", "child counted").
    pub per: &'static str,
    /// What the `record` date is.
    pub record: &'static str,
    /// What `value` is (`"empty"` when the measure leaves it empty).
    pub value: &'static str,
    /// What the `start` date is; `None` when the measure leaves it empty.
    pub start: Option<&'static str>,
    /// What the `end` date is; `None` when the measure leaves it empty.
    pub end: Option<&'static str>,
}

/// How a measure is computed: as facts gathered over a span, then finished for each period
/// ([`Slices`]). `one` computes one period (facts over it, then finish), `many` every period of a
/// series (facts over their span once, then finish each). A measure that cannot share work between
/// periods keeps no facts (`Facts = ()`) and reads the data in finish.
#[derive(Clone, Copy)]
pub(crate) struct Compute {
    pub(crate) one: fn(&Cx<'_>) -> MeasureResult,
    pub(crate) many: fn(&Cx<'_>, &[Period]) -> Vec<MeasureResult>,
}

impl Compute {
    /// The computation of the measure `M`.
    pub(crate) const fn sliced<M: Slices>() -> Compute {
        Compute {
            one: super::series::one::<M>,
            many: super::series::many::<M>,
        }
    }
}

/// A rate per 10,000 children that a measure carries (spec 8): the extra `key`, with the count
/// `of`. A measure with rates also carries the extras `population` and `population_year` (the
/// estimate used, and its mid-year).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// The count divided.
    pub of: RateOf,
    /// The extra that holds the rate.
    pub key: &'static str,
}

/// The count a rate divides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateOf {
    /// The result's numerator (for a count, the count).
    Numerator,
    /// A whole-number extra of the result (`children`, `uasc`).
    Extra(&'static str),
    /// Each count of a counts extra (`factors`): the rate extra holds one rate per label.
    Counts(&'static str),
}

impl Rate {
    /// `rate_per_10000` of the numerator.
    pub const NUMERATOR: Rate = Rate {
        of: RateOf::Numerator,
        key: "rate_per_10000",
    };

    /// `children_rate_per_10000` of the extra `children`.
    pub const CHILDREN: Rate = Rate {
        of: RateOf::Extra("children"),
        key: "children_rate_per_10000",
    };
}

/// The period a scorecard for the year ending 31 March `Y` uses for a measure (spec 6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// The financial year `Y`.
    Year,
    /// The `n` financial years to 31 March `Y` (the adoption scorecard's three years:
    /// `[Y-3-04-01, Y-03-31]`).
    Years(u8),
}

impl Window {
    /// The period of this window for the year ending 31 March `year`.
    ///
    /// ```
    /// use csc_measures::measure::Window;
    /// assert_eq!(Window::Years(3).period(2024)?.to_string(), "2021-04-01..=2024-03-31");
    /// assert_eq!(Window::Year.period(2024)?.to_string(), "2023-04-01..=2024-03-31");
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn period(self, year: i32) -> Result<Period, Error> {
        let fy = Period::financial_year(year)?;
        match self {
            Window::Year => Ok(fy),
            Window::Years(n) => Period::new(Day::from_ymd(year - i32::from(n), 4, 1)?, fy.end()),
        }
    }
}

/// What a measure reads of its period and which tables it needs: what decides `no_data` and
/// `table_missing` (spec 3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// A snapshot reads `period.end` only; every other measure reads every day of its period.
    pub snapshot: bool,
    /// Tables (schema names) beside the base table that a covering return must hold.
    pub requires: &'static [&'static str],
    /// Tables it reads for an extra (or, for `adoption_a2`, for its numbers) without which the
    /// result stands but carries `table_missing`.
    pub reads: &'static [&'static str],
    /// The annual table (OC2, OC3) it reads from the return of spec 2.5: then the period is
    /// covered exactly when that return (collection year = the financial year holding
    /// `period.end`) is loaded and holds the table.
    pub annual: Option<&'static str>,
}

impl Coverage {
    /// Reads every day of its period; needs the base table only.
    pub const PERIOD: Coverage = Coverage {
        snapshot: false,
        requires: &[],
        reads: &[],
        annual: None,
    };

    /// Reads `period.end` only; needs the base table only.
    pub const END: Coverage = Coverage {
        snapshot: true,
        ..Coverage::PERIOD
    };

    /// Reads the annual table `table` from the return of spec 2.5 (a snapshot at `period.end`).
    #[must_use]
    pub const fn annual(table: &'static str) -> Coverage {
        Coverage {
            annual: Some(table),
            ..Coverage::END
        }
    }

    /// The same, needing the tables `tables` too.
    #[must_use]
    pub const fn requires(self, tables: &'static [&'static str]) -> Coverage {
        Coverage {
            requires: tables,
            ..self
        }
    }

    /// The same, reading the tables `tables` for an extra.
    #[must_use]
    pub const fn reads(self, tables: &'static [&'static str]) -> Coverage {
        Coverage {
            reads: tables,
            ..self
        }
    }
}
