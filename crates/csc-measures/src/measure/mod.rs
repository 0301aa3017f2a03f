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

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::calendar::{Calendar, WdError, WorkingDayCount, WorkingDays};
use crate::dataset::Dataset;
use crate::day::Day;
use crate::error::{Error, ErrorKind};
use crate::period::Period;
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Unit, ValueKind, Warning};

macro_rules! registry {
    ($($(#[$doc:meta])* $v:ident = $s:literal, $title:literal, $unit:ident, $pol:ident, $kind:ident, $module:path, [$($opt:literal),*];)*) => {
        /// The stable id of a measure, identical in Rust, C and Python.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum MeasureId {
            $($(#[$doc])* $v,)*
        }

        impl MeasureId {
            /// Every measure, in the spec's order (which is also the drill-down order).
            pub const ALL: &'static [MeasureId] = &[$(MeasureId::$v,)*];

            /// The stable snake_case id.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $(MeasureId::$v => $s,)* }
            }

            /// The title, as the spec gives it.
            #[must_use]
            pub const fn title(self) -> &'static str {
                match self { $(MeasureId::$v => $title,)* }
            }

            /// What the measure counts.
            #[must_use]
            pub const fn unit(self) -> Unit {
                match self { $(MeasureId::$v => Unit::$unit,)* }
            }

            /// Which direction is better.
            #[must_use]
            pub const fn polarity(self) -> Polarity {
                match self { $(MeasureId::$v => Polarity::$pol,)* }
            }

            /// How its value is made.
            #[must_use]
            pub const fn value_kind(self) -> ValueKind {
                match self { $(MeasureId::$v => ValueKind::$kind,)* }
            }

            /// The options it reads.
            #[must_use]
            pub const fn options(self) -> &'static [&'static str] {
                match self { $(MeasureId::$v => &[$($opt),*],)* }
            }

            fn run(self, cx: &Cx<'_>) -> MeasureResult {
                match self { $(MeasureId::$v => { use $module as m; m::compute(cx) })* }
            }
        }
    };
}

