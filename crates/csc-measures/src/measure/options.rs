//! The options of the measures (spec 6, 6.1), declared as data: each is an [`OptionDef`] (key,
//! the values it takes, default, one line of doc), and a measure lists the options it reads in its
//! [`MeasureSpec`](super::MeasureSpec). Parsing ([`Options::set`]), the values in force
//! ([`Options::get`]), the catalogue every surface documents ([`OPTIONS`]) and the options a result
//! lists all come from these declarations.
//!
//! A key sets the option for every measure that reads it; `measure.key` (for example
//! `cpp_repeat_2y.unit=children`) sets it for that measure only, and wins over the bare key. So two
//! measures that read options of the same name never need them to agree.
//!
//! ```
//! use csc_measures::measure::{MeasureId, Options, options};
//! let mut o = Options::default();
//! o.set("assessment_limit_wd", "40")?;
//! o.set("cpp_repeat_2y.unit", "children")?;
//! assert_eq!(o.get("assessment_limit_wd").as_deref(), Some("40"));
//! assert_eq!(o.value(MeasureId::CppRepeat2y, &options::UNIT.def), "children");
//! assert_eq!(o.value(MeasureId::CppSecondOrSubsequent, &options::UNIT.def), "plans");
//! assert!(o.set("assessment_limit", "40").is_err());
//! assert!(o.set("referrals.unit", "children").is_err()); // referrals reads no `unit`
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;
use std::sync::Arc;

use super::MeasureId;
use crate::calendar::{Calendar, WorkingDays};
use crate::error::{Error, ErrorKind};
use crate::population::Population;
use crate::quality::Echo;

/// What values an option takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A whole number from `min` to `max`.
    Whole {
        /// The least value.
        min: u32,
        /// The greatest value.
        max: u32,
    },
    /// `a1:N,a10:N,a2:N` (any subset), in days.
    Thresholds,
}

impl OptionKind {
    /// The values, for people: `after_start, networkdays, busday_count`, `a whole number from 0
    /// to 1000`, ...
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            OptionKind::Choice(v) => v.join(", "),
            OptionKind::Whole { min, max } => format!("a whole number from {min} to {max}"),
            OptionKind::Thresholds => {
                "a1:DAYS,a10:DAYS,a2:DAYS (any of them; each from 0 to 3650)".to_owned()
            }
        }
    }
}

/// One option, as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionDef {
    /// The key (spec 6, 6.1).
    pub key: &'static str,
    /// What it does, one line.
    pub doc: &'static str,
    /// The values it takes.
    pub kind: OptionKind,
    /// The default, as a value it takes.
    pub default: &'static str,
}

impl OptionDef {
    /// The measures that read this option, in registry order.
    pub fn read_by(&self) -> impl Iterator<Item = MeasureId> + '_ {
        MeasureId::ALL.iter().copied().filter(|m| m.reads(self))
    }

    /// Checks `value` and gives it in its normal form (trimmed; a whole number without leading
    /// zeros; thresholds with all three given), or an [`ErrorKind::InvalidOption`] error naming the
    /// key and the values it takes.
    pub fn normalise(&self, value: &str) -> Result<String, Error> {
        let v = value.trim();
        let bad = || {
            Error::new(
                ErrorKind::InvalidOption,
                format!(
                    "{}={:?} is not a value it takes ({})",
                    self.key,
                    Echo(value),
                    self.kind.describe()
                ),
            )
        };
        match self.kind {
            OptionKind::Choice(words) => words
                .iter()
                .find(|w| **w == v)
                .map(|w| (*w).to_owned())
                .ok_or_else(bad),
            OptionKind::Whole { min, max } => v
                .parse::<u32>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .map(|n| n.to_string())
                .ok_or_else(bad),
            // Its own error: the threshold out of range, or the shape it must have.
            OptionKind::Thresholds => v.parse::<AdoptionThresholds>().map(|t| t.to_string()),
        }
    }
}

/// An option of a Rust type `T`: its declaration, and the parse from its normal form.
pub struct Opt<T> {
    /// The declaration.
    pub def: OptionDef,
    _t: PhantomData<fn() -> T>,
}

