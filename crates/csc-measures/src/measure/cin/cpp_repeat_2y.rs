//! `cpp_repeat_2y`: **CP plans starting within 2 years of a previous plan ending** (percentage;
//! unit plans; polarity lower).
//!
//! * Denominator: as [`cpp_second_or_subsequent`](super::cpp_second_or_subsequent), with the same
//!   `unit` option.
//! * Numerator: a plan starting on `s` whose child has an earlier plan (start before `s`) that ended
//!   on or after `add_years(s, -2)`, or that has no end or ends after `s` (an overlap, which the
//!   dataset also reports as `cpp_overlap`). History only: `NumberOfPreviousCPP` is not read.
//! * Warning `insufficient_history` unless the loaded CIN returns cover every day from
//!   `add_years(period.start, -2)` to the day before `period.start`; when no CIN return has a known
//!   collection year, unless the earliest `CPPstartDate` in the data is on or before
//!   `add_years(period.start, -2)`.
//!
//! Drill-down: as `cpp_second_or_subsequent`. Source: DfE characteristics of children in need,
//! table D3 (plans within two years); Ofsted ILACS data.

use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{StartingPlan, starting_plan_rows, starting_plans};

/// What `cpp_repeat_2y` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cpp_repeat_2y",
    title: "CP plans starting within 2 years of a previous plan ending",
    unit: Unit::Plans,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[&options::UNIT.def],
    rates: &[],
    rows: super::PLAN_START_ROWS,
    compute: Compute::sliced::<CppRepeat2y>(),
};

/// The measure, as facts and finish: the plans starting in the span, each judged once on the
/// child's whole history, and the earliest plan start loaded (for the history warning).
pub(crate) struct CppRepeat2y;

impl Slices for CppRepeat2y {
    type Facts = (Facts<StartingPlan>, Option<Day>);

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let t = cx.ds.cp_plans();
        let judge = |i: usize| {
            let Some(s) = t.start_date[i] else {
                return false;
            };
            let window = s.add_years(-2);
            t.of_child(t.child[i]).any(|j| {
                t.start_date[j].is_some_and(|ps| ps < s)
                    && t.end_date[j].is_none_or(|e| e >= window)
            })
        };
        let earliest = t.start_date.iter().flatten().min().copied();
        (starting_plans(cx, span, judge), earliest)
    }

    fn finish(cx: &Cx<'_>, (plans, earliest): &Self::Facts) -> MeasureResult {
        let rows = starting_plan_rows(cx, plans);
        let from = cx.period.start().add_years(-2);
        let warnings = cx
            .history_warning(ReturnKind::Cin, from, *earliest)
            .into_iter()
            .collect();
        cx.result_ordered(rows, warnings, Extras::new())
    }
}
