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

use crate::measure::series::{Facts, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{open_at_end_rows, open_records};

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
    rows: crate::measure::RowDoc {
        per: "child counted",
        record: "`CINPlanStartDate` of its earliest open plan",
        value: "empty",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<CinPlanAtEnd>(),
};

/// The measure, as facts and finish: the CIN plans open at some period end of the span, by child
/// then start; each period reads those open at its end (a child's first is its earliest).
pub(crate) struct CinPlanAtEnd;

impl Slices for CinPlanAtEnd {
    type Facts = Facts<(u32, ())>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let t = &cx.ds.cin().cin_plans;
        open_records(
            span,
            t.len(),
            |i| Some((t.child[i], t.start_date[i]?, t.end_date[i])),
            |_, _| (),
        )
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        cx.result_ordered(open_at_end_rows(cx, facts), Vec::new(), Extras::new())
    }
}
