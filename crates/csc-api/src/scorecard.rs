//! The scorecard: every measure for a year, with its value, numerator and denominator, unit,
//! threshold where one exists, and the direction of travel against the previous year.
//!
//! The adoption measures use the adoption scorecard's 3-year window (`[Y-3-04-01, Y-03-31]`, and
//! the window ending a year earlier for the comparison); every other measure uses the financial
//! year. The scorecard renders as a terminal table, as Markdown and as JSON.
//!
//! **Any period.** A report may also cover any period `[start, end]` (the CLI's `--start/--end`,
//! or `--month-end YYYY-MM --window N`: the N months to that month's end). Spec 6.2 rules only
//! the financial year; for another period this library decides, in 6.2's spirit:
//!
//! * every measure but A1, A10, A2 and A3 is computed over the period itself;
//! * A1, A10, A2 and A3 over the three years to the period's end (`[end + 1 day - 3 years, end]`,
//!   as `[Y-3-04-01, Y-03-31]` for a financial year), or over the period itself when it is longer;
//! * the previous value is the same measure over the same dates one year earlier (each end moved
//!   back twelve months, a month's last day staying its last day, so the 12 months to 29 February
//!   2024 compare with the 12 months to 28 February 2023): for a financial year exactly 6.2's
//!   previous year;
//! * each line's trend is the same window moved back one month at a time;
//! * published comparators are those of the financial year the period ends in, and the computed
//!   value is reconciled with the authority's own published figure only when the period is that
//!   financial year (a published figure is a financial year's).
//!
//! **Which period, and why.** The scorecard says which period it covers and why
//! ([`Scorecard::reason`]): the year asked for, the period asked for, or by default the latest
//! collection year loaded of either kind (spec 6.2), with the collection years of each kind loaded
//! and, when no return of a kind covers the period, that its measures have no data. A measure whose
//! period the returns do not cover shows "no data loaded for this period" where its value would be
//! (spec 3.1), never 0, and its direction is `not_comparable`.
//!
//! ```
//! use csc_api::Scorecard;
//! use csc_measures::measure::Options;
//! use csc_measures::records::{CinEpisode, CinReturn};
//! use csc_measures::DatasetBuilder;
//! let mut ret = CinReturn::default();
//! ret.source.collection_year = Some(2024);
//! ret.episodes.push(CinEpisode { child: "A".into(), referral_date: "2023-06-01".parse()?, ..Default::default() });
//! let ds = DatasetBuilder::new().cin(ret).build()?;
//! let card = Scorecard::new(&ds, None, &Options::default())?;
//! assert_eq!(card.year, 2024);
//! assert!(card.to_markdown().contains("| referrals |"));
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::fmt::Write as _;

use serde_json::{Value, json};

use csc_measures::measure::{MeasureId, Options, Window};
use csc_measures::records::ReturnKind;
use csc_measures::result::{MeasureResult, Polarity};
use csc_measures::{Dataset, Day, Error, Period};

use crate::render::text::value_text;
use crate::run::{compute_pairs, latest_year};

/// How a value moved against the previous year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Better, by the measure's polarity.
    Improved,
    /// Worse, by the measure's polarity.
    Worsened,
    /// Up, for a measure with no better direction.
    Up,
    /// Down, for a measure with no better direction.
    Down,
    /// Unchanged.
    Same,
    /// One of the two values is null.
    NotComparable,
}

impl Direction {
    /// `improved`, `worsened`, `up`, `down`, `same`, `not_comparable`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::Improved => "improved",
            Direction::Worsened => "worsened",
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Same => "same",
            Direction::NotComparable => "not_comparable",
        }
    }

    /// The direction from `previous` to `current` for a measure of `polarity`.
    #[must_use]
    pub fn of(polarity: Polarity, current: Option<f64>, previous: Option<f64>) -> Direction {
        let (Some(c), Some(p)) = (current, previous) else {
            return Direction::NotComparable;
        };
        if (c - p).abs() < 1e-9 {
            return Direction::Same;
        }
        match (polarity, c > p) {
            (Polarity::Higher, true) | (Polarity::Lower, false) => Direction::Improved,
            (Polarity::Higher, false) | (Polarity::Lower, true) => Direction::Worsened,
            (_, true) => Direction::Up,
            (_, false) => Direction::Down,
        }
    }

    fn arrow(self) -> &'static str {
        match self {
            Direction::Improved => "better",
            Direction::Worsened => "worse",
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Same => "same",
            Direction::NotComparable => "not comparable",
        }
    }
}

/// The parts of a panel report, in the order councils lay them out; every measure sits in one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// Referrals, re-referrals and assessments.
    ReferralsAssessments,
    /// Children in need and CIN plans.
    ChildrenInNeed,
    /// Section 47 enquiries, conferences and child protection plans.
    ChildProtection,
    /// Children looked after: starting, ceasing, placed, reviewed.
    ChildrenLookedAfter,
    /// Placement stability.
    PlacementStability,
    /// Health and wellbeing of children looked after.
    Health,
    /// Children missing or away from placement.
    Missing,
    /// Adoption.
    Adoption,
    /// Care leavers.
    CareLeavers,
    /// A measure not yet placed in a section (a test keeps this empty).
    Other,
}

impl Section {
    /// Every section, in report order.
    pub const ALL: [Section; 10] = [
        Section::ReferralsAssessments,
        Section::ChildrenInNeed,
        Section::ChildProtection,
        Section::ChildrenLookedAfter,
        Section::PlacementStability,
        Section::Health,
        Section::Missing,
        Section::Adoption,
        Section::CareLeavers,
        Section::Other,
    ];

