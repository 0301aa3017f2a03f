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
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = the child's latest earlier
//! `CINreferralDate` (empty if none); `end` = `CINreferralDate`, as `record`.

use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind, Warning};

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
    rows: crate::measure::RowDoc {
        per: "distinct (child, `CINreferralDate`) in the period",
        record: "`CINreferralDate`",
        value: "days since the child's latest earlier referral, `end - start`; empty if none",
        start: Some("the child's latest earlier `CINreferralDate` (empty if none)"),
        end: Some("`CINreferralDate`, as `record`"),
    },
    compute: Compute::sliced::<ReReferrals12m>(),
};

/// The measure, as facts and finish: the referrals of the span, each judged on the whole history.
pub(crate) struct ReReferrals12m;

impl Slices for ReReferrals12m {
    type Facts = Judged;

    fn facts(cx: &Cx<'_>, span: Span) -> Judged {
        judged(cx, span)
    }

    fn finish(cx: &Cx<'_>, facts: &Judged) -> MeasureResult {
        let rows: Vec<RecordRow> = facts.referrals.collect(cx.period, |(date, r)| {
            included(child_id(cx.ds, r.child), Some(date), r.re, r.days)
                .dated(r.earlier(date), Some(date))
        });
        cx.result_ordered(rows, facts.warnings(cx), Extras::new())
    }
}

/// A referral, judged.
pub(crate) struct Referral {
    /// The child's index.
    pub child: u32,
    /// A re-referral within 12 months.
    pub re: bool,
    /// Days since the child's latest earlier referral.
    pub days: Option<i64>,
}

impl Referral {
    /// The child's latest earlier referral, of this referral made on `date`.
    pub(crate) fn earlier(&self, date: Day) -> Option<Day> {
        self.days.map(|d| date.add_days(-(d as i32)))
    }
}

/// The referrals of a span, judged, dated by `CINreferralDate` in child, then date order, and the
/// earliest referral loaded: what this measure and
/// [`re_referrals_12m_children`](super::re_referrals_12m_children) share.
pub(crate) struct Judged {
    pub referrals: Facts<Referral>,
    earliest: Option<Day>,
}

impl Judged {
    /// The history warning over `cx.period`.
    pub(super) fn warnings(&self, cx: &Cx<'_>) -> Vec<Warning> {
        let from = cx.period.start().add_months(-12);
        cx.history_warning(ReturnKind::Cin, from, self.earliest)
            .into_iter()
            .collect()
    }
}

/// `add_months(r, -12) <= pr && pr < r`. `add_months(r, -12)` is the same day a year before `r`
/// (28 February for 29 February), 365 or 366 days before it: an earlier `pr` fewer than 366 days
/// before `r` is on or after it and one more than 366 days before is not, so only `pr` exactly 366
/// days before needs the date worked out.
fn within_12_months(pr: Day, r: Day) -> bool {
    if pr >= r {
        return false;
    }
    match r.days_since(pr) {
        ..=365 => true,
        366 => r.add_months(-12) <= pr,
        _ => false,
    }
}

/// The referrals of `span`, each judged against every loaded referral.
pub(super) fn judged(cx: &Cx<'_>, span: Span) -> Judged {
    let mut out = Vec::new();
    let mut prev: Option<(u32, Day)> = None;
    let mut earliest: Option<Day> = None;
    for (c, r) in distinct_referrals(cx.ds) {
        earliest = Some(earliest.map_or(r, |e| e.min(r)));
        let before = prev.filter(|&(pc, _)| pc == c).map(|(_, pr)| pr);
        if span.holds(r) {
            out.push((
                r,
                Referral {
                    child: c,
                    re: before.is_some_and(|pr| within_12_months(pr, r)),
                    days: before.map(|pr| i64::from(r.days_since(pr))),
                },
            ));
        }
        prev = Some((c, r));
    }
    Judged {
        referrals: Facts::dated(out),
        earliest,
    }
}
