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
//! Dates to check `value` by hand (columns after the spec's): `start` = `MIS_START`, as `record`;
//! `end` = `MIS_END` (empty when blank or before the start).
//!
//! Source: DfE children looked after in England, "missing and away from placement" tables (SSDA903
//! Missing table); statutory guidance on children who run away or go missing from home or care.

use crate::dataset::Dataset;
use crate::day::Day;
use crate::measure::cin::{counted, excluded};
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{
    Compute, Coverage, Cx, MeasureSpec, MissingScope, MissingTypes, Window, options,
};
use crate::period::Period;
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Reason, RecordRow, Unit, ValueKind};

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
    rows: crate::measure::RowDoc {
        per: "incident in scope, and `not_looked_after` exclusions",
        record: "`MIS_START`",
        value: "days from `MIS_START` to the incident's end, `end - start`; empty when the end is blank or earlier",
        start: Some("`MIS_START`, as `record`"),
        end: Some("`MIS_END` (empty when blank or before the start)"),
    },
    compute: Compute::sliced::<MissingIncidents>(),
};

/// One missing incident of a child: the Missing rows sharing (`MIS_START`, `MISSING`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Incident {
    /// `MIS_START`.
    pub start: Day,
    /// The latest `MIS_END` of its rows; `None` when any is blank.
    pub end: Option<Day>,
}

/// The incidents of child `c` of the types `missing_types` names, in the order of its rows
/// (start, then type).
fn incidents_of(cx: &Cx<'_>, c: u32, out: &mut Vec<Incident>) {
    let types = cx.opt(&options::MISSING_TYPES);
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
    out.extend(
        groups
            .into_iter()
            .map(|(start, _, end)| Incident { start, end }),
    );
}

/// Is child `c` in `missing_children`'s denominator: some care episode, short breaks removed,
/// overlapping `period` (spec 1.1)?
pub(crate) fn looked_after_in(ds: &Dataset, c: u32, period: Period) -> bool {
    let (t, care) = (ds.care_episodes(), ds.care());
    t.of_child(c)
        .any(|i| !care.short_break[i] && period.overlaps(t.decom[i], t.dec[i]))
}

/// The value of an incident's row: days from its start to its end, none when the end is blank or
/// earlier.
fn value(inc: Incident) -> Option<i64> {
    inc.end
        .filter(|&e| e >= inc.start)
        .map(|e| i64::from(e.days_since(inc.start)))
}

/// The incidents of the types in force that are in scope of some period of `span`, each placed by
/// its scope (`starting`: its start; `overlapping`: from its start to its end, or on, when the end
/// is blank, so that it meets a period exactly when it is in scope), with its child and its row's
/// value, in the order of their rows (child, start, value): the facts of this measure and of
/// [`missing_children`](super::missing_children).
pub(crate) fn incidents(cx: &Cx<'_>, span: Span) -> Facts<(u32, Option<i64>)> {
    let scope = cx.opt(&options::MISSING_SCOPE);
    let t = &cx.ds.ssda903().missing;
    let mut v: Vec<(Day, Day, (u32, Option<i64>))> = Vec::new();
    let mut incidents = Vec::new();
    let mut last_child = None;
    for &c in &t.child {
        if last_child.replace(c) == Some(c) {
            continue;
        }
        incidents.clear();
        incidents_of(cx, c, &mut incidents);
        for &inc in &incidents {
            // The days an incident is in scope of a period on: it is in scope of a period exactly
            // when one of them is in the period.
            let last = match scope {
                MissingScope::Starting => inc.start,
                MissingScope::Overlapping => inc.end.map_or(Day::MAX, |e| e.max(inc.start)),
            };
            if inc.start <= span.end && last >= span.start {
                v.push((inc.start, last, (c, value(inc))));
            }
        }
    }
    v.sort_by_key(|&(start, _, (c, value))| (c, start, value));
    Facts::touching(v)
}

/// The measure, as facts and finish: the incidents of the types in force that are in scope of some
/// period of the span, each placed by its scope (`starting`: its start; `overlapping`: from its
/// start to its end, or on, when the end is blank, so that it meets a period exactly when it is
/// in scope), in the order of their rows (child, start, value). Finish judges each child of the
/// period's incidents against `missing_children`'s denominator.
pub(crate) struct MissingIncidents;

impl Slices for MissingIncidents {
    type Facts = Facts<(u32, Option<i64>)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        incidents(cx, span)
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        let ds = cx.ds;
        let incidents = facts.of_dated(cx.period);
        let mut rows: Vec<RecordRow> = Vec::with_capacity(incidents.len());
        let mut children = 0i64;
        let mut last_child = None;
        let mut looked_after = false;
        for (start, &(c, value)) in incidents {
            let child = child_id(ds, c);
            if last_child != Some(c) {
                last_child = Some(c);
                looked_after = looked_after_in(ds, c, cx.period);
                children += i64::from(looked_after);
            }
            rows.push(if looked_after {
                let mut row = counted(child, Some(start));
                row.value = value;
                row.dated(Some(start), value.map(|v| start.add_days(v as i32)))
            } else {
                excluded(child, Some(start), Reason::NotLookedAfter)
                    .dated(Some(start), value.map(|v| start.add_days(v as i32)))
            });
        }
        let count = rows.iter().filter(|r| r.in_numerator).count();
        let mean = (children > 0).then(|| count as f64 / children as f64);
        let extras = Extras::new()
            .with("children", Extra::Int(Some(children)))
            .with("mean_per_child", Extra::Float(mean));
        cx.result_ordered(rows, Vec::new(), extras)
    }
}