    /// The section's heading.
    #[must_use]
    pub const fn title(self) -> &'static str {
        match self {
            Section::ReferralsAssessments => "Referrals and assessments",
            Section::ChildrenInNeed => "Children in need",
            Section::ChildProtection => "Child protection",
            Section::ChildrenLookedAfter => "Children looked after",
            Section::PlacementStability => "Placement stability",
            Section::Health => "Health of children looked after",
            Section::Missing => "Missing from placement",
            Section::Adoption => "Adoption",
            Section::CareLeavers => "Care leavers",
            Section::Other => "Other measures",
        }
    }

    /// A stable snake_case name (`referrals_assessments`, ...).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Section::ReferralsAssessments => "referrals_assessments",
            Section::ChildrenInNeed => "children_in_need",
            Section::ChildProtection => "child_protection",
            Section::ChildrenLookedAfter => "children_looked_after",
            Section::PlacementStability => "placement_stability",
            Section::Health => "health",
            Section::Missing => "missing",
            Section::Adoption => "adoption",
            Section::CareLeavers => "care_leavers",
            Section::Other => "other",
        }
    }

    /// The section a measure sits in (every measure is placed here by hand; a test fails while a
    /// measure is left in [`Section::Other`]).
    #[must_use]
    pub const fn of(id: MeasureId) -> Section {
        use MeasureId as M;
        match id {
            M::Referrals
            | M::ReReferrals12m
            | M::ReReferrals12mChildren
            | M::Assessments45wd
            | M::InAssessmentAtEnd
            | M::AssessmentFactors => Section::ReferralsAssessments,
            M::CinAtEnd | M::CinPlanAtEnd => Section::ChildrenInNeed,
            M::Section47s
            | M::S47ToIcpc
            | M::Icpcs
            | M::Icpc15wd
            | M::IcpcToCpp
            | M::CppStarted
            | M::CppAtEnd
            | M::CppSecondOrSubsequent
            | M::CppRepeat2y
            | M::CppReviewsInTimescale
            | M::CppOpen15mPlus
            | M::CppOpen2yPlus
            | M::CppEnded2yPlus => Section::ChildProtection,
            M::ClaAtEnd
            | M::ClaStarted
            | M::ClaCeased
            | M::ClaCeasedReturnedHome
            | M::ClaCeasedSgo
            | M::ClaCeasedCao
            | M::ClaUascAtEnd
            | M::PlacedFosterAtEnd
            | M::PlacedChildrensHomesAtEnd
            | M::PlacedSupportedAtEnd
            | M::ClaReviewsOnTime
            | M::Sw3plus => Section::ChildrenLookedAfter,
            M::Stability3plusPlacements | M::Stability3plusPlacements2y | M::StabilityLongTerm => {
                Section::PlacementStability
            }
            M::HealthAssessments
            | M::DentalChecks
            | M::Immunisations
            | M::HealthChecksUnder5
            | M::SdqAverage => Section::Health,
            M::MissingChildren | M::MissingIncidents => Section::Missing,
            M::ClaCeasedAdopted
            | M::AdoptionA1
            | M::AdoptionA10
            | M::AdoptionA2
            | M::AdoptionA3
            | M::AdoptionDecisionToMatch => Section::Adoption,
            M::CareLeaversEet1718
            | M::CareLeaversEet1921
            | M::CareLeaversAccommodation1718
            | M::CareLeaversAccommodation1921
            | M::CareLeaversInTouch => Section::CareLeavers,
            _ => Section::Other,
        }
    }
}

/// A ratio or average whose denominator is below this is flagged as a small number: one child
/// more or less moves a percentage by more than ten points, so the value is shown with a caution
/// and its direction of travel read with care. (DfE suppresses its own local-authority figures
/// on fewer children still; this flag only marks volatility.)
pub const SMALL_DENOMINATOR: u64 = 10;

/// One point of a line's trend: the measure over its window ending at a month-end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrendPoint {
    /// The window.
    pub period: Period,
    /// The value over it (null: no data, or a zero denominator).
    pub value: Option<f64>,
    /// The returns do not cover the window (spec 3.1).
    pub no_data: bool,
}

/// A published figure as a report shows it: the number (null when DfE suppressed it or it is
/// not available) and the text DfE printed, with its rounding or its marker.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    /// The number, when there is one.
    pub value: Option<f64>,
    /// The figure as published (`24.7`, `c`, `x`, ...).
    pub text: String,
}

/// One line of a reconciliation: a computed figure against the local authority's own published
/// one.
#[derive(Clone, Debug, PartialEq)]
pub struct ReconLine {
    /// What is compared (`value`, `denominator`, `bands.41-45`, ...).
    pub label: String,
    /// The computed figure, rounded as DfE rounds the published one.
    pub computed: String,
    /// The published figure.
    pub published: String,
    /// Whether the two agree (null: the published figure is suppressed or absent).
    pub agrees: Option<bool>,
}

/// DfE's published comparators of a line, and the reconciliation of the computed value with the
/// local authority's own published one.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The DfE table and column the figures come from.
    pub source: String,
    /// The reporting year of the published figures (the latest published on or before the
    /// scorecard's year).
    pub year: i32,
    /// England.
    pub england: Option<Shown>,
    /// The local authority's region: its name and figure.
    pub region: Option<(String, Shown)>,
    /// The statistical neighbours' mean and median over those with a figure, and how many had
    /// one of how many named.
    pub neighbours: Option<(Shown, Shown, usize, usize)>,
    /// The local authority's own published figure.
    pub own: Option<Shown>,
    /// The reconciliation, when the published year is the scorecard's year.
    pub reconciliation: Vec<ReconLine>,
}

