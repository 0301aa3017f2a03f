//! What a measure returns (spec section 6): numerator, denominator, value, exclusions by reason,
//! warnings, extras, and one drill-down row per record looked at.

use std::collections::BTreeMap;
use std::fmt;

use compact_str::CompactString;

use crate::day::Day;
use crate::measure::MeasureId;
use crate::period::Period;

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[doc = $vdoc:literal])* $v:ident = $s:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[doc = $vdoc])* $v,)*
        }

        impl $name {
            /// Every value, in the spec's order.
            pub const ALL: &'static [$name] = &[$($name::$v,)*];

            /// The stable snake_case string.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$v => $s,)* }
            }

            /// What it means, in words for people (its documentation).
            #[must_use]
            pub fn describe(self) -> &'static str {
                match self { $($name::$v => concat!($($vdoc),*).trim_ascii(),)* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// Why a record a measure looked at is excluded (spec 3); the first failing check wins.
    Reason {
        /// The clock's start date is blank.
        MissingStart = "missing_start",
        /// The end is before the start.
        NegativeDuration = "negative_duration",
        /// The conference is before the section 47 enquiry started.
        IcpcBeforeS47 = "icpc_before_s47",
        /// No date of birth.
        MissingDob = "missing_dob",
        /// The period of care began before the loaded data.
        HistoryTruncated = "history_truncated",
        /// No adoptive placement in the period of care.
        NoAdoptivePlacement = "no_adoptive_placement",
        /// No placement order in the period of care.
        NoPlacementOrder = "no_placement_order",
        /// No match date.
        NoMatchDate = "no_match_date",
        /// The episode open at the date is a short break.
        ShortBreak = "short_break",
        /// Every ending of the child in the period was set by the `not_resubmitted_closed` repair.
        EndByRepair = "end_by_repair",
        /// No row of the annual table for the child in the return of spec 2.5.
        NoOutcomeRecord = "no_outcome_record",
        /// More than one distinct row of the annual table for the child.
        ConflictingRecords = "conflicting_records",
        /// The field the measure reads is blank.
        ValueMissing = "value_missing",
        /// The OC2 row has no SDQ score.
        NoSdqScore = "no_sdq_score",
        /// The child's last episode ended with a transfer (`REC` E3).
        CareTransferred = "care_transferred",
        /// The care leaver died (`IN_TOUCH` DIED).
        CareLeaverDied = "care_leaver_died",
        /// The care leaver returned home (`IN_TOUCH` RHOM).
        CareLeaverReturnedHome = "care_leaver_returned_home",
        /// The accommodation's suitability cannot be known (abroad, deported, not known).
        AccommodationUnknowable = "accommodation_unknowable",
        /// The child was not looked after in the period.
        NotLookedAfter = "not_looked_after",
        /// No social-worker episode in the window.
        NoSwEpisodes = "no_sw_episodes",
        /// Every AD1 row carrying the match has a blank decision date.
        NoDecisionDate = "no_decision_date",
    }
}

string_enum! {
    /// Warnings on a result (spec 3), sorted and without repeats.
    Warning {
        /// The loaded returns do not reach back as far as the measure looks.
        InsufficientHistory = "insufficient_history",
        /// A working-day count examined a day after the calendar's last official year.
        CalendarProvisional = "calendar_provisional",
        /// The period ends after the latest loaded return of the kind the measure reads.
        PeriodBeyondData = "period_beyond_data",
        /// The period starts before the earliest loaded return of that kind.
        PeriodBeforeData = "period_before_data",
        /// A plan's `NumberOfPreviousCPP` is unknown while the count is in force.
        PreviousCppCountMissing = "previous_cpp_count_missing",
        /// A population was given, but not the estimate for the mid-year this period uses (spec 8).
        PopulationMissing = "population_missing",
        /// The loaded returns do not cover the period (spec 3.1): numbers, extras and rows are null.
        NoData = "no_data",
        /// A loaded return the measure reads lacks a table it requires or reads for an extra
        /// (spec 3.1).
        TableMissing = "table_missing",
        /// An annual table (OC2, OC3) read for a period not ending on 31 March (spec 2.5).
        AnnualTablePeriodMismatch = "annual_table_period_mismatch",
    }
}

