//! `icpc_to_cpp`: **Initial child protection conferences that resulted in a CP plan**
//! (percentage; unit conferences; polarity neither).
//!
//! * Denominator: the conferences counted by [`icpcs`](super::icpcs), under the same
//!   `icpc_sources` option.
//! * Numerator: conferences for which a CP plan of the same child, remembering the same CIN
//!   episode (the section 47's episode, or the CIN episode holding the conference), has
//!   `CPPstartDate` equal to the conference date (CIN validation rule 2885). One plan may satisfy
//!   several conferences; a plan a day later, or in another episode of the child, does not.
//!
//! Drill-down: one row per conference counted; `record` = the conference date; `value` empty.
//! Source: DfE characteristics of children in need, table C4.

use crate::measure::{Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::icpcs::conferences;
use super::included;

/// What `icpc_to_cpp` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "icpc_to_cpp",
    title: "Initial child protection conferences that resulted in a CP plan",
    unit: Unit::Conferences,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[&options::ICPC_SOURCES.def],
    rates: &[],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let plans = ds.cp_plans();
    let rows = conferences(cx)
        .iter()
        .map(|c| {
            let plan = plans.of_child(c.child).any(|i| {
                plans.start_date[i] == Some(c.date) && plans.episode_referral_date[i] == c.episode
            });
            included(&ds.children()[c.child as usize], Some(c.date), plan, None)
        })
        .collect();
    cx.result(rows, Vec::new(), Extras::new())
}
