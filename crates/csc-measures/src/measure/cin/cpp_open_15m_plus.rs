//! `cpp_open_15m_plus`: **CP plans open at the period end that started 15 months or more before
//! it** (percentage; unit plans; polarity lower).
//!
//! * Denominator: plans open at `period.end` (`CPPstartDate <= end` and `CPPendDate` blank or
//!   after it).
//! * Numerator: `add_months(CPPstartDate, 15) <= period.end`.
//! * A plan with a blank `CPPstartDate` is never open and has no row (spec 2.6, v2 change: a
//!   record with a blank start gets a row only in a measure that lists `missing_start`).
//!
//! Drill-down: one row per plan open at the end; `record` = `CPPstartDate`; `value` = days from the
//! start to `period.end`. Source: DfE characteristics of children in need, table D5.

use crate::measure::{Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{included, open_plans};

/// What `cpp_open_15m_plus` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cpp_open_15m_plus",
    title: "CP plans open at the period end that started 15 months or more before it",
    unit: Unit::Plans,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.cp_plans();
    let end = cx.period.end();
    let mut rows = Vec::new();
    for (i, s) in open_plans(t, end) {
        rows.push(included(
            &ds.children()[t.child[i] as usize],
            Some(s),
            s.add_months(15) <= end,
            Some(i64::from(end.days_since(s))),
        ));
    }
    cx.result(rows, Vec::new(), Extras::new())
}
