//! `placed_supported_at_end`: **Children looked after at the period end in independent or
//! semi-independent living or supported accommodation** (percentage; unit children; polarity
//! neither).
//!
//! * Denominator: the children counted by [`cla_at_end`](super::cla_at_end).
//! * Numerator: those whose placement type at the end (defined in
//!   [`placed_foster_at_end`](super::placed_foster_at_end): the `PLACE` of the latest non-temporary
//!   episode, up to and including the episode open at `period.end`, of the placement that contains
//!   it) is H5 or P2 (valid to 2024-25) or K3 (supported accommodation, valid from 2024-25).
//!
//! Validity is judged against the collection year of the return the episode row came from: K3 in a
//! 2023-24 return, or H5 in a 2025-26 return, is reported `unknown_code` when the dataset is built
//! and still counts here (a code outside its years is still classified).
//!
//! Drill-down: one row per child in the denominator; `record` = `DECOM` of the episode open at the
//! end; `value` empty. Source: DfE children looked after in England, table A1 (placement type).

use crate::measure::series::{Facts, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Unit, ValueKind};

use super::placed_foster_at_end::{SUPPORTED, placed, share};

/// What `placed_supported_at_end` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "placed_supported_at_end",
    title: "Children looked after at the period end in independent or semi-independent living or supported accommodation",
    unit: Unit::Children,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[],
    rows: super::AT_END_EPISODE_ROWS,
    compute: Compute::sliced::<PlacedSupportedAtEnd>(),
};

/// The measure, as facts and finish: the care episodes open at some period end of the span, each
/// with whether its placement type is in the set; each period reads those open at its end.
pub(crate) struct PlacedSupportedAtEnd;

impl Slices for PlacedSupportedAtEnd {
    type Facts = Facts<(u32, bool)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        placed(cx, span, SUPPORTED)
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        share(cx, facts)
    }
}
