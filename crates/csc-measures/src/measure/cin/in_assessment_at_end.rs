//! `in_assessment_at_end`: **Children in assessment at the period end** (count; unit children;
//! polarity neither).
//!
//! Children with an assessment open at `period.end` (`AssessmentActualStartDate <= end` and
//! `AssessmentAuthorisationDate` blank or after it). An assessment with a blank start is never
//! open.
//!
//! Drill-down: one row per child counted; `record` = the `AssessmentActualStartDate` of the
//! earliest open assessment. Source: DfE children in need census guide.

use crate::measure::{Cx, MeasureId};
use crate::period::open_at;
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult};

use super::counted;

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.assessments();
    let end = cx.period.end();
    let rows = (0..ds.children().len() as u32)
        .filter_map(|c| {
            let s = t
                .of_child(c)
                .filter_map(|i| {
                    t.start_date[i].filter(|&s| open_at(s, t.authorisation_date[i], end))
                })
                .min()?;
            Some(counted(&ds.children()[c as usize], Some(s)))
        })
        .collect();
    let id = MeasureId::InAssessmentAtEnd;
    MeasureResult::from_rows(
        id,
        cx.period,
        cx.options(id),
        rows,
        cx.period_warnings(ReturnKind::Cin),
        Extras::default(),
    )
}
