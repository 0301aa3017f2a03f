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
    }
}

/// The duration bands of DfE tables D5 and D7, in order.
pub const DURATION_BANDS: [&str; 5] = ["<=3m", "3m-6m", "6m-1y", "1y-2y", "2y+"];

/// The band (an index into [`DURATION_BANDS`]) of a plan from `start` to `end`, the first that
/// holds: `end <= add_months(start, 3)`, `end <= add_months(start, 6)`, `end < add_years(start,
/// 1)`, `end < add_years(start, 2)`, else `2y+`.
pub(crate) fn duration_band(start: Day, end: Day) -> usize {
    if end <= start.add_months(3) {
        0
    } else if end <= start.add_months(6) {
        1
    } else if end < start.add_years(1) {
        2
    } else if end < start.add_years(2) {
        3
    } else {
        4
    }
}

/// The CP plans open at `d` (spec 1.1; a plan with a blank start never is, 2.6), with their
/// `CPPstartDate`, in table order.
pub(crate) fn open_plans(
    t: &crate::schema::cin::CpPlans,
    d: Day,
) -> impl Iterator<Item = (usize, Day)> + '_ {
    (0..t.len()).filter_map(move |i| {
        t.start_date[i]
            .filter(|&s| crate::period::open_at(s, t.end_date[i], d))
            .map(|s| (i, s))
    })
}

/// The number of distinct children among `rows`.
pub(crate) fn distinct_children(rows: &[RecordRow]) -> i64 {
    let mut ids: Vec<&str> = rows.iter().map(|r| r.child.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len() as i64
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

/// Rows of the repeat-plan measures: one per plan with `CPPstartDate` in the period (`unit =
/// plans`), or one per child with such a plan, at its earliest such start, in the numerator when
/// any of its plans is (`unit = children`). `in_numerator(i)` judges plan row `i`.
pub(crate) fn starting_plan_rows(
    cx: &crate::measure::Cx<'_>,
    in_numerator: impl Fn(usize) -> bool,
) -> Vec<RecordRow> {
    use crate::measure::{PlanUnit, options};
    let ds = cx.ds;
    let unit = cx.opt(&options::UNIT);
    let t = ds.cp_plans();
    let mut rows: Vec<RecordRow> = Vec::new();
    let mut last_child = u32::MAX;
    for i in 0..t.len() {
        let Some(s) = t.start_date[i].filter(|&s| cx.period.contains(s)) else {
            continue;
        };
        let num = in_numerator(i);
        let child = &ds.children()[t.child[i] as usize];
        match (unit, rows.last_mut()) {
            (PlanUnit::Children, Some(r)) if last_child == t.child[i] => r.in_numerator |= num,
            _ => rows.push(included(child, Some(s), num, None)),
        }
        last_child = t.child[i];
    }
    rows
}

/// The working-day timeliness measures (assessments, conferences): rows, the included durations for
/// bands and quartiles, and whether any count was provisional.
pub(crate) struct Timeliness {
    limit: i64,
    rows: Vec<RecordRow>,
    durations: Vec<i64>,
    provisional: bool,
}

impl Timeliness {
    pub(crate) fn new(limit: u32) -> Timeliness {
        Timeliness {
            limit: i64::from(limit),
            rows: Vec::new(),
            durations: Vec::new(),
            provisional: false,
        }
    }

    pub(crate) fn exclude(&mut self, child: &CompactString, record: Option<Day>, reason: Reason) {
        self.rows.push(excluded(child, record, reason));
    }

    /// Counts `wd(start, end)`; an end before the start is excluded with `reversed`.
    pub(crate) fn count(
        &mut self,
        cx: &crate::measure::Cx<'_>,
        child: &CompactString,
        record: Option<Day>,
        (start, end): (Day, Day),
        reversed: Reason,
    ) {
        match cx.wd(start, end) {
            Err(_) => self.exclude(child, record, reversed),
            Ok(n) => {
                self.provisional |= n.provisional;
                let d = i64::from(n.days);
                self.durations.push(d);
                self.rows
                    .push(included(child, record, d <= self.limit, Some(d)));
            }
        }
    }

    /// The result, with `bands` (upper bounds `bounds`), quartiles and `calendar_provisional`.
    pub(crate) fn finish(
        mut self,
        cx: &crate::measure::Cx<'_>,
        labels: &[&'static str],
        bounds: &[i64],
    ) -> crate::result::MeasureResult {
        use crate::result::{Extra, Extras, Quartiles, Warning};
        let warnings = if self.provisional {
            vec![Warning::CalendarProvisional]
        } else {
            Vec::new()
        };
        let extras = Extras::new()
            .with(
                "bands",
                Extra::Counts(bands(labels, bounds, &self.durations)),
            )
            .with(
                "quartiles",
                Extra::Quartiles(Quartiles::of(&mut self.durations)),
            );
        cx.result(self.rows, warnings, extras)
    }
}

/// Rows of the "children with an open record at the period end" counts: per child, the earliest
/// start among its records (rows `range` of a table) for which `open(i)` gives a start.
pub(crate) fn open_at_end_rows(
    ds: &crate::Dataset,
    range: impl Fn(u32) -> std::ops::Range<usize>,
    open: impl Fn(usize) -> Option<Day>,
) -> Vec<RecordRow> {
    (0..ds.children().len() as u32)
        .filter_map(|c| {
            let s = range(c).filter_map(&open).min()?;
            Some(counted(&ds.children()[c as usize], Some(s)))
        })
        .collect()
}