impl<T> Opt<T> {
    const fn new(def: OptionDef) -> Opt<T> {
        Opt {
            def,
            _t: PhantomData,
        }
    }
}

const fn choice(
    key: &'static str,
    doc: &'static str,
    values: &'static [&'static str],
) -> OptionDef {
    OptionDef {
        key,
        doc,
        kind: OptionKind::Choice(values),
        default: values[0],
    }
}

const fn whole(key: &'static str, doc: &'static str, default: &'static str, max: u32) -> OptionDef {
    OptionDef {
        key,
        doc,
        kind: OptionKind::Whole { min: 0, max },
        default,
    }
}

/// `working_days`: how working days are counted (spec 1.3).
pub static WORKING_DAYS: Opt<WorkingDays> = Opt::new(choice(
    "working_days",
    "How working days from a to b are counted: after_start counts a < d <= b (same day = 0), networkdays is Excel's NETWORKDAYS minus one, busday_count counts a <= d < b (numpy)",
    &["after_start", "networkdays", "busday_count"],
));

/// `assessment_clock`: where the 45-working-day clock starts.
pub static ASSESSMENT_CLOCK: Opt<AssessmentClock> = Opt::new(choice(
    "assessment_clock",
    "Where an assessment's clock starts: its AssessmentActualStartDate (start) or its CIN episode's CINreferralDate (referral)",
    &["start", "referral"],
));

/// `assessment_limit_wd`: the assessment timescale in working days.
pub static ASSESSMENT_LIMIT_WD: Opt<u32> = Opt::new(whole(
    "assessment_limit_wd",
    "The assessment timescale, in working days",
    "45",
    1000,
));

/// `icpc_limit_wd`: the conference timescale in working days.
pub static ICPC_LIMIT_WD: Opt<u32> = Opt::new(whole(
    "icpc_limit_wd",
    "The initial conference timescale from the section 47 start, in working days",
    "15",
    1000,
));

/// `previous_plans`: what makes a plan second or subsequent.
pub static PREVIOUS_PLANS: Opt<PreviousPlans> = Opt::new(choice(
    "previous_plans",
    "What makes a CP plan second or subsequent: an earlier plan in the data or NumberOfPreviousCPP >= 1 (history_or_count), only the former (history), only the latter (count)",
    &["history_or_count", "history", "count"],
));

/// `unit`: plans or children, for the repeat-plan measures.
pub static UNIT: Opt<PlanUnit> = Opt::new(choice(
    "unit",
    "What the repeat-plan measures count: plans, or children (the former NI 65 reading)",
    &["plans", "children"],
));

/// `adoption_thresholds`: the thresholds of the adoption averages.
pub static ADOPTION_THRESHOLDS: Opt<AdoptionThresholds> = Opt::new(OptionDef {
    key: "adoption_thresholds",
    doc: "The thresholds of A1, A10 and A2, in days (the adoption scorecard's 14 months and 4 months)",
    kind: OptionKind::Thresholds,
    default: "a1:426,a10:426,a2:121",
});

/// `a3_months`: the A3 timescale in months.
pub static A3_MONTHS: Opt<u32> = Opt::new(whole(
    "a3_months",
    "A3's timescale from entering care to moving in with the adoptive family, in months",
    "14",
    120,
));

/// `icpc_sources`: which records hold initial conferences (spec 4.1, `icpcs`, `icpc_to_cpp`).
pub static ICPC_SOURCES: Opt<IcpcSources> = Opt::new(choice(
    "icpc_sources",
    "Which records hold initial conferences: section 47 enquiries and CIN episodes (a transfer-in conference recorded at CIN level) (s47_and_transfer_in), or section 47 enquiries only (s47)",
    &["s47_and_transfer_in", "s47"],
));

/// `factor_unit`: what `assessment_factors` counts (spec 4.1).
pub static FACTOR_UNIT: Opt<FactorUnit> = Opt::new(choice(
    "factor_unit",
    "What assessment_factors counts: CIN episodes with an assessment authorised in the period, their factors together (episodes, DfE C3), or the assessments themselves (assessments)",
    &["episodes", "assessments"],
));

