//! The review schedule of spec 2.6, shared by `cpp_reviews_in_timescale` and the children looked
//! after reviews.
//!
//! Inputs: a start `s`, the distinct review dates `R`, an end `D`, a data start `L`, and one
//! [`Rule`] `ok(a, r)` each for the first, the second and every later review.
//!
//! 1. Anchor. If `L` is defined and `s < L` (the years before `L` may be missing, so reviews dated
//!    before `L` are ignored): the anchor `a` is the day before `L`, the next review is a *later*
//!    review, and the schedule is *pre-data*. Otherwise `a = s` and the next review is the first.
//! 2. Walk the reviews `r` with `a < r <= D` in ascending order. A review is on time when the rule
//!    of its ordinal holds for `(a, r)`; then `a = r` and the ordinal advances (first, second,
//!    later, later, ...).
//! 3. After the walk, the next review is overdue when its rule does not hold for `(a, D + 1 day)`.
//! 4. The schedule is met when every walked review is on time and the next review is not overdue.

use super::Cx;
use crate::day::Day;

/// When a review is on time after the anchor `a`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// `wd(a, r) <= n` (spec 1.3, under the `working_days` option).
    WorkingDays(u32),
    /// `r <= add_months(a, n)`.
    Months(i32),
}

/// A walked schedule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Every walked review on time, and the next not overdue.
    pub met: bool,
    /// The reviews walked (step 2).
    pub walked: u32,
    /// Anchored on the day before the data start.
    pub pre_data: bool,
    /// A working-day count examined a day after the calendar's last official year.
    pub provisional: bool,
}

/// Where a schedule starts (step 1): its anchor, the ordinal of its next review (0 first, 1
/// second, 2 later), and whether it is pre-data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Anchor {
    a: Day,
    ordinal: usize,
    pre_data: bool,
}

impl Anchor {
    /// The anchor of a record starting on `s`, with data start `l`.
    pub(crate) fn new(s: Day, l: Option<Day>) -> Anchor {
        match l {
            Some(l) if s < l => Anchor {
                a: l.add_days(-1),
                ordinal: 2,
                pre_data: true,
            },
            _ => Anchor {
                a: s,
                ordinal: 0,
                pre_data: false,
            },
        }
    }
}

/// The walk (step 2) after a review (or at its anchor): the anchor it leaves `a`, every review up
/// to it on time, whether a working-day count examined a provisional day, and, when the next
/// review's rule is in months, the last day it is on time (`add_months(a, n)`, worked out once for
/// every end the schedule is finished at).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Step {
    a: Day,
    on_time: bool,
    provisional: bool,
    due: Option<Day>,
}

impl Step {
    fn new(a: Day, on_time: bool, provisional: bool, next: Rule) -> Step {
        Step {
            a,
            on_time,
            provisional,
            due: match next {
                Rule::Months(n) => Some(a.add_months(n)),
                Rule::WorkingDays(_) => None,
            },
        }
    }

    /// `ok(a, r)` of the next review's rule `next`.
    fn ok(&self, cx: &Cx<'_>, next: Rule, r: Day, provisional: &mut bool) -> bool {
        match self.due {
            Some(due) => r <= due,
            None => ok(cx, next, self.a, r, provisional),
        }
    }
}

/// `ok(a, r)` of `rule`, noting a provisional working-day count.
fn ok(cx: &Cx<'_>, rule: Rule, a: Day, r: Day, provisional: &mut bool) -> bool {
    match rule {
        Rule::Months(n) => r <= a.add_months(n),
        Rule::WorkingDays(n) => cx.wd(a, r).is_ok_and(|w| {
            *provisional |= w.provisional;
            w.days <= n
        }),
    }
}

/// Walks (step 2) the review dates `reviews` (distinct, in any order) after `anchor` up to `upto`
/// with rules `[first, second, later]`, appending to `out` the anchor's [`Step`], then one per
/// review walked. The walk to any `d <= upto` is those up to the last review `r <= d`: [`at`]
/// finishes the schedule for `d` from them.
pub(crate) fn walk(
    cx: &Cx<'_>,
    anchor: Anchor,
    reviews: &[Day],
    upto: Day,
    rules: [Rule; 3],
    out: &mut Vec<Step>,
) {
    // The reviews walked, ascending and distinct: read in place when they are in order (as a
    // table keyed by its date holds them), else sorted here.
    let sorted;
    let reviews = if reviews.is_sorted() {
        reviews
    } else {
        let mut v = reviews.to_vec();
        v.sort_unstable();
        sorted = v;
        &sorted[..]
    };
    let mut ordinal = anchor.ordinal;
    let mut step = Step::new(anchor.a, true, false, rules[ordinal]);
    out.push(step);
    let mut last = None;
    for &r in reviews.iter().filter(|&&r| anchor.a < r && r <= upto) {
        if last.replace(r) == Some(r) {
            continue;
        }
        let mut provisional = step.provisional;
        let on_time = step.ok(cx, rules[ordinal], r, &mut provisional);
        ordinal = (ordinal + 1).min(2);
        step = Step::new(r, step.on_time && on_time, provisional, rules[ordinal]);
        out.push(step);
    }
}

/// The schedule at `d` (steps 3 and 4) from its anchor and the `steps` of a [`walk`] up to `d` or
/// later.
pub(crate) fn at(
    cx: &Cx<'_>,
    anchor: Anchor,
    steps: &[Step],
    d: Day,
    rules: [Rule; 3],
) -> Schedule {
    let walked = steps[1..].partition_point(|st| st.a <= d);
    let step = steps[walked];
    let ordinal = (anchor.ordinal + walked).min(2);
    let mut provisional = step.provisional;
    let overdue = !step.ok(cx, rules[ordinal], d.add_days(1), &mut provisional);
    Schedule {
        met: step.on_time && !overdue,
        walked: walked as u32,
        pre_data: anchor.pre_data,
        provisional,
    }
}
