//! The CIN and child protection measures (spec section 4), read from the CIN census records.
//!
//! Every measure here carries the warnings `period_beyond_data` and `period_before_data` against
//! the loaded CIN census returns (spec 3), and one drill-down row per record it looked at.

pub mod assessment_factors;
pub mod assessments_45wd;
pub mod cin_at_end;
pub mod cin_plan_at_end;
pub mod cpp_at_end;
pub mod cpp_ended_2y_plus;
pub mod cpp_open_15m_plus;
pub mod cpp_open_2y_plus;
pub mod cpp_repeat_2y;
pub mod cpp_reviews_in_timescale;
pub mod cpp_second_or_subsequent;
pub mod cpp_started;
pub mod icpc_15wd;
pub mod icpc_to_cpp;
pub mod icpcs;
pub mod in_assessment_at_end;
pub mod re_referrals_12m;
pub mod re_referrals_12m_children;
pub mod referrals;
pub mod s47_to_icpc;
pub mod section47s;

use compact_str::CompactString;

use crate::day::Day;
use crate::measure::series::{Facts, Row};
use crate::result::{Reason, RecordRow};

/// A row of a count: in the numerator, not in a denominator.
pub(crate) fn counted(child: &CompactString, record: Option<Day>) -> RecordRow {
    RecordRow {
        child: child.clone(),
        record,
        in_denominator: false,
        in_numerator: true,
        value: None,
        reason: None,
        start: None,
        end: None,
    }
}

/// The duration bands of DfE tables D5 and D7, in order.
pub const DURATION_BANDS: [&str; 5] = ["<=3m", "3m-6m", "6m-1y", "1y-2y", "2y+"];

/// The band (an index into [`DURATION_BANDS`]) of a plan from `start` to `end`, the first that
/// holds: `end <= add_months(start, 3)`, `end <= add_months(start, 6)`, `end < add_years(start,
/// 1)`, `end < add_years(start, 2)`, else `2y+`.
pub(crate) fn duration_band(start: Day, end: Day) -> usize {
    DurationBounds::of(start).band(end)
}

/// The bounds of the duration bands of a plan starting on `start`: `add_months(start, 3)`,
/// `add_months(start, 6)`, `add_years(start, 1)`, `add_years(start, 2)`, worked out once for every
/// end it is compared with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DurationBounds([Day; 4]);

impl DurationBounds {
    pub(crate) fn of(start: Day) -> DurationBounds {
        DurationBounds([
            start.add_months(3),
            start.add_months(6),
            start.add_years(1),
            start.add_years(2),
        ])
    }

    /// The band of the plan at `end` ([`duration_band`]).
    pub(crate) fn band(&self, end: Day) -> usize {
        let [m3, m6, y1, y2] = self.0;
        if end <= m3 {
            0
        } else if end <= m6 {
            1
        } else if end < y1 {
            2
        } else if end < y2 {
            3
        } else {
            4
        }
    }

    /// `add_years(start, 2)`.
    pub(crate) fn two_years(&self) -> Day {
        self.0[3]
    }
}

/// The facts of the measures of the CP plans open at the period end: the plans open at some period
/// end of the span (spec 1.1; a plan with a blank start never is, 2.6), each as `(child,
/// fact(row, start))`, dated by their `CPPstartDate`, by child then start.
pub(crate) fn open_plans<F>(
    cx: &crate::measure::Cx<'_>,
    span: crate::measure::series::Span,
    fact: impl Fn(usize, Day) -> F,
) -> Facts<(u32, F)> {
    let t = cx.ds.cp_plans();
    open_records(
        span,
        t.len(),
        |i| Some((t.child[i], t.start_date[i]?, t.end_date[i])),
        fact,
    )
}

/// A row of a ratio's denominator.
pub(crate) fn included(
    child: &CompactString,
    record: Option<Day>,
    in_numerator: bool,
    value: Option<i64>,
) -> RecordRow {
    RecordRow {
        child: child.clone(),
        record,
        in_denominator: true,
        in_numerator,
        value,
        reason: None,
        start: None,
        end: None,
    }
}

/// An excluded row: both flags false, the reason set, no value.
pub(crate) fn excluded(child: &CompactString, record: Option<Day>, reason: Reason) -> RecordRow {
    RecordRow {
        child: child.clone(),
        record,
        in_denominator: false,
        in_numerator: false,
        value: None,
        reason: Some(reason),
        start: None,
        end: None,
    }
}