/// `stability_2y_cohort`: who is in `stability_3plus_placements_2y` (spec 5.1).
pub static STABILITY_2Y_COHORT: Opt<Stability2yCohort> = Opt::new(choice(
    "stability_2y_cohort",
    "Who stability_3plus_placements_2y looks at: children looked after at both year ends (both_year_ends, DfE), or in one period of care throughout the two years (continuous)",
    &["both_year_ends", "continuous"],
));

/// `cla_first_review_wd`: the first looked-after review's timescale in working days.
pub static CLA_FIRST_REVIEW_WD: Opt<u32> = Opt::new(whole(
    "cla_first_review_wd",
    "The first review of a child looked after is due within this many working days of the start of care",
    "20",
    1000,
));

/// `missing_types`: which incidents the missing measures count.
pub static MISSING_TYPES: Opt<MissingTypes> = Opt::new(choice(
    "missing_types",
    "Which incidents the missing measures count: missing (M), away from placement without authorisation (A), or both",
    &["missing", "away", "missing_or_away"],
));

/// `missing_scope`: which incidents are in a period.
pub static MISSING_SCOPE: Opt<MissingScope> = Opt::new(choice(
    "missing_scope",
    "Which incidents are in the period: those starting in it or still going on its first day (overlapping), or those starting in it (starting)",
    &["overlapping", "starting"],
));

/// `sdq_ages`: the ages `sdq_average` looks at (spec 5.1).
pub static SDQ_AGES: Opt<SdqAges> = Opt::new(choice(
    "sdq_ages",
    "The ages at the period end of the children sdq_average looks at: 5 to 16 (5_16, DfE) or 4 to 16 (4_16)",
    &["5_16", "4_16"],
));

/// `care_leaver_ages`: the age group of `care_leavers_in_touch` (spec 5.1).
pub static CARE_LEAVER_AGES: Opt<CareLeaverAges> = Opt::new(choice(
    "care_leaver_ages",
    "The ages in the collection year of the care leavers care_leavers_in_touch looks at: 19 to 21 (19_21), 17 or 18 (17_18), or 17 to 21 (17_21)",
    &["19_21", "17_18", "17_21"],
));

/// Every option, in the spec's order.
pub static OPTIONS: &[&OptionDef] = &[
    &WORKING_DAYS.def,
    &ASSESSMENT_CLOCK.def,
    &ASSESSMENT_LIMIT_WD.def,
    &ICPC_LIMIT_WD.def,
    &PREVIOUS_PLANS.def,
    &UNIT.def,
    &ADOPTION_THRESHOLDS.def,
    &A3_MONTHS.def,
    &ICPC_SOURCES.def,
    &FACTOR_UNIT.def,
    &STABILITY_2Y_COHORT.def,
    &CLA_FIRST_REVIEW_WD.def,
    &SDQ_AGES.def,
    &MISSING_TYPES.def,
    &MISSING_SCOPE.def,
    &CARE_LEAVER_AGES.def,
];

/// The declaration of option `key` (a bare key).
#[must_use]
pub fn option(key: &str) -> Option<&'static OptionDef> {
    OPTIONS.iter().copied().find(|d| d.key == key.trim())
}

