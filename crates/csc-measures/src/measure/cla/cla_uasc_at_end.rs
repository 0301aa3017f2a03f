//! `cla_uasc_at_end`: **Children looked after at the period end who were UASC** (percentage; unit
//! children; polarity neither).
//!
//! Denominator = the children counted by [`cla_at_end`](super::cla_at_end) (a child whose episode
//! open at `period.end` is a short break is not in it and has no row here). Numerator = those
//! unaccompanied asylum-seeking children at `period.end` (spec 2.6, `uasc_at`):
//!
//! * the *deciding return* is the latest loaded SSDA903 return that contains the child (in its
//!   Header or Episodes) among those whose collection year starts on or before `D`; when there is
//!   none, or no year is known, the latest loaded return that contains the child (by collection
//!   year, else argument order);
//! * the child is UASC at `D` when the deciding return has a UASC row for the child with `DUC`
//!   blank or `DUC > D` (a `DUC` on `D` itself ends UASC status that day). A UASC row of another
//!   return never decides: a child whose UASC row is only in an earlier year is not UASC.
//!
//! Decisions where the spec is silent:
//! * two rows of one child in the deciding return (`duplicate_key`): UASC when any of them says so;
//!   two returns with the deciding collection year: as spec 2.5, the later one supplies the child's
//!   rows whenever it holds any;
//! * the deciding return does not hold a UASC table (another return covers the period end): the
//!   child is not counted UASC (no row says so); the result is computed on what is there;
//! * which returns *contain* a child: those whose Header or Episodes held it as the return was
//!   given, before the merge of spec 2.1 ([`Dataset::appears_in`]); a UASC row alone does not make
//!   a return contain the child.
//!
//! Coverage (spec 3.1): a snapshot at `period.end`; the return covering it must hold the UASC table,
//! else `no_data`. Extras: `rate_per_10000` of the numerator, with `population` and
//! `population_year` (spec 8).
//!
//! Drill-down: one row per child counted by `cla_at_end`; `record` = `DECOM` of the episode open at
//! the end; `value` empty. Source: DfE children looked after in England, table A1 (UASC);
//! SSDA903 guide, UASC table.

use crate::dataset::Dataset;
use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::{looked_after_at, open_episodes};
use crate::measure::cin::included;

/// What `cla_uasc_at_end` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cla_uasc_at_end",
    title: "Children looked after at the period end who were UASC",
    unit: Unit::Children,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::END.requires(&["UASC"]),
    options: &[],
    rates: &[Rate::NUMERATOR],
    rows: super::AT_END_EPISODE_ROWS,
    compute: Compute::sliced::<ClaUascAtEnd>(),
};

/// The deciding return of spec 2.6 for `child` on the days of the financial year `fy`, as an index
/// into [`Dataset::returns`]: a return's year has started on a day `d` exactly when it is at most
/// the financial year holding `d`.
fn deciding_return(ds: &Dataset, child: u32, fy: i32) -> Option<usize> {
    let returns = ds.returns();
    let year = |r: usize| returns[r].collection_year;
    // Returns are in merge order (collection year, then the caller's order): the latest is the one
    // with the greatest (year, position).
    let mut latest_started: Option<(Option<i32>, usize)> = None;
    let mut latest: Option<(Option<i32>, usize)> = None;
    for (r, info) in returns.iter().enumerate() {
        if info.kind != ReturnKind::Ssda903 || !ds.appears_in(r, child) {
            continue;
        }
        let key = (year(r), r);
        latest = latest.max(Some(key));
        let started = year(r).is_some_and(|y| y <= fy && Day::from_ymd(y - 1, 4, 1).is_ok());
        if started {
            latest_started = latest_started.max(Some(key));
        }
    }
    latest_started.or(latest).map(|(_, r)| r)
}

