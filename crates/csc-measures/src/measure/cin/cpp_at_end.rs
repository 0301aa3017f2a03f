//! `cpp_at_end`: **Children subject of a CP plan at the period end** (count; unit children;
//! polarity neither).
//!
//! Children with a CP plan open at `period.end` (`CPPstartDate <= end` and `CPPendDate` blank or
//! after it). A plan with a blank start is never open.
//!
//! Drill-down: one row per child counted; `record` = the `CPPstartDate` of the earliest open plan.
//! Source: DfE characteristics of children in need, table D1.

use crate::measure::series::{Facts, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{open_at_end_rows, open_records};

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
    rows: crate::measure::RowDoc {
        per: "child counted",
        record: "`CPPstartDate` of the earliest open plan",
        value: "empty",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<CppAtEnd>(),
};

/// The measure, as facts and finish: the CP plans open at some period end of the span, by child
/// then start; each period reads those open at its end (a child's first is its earliest).
pub(crate) struct CppAtEnd;

impl Slices for CppAtEnd {
    type Facts = Facts<(u32, ())>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let t = cx.ds.cp_plans();
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
