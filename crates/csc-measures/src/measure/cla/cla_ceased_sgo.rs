//! `cla_ceased_sgo`: **Children ceasing to be looked after on a special guardianship order** (percentage; unit children; polarity neither).
//!
//! Denominator = the children counted by [`cla_ceased`](super::cla_ceased), whose definition (the
//! ceasing: the last ending in the period not set by the `not_resubmitted_closed` repair) and
//! exclusion (`end_by_repair`) apply unchanged. Numerator = those whose ceasing's `REC` is a special guardianship order: E45, E46, E47, E48 (valid from 2018-19), legacy E43, E44 (valid to 2017-18).
//! A code used outside its years of validity (spec 5.1) is counted all the same, after the
//! readers' `unknown_code` entry.
//!
//! Extras: `codes`, the children per code of the set, in the order listed, zeros included.
//!
//! Drill-down: one row per child with an ending in the period, the `end_by_repair` exclusions
//! included; `record` = the ceasing's `DEC` (excluded: that of the last ending in the period);
//! `value` = days from the period of care's start to that `DEC` (empty when the period is
//! history-truncated, and on excluded rows). Source: DfE children looked after in England, table
//! D1; SSDA903 guide, `REC` codes.
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = start of the period of care
//! (empty when history-truncated, and on excluded rows); `end` = the ceasing's `DEC`, as `record`
//! (empty on excluded rows).

use crate::measure::series::{Facts, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Unit, ValueKind};

use super::cla_ceased::{Ending, SGO, endings, share};

/// What `cla_ceased_sgo` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cla_ceased_sgo",
    title: "Children ceasing to be looked after on a special guardianship order",
    unit: Unit::Children,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[],
    rates: &[],
    rows: super::CEASED_ROWS,
    compute: Compute::sliced::<ClaCeasedSgo>(),
};

/// The measure, as facts and finish: the endings of `cla_ceased`, folded per child over each
/// period.
pub(crate) struct ClaCeasedSgo;

impl Slices for ClaCeasedSgo {
    type Facts = Facts<Ending>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<Ending> {
        endings(cx, span)
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<Ending>) -> MeasureResult {
        share(cx, facts, SGO)
    }
}