string_enum! {
    /// What a measure counts.
    Unit {
        /// Referrals.
        Referrals = "referrals",
        /// Assessments.
        Assessments = "assessments",
        /// Conferences.
        Conferences = "conferences",
        /// Section 47 enquiries.
        Enquiries = "enquiries",
        /// CP plans.
        Plans = "plans",
        /// CIN episodes.
        Episodes = "episodes",
        /// A score (SDQ).
        Score = "score",
        /// Care leavers.
        YoungPeople = "young_people",
        /// Missing incidents.
        Incidents = "incidents",
        /// Children.
        Children = "children",
        /// Days (averages).
        Days = "days",
    }
}

string_enum! {
    /// Which direction is better.
    Polarity {
        /// Higher is better.
        Higher = "higher",
        /// Lower is better.
        Lower = "lower",
        /// Neither: a volume.
        Neither = "neither",
    }
}

/// How `value` relates to the numerator and denominator (exhaustive: every surface handles all
/// three).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// `value = numerator = count`; the denominator is null.
    Count,
    /// `value = 100 * numerator / denominator`, unrounded.
    Percentage,
    /// `value` = the mean of the days, rounded half up to a whole day.
    MeanDays,
    /// `value = numerator / denominator`, unrounded (an average score: `sdq_average`, spec 6.1).
    Mean,
}

impl ValueKind {
    /// `count`, `percentage`, `mean_days` or `mean`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ValueKind::Count => "count",
            ValueKind::Percentage => "percentage",
            ValueKind::MeanDays => "mean_days",
            ValueKind::Mean => "mean",
        }
    }
}

/// Quartiles of durations (numpy's linear interpolation), unrounded; all `None` without durations.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Quartiles {
    /// 25th percentile.
    pub p25: Option<f64>,
    /// Median.
    pub median: Option<f64>,
    /// 75th percentile.
    pub p75: Option<f64>,
}

impl Quartiles {
    /// The quartiles of `values` (sorted here).
    #[must_use]
    pub fn of(values: &mut [i64]) -> Quartiles {
        values.sort_unstable();
        Quartiles {
            p25: percentile(values, 0.25),
            median: percentile(values, 0.5),
            p75: percentile(values, 0.75),
        }
    }
}

/// The `q` quantile of sorted `v` by linear interpolation between closest ranks (numpy's default).
///
/// ```
/// use csc_measures::result::percentile;
/// assert_eq!(percentile(&[1, 2, 3, 4], 0.25), Some(1.75));
/// assert_eq!(percentile(&[7], 0.5), Some(7.0));
/// assert_eq!(percentile(&[], 0.5), None);
/// ```
#[must_use]
pub fn percentile(v: &[i64], q: f64) -> Option<f64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    let pos = q * (n - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    let (a, b) = (v[lo] as f64, v[hi.min(n - 1)] as f64);
    Some(a + (b - a) * frac)
}

