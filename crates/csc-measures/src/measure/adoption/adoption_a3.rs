//! `adoption_a3`: **A3: children who waited less than 14 months from entering care to moving in
//! with adopters** (percentage; unit children; polarity higher).
//!
//! Denominator: the adoptions included in [`adoption_a1`](super::adoption_a1) (same exclusions).
//! Numerator: *moved in* `< add_months(entered care, a3_months)` (option `a3_months`, default 14).
//!
//! Drill-down: one row per adopted episode; `record` = adoption `DEC`; `value` = A1 days.
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = entered care: `DECOM` of
//! the period of care's first episode (empty when history-truncated); `end` = moved in: the `DECOM`
//! on which the child moved in with the adoptive family (empty when there is no adoptive
//! placement).

use crate::measure::series::{Facts, Row, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{adoption_rows, rows_in, timeliness_row};

/// What `adoption_a3` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "adoption_a3",
    title: "A3: children who waited less than 14 months from entering care to moving in with adopters",
    unit: Unit::Children,
    polarity: Polarity::Higher,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Years(3),
    coverage: Coverage::PERIOD,
    options: &[&options::A3_MONTHS.def],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "adopted episode",
        record: "adoption `DEC`",
        value: "A1 days, `end - start` (numerator: `end < add_months(start, a3_months)`)",
        start: Some(
            "entered care: `DECOM` of the period of care's first episode (empty when history-truncated)",
        ),
        end: Some(
            "moved in: the `DECOM` on which the child moved in with the adoptive family (empty when there is no adoptive placement)",
        ),
    },
    compute: Compute::sliced::<AdoptionA3>(),
};

/// The measure, as facts and finish: the row of each adopted episode of the span, dated by the
/// adoption `DEC`.
pub(crate) struct AdoptionA3;

impl Slices for AdoptionA3 {
    type Facts = Facts<Row>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<Row> {
        let months = cx.opt(&options::A3_MONTHS) as i32;
        adoption_rows(cx, span, |a| {
            timeliness_row(a, a.moved_in, |m| m < a.entered.add_months(months))
        })
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<Row>) -> MeasureResult {
        cx.result_ordered(rows_in(cx, facts), Vec::new(), Extras::new())
    }
}
