//! `health_assessments`: **Children looked after for 12 months who had their annual health
//! assessment** (percentage; unit children; polarity higher). DfE children looked after outcomes
//! (SSDA903 OC2 `HEALTH_ASSESSMENT`): children looked after continuously for 12 months at the
//! period end who had their annual health assessment.
//!
//! Cohort: children continuously looked after for 12 months at `period.end` (`cla_12m`, spec 2.6):
//! counted by [`cla_at_end`](super::cla_at_end) at `period.end`, with the current period of care
//! (short breaks removed) starting on or before `add_years(period.end, -1) + 1 day` (a period from
//! 1 April 2023 is in the cohort at 31 March 2024; one from 2 April 2023 is not). The OC2 row is
//! the child's row in the return of spec 2.5 (see [`annual`](super::annual)): the SSDA903 return
//! whose collection year is the financial year holding `period.end`.
//!
//! Checks, in order:
//! 1. `cla_12m(period.end)`, else no row; a history-truncated period tested with its first
//!    loaded `DECOM` that fails is excluded `history_truncated`;
//! 2. an OC2 row for the child in the return of 2.5, else excluded `no_outcome_record`;
//! 3. one distinct row (compared as read), else excluded `conflicting_records`;
//! 4. `HEALTH_ASSESSMENT` not blank (an unknown value such as `Y` is reported `unknown_code`
//!    and read as blank), else excluded `value_missing`.
//!
//! Numerator: `HEALTH_ASSESSMENT` = `1`; `0` is in the denominator only.
//!
//! Where the spec is silent: rows are compared on every column but `CHILD`, `DOB` included.
//!
//! Warnings: `annual_table_period_mismatch` when `period.end` is not 31 March (the OC2 rows
//! describe the year to 31 March). `no_data` when the return of 2.5 is not loaded or does not hold
//! OC2.
//!
//! Drill-down: one row per cohort child, and per exclusion; `record` = `DECOM` of the
//! episode open at the end; `value` empty. Source: DfE children looked after in England, outcomes
//! for looked-after children (SSDA903 guide, OC2).

use crate::dataset::Oc2s;
use crate::measure::series::{Facts, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Unit, ValueKind};

use super::annual::{Oc2Measure, Oc2Open, oc2_compute, oc2_facts};

/// What `health_assessments` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "health_assessments",
    title: "Children looked after for 12 months who had their annual health assessment",
    unit: Unit::Children,
    polarity: Polarity::Higher,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::annual("OC2"),
    options: &[],
    rates: &[],
    rows: super::HEALTH_ROWS,
    compute: Compute::sliced::<HealthAssessments>(),
};

fn field(t: &Oc2s, i: usize) -> Option<bool> {
    t.health_assessment[i]
}

/// The OC2 computation this measure is.
fn measure(_: &Cx<'_>) -> Oc2Measure {
    Oc2Measure::Flag {
        field,
        under_5: false,
    }
}

/// The measure, as facts and finish: the care episodes open at some period end of the span
/// ([`oc2_facts`]); each period reads those open at its end.
pub(crate) struct HealthAssessments;

impl Slices for HealthAssessments {
    type Facts = Facts<Oc2Open>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<Oc2Open> {
        oc2_facts(cx, span, measure(cx))
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<Oc2Open>) -> MeasureResult {
        oc2_compute(cx, facts, measure(cx))
    }
}
