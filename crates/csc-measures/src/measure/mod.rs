//! The measures: a registry of stable ids ([`MeasureId`]), their typed [`Options`], and
//! [`compute`]. Each measure lives in its own module, whose docs are its definition.
//!
//! ```
//! use csc_measures::measure::{MeasureId, Options, compute};
//! use csc_measures::records::{CinEpisode, CinReturn};
//! use csc_measures::{DatasetBuilder, Period};
//! let mut ret = CinReturn::default();
//! ret.source.collection_year = Some(2024);
//! for (child, date) in [("A", "2023-05-01"), ("A", "2023-11-01"), ("B", "2023-06-01")] {
//!     ret.episodes.push(CinEpisode { child: child.into(), referral_date: date.parse()?, ..Default::default() });
//! }
//! let ds = DatasetBuilder::new().cin(ret).build()?;
//! let year = Period::financial_year(2024)?;
//! let r = compute(&ds, MeasureId::ReReferrals12m, year, &Options::default());
//! assert_eq!((r.numerator, r.denominator), (Some(1), Some(3)));
//! assert_eq!(r.value, Some(100.0 / 3.0));
//! # Ok::<(), csc_measures::Error>(())
//! ```

pub mod adoption;
pub mod cin;
pub mod cla;
pub mod options;
pub mod schedule;
pub mod series;
mod spec;

use std::fmt;
use std::str::FromStr;

use crate::calendar::{Calendar, WdError, WorkingDayCount, WorkingDays};
use crate::dataset::Dataset;
use crate::day::Day;
use crate::error::{Error, ErrorKind};
use crate::period::Period;
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Unit, ValueKind, Warning};

pub use options::{
    AdoptionThresholds, AssessmentClock, CareLeaverAges, FactorUnit, IcpcSources, MissingScope,
    MissingTypes, OptionDef, OptionKind, Options, PlanUnit, PreviousPlans, SdqAges,
    Stability2yCohort,
};
pub use series::compute_series;
pub(crate) use spec::Compute;
pub use spec::{Coverage, MeasureSpec, Rate, RateOf, RowDoc, Window};

/// The registry: one line per measure, naming the module whose `SPEC` declares it. The order is the
/// spec's (and the drill-down's).
macro_rules! registry {
    ($($v:ident => $family:ident::$module:ident,)*) => {
        /// The stable id of a measure, identical in Rust, C and Python.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum MeasureId {
            $(#[doc = concat!("[`", stringify!($family), "::", stringify!($module), "`].")] $v,)*
        }

        impl MeasureId {
            /// Every measure, in the spec's order (which is also the drill-down order).
            pub const ALL: &'static [MeasureId] = &[$(MeasureId::$v,)*];

            /// What its module declares of it.
            #[must_use]
            pub const fn spec(self) -> &'static MeasureSpec {
                match self { $(MeasureId::$v => &$family::$module::SPEC,)* }
            }
        }
    };
}

