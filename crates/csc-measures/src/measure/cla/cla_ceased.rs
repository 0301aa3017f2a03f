//! `cla_ceased`: **Children who ceased to be looked after in the period** (count; unit children;
//! polarity neither).
//!
//! A child's *endings in the period* are its periods of care (spec 2.2, short breaks removed) whose
//! end, the `DEC` of the last episode (spec 2.7), is in the period. They are ordered by end, two on
//! one day by the episode order of their last episodes (2.7). The child's *ceasing* is the last of
//! them whose end was not set by the `not_resubmitted_closed` repair (2.1 rule 1: an open episode of
//! return Y, absent from return Y+1 whose child is absent too, closed on the first day of Y+1); the
//! ceasing's reason is the `REC` of that period's last episode. A child whose every ending in the
//! period was set by that repair is excluded (`end_by_repair`): the repair says the child left care
//! at some point, not when or why. Count = children included, once each whatever their endings.
//!
//! Extras: `reasons`, the children per group of their ceasing's `REC`, in this order, zeros
//! included: `adopted` (E11, E12, legacy E1), `sgo` (E45-E48, legacy E43, E44), `cao` (E41),
//! `returned_home` (E4A, E4B), `independent_living` (E5, E6), `staying_put` (E17), `transferred`
//! (E3), `other` (every other non-blank code except X1, unknown codes included), `not_recorded`
//! (blank, or X1: a period can end on X1 when a short break or a gap follows); `rate_per_10000` of
//! the count, with `population` and `population_year` (spec 8).
//!
//! Validity of codes (spec 5.1) is judged by the readers against the collection year of the return
//! the row came from; a code used outside its years (E45 in 2017-18, E43 from 2018-19) has its
//! `unknown_code` entry and is classified all the same.
//!
//! **End set by the repair.** An ending is set by the repair when the period's last episode is
//! marked `closed_by_repair` by the dataset build: its `DEC` was set by `not_resubmitted_closed`
//! and no later repair of 2.1 changed it (an end an overlap cut back is the file's data again). A
//! `DEC` written in the file, even on the first day of the next year, never is.
//!
//! Drill-down: one row per child with an ending in the period, the `end_by_repair` exclusions
//! included; `record` = the ceasing's `DEC` (excluded: that of the last ending in the period);
//! `value` = days from the period of care's start to that `DEC` (empty when the period is
//! history-truncated, and on excluded rows). Source: DfE children looked after in England, table
//! D1 ("children who ceased to be looked after during the year by reason episode ceased");
//! SSDA903 guide, `REC` codes.
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = start of the period of care
//! (empty when history-truncated, and on excluded rows); `end` = the ceasing's `DEC`, as `record`
//! (empty on excluded rows).

use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Reason, RecordRow, Unit, ValueKind};

use crate::measure::cin::excluded;

/// What `cla_ceased` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cla_ceased",
    title: "Children who ceased to be looked after in the period",
    unit: Unit::Children,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Count,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[],
    rates: &[Rate::NUMERATOR],
    rows: super::CEASED_ROWS,
    compute: Compute::sliced::<ClaCeased>(),
};

/// `REC` adopted (spec 5.1): E11, E12; legacy E1. Valid in every year.
pub(crate) const ADOPTED: &[&str] = &["E11", "E12", "E1"];
/// `REC` special guardianship (spec 5.1): E45-E48 valid from 2018-19, legacy E43 and E44 valid to
/// 2017-18 (the years are in [`crate::codes::VALIDITY`], which the readers apply).
pub(crate) const SGO: &[&str] = &["E45", "E46", "E47", "E48", "E43", "E44"];
/// `REC` residence or child arrangements order (spec 5.1): E41.
pub(crate) const CAO: &[&str] = &["E41"];
/// `REC` returned home (spec 5.1): E4A, E4B.
pub(crate) const RETURNED_HOME: &[&str] = &["E4A", "E4B"];

/// The groups of `reasons`, in order, with their codes; `other` and `not_recorded` follow.
const GROUPS: &[(&str, &[&str])] = &[
    ("adopted", ADOPTED),
    ("sgo", SGO),
    ("cao", CAO),
    ("returned_home", RETURNED_HOME),
    ("independent_living", &["E5", "E6"]),
    ("staying_put", &["E17"]),
    ("transferred", &["E3"]),
];

/// What a child with an ending in the period comes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ceasing {
    /// Counted: the ceasing's `DEC`, the days from its period's start (none when the period is
    /// history-truncated), and its period's last episode (whose `REC` is the reason).
    Ceased {
        dec: Day,
        days: Option<i64>,
        last: u32,
        /// The period's start; none when history-truncated.
        start: Option<Day>,
    },
    /// Every ending in the period was set by the repair: the `DEC` of the last of them.
    EndByRepair { dec: Day },
}

/// An ending: a period of care (spec 2.2) with its end in the span.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ending {
    child: u32,
    /// The period's last episode.
    last: u32,
    /// Its end was set by the `not_resubmitted_closed` repair.
    by_repair: bool,
    /// Days from the period's start to its end; none when history-truncated.
    days: Option<i64>,
    /// The period's start; none when history-truncated.
    start: Option<Day>,
}

