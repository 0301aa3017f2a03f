//! `in_assessment_at_end`: **Children in assessment at the period end** (count; unit children;
//! polarity neither).
//!
//! Children with an assessment open at `period.end` (`AssessmentActualStartDate <= end` and
//! `AssessmentAuthorisationDate` blank or after it). An assessment with a blank start is never
//! open.
//!
//! Drill-down: one row per child counted; `record` = the `AssessmentActualStartDate` of the
//! earliest open assessment. Source: DfE children in need census guide.

use crate::measure::series::{Facts, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{open_at_end_rows, open_records};

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
    rows: crate::measure::RowDoc {
        per: "child counted",
        record: "`AssessmentActualStartDate` of the earliest open assessment",
        value: "empty",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<InAssessmentAtEnd>(),
};

/// The measure, as facts and finish: the assessments open at some period end of the span, by child
/// then start; each period reads those open at its end (a child's first is its earliest).
pub(crate) struct InAssessmentAtEnd;

impl Slices for InAssessmentAtEnd {
    type Facts = Facts<(u32, ())>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let t = cx.ds.assessments();
        open_records(
            span,
            t.len(),
            |i| Some((t.child[i], t.start_date[i]?, t.authorisation_date[i])),
            |_, _| (),
        )
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        cx.result_ordered(open_at_end_rows(cx, facts), Vec::new(), Extras::new())
    }
}
