//! `re_referrals_12m_children`: **Children referred in the period with a referral within 12 months
//! of a previous referral** (percentage; unit children; polarity lower). DfE table C1, child level.
//!
//! * Denominator: the distinct children among the referrals counted by
//!   [`referrals`](super::referrals).
//! * Numerator: those children with at least one referral in the numerator of
//!   [`re_referrals_12m`](super::re_referrals_12m) (another referral of the child on `r'` with
//!   `add_months(r, -12) <= r' < r`).
//! * Warning `insufficient_history` exactly as for `re_referrals_12m`.
//!
//! Drill-down: one row per child with a referral in the period; `record` = the `CINreferralDate` of
//! its earliest re-referral in the period, else of its earliest referral in the period; `value` =
//! days since the latest earlier referral of that referral (empty if none).
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = the latest earlier
//! `CINreferralDate` of that referral (empty if none); `end` = that referral's `CINreferralDate`,
//! as `record`.

use crate::measure::series::{Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::included;
use super::re_referrals_12m::{Judged, judged};

/// What `re_referrals_12m_children` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "re_referrals_12m_children",
    title: "Children referred in the period with a referral within 12 months of a previous referral",
    unit: Unit::Children,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "child with a referral in the period",
        record: "`CINreferralDate` of its earliest re-referral in the period, else of its earliest referral in the period",
        value: "days since the latest earlier referral of that referral, `end - start`; empty if none",
        start: Some("the latest earlier `CINreferralDate` of that referral (empty if none)"),
        end: Some("that referral's `CINreferralDate`, as `record`"),
    },
    compute: Compute::sliced::<ReReferrals12mChildren>(),
};

/// The measure, as facts and finish: the judged referrals of
/// [`re_referrals_12m`](super::re_referrals_12m), folded per child over each period.
pub(crate) struct ReReferrals12mChildren;

impl Slices for ReReferrals12mChildren {
    type Facts = Judged;

    fn facts(cx: &Cx<'_>, span: Span) -> Judged {
        judged(cx, span)
    }

    fn finish(cx: &Cx<'_>, facts: &Judged) -> MeasureResult {
        let referrals = facts.referrals.of_dated(cx.period);
        let mut rows: Vec<RecordRow> = Vec::with_capacity(referrals.len());
        let mut last_child = u32::MAX;
        // The referrals come in child, then date order: the first of a child is its earliest, and
        // its first re-referral is its earliest re-referral.
        for (date, r) in referrals {
            let child = child_id(cx.ds, r.child);
            if r.child != last_child {
                rows.push(
                    included(child, Some(date), r.re, r.days).dated(r.earlier(date), Some(date)),
                );
            } else if r.re {
                let row = rows
                    .last_mut()
                    .expect("a child's first referral made a row");
                if !row.in_numerator {
                    *row = included(child, Some(date), true, r.days)
                        .dated(r.earlier(date), Some(date));
                }
            }
            last_child = r.child;
        }
        cx.result_ordered(rows, facts.warnings(cx), Extras::new())
    }
}