registry! {
    Referrals => cin::referrals,
    ReReferrals12m => cin::re_referrals_12m,
    Assessments45wd => cin::assessments_45wd,
    Icpc15wd => cin::icpc_15wd,
    S47ToIcpc => cin::s47_to_icpc,
    CppSecondOrSubsequent => cin::cpp_second_or_subsequent,
    CppRepeat2y => cin::cpp_repeat_2y,
    CppEnded2yPlus => cin::cpp_ended_2y_plus,
    CppOpen15mPlus => cin::cpp_open_15m_plus,
    CinAtEnd => cin::cin_at_end,
    CppAtEnd => cin::cpp_at_end,
    InAssessmentAtEnd => cin::in_assessment_at_end,
    ReReferrals12mChildren => cin::re_referrals_12m_children,
    Section47s => cin::section47s,
    Icpcs => cin::icpcs,
    IcpcToCpp => cin::icpc_to_cpp,
    CppStarted => cin::cpp_started,
    CppOpen2yPlus => cin::cpp_open_2y_plus,
    CppReviewsInTimescale => cin::cpp_reviews_in_timescale,
    CinPlanAtEnd => cin::cin_plan_at_end,
    AssessmentFactors => cin::assessment_factors,
    ClaAtEnd => cla::cla_at_end,
    Stability3plusPlacements => cla::stability_3plus_placements,
    StabilityLongTerm => cla::stability_long_term,
    AdoptionA1 => adoption::adoption_a1,
    AdoptionA10 => adoption::adoption_a10,
    AdoptionA2 => adoption::adoption_a2,
    AdoptionA3 => adoption::adoption_a3,
    ClaStarted => cla::cla_started,
    ClaCeased => cla::cla_ceased,
    ClaCeasedAdopted => cla::cla_ceased_adopted,
    ClaCeasedSgo => cla::cla_ceased_sgo,
    ClaCeasedCao => cla::cla_ceased_cao,
    ClaCeasedReturnedHome => cla::cla_ceased_returned_home,
    ClaUascAtEnd => cla::cla_uasc_at_end,
    Stability3plusPlacements2y => cla::stability_3plus_placements_2y,
    PlacedFosterAtEnd => cla::placed_foster_at_end,
    PlacedChildrensHomesAtEnd => cla::placed_childrens_homes_at_end,
    PlacedSupportedAtEnd => cla::placed_supported_at_end,
    ClaReviewsOnTime => cla::cla_reviews_on_time,
    HealthAssessments => cla::health_assessments,
    DentalChecks => cla::dental_checks,
    Immunisations => cla::immunisations,
    HealthChecksUnder5 => cla::health_checks_under_5,
    SdqAverage => cla::sdq_average,
    CareLeaversEet1718 => cla::care_leavers_eet_17_18,
    CareLeaversEet1921 => cla::care_leavers_eet_19_21,
    CareLeaversAccommodation1718 => cla::care_leavers_accommodation_17_18,
    CareLeaversAccommodation1921 => cla::care_leavers_accommodation_19_21,
    CareLeaversInTouch => cla::care_leavers_in_touch,
    MissingChildren => cla::missing_children,
    MissingIncidents => cla::missing_incidents,
    Sw3plus => cla::sw_3plus,
    AdoptionDecisionToMatch => adoption::adoption_decision_to_match,
}

impl MeasureId {
    /// The stable snake_case id.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        self.spec().id
    }

    /// The title, as the spec gives it.
    #[must_use]
    pub const fn title(self) -> &'static str {
        self.spec().title
    }

    /// Does it read the option `def`?
    #[must_use]
    pub fn reads(self, def: &options::OptionDef) -> bool {
        self.spec().options.iter().any(|o| o.key == def.key)
    }

    /// What the measure counts.
    #[must_use]
    pub const fn unit(self) -> Unit {
        self.spec().unit
    }

    /// Which direction is better.
    #[must_use]
    pub const fn polarity(self) -> Polarity {
        self.spec().polarity
    }

    /// How its value is made.
    #[must_use]
    pub const fn value_kind(self) -> ValueKind {
        self.spec().value_kind
    }

    /// The keys of the options it reads.
    #[must_use]
    pub fn options(self) -> Vec<&'static str> {
        self.spec().options.iter().map(|d| d.key).collect()
    }
}

impl fmt::Display for MeasureId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MeasureId {
    type Err = Error;

    fn from_str(s: &str) -> Result<MeasureId, Error> {
        MeasureId::ALL
            .iter()
            .copied()
            .find(|m| m.as_str() == s.trim())
            .ok_or_else(|| {
                let ids: Vec<&str> = MeasureId::ALL.iter().map(|m| m.as_str()).collect();
                Error::new(
                    ErrorKind::UnknownMeasure,
                    format!(
                        "unknown measure {:?}; the measures are {}",
                        crate::quality::Echo(s),
                        ids.join(", ")
                    ),
                )
            })
    }
}

/// What a measure computes against.
pub(crate) struct Cx<'a> {
    pub ds: &'a Dataset,
    pub id: MeasureId,
    pub period: Period,
    pub opts: &'a Options,
    pub cal: &'a Calendar,
    working_days: WorkingDays,
}

