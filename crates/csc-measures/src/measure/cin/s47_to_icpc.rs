//! `s47_to_icpc`: **Section 47 enquiries that led to an initial child protection conference**
//! (percentage; unit enquiries; polarity neither).
//!
//! * Denominator: section 47 enquiries with `S47ActualStartDate` in the period.
//! * Numerator: those with a `DateOfInitialCPC` on or before `period.end` (an enquiry late in the
//!   period may convert after it, and is then not counted).
//!
//! Drill-down: one row per enquiry starting in the period; `record` = `S47ActualStartDate`; `value`
//! empty. Source: DfE characteristics of children in need, tables C3 and C4.

use crate::measure::{Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

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
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.section47s();
    let end = cx.period.end();
    let rows = (0..t.len())
        .filter_map(|i| {
            let s = t.start_date[i].filter(|&s| cx.period.contains(s))?;
            let converted = t.icpc_date[i].is_some_and(|d| d <= end);
            Some(included(
                &ds.children()[t.child[i] as usize],
                Some(s),
                converted,
                None,
            ))
        })
        .collect();
    cx.result(rows, Vec::new(), Extras::new())
}
