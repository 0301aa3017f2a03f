//! `s47_to_icpc`: **Section 47 enquiries that led to an initial child protection conference**
//! (percentage; unit enquiries; polarity neither).
//!
//! * Denominator: section 47 enquiries with `S47ActualStartDate` in the period.
//! * Numerator: those with a `DateOfInitialCPC` on or before `period.end` (an enquiry late in the
//!   period may convert after it, and is then not counted).
//!
//! Drill-down: one row per enquiry starting in the period; `record` = `S47ActualStartDate`; `value`
//! empty. Source: DfE characteristics of children in need, tables C3 and C4.

use std::cmp::Reverse;

use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::included;

/// What `s47_to_icpc` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "s47_to_icpc",
    title: "Section 47 enquiries that led to an initial child protection conference",
    unit: Unit::Enquiries,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[],
    rates: &[],
    rows: super::S47_ROWS,
    compute: Compute::sliced::<S47ToIcpc>(),
};

/// The measure, as facts and finish: the section 47s starting in the span, dated by their start,
/// each with its conference date (whether it led to a conference depends on the period end).
///
/// The facts are in child, then start order, and among one child's enquiries starting on one day,
/// those without a conference first, then by conference date descending: whatever the period end,
/// the rows of those converted by it (the earliest conferences) come last, as spec 6.1 orders a
/// numerator flag.
pub(crate) struct S47ToIcpc;

impl Slices for S47ToIcpc {
    type Facts = Facts<(u32, Option<Day>)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let t = cx.ds.section47s();
        let mut v: Vec<(Day, (u32, Option<Day>))> = (0..t.len())
            .filter_map(|i| {
                let s = t.start_date[i].filter(|&s| span.holds(s))?;
                Some((s, (t.child[i], t.icpc_date[i])))
            })
            .collect();
        v.sort_by_key(|&(s, (c, icpc))| (c, s, Reverse(icpc.unwrap_or(Day::MAX))));
        Facts::dated(v)
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        let end = cx.period.end();
        let rows: Vec<RecordRow> = facts.collect(cx.period, |(s, &(c, icpc))| {
            let converted = icpc.is_some_and(|d| d <= end);
            included(child_id(cx.ds, c), Some(s), converted, None)
        });
        cx.result_ordered(rows, Vec::new(), Extras::new())
    }
}