/// The title of measure `id` as it reads under the options in force, `in_force` as a result lists
/// them ([`MeasureResult::options`](crate::result::MeasureResult::options)): a title that names
/// a timescale an option sets (`assessments_45wd`'s "45 working days", `icpc_15wd`'s "15 working
/// days", `adoption_a3`'s "14 months") names the value in force, so that a table computed with
/// `assessment_limit_wd=20` never says "within 45 working days". Under the defaults, or for a
/// measure whose title names no option, it is [`MeasureId::title`]. Every renderer that shows a
/// result's title (CSV, JSON, the HTML scorecard, Arrow) shows this one; the catalogue of
/// measures (`csc-measures compute --measure list`, `csc-measures measures`) shows the titles
/// under the defaults.
///
/// ```
/// use csc_measures::measure::{MeasureId, options};
/// let id = MeasureId::Assessments45wd;
/// assert_eq!(options::title(id, &[]), "Assessments completed within 45 working days");
/// let twenty = [("assessment_limit_wd", "20".to_owned())];
/// assert_eq!(options::title(id, &twenty), "Assessments completed within 20 working days");
/// let one = [("a3_months", "1".to_owned())];
/// assert!(options::title(MeasureId::AdoptionA3, &one).contains("less than 1 month from"));
/// # Ok::<(), csc_measures::Error>(())
/// ```
#[must_use]
pub fn title(id: MeasureId, in_force: &[(&str, String)]) -> std::borrow::Cow<'static, str> {
    let mut title = std::borrow::Cow::Borrowed(id.title());
    for (key, value) in in_force {
        let Some(def) = option(key) else { continue };
        if !matches!(def.kind, OptionKind::Whole { .. }) || *value == def.default {
            continue;
        }
        let (one, many) = if def.key.ends_with("_wd") {
            ("working day", "working days")
        } else if def.key.ends_with("_months") {
            ("month", "months")
        } else {
            continue;
        };
        let named = format!("{} {many}", def.default);
        if title.contains(&named) {
            let noun = if value == "1" { one } else { many };
            title = std::borrow::Cow::Owned(title.replacen(&named, &format!("{value} {noun}"), 1));
        }
    }
    title
}

/// A value an option can be read as.
pub trait OptionValue: Sized {
    /// Reads the option's normal form.
    fn read(s: &str) -> Option<Self>;
}

impl OptionValue for u32 {
    fn read(s: &str) -> Option<u32> {
        s.parse().ok()
    }
}

impl OptionValue for WorkingDays {
    fn read(s: &str) -> Option<WorkingDays> {
        s.parse().ok()
    }
}

macro_rules! option_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $v:ident = $s:literal,)* }) => {
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

        impl OptionValue for $name {
            fn read(s: &str) -> Option<$name> {
                match s {
                    $($s => Some($name::$v),)*
                    _ => None,
                }
            }
        }
    };
}

option_enum! {
    /// Option `assessment_clock`: where the 45-working-day clock starts.
    AssessmentClock {
        /// `AssessmentActualStartDate` (default).
        Start = "start",
        /// The CIN episode's `CINreferralDate`.
        Referral = "referral",
    }
}

