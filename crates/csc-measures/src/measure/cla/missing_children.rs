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

use crate::day::Day;
use crate::measure::cin::included;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::missing_incidents::incidents;

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
    rows: crate::measure::RowDoc {
        per: "child in the denominator",
        record: "`MIS_START` of its earliest incident in scope; empty if none",
        value: "incidents in scope",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<MissingChildren>(),
};

/// The measure, as facts and finish: the care episodes (short breaks removed) that may overlap a
/// period of the span, placed on `DECOM..=DEC - 1` (a period overlaps `[DECOM, DEC)` exactly when
/// `DECOM <= end` and `DEC - 1 >= start`), and the incidents of
/// [`missing_incidents`](super::missing_incidents), both in child order. Each period takes the
/// children of its overlapping episodes and counts their incidents in scope.
pub(crate) struct MissingChildren;

impl Slices for MissingChildren {
    type Facts = (Facts<u32>, Facts<(u32, Option<i64>)>);

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let (t, care) = (cx.ds.care_episodes(), cx.ds.care());
        let episodes: Vec<(Day, Day, u32)> = (0..t.len())
            .filter(|&i| !care.short_break[i])
            .map(|i| {
                let last = t.dec[i].map_or(Day::MAX, |e| e.add_days(-1));
                (t.decom[i], last, t.child[i])
            })
            .filter(|&(s, last, _)| s <= span.end && last >= span.start)
            .collect();
        (Facts::touching(episodes), incidents(cx, span))
    }

    fn finish(cx: &Cx<'_>, (episodes, incidents): &Self::Facts) -> MeasureResult {
        let mut rows: Vec<RecordRow> = Vec::new();
        let mut incidents = incidents.of_dated(cx.period).peekable();
        let mut last_child = None;
        for &c in episodes.of(cx.period) {
            if last_child.replace(c) == Some(c) {
                continue;
            }
            // The incidents come by child, then start: skip those of children not looked after.
            while incidents.next_if(|&(_, &(ic, _))| ic < c).is_some() {}
            let (mut earliest, mut n) = (None, 0_i64);
            while let Some((start, _)) = incidents.next_if(|&(_, &(ic, _))| ic == c) {
                earliest.get_or_insert(start);
                n += 1;
            }
            rows.push(included(child_id(cx.ds, c), earliest, n > 0, Some(n)));
        }
        cx.result_ordered(rows, Vec::new(), Extras::new())
    }
}
