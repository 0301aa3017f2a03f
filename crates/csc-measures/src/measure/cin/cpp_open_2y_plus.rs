//! `cpp_open_2y_plus`: **CP plans open at the period end that had lasted 2 years or more**
//! (percentage; unit plans; polarity lower). DfE table D5.
//!
//! * Denominator: CP plans open at `period.end` (`CPPstartDate <= end` and `CPPendDate` blank or
//!   after it; a plan with a blank start is never open, spec 2.6).
//! * Numerator: plans with `add_years(CPPstartDate, 2) <= period.end`.
//!
//! Extras: `bands` (D5), the first that holds: `<=3m` (`period.end <= add_months(start, 3)`),
//! `3m-6m` (`period.end <= add_months(start, 6)`), `6m-1y` (`period.end < add_years(start, 1)`),
//! `1y-2y` (`period.end < add_years(start, 2)`), `2y+`.
//!
//! Drill-down: one row per plan open at the end; `record` = `CPPstartDate`; `value` = days from
//! the start to `period.end`.
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = `CPPstartDate`; `end` is
//! empty.

use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::{DURATION_BANDS, DurationBounds, included, open_plans};

/// What `cpp_open_2y_plus` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cpp_open_2y_plus",
    title: "CP plans open at the period end that had lasted 2 years or more",
    unit: Unit::Plans,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "plan open at the end",
        record: "`CPPstartDate`",
        value: "days from `start` to `period.end`",
        start: Some("`CPPstartDate`"),
        end: None,
    },
    compute: Compute::sliced::<CppOpen2yPlus>(),
};

/// The measure, as facts and finish: the plans open at some period end of the span, by child then
/// start ([`open_plans`]), each with the bounds of its duration bands; each period reads those open
/// at its end.
pub(crate) struct CppOpen2yPlus;

impl Slices for CppOpen2yPlus {
    type Facts = Facts<(u32, DurationBounds)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        open_plans(cx, span, |_, s| DurationBounds::of(s))
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        let end = cx.period.end();
        let mut bands: Vec<(&'static str, u64)> = DURATION_BANDS.iter().map(|&b| (b, 0)).collect();
        let rows: Vec<RecordRow> = facts.collect(cx.period, |(start, &(c, bounds))| {
            bands[bounds.band(end)].1 += 1;
            included(
                child_id(cx.ds, c),
                Some(start),
                bounds.two_years() <= end,
                Some(i64::from(end.days_since(start))),
            )
            .dated(Some(start), None)
        });
        cx.result_ordered(
            rows,
            Vec::new(),
            Extras::new().with("bands", Extra::Counts(bands)),
        )
    }
}
