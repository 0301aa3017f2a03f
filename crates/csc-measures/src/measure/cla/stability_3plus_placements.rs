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

use crate::measure::{Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{looked_after, placements_in};
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
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.care_episodes();
    let end = cx.period.end();
    let mut dist = [("1", 0u64), ("2", 0), ("3+", 0)];
    let mut rows = Vec::new();
    for c in 0..ds.children().len() as u32 {
        let Some(Ok(open)) = looked_after(ds, c, end) else {
            continue;
        };
        let placements = placements_in(ds, c, cx.period.start(), end);
        dist[(placements.clamp(1, 3) - 1) as usize].1 += 1;
        rows.push(included(
            &ds.children()[c as usize],
            Some(t.decom[open]),
            placements >= 3,
            Some(placements),
        ));
    }
    let extras = Extras::new().with("placements_distribution", Extra::Counts(dist.to_vec()));
    cx.result(rows, Vec::new(), extras)
}