impl<'a> Cx<'a> {
    /// The context of measure `id` over `period`.
    fn new(ds: &'a Dataset, id: MeasureId, period: Period, opts: &'a Options) -> Cx<'a> {
        let cal: &Calendar = match opts.calendar() {
            Some(c) => c,
            None => Calendar::england_and_wales(),
        };
        Cx {
            ds,
            id,
            period,
            opts,
            cal,
            working_days: opts.typed(id, &options::WORKING_DAYS),
        }
    }

    /// The same context over another period.
    pub(crate) fn with_period(&self, period: Period) -> Cx<'a> {
        Cx { period, ..*self }
    }

    /// `wd(a, b)` under the convention in force.
    pub fn wd(&self, a: Day, b: Day) -> Result<WorkingDayCount, WdError> {
        self.cal.wd(a, b, self.working_days)
    }

    /// The value in force of option `opt` for this measure.
    pub fn opt<T: options::OptionValue>(&self, opt: &options::Opt<T>) -> T {
        self.opts.typed(self.id, opt)
    }

    /// The options this measure reads, with their values.
    pub fn options(&self) -> Vec<(&'static str, String)> {
        self.id
            .spec()
            .options
            .iter()
            .map(|d| (d.key, self.opts.value(self.id, d).to_owned()))
            .collect()
    }

    /// `period_beyond_data` and `period_before_data` against the loaded returns of `kind` with a
    /// known collection year (none loaded: no warning).
    pub fn period_warnings(&self, kind: ReturnKind) -> Vec<Warning> {
        let mut years = self
            .ds
            .returns()
            .iter()
            .filter(|r| r.kind == kind)
            .filter_map(|r| r.collection_year);
        let Some(y) = years.next() else {
            return Vec::new();
        };
        let (first, last) = years.fold((y, y), |(a, b), y| (a.min(y), b.max(y)));
        // The period ends after financial year `last` (`[last-1-04-01, last-03-31]`) exactly when
        // its end's financial year is later, and starts before `first` when its start's is
        // earlier; a year outside 2..=9999 is no financial year.
        let mut w = Vec::new();
        if is_financial_year(last) && self.period.end().financial_year() > last {
            w.push(Warning::PeriodBeyondData);
        }
        if is_financial_year(first) && self.period.start().financial_year() < first {
            w.push(Warning::PeriodBeforeData);
        }
        w
    }

    /// The measure's result from its drill-down rows, with the period warnings of the return it
    /// reads (spec 3) and its own `warnings`.
    pub fn result(
        &self,
        rows: Vec<crate::result::RecordRow>,
        warnings: Vec<Warning>,
        extras: crate::result::Extras,
    ) -> MeasureResult {
        self.make_result(rows, false, warnings, extras)
    }

    /// [`Cx::result`] from rows already in spec 6.1 order (a measure that keeps its facts in the
    /// order of their rows): the same result, without sorting the rows.
    pub fn result_ordered(
        &self,
        rows: Vec<crate::result::RecordRow>,
        warnings: Vec<Warning>,
        extras: crate::result::Extras,
    ) -> MeasureResult {
        self.make_result(rows, true, warnings, extras)
    }

    fn make_result(
        &self,
        rows: Vec<crate::result::RecordRow>,
        ordered: bool,
        mut warnings: Vec<Warning>,
        extras: crate::result::Extras,
    ) -> MeasureResult {
        let spec = self.id.spec();
        warnings.extend(self.period_warnings(spec.source));
        // Spec 8: the estimate of the mid-year before the financial year holding the period end;
        // the caller's population input, else the one that came with the returns (the sample's).
        let population = self
            .opts
            .population()
            .or_else(|| self.ds.population().map(|p| &**p));
        let estimate =
            population.and_then(|p| p.for_year_ending(self.period.end().financial_year()));
        if !spec.rates.is_empty() && estimate.is_none() && population.is_some_and(|p| !p.is_empty())
        {
            warnings.push(Warning::PopulationMissing);
        }
        let mut r = if ordered {
            MeasureResult::from_ordered_rows(
                self.id,
                self.period,
                self.options(),
                rows,
                warnings,
                extras,
            )
        } else {
            MeasureResult::from_rows(self.id, self.period, self.options(), rows, warnings, extras)
        };
        if !spec.rates.is_empty() {
            use crate::result::Extra;
            let rate = |n: Option<u64>| {
                n.zip(estimate)
                    .map(|(n, (_, t))| crate::population::rate_per_10000(n, t))
            };
            for def in spec.rates {
                let value = match def.of {
                    RateOf::Numerator => Extra::Float(rate(r.numerator)),
                    RateOf::Extra(k) => {
                        Extra::Float(rate(r.extras.int(k).and_then(|n| u64::try_from(n).ok())))
                    }
                    RateOf::Counts(k) => match (r.extras.counts(k), estimate) {
                        (Some(counts), Some(_)) => {
                            Extra::Floats(counts.iter().map(|&(l, n)| (l, rate(Some(n)))).collect())
                        }
                        _ => Extra::Null,
                    },
                };
                r.extras.set(def.key, value);
            }
            r.extras
                .set("population", Extra::Int(estimate.map(|(_, t)| t as i64)));
            r.extras.set(
                "population_year",
                Extra::Int(estimate.map(|(y, _)| i64::from(y))),
            );
        }
        r
    }

    /// The data start `L(D)` of `kind` (spec 2.6): with `Y1` the latest loaded collection year of
    /// that kind (known years only) whose first day is on or before `d`, the first day of the
    /// earliest year `Y0` such that every year from `Y0` to `Y1` is loaded. `None` when there is no
    /// such `Y1`: histories are then taken as complete.
    pub fn data_start(&self, kind: ReturnKind, d: Day) -> Option<Day> {
        let years = self.ds.collection_years(kind);
        let y1 = years
            .iter()
            .copied()
            .filter(|&y| Day::from_ymd(y - 1, 4, 1).is_ok_and(|first| first <= d))
            .max()?;
        let mut y0 = y1;
        while years.binary_search(&(y0 - 1)).is_ok() {
            y0 -= 1;
        }
        Day::from_ymd(y0 - 1, 4, 1).ok()
    }

    /// `insufficient_history` unless the loaded returns of `kind` cover `[from, period.start)`; when
    /// no return of that kind has a known collection year, unless `earliest` (the earliest date of
    /// the records the measure looks back over) is on or before `from`.
    pub fn history_warning(
        &self,
        kind: ReturnKind,
        from: Day,
        earliest: Option<Day>,
    ) -> Option<Warning> {
        let covered = self
            .covers_history(kind, from)
            .unwrap_or_else(|| earliest.is_some_and(|e| e <= from));
        (!covered).then_some(Warning::InsufficientHistory)
    }

    /// Do the loaded returns of `kind` cover every day of `[from, period.start)`? `None` when no
    /// return of that kind has a known collection year.
    pub fn covers_history(&self, kind: ReturnKind, from: Day) -> Option<bool> {
        let years = self.ds.collection_years(kind);
        if years.is_empty() {
            return None;
        }
        Some(years_cover(&years, from, self.period.start().add_days(-1)))
    }
}

