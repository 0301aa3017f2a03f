//! `adoption_a2`: **A2: average days from court authority to place to the match with adopters**
//! (average; unit days; polarity lower).
//!
//! For each adopted child (see [the module](super)): A2 days = `max(0, match - court authority)`
//! (a placement order after the match gives 0). Exclusions, in order: `no_adoptive_placement`,
//! `no_placement_order` (no episode of the period with `LS` E1 or D1, or the first one found is the
//! first loaded episode of a history-truncated period, whose true date is unknown), `no_match_date`
//! (no AD1 `DATE_MATCH` from entering care to the adoption). Threshold default 121 days (4 months).
//!
//! Drill-down: one row per adopted episode; `record` = adoption `DEC`; `value` = A2 days.

use crate::measure::cin::{excluded, included};
use crate::measure::{Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Reason, Unit, ValueKind};

use super::{adoptions, average};

/// What `adoption_a2` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "adoption_a2",
    title: "A2: average days from court authority to place to the match with adopters",
    unit: Unit::Days,
    polarity: Polarity::Lower,
    value_kind: ValueKind::MeanDays,
    source: ReturnKind::Ssda903,
    window: Window::Years(3),
    coverage: Coverage::PERIOD.reads(&["AD1"]),
    options: &[&options::ADOPTION_THRESHOLDS.def],
    rates: &[],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let rows = adoptions(cx)
        .iter()
        .map(|a| {
            let rec = Some(a.dec);
            match (a.moved_in, a.court, a.match_date) {
                (None, _, _) => excluded(&a.child, rec, Reason::NoAdoptivePlacement),
                (_, None, _) => excluded(&a.child, rec, Reason::NoPlacementOrder),
                (_, _, None) => excluded(&a.child, rec, Reason::NoMatchDate),
                (Some(_), Some(court), Some(m)) => included(
                    &a.child,
                    rec,
                    true,
                    Some(i64::from(m.days_since(court).max(0))),
                ),
            }
        })
        .collect();
    average(cx, rows, cx.opt(&options::ADOPTION_THRESHOLDS).a2)
}
