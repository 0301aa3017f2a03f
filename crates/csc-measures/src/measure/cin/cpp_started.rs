//! `cpp_started`: **CP plans starting in the period** (count; unit plans; polarity neither).
//!
//! The CP plans with `CPPstartDate` in the period (the denominator of
//! [`cpp_second_or_subsequent`](super::cpp_second_or_subsequent) under `unit = plans`); a plan with
//! a blank start never counts. Extras: `children` (distinct children with a plan counted),
//! `rate_per_10000` of the count (spec 8).
//!
//! Drill-down: one row per plan counted; `record` = `CPPstartDate`; `value` empty. Source: DfE
//! characteristics of children in need, table D1.

use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::counted;

/// What `cpp_started` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cpp_started",
    title: "CP plans starting in the period",
    unit: Unit::Plans,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Count,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[],
    rates: &[Rate::NUMERATOR],
    rows: crate::measure::RowDoc {
        per: "plan starting in the period",
        record: "`CPPstartDate`",
        value: "empty",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<CppStarted>(),
};

/// The measure, as facts and finish: the plans starting in the span, dated by their start, in
/// child then start order.
pub(crate) struct CppStarted;

impl Slices for CppStarted {
    type Facts = Facts<u32>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<u32> {
        let t = cx.ds.cp_plans();
        let mut v: Vec<(Day, u32)> = (0..t.len())
            .filter_map(|i| {
                let s = t.start_date[i].filter(|&s| span.holds(s))?;
                Some((s, t.child[i]))
            })
            .collect();
        v.sort_by_key(|&(s, c)| (c, s));
        Facts::dated(v)
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<u32>) -> MeasureResult {
        let (mut children, mut last) = (0_i64, None);
        let rows: Vec<RecordRow> = facts.collect(cx.period, |(s, &c)| {
            children += i64::from(last.replace(c) != Some(c));
            counted(child_id(cx.ds, c), Some(s))
        });
        let extras = Extras::new().with("children", Extra::Int(Some(children)));
        cx.result_ordered(rows, Vec::new(), extras)
    }
}