/// Counts `values` into bands: `bounds[k]` is the inclusive upper bound of band `k`, the last band
/// takes the rest.
pub(crate) fn bands(
    labels: &[&'static str],
    bounds: &[i64],
    values: &[i64],
) -> Vec<(&'static str, u64)> {
    let mut out: Vec<(&'static str, u64)> = labels.iter().map(|&l| (l, 0)).collect();
    for &v in values {
        let k = bounds
            .iter()
            .position(|&b| v <= b)
            .unwrap_or(labels.len() - 1);
        out[k].1 += 1;
    }
    out
}

/// Distinct (child, referral date) pairs of the CIN episodes, in table order, with the child index.
pub(crate) fn distinct_referrals(ds: &crate::Dataset) -> impl Iterator<Item = (u32, Day)> + '_ {
    let t = ds.cin_episodes();
    (0..t.len())
        .filter(move |&i| {
            i == 0 || t.child[i] != t.child[i - 1] || t.referral_date[i] != t.referral_date[i - 1]
        })
        .map(move |i| (t.child[i], t.referral_date[i]))
}

/// A CP plan starting in a period, for the repeat-plan measures: its child, whether it is in the
/// numerator, and whether its `NumberOfPreviousCPP` is blank.
#[derive(Clone, Copy)]
pub(crate) struct StartingPlan {
    pub child: u32,
    pub in_numerator: bool,
    pub count_missing: bool,
}

/// The facts of the repeat-plan measures: the plans with `CPPstartDate` in the span, dated by it,
/// in the order of their rows (child, start, numerator flag); `in_numerator(i)` judges plan `i`
/// (on the whole history, whatever the period).
pub(crate) fn starting_plans(
    cx: &crate::measure::Cx<'_>,
    span: crate::measure::series::Span,
    in_numerator: impl Fn(usize) -> bool,
) -> crate::measure::series::Facts<StartingPlan> {
    let t = cx.ds.cp_plans();
    let mut v: Vec<(Day, StartingPlan)> = (0..t.len())
        .filter_map(|i| {
            let s = t.start_date[i].filter(|&s| span.holds(s))?;
            let plan = StartingPlan {
                child: t.child[i],
                in_numerator: in_numerator(i),
                count_missing: t.previous_plans[i].is_none(),
            };
            Some((s, plan))
        })
        .collect();
    v.sort_by_key(|&(s, p)| (p.child, s, p.in_numerator));
    crate::measure::series::Facts::dated(v)
}

/// Rows of the repeat-plan measures over `cx.period`: one per plan with `CPPstartDate` in the
/// period (`unit = plans`), or one per child with such a plan, at its earliest such start, in the
/// numerator when any of its plans is (`unit = children`). In spec 6.1 order.
pub(crate) fn starting_plan_rows(
    cx: &crate::measure::Cx<'_>,
    facts: &crate::measure::series::Facts<StartingPlan>,
) -> Vec<RecordRow> {
    use crate::measure::{PlanUnit, options};
    let unit = cx.opt(&options::UNIT);
    let plans = facts.of_dated(cx.period);
    let mut rows: Vec<RecordRow> = Vec::with_capacity(plans.len());
    let mut last_child = u32::MAX;
    for (s, p) in plans {
        match (unit, rows.last_mut()) {
            (PlanUnit::Children, Some(r)) if last_child == p.child => {
                r.in_numerator |= p.in_numerator;
            }
            _ => rows.push(included(
                crate::measure::series::child_id(cx.ds, p.child),
                Some(s),
                p.in_numerator,
                None,
            )),
        }
        last_child = p.child;
    }
    rows
}

/// The working-day timeliness measures (assessments, conferences): their facts are one row per
/// record with its event date in the span, each with whether its count was provisional, and the
/// included durations, sorted, for bands and quartiles.
pub(crate) struct Timeliness {
    limit: i64,
    rows: Vec<(Day, (Row, bool))>,
}

/// The facts of a timeliness measure ([`Timeliness`]).
pub(crate) struct TimelyFacts {
    /// Every row, with whether its count was provisional, in spec 6.1 order.
    rows: Facts<(Row, bool)>,
    /// The durations of the included rows, ascending.
    durations: Facts<i64>,
}

impl Timeliness {
    pub(crate) fn new(limit: u32) -> Timeliness {
        Timeliness {
            limit: i64::from(limit),
            rows: Vec::new(),
        }
    }

    /// Excludes the record of `child` dated `day` (the clock's end, its row's `end`; the start is
    /// blank) with `reason`.
    pub(crate) fn exclude(&mut self, day: Day, child: u32, record: Option<Day>, reason: Reason) {
        let row = Row::excluded(child, record, reason).dated(None, Some(day));
        self.rows.push((day, (row, false)));
    }

    /// Counts `wd(start, end)` for the record of `child` dated `day`; an end before the start is
    /// excluded with `reversed`. The row carries `start` and `end`.
    pub(crate) fn count(
        &mut self,
        cx: &crate::measure::Cx<'_>,
        day: Day,
        (child, record): (u32, Option<Day>),
        (start, end): (Day, Day),
        reversed: Reason,
    ) {
        match cx.wd(start, end) {
            Err(_) => {
                let row = Row::excluded(child, record, reversed).dated(Some(start), Some(end));
                self.rows.push((day, (row, false)));
            }
            Ok(n) => {
                let d = i64::from(n.days);
                let row = Row::included(child, record, d <= self.limit, Some(d))
                    .dated(Some(start), Some(end));
                self.rows.push((day, (row, n.provisional)));
            }
        }
    }

    /// The facts.
    pub(crate) fn facts(mut self) -> TimelyFacts {
        self.rows.sort_by_key(|(_, (r, _))| r.key());
        let mut durations: Vec<(Day, i64)> = self
            .rows
            .iter()
            .filter(|(_, (r, _))| r.in_denominator)
            .filter_map(|&(d, (r, _))| Some((d, r.value?)))
            .collect();
        durations.sort_unstable_by_key(|&(_, v)| v);
        TimelyFacts {
            rows: Facts::dated(self.rows),
            durations: Facts::dated(durations),
        }
    }

    /// The result over `cx.period`, with `bands` (upper bounds `bounds`), quartiles and
    /// `calendar_provisional` (a counted duration of the period examined a provisional day).
    pub(crate) fn finish(
        cx: &crate::measure::Cx<'_>,
        facts: &TimelyFacts,
        labels: &[&'static str],
        bounds: &[i64],
    ) -> crate::result::MeasureResult {
        use crate::result::{Extra, Extras, Quartiles, Warning};
        let mut provisional = false;
        let rows: Vec<RecordRow> = facts.rows.collect(cx.period, |(_, &(r, p))| {
            provisional |= p;
            r.to_record(cx.ds)
        });
        let warnings = if provisional {
            vec![Warning::CalendarProvisional]
        } else {
            Vec::new()
        };
        // Ascending already: the quartiles' sort finds them in order.
        let mut durations: Vec<i64> = facts.durations.collect(cx.period, |(_, &v)| v);
        let extras = Extras::new()
            .with("bands", Extra::Counts(bands(labels, bounds, &durations)))
            .with("quartiles", Extra::Quartiles(Quartiles::of(&mut durations)));
        cx.result_ordered(rows, warnings, extras)
    }
}

/// The facts of the "children with an open record at the period end" counts and of the measures of
/// the plans open at the end: the records of a table (`0..n`, in table order, so by child) open at
/// some period end of the span, `interval(i)` giving record `i`'s child, start and end (`None`:
/// never open), each as `(child, fact(i, start))`, sorted by child, then start.
pub(crate) fn open_records<F>(
    span: crate::measure::series::Span,
    n: usize,
    interval: impl Fn(usize) -> Option<(u32, Day, Option<Day>)>,
    fact: impl Fn(usize, Day) -> F,
) -> Facts<(u32, F)> {
    let mut v: Vec<(Day, Option<Day>, (u32, F))> = (0..n)
        .filter_map(|i| {
            let (c, s, e) = interval(i)?;
            span.open_at_an_end(s, e).then(|| (s, e, (c, fact(i, s))))
        })
        .collect();
    v.sort_by_key(|&(s, _, (c, _))| (c, s));
    Facts::open(v)
}

/// Rows of the "children with an open record at the period end" counts, from the facts of
/// [`open_records`]: per child with a record open at `cx.period.end`, the earliest start among
/// them. In spec 6.1 order.
pub(crate) fn open_at_end_rows(
    cx: &crate::measure::Cx<'_>,
    facts: &Facts<(u32, ())>,
) -> Vec<RecordRow> {
    let open = facts.of_dated(cx.period);
    let mut rows = Vec::with_capacity(open.len());
    let mut last_child = None;
    for (s, &(c, ())) in open {
        if last_child.replace(c) != Some(c) {
            rows.push(counted(crate::measure::series::child_id(cx.ds, c), Some(s)));
        }
    }
    rows
}

/// The drill-down row of the CP plans starting in the period (`cpp_second_or_subsequent`, `cpp_repeat_2y`).
pub(crate) const PLAN_START_ROWS: crate::measure::RowDoc = crate::measure::RowDoc {
    per: "plan starting in the period (`unit = children`: child, with its earliest such start)",
    record: "`CPPstartDate`",
    value: "empty",
    start: None,
    end: None,
};

/// The drill-down row of the conferences counted (`icpcs`, `icpc_to_cpp`).
pub(crate) const ICPC_ROWS: crate::measure::RowDoc = crate::measure::RowDoc {
    per: "conference counted",
    record: "conference date",
    value: "empty",
    start: None,
    end: None,
};

/// The drill-down row of the section 47 enquiries starting in the period (`section47s`, `s47_to_icpc`).
pub(crate) const S47_ROWS: crate::measure::RowDoc = crate::measure::RowDoc {
    per: "section 47 starting in the period",
    record: "`S47ActualStartDate`",
    value: "empty",
    start: None,
    end: None,
};