/// Is `y` a year [`Period::financial_year`] accepts (2 to 9999; a test checks they agree)?
fn is_financial_year(y: i32) -> bool {
    (2..=9999).contains(&y)
}

/// Do the collection `years` (sorted) cover every day of `[a, b]` (spec 2.6): is every financial
/// year from the one holding `a` to the one holding `b` among them? An empty range is covered.
pub(crate) fn years_cover(years: &[i32], a: Day, b: Day) -> bool {
    a > b || (a.financial_year()..=b.financial_year()).all(|y| years.binary_search(&y).is_ok())
}

/// Computes measure `id` on `ds` over `period`.
#[must_use]
pub fn compute(ds: &Dataset, id: MeasureId, period: Period, options: &Options) -> MeasureResult {
    let cx = Cx::new(ds, id, period, options);
    finalize(ds, id, (id.spec().compute.one)(&cx))
}

/// A measure's result as it stands once the coverage of its period is known (spec 3.1): `no_data`
/// when the loaded returns do not cover it, else with `table_missing` when a return lacks a table.
pub(crate) fn finalize(ds: &Dataset, id: MeasureId, mut r: MeasureResult) -> MeasureResult {
    match coverage(ds, id.spec(), r.period) {
        Covered::No => r.make_no_data(),
        Covered::Yes { table_missing } => {
            if table_missing {
                r.warnings.push(Warning::TableMissing);
                r.warnings.sort_unstable();
                r.warnings.dedup();
            }
        }
    }
    r
}

