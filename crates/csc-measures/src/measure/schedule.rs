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

/// Walks the schedule of a record starting on `s` with review dates `reviews` (distinct, in any
/// order) up to `d`, with data start `l` and rules `[first, second, later]`.
pub(crate) fn schedule(
    cx: &Cx<'_>,
    s: Day,
    reviews: &[Day],
    d: Day,
    l: Option<Day>,
    rules: [Rule; 3],
) -> Schedule {
    let mut out = Schedule::default();
    let (mut a, mut ordinal) = match l {
        Some(l) if s < l => {
            out.pre_data = true;
            (l.add_days(-1), 2)
        }
        _ => (s, 0),
    };
    let ok = |rule: Rule, a: Day, r: Day, provisional: &mut bool| match rule {
        Rule::Months(n) => r <= a.add_months(n),
        Rule::WorkingDays(n) => cx.wd(a, r).is_ok_and(|w| {
            *provisional |= w.provisional;
            w.days <= n
        }),
    };
    let mut walk: Vec<Day> = reviews
        .iter()
        .copied()
        .filter(|&r| a < r && r <= d)
        .collect();
    walk.sort_unstable();
    walk.dedup();
    let mut on_time = true;
    for r in walk {
        on_time &= ok(rules[ordinal], a, r, &mut out.provisional);
        a = r;
        ordinal = (ordinal + 1).min(2);
        out.walked += 1;
    }
    let overdue = !ok(rules[ordinal], a, d.add_days(1), &mut out.provisional);
    out.met = on_time && !overdue;
    out
}
