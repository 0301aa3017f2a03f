//! `icpc_15wd`: **Initial child protection conferences within 15 working days of the section 47
//! start** (percentage; unit conferences; polarity higher).
//!
//! * Population: section 47 enquiries whose `DateOfInitialCPC` is in the period. Transfer-in
//!   conferences recorded on the CIN episode are outside this measure.
//! * Exclusions, in order: `missing_start` (no `S47ActualStartDate`), `icpc_before_s47` (the
//!   conference is before the enquiry started; DfE keeps these in conference volumes but not in
//!   timeliness).
//! * Duration: `wd(S47ActualStartDate, DateOfInitialCPC)` under option `working_days`.
//! * Numerator: duration `<= icpc_limit_wd` (default 15).
//! * Extras: `bands` (`0-10`, `11-15`, `16-20`, `21+`) and `quartiles` of the included durations.
//! * Warning `calendar_provisional` as for assessments.
//!
//! Drill-down: one row per enquiry with its conference in the period; `record` =
//! `S47ActualStartDate` (empty if missing); `value` = working days. Source: DfE characteristics of
//! children in need, table C4; Working Together to Safeguard Children (15 working days).
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = `S47ActualStartDate` (empty
//! if missing); `end` = `DateOfInitialCPC`, the conference.

use crate::measure::series::{Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Reason, Unit, ValueKind};

use super::{Timeliness, TimelyFacts};

/// The bands of DfE table C4, in order.
pub const BANDS: [&str; 4] = ["0-10", "11-15", "16-20", "21+"];
const BOUNDS: [i64; 3] = [10, 15, 20];

/// What `icpc_15wd` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "icpc_15wd",
    title: "Initial child protection conferences within 15 working days of the section 47 start",
    unit: Unit::Conferences,
    polarity: Polarity::Higher,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[&options::WORKING_DAYS.def, &options::ICPC_LIMIT_WD.def],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "section 47 with its conference in the period",
        record: "`S47ActualStartDate` (empty if missing)",
        value: "working days from `start` to `end`, `wd(start, end)` under the `working_days` option",
        start: Some("`S47ActualStartDate` (empty if missing)"),
        end: Some("`DateOfInitialCPC`, the conference"),
    },
    compute: Compute::sliced::<Icpc15wd>(),
};

/// The measure, as facts and finish: one row per section 47 with its conference in the span,
/// dated by the conference, its working days counted once.
pub(crate) struct Icpc15wd;

impl Slices for Icpc15wd {
    type Facts = TimelyFacts;

    fn facts(cx: &Cx<'_>, span: Span) -> TimelyFacts {
        let t = cx.ds.section47s();
        let mut acc = Timeliness::new(cx.opt(&options::ICPC_LIMIT_WD));
        for i in 0..t.len() {
            let Some(icpc) = t.icpc_date[i].filter(|&d| span.holds(d)) else {
                continue;
            };
            let child = t.child[i];
            match t.start_date[i] {
                None => acc.exclude(icpc, child, None, Reason::MissingStart),
                Some(s) => acc.count(cx, icpc, (child, Some(s)), (s, icpc), Reason::IcpcBeforeS47),
            }
        }
        acc.facts()
    }

    fn finish(cx: &Cx<'_>, facts: &TimelyFacts) -> MeasureResult {
        Timeliness::finish(cx, facts, &BANDS, &BOUNDS)
    }
}