registry! {
    /// [`cin::referrals`].
    Referrals = "referrals", "Referrals in the period", Referrals, Neither, Count, cin::referrals, [];
    /// [`cin::re_referrals_12m`].
    ReReferrals12m = "re_referrals_12m", "Re-referrals within 12 months of a previous referral", Referrals, Lower, Percentage, cin::re_referrals_12m, [];
    /// [`cin::assessments_45wd`].
    Assessments45wd = "assessments_45wd", "Assessments completed within 45 working days", Assessments, Higher, Percentage, cin::assessments_45wd, ["working_days", "assessment_clock", "assessment_limit_wd"];
    /// [`cin::icpc_15wd`].
    Icpc15wd = "icpc_15wd", "Initial child protection conferences within 15 working days of the section 47 start", Conferences, Higher, Percentage, cin::icpc_15wd, ["working_days", "icpc_limit_wd"];
    /// [`cin::s47_to_icpc`].
    S47ToIcpc = "s47_to_icpc", "Section 47 enquiries that led to an initial child protection conference", Enquiries, Neither, Percentage, cin::s47_to_icpc, [];
    /// [`cin::cpp_second_or_subsequent`].
    CppSecondOrSubsequent = "cpp_second_or_subsequent", "CP plans starting in the period that were a second or subsequent plan", Plans, Lower, Percentage, cin::cpp_second_or_subsequent, ["previous_plans", "unit"];
    /// [`cin::cpp_repeat_2y`].
    CppRepeat2y = "cpp_repeat_2y", "CP plans starting within 2 years of a previous plan ending", Plans, Lower, Percentage, cin::cpp_repeat_2y, ["unit"];
    /// [`cin::cpp_ended_2y_plus`].
    CppEnded2yPlus = "cpp_ended_2y_plus", "CP plans ending in the period that had lasted 2 years or more", Plans, Lower, Percentage, cin::cpp_ended_2y_plus, [];
    /// [`cin::cpp_open_15m_plus`].
    CppOpen15mPlus = "cpp_open_15m_plus", "CP plans open at the period end that started 15 months or more before it", Plans, Lower, Percentage, cin::cpp_open_15m_plus, [];
    /// [`cin::cin_at_end`].
    CinAtEnd = "cin_at_end", "Children in need at the period end", Children, Neither, Count, cin::cin_at_end, [];
    /// [`cin::cpp_at_end`].
    CppAtEnd = "cpp_at_end", "Children subject of a CP plan at the period end", Children, Neither, Count, cin::cpp_at_end, [];
    /// [`cin::in_assessment_at_end`].
    InAssessmentAtEnd = "in_assessment_at_end", "Children in assessment at the period end", Children, Neither, Count, cin::in_assessment_at_end, [];
    /// [`cla::cla_at_end`].
    ClaAtEnd = "cla_at_end", "Children looked after at the period end (short breaks excluded)", Children, Neither, Count, cla::cla_at_end, [];
    /// [`cla::stability_3plus_placements`].
    Stability3plusPlacements = "stability_3plus_placements", "Children looked after at the period end with 3 or more placements in the period", Children, Lower, Percentage, cla::stability_3plus_placements, [];
    /// [`cla::stability_long_term`].
    StabilityLongTerm = "stability_long_term", "Children under 16 looked after 2.5 years or more, in the same placement for 2 years", Children, Higher, Percentage, cla::stability_long_term, [];
    /// [`adoption::adoption_a1`].
    AdoptionA1 = "adoption_a1", "A1: average days from entering care to moving in with the adoptive family", Days, Lower, MeanDays, adoption::adoption_a1, ["adoption_thresholds"];
    /// [`adoption::adoption_a10`].
    AdoptionA10 = "adoption_a10", "A10: as A1, adjusted for adoptions by the child's foster carer", Days, Lower, MeanDays, adoption::adoption_a10, ["adoption_thresholds"];
    /// [`adoption::adoption_a2`].
    AdoptionA2 = "adoption_a2", "A2: average days from court authority to place to the match with adopters", Days, Lower, MeanDays, adoption::adoption_a2, ["adoption_thresholds"];
    /// [`adoption::adoption_a3`].
    AdoptionA3 = "adoption_a3", "A3: children who waited less than 14 months from entering care to moving in with adopters", Children, Higher, Percentage, adoption::adoption_a3, ["a3_months"];
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

macro_rules! option_enum {
    ($(#[$doc:meta])* $name:ident, $key:literal { $($(#[$vdoc:meta])* $v:ident = $s:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub enum $name {
            #[default]
            $($(#[$vdoc])* $v,)*
        }

        impl $name {
            /// The option value's string.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$v => $s,)* }
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<$name, Error> {
                match s.trim() {
                    $($s => Ok($name::$v),)*
                    _ => Err(Error::new(
                        ErrorKind::InvalidOption,
                        format!(concat!($key, "={:?} is not one of: ", $($s, " "),*), s),
                    )),
                }
            }
        }
    };
}

option_enum! {
    /// Option `assessment_clock`: where the 45-working-day clock starts.
    AssessmentClock, "assessment_clock" {
        /// `AssessmentActualStartDate` (default).
        Start = "start",
        /// The CIN episode's `CINreferralDate`.
        Referral = "referral",
    }
}

option_enum! {
    /// Option `previous_plans`: what makes a plan second or subsequent.
    PreviousPlans, "previous_plans" {
        /// An earlier plan in the data, or `NumberOfPreviousCPP >= 1` (default).
        HistoryOrCount = "history_or_count",
        /// An earlier plan in the data.
        History = "history",
        /// `NumberOfPreviousCPP >= 1`.
        Count = "count",
    }
}

option_enum! {
    /// Option `unit` of the repeat-plan measures.
    PlanUnit, "unit" {
        /// Count plans (default).
        Plans = "plans",
        /// Count children (the former NI 65 reading).
        Children = "children",
    }
}

/// Thresholds of the adoption averages, in days (option `adoption_thresholds`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AdoptionThresholds {
    /// A1: 426 days (14 months).
    pub a1: i64,
    /// A10: 426 days.
    pub a10: i64,
    /// A2: 121 days (4 months).
    pub a2: i64,
}

impl Default for AdoptionThresholds {
    fn default() -> AdoptionThresholds {
        AdoptionThresholds {
            a1: 426,
            a10: 426,
            a2: 121,
        }
    }
}

impl fmt::Display for AdoptionThresholds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a1:{},a10:{},a2:{}", self.a1, self.a10, self.a2)
    }
}

impl FromStr for AdoptionThresholds {
    type Err = Error;

    /// `a1:426,a10:426,a2:121`; any subset, the rest keeping their defaults.
    fn from_str(s: &str) -> Result<AdoptionThresholds, Error> {
        let mut t = AdoptionThresholds::default();
        let bad = || {
            Error::new(
                ErrorKind::InvalidOption,
                format!("adoption_thresholds={s:?} is not like a1:426,a10:426,a2:121"),
            )
        };
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once(':').ok_or_else(bad)?;
            let v: i64 = v.trim().parse().map_err(|_| bad())?;
            match k.trim() {
                "a1" => t.a1 = v,
                "a10" => t.a10 = v,
                "a2" => t.a2 = v,
                _ => return Err(bad()),
            }
        }
        Ok(t)
    }
}

