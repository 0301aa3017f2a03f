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

use crate::day::Day;
use crate::measure::{Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind, Warning};

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
    coverage: Coverage::PERIOD,
    options: &[],
    rates: &[],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let (referrals, warnings) = judged(cx);
    let rows = referrals
        .iter()
        .map(|r| {
            included(
                &cx.ds.children()[r.child as usize],
                Some(r.date),
                r.re,
                r.days,
            )
        })
        .collect();
    cx.result(rows, warnings, Extras::new())
}

/// A referral in the period, judged.
pub(super) struct Judged {
    /// The child's index.
    pub child: u32,
    /// `CINreferralDate`.
    pub date: Day,
    /// A re-referral within 12 months.
    pub re: bool,
    /// Days since the child's latest earlier referral.
    pub days: Option<i64>,
}

/// The referrals in the period (child, then date order), each judged, and the history warning:
/// what this measure and [`re_referrals_12m_children`](super::re_referrals_12m_children) share.
pub(super) fn judged(cx: &Cx<'_>) -> (Vec<Judged>, Vec<Warning>) {
    let mut out = Vec::new();
    let mut prev: Option<(u32, Day)> = None;
    let mut earliest: Option<Day> = None;
    for (c, r) in distinct_referrals(cx.ds) {
        earliest = Some(earliest.map_or(r, |e| e.min(r)));
        let before = prev.filter(|&(pc, _)| pc == c).map(|(_, pr)| pr);
        if cx.period.contains(r) {
            out.push(Judged {
                child: c,
                date: r,
                re: before.is_some_and(|pr| r.add_months(-12) <= pr && pr < r),
                days: before.map(|pr| i64::from(r.days_since(pr))),
            });
        }
        prev = Some((c, r));
    }
    let from = cx.period.start().add_months(-12);
    let warnings = cx
        .history_warning(ReturnKind::Cin, from, earliest)
        .into_iter()
        .collect();
    (out, warnings)
}