/// One extra of a result (spec 6, 6.1): every surface renders each kind the same way, whatever its
/// name.
#[derive(Clone, Debug, PartialEq)]
pub enum Extra {
    /// Counts under labels: every label of the measure, in order, zeros included (`bands`,
    /// `placements_distribution`, ...). JSON: an object of integers.
    Counts(Vec<(&'static str, u64)>),
    /// Quartiles of durations. JSON: `{"p25", "median", "p75"}`, floats or null.
    Quartiles(Quartiles),
    /// A whole number (`threshold`, a count), null when it cannot be computed.
    Int(Option<i64>),
    /// A number (`mean`, a rate), null when it cannot be computed.
    Float(Option<f64>),
    /// A flag (`meets_threshold`), null when it cannot be computed.
    Flag(Option<bool>),
    /// Numbers under labels (`factor_rates_per_10000`), in the measure's order. JSON: an object of
    /// floats or nulls.
    Floats(Vec<(&'static str, Option<f64>)>),
    /// An extra that cannot be computed, whatever its kind (every extra but `threshold` of a
    /// `no_data` result, spec 6.1). JSON: `null`.
    Null,
}

impl Extra {
    /// The same kind with the same labels, every value zero or null: what the extra looks like
    /// whatever the data.
    pub(crate) fn shape(&self) -> Extra {
        match self {
            Extra::Counts(c) => Extra::Counts(c.iter().map(|&(l, _)| (l, 0)).collect()),
            Extra::Floats(c) => Extra::Floats(c.iter().map(|&(l, _)| (l, None)).collect()),
            Extra::Quartiles(_) => Extra::Quartiles(Quartiles {
                p25: None,
                median: None,
                p75: None,
            }),
            Extra::Int(_) => Extra::Int(None),
            Extra::Float(_) => Extra::Float(None),
            Extra::Flag(_) => Extra::Flag(None),
            Extra::Null => Extra::Null,
        }
    }
}

/// The extras of a result, in the order the measure gives them.
///
/// ```
/// use csc_measures::result::{Extra, Extras};
/// let e = Extras::new().with("threshold", Extra::Int(Some(426))).with("mean", Extra::Float(None));
/// assert_eq!(e.int("threshold"), Some(426));
/// assert_eq!(e.get("mean"), Some(&Extra::Float(None)));
/// assert_eq!(e.iter().map(|(k, _)| *k).collect::<Vec<_>>(), ["threshold", "mean"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extras(Vec<(&'static str, Extra)>);

impl Extras {
    /// No extras.
    #[must_use]
    pub fn new() -> Extras {
        Extras(Vec::new())
    }

    /// The same extras and `key`.
    #[must_use]
    pub fn with(mut self, key: &'static str, value: Extra) -> Extras {
        self.set(key, value);
        self
    }

    /// Sets `key` (in its place when it is there, else last).
    pub fn set(&mut self, key: &'static str, value: Extra) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    /// The extra `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Extra> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Every extra, in order.
    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, Extra)> {
        self.0.iter()
    }

    /// No extras?
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The whole number `key`, when it is one and present.
    #[must_use]
    pub fn int(&self, key: &str) -> Option<i64> {
        match self.get(key) {
            Some(Extra::Int(n)) => *n,
            _ => None,
        }
    }

    /// The number `key`, when it is one and present.
    #[must_use]
    pub fn float(&self, key: &str) -> Option<f64> {
        match self.get(key) {
            Some(Extra::Float(x)) => *x,
            _ => None,
        }
    }

    /// The flag `key`, when it is one and present.
    #[must_use]
    pub fn flag(&self, key: &str) -> Option<bool> {
        match self.get(key) {
            Some(Extra::Flag(b)) => *b,
            _ => None,
        }
    }

    /// The counts `key`, when it is one.
    #[must_use]
    pub fn counts(&self, key: &str) -> Option<&[(&'static str, u64)]> {
        match self.get(key) {
            Some(Extra::Counts(v)) => Some(v),
            _ => None,
        }
    }

    /// The quartiles `key`, when it is one.
    #[must_use]
    pub fn quartiles(&self, key: &str) -> Option<Quartiles> {
        match self.get(key) {
            Some(Extra::Quartiles(q)) => Some(*q),
            _ => None,
        }
    }
}

/// One drill-down row (spec 6): a record the measure looked at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRow {
    /// The child.
    pub child: CompactString,
    /// The record's key date (see the measure's docs), `None` when blank.
    pub record: Option<Day>,
    /// In the denominator.
    pub in_denominator: bool,
    /// In the numerator.
    pub in_numerator: bool,
    /// The measure's per-record value (working days, days, a count), `None` when empty.
    pub value: Option<i64>,
    /// Why the record is excluded, when it is.
    pub reason: Option<Reason>,
    /// The first of the dates a reader needs to check `value` by hand (for `adoption_a1`, the
    /// date the child entered care; for `assessments_45wd`, the assessment's start): what it is
    /// for each measure is its [`RowDoc::start`](crate::measure::RowDoc::start). `None` when the
    /// measure has no such date or it is blank. Not part of the spec 6 columns: renderers write
    /// it after them.
    pub start: Option<Day>,
    /// The second such date (for `adoption_a1`, the date the child moved in with the adoptive
    /// family; for `assessments_45wd`, its authorisation): the measure's
    /// [`RowDoc::end`](crate::measure::RowDoc::end).
    pub end: Option<Day>,
}

impl RecordRow {
    /// The same row with its `start` and `end` dates.
    #[must_use]
    pub fn dated(mut self, start: Option<Day>, end: Option<Day>) -> RecordRow {
        self.start = start;
        self.end = end;
        self
    }
}

/// What every surface shows where the value of a `no_data` result would be (spec 3.1).
pub const NO_DATA_TEXT: &str = "no data loaded for this period";

/// The note of a ratio or average whose denominator is 0 on loaded data (its value is null).
pub const ZERO_DENOMINATOR_TEXT: &str = "none in the denominator";

/// The result of one measure over one period.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasureResult {
    /// Which measure.
    pub id: MeasureId,
    /// What it counts under the options in force (the measure's [`MeasureId::unit`], except
    /// `assessment_factors` under `factor_unit = assessments`).
    pub unit: Unit,
    /// The period it was computed for.
    pub period: Period,
    /// Numerator (the count, for counts; the day sum, for averages).
    pub numerator: Option<u64>,
    /// Denominator; `None` for counts.
    pub denominator: Option<u64>,
    /// The value: see [`MeasureResult::value_kind`].
    pub value: Option<f64>,
    /// The options the measure read, with the values in force.
    pub options: Vec<(&'static str, String)>,
    /// Excluded records per reason (reasons with zero omitted).
    pub excluded: BTreeMap<Reason, u64>,
    /// Warnings, sorted, without repeats.
    pub warnings: Vec<Warning>,
    /// Bands, quartiles, means and thresholds.
    pub extras: Extras,
    /// One row per record looked at, in spec 6 order.
    pub rows: Vec<RecordRow>,
    /// For a `no_data` result, the shape its extras have on covered data (every label and kind,
    /// every value zero or null), so that a long table of several periods ([`crate::flat`]) has
    /// the same columns whether or not any period had data. Empty otherwise.
    pub(crate) shape: Extras,
}

impl MeasureResult {
    /// How the value is made.
    #[must_use]
    pub fn value_kind(&self) -> ValueKind {
        self.id.value_kind()
    }

    /// This result as one whose period the loaded returns do not cover (spec 3.1, 6.1): numerator,
    /// denominator and value null, no exclusions and no rows, every extra null but `threshold`,
    /// and the single warning `no_data`; the options stay.
    pub(crate) fn make_no_data(&mut self) {
        self.numerator = None;
        self.denominator = None;
        self.value = None;
        self.excluded.clear();
        self.rows.clear();
        self.warnings = vec![Warning::NoData];
        self.shape = Extras(
            self.extras
                .iter()
                .map(|&(k, ref e)| (k, e.shape()))
                .collect(),
        );
        let keys: Vec<&'static str> = self.extras.iter().map(|(k, _)| *k).collect();
        for k in keys {
            if k != "threshold" {
                self.extras.set(k, Extra::Null);
            }
        }
    }

    /// Is this a `no_data` result (spec 3.1)?
    #[must_use]
    pub fn is_no_data(&self) -> bool {
        self.warnings.contains(&Warning::NoData)
    }

    /// The result's value in words when it has none: [`NO_DATA_TEXT`] for a `no_data` result
    /// (the returns loaded do not cover the period), [`ZERO_DENOMINATOR_TEXT`] for a ratio or
    /// average over nothing on loaded data; `None` when the value is there. What the tables'
    /// `note` column holds.
    #[must_use]
    pub fn note(&self) -> Option<&'static str> {
        if self.is_no_data() {
            Some(NO_DATA_TEXT)
        } else if self.value.is_none() && self.denominator == Some(0) {
            Some(ZERO_DENOMINATOR_TEXT)
        } else {
            None
        }
    }

    /// A result with counts filled from `rows` (sorted here into spec 6 order) by the
    /// measure's kind: ratios count the flags, counts the numerator flags.
    pub(crate) fn from_rows(
        id: MeasureId,
        period: Period,
        options: Vec<(&'static str, String)>,
        mut rows: Vec<RecordRow>,
        warnings: Vec<Warning>,
        extras: Extras,
    ) -> MeasureResult {
        sort_rows(&mut rows);
        MeasureResult::from_ordered_rows(id, period, options, rows, warnings, extras)
    }

    /// [`MeasureResult::from_rows`] for `rows` already in spec 6.1 order (as a measure that keeps
    /// its rows sorted makes them): the same result, without the sort. The counts are made in one
    /// pass over the rows.
    pub(crate) fn from_ordered_rows(
        id: MeasureId,
        period: Period,
        options: Vec<(&'static str, String)>,
        rows: Vec<RecordRow>,
        mut warnings: Vec<Warning>,
        extras: Extras,
    ) -> MeasureResult {
        debug_assert!(
            rows.is_sorted_by(|a, b| row_key(a) <= row_key(b)),
            "{id}: rows out of spec 6.1 order"
        );
        let mut excluded = BTreeMap::new();
        let (mut num, mut den, mut sum) = (0_u64, 0_u64, 0_i64);
        for r in &rows {
            num += u64::from(r.in_numerator);
            den += u64::from(r.in_denominator);
            if r.in_numerator {
                sum += r.value.unwrap_or(0);
            }
            if let Some(reason) = r.reason {
                *excluded.entry(reason).or_insert(0) += 1;
            }
        }
        let (numerator, denominator, value) = match id.value_kind() {
            ValueKind::Count => (Some(num), None, Some(num as f64)),
            ValueKind::Percentage => (
                Some(num),
                Some(den),
                (den > 0).then(|| (100.0 * num as f64) / den as f64),
            ),
            ValueKind::MeanDays | ValueKind::Mean => {
                let n = i64::try_from(den).unwrap_or(i64::MAX);
                let value = (n > 0).then(|| {
                    if id.value_kind() == ValueKind::Mean {
                        sum as f64 / n as f64
                    } else {
                        ((2 * sum + n).div_euclid(2 * n)) as f64
                    }
                });
                (Some(sum.max(0) as u64), Some(den), value)
            }
        };
        warnings.sort_unstable();
        warnings.dedup();
        MeasureResult {
            id,
            unit: id.unit(),
            period,
            numerator,
            denominator,
            value,
            options,
            excluded,
            warnings,
            extras,
            rows,
            shape: Extras::new(),
        }
    }
}

/// The spec 6.1 sort key of a drill-down row: child (byte order), then `record` (empty first),
/// then `value` (empty first), then `in_denominator` and `in_numerator` (false first), then
/// `reason` (empty first, then byte order); rows the spec leaves tied (equal in its columns) are
/// then ordered by `start`, then `end` (empty first), so that their order never depends on the
/// input's. Rows with equal keys are equal.
type RowKey<'a> = (
    &'a [u8],
    Option<Day>,
    Option<i64>,
    bool,
    bool,
    Option<&'static str>,
    Option<Day>,
    Option<Day>,
);

fn row_key(r: &RecordRow) -> RowKey<'_> {
    (
        r.child.as_bytes(),
        r.record,
        r.value,
        r.in_denominator,
        r.in_numerator,
        r.reason.map(Reason::as_str),
        r.start,
        r.end,
    )
}

/// Sorts drill-down rows as spec 6.1 ([`row_key`]), so that the order never depends on the
/// input's.
fn sort_rows(rows: &mut [RecordRow]) {
    // Stable and linear on rows that are already in order, as the measures mostly make them.
    rows.sort_by(|a, b| row_key(a).cmp(&row_key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_linear_percentiles() {
        // numpy.percentile([0, 1, 5, 10, 46], [25, 50, 75]) = [1, 5, 10]
        let mut v = vec![46, 0, 10, 5, 1];
        let q = Quartiles::of(&mut v);
        assert_eq!((q.p25, q.median, q.p75), (Some(1.0), Some(5.0), Some(10.0)));
        // numpy.percentile([3, 8], [25, 50, 75]) = [4.25, 5.5, 6.75]
        let q = Quartiles::of(&mut [8, 3]);
        assert_eq!(
            (q.p25, q.median, q.p75),
            (Some(4.25), Some(5.5), Some(6.75))
        );
        assert_eq!(Quartiles::of(&mut []), Quartiles::default());
    }
}
