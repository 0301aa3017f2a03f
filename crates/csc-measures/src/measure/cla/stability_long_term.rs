//! `stability_long_term`: **Children under 16 looked after 2.5 years or more, in the same placement
//! for 2 years** (percentage; unit children; polarity higher).
//!
//! Candidates: the children counted by [`cla_at_end`](super::cla_at_end). Checks, in order:
//! 1. the current period of care (the one containing the episode open at `period.end`) started on
//!    or before `add_months(period.end, -30)`, else the child is not in the cohort (no row) - except
//!    that when the period is history-truncated (it began before the loaded data) and its first
//!    loaded `DECOM` is after that date, the child is excluded `history_truncated`;
//! 2. a date of birth (SSDA903 Header), else excluded `missing_dob`;
//! 3. under 16 at the end: `add_years(DOB, 16) > period.end`, else not in the cohort (no row).
//!
//! The **effective placement start** is the start of the placement containing the episode open at
//! `period.end`; when that placement's first episode has `PLACE` A3-A6 (placed for adoption), it is
//! the start of the placement containing the episode just before that first episode, when that
//! episode is in the same period of care (else the adoptive placement's own start): a child placed
//! for adoption with their foster carers has not moved.
//!
//! Numerator: effective placement start `<= add_years(period.end, -2)`.
//!
//! Drill-down: one row per cohort child and per exclusion; `record` = the effective placement start
//! (empty when excluded); `value` = days from it to `period.end`. Source: DfE children looked after
//! in England, long-term placement stability (former NI 63).
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = start of the current period
//! of care, which the cohort needs on or before `add_months(period.end, -30)` (empty when
//! history-truncated); `end` is empty.

use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Reason, Unit, ValueKind};

use super::{looked_after_at, open_episodes};
use crate::measure::cin::{excluded, included};

/// What `stability_long_term` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "stability_long_term",
    title: "Children under 16 looked after 2.5 years or more, in the same placement for 2 years",
    unit: Unit::Children,
    polarity: Polarity::Higher,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "cohort child, and `missing_dob` / `history_truncated` exclusions",
        record: "effective placement start (empty when excluded)",
        value: "days from `record` to `period.end`",
        start: Some(
            "start of the current period of care, which the cohort needs on or before `add_months(period.end, -30)` (empty when history-truncated)",
        ),
        end: None,
    },
    compute: Compute::sliced::<StabilityLongTerm>(),
};

/// A care episode open at some period end of the span, with what the measure reads of it that
/// does not depend on the period.
pub(crate) struct Open {
    row: u32,
    /// The start of its period of care, and whether that period is history-truncated.
    period_start: Day,
    truncated: bool,
    /// `add_years(DOB, 16)` of the child's date of birth (SSDA903 Header), when it has one.
    sixteen: Option<Day>,
    /// The effective placement start, were the episode open at the end.
    effective: Day,
}

/// The effective placement start for the episode `open` of child `c` (not a short break).
fn effective_start(cx: &Cx<'_>, c: u32, open: usize) -> Day {
    let (t, care) = (cx.ds.care_episodes(), cx.ds.care());
    // The child's episodes, short breaks removed, from `open` back.
    let mut back = t
        .of_child(c)
        .rev()
        .filter(|&i| i <= open && !care.short_break[i]);
    // The placement's first episode: the last episode at or before `open` that starts one, else
    // the child's first.
    let mut first_row = open;
    for i in back.by_ref() {
        first_row = i;
        if care.new_placement[i] {
            break;
        }
    }
    let mut effective = care.placement_start[open];
    if matches!(t.place[first_row].as_str(), "A3" | "A4" | "A5" | "A6") {
        // The episode just before the placement's first, when there is one.
        if let Some(before) = back.next() {
            if care.period[before] == care.period[first_row] {
                effective = care.placement_start[before];
            }
        }
    }
    effective
}

/// The measure, as facts and finish: the care episodes open at some period end of the span, each
/// with its period of care, the child's 16th birthday and its effective placement start; each
/// period then compares them with its end.
pub(crate) struct StabilityLongTerm;

impl Slices for StabilityLongTerm {
    type Facts = Facts<Open>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<Open> {
        let ds = cx.ds;
        let (t, care, periods, headers) = (
            ds.care_episodes(),
            ds.care(),
            ds.periods_of_care(),
            ds.headers(),
        );
        // The 16th birthday of the child of the previous fact (a child's facts are together).
        let mut known: Option<(u32, Option<Day>)> = None;
        open_episodes(cx, span, |i| {
            let c = t.child[i];
            let p = periods.get(care.period[i] as usize);
            let sixteen = match known {
                Some((k, sixteen)) if k == c => sixteen,
                _ => {
                    let dob = headers.of_child(c).next().and_then(|h| headers.dob[h]);
                    let sixteen = dob.map(|dob| dob.add_years(16));
                    known = Some((c, sixteen));
                    sixteen
                }
            };
            Open {
                row: i as u32,
                period_start: p.map_or(Day::MIN, |p| p.start),
                truncated: p.is_some_and(|p| p.history_truncated),
                sixteen,
                effective: if care.short_break[i] {
                    Day::MIN
                } else {
                    effective_start(cx, c, i)
                },
            }
        })
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<Open>) -> MeasureResult {
        let ds = cx.ds;
        let end = cx.period.end();
        let cutoff = end.add_months(-30);
        let two_years = end.add_years(-2);
        let mut rows = Vec::new();
        for (c, open) in looked_after_at(ds, facts, cx.period, |o| o.row as usize) {
            let Ok(open) = open else {
                continue;
            };
            let child = child_id(ds, c);
            if open.period_start > cutoff {
                if open.truncated {
                    rows.push(excluded(child, None, Reason::HistoryTruncated));
                }
                continue;
            }
            let Some(sixteen) = open.sixteen else {
                rows.push(excluded(child, None, Reason::MissingDob));
                continue;
            };
            if sixteen <= end {
                continue;
            }
            let effective = open.effective;
            rows.push(
                included(
                    child,
                    Some(effective),
                    effective <= two_years,
                    Some(i64::from(end.days_since(effective))),
                )
                .dated((!open.truncated).then_some(open.period_start), None),
            );
        }
        cx.result_ordered(rows, Vec::new(), Extras::new())
    }
}
