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

use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

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
    rows: super::ICPC_ROWS,
    compute: Compute::sliced::<IcpcToCpp>(),
};

/// The measure, as facts and finish: the conferences of the span, dated, each judged once (a plan
/// of the child starting that day under the same CIN episode), in the order of their rows.
pub(crate) struct IcpcToCpp;

impl Slices for IcpcToCpp {
    type Facts = Facts<(u32, bool)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let plans = cx.ds.cp_plans();
        let mut v: Vec<(Day, (u32, bool))> = conferences(cx, span)
            .iter()
            .map(|c| {
                let plan = plans.of_child(c.child).any(|i| {
                    plans.start_date[i] == Some(c.date)
                        && plans.episode_referral_date[i] == c.episode
                });
                (c.date, (c.child, plan))
            })
            .collect();
        v.sort_by_key(|&(d, (c, plan))| (c, d, plan));
        Facts::dated(v)
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        let rows: Vec<RecordRow> = facts.collect(cx.period, |(d, &(c, plan))| {
            included(child_id(cx.ds, c), Some(d), plan, None)
        });
        cx.result_ordered(rows, Vec::new(), Extras::new())
    }
}
