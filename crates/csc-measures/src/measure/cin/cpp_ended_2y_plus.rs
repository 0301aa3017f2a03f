//! `cpp_ended_2y_plus`: **CP plans ending in the period that had lasted 2 years or more**
//! (percentage; unit plans; polarity lower). DfE table D7.
//!
//! * Population: plans with `CPPendDate` in the period and a `CPPstartDate` (a plan with a blank
//!   start has no row: spec 2.6, v2 change, a record with a blank start gets a row only in a
//!   measure that lists `missing_start`).
//! * Exclusion: `negative_duration` (end before start).
//! * Numerator: `CPPendDate >= add_years(CPPstartDate, 2)`.
//! * Extras: `bands` of DfE table D7, by the first that holds: `<=3m` (end `<= add_months(start,
//!   3)`), `3m-6m` (end `<= add_months(start, 6)`), `6m-1y` (end `< add_years(start, 1)`), `1y-2y`
//!   (end `< add_years(start, 2)`), `2y+`.
//!
//! Drill-down: one row per plan ending in the period; `record` = `CPPstartDate`; `value` = days from
//! start to end. Source: DfE characteristics of children in need, table D7.

use crate::measure::{Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Reason, Unit, ValueKind};

use super::{DURATION_BANDS, duration_band, excluded, included};

/// What `cpp_ended_2y_plus` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cpp_ended_2y_plus",
    title: "CP plans ending in the period that had lasted 2 years or more",
    unit: Unit::Plans,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[],
    rates: &[],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.cp_plans();
    let mut rows = Vec::new();
    let mut bands: Vec<(&'static str, u64)> = DURATION_BANDS.iter().map(|&b| (b, 0)).collect();
    for i in 0..t.len() {
        let Some(end) = t.end_date[i].filter(|&e| cx.period.contains(e)) else {
            continue;
        };
        let child = &ds.children()[t.child[i] as usize];
        let Some(start) = t.start_date[i] else {
            continue;
        };
        if end < start {
            rows.push(excluded(child, Some(start), Reason::NegativeDuration));
            continue;
        }
        bands[duration_band(start, end)].1 += 1;
        let two_years = end >= start.add_years(2);
        rows.push(included(
            child,
            Some(start),
            two_years,
            Some(i64::from(end.days_since(start))),
        ));
    }
    let extras = Extras::new().with("bands", Extra::Counts(bands));
    cx.result(rows, Vec::new(), extras)
}