/// The options of every measure (spec 6), with the spec's defaults.
///
/// ```
/// use csc_measures::measure::Options;
/// let mut o = Options::default();
/// o.set("assessment_limit_wd", "40")?;
/// o.set("working_days", "networkdays")?;
/// assert_eq!(o.get("assessment_limit_wd").as_deref(), Some("40"));
/// assert!(o.set("assessment_limit", "40").is_err());
/// # Ok::<(), csc_measures::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `working_days`: the counting convention.
    pub working_days: WorkingDays,
    /// `assessment_clock`.
    pub assessment_clock: AssessmentClock,
    /// `assessment_limit_wd` (default 45).
    pub assessment_limit_wd: Limit<45>,
    /// `icpc_limit_wd` (default 15).
    pub icpc_limit_wd: Limit<15>,
    /// `previous_plans`.
    pub previous_plans: PreviousPlans,
    /// `unit` of the repeat-plan measures.
    pub unit: PlanUnit,
    /// `adoption_thresholds`.
    pub adoption_thresholds: AdoptionThresholds,
    /// `a3_months` (default 14).
    pub a3_months: Limit<14>,
    /// The working-day calendar; `None` is the built-in England and Wales one.
    pub calendar: Option<Arc<Calendar>>,
}

/// A whole-number option with a default of `D`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limit<const D: u32>(pub u32);

impl<const D: u32> Default for Limit<D> {
    fn default() -> Self {
        Limit(D)
    }
}

/// Every option key, in spec order.
pub const OPTION_KEYS: &[&str] = &[
    "working_days",
    "assessment_clock",
    "assessment_limit_wd",
    "icpc_limit_wd",
    "previous_plans",
    "unit",
    "adoption_thresholds",
    "a3_months",
];

impl Options {
    /// Sets option `key` from its string form; an unknown key or a value it does not take is an
    /// [`ErrorKind::InvalidOption`] error naming both.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), Error> {
        let number = |v: &str| {
            v.trim().parse::<u32>().map_err(|_| {
                Error::new(
                    ErrorKind::InvalidOption,
                    format!("{key}={v:?} is not a whole number"),
                )
            })
        };
        match key.trim() {
            "working_days" => self.working_days = value.trim().parse()?,
            "assessment_clock" => self.assessment_clock = value.parse()?,
            "assessment_limit_wd" => self.assessment_limit_wd = Limit(number(value)?),
            "icpc_limit_wd" => self.icpc_limit_wd = Limit(number(value)?),
            "previous_plans" => self.previous_plans = value.parse()?,
            "unit" => self.unit = value.parse()?,
            "adoption_thresholds" => self.adoption_thresholds = value.parse()?,
            "a3_months" => self.a3_months = Limit(number(value)?),
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidOption,
                    format!(
                        "unknown option {key:?}; the options are {}",
                        OPTION_KEYS.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The value in force of option `key`, as a string; `None` for an unknown key.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<String> {
        Some(match key {
            "working_days" => self.working_days.as_str().to_owned(),
            "assessment_clock" => self.assessment_clock.as_str().to_owned(),
            "assessment_limit_wd" => self.assessment_limit_wd.0.to_string(),
            "icpc_limit_wd" => self.icpc_limit_wd.0.to_string(),
            "previous_plans" => self.previous_plans.as_str().to_owned(),
            "unit" => self.unit.as_str().to_owned(),
            "adoption_thresholds" => self.adoption_thresholds.to_string(),
            "a3_months" => self.a3_months.0.to_string(),
            _ => return None,
        })
    }
}

/// What a measure computes against.
pub(crate) struct Cx<'a> {
    pub ds: &'a Dataset,
    pub period: Period,
    pub opts: &'a Options,
    pub cal: &'a Calendar,
}

impl Cx<'_> {
    /// `wd(a, b)` under the convention in force.
    pub fn wd(&self, a: Day, b: Day) -> Result<WorkingDayCount, WdError> {
        self.cal.wd(a, b, self.opts.working_days)
    }

    /// The options `id` reads, with their values.
    pub fn options(&self, id: MeasureId) -> Vec<(&'static str, String)> {
        id.options()
            .iter()
            .map(|&k| (k, self.opts.get(k).unwrap_or_default()))
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

    /// The result of `id` from its drill-down rows, with the period warnings of `kind` (spec 3) and
    /// the measure's own `warnings`.
    pub fn result(
        &self,
        id: MeasureId,
        kind: ReturnKind,
        rows: Vec<crate::result::RecordRow>,
        mut warnings: Vec<Warning>,
        extras: crate::result::Extras,
    ) -> MeasureResult {
        warnings.extend(self.period_warnings(kind));
        MeasureResult::from_rows(id, self.period, self.options(id), rows, warnings, extras)
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
    let cal = options
        .calendar
        .as_deref()
        .unwrap_or_else(|| Calendar::england_and_wales());
    id.run(&Cx {
        ds,
        period,
        opts: options,
        cal,
    })
}

/// Computes every measure in `ids` (all of them when empty), in registry order; with the default
/// `parallel` feature, on all cores.
#[must_use]
pub fn compute_many(
    ds: &Dataset,
    ids: &[MeasureId],
    period: Period,
    options: &Options,
) -> Vec<MeasureResult> {
    let mut ids: Vec<MeasureId> = if ids.is_empty() {
        MeasureId::ALL.to_vec()
    } else {
        ids.to_vec()
    };
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .map(|id| compute(ds, id, period, options))
        .collect()
}
