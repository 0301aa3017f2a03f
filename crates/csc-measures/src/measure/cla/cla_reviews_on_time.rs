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

use crate::day::Day;
use crate::measure::cin::included;
use crate::measure::schedule::{Anchor, Rule, Step, at, walk};
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind, Warning};

use super::{looked_after_at, open_episodes};

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
    rows: crate::measure::RowDoc {
        per: "cohort child",
        record: "`s`, the start of the current period of care (history-truncated: its first loaded `DECOM`)",
        value: "reviews walked",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<ClaReviewsOnTime>(),
};

/// The review rules: first within `cla_first_review_wd` working days, second within 3 months,
/// later within 6.
fn rules(cx: &Cx<'_>) -> [Rule; 3] {
    [
        Rule::WorkingDays(cx.opt(&options::CLA_FIRST_REVIEW_WD)),
        Rule::Months(3),
        Rule::Months(6),
    ]
}

/// A care episode open at some period end of the span, with its period of care's start `s` and
/// its child's review schedules (one per data start the span's ends may have), walked up to the
/// span's end: [`walks`](ReviewFacts::walks)`[walks.0..walks.1]`.
pub(crate) struct Open {
    row: u32,
    s: Day,
    walks: (u32, u32),
}

/// The facts of `cla_reviews_on_time`.
pub(crate) struct ReviewFacts {
    open: Facts<Open>,
    /// The schedules walked: data start, anchor, and the steps `steps[from..to]`.
    walks: Vec<(Option<Day>, Anchor, u32, u32)>,
    steps: Vec<Step>,
}

/// The distinct data starts `L(D)` (spec 2.6) of the period ends `D` of `span`: `L` changes only
/// with the financial year of `D`.
pub(crate) fn data_starts(cx: &Cx<'_>, kind: ReturnKind, span: Span) -> Vec<Option<Day>> {
    let mut v: Vec<Option<Day>> = (span.first_end.financial_year()..=span.end.financial_year())
        .filter_map(|fy| Day::from_ymd(fy - 1, 4, 1).ok())
        .map(|first| cx.data_start(kind, first.max(span.first_end)))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The measure, as facts and finish: the care episodes open at some period end of the span, each
/// with its child's review schedule walked once up to the span's end; each period reads those open
/// at its end, tests its cohort and finishes the schedule at its end.
pub(crate) struct ClaReviewsOnTime;

impl Slices for ClaReviewsOnTime {
    type Facts = ReviewFacts;

    fn facts(cx: &Cx<'_>, span: Span) -> ReviewFacts {
        let ds = cx.ds;
        let (t, care, periods, reviews) = (
            ds.care_episodes(),
            ds.care(),
            ds.periods_of_care(),
            &ds.ssda903().reviews,
        );
        let rules = rules(cx);
        let starts = data_starts(cx, ReturnKind::Ssda903, span);
        let (mut walks, mut steps) = (Vec::new(), Vec::new());
        let mut last: Option<(u32, Day, (u32, u32))> = None;
        let open = open_episodes(cx, span, |i| {
            let (c, short_break) = (t.child[i], care.short_break[i]);
            let s = if short_break {
                Day::MIN
            } else {
                periods[care.period[i] as usize].start
            };
            let range = match last {
                // A child's episodes of one period of care share its schedules.
                Some((lc, ls, range)) if lc == c && ls == s => range,
                _ if short_break => (0, 0),
                _ => {
                    let from = walks.len() as u32;
                    let dates = &reviews.review[reviews.of_child(c)];
                    for &l in &starts {
                        let anchor = Anchor::new(s, l);
                        let first = steps.len() as u32;
                        walk(cx, anchor, dates, span.end, rules, &mut steps);
                        walks.push((l, anchor, first, steps.len() as u32));
                    }
                    (from, walks.len() as u32)
                }
            };
            if !short_break {
                last = Some((c, s, range));
            }
            Open {
                row: i as u32,
                s,
                walks: range,
            }
        });
        ReviewFacts { open, walks, steps }
    }

    fn finish(cx: &Cx<'_>, facts: &ReviewFacts) -> MeasureResult {
        let ds = cx.ds;
        let end = cx.period.end();
        let first_wd = cx.opt(&options::CLA_FIRST_REVIEW_WD);
        let rules = rules(cx);
        let data_start = cx.data_start(ReturnKind::Ssda903, end);
        let (mut pre_data, mut provisional) = (false, false);
        let mut rows = Vec::new();
        for (c, open) in looked_after_at(ds, &facts.open, cx.period, |o| o.row as usize) {
            let Ok(open) = open else {
                continue;
            };
            let s = open.s;
            let mut cohort_provisional = false;
            let in_cohort = data_start.is_some_and(|l| s < l)
                || cx.wd(s, end.add_days(1)).is_ok_and(|w| {
                    cohort_provisional = w.provisional;
                    w.days > first_wd
                });
            if !in_cohort {
                continue;
            }
            let (l, anchor, from, to) = facts.walks[open.walks.0 as usize..open.walks.1 as usize]
                .iter()
                .find(|w| w.0 == data_start)
                .copied()
                .expect("a schedule per data start of the span");
            debug_assert_eq!(l, data_start);
            let sch = at(
                cx,
                anchor,
                &facts.steps[from as usize..to as usize],
                end,
                rules,
            );
            pre_data |= sch.pre_data;
            provisional |= cohort_provisional || sch.provisional;
            rows.push(included(
                child_id(ds, c),
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
        cx.result_ordered(rows, warnings, Extras::new())
    }
}
