//! `cpp_open_15m_plus`: **CP plans open at the period end that started 15 months or more before
//! it** (percentage; unit plans; polarity lower).
//!
//! * Denominator: plans open at `period.end` (`CPPstartDate <= end` and `CPPendDate` blank or
//!   after it).
//! * Numerator: `add_months(CPPstartDate, 15) <= period.end`.
//! * Exclusion `missing_start`: a plan with a blank `CPPstartDate` that has not ended by
//!   `period.end` cannot be judged (a decision of this library: the spec's general rule for
//!   measures that need a blank date).
//!
//! Drill-down: one row per plan open at the end; `record` = `CPPstartDate`; `value` = days from the
//! start to `period.end`. Source: DfE characteristics of children in need, table D5.

use crate::measure::{Coverage, Cx, MeasureSpec, Window};
use crate::period::open_at;
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Reason, Unit, ValueKind};

use super::{excluded, included};

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
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.cp_plans();
    let end = cx.period.end();
    let mut rows = Vec::new();
    for i in 0..t.len() {
        let child = &ds.children()[t.child[i] as usize];
        match t.start_date[i] {
            None if t.end_date[i].is_none_or(|e| e > end) => {
                rows.push(excluded(child, None, Reason::MissingStart));
            }
            Some(s) if open_at(s, t.end_date[i], end) => {
                let long = s.add_months(15) <= end;
                rows.push(included(
                    child,
                    Some(s),
                    long,
                    Some(i64::from(end.days_since(s))),
                ));
            }
            _ => {}
        }
    }
    cx.result(rows, Vec::new(), Extras::new())
}