impl Comparison {
    /// `Some(true)` when every comparable line of the reconciliation agrees, `Some(false)` when
    /// one differs, `None` when there is nothing to compare.
    #[must_use]
    pub fn reconciles(&self) -> Option<bool> {
        let known: Vec<bool> = self
            .reconciliation
            .iter()
            .filter_map(|l| l.agrees)
            .collect();
        if known.is_empty() {
            None
        } else {
            Some(known.iter().all(|&a| a))
        }
    }
}

/// One line of the scorecard.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreLine {
    /// This year's result (over the measure's window).
    pub current: MeasureResult,
    /// The previous year's result over the window ending a year earlier.
    pub previous: MeasureResult,
    /// The direction of travel.
    pub direction: Direction,
    /// The measure over its window ending at each month-end up to the year's end (empty unless
    /// asked for with [`Scorecard::with_trend`]).
    pub trend: Vec<TrendPoint>,
    /// DfE's published comparators (unless none were given, or none publish the measure).
    pub comparison: Option<Comparison>,
    /// The local target, when the report was given one for the measure.
    pub target: Option<f64>,
}

impl ScoreLine {
    /// The section of the report the line sits in.
    #[must_use]
    pub fn section(&self) -> Section {
        Section::of(self.current.id)
    }

    /// Whether this year's value meets the local target: at least it for a measure where higher
    /// is better, at most it where lower is; `None` without a target or a value, or for a
    /// measure with no better direction.
    #[must_use]
    pub fn meets_target(&self) -> Option<bool> {
        let (t, v) = (self.target?, self.current.value?);
        match self.current.id.polarity() {
            Polarity::Higher => Some(v >= t),
            Polarity::Lower => Some(v <= t),
            _ => None,
        }
    }

    /// A ratio or average on fewer than [`SMALL_DENOMINATOR`] records.
    #[must_use]
    pub fn is_small(&self) -> bool {
        self.current
            .denominator
            .is_some_and(|d| d < SMALL_DENOMINATOR)
    }
}

/// What a panel report asks for: the year, options and population, the trend, the published
/// comparators, and whether the records behind each number are kept. Every surface builds its
/// report with [`Scorecard::report`].
#[derive(Clone, Debug)]
pub struct ReportQuery {
    /// The financial year (default: the latest collection year loaded).
    pub year: Option<i32>,
    /// Any other period instead of a financial year (see the module docs); with `year` too, an
    /// [`ErrorKind::InvalidRequest`](csc_measures::ErrorKind::InvalidRequest) error.
    pub period: Option<Period>,
    /// The options, with the population input.
    pub options: Options,
    /// Month-ends of each line's trend (0: none; [`crate::DEFAULT_MONTHS`] by default).
    pub trend_months: u32,
    /// DfE's published tables to compare with (none: no comparators).
    pub published: Vec<std::path::PathBuf>,
    /// The local authority's DfE code (3-digit `old_la_code`, or `new_la_code`).
    pub la: Option<String>,
    /// Its statistical neighbours' DfE codes.
    pub neighbours: Vec<String>,
    /// Keep this year's drill-down rows.
    pub records: bool,
    /// Local targets, by measure (the value a panel expects, in the measure's own terms: a
    /// percentage, days, a count).
    pub targets: Vec<(MeasureId, f64)>,
}

impl Default for ReportQuery {
    fn default() -> ReportQuery {
        ReportQuery {
            year: None,
            period: None,
            options: Options::default(),
            trend_months: crate::series::DEFAULT_MONTHS,
            published: Vec::new(),
            la: None,
            neighbours: Vec::new(),
            records: false,
            targets: Vec::new(),
        }
    }
}

