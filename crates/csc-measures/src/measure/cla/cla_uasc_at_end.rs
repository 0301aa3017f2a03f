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
use crate::measure::{Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::looked_after;
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
    compute,
};

/// The deciding return of spec 2.6 for `child` at `d`, as an index into [`Dataset::returns`].
fn deciding_return(ds: &Dataset, child: u32, d: Day) -> Option<usize> {
    let returns = ds.returns();
    let containing: Vec<usize> = (0..returns.len())
        .filter(|&r| returns[r].kind == ReturnKind::Ssda903 && ds.appears_in(r, child))
        .collect();
    let year = |r: usize| returns[r].collection_year;
    // Returns are in merge order (collection year, then the caller's order): the latest is the one
    // with the greatest (year, position).
    let latest = |it: &mut dyn Iterator<Item = usize>| it.max_by_key(|&r| (year(r), r));
    let started = |r: usize| {
        year(r)
            .and_then(|y| Day::from_ymd(y - 1, 4, 1).ok())
            .is_some_and(|first| first <= d)
    };
    latest(&mut containing.iter().copied().filter(|&r| started(r)))
        .or_else(|| latest(&mut containing.iter().copied()))
}

/// Spec 2.6 "UASC at `D`": the deciding return has a UASC row for `child` with `DUC` blank or
/// `DUC > d`. `None` when the deciding return does not hold the UASC table (the answer is unknown);
/// `Some(false)` when the child is in no return.
pub(crate) fn uasc_at(ds: &Dataset, child: u32, d: Day) -> Option<bool> {
    let Some(ret) = deciding_return(ds, child, d) else {
        return Some(false);
    };
    let returns = ds.returns();
    let u = &ds.ssda903().uasc;
    let rows: Vec<usize> = u.of_child(child).collect();
    // The return supplying the child's rows: the deciding one, or (spec 2.5) the latest return of
    // its collection year that holds any row for the child.
    let same_year = |r: usize| {
        r == ret
            || (returns[ret].collection_year.is_some()
                && returns[r].collection_year == returns[ret].collection_year)
    };
    let supplier = rows
        .iter()
        .map(|&i| u.source[i].ret as usize)
        .filter(|&r| same_year(r))
        .max();
    match supplier {
        Some(s) => Some(
            rows.iter()
                .filter(|&&i| u.source[i].ret as usize == s)
                .any(|&i| u.duc[i].is_none_or(|duc| duc > d)),
        ),
        None => returns[ret].holds("UASC").then_some(false),
    }
}

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.care_episodes();
    let end = cx.period.end();
    let rows = (0..ds.children().len() as u32)
        .filter_map(|c| {
            let Some(Ok(open)) = looked_after(ds, c, end) else {
                return None;
            };
            let uasc = uasc_at(ds, c, end) == Some(true);
            Some(included(
                &ds.children()[c as usize],
                Some(t.decom[open]),
                uasc,
                None,
            ))
        })
        .collect();
    cx.result(rows, Vec::new(), Extras::new())
}
