//! `cla_reviews_on_time`: **Children looked after at the period end whose reviews were all held
//! within timescales** (percentage; unit children; polarity higher).
//!
//! * Cohort: the children counted by [`cla_at_end`](super::cla_at_end) whose current period of care
//!   (the one containing the episode open at `period.end`, short breaks removed) starts on `s` (a
//!   history-truncated period: its first loaded `DECOM`) with `wd(s, period.end + 1 day) >
//!   cla_first_review_wd` (the first review was due by `period.end`; `wd` under the `working_days`
//!   option). When the SSDA903 data start `L(period.end)` (spec 2.6) is defined and `s < L`, the
//!   child is always in the cohort (and the cohort test's `wd` is not evaluated). Other children
//!   have no row.
//! * Numerator: cohort children whose review schedule (spec 2.6,
//!   [`schedule`](crate::measure::schedule)) is met, with start `s`, `R` = the child's distinct
//!   `REVIEW` dates (SSDA903 Reviews, every loaded year), `D = period.end`, `L = L(period.end)`, and
//!   rules first `wd(a, r) <= cla_first_review_wd` (default 20), second `3m` (`r <= add_months(a,
//!   3)`), later `6m`. A review dated `s` is not walked; anchored at `s`, a cohort child with no
//!   review walked is always overdue. A pre-data schedule (`s < L`) ignores the reviews before `L`,
//!   is anchored on the day before `L`, and its next review is a *later* one (6 months).
//! * Warnings: `insufficient_history` when any cohort child has a pre-data schedule;
//!   `calendar_provisional` when a working-day count of a cohort child (its cohort test, or its
//!   schedule's first-review rule in steps 2 and 3) examined a day after the calendar's last
//!   official year. A child not in the cohort is not a record the measure counted, so its cohort
//!   test never raises `calendar_provisional` (decision: spec 1.3 "for a record it counted").
//!
//! The result is `no_data` unless a return whose year holds `period.end` holds a Reviews table
//! (spec 3.1).
//!
//! Drill-down: one row per cohort child; `record` = `s`; `value` = the reviews walked.
//!
//! Source: The Children Act 1989 guidance and regulations, volume 2: care planning, placement and
//! case review (first review within 20 working days of the child becoming looked after, the second
//! within 3 months of the first, later ones at intervals of no more than 6 months).

use crate::measure::cin::included;
use crate::measure::schedule::{Rule, schedule};
use crate::measure::{Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind, Warning};

use super::looked_after;

/// What `cla_reviews_on_time` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cla_reviews_on_time",
    title: "Children looked after at the period end whose reviews were all held within timescales",
    unit: Unit::Children,
    polarity: Polarity::Higher,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::END.requires(&["Reviews"]),
    options: &[
        &options::WORKING_DAYS.def,
        &options::CLA_FIRST_REVIEW_WD.def,
    ],
    rates: &[],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let (care, periods, reviews) = (ds.care(), ds.periods_of_care(), &ds.ssda903().reviews);
    let end = cx.period.end();
    let first_wd = cx.opt(&options::CLA_FIRST_REVIEW_WD);
    let rules = [
        Rule::WorkingDays(first_wd),
        Rule::Months(3),
        Rule::Months(6),
    ];
    let data_start = cx.data_start(ReturnKind::Ssda903, end);
    let (mut pre_data, mut provisional) = (false, false);
    let mut rows = Vec::new();
    for c in 0..ds.children().len() as u32 {
        let Some(Ok(open)) = looked_after(ds, c, end) else {
            continue;
        };
        let s = periods[care.period[open] as usize].start;
        let mut cohort_provisional = false;
        let in_cohort = data_start.is_some_and(|l| s < l)
            || cx.wd(s, end.add_days(1)).is_ok_and(|w| {
                cohort_provisional = w.provisional;
                w.days > first_wd
            });
        if !in_cohort {
            continue;
        }
        let dates: Vec<_> = reviews.of_child(c).map(|i| reviews.review[i]).collect();
        let sch = schedule(cx, s, &dates, end, data_start, rules);
        pre_data |= sch.pre_data;
        provisional |= cohort_provisional || sch.provisional;
        rows.push(included(
            &ds.children()[c as usize],
            Some(s),
            sch.met,
            Some(i64::from(sch.walked)),
        ));
    }
    let mut warnings = Vec::new();
    if pre_data {
        warnings.push(Warning::InsufficientHistory);
    }
    if provisional {
        warnings.push(Warning::CalendarProvisional);
    }
    cx.result(rows, warnings, Extras::new())
}
