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
    AdoptionThresholds, AssessmentClock, OptionDef, OptionKind, Options, PlanUnit, PreviousPlans,
};
pub use spec::{MeasureSpec, Rate, RateOf, Window};

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
    ClaAtEnd => cla::cla_at_end,
    Stability3plusPlacements => cla::stability_3plus_placements,
    StabilityLongTerm => cla::stability_long_term,
    AdoptionA1 => adoption::adoption_a1,
    AdoptionA10 => adoption::adoption_a10,
    AdoptionA2 => adoption::adoption_a2,
    AdoptionA3 => adoption::adoption_a3,
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
                    format!("unknown measure {s:?}; the measures are {}", ids.join(", ")),
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

impl Cx<'_> {
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
        let years = self.ds.collection_years(kind);
        let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
            return Vec::new();
        };
        let mut w = Vec::new();
        if Period::financial_year(last).is_ok_and(|p| self.period.end() > p.end()) {
            w.push(Warning::PeriodBeyondData);
        }
        if Period::financial_year(first).is_ok_and(|p| self.period.start() < p.start()) {
            w.push(Warning::PeriodBeforeData);
        }
        w
    }

    /// The measure's result from its drill-down rows, with the period warnings of the return it
    /// reads (spec 3) and its own `warnings`.
    pub fn result(
        &self,
        rows: Vec<crate::result::RecordRow>,
        mut warnings: Vec<Warning>,
        extras: crate::result::Extras,
    ) -> MeasureResult {
        let spec = self.id.spec();
        warnings.extend(self.period_warnings(spec.source));
        // Spec 8: the estimate of the mid-year before the financial year holding the period end.
        let population = self.opts.population();
        let estimate =
            population.and_then(|p| p.for_year_ending(self.period.end().financial_year()));
        if !spec.rates.is_empty() && estimate.is_none() && population.is_some_and(|p| !p.is_empty())
        {
            warnings.push(Warning::PopulationMissing);
        }
        let mut r =
            MeasureResult::from_rows(self.id, self.period, self.options(), rows, warnings, extras);
        if !spec.rates.is_empty() {
            use crate::result::Extra;
            for rate in spec.rates {
                let n = match rate.of {
                    RateOf::Numerator => r.numerator,
                    RateOf::Extra(k) => r.extras.int(k).and_then(|n| u64::try_from(n).ok()),
                };
                let value = n
                    .zip(estimate)
                    .map(|(n, (_, t))| crate::population::rate_per_10000(n, t));
                r.extras.set(rate.key, Extra::Float(value));
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
        let before = self.period.start().add_days(-1);
        if before < from {
            return Some(true);
        }
        // Every financial year from the one holding `from` to the one holding `before` is loaded.
        Some(
            (from.financial_year()..=before.financial_year())
                .all(|y| years.binary_search(&y).is_ok()),
        )
    }
}

/// Computes measure `id` on `ds` over `period`.
#[must_use]
pub fn compute(ds: &Dataset, id: MeasureId, period: Period, options: &Options) -> MeasureResult {
    let cal: &Calendar = match options.calendar() {
        Some(c) => c,
        None => Calendar::england_and_wales(),
    };
    let cx = Cx {
        ds,
        id,
        period,
        opts: options,
        cal,
        working_days: options.typed(id, &options::WORKING_DAYS),
    };
    (id.spec().compute)(&cx)
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