/// The facts of `cla_ceased` and its shares: the endings of the span, dated by their end, in
/// child, then end, then last-episode order (the order of a child's endings, spec 2.7).
pub(crate) fn endings(cx: &Cx<'_>, span: Span) -> Facts<Ending> {
    let ds = cx.ds;
    let mut v: Vec<(Day, Ending)> = ds
        .periods_of_care()
        .iter()
        .filter_map(|p| {
            let end = p.end.filter(|&e| span.holds(e))?;
            let ending = Ending {
                child: p.child,
                last: p.last_episode,
                by_repair: ds.care().closed_by_repair[p.last_episode as usize],
                days: (!p.history_truncated).then(|| i64::from(end.days_since(p.start))),
                start: (!p.history_truncated).then_some(p.start),
            };
            Some((end, ending))
        })
        .collect();
    v.sort_by_key(|&(end, e)| (e.child, end, e.last));
    Facts::dated(v)
}

/// Every child with an ending in `cx.period`, in child order, with what it comes to: the last of
/// its endings there not set by the repair, else the last of them.
pub(crate) fn ceasings(cx: &Cx<'_>, facts: &Facts<Ending>) -> Vec<(u32, Ceasing)> {
    let endings = facts.of_dated(cx.period);
    let mut out: Vec<(u32, Ceasing)> = Vec::with_capacity(endings.len());
    let mut it = endings.peekable();
    while let Some((dec, first)) = it.next() {
        let (mut last_dec, mut ceased) = (dec, (!first.by_repair).then_some((dec, *first)));
        while let Some((dec, e)) = it.next_if(|(_, e)| e.child == first.child) {
            last_dec = dec;
            if !e.by_repair {
                ceased = Some((dec, *e));
            }
        }
        out.push((
            first.child,
            match ceased {
                Some((dec, e)) => Ceasing::Ceased {
                    dec,
                    days: e.days,
                    last: e.last,
                    start: e.start,
                },
                None => Ceasing::EndByRepair { dec: last_dec },
            },
        ));
    }
    out
}

/// The `reasons` group of a ceasing's `REC`.
pub(crate) fn group(rec: &str) -> &'static str {
    if rec.is_empty() || rec == "X1" {
        return "not_recorded";
    }
    GROUPS
        .iter()
        .find(|(_, codes)| codes.contains(&rec))
        .map_or("other", |(g, _)| g)
}

/// The drill-down row of a child with an ending in the period: counted or included (`share`:
/// `Some(in_numerator)` for the four shares), or excluded `end_by_repair`.
pub(crate) fn row(cx: &Cx<'_>, child: u32, c: &Ceasing, share: Option<bool>) -> RecordRow {
    let name = child_id(cx.ds, child);
    match c {
        Ceasing::Ceased {
            dec, days, start, ..
        } => RecordRow {
            child: name.clone(),
            record: Some(*dec),
            in_denominator: share.is_some(),
            in_numerator: share.unwrap_or(true),
            value: *days,
            reason: None,
            start: *start,
            end: Some(*dec),
        },
        Ceasing::EndByRepair { dec } => excluded(name, Some(*dec), Reason::EndByRepair),
    }
}

/// `cla_ceased_adopted`, `_sgo`, `_cao`, `_returned_home`: the children counted by `cla_ceased`,
/// the numerator those whose ceasing's `REC` is in `set`, with `codes` (children per code of the
/// set, in order, zeros included).
pub(crate) fn share(
    cx: &Cx<'_>,
    facts: &Facts<Ending>,
    set: &'static [&'static str],
) -> MeasureResult {
    let rec = &cx.ds.care_episodes().rec;
    let mut codes: Vec<(&'static str, u64)> = set.iter().map(|&c| (c, 0)).collect();
    let rows = ceasings(cx, facts)
        .iter()
        .map(|(child, c)| {
            let hit = match c {
                Ceasing::Ceased { last, .. } => {
                    let rec = rec[*last as usize].as_str();
                    codes.iter_mut().find(|(k, _)| *k == rec)
                }
                Ceasing::EndByRepair { .. } => None,
            };
            let in_set = hit.map(|(_, n)| *n += 1).is_some();
            row(cx, *child, c, Some(in_set))
        })
        .collect();
    cx.result_ordered(
        rows,
        Vec::new(),
        Extras::new().with("codes", Extra::Counts(codes)),
    )
}

/// The measure, as facts and finish: the endings of the span ([`endings`]), folded per child over
/// each period ([`ceasings`]).
pub(crate) struct ClaCeased;

impl Slices for ClaCeased {
    type Facts = Facts<Ending>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<Ending> {
        endings(cx, span)
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<Ending>) -> MeasureResult {
        let rec = &cx.ds.care_episodes().rec;
        let mut reasons: Vec<(&'static str, u64)> = GROUPS
            .iter()
            .map(|(g, _)| *g)
            .chain(["other", "not_recorded"])
            .map(|g| (g, 0))
            .collect();
        let rows = ceasings(cx, facts)
            .iter()
            .map(|(child, c)| {
                if let Ceasing::Ceased { last, .. } = c {
                    let g = group(&rec[*last as usize]);
                    if let Some((_, n)) = reasons.iter_mut().find(|(k, _)| *k == g) {
                        *n += 1;
                    }
                }
                row(cx, *child, c, None)
            })
            .collect();
        cx.result_ordered(
            rows,
            Vec::new(),
            Extras::new().with("reasons", Extra::Counts(reasons)),
        )
    }
}