impl ReportQuery {
    /// Sets the report's period from its parts as every surface takes them: a financial `year`;
    /// or a `start` and an `end` (dates as people type them, `YYYY-MM-DD` or `DD/MM/YYYY`:
    /// [`Day::parse_user`]); or a `month_end` (a month, `YYYY-MM` or `MM/YYYY`, or a date of it:
    /// [`crate::parse_month`]) with a rolling `window` of months (default 12, at most 600): the
    /// window's months to that month's last day; or nothing: the latest collection year loaded.
    /// Parts that do not go together (a year with dates, a start without an end, a window
    /// without a month-end, dates with a month-end) are an
    /// [`ErrorKind::InvalidRequest`](csc_measures::ErrorKind::InvalidRequest) error; a date that is not
    /// one an [`ErrorKind::InvalidDate`](csc_measures::ErrorKind::InvalidDate) error naming it.
    ///
    /// ```
    /// use csc_api::ReportQuery;
    /// let mut q = ReportQuery::default();
    /// q.set_period(None, None, None, Some("2024-09"), Some(12))?;
    /// assert_eq!(q.period.unwrap().to_string(), "2023-10-01..=2024-09-30");
    /// q.set_period(None, Some("01/10/2019"), Some("30/09/2020"), None, None)?;
    /// assert_eq!(q.period.unwrap().to_string(), "2019-10-01..=2020-09-30");
    /// q.set_period(Some(2024), None, None, None, None)?;
    /// assert_eq!((q.year, q.period), (Some(2024), None));
    /// assert!(q.set_period(Some(2024), Some("2023-04-01"), None, None, None).is_err());
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn set_period(
        &mut self,
        year: Option<i32>,
        start: Option<&str>,
        end: Option<&str>,
        month_end: Option<&str>,
        window: Option<u32>,
    ) -> Result<(), Error> {
        use crate::request::{invalid, user_day};
        let period = match (year, start, end, month_end, window) {
            (Some(y), None, None, None, None) => {
                crate::request::financial_year(y)?;
                None
            }
            (None, None, None, None, None) => None,
            (None, Some(s), Some(e), None, None) => {
                Some(Period::new(user_day("start", s)?, user_day("end", e)?)?)
            }
            (None, None, None, Some(m), w) => {
                let months = w.unwrap_or(12);
                if !(1..=600).contains(&months) {
                    return Err(invalid(format!(
                        "a window of {months} months: give 1 to 600 months"
                    )));
                }
                let month = crate::parse_month(m)
                    .map_err(|e| Error::new(e.kind(), format!("month-end {}", e.message())))?;
                let last = crate::series::month_end(month);
                Some(Period::new(month.add_months(1 - months as i32), last)?)
            }
            (Some(_), ..) => {
                return Err(invalid(
                    "give a year, or a start and an end, or a month-end with a window, not two of them",
                ));
            }
            (None, _, _, None, Some(_)) => {
                return Err(invalid(
                    "a window is the months to a month-end: give the month-end too",
                ));
            }
            (None, _, _, Some(_), _) => {
                return Err(invalid(
                    "give a start and an end, or a month-end with a window, not both",
                ));
            }
            (None, _, _, None, None) => {
                return Err(invalid(
                    "a start needs an end, and an end a start (or give a year)",
                ));
            }
        };
        self.year = year;
        self.period = period;
        Ok(())
    }
}

/// The period a report covers, before it is chosen: what [`Scorecard::build_for`] takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ReportPeriod {
    /// The latest collection year loaded, of either kind (spec 6.2's default).
    #[default]
    Latest,
    /// The financial year ending 31 March of this year.
    Year(i32),
    /// Any period (see the module docs).
    Range(Period),
}

/// The scorecard for the year ending 31 March `year`, or for any period.
#[derive(Clone, Debug, PartialEq)]
pub struct Scorecard {
    /// The financial year (ending 31 March) of the report; for another period, the financial year
    /// its end falls in (the year of the published comparators).
    pub year: i32,
    /// The period of every measure but the adoption measures' three-year window: the financial
    /// year `year`, or the period asked for.
    pub period: Period,
    /// Why this period: "the latest collection year loaded (CIN census 2023; SSDA903 2018)", "the
    /// year asked for", "the period asked for", each with the collection years loaded, and a
    /// sentence for each kind of return that covers none of the period (its measures have no
    /// data).
    pub reason: String,
    /// One line per measure, in registry order.
    pub lines: Vec<ScoreLine>,
}

/// The window a scorecard for `year` uses for `id`: its spec's (three years for A1, A10, A2 and
/// A3, else one).
pub fn window(id: MeasureId, year: i32) -> Result<Period, Error> {
    id.spec().window.period(year)
}

/// The period a report over `period` uses for `id` (the module docs): `period` itself, or for A1,
/// A10, A2 and A3 the three years to its end (the whole period when longer). For a financial
/// year, [`window`].
///
/// ```
/// use csc_api::scorecard::report_window;
/// use csc_measures::{Period, measure::MeasureId};
/// let p = Period::new("2023-10-01".parse()?, "2024-09-30".parse()?)?;
/// assert_eq!(report_window(MeasureId::AdoptionA1, p)?.to_string(), "2021-10-01..=2024-09-30");
/// assert_eq!(report_window(MeasureId::Referrals, p)?, p);
/// # Ok::<(), csc_measures::Error>(())
/// ```
pub fn report_window(id: MeasureId, period: Period) -> Result<Period, Error> {
    match id.spec().window {
        Window::Year => Ok(period),
        Window::Years(n) => {
            let from = period.end().add_days(1).add_years(-i32::from(n));
            Period::new(from.min(period.start()), period.end())
        }
    }
}

/// `period` moved `months` months (earlier when negative): each end the same day of its new
/// month, clamped to the month's end, and a month's last day staying its last day. The previous
/// value of a report is its period moved back 12 months; each point of a trend, back one month
/// more.
///
/// ```
/// use csc_api::scorecard::shift;
/// use csc_measures::Period;
/// let p = Period::new("2023-03-01".parse()?, "2024-02-29".parse()?)?;
/// assert_eq!(shift(p, -12)?.to_string(), "2022-03-01..=2023-02-28");
/// assert_eq!(shift(Period::financial_year(2024)?, -12)?, Period::financial_year(2023)?);
/// assert_eq!(shift(Period::financial_year(2024)?, -1)?.to_string(), "2023-03-01..=2024-02-29");
/// # Ok::<(), csc_measures::Error>(())
/// ```
pub fn shift(period: Period, months: i32) -> Result<Period, Error> {
    let move_day = |d: Day| {
        let moved = d.add_months(months);
        if d.add_days(1).to_ymd().2 == 1 {
            crate::series::month_end(moved)
        } else {
            moved
        }
    };
    Period::new(move_day(period.start()), move_day(period.end()))
}

const KINDS: [(ReturnKind, &str); 2] = [
    (ReturnKind::Cin, "CIN census"),
    (ReturnKind::Ssda903, "SSDA903"),
];

