//! `cpp_second_or_subsequent`: **CP plans starting in the period that were a second or subsequent
//! plan** (percentage; unit plans; polarity lower). DfE table D3.
//!
//! * Denominator: CP plans with `CPPstartDate` in the period.
//! * Numerator, by option `previous_plans`: `history` - the child has another plan starting
//!   earlier in the loaded data; `count` - the plan's `NumberOfPreviousCPP >= 1`;
//!   `history_or_count` (default) - either. An unknown `NumberOfPreviousCPP` never satisfies
//!   `>= 1`.
//! * Warning `previous_cpp_count_missing` when the count is in force (`count` or
//!   `history_or_count`) and some plan starting in the period has an unknown count.
//! * Option `unit`: `plans` (default), or `children` - the denominator is children with at least one
//!   plan starting in the period, the numerator those with at least one such plan in the numerator
//!   (the former NI 65 reading).
//!
//! Drill-down: one row per plan starting in the period (per child with its earliest such start, for
//! `unit = children`); `record` = `CPPstartDate`; `value` empty. Source: DfE characteristics of
//! children in need, table D3; LG Inform metric 912.

use crate::measure::series::{Facts, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, PreviousPlans, Window, options};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind, Warning};

use super::{StartingPlan, starting_plan_rows, starting_plans};

/// What `cpp_second_or_subsequent` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cpp_second_or_subsequent",
    title: "CP plans starting in the period that were a second or subsequent plan",
    unit: Unit::Plans,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[&options::PREVIOUS_PLANS.def, &options::UNIT.def],
    rates: &[],
    rows: super::PLAN_START_ROWS,
    compute: Compute::sliced::<CppSecondOrSubsequent>(),
};

/// The measure, as facts and finish: the plans starting in the span, each judged once on the
/// child's whole history and its count.
pub(crate) struct CppSecondOrSubsequent;

impl Slices for CppSecondOrSubsequent {
    type Facts = Facts<StartingPlan>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<StartingPlan> {
        let t = cx.ds.cp_plans();
        let mode = cx.opt(&options::PREVIOUS_PLANS);
        // The child's earliest known start: an earlier plan exists exactly when it is before `s`.
        let first_start = |i: usize| t.of_child(t.child[i]).find_map(|j| t.start_date[j]);
        let judge = |i: usize| {
            let s = t.start_date[i];
            let history = first_start(i).is_some_and(|f| s.is_some_and(|s| f < s));
            let count = t.previous_plans[i].is_some_and(|n| n >= 1);
            match mode {
                PreviousPlans::History => history,
                PreviousPlans::Count => count,
                PreviousPlans::HistoryOrCount => history || count,
            }
        };
        starting_plans(cx, span, judge)
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<StartingPlan>) -> MeasureResult {
        let rows = starting_plan_rows(cx, facts);
        let mut warnings = Vec::new();
        let count_in_force = cx.opt(&options::PREVIOUS_PLANS) != PreviousPlans::History;
        if count_in_force && facts.of(cx.period).any(|p| p.count_missing) {
            warnings.push(Warning::PreviousCppCountMissing);
        }
        cx.result_ordered(rows, warnings, Extras::new())
    }
}