/// Whether the loaded returns cover a measure's period (spec 3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Covered {
    /// No: the result is `no_data`.
    No,
    /// Yes; `table_missing` when a return it reads lacks a table it needs.
    Yes { table_missing: bool },
}

/// Spec 3.1. A loaded return of the kind the measure reads, with a known collection year `Y`,
/// covers the days of `Y` when it has a usable base-table row; the period is covered when such a
/// return covers a day the measure reads (`period.end` for a snapshot, else any day of the
/// period) and holds every table the measure requires. When no return of the kind has a known
/// year, any return of the kind with a usable base-table row and the required tables covers it.
/// An annual-table measure (OC2, OC3) is covered exactly when the return of spec 2.5 is loaded and
/// holds its table (never when no year is known).
/// `table_missing`: covered, but a return of the kind whose year holds a day the measure reads
/// (any return of the kind, when no year is known) lacks a table it requires or reads.
fn coverage(ds: &Dataset, spec: &MeasureSpec, period: Period) -> Covered {
    let cov = spec.coverage;
    let of_kind = || ds.returns().iter().filter(|r| r.kind == spec.source);
    if let Some(table) = cov.annual {
        let y = period.end().financial_year();
        let held = of_kind().any(|r| r.collection_year == Some(y) && r.holds(table));
        return if held {
            Covered::Yes {
                table_missing: false,
            }
        } else {
            Covered::No
        };
    }
    let known = of_kind().any(|r| r.collection_year.is_some());
    // Financial year `y` (`[y-1-04-01, y-03-31]`) holds a day exactly when it is the day's
    // financial year: the years read are those of the period end (a snapshot), or from that of its
    // start to that of its end.
    let (first, last) = (
        period.start().financial_year(),
        period.end().financial_year(),
    );
    let reads_year = |r: &crate::dataset::ReturnInfo| {
        if !known {
            return true;
        }
        let Some(y) = r.collection_year.filter(|&y| is_financial_year(y)) else {
            return false;
        };
        if cov.snapshot {
            y == last
        } else {
            first <= y && y <= last
        }
    };
    let has_all =
        |r: &crate::dataset::ReturnInfo, tables: &[&str]| tables.iter().all(|t| r.holds(t));
    let covered = of_kind().any(|r| r.covers && reads_year(r) && has_all(r, cov.requires));
    if !covered {
        return Covered::No;
    }
    let table_missing = of_kind()
        .filter(|r| reads_year(r))
        .any(|r| !has_all(r, cov.requires) || !has_all(r, cov.reads));
    Covered::Yes { table_missing }
}

/// The measures `ids` names, in registry order without repeats; every measure when it names none.
#[must_use]
pub fn selected(ids: &[MeasureId]) -> Vec<MeasureId> {
    let mut ids: Vec<MeasureId> = if ids.is_empty() {
        MeasureId::ALL.to_vec()
    } else {
        ids.to_vec()
    };
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Computes every measure in `ids` (all of them when empty), in registry order, one after another.
#[must_use]
pub fn compute_many(
    ds: &Dataset,
    ids: &[MeasureId],
    period: Period,
    options: &Options,
) -> Vec<MeasureResult> {
    selected(ids)
        .into_iter()
        .map(|id| compute(ds, id, period, options))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn financial_years_are_the_periods() {
        for y in -5..=10_005 {
            assert_eq!(
                is_financial_year(y),
                Period::financial_year(y).is_ok(),
                "{y}"
            );
        }
    }

    #[test]
    fn every_spec_is_its_own() {
        let mut ids = std::collections::HashSet::new();
        for &id in MeasureId::ALL {
            let s = id.spec();
            assert!(ids.insert(s.id), "{}", s.id);
            assert_eq!(s.id.parse::<MeasureId>().unwrap(), id);
            assert!(
                s.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            );
            assert!(!s.title.is_empty());
            for d in s.options {
                assert_eq!(options::option(d.key), Some(*d), "{}: {}", s.id, d.key);
            }
        }
    }
}
