//! `placed_foster_at_end`: **Children looked after at the period end placed in foster care**
//! (percentage; unit children; polarity higher).
//!
//! * Denominator: the children counted by [`cla_at_end`](super::cla_at_end) (short-break children
//!   have no row here).
//! * Numerator: those whose *placement type at the end* is in the foster set: `PLACE` U1, U2, U3,
//!   U4, U5 or U6 (valid in every year).
//!
//! The **placement type at the end** (shared by the three placement-type shares,
//! [`placed_childrens_homes_at_end`](super::placed_childrens_homes_at_end) and
//! [`placed_supported_at_end`](super::placed_supported_at_end)) is the `PLACE` of the latest
//! non-temporary episode (`PLACE` other than T0-T4), up to and including the episode open at
//! `period.end` (the last open one in episode order, spec 2.6), of the placement (spec 2.2) that
//! contains that episode. A placement with no such episode (a period of care that began with a
//! temporary episode, still temporary at the end) is in no share set. So a child in hospital (T1) on
//! 31 March counts in the share of the placement the stay interrupts, and a child placed for
//! adoption with their own foster carer (A3/A5 with `RNE` T or U: the same placement) has the type
//! A3/A5, in no share set.
//!
//! **Validity years.** The supported set's codes H5 and P2 are valid to 2024-25 and K3 from
//! 2024-25; validity is judged against the collection year of the return the episode row came from
//! (after the merge of spec 2.1). A code used outside its years is reported `unknown_code` when the
//! dataset is built, and is still classified here: it changes no count.
//!
//! Drill-down: one row per child in the denominator; `record` = `DECOM` of the episode open at the
//! end; `value` empty. Source: DfE children looked after in England, table A1 (placement type).

use crate::care::is_temporary;
use crate::dataset::Dataset;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::{looked_after_at, open_episodes};
use crate::measure::cin::included;

/// What `placed_foster_at_end` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "placed_foster_at_end",
    title: "Children looked after at the period end placed in foster care",
    unit: Unit::Children,
    polarity: Polarity::Higher,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[],
    rows: super::AT_END_EPISODE_ROWS,
    compute: Compute::sliced::<PlacedFosterAtEnd>(),
};

/// A `PLACE` code set of spec 5.1: each code with the first and last collection year (the year
/// ending 31 March) in which it is valid; `None` is unbounded.
pub(crate) type PlaceSet = &'static [(&'static str, Option<i32>, Option<i32>)];

/// Foster care: U1-U6, every year.
pub(crate) const FOSTER: PlaceSet = &[
    ("U1", None, None),
    ("U2", None, None),
    ("U3", None, None),
    ("U4", None, None),
    ("U5", None, None),
    ("U6", None, None),
];

/// Secure homes and children's homes: K1, K2, every year.
pub(crate) const CHILDRENS_HOMES: PlaceSet = &[("K1", None, None), ("K2", None, None)];

/// Independent or semi-independent living, supported accommodation: H5 and P2 to 2024-25, K3 from
/// 2024-25.
pub(crate) const SUPPORTED: PlaceSet = &[
    ("H5", None, Some(2025)),
    ("P2", None, Some(2025)),
    ("K3", Some(2025), None),
];

/// Is `place` in `set`? Whatever the year: a code outside its validity years is still classified.
pub(crate) fn in_set(set: PlaceSet, place: &str) -> bool {
    set.iter().any(|&(code, _, _)| code == place)
}

/// The care-episode row whose `PLACE` is the placement type at the end, for the episode `open` of
/// child `c` (not a short break): walking back from `open` over the child's episodes with short
/// breaks removed, the first non-temporary one met before leaving the placement (whose first
/// episode is the latest at or before `open` that starts a new placement). `None` when every
/// episode of the placement up to `open` is temporary.
pub(crate) fn placement_type_row(ds: &Dataset, c: u32, open: usize) -> Option<usize> {
    let (t, care) = (ds.care_episodes(), ds.care());
    for i in t
        .of_child(c)
        .rev()
        .filter(|&i| i <= open && !care.short_break[i])
    {
        if !is_temporary(&t.place[i]) {
            return Some(i);
        }
        if care.new_placement[i] {
            return None;
        }
    }
    None
}

/// The facts of a placement-type share: the care episodes open at some period end of the span,
/// each with whether its placement type at the end would be in `set`.
pub(crate) fn placed(cx: &Cx<'_>, span: Span, set: PlaceSet) -> Facts<(u32, bool)> {
    let (t, care) = (cx.ds.care_episodes(), cx.ds.care());
    open_episodes(cx, span, |i| {
        let placed = !care.short_break[i]
            && placement_type_row(cx.ds, t.child[i], i).is_some_and(|j| in_set(set, &t.place[j]));
        (i as u32, placed)
    })
}

/// The share of the children counted by `cla_at_end` whose placement type at the end is in the
/// set of `facts` ([`placed`]).
pub(crate) fn share(cx: &Cx<'_>, facts: &Facts<(u32, bool)>) -> MeasureResult {
    let ds = cx.ds;
    let decom = &ds.care_episodes().decom;
    let rows: Vec<RecordRow> = looked_after_at(ds, facts, cx.period, |&(i, _)| i as usize)
        .filter_map(|(c, open)| {
            let &(i, placed) = open.ok()?;
            Some(included(
                child_id(ds, c),
                Some(decom[i as usize]),
                placed,
                None,
            ))
        })
        .collect();
    cx.result_ordered(rows, Vec::new(), Extras::new())
}

/// The measure, as facts and finish: the care episodes open at some period end of the span, each
/// with whether its placement type is foster care ([`placed`]); each period reads those open at its
/// end.
pub(crate) struct PlacedFosterAtEnd;

impl Slices for PlacedFosterAtEnd {
    type Facts = Facts<(u32, bool)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        placed(cx, span, FOSTER)
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        share(cx, facts)
    }
}
