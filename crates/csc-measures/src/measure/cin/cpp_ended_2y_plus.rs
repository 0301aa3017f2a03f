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
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = `CPPstartDate`; `end` =
//! `CPPendDate`.

use crate::day::Day;
use crate::measure::series::{Facts, Row, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Reason, RecordRow, Unit, ValueKind};

use super::{DURATION_BANDS, duration_band};

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
    rows: crate::measure::RowDoc {
        per: "plan ending in the period",
        record: "`CPPstartDate`",
        value: "days from start to end, `end - start`",
        start: Some("`CPPstartDate`"),
        end: Some("`CPPendDate`"),
    },
    compute: Compute::sliced::<CppEnded2yPlus>(),
};

/// The measure, as facts and finish: the plans ending in the span (with a start), dated by their
/// end, each as its row with its duration band (none when excluded), in the order of their rows.
pub(crate) struct CppEnded2yPlus;

impl Slices for CppEnded2yPlus {
    type Facts = Facts<(Row, Option<usize>)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let t = cx.ds.cp_plans();
        let mut v: Vec<(Day, (Row, Option<usize>))> = Vec::new();
        for i in 0..t.len() {
            let Some(end) = t.end_date[i].filter(|&e| span.holds(e)) else {
                continue;
            };
            let Some(start) = t.start_date[i] else {
                continue;
            };
            let c = t.child[i];
            if end < start {
                v.push((
                    end,
                    (
                        Row::excluded(c, Some(start), Reason::NegativeDuration)
                            .dated(Some(start), Some(end)),
                        None,
                    ),
                ));
                continue;
            }
            let two_years = end >= start.add_years(2);
            let days = i64::from(end.days_since(start));
            let row =
                Row::included(c, Some(start), two_years, Some(days)).dated(Some(start), Some(end));
            v.push((end, (row, Some(duration_band(start, end)))));
        }
        v.sort_by_key(|(_, (r, _))| r.key());
        Facts::dated(v)
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        let mut bands: Vec<(&'static str, u64)> = DURATION_BANDS.iter().map(|&b| (b, 0)).collect();
        let rows: Vec<RecordRow> = facts.collect(cx.period, |(_, &(r, band))| {
            if let Some(b) = band {
                bands[b].1 += 1;
            }
            r.to_record(cx.ds)
        });
        let extras = Extras::new().with("bands", Extra::Counts(bands));
        cx.result_ordered(rows, Vec::new(), extras)
    }
}