/// Spec 2.6 "UASC at `D`" for every day `D` of the financial year `fy`: `None` when the deciding
/// return does not hold the UASC table (the answer is unknown); else `Some(until)`: the child is
/// UASC exactly on the days before `until` (the deciding return has a UASC row for the child with
/// `DUC` blank or after the day; `Day::MIN` when it never is, `Day::MAX` when a `DUC` is blank).
fn uasc_in_year(ds: &Dataset, child: u32, fy: i32) -> Option<Day> {
    let Some(ret) = deciding_return(ds, child, fy) else {
        return Some(Day::MIN);
    };
    let returns = ds.returns();
    let u = &ds.ssda903().uasc;
    // The return supplying the child's rows: the deciding one, or (spec 2.5) the latest return of
    // its collection year that holds any row for the child.
    let same_year = |r: usize| {
        r == ret
            || (returns[ret].collection_year.is_some()
                && returns[r].collection_year == returns[ret].collection_year)
    };
    let supplier = u
        .of_child(child)
        .map(|i| u.source[i].ret as usize)
        .filter(|&r| same_year(r))
        .max();
    match supplier {
        Some(s) => Some(
            u.of_child(child)
                .filter(|&i| u.source[i].ret as usize == s)
                .map(|i| u.duc[i].unwrap_or(Day::MAX))
                .max()
                .unwrap_or(Day::MIN),
        ),
        None => returns[ret].holds("UASC").then_some(Day::MIN),
    }
}

/// Spec 2.6 "UASC at `D`": the deciding return has a UASC row for `child` with `DUC` blank or
/// `DUC > d`. `None` when the deciding return does not hold the UASC table (the answer is unknown);
/// `Some(false)` when the child is in no return.
pub(crate) fn uasc_at(ds: &Dataset, child: u32, d: Day) -> Option<bool> {
    uasc_in_year(ds, child, d.financial_year()).map(|until| d < until)
}

/// A care episode open at some period end of the span: its row, and where its UASC answers are
/// (for the financial years from `first_year` of the period ends at which it may be open).
pub(crate) struct Open {
    row: u32,
    first_year: i32,
    at: u32,
}

/// The measure, as facts and finish: the care episodes open at some period end of the span, each
/// with the child's UASC status for each financial year of those ends (the deciding return changes
/// only with the year), as the day it ends; each period compares its end with it.
pub(crate) struct ClaUascAtEnd;

impl Slices for ClaUascAtEnd {
    type Facts = (Facts<Open>, Vec<Day>);

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let ds = cx.ds;
        let t = ds.care_episodes();
        let mut until = Vec::new();
        // The answers of the child of the previous fact, by year (a child's facts are together).
        let mut known: (u32, Vec<(i32, Day)>) = (u32::MAX, Vec::new());
        let facts = open_episodes(cx, span, |i| {
            let c = t.child[i];
            if known.0 != c {
                known = (c, Vec::new());
            }
            // The ends at which the episode may be open.
            let first = t.decom[i].max(span.first_end);
            let last = t.dec[i].map_or(span.end, |e| e.add_days(-1).min(span.end));
            let open = Open {
                row: i as u32,
                first_year: first.financial_year(),
                at: until.len() as u32,
            };
            if first <= last {
                for fy in first.financial_year()..=last.financial_year() {
                    let u = if let Some(&(_, u)) = known.1.iter().find(|(y, _)| *y == fy) {
                        u
                    } else {
                        let u = uasc_in_year(ds, c, fy).unwrap_or(Day::MIN);
                        known.1.push((fy, u));
                        u
                    };
                    until.push(u);
                }
            }
            open
        });
        (facts, until)
    }

    fn finish(cx: &Cx<'_>, (facts, until): &Self::Facts) -> MeasureResult {
        let ds = cx.ds;
        let decom = &ds.care_episodes().decom;
        let end = cx.period.end();
        let fy = end.financial_year();
        let rows: Vec<RecordRow> = looked_after_at(ds, facts, cx.period, |o| o.row as usize)
            .filter_map(|(c, open)| {
                let open = open.ok()?;
                let k = open.at as usize + (fy - open.first_year) as usize;
                let uasc = end < until[k];
                Some(included(
                    child_id(ds, c),
                    Some(decom[open.row as usize]),
                    uasc,
                    None,
                ))
            })
            .collect();
        cx.result_ordered(rows, Vec::new(), Extras::new())
    }
}
