//! `stability_3plus_placements`: **Children looked after at the period end with 3 or more
//! placements in the period** (percentage; unit children; polarity lower).
//!
//! * Denominator: the children counted by [`cla_at_end`](super::cla_at_end).
//! * Placements: the child's episodes, short breaks removed, that overlap the period (`DECOM <=
//!   end` and `DEC` blank or after `start`), in order: 1 for the first of them, plus 1 for each
//!   later one that starts a new placement (spec 2.2, judged against the child's whole loaded
//!   history: legal-status changes, same-carer changes and temporary absences are not moves).
//! * Numerator: placements `>= 3`.
//! * Extras: `placements_distribution` (`1`, `2`, `3+`).
//!
//! Drill-down: one row per child in the denominator; `record` = `DECOM` of the episode open at the
//! end; `value` = the placement count. Source: DfE children looked after in England, placement
//! stability (former NI 62).
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = start of the first
//! placement counted (the one the child was in when the period began, which may start before it, or
//! the first entered in it); `end` = start of the last placement counted (the `placements` table
//! lists each one).

use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{looked_after_at, open_episodes, placements_in};
use crate::measure::cin::included;

/// What `stability_3plus_placements` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "stability_3plus_placements",
    title: "Children looked after at the period end with 3 or more placements in the period",
    unit: Unit::Children,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "child counted by `cla_at_end`",
        record: "`DECOM` of the episode open at the end",
        value: "placements in the period",
        start: Some(
            "start of the first placement counted (the one the child was in when the period began, which may start before it, or the first entered in it)",
        ),
        end: Some("start of the last placement counted (the `placements` table lists each one)"),
    },
    compute: Compute::sliced::<Stability3plusPlacements>(),
};

/// The measure, as facts and finish: the care episodes open at some period end of the span; each
/// period counts the placements of the children looked after at its end.
pub(crate) struct Stability3plusPlacements;

impl Slices for Stability3plusPlacements {
    type Facts = Facts<u32>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<u32> {
        open_episodes(cx, span, |i| i as u32)
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<u32>) -> MeasureResult {
        let ds = cx.ds;
        let t = ds.care_episodes();
        let end = cx.period.end();
        let mut dist = [("1", 0u64), ("2", 0), ("3+", 0)];
        let mut rows = Vec::new();
        for (c, open) in looked_after_at(ds, facts, cx.period, |&i| i as usize) {
            let Ok(&open) = open else {
                continue;
            };
            let p = placements_in(ds, c, cx.period.start(), end);
            dist[(p.count.clamp(1, 3) - 1) as usize].1 += 1;
            rows.push(
                included(
                    child_id(ds, c),
                    Some(t.decom[open as usize]),
                    p.count >= 3,
                    Some(p.count),
                )
                .dated(p.first_start, p.last_start),
            );
        }
        let extras = Extras::new().with("placements_distribution", Extra::Counts(dist.to_vec()));
        cx.result_ordered(rows, Vec::new(), extras)
    }
}
