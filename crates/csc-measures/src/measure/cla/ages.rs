//! Ages and `cla_12m` (spec 2.6), shared by the OC2 and OC3 measures.
//!
//! * The DOB is the SSDA903 Header's (spec 2.1), else the DOB column of the row being measured.
//! * *Age at `D`*: the largest `n >= 0` with `add_years(DOB, n) <= D` (none when `DOB > D`).
//! * *Aged under `a` at `D`*: `add_years(DOB, a) > D` (true when `DOB > D`).
//! * *Aged `a` to `b` at `D`*: `add_years(DOB, a) <= D` and `add_years(DOB, b + 1) > D`.
//! * *Age in collection year `Y`*: the `n` with `Y-1-04-01 <= add_years(DOB, n) <= Y-03-31`.
//!
//! `add_years` clamps to the month's end, so a child born on 29 February reaches each age on 28
//! February in a common year.
//!
//! `cla_12m(D)`: counted by `cla_at_end` at `D`, and the current period of care (short breaks
//! removed: the one containing the episode open at `D`) starts on `s` with
//! `s <= add_years(D, -1) + 1 day`. A history-truncated period is tested with its first loaded
//! `DECOM`; failing that, the child is excluded `history_truncated`.

use crate::dataset::Dataset;
use crate::day::Day;

/// The child's DOB: the SSDA903 Header's, else `fallback` (the DOB of the row being measured).
pub(crate) fn dob(ds: &Dataset, child: u32, fallback: Option<Day>) -> Option<Day> {
    let h = ds.headers();
    h.of_child(child).find_map(|i| h.dob[i]).or(fallback)
}

/// Age at `d`: the largest `n >= 0` with `add_years(dob, n) <= d`; `None` when `dob > d`.
#[must_use]
#[allow(
    dead_code,
    reason = "the spec's age at D; the measures use the age tests below"
)]
pub(crate) fn age_at(dob: Day, d: Day) -> Option<i32> {
    if dob > d {
        return None;
    }
    let mut n = d.year() - dob.year();
    while n > 0 && dob.add_years(n) > d {
        n -= 1;
    }
    Some(n)
}

/// Aged under `a` at `d`: `add_years(dob, a) > d` (true when `dob > d`).
#[must_use]
#[allow(
    dead_code,
    reason = "the spec's age tests, as the measures read them through AgeRange"
)]
pub(crate) fn aged_under(dob: Day, a: i32, d: Day) -> bool {
    AgeRange::under(dob, a).holds(d)
}

/// Aged `a` to `b` at `d`: `add_years(dob, a) <= d` and `add_years(dob, b + 1) > d`.
#[must_use]
#[allow(
    dead_code,
    reason = "the spec's age tests, as the measures read them through AgeRange"
)]
pub(crate) fn aged_between(dob: Day, a: i32, b: i32, d: Day) -> bool {
    AgeRange::between(dob, a, b).holds(d)
}

/// The days a child born on `dob` is in an age range, worked out once for every day it is tested
/// on: from `from` (none: from birth, whatever `dob`) to the day before `until`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AgeRange {
    from: Option<Day>,
    until: Day,
}

impl AgeRange {
    /// Aged under `a`: the days before `add_years(dob, a)`.
    pub(crate) fn under(dob: Day, a: i32) -> AgeRange {
        AgeRange {
            from: None,
            until: dob.add_years(a),
        }
    }

    /// Aged `a` to `b`: from `add_years(dob, a)` to the day before `add_years(dob, b + 1)`.
    pub(crate) fn between(dob: Day, a: i32, b: i32) -> AgeRange {
        AgeRange {
            from: Some(dob.add_years(a)),
            until: dob.add_years(b + 1),
        }
    }

    /// In the range at `d`.
    pub(crate) fn holds(self, d: Day) -> bool {
        self.from.is_none_or(|f| f <= d) && self.until > d
    }
}

/// Age in collection year `y`: the `n` with `y-1-04-01 <= add_years(dob, n) <= y-03-31`, with
/// that birthday.
#[must_use]
pub(crate) fn age_in_year(dob: Day, y: i32) -> (i32, Day) {
    // The birthday in calendar year y - 1 or y; the financial year starts on 1 April y - 1.
    let n = y - 1 - dob.year();
    let birthday = dob.add_years(n);
    if birthday.financial_year() == y {
        (n, birthday)
    } else {
        (n + 1, dob.add_years(n + 1))
    }
}

/// The answer of `cla_12m(D)` for one child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cla12m {
    /// Not in the cohort: no row.
    No,
    /// Continuously looked after for 12 months; the episode open at `D`.
    Yes(usize),
    /// The history-truncated period failed the test with its first loaded `DECOM`: excluded
    /// `history_truncated`; the episode open at `D`.
    Truncated(usize),
}

/// `cla_12m(d)` (spec 2.6) for the child whose care episode `open` (not a short break) is open at
/// `d` (as [`super::looked_after`] finds it; a child with no such episode is not in the cohort),
/// with `year_before` = `add_years(d, -1) + 1 day`.
pub(crate) fn cla_12m(ds: &Dataset, open: usize, year_before: Day) -> Cla12m {
    let Some(p) = ds.periods_of_care().get(ds.care().period[open] as usize) else {
        return Cla12m::No;
    };
    if p.start <= year_before {
        Cla12m::Yes(open)
    } else if p.history_truncated {
        Cla12m::Truncated(open)
    } else {
        Cla12m::No
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn ages() {
        // EDGE_AGE_29FEB_UNDER5
        assert!(!aged_under(day("2020-02-29"), 5, day("2025-02-28")));
        assert_eq!(age_at(day("2020-02-29"), day("2025-02-28")), Some(5));
        assert!(aged_under(day("2020-03-01"), 5, day("2025-02-28")));
        // EDGE_AGE_DOB_AFTER_END
        assert!(aged_under(day("2024-06-01"), 5, day("2024-03-31")));
        assert_eq!(age_at(day("2024-06-01"), day("2024-03-31")), None);
        assert_eq!(age_at(day("2024-03-31"), day("2024-03-31")), Some(0));
        assert_eq!(age_at(day("2019-04-01"), day("2024-03-31")), Some(4));
        assert!(aged_between(day("2019-03-31"), 5, 16, day("2024-03-31")));
        assert!(!aged_between(day("2007-03-31"), 5, 16, day("2024-03-31")));
        // EDGE_CL_BIRTHDAY_EDGES, EDGE_CL_29FEB
        assert_eq!(
            age_in_year(day("2006-04-01"), 2024),
            (17, day("2023-04-01"))
        );
        assert_eq!(
            age_in_year(day("2006-03-31"), 2024),
            (18, day("2024-03-31"))
        );
        assert_eq!(
            age_in_year(day("2004-02-29"), 2023),
            (19, day("2023-02-28"))
        );
    }
}
