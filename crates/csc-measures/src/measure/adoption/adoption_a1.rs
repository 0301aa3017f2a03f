//! `adoption_a1`: **A1: average days from entering care to moving in with the adoptive family**
//! (average; unit days; polarity lower).
//!
//! For each adopted child (see [the module](super)): A1 days = *moved in* - *entered care*.
//! Exclusions, in order: `history_truncated` (the period of care began before the loaded data),
//! `no_adoptive_placement`. `numerator` = the sum of days, `denominator` = adoptions included,
//! `value` = the mean rounded half up to a whole day (`floor((2 sum + n) / (2 n))`); extras `mean`
//! (unrounded), `threshold` (option `adoption_thresholds`, default 426 days = 14 months) and
//! `meets_threshold` = value `<=` threshold. The adoption scorecard publishes 3-year figures; the
//! measure uses exactly the period it is given.
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
use crate::result::{MeasureResult, Polarity, Unit, ValueKind};

use super::{adoption_rows, average, rows_in, timeliness_row};

/// What `adoption_a1` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "adoption_a1",
    title: "A1: average days from entering care to moving in with the adoptive family",
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
        value: "A1 days, `end - start`",
        start: Some(
            "entered care: `DECOM` of the period of care's first episode (empty when history-truncated)",
        ),
        end: Some(
            "moved in: the `DECOM` on which the child moved in with the adoptive family (empty when there is no adoptive placement)",
        ),
    },
    compute: Compute::sliced::<AdoptionA1>(),
};

/// The measure, as facts and finish: the row of each adopted episode of the span, dated by the
/// adoption `DEC`.
pub(crate) struct AdoptionA1;

impl Slices for AdoptionA1 {
    type Facts = Facts<Row>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<Row> {
        adoption_rows(cx, span, |a| timeliness_row(a, a.moved_in, |_| true))
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<Row>) -> MeasureResult {
        average(
            cx,
            rows_in(cx, facts),
            cx.opt(&options::ADOPTION_THRESHOLDS).a1,
        )
    }
}
