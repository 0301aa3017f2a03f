//! `missing_incidents`: **Missing incidents of children looked after in the period** (count; unit
//! incidents; polarity neither).
//!
//! An **incident** is the set of SSDA903 Missing rows of one child sharing (`MIS_START`,
//! `MISSING`); its end is the latest `MIS_END` among them, blank when any of them is blank (rows
//! with one start and two types are two incidents). An incident is **in scope** when:
//! * `MISSING` is in `missing_types` (`missing`: M, the default; `away`: A; `missing_or_away`:
//!   both). Any other `MISSING` value, blank included, is never in scope (it was reported
//!   `unknown_code` when loaded);
//! * under `missing_scope = overlapping` (default): `period.start <= MIS_START <= period.end`, or
//!   `MIS_START < period.start` and (end blank or end `>= period.start`): an incident's end day is a
//!   day missing, so one ending on `period.start` counts, unlike the overlap of spec 1.1; under
//!   `missing_scope = starting`: `period.start <= MIS_START <= period.end`.
//!
//! Whether the child was looked after on `MIS_START` is not tested. Missing rows not resubmitted in
//! the next year's return (the child absent from it) were closed on the last day of their year, and
//! an open row whose child appears in the next return without it was dropped (spec 2.7).
//!
//! Count = the incidents in scope of children in the denominator of
//! [`missing_children`](super::missing_children) (at least one care episode, short breaks removed,
//! overlapping the period, spec 1.1). Exclusion: `not_looked_after` (an incident in scope of a
//! child not in that denominator).
//!
//! Extras: `children` (distinct children with an incident counted) and `mean_per_child` (`count /
//! children` in IEEE double; null when `children` is 0). No rates.
//!
//! Drill-down: one row per incident in scope, the `not_looked_after` exclusions included;
//! `record` = `MIS_START`; `value` = days from `MIS_START` to the incident's end, empty when the end
//! is blank or earlier than the start (a reversed interval is still counted: it was reported
//! `reversed_interval` when loaded).
//!
//! Source: DfE children looked after in England, "missing and away from placement" tables (SSDA903
//! Missing table); statutory guidance on children who run away or go missing from home or care.

use crate::dataset::Dataset;
use crate::day::Day;
use crate::measure::cin::{counted, excluded};
use crate::measure::{Coverage, Cx, MeasureSpec, MissingScope, MissingTypes, Window, options};
use crate::period::Period;
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Reason, Unit, ValueKind};

/// What `missing_incidents` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "missing_incidents",
    title: "Missing incidents of children looked after in the period",
    unit: Unit::Incidents,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Count,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::PERIOD.requires(&["Missing"]),
    options: &[&options::MISSING_TYPES.def, &options::MISSING_SCOPE.def],
    rates: &[],
    compute,
};

/// One missing incident of a child: the Missing rows sharing (`MIS_START`, `MISSING`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Incident {
    /// `MIS_START`.
    pub start: Day,
    /// The latest `MIS_END` of its rows; `None` when any is blank.
    pub end: Option<Day>,
}

/// The incidents of child `c` in scope for `cx`'s period and options (spec 5.1), ordered by start.
pub(crate) fn incidents_in_scope(cx: &Cx<'_>, c: u32) -> Vec<Incident> {
    let types = cx.opt(&options::MISSING_TYPES);
    let scope = cx.opt(&options::MISSING_SCOPE);
    let t = &cx.ds.ssda903().missing;
    let wanted = |code: &str| match types {
        MissingTypes::Missing => code == "M",
        MissingTypes::Away => code == "A",
        MissingTypes::MissingOrAway => code == "M" || code == "A",
    };
    // (start, type) -> end, over the child's rows.
    let mut groups: Vec<(Day, &str, Option<Day>)> = Vec::new();
    for i in t.of_child(c) {
        let code = t.missing[i].as_str();
        if !wanted(code) {
            continue;
        }
        let (start, end) = (t.mis_start[i], t.mis_end[i]);
        match groups.iter_mut().find(|g| g.0 == start && g.1 == code) {
            Some(g) => g.2 = g.2.zip(end).map(|(a, b)| a.max(b)),
            None => groups.push((start, code, end)),
        }
    }
    let mut out: Vec<Incident> = groups
        .into_iter()
        .map(|(start, _, end)| Incident { start, end })
        .filter(|inc| in_scope(*inc, cx.period, scope))
        .collect();
    out.sort_unstable_by_key(|inc| (inc.start, inc.end.is_none(), inc.end));
    out
}

/// Is `inc` in scope of `period` (the `MISSING` type already tested)?
fn in_scope(inc: Incident, period: Period, scope: MissingScope) -> bool {
    if period.contains(inc.start) {
        return true;
    }
    match scope {
        MissingScope::Starting => false,
        MissingScope::Overlapping => {
            inc.start < period.start() && inc.end.is_none_or(|e| e >= period.start())
        }
    }
}

/// Is child `c` in `missing_children`'s denominator: some care episode, short breaks removed,
/// overlapping `period` (spec 1.1)?
pub(crate) fn looked_after_in(ds: &Dataset, c: u32, period: Period) -> bool {
    let (t, care) = (ds.care_episodes(), ds.care());
    t.of_child(c)
        .any(|i| !care.short_break[i] && period.overlaps(t.decom[i], t.dec[i]))
}

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let mut rows = Vec::new();
    let mut children = 0i64;
    for c in 0..ds.children().len() as u32 {
        let incidents = incidents_in_scope(cx, c);
        if incidents.is_empty() {
            continue;
        }
        let child = &ds.children()[c as usize];
        if !looked_after_in(ds, c, cx.period) {
            rows.extend(
                incidents
                    .iter()
                    .map(|inc| excluded(child, Some(inc.start), Reason::NotLookedAfter)),
            );
            continue;
        }
        children += 1;
        rows.extend(incidents.iter().map(|inc| {
            let mut row = counted(child, Some(inc.start));
            row.value = inc
                .end
                .filter(|&e| e >= inc.start)
                .map(|e| i64::from(e.days_since(inc.start)));
            row
        }));
    }
    let count = rows.iter().filter(|r| r.in_numerator).count();
    let mean = (children > 0).then(|| count as f64 / children as f64);
    let extras = Extras::new()
        .with("children", Extra::Int(Some(children)))
        .with("mean_per_child", Extra::Float(mean));
    cx.result(rows, Vec::new(), extras)
}
