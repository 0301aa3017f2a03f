//! `cpp_reviews_in_timescale`: **CP plans open at the period end for 3 months or more, reviewed
//! within timescales** (percentage; unit plans; polarity higher).
//!
//! * Denominator: CP plans open at `period.end` with `add_months(CPPstartDate, 3) <= period.end`.
//! * Numerator: plans whose review schedule (spec 2.6, [`schedule`](crate::measure::schedule)) is
//!   met, with `s = CPPstartDate`, `R` = the plan's review dates (the distinct `CPPreviewDate`s
//!   under the plan's key in every loaded return, spec 2.4), `D = period.end`, `L` = the CIN data
//!   start `L(period.end)`, and rules first `3m` (`r <= add_months(a, 3)`), second `6m`, later
//!   `6m`. Anchored at its start, a plan of the denominator with no review walked is always
//!   overdue. A review dated on the plan's start day is not walked.
//! * Warning `insufficient_history` when any plan of the denominator has a pre-data schedule
//!   (it started before `L`, so its reviews before `L` are ignored and it is anchored on the day
//!   before `L`).
//!
//! Drill-down: one row per plan in the denominator; `record` = `CPPstartDate`; `value` = the
//! reviews walked. Source: Working Together to Safeguard Children (first review conference within
//! 3 months of the initial conference, then at intervals of no more than 6 months).

use crate::day::Day;
use crate::measure::cla::cla_reviews_on_time::data_starts;
use crate::measure::schedule::{Anchor, Rule, Step, at, walk};
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind, Warning};

use super::{included, open_plans};

/// What `cpp_reviews_in_timescale` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cpp_reviews_in_timescale",
    title: "CP plans open at the period end for 3 months or more, reviewed within timescales",
    unit: Unit::Plans,
    polarity: Polarity::Higher,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "plan in the denominator",
        record: "`CPPstartDate`",
        value: "reviews walked",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<CppReviewsInTimescale>(),
};

/// The rules of a CP plan's reviews: first within 3 months, then every 6 months.
const RULES: [Rule; 3] = [Rule::Months(3), Rule::Months(6), Rule::Months(6)];

/// The facts of `cpp_reviews_in_timescale`: the plans open at some period end of the span
/// ([`open_plans`]), and each one's review schedules (one per data start the span's ends may have)
/// walked up to the span's end: `walks[of_plan[row].0..of_plan[row].1]`.
pub(crate) struct ReviewFacts {
    open: Facts<(u32, (u32, Day))>,
    of_plan: Vec<(u32, u32)>,
    /// The schedules walked: data start, anchor, and the steps `steps[from..to]`.
    walks: Vec<(Option<Day>, Anchor, u32, u32)>,
    steps: Vec<Step>,
}

/// The measure, as facts and finish: the plans open at some period end of the span, each with its
/// review schedule walked once up to the span's end; each period finishes the schedules of the
/// plans open at its end.
pub(crate) struct CppReviewsInTimescale;

impl Slices for CppReviewsInTimescale {
    type Facts = ReviewFacts;

    fn facts(cx: &Cx<'_>, span: Span) -> ReviewFacts {
        let t = cx.ds.cp_plans();
        let open = open_plans(cx, span, |i, s| (i as u32, s.add_months(3)));
        let starts = data_starts(cx, ReturnKind::Cin, span);
        let mut of_plan = vec![(0, 0); t.len()];
        let (mut walks, mut steps) = (Vec::new(), Vec::new());
        for &(_, (i, _)) in open.all() {
            let Some(start) = t.start_date[i as usize] else {
                continue;
            };
            let from = walks.len() as u32;
            for &l in &starts {
                let anchor = Anchor::new(start, l);
                let first = steps.len() as u32;
                walk(
                    cx,
                    anchor,
                    &t.review_dates[i as usize],
                    span.end,
                    RULES,
                    &mut steps,
                );
                walks.push((l, anchor, first, steps.len() as u32));
            }
            of_plan[i as usize] = (from, walks.len() as u32);
        }
        ReviewFacts {
            open,
            of_plan,
            walks,
            steps,
        }
    }

    fn finish(cx: &Cx<'_>, facts: &ReviewFacts) -> MeasureResult {
        let end = cx.period.end();
        let data_start = cx.data_start(ReturnKind::Cin, end);
        let mut pre_data = false;
        let mut provisional = false;
        let mut rows = Vec::new();
        for (start, &(c, (i, three_months))) in facts.open.of_dated(cx.period) {
            if three_months > end {
                continue;
            }
            let (from, to) = facts.of_plan[i as usize];
            let (_, anchor, first, last) = facts.walks[from as usize..to as usize]
                .iter()
                .find(|w| w.0 == data_start)
                .copied()
                .expect("a schedule per data start of the span");
            let steps = &facts.steps[first as usize..last as usize];
            let s = at(cx, anchor, steps, end, RULES);
            pre_data |= s.pre_data;
            provisional |= s.provisional;
            rows.push(included(
                child_id(cx.ds, c),
                Some(start),
                s.met,
                Some(i64::from(s.walked)),
            ));
        }
        let mut warnings = Vec::new();
        if pre_data {
            warnings.push(Warning::InsufficientHistory);
        }
        if provisional {
            warnings.push(Warning::CalendarProvisional);
        }
        // Two plans of a child starting on one day may walk in either order: sorted here.
        cx.result(rows, warnings, Extras::new())
    }
}
