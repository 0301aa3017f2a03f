//! `re_referrals_12m`: **Re-referrals within 12 months of a previous referral** (percentage;
//! unit referrals; polarity lower).
//!
//! * Denominator: the referrals counted by [`referrals`](super::referrals) (distinct child and
//!   `CINreferralDate` in the period).
//! * Numerator: a referral on `r` whose child has another referral on `r'` with
//!   `add_months(r, -12) <= r' < r` (any loaded referral, inside the period or before it).
//! * Warning `insufficient_history` unless the loaded CIN returns' collection years cover every day
//!   from `add_months(period.start, -12)` to the day before `period.start`; when no CIN return has a
//!   known collection year, unless the earliest referral in the data is on or before
//!   `add_months(period.start, -12)`.
//!
//! Drill-down: one row per referral in the denominator; `record` = `CINreferralDate`; `value` = days
//! since the child's latest earlier referral (empty if none). Source: DfE CIN census guide,
//! characteristics of children in need table C1 (re-referrals); LG Inform metric 850.

use crate::measure::{Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{distinct_referrals, included};

/// What `re_referrals_12m` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "re_referrals_12m",
    title: "Re-referrals within 12 months of a previous referral",
    unit: Unit::Referrals,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    options: &[],
    rates: &[],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let mut rows = Vec::new();
    let mut prev: Option<(u32, crate::Day)> = None;
    let mut earliest: Option<crate::Day> = None;
    for (c, r) in distinct_referrals(ds) {
        earliest = Some(earliest.map_or(r, |e| e.min(r)));
        let before = prev.filter(|&(pc, _)| pc == c).map(|(_, pr)| pr);
        if cx.period.contains(r) {
            let in_num = before.is_some_and(|pr| r.add_months(-12) <= pr && pr < r);
            let value = before.map(|pr| i64::from(r.days_since(pr)));
            rows.push(included(&ds.children()[c as usize], Some(r), in_num, value));
        }
        prev = Some((c, r));
    }
    let from = cx.period.start().add_months(-12);
    let warnings = cx
        .history_warning(ReturnKind::Cin, from, earliest)
        .into_iter()
        .collect();
    cx.result(rows, warnings, Extras::new())
}
