//! `referrals`: **Referrals in the period** (count; unit referrals; polarity neither).
//!
//! The number of distinct (child, `CINreferralDate`) pairs with the referral date in the period
//! (spec 4). Several CIN episodes of one child with the same referral date are one referral.
//!
//! Drill-down: one row per distinct referral counted; `record` = `CINreferralDate`; `value` empty.
//! Source: DfE children in need census guide; LG Inform metric 100 (referrals).

use crate::measure::{Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{counted, distinct_referrals};

/// What `referrals` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "referrals",
    title: "Referrals in the period",
    unit: Unit::Referrals,
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
    let rows = distinct_referrals(ds)
        .filter(|&(_, r)| cx.period.contains(r))
        .map(|(c, r)| counted(&ds.children()[c as usize], Some(r)))
        .collect();
    cx.result(rows, Vec::new(), Extras::new())
}
