//! Children looked after measures (spec section 5), read from the SSDA903 care episodes after the
//! merge and repairs of spec 2.1, with the periods of care and placements of spec 2.2.
//!
//! Every measure here carries `period_beyond_data` and `period_before_data` against the loaded
//! SSDA903 returns.

pub mod ages;
pub mod annual;
pub mod care_leavers_accommodation_17_18;
pub mod care_leavers_accommodation_19_21;
pub mod care_leavers_eet_17_18;
pub mod care_leavers_eet_19_21;
pub mod care_leavers_in_touch;
pub mod cla_at_end;
pub mod cla_ceased;
pub mod cla_ceased_adopted;
pub mod cla_ceased_cao;
pub mod cla_ceased_returned_home;
pub mod cla_ceased_sgo;
pub mod cla_reviews_on_time;
pub mod cla_started;
pub mod cla_uasc_at_end;
pub mod dental_checks;
pub mod health_assessments;
pub mod health_checks_under_5;
pub mod immunisations;
pub mod missing_children;
pub mod missing_incidents;
pub mod placed_childrens_homes_at_end;
pub mod placed_foster_at_end;
pub mod placed_supported_at_end;
pub mod sdq_average;
pub mod stability_3plus_placements;
pub mod stability_3plus_placements_2y;
pub mod stability_long_term;
pub mod sw_3plus;

use crate::dataset::Dataset;
use crate::day::Day;
use crate::measure::Cx;
use crate::measure::series::{Facts, Span};
use crate::period::{Period, open_at};

/// The care-episode row of `child` open at `d` (short breaks included). After the 2.1 repairs a
/// child's episodes do not overlap, so there is at most one but for zero-length episodes on `d`,
/// which are never open; should two be open, the later-starting one is taken.
pub(crate) fn open_episode(ds: &Dataset, child: u32, d: Day) -> Option<usize> {
    let t = ds.care_episodes();
    t.of_child(child)
        .rev()
        .find(|&i| open_at(t.decom[i], t.dec[i], d))
}

/// The facts of the measures of the children looked after at the period end: the care episodes
/// (short breaks included) open at some period end of the span, in table order (child, then
/// `DECOM`), each as `fact(row)`.
pub(crate) fn open_episodes<F>(
    cx: &Cx<'_>,
    span: Span,
    mut fact: impl FnMut(usize) -> F,
) -> Facts<F> {
    let t = cx.ds.care_episodes();
    Facts::open(
        (0..t.len())
            .filter(|&i| span.open_at_an_end(t.decom[i], t.dec[i]))
            .map(|i| (t.decom[i], t.dec[i], fact(i)))
            .collect(),
    )
}

/// The children with a care episode open at `period.end`, from the facts of [`open_episodes`]
/// (`row` gives a fact's episode): for each, in child order, the fact of its episode open then (as
/// [`open_episode`]: the later one, should two be open), with [`looked_after`]'s answer.
pub(crate) fn looked_after_at<'a, F>(
    ds: &'a Dataset,
    facts: &'a Facts<F>,
    period: Period,
    row: impl Fn(&F) -> usize + 'a,
) -> impl Iterator<Item = (u32, Result<&'a F, &'a F>)> + 'a {
    let t = ds.care_episodes();
    let short_break = &ds.care().short_break;
    let mut open = facts.of(period).peekable();
    std::iter::from_fn(move || {
        let mut f = open.next()?;
        let child = t.child[row(f)];
        while let Some(next) = open.next_if(|g| t.child[row(g)] == child) {
            f = next;
        }
        Some((child, if short_break[row(f)] { Err(f) } else { Ok(f) }))
    })
}

/// A child counted by `cla_at_end`: looked after at `d` and not on a short break then. Returns the
/// open episode's row, or `Err(row)` when that episode is a short break.
pub(crate) fn looked_after(ds: &Dataset, child: u32, d: Day) -> Option<Result<usize, usize>> {
    let row = open_episode(ds, child, d)?;
    Some(if ds.care().short_break[row] {
        Err(row)
    } else {
        Ok(row)
    })
}

/// The placements of child `c` in `[start, end]`: its episodes, short breaks removed, that overlap
/// it, 1 for the first, plus 1 for each later one that starts a new placement (spec 2.2); with the
/// start of the first of them (the placement the child was in when the window opened, or the first
/// it entered in it; it may begin before the window) and of the last.
pub(crate) fn placements_in(ds: &Dataset, c: u32, start: Day, end: Day) -> PlacementsIn {
    let (t, care) = (ds.care_episodes(), ds.care());
    let mut p = PlacementsIn {
        count: 0,
        first_start: None,
        last_start: None,
    };
    for i in t.of_child(c) {
        if care.short_break[i] || !(t.decom[i] <= end && t.dec[i].is_none_or(|e| e > start)) {
            continue;
        }
        if p.count == 0 || care.new_placement[i] {
            p.count += 1;
            p.first_start.get_or_insert(care.placement_start[i]);
            p.last_start = Some(care.placement_start[i]);
        }
    }
    p
}

/// A child's placements in a window ([`placements_in`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PlacementsIn {
    /// How many.
    pub count: i64,
    /// The start of the first (spec 2.2: the `DECOM` of the episode that started it).
    pub first_start: Option<Day>,
    /// The start of the last.
    pub last_start: Option<Day>,
}

/// The drill-down row of the care leaver measures (OC3 rows by age group).
pub(crate) const CARE_LEAVER_ROWS: crate::measure::RowDoc = crate::measure::RowDoc {
    per: "young person with an OC3 row in the age group, and exclusions (`missing_dob` rows whatever the age)",
    record: "birthday in the year, `add_years(DOB, n)` (empty for `missing_dob`)",
    value: "age `n` (empty when excluded)",
    start: None,
    end: None,
};

/// The drill-down row of `cla_ceased` and its shares by reason.
pub(crate) const CEASED_ROWS: crate::measure::RowDoc = crate::measure::RowDoc {
    per: "child with an ending in the period, `end_by_repair` exclusions included",
    record: "`DEC` of the ceasing (excluded: of its last ending in the period)",
    value: "days from the period of care's start to that `DEC`, `end - start` (empty when history-truncated, and on excluded rows)",
    start: Some("start of the period of care (empty when history-truncated, and on excluded rows)"),
    end: Some("the ceasing's `DEC`, as `record` (empty on excluded rows)"),
};

/// The drill-down row of the children counted by `cla_at_end`, by the episode open at the end.
pub(crate) const AT_END_EPISODE_ROWS: crate::measure::RowDoc = crate::measure::RowDoc {
    per: "child counted by `cla_at_end`",
    record: "`DECOM` of the episode open at the end",
    value: "empty",
    start: None,
    end: None,
};

/// The drill-down row of the health measures of the OC2 cohort.
pub(crate) const HEALTH_ROWS: crate::measure::RowDoc = crate::measure::RowDoc {
    per: "cohort child, and exclusions",
    record: "`DECOM` of the episode open at the end",
    value: "empty",
    start: None,
    end: None,
};
