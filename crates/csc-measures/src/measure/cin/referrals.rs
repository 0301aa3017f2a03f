//! `referrals`: **Referrals in the period** (count; unit referrals; polarity neither).
//!
//! The number of distinct (child, `CINreferralDate`) pairs with the referral date in the period
//! (spec 4). Several CIN episodes of one child with the same referral date are one referral.
//!
//! Drill-down: one row per distinct referral counted; `record` = `CINreferralDate`; `value` empty.
//! Source: DfE children in need census guide; LG Inform metric 100 (referrals).

use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::distinct_referrals;

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
    rows: crate::measure::RowDoc {
        per: "distinct (child, `CINreferralDate`) in the period",
        record: "`CINreferralDate`",
        value: "empty",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<Referrals>(),
};

/// The measure, as facts and finish: the distinct referrals (by child, then date: the order of
/// their rows), each dated by its referral date.
pub(crate) struct Referrals;

impl Slices for Referrals {
    type Facts = Facts<u32>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<u32> {
        Facts::dated(
            distinct_referrals(cx.ds)
                .filter(|&(_, r)| span.holds(r))
                .map(|(c, r)| (r, c))
                .collect(),
        )
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<u32>) -> MeasureResult {
        let rows: Vec<RecordRow> = facts.collect(cx.period, |(r, &c)| {
            super::counted(child_id(cx.ds, c), Some(r))
        });
        cx.result_ordered(rows, Vec::new(), Extras::new())
    }
}
