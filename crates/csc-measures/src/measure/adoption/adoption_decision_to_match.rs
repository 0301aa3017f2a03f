//! `adoption_decision_to_match`: **Average days from the decision that a child should be placed
//! for adoption to the match** (average; unit days; polarity lower).
//!
//! For each adopted episode of section 5 (see [the module](super): `REC` E11, E12 or legacy E1 with
//! `DEC` in the period, one row per episode):
//! * *match* = the latest `DATE_MATCH` among the child's AD1 rows that is on or before the adoption
//!   `DEC` and, unless the period of care is history-truncated, on or after *entered care* (a
//!   truncated period's true start is unknown, so a match before its first loaded `DECOM` still
//!   counts);
//! * *decision* = the earliest non-blank `DATE_INT` among the AD1 rows carrying that `DATE_MATCH`
//!   (two rows sharing the key with different decision dates: the earliest);
//! * days = match - decision.
//!
//! Exclusions, in order: `no_match_date` (no such `DATE_MATCH`), `no_decision_date` (every AD1 row
//! carrying the match has a blank `DATE_INT`), `negative_duration` (the match is before the
//! decision). A decision on the match day gives 0 days and is included. Neither an adoptive
//! placement nor a placement order is required (spec 5.1 lists no such exclusion).
//!
//! `numerator` = the sum of days, `denominator` = adoptions included, `value` = the mean rounded
//! half up to a whole day (`floor((2 * sum + n) / (2 * n))`), extra `mean` (the unrounded mean, null
//! when none is included). No threshold. A return whose year holds a day of the period without an
//! AD1 table gives the warning `table_missing` (spec 3.1).
//!
//! Drill-down: one row per adopted episode; `record` = adoption `DEC`; `value` = days from decision
//! to match (empty when excluded).
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = decision: the earliest AD1
//! `DATE_INT` of the rows carrying the match (empty when none); `end` = match: the AD1 `DATE_MATCH`
//! (empty when none).
//!
//! Source: DfE adoption scorecard methodology (A2's "decision to match" companion figure); SSDA903
//! guide (AD1 `DATE_INT`, `DATE_MATCH`).

use crate::measure::series::{Facts, Row, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Reason, Unit, ValueKind};

use super::{adoption_rows, average, rows_in};

/// What `adoption_decision_to_match` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "adoption_decision_to_match",
    title: "Average days from the decision that a child should be placed for adoption to the match",
    unit: Unit::Days,
    polarity: Polarity::Lower,
    value_kind: ValueKind::MeanDays,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::PERIOD.reads(&["AD1"]),
    options: &[],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "adopted episode",
        record: "adoption `DEC`",
        value: "days from decision to match, `end - start` (empty when excluded)",
        start: Some(
            "decision: the earliest AD1 `DATE_INT` of the rows carrying the match (empty when none)",
        ),
        end: Some("match: the AD1 `DATE_MATCH` (empty when none)"),
    },
    compute: Compute::sliced::<AdoptionDecisionToMatch>(),
};

/// The measure, as facts and finish: the row of each adopted episode of the span, dated by the
/// adoption `DEC`.
pub(crate) struct AdoptionDecisionToMatch;

impl Slices for AdoptionDecisionToMatch {
    type Facts = Facts<Row>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<Row> {
        let ad1 = cx.ds.ad1();
        adoption_rows(cx, span, |a| {
            let rec = Some(a.dec);
            let rows_of_child = ad1.of_child(a.child);
            let match_date = rows_of_child
                .clone()
                .filter_map(|i| ad1.date_match[i])
                .filter(|&m| m <= a.dec && (a.history_truncated || a.entered <= m))
                .max();
            let Some(m) = match_date else {
                return Row::excluded(a.child, rec, Reason::NoMatchDate);
            };
            let decision = rows_of_child
                .filter(|&i| ad1.date_match[i] == Some(m))
                .filter_map(|i| ad1.date_int[i])
                .min();
            let row = match decision {
                None => Row::excluded(a.child, rec, Reason::NoDecisionDate),
                Some(d) if m < d => Row::excluded(a.child, rec, Reason::NegativeDuration),
                Some(d) => Row::included(a.child, rec, true, Some(i64::from(m.days_since(d)))),
            };
            row.dated(decision, Some(m))
        })
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<Row>) -> MeasureResult {
        // The shared average of the adoption measures, keeping its `mean` only: no threshold here.
        let mut r = average(cx, rows_in(cx, facts), 0);
        let mean = r.extras.get("mean").cloned().unwrap_or(Extra::Float(None));
        r.extras = Extras::new().with("mean", mean);
        r
    }
}
