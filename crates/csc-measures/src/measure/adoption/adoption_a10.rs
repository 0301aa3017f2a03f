//! `adoption_a10`: **A10: as A1, adjusted for adoptions by the child's foster carer** (average; unit
//! days; polarity lower).
//!
//! As [`adoption_a1`](super::adoption_a1), with the end date moved back for a child adopted by their
//! own foster carer: when the episode where the child moved in has `PLACE` A3 or A5, the end is the
//! start of the placement containing it (spec 2.2: the foster placement the child never left), else
//! *moved in*. A10 days = end - *entered care*, so A10 <= A1 always. Threshold default 426 days.
//!
//! Drill-down: one row per adopted episode; `record` = adoption `DEC`; `value` = A10 days.
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = entered care: `DECOM` of
//! the period of care's first episode (empty when history-truncated); `end` = A10 end: moved in,
//! or, when the child was placed for adoption with their foster carer (`PLACE` A3 or A5), the start
//! of that placement (empty when there is no adoptive placement).

use crate::measure::series::{Facts, Row, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Unit, ValueKind};

use super::{adoption_rows, average, rows_in, timeliness_row};

/// What `adoption_a10` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "adoption_a10",
    title: "A10: as A1, adjusted for adoptions by the child's foster carer",
    unit: Unit::Days,
    polarity: Polarity::Lower,
    value_kind: ValueKind::MeanDays,
    source: ReturnKind::Ssda903,
    window: Window::Years(3),
    coverage: Coverage::PERIOD,
    options: &[&options::ADOPTION_THRESHOLDS.def],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "adopted episode",
        record: "adoption `DEC`",
        value: "A10 days, `end - start`",
        start: Some(
            "entered care: `DECOM` of the period of care's first episode (empty when history-truncated)",
        ),
        end: Some(
            "A10 end: moved in, or, when the child was placed for adoption with their foster carer (`PLACE` A3 or A5), the start of that placement (empty when there is no adoptive placement)",
        ),
    },
    compute: Compute::sliced::<AdoptionA10>(),
};

/// The measure, as facts and finish: the row of each adopted episode of the span, dated by the
/// adoption `DEC`.
pub(crate) struct AdoptionA10;

impl Slices for AdoptionA10 {
    type Facts = Facts<Row>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<Row> {
        adoption_rows(cx, span, |a| timeliness_row(a, a.a10_end, |_| true))
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<Row>) -> MeasureResult {
        average(
            cx,
            rows_in(cx, facts),
            cx.opt(&options::ADOPTION_THRESHOLDS).a10,
        )
    }
}
