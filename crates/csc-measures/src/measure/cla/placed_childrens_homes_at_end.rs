//! `placed_childrens_homes_at_end`: **Children looked after at the period end in secure homes and
//! children's homes** (percentage; unit children; polarity neither).
//!
//! * Denominator: the children counted by [`cla_at_end`](super::cla_at_end).
//! * Numerator: those whose placement type at the end (defined in
//!   [`placed_foster_at_end`](super::placed_foster_at_end): the `PLACE` of the latest non-temporary
//!   episode, up to and including the episode open at `period.end`, of the placement that contains
//!   it) is K1 (secure children's home) or K2 (children's home), valid in every year. Codes are
//!   compared after normalisation, so `"k2 "` is K2.
//!
//! Drill-down: one row per child in the denominator; `record` = `DECOM` of the episode open at the
//! end; `value` empty. Source: DfE children looked after in England, table A1 (placement type).

use crate::measure::series::{Facts, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Unit, ValueKind};

use super::placed_foster_at_end::{CHILDRENS_HOMES, placed, share};

/// What `placed_childrens_homes_at_end` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "placed_childrens_homes_at_end",
    title: "Children looked after at the period end in secure homes and children's homes",
    unit: Unit::Children,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[],
    rows: super::AT_END_EPISODE_ROWS,
    compute: Compute::sliced::<PlacedChildrensHomesAtEnd>(),
};

/// The measure, as facts and finish: the care episodes open at some period end of the span, each
/// with whether its placement type is in the set; each period reads those open at its end.
pub(crate) struct PlacedChildrensHomesAtEnd;

impl Slices for PlacedChildrensHomesAtEnd {
    type Facts = Facts<(u32, bool)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        placed(cx, span, CHILDRENS_HOMES)
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        share(cx, facts)
    }
}
