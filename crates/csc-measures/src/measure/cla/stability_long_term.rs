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

use crate::measure::{Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Reason, Unit, ValueKind};

use super::looked_after;
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
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let (t, care, periods, headers) = (
        ds.care_episodes(),
        ds.care(),
        ds.periods_of_care(),
        ds.headers(),
    );
    let end = cx.period.end();
    let cutoff = end.add_months(-30);
    let mut rows = Vec::new();
    for c in 0..ds.children().len() as u32 {
        let Some(Ok(open)) = looked_after(ds, c, end) else {
            continue;
        };
        let child = &ds.children()[c as usize];
        let p = &periods[care.period[open] as usize];
        if p.start > cutoff {
            if p.history_truncated {
                rows.push(excluded(child, None, Reason::HistoryTruncated));
            }
            continue;
        }
        let Some(dob) = headers.of_child(c).next().and_then(|h| headers.dob[h]) else {
            rows.push(excluded(child, None, Reason::MissingDob));
            continue;
        };
        if dob.add_years(16) <= end {
            continue;
        }
        // The placement's first episode: the last episode at or before `open` that starts one.
        let rows_of_child: Vec<usize> = t.of_child(c).filter(|&i| !care.short_break[i]).collect();
        let k = rows_of_child.iter().position(|&i| i == open).unwrap_or(0);
        let first = (0..=k)
            .rev()
            .find(|&j| care.new_placement[rows_of_child[j]])
            .unwrap_or(0);
        let first_row = rows_of_child[first];
        let mut effective = care.placement_start[open];
        if matches!(t.place[first_row].as_str(), "A3" | "A4" | "A5" | "A6") && first > 0 {
            let before = rows_of_child[first - 1];
            if care.period[before] == care.period[first_row] {
                effective = care.placement_start[before];
            }
        }
        let stable = effective <= end.add_years(-2);
        rows.push(included(
            child,
            Some(effective),
            stable,
            Some(i64::from(end.days_since(effective))),
        ));
    }
    cx.result(rows, Vec::new(), Extras::new())
}
