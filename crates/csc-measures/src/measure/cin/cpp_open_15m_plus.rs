//! `cpp_open_15m_plus`: **CP plans open at the period end that started 15 months or more before
//! it** (percentage; unit plans; polarity lower).
//!
//! * Denominator: plans open at `period.end` (`CPPstartDate <= end` and `CPPendDate` blank or
//!   after it).
//! * Numerator: `add_months(CPPstartDate, 15) <= period.end`.
//! * A plan with a blank `CPPstartDate` is never open and has no row (spec 2.6, v2 change: a
//!   record with a blank start gets a row only in a measure that lists `missing_start`).
//!
//! Drill-down: one row per plan open at the end; `record` = `CPPstartDate`; `value` = days from the
//! start to `period.end`. Source: DfE characteristics of children in need, table D5.
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = `CPPstartDate`; `end` is
//! empty.

use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::{included, open_plans};

/// What `cpp_open_15m_plus` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cpp_open_15m_plus",
    title: "CP plans open at the period end that started 15 months or more before it",
    unit: Unit::Plans,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "plan open at the period end",
        record: "`CPPstartDate`",
        value: "days from `start` to `period.end`",
        start: Some("`CPPstartDate`"),
        end: None,
    },
    compute: Compute::sliced::<CppOpen15mPlus>(),
};

/// The measure, as facts and finish: the plans open at some period end of the span, by child then
/// start ([`open_plans`]), each with `add_months(CPPstartDate, 15)`; each period reads those open
/// at its end.
pub(crate) struct CppOpen15mPlus;

impl Slices for CppOpen15mPlus {
    type Facts = Facts<(u32, Day)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        open_plans(cx, span, |_, s| s.add_months(15))
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        let end = cx.period.end();
        // One child's plans open at the end come by start: their values (days to the end) and
        // flags follow, so the rows are in order.
        let rows: Vec<RecordRow> = facts.collect(cx.period, |(s, &(c, fifteen_months))| {
            included(
                child_id(cx.ds, c),
                Some(s),
                fifteen_months <= end,
                Some(i64::from(end.days_since(s))),
            )
            .dated(Some(s), None)
        });
        cx.result_ordered(rows, Vec::new(), Extras::new())
    }
}
