//! `missing_children`: **Children looked after in the period who had a missing incident**
//! (percentage; unit children; polarity neither).
//!
//! * Denominator: children with at least one care episode, short breaks removed, overlapping the
//!   period (spec 1.1: `DECOM <= period.end` and `DEC` blank or after `period.start`). A child whose
//!   only episodes are short breaks has no row.
//! * Numerator: those with at least one missing incident in scope, as defined by
//!   [`missing_incidents`](super::missing_incidents) (options `missing_types` and
//!   `missing_scope`). Whether the child was looked after on the incident's start is not tested.
//!
//! The result is `no_data` unless a return covering a day of the period holds a Missing table
//! (spec 3.1).
//!
//! Drill-down: one row per child in the denominator; `record` = `MIS_START` of its earliest
//! incident in scope, empty if none; `value` = the number of its incidents in scope (0 when none).
//!
//! Source: DfE children looked after in England, "missing and away from placement" tables (SSDA903
//! Missing table).

use crate::measure::cin::included;
use crate::measure::{Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::missing_incidents::{incidents_in_scope, looked_after_in};

/// What `missing_children` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "missing_children",
    title: "Children looked after in the period who had a missing incident",
    unit: Unit::Children,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::PERIOD.requires(&["Missing"]),
    options: &[&options::MISSING_TYPES.def, &options::MISSING_SCOPE.def],
    rates: &[],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let rows = (0..ds.children().len() as u32)
        .filter(|&c| looked_after_in(ds, c, cx.period))
        .map(|c| {
            let incidents = incidents_in_scope(cx, c);
            included(
                &ds.children()[c as usize],
                incidents.first().map(|inc| inc.start),
                !incidents.is_empty(),
                Some(incidents.len() as i64),
            )
        })
        .collect();
    cx.result(rows, Vec::new(), Extras::new())
}