/// `2018`, `2019-2024`, `2018, 2020`.
fn years_text(years: &[i32]) -> String {
    match years {
        [] => String::new(),
        [y] => y.to_string(),
        [first, .., last] if years.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("{first}-{last}")
        }
        _ => years
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The collection years loaded of each kind: `CIN census 2023; SSDA903 2018`.
fn loaded_text(ds: &Dataset) -> String {
    let mut parts = Vec::new();
    for (kind, name) in KINDS {
        let years = ds.collection_years(kind);
        let unknown = ds
            .returns()
            .iter()
            .any(|r| r.kind == kind && r.collection_year.is_none());
        match (years.is_empty(), unknown) {
            (true, false) => parts.push(format!("no {name} return")),
            (true, true) => parts.push(format!("{name} of an unknown year")),
            (false, false) => parts.push(format!("{name} {}", years_text(&years))),
            (false, true) => parts.push(format!(
                "{name} {} and one of an unknown year",
                years_text(&years)
            )),
        }
    }
    parts.join("; ")
}

/// The sentences of each kind of return that covers none of `period` (by collection year).
fn uncovered_text(ds: &Dataset, period: Period, name_of_period: &str) -> String {
    let mut s = String::new();
    for (kind, name) in KINDS {
        let loaded = ds.returns().iter().any(|r| r.kind == kind);
        let years = ds.collection_years(kind);
        let unknown = ds
            .returns()
            .iter()
            .any(|r| r.kind == kind && r.collection_year.is_none());
        let covers = years.iter().any(|&y| {
            Period::financial_year(y)
                .is_ok_and(|fy| fy.start() <= period.end() && period.start() <= fy.end())
        });
        if !loaded {
            let _ = write!(
                s,
                " No {name} return is loaded: its measures say no data loaded for this period."
            );
        } else if !covers && !unknown {
            let _ = write!(
                s,
                " No {name} return loaded covers {name_of_period}: its measures say no data loaded \
                 for this period."
            );
        }
    }
    s
}

/// The name of a report's period: `2023-24` for a financial year, else `2023-10-01 to 2024-09-30`.
fn period_name(period: Period) -> String {
    let y = period.end().financial_year();
    if Period::financial_year(y).ok() == Some(period) {
        format!("{}-{:02}", y - 1, y % 100)
    } else {
        format!("{} to {}", period.start(), period.end())
    }
}

/// `31 March 2024`.
fn day_words(d: Day) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, m, d) = d.to_ymd();
    format!("{d} {} {y}", MONTHS[(m as usize + 11) % 12])
}

impl Scorecard {
    /// The name of the report's period: `2023-24` for a financial year, else
    /// `2023-10-01 to 2024-09-30`.
    #[must_use]
    pub fn period_name(&self) -> String {
        period_name(self.period)
    }

    /// Where the adoption measures' window ends, in words: `31 March 2024`.
    #[must_use]
    pub fn end_words(&self) -> String {
        day_words(self.period.end())
    }

    /// Computes the scorecard for `year` (default: the latest collection year loaded), every
    /// (measure, year) pair on all cores with the `parallel` feature.
    pub fn new(ds: &Dataset, year: Option<i32>, options: &Options) -> Result<Scorecard, Error> {
        Scorecard::build(ds, year, options, false)
    }

    /// The scorecard a panel report asks for: [`Scorecard::build`], then the trend
    /// ([`Scorecard::with_trend`]) and the published comparators ([`Scorecard::with_published`]).
    /// A local authority or neighbours without published tables is an
    /// [`ErrorKind::InvalidRequest`](csc_measures::ErrorKind::InvalidRequest) error; a published
    /// table that cannot be read, the reader's error.
    pub fn report(ds: &Dataset, q: &ReportQuery) -> Result<Scorecard, Error> {
        if q.published.is_empty() && (q.la.is_some() || !q.neighbours.is_empty()) {
            return Err(crate::request::invalid(
                "a local authority and its neighbours are compared in DfE's published tables: \
                 give those tables too",
            ));
        }
        // The tables first: a file that cannot be read is refused before anything is computed.
        let published = if q.published.is_empty() {
            None
        } else {
            Some(crate::published::Published::from_paths(&q.published)?)
        };
        let period = match (q.year, q.period) {
            (None, None) => ReportPeriod::Latest,
            (Some(y), None) => ReportPeriod::Year(y),
            (None, Some(p)) => ReportPeriod::Range(p),
            (Some(_), Some(_)) => {
                return Err(crate::request::invalid(
                    "give a year or a period for the report, not both",
                ));
            }
        };
        let mut card = Scorecard::build_for(ds, period, &q.options, q.records)?.with_trend(
            ds,
            &q.options,
            q.trend_months,
        )?;
        if let Some(p) = &published {
            card = card.with_published(p, q.la.as_deref(), &q.neighbours);
        }
        for line in &mut card.lines {
            line.target = q
                .targets
                .iter()
                .rev()
                .find(|(id, _)| *id == line.current.id)
                .map(|&(_, t)| t);
        }
        Ok(card)
    }

