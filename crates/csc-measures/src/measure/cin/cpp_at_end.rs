//! `cpp_at_end`: **Children subject of a CP plan at the period end** (count; unit children;
//! polarity neither).
//!
//! Children with a CP plan open at `period.end` (`CPPstartDate <= end` and `CPPendDate` blank or
//! after it). A plan with a blank start is never open.
//!
//! Drill-down: one row per child counted; `record` = the `CPPstartDate` of the earliest open plan.
//! Source: DfE characteristics of children in need, table D1.

use crate::measure::{Coverage, Cx, MeasureSpec, Rate, Window};
use crate::period::open_at;
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::open_at_end_rows;

/// What `cpp_at_end` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cpp_at_end",
    title: "Children subject of a CP plan at the period end",
    unit: Unit::Children,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Count,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[Rate::NUMERATOR],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let t = cx.ds.cp_plans();
    let end = cx.period.end();
    let rows = open_at_end_rows(
        cx.ds,
        |c| t.of_child(c),
        |i| t.start_date[i].filter(|&s| open_at(s, t.end_date[i], end)),
    );
    cx.result(rows, Vec::new(), Extras::new())
}
