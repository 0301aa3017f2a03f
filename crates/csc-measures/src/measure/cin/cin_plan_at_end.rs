//! `cin_plan_at_end`: **Children with a CIN plan at the period end** (count; unit children;
//! polarity neither).
//!
//! Children with a CIN plan (`CINPlanDates`, spec 2.4) open at `period.end`: `CINPlanStartDate <=
//! end` and `CINPlanEndDate` blank or after it (spec 1.1). A plan is judged on its own dates,
//! whatever its CIN episode shows (a plan still open after its episode closed counts, and is
//! reported `open_after_cin_closed`); a plan with a blank start is never open (spec 2.6).
//!
//! Drill-down: one row per child counted; `record` = the `CINPlanStartDate` of its earliest open
//! plan; `value` empty. Source: DfE CIN census guide (CIN plan dates).

use crate::measure::{Coverage, Cx, MeasureSpec, Window};
use crate::period::open_at;
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::open_at_end_rows;

/// What `cin_plan_at_end` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cin_plan_at_end",
    title: "Children with a CIN plan at the period end",
    unit: Unit::Children,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Count,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let t = &cx.ds.cin().cin_plans;
    let end = cx.period.end();
    let rows = open_at_end_rows(
        cx.ds,
        |c| t.of_child(c),
        |i| t.start_date[i].filter(|&s| open_at(s, t.end_date[i], end)),
    );
    cx.result(rows, Vec::new(), Extras::new())
}