option_enum! {
    /// Option `previous_plans`: what makes a plan second or subsequent.
    PreviousPlans {
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
    PlanUnit {
        /// Count plans (default).
        Plans = "plans",
        /// Count children (the former NI 65 reading).
        Children = "children",
    }
}

option_enum! {
    /// Option `icpc_sources`: which records hold initial conferences.
    IcpcSources {
        /// Section 47 enquiries and CIN episodes (default).
        S47AndTransferIn = "s47_and_transfer_in",
        /// Section 47 enquiries only.
        S47 = "s47",
    }
}

option_enum! {
    /// Option `factor_unit` of `assessment_factors`.
    FactorUnit {
        /// CIN episodes, their assessments' factors together (default).
        Episodes = "episodes",
        /// Assessments, each with its own factors.
        Assessments = "assessments",
    }
}

option_enum! {
    /// Option `stability_2y_cohort`.
    Stability2yCohort {
        /// Looked after at both year ends (default).
        BothYearEnds = "both_year_ends",
        /// In one period of care throughout the window.
        Continuous = "continuous",
    }
}

option_enum! {
    /// Option `missing_types`.
    MissingTypes {
        /// `MISSING` M (default).
        Missing = "missing",
        /// `MISSING` A.
        Away = "away",
        /// Both.
        MissingOrAway = "missing_or_away",
    }
}

option_enum! {
    /// Option `missing_scope`.
    MissingScope {
        /// Starting in the period, or still going on its first day (default).
        Overlapping = "overlapping",
        /// Starting in the period.
        Starting = "starting",
    }
}

option_enum! {
    /// Option `sdq_ages` of `sdq_average`.
    SdqAges {
        /// Aged 5 to 16 at the period end (default).
        Ages5To16 = "5_16",
        /// Aged 4 to 16 at the period end.
        Ages4To16 = "4_16",
    }
}

option_enum! {
    /// Option `care_leaver_ages` of `care_leavers_in_touch`.
    CareLeaverAges {
        /// Aged 19, 20 or 21 in the collection year (default).
        Ages19To21 = "19_21",
        /// Aged 17 or 18 in the collection year.
        Ages17To18 = "17_18",
        /// Aged 17 to 21 in the collection year.
        Ages17To21 = "17_21",
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

impl AdoptionThresholds {
    /// The greatest threshold an option may give, in days: ten years, well past any adoption
    /// timescale. A threshold above it, or below 0, is an [`ErrorKind::InvalidOption`] error
    /// naming the option, the value and the range, as every numeric option's is.
    ///
    /// ```
    /// use csc_measures::measure::Options;
    /// let mut o = Options::default();
    /// o.set("adoption_thresholds", "a1:3650")?;
    /// let e = o.set("adoption_thresholds", "a1:-5").unwrap_err();
    /// assert!(e.message().contains("a1:-5 is outside 0 to 3650 days"), "{e}");
    /// assert!(o.set("adoption_thresholds", "a2:9223372036854775807").is_err());
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub const MAX_DAYS: i64 = 3650;
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
                format!(
                    "adoption_thresholds={:?} is not like a1:426,a10:426,a2:121",
                    Echo(s)
                ),
            )
        };
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once(':').ok_or_else(bad)?;
            let v: i64 = v.trim().parse().map_err(|_| bad())?;
            if !(0..=AdoptionThresholds::MAX_DAYS).contains(&v) {
                return Err(Error::new(
                    ErrorKind::InvalidOption,
                    format!(
                        "adoption_thresholds={:?}: {}:{v} is outside 0 to {} days",
                        Echo(s),
                        k.trim(),
                        AdoptionThresholds::MAX_DAYS
                    ),
                ));
            }
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

impl OptionValue for AdoptionThresholds {
    fn read(s: &str) -> Option<AdoptionThresholds> {
        s.parse().ok()
    }
}

/// The options in force: every option at its default unless set, for all measures or for one.
///
/// ```
/// use csc_measures::measure::Options;
/// let mut o = Options::default();
/// o.set("working_days", "networkdays")?;
/// assert_eq!(o.get("working_days").as_deref(), Some("networkdays"));
/// assert_eq!(o.get("a3_months").as_deref(), Some("14"));
/// assert!(o.get("nope").is_none());
/// # Ok::<(), csc_measures::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Values set for every measure, by key, in their normal form.
    values: BTreeMap<&'static str, String>,
    /// Values set for one measure.
    scoped: BTreeMap<(MeasureId, &'static str), String>,
    calendar: Option<Arc<Calendar>>,
    population: Option<Arc<Population>>,
}

impl Options {
    /// Sets option `key` from its string form. `key` is a bare key (every measure that reads it) or
    /// `measure.key` (that measure only, which must read it). An unknown key or measure, or a value
    /// the option does not take, is an [`ErrorKind::InvalidOption`] error naming both.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), Error> {
        let key = key.trim();
        let (scope, bare) = match key.split_once('.') {
            Some((m, k)) => (Some(m), k),
            None => (None, key),
        };
        let def = option(bare).ok_or_else(|| {
            let keys: Vec<&str> = OPTIONS.iter().map(|d| d.key).collect();
            Error::new(
                ErrorKind::InvalidOption,
                format!(
                    "unknown option {:?}; the options are {} (or measure.option for one measure)",
                    Echo(bare),
                    keys.join(", ")
                ),
            )
        })?;
        let v = def.normalise(value)?;
        match scope {
            None => {
                self.values.insert(def.key, v);
            }
            Some(m) => {
                let id: MeasureId = m.parse().map_err(|e: Error| {
                    Error::new(
                        ErrorKind::InvalidOption,
                        format!("option {:?}: {}", Echo(key), e.message()),
                    )
                })?;
                if !id.reads(def) {
                    return Err(Error::new(
                        ErrorKind::InvalidOption,
                        format!("option {key:?}: {id} does not read {}", def.key),
                    ));
                }
                self.scoped.insert((id, def.key), v);
            }
        }
        Ok(())
    }

    /// The value in force of option `key` for every measure (the default unless set), in its
    /// normal form; `None` for an unknown key.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<String> {
        let def = option(key)?;
        Some(
            self.values
                .get(def.key)
                .map_or(def.default, String::as_str)
                .to_owned(),
        )
    }

    /// The value in force of option `def` for measure `id`: set for it, else set for all, else the
    /// default.
    #[must_use]
    pub fn value(&self, id: MeasureId, def: &OptionDef) -> &str {
        self.scoped
            .get(&(id, def.key))
            .or_else(|| self.values.get(def.key))
            .map_or(def.default, String::as_str)
    }

    /// The value in force of option `opt` for measure `id`, typed.
    ///
    /// # Panics
    ///
    /// Never: a value in force is one [`Options::set`] checked, or the option's default, and every
    /// default is a value its option takes (a test checks each).
    #[must_use]
    pub fn typed<T: OptionValue>(&self, id: MeasureId, opt: &Opt<T>) -> T {
        T::read(self.value(id, &opt.def))
            .or_else(|| T::read(opt.def.default))
            .expect("an option's default is a value it takes")
    }

    /// The working-day calendar in force: `None` is the built-in England and Wales one.
    #[must_use]
    pub fn calendar(&self) -> Option<&Arc<Calendar>> {
        self.calendar.as_ref()
    }

    /// The population input (spec 8: an input, not an option), when one was given.
    #[must_use]
    pub fn population(&self) -> Option<&Population> {
        self.population.as_deref()
    }

    /// The same options with a population input, from which the measures that have rates compute
    /// them.
    #[must_use]
    pub fn with_population(mut self, population: Arc<Population>) -> Options {
        self.population = Some(population);
        self
    }

    /// The same options with another working-day calendar.
    #[must_use]
    pub fn with_calendar(mut self, calendar: Arc<Calendar>) -> Options {
        self.calendar = Some(calendar);
        self
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_huge_key_or_value_is_clipped_in_the_message() {
        let huge = "9".repeat(200_000);
        let mut o = Options::default();
        for (k, v) in [
            ("a3_months", huge.as_str()),
            ("adoption_thresholds", huge.as_str()),
            (huge.as_str(), "1"),
            (&format!("{huge}.a3_months"), "1"),
        ] {
            let e = o.set(k, v).unwrap_err();
            assert!(e.message().len() < 2_000, "{}", e.message().len());
            assert!(e.message().contains("(200000 bytes)"), "{}", e.message());
        }
        let e = huge.parse::<MeasureId>().unwrap_err();
        assert!(e.message().len() < 2_000 && e.message().contains("(200000 bytes)"));
    }

    use super::*;

    #[test]
    fn every_default_is_a_value_it_takes_and_keys_are_distinct() {
        let mut keys = std::collections::HashSet::new();
        for d in OPTIONS {
            assert!(keys.insert(d.key), "{}", d.key);
            assert_eq!(d.normalise(d.default).unwrap(), d.default, "{}", d.key);
            assert!(!d.doc.is_empty());
        }
    }

    #[test]
    fn values_are_checked_and_normalised() {
        let mut o = Options::default();
        assert!(o.set("a3_months", " 012 ").is_ok());
        assert_eq!(o.get("a3_months").as_deref(), Some("12"));
        let e = o.set("working_days", "weekdays").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidOption);
        assert!(
            e.message()
                .contains("after_start, networkdays, busday_count"),
            "{e}"
        );
        o.set("adoption_thresholds", "a2:100").unwrap();
        assert_eq!(
            o.get("adoption_thresholds").as_deref(),
            Some("a1:426,a10:426,a2:100")
        );
        assert!(o.set("nope.unit", "plans").is_err());
    }
}
