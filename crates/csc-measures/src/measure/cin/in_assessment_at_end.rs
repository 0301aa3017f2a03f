//! `in_assessment_at_end`: **Children in assessment at the period end** (count; unit children;
//! polarity neither).
//!
//! Children with an assessment open at `period.end` (`AssessmentActualStartDate <= end` and
//! `AssessmentAuthorisationDate` blank or after it). An assessment with a blank start is never
//! open.
//!
//! Drill-down: one row per child counted; `record` = the `AssessmentActualStartDate` of the
//! earliest open assessment. Source: DfE children in need census guide.

use crate::measure::{Coverage, Cx, MeasureSpec, Window};
use crate::period::open_at;
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::open_at_end_rows;

/// What `in_assessment_at_end` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "in_assessment_at_end",
    title: "Children in assessment at the period end",
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
    let t = cx.ds.assessments();
    let end = cx.period.end();
    let rows = open_at_end_rows(
        cx.ds,
        |c| t.of_child(c),
        |i| t.start_date[i].filter(|&s| open_at(s, t.authorisation_date[i], end)),
    );
    cx.result(rows, Vec::new(), Extras::new())
}
