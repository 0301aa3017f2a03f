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
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = court authority: `DECOM` of
//! the period of care's first episode with `LS` E1 or D1 (empty when none counts); `end` = match:
//! the latest AD1 `DATE_MATCH` from entering care to the adoption (empty when none).

use crate::measure::series::{Facts, Row, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Reason, Unit, ValueKind};

use super::{adoption_rows, average, rows_in};

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
    rows: crate::measure::RowDoc {
        per: "adopted episode",
        record: "adoption `DEC`",
        value: "A2 days, `max(0, end - start)`",
        start: Some(
            "court authority: `DECOM` of the period of care's first episode with `LS` E1 or D1 (empty when none counts)",
        ),
        end: Some(
            "match: the latest AD1 `DATE_MATCH` from entering care to the adoption (empty when none)",
        ),
    },
    compute: Compute::sliced::<AdoptionA2>(),
};

/// The measure, as facts and finish: the row of each adopted episode of the span, dated by the
/// adoption `DEC`.
pub(crate) struct AdoptionA2;

impl Slices for AdoptionA2 {
    type Facts = Facts<Row>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<Row> {
        adoption_rows(cx, span, |a| {
            let rec = Some(a.dec);
            let row = match (a.moved_in, a.court, a.match_date) {
                (None, _, _) => Row::excluded(a.child, rec, Reason::NoAdoptivePlacement),
                (_, None, _) => Row::excluded(a.child, rec, Reason::NoPlacementOrder),
                (_, _, None) => Row::excluded(a.child, rec, Reason::NoMatchDate),
                (Some(_), Some(court), Some(m)) => Row::included(
                    a.child,
                    rec,
                    true,
                    Some(i64::from(m.days_since(court).max(0))),
                ),
            };
            row.dated(a.court, a.match_date)
        })
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<Row>) -> MeasureResult {
        average(
            cx,
            rows_in(cx, facts),
            cx.opt(&options::ADOPTION_THRESHOLDS).a2,
        )
    }
}