    /// Adds DfE's published comparators to each line a table in `published` publishes: England,
    /// the region and the authority's own figure (`la`, a DfE code, when given), and the mean
    /// and median of `neighbours`. The figures are those of the scorecard's year when published,
    /// else of the latest earlier year the table holds (DfE publishes a year's figures in the
    /// following autumn), and say which. The computed value is reconciled with the authority's
    /// own published figure only for the same year ([`crate::published::reconcile`]).
    #[must_use]
    pub fn with_published(
        mut self,
        published: &crate::published::Published,
        la: Option<&str>,
        neighbours: &[String],
    ) -> Scorecard {
        use crate::published::{Comparators, Figure, reconcile};
        let shown = |f: Figure| Shown {
            value: f.value(),
            text: f.to_string(),
        };
        for line in &mut self.lines {
            let id = line.current.id;
            // The scorecard's year, or the latest published before it.
            let Some(c) = (0..=10)
                .map(|back| self.year - back)
                .find_map(|y| Comparators::new(published, id, y, la.unwrap_or(""), neighbours))
            else {
                continue;
            };
            let reconciliation = match la {
                Some(la) if c.year == self.year => reconcile(&line.current, published, la)
                    .map(|r| {
                        r.lines
                            .iter()
                            .map(|l| ReconLine {
                                label: l.label.clone(),
                                computed: l
                                    .computed_rounded
                                    .map_or_else(|| "-".to_owned(), |n| n.to_string()),
                                published: l.published.to_string(),
                                agrees: l.agrees,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            let n = &c.neighbours;
            line.comparison = Some(Comparison {
                source: crate::published::source(id).map_or_else(
                    || c.table.to_string(),
                    |s| format!("{} {}", c.table, s.value_text()),
                ),
                year: c.year,
                england: c.england.as_ref().map(|a| shown(a.value)),
                region: c.region.as_ref().map(|a| (a.name.clone(), shown(a.value))),
                neighbours: match (n.mean, n.median) {
                    (Some(mean), Some(median)) => {
                        Some((shown(mean), shown(median), n.with_value, n.of))
                    }
                    _ if n.of > 0 => Some((
                        Shown {
                            value: None,
                            text: "-".into(),
                        },
                        Shown {
                            value: None,
                            text: "-".into(),
                        },
                        n.with_value,
                        n.of,
                    )),
                    _ => None,
                },
                own: c.la.as_ref().map(|a| shown(a.value)),
                reconciliation,
            });
        }
        self
    }

    /// [`Scorecard::new`], keeping this year's drill-down rows when `records` (for a report that
    /// lists the children behind each number).
    pub fn build(
        ds: &Dataset,
        year: Option<i32>,
        options: &Options,
        records: bool,
    ) -> Result<Scorecard, Error> {
        let period = year.map_or(ReportPeriod::Latest, ReportPeriod::Year);
        Scorecard::build_for(ds, period, options, records)
    }

    /// [`Scorecard::build`] over any period (see the module docs): the latest collection year
    /// loaded, a financial year, or a range; the scorecard says which and why
    /// ([`Scorecard::reason`]).
    ///
    /// ```
    /// use csc_api::{Scorecard, scorecard::ReportPeriod};
    /// use csc_measures::{measure::{MeasureId, Options}, Period};
    /// let ds = csc_synth::dataset(&csc_synth::Config { children: 200, ..Default::default() })?;
    /// let p = Period::new("2023-10-01".parse()?, "2024-09-30".parse()?)?;
    /// let card = Scorecard::build_for(&ds, ReportPeriod::Range(p), &Options::default(), false)?;
    /// assert_eq!((card.year, card.period_name()), (2025, "2023-10-01 to 2024-09-30".to_owned()));
    /// assert!(card.reason.starts_with("the period asked for"));
    /// let line = &card.lines[0];
    /// assert_eq!(line.previous.period.to_string(), "2022-10-01..=2023-09-30");
    /// let latest = Scorecard::build_for(&ds, ReportPeriod::Latest, &Options::default(), false)?;
    /// assert!(latest.reason.starts_with("the latest collection year loaded (CIN census 2019-2024"));
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn build_for(
        ds: &Dataset,
        period: ReportPeriod,
        options: &Options,
        records: bool,
    ) -> Result<Scorecard, Error> {
        let loaded = loaded_text(ds);
        let (base, why) = match period {
            ReportPeriod::Latest => (
                Period::financial_year(latest_year(ds)?)?,
                format!("the latest collection year loaded ({loaded})"),
            ),
            ReportPeriod::Year(y) => (
                Period::financial_year(y)?,
                format!("the year asked for (loaded: {loaded})"),
            ),
            ReportPeriod::Range(p) => (p, format!("the period asked for (loaded: {loaded})")),
        };
        let reason = format!("{why}.{}", uncovered_text(ds, base, &period_name(base)));
        let mut pairs = Vec::with_capacity(2 * MeasureId::ALL.len());
        for &id in MeasureId::ALL {
            let w = report_window(id, base)?;
            pairs.push((id, w));
            pairs.push((id, shift(w, -12)?));
        }
        let mut results = compute_pairs(ds, &pairs, options).into_iter();
        let mut lines = Vec::new();
        while let (Some(mut current), Some(mut previous)) = (results.next(), results.next()) {
            if !records {
                current.rows = Vec::new();
            }
            previous.rows = Vec::new();
            let direction = Direction::of(current.id.polarity(), current.value, previous.value);
            lines.push(ScoreLine {
                current,
                previous,
                direction,
                trend: Vec::new(),
                comparison: None,
                target: None,
            });
        }
        Ok(Scorecard {
            year: base.end().financial_year(),
            period: base,
            reason,
            lines,
        })
    }

    /// Adds each line's trend: the measure over its scorecard window ([`report_window`]: 12
    /// months, or 36 for the adoption measures, for a financial year) moved back one month at a
    /// time ([`shift`]), the `months` windows ending at the month-ends to 31 March of the
    /// scorecard's year (for another period, at the same day of each month to its end, a
    /// month-end staying one), computed as one series ([`crate::compute_series`]).
    pub fn with_trend(
        mut self,
        ds: &Dataset,
        options: &Options,
        months: u32,
    ) -> Result<Scorecard, Error> {
        if months == 0 {
            return Ok(self);
        }
        let mut jobs = Vec::with_capacity(self.lines.len());
        for l in &self.lines {
            let id = l.current.id;
            let w = report_window(id, self.period)?;
            let periods = (0..months.min(1200))
                .rev()
                .map(|k| shift(w, -(k as i32)))
                .collect::<Result<Vec<_>, _>>()?;
            jobs.push((id, periods));
        }
        let results = crate::run::compute_series(ds, &jobs, options);
        for (line, points) in self.lines.iter_mut().zip(results) {
            line.trend = points
                .into_iter()
                .map(|r| TrendPoint {
                    period: r.period,
                    no_data: r.is_no_data(),
                    value: r.value,
                })
                .collect();
        }
        Ok(self)
    }

    /// The scorecard as JSON:
    ///
    /// ```text
    /// {"year", "period": {"start", "end"}, "period_name" ("2023-24", or "START to END"),
    ///  "year_reason" (why this period: Scorecard::reason), "lines": [{"id", "title", "unit", "polarity", "section", "period", "value",
    ///   "display" (the value as the reports print it: "no data loaded for this period" for a
    ///   period the returns do not cover), "numerator", "denominator",
    ///   "small" (a denominator below SMALL_DENOMINATOR), "rate_per_10000", "threshold",
    ///   "meets_threshold", "target", "meets_target", "previous": {...}, "direction", "warnings",
    ///   "trend": [{"start", "end", "value", "no_data"}],
    ///   "comparison": null or {"source", "year", "england", "region", "neighbours", "own",
    ///                          "reconciles", "reconciliation"}}]}
    /// ```
    #[must_use]
    pub fn to_json(&self) -> Value {
        let lines: Vec<Value> = self
            .lines
            .iter()
            .map(|l| {
                let c = crate::render::json::result(&l.current);
                let p = crate::render::json::result(&l.previous);
                let trend: Vec<Value> = l
                    .trend
                    .iter()
                    .map(|t| {
                        json!({"start": t.period.start().to_string(), "end": t.period.end().to_string(),
                               "value": t.value, "no_data": t.no_data})
                    })
                    .collect();
                json!({
                    "id": c["id"], "title": c["title"], "unit": c["unit"], "polarity": c["polarity"],
                    "section": l.section().as_str(),
                    "period": c["period"], "value": c["value"], "display": value_text(&l.current),
                    "numerator": c["numerator"], "denominator": c["denominator"],
                    "small": l.is_small(),
                    "rate_per_10000": l.current.extras.float("rate_per_10000"),
                    "threshold": l.current.extras.int("threshold"),
                    "meets_threshold": l.current.extras.flag("meets_threshold"),
                    "target": l.target,
                    "meets_target": l.meets_target(),
                    "previous": {"period": p["period"], "value": p["value"], "numerator": p["numerator"], "denominator": p["denominator"]},
                    "direction": l.direction.as_str(),
                    "warnings": c["warnings"],
                    "trend": trend,
                    "comparison": l.comparison.as_ref().map(comparison_json),
                })
            })
            .collect();
        json!({
            "year": self.year,
            "period": crate::render::json::period(self.period),
            "period_name": self.period_name(),
            "year_reason": self.reason,
            "lines": lines,
        })
    }

    fn rows(&self) -> Vec<[String; 9]> {
        self.lines
            .iter()
            .map(|l| {
                let r = &l.current;
                let threshold = r
                    .extras
                    .int("threshold")
                    .map_or_else(String::new, |t| format!("<= {t}"));
                let warnings: Vec<&str> = r.warnings.iter().map(|w| w.as_str()).collect();
                [
                    r.id.as_str().to_owned(),
                    value_text(r),
                    format!("{}/{}", opt(r.numerator), opt(r.denominator)),
                    r.extras
                        .float("rate_per_10000")
                        .map_or_else(String::new, |x| format!("{x:.1}")),
                    r.unit.as_str().to_owned(),
                    threshold,
                    value_text(&l.previous),
                    l.direction.arrow().to_owned(),
                    warnings.join(", "),
                ]
            })
            .collect()
    }

    /// The scorecard as Markdown, for a report to a scrutiny panel.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let mut s = format!(
            "# Children's social care scorecard, {}\n\nPeriod {}: {}\n\n",
            self.period_name(),
            self.period_name(),
            self.reason
        );
        let _ = write!(
            s,
            "Adoption measures (A1, A10, A2, A3) cover the three years to {}; the rest the period.\n\n",
            self.end_words()
        );
        s.push_str("| measure | value | numerator/denominator | per 10,000 children | unit | threshold | previous year | direction | warnings |\n");
        s.push_str("|---|---:|---:|---:|---|---|---:|---|---|\n");
        for r in self.rows() {
            let _ = writeln!(s, "| {} |", r.join(" | "));
        }
        s
    }

    /// The scorecard as an aligned terminal table.
    #[must_use]
    pub fn to_text(&self) -> String {
        let header = [
            "measure",
            "value",
            "num/den",
            "per 10k",
            "unit",
            "threshold",
            "previous",
            "direction",
            "warnings",
        ];
        let rows = self.rows();
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let mut s = format!(
            "Scorecard for {} (adoption measures over the three years to {})\nPeriod {}: {}\n\n",
            self.period_name(),
            self.end_words(),
            self.period_name(),
            self.reason
        );
        let line = |cells: &[String], s: &mut String| {
            for (k, (c, w)) in cells.iter().zip(&widths).enumerate() {
                let pad = w.saturating_sub(c.chars().count());
                if k == 1 || k == 2 || k == 3 || k == 6 {
                    let _ = write!(s, "{}{c}  ", " ".repeat(pad));
                } else if k + 1 == cells.len() {
                    let _ = write!(s, "{c}");
                } else {
                    let _ = write!(s, "{c}{}  ", " ".repeat(pad));
                }
            }
            s.push('\n');
        };
        line(&header.map(String::from), &mut s);
        for r in &rows {
            line(r, &mut s);
        }
        s
    }
}

fn shown_json(s: &Shown) -> Value {
    json!({"value": s.value, "text": s.text})
}

fn comparison_json(c: &Comparison) -> Value {
    json!({
        "source": c.source,
        "year": c.year,
        "england": c.england.as_ref().map(shown_json),
        "region": c.region.as_ref().map(|(n, s)| json!({"name": n, "value": shown_json(s)})),
        "neighbours": c.neighbours.as_ref().map(|(mean, median, with, of)| {
            json!({"mean": shown_json(mean), "median": shown_json(median), "with_figure": with, "named": of})
        }),
        "own": c.own.as_ref().map(shown_json),
        "reconciles": c.reconciles(),
        "reconciliation": c.reconciliation.iter().map(|l| {
            json!({"label": l.label, "computed": l.computed, "published": l.published, "agrees": l.agrees})
        }).collect::<Vec<_>>(),
    })
}

fn opt(n: Option<u64>) -> String {
    n.map_or_else(|| "-".to_owned(), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_follows_polarity() {
        assert_eq!(
            Direction::of(Polarity::Higher, Some(2.0), Some(1.0)),
            Direction::Improved
        );
        assert_eq!(
            Direction::of(Polarity::Lower, Some(2.0), Some(1.0)),
            Direction::Worsened
        );
        assert_eq!(
            Direction::of(Polarity::Neither, Some(2.0), Some(1.0)),
            Direction::Up
        );
        assert_eq!(
            Direction::of(Polarity::Lower, Some(1.0), Some(1.0)),
            Direction::Same
        );
        assert_eq!(
            Direction::of(Polarity::Lower, None, Some(1.0)),
            Direction::NotComparable
        );
    }

    #[test]
    fn equal_ratios_are_the_same_and_a_year_without_data_is_not_comparable() {
        // EDGE_SCORE_SAME (spec 6.2): 1/3 and 2/6 are one value.
        use csc_measures::DatasetBuilder;
        use csc_measures::records::{CinEpisode, CinReturn, Section47};
        let one_return = |year: i32, converted: usize, of: usize| {
            let mut r = CinReturn::default();
            r.source.collection_year = Some(year);
            for k in 0..of {
                let child = format!("{year}-{k}");
                let start = csc_measures::Day::from_ymd(year - 1, 6, 1).unwrap();
                r.episodes.push(CinEpisode {
                    child: child.as_str().into(),
                    referral_date: start,
                    ..Default::default()
                });
                r.section47s.push(Section47 {
                    child: child.as_str().into(),
                    episode_referral_date: start,
                    start_date: Some(start),
                    icpc_date: (k < converted).then(|| start.add_days(10)),
                    ..Default::default()
                });
            }
            r
        };
        let ds = DatasetBuilder::new()
            .cin(one_return(2023, 1, 3))
            .cin(one_return(2024, 2, 6))
            .build()
            .unwrap();
        let card = Scorecard::new(&ds, Some(2024), &Options::default()).unwrap();
        let line = |id| card.lines.iter().find(|l| l.current.id == id).unwrap();
        let s47 = line(MeasureId::S47ToIcpc);
        assert_eq!(
            (s47.current.numerator, s47.current.denominator),
            (Some(2), Some(6))
        );
        assert_eq!(
            (s47.previous.numerator, s47.previous.denominator),
            (Some(1), Some(3))
        );
        assert_eq!(s47.direction, Direction::Same);
        // No SSDA903 return: both years are no_data, so not comparable; and 2022 has no CIN data.
        assert_eq!(
            line(MeasureId::ClaAtEnd).direction,
            Direction::NotComparable
        );
        let earlier = Scorecard::new(&ds, Some(2023), &Options::default()).unwrap();
        let s47 = earlier
            .lines
            .iter()
            .find(|l| l.current.id == MeasureId::S47ToIcpc)
            .unwrap();
        assert!(s47.previous.is_no_data());
        assert_eq!(s47.direction, Direction::NotComparable);
    }

    #[test]
    fn every_measure_has_its_section() {
        for &id in MeasureId::ALL {
            assert_ne!(Section::of(id), Section::Other, "{id} has no section");
        }
        assert_eq!(Section::of(MeasureId::ClaCeasedAdopted), Section::Adoption);
    }

    #[test]
    fn adoption_windows_are_three_years() {
        assert_eq!(
            window(MeasureId::AdoptionA2, 2024).unwrap().to_string(),
            "2021-04-01..=2024-03-31"
        );
        assert_eq!(
            window(MeasureId::Referrals, 2024).unwrap().to_string(),
            "2023-04-01..=2024-03-31"
        );
    }
}
