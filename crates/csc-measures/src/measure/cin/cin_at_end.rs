//! `cin_at_end`: **Children in need at the period end** (count; unit children; polarity neither).
//!
//! Children with a CIN episode open at `period.end` (`CINreferralDate <= end` and
//! `CINclosureDate` blank or after it) whose `ReferralNFA` is not true (unknown counts as not true).
//!
//! Drill-down: one row per child counted; `record` = the `CINreferralDate` of the child's earliest
//! open non-NFA episode. Source: DfE characteristics of children in need, table A1.

use crate::measure::series::{Facts, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{open_at_end_rows, open_records};

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
    rows: crate::measure::RowDoc {
        per: "child counted",
        record: "`CINreferralDate` of the earliest open non-NFA episode",
        value: "empty",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<CinAtEnd>(),
};

/// The measure, as facts and finish: the CIN episodes (`ReferralNFA` not true) open at some period
/// end of the span, by child then start; each period reads those open at its end (a child's first
/// is its earliest).
pub(crate) struct CinAtEnd;

impl Slices for CinAtEnd {
    type Facts = Facts<(u32, ())>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let t = cx.ds.cin_episodes();
        open_records(
            span,
            t.len(),
            |i| {
                (t.referral_nfa[i] != Some(true)).then_some((
                    t.child[i],
                    t.referral_date[i],
                    t.closure_date[i],
                ))
            },
            |_, _| (),
        )
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        cx.result_ordered(open_at_end_rows(cx, facts), Vec::new(), Extras::new())
    }
}
