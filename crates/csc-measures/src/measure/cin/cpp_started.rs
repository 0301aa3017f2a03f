//! `cpp_started`: **CP plans starting in the period** (count; unit plans; polarity neither).
//!
//! The CP plans with `CPPstartDate` in the period (the denominator of
//! [`cpp_second_or_subsequent`](super::cpp_second_or_subsequent) under `unit = plans`); a plan with
//! a blank start never counts. Extras: `children` (distinct children with a plan counted),
//! `rate_per_10000` of the count (spec 8).
//!
//! Drill-down: one row per plan counted; `record` = `CPPstartDate`; `value` empty. Source: DfE
//! characteristics of children in need, table D1.

use crate::measure::{Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{counted, distinct_children};

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
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.cp_plans();
    let rows: Vec<_> = (0..t.len())
        .filter_map(|i| {
            let s = t.start_date[i].filter(|&s| cx.period.contains(s))?;
            Some(counted(&ds.children()[t.child[i] as usize], Some(s)))
        })
        .collect();
    let extras = Extras::new().with("children", Extra::Int(Some(distinct_children(&rows))));
    cx.result(rows, Vec::new(), extras)
}
