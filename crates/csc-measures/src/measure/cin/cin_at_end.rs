//! `cin_at_end`: **Children in need at the period end** (count; unit children; polarity neither).
//!
//! Children with a CIN episode open at `period.end` (`CINreferralDate <= end` and
//! `CINclosureDate` blank or after it) whose `ReferralNFA` is not true (unknown counts as not true).
//!
//! Drill-down: one row per child counted; `record` = the `CINreferralDate` of the child's earliest
//! open non-NFA episode. Source: DfE characteristics of children in need, table A1.

use crate::measure::{Coverage, Cx, MeasureSpec, Rate, Window};
use crate::period::open_at;
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::open_at_end_rows;

/// What `cin_at_end` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cin_at_end",
    title: "Children in need at the period end",
    unit: Unit::Children,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Count,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[Rate::NUMERATOR],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let t = cx.ds.cin_episodes();
    let end = cx.period.end();
    // Episodes are in referral order: the earliest open non-NFA referral is the first found.
    let rows = open_at_end_rows(
        cx.ds,
        |c| t.of_child(c),
        |i| {
            let open = t.referral_nfa[i] != Some(true)
                && open_at(t.referral_date[i], t.closure_date[i], end);
            open.then_some(t.referral_date[i])
        },
    );
    cx.result(rows, Vec::new(), Extras::new())
}
