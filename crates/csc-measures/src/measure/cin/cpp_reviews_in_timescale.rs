//! `cpp_reviews_in_timescale`: **CP plans open at the period end for 3 months or more, reviewed
//! within timescales** (percentage; unit plans; polarity higher).
//!
//! * Denominator: CP plans open at `period.end` with `add_months(CPPstartDate, 3) <= period.end`.
//! * Numerator: plans whose review schedule (spec 2.6, [`schedule`](crate::measure::schedule)) is
//!   met, with `s = CPPstartDate`, `R` = the plan's review dates (the distinct `CPPreviewDate`s
//!   under the plan's key in every loaded return, spec 2.4), `D = period.end`, `L` = the CIN data
//!   start `L(period.end)`, and rules first `3m` (`r <= add_months(a, 3)`), second `6m`, later
//!   `6m`. Anchored at its start, a plan of the denominator with no review walked is always
//!   overdue. A review dated on the plan's start day is not walked.
//! * Warning `insufficient_history` when any plan of the denominator has a pre-data schedule
//!   (it started before `L`, so its reviews before `L` are ignored and it is anchored on the day
//!   before `L`).
//!
//! Drill-down: one row per plan in the denominator; `record` = `CPPstartDate`; `value` = the
//! reviews walked. Source: Working Together to Safeguard Children (first review conference within
//! 3 months of the initial conference, then at intervals of no more than 6 months).

use crate::measure::schedule::{Rule, schedule};
use crate::measure::{Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind, Warning};

use super::{included, open_plans};

/// What `cpp_reviews_in_timescale` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cpp_reviews_in_timescale",
    title: "CP plans open at the period end for 3 months or more, reviewed within timescales",
    unit: Unit::Plans,
    polarity: Polarity::Higher,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[],
    compute,
};

/// The rules of a CP plan's reviews: first within 3 months, then every 6 months.
const RULES: [Rule; 3] = [Rule::Months(3), Rule::Months(6), Rule::Months(6)];

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.cp_plans();
    let end = cx.period.end();
    let data_start = cx.data_start(ReturnKind::Cin, end);
    let mut pre_data = false;
    let mut provisional = false;
    let mut rows = Vec::new();
    for (i, start) in open_plans(t, end) {
        if start.add_months(3) > end {
            continue;
        }
        let s = schedule(cx, start, &t.review_dates[i], end, data_start, RULES);
        pre_data |= s.pre_data;
        provisional |= s.provisional;
        rows.push(included(
            &ds.children()[t.child[i] as usize],
            Some(start),
            s.met,
            Some(i64::from(s.walked)),
        ));
    }
    let mut warnings = Vec::new();
    if pre_data {
        warnings.push(Warning::InsufficientHistory);
    }
    if provisional {
        warnings.push(Warning::CalendarProvisional);
    }
    cx.result(rows, warnings, Extras::new())
}
