//! `sdq_average`: **Average SDQ score of children looked after for 12 months** (average score; unit
//! score; polarity lower). DfE children looked after outcomes: the mean Strengths and Difficulties
//! Questionnaire total difficulties score (SSDA903 OC2 `SDQ_SCORE`, 0 to 40) of children aged 5 to
//! 16 looked after continuously for 12 months.
//!
//! Cohort: children continuously looked after for 12 months at `period.end` (`cla_12m`, spec 2.6):
//! counted by [`cla_at_end`](super::cla_at_end) at `period.end`, with the current period of care
//! (short breaks removed) starting on or before `add_years(period.end, -1) + 1 day` (a period from
//! 1 April 2023 is in the cohort at 31 March 2024; one from 2 April 2023 is not). The OC2 row is
//! the child's row in the return of spec 2.5 (see [`annual`](super::annual)): the SSDA903 return
//! whose collection year is the financial year holding `period.end`.
//!
//! Checks, in order:
//! 1. `cla_12m(period.end)`, else no row; a history-truncated period tested with its first loaded
//!    `DECOM` that fails is excluded `history_truncated`;
//! 2. a date of birth (SSDA903 Header, else the OC2 row's `DOB`), else excluded `missing_dob`;
//! 3. aged 5 to 16 at `period.end` (`add_years(DOB, 5) <= period.end` and `add_years(DOB, 17) >
//!    period.end`; option `sdq_ages`: `5_16`, default, or `4_16`), else no row;
//! 4. an OC2 row for the child in the return of 2.5, else excluded `no_outcome_record`;
//! 5. one distinct row (compared as read), else excluded `conflicting_records`;
//! 6. a score: `SDQ_SCORE` an integer 0 to 40 (leading zeros allowed: `07` is 7; any other value is
//!    reported `unknown_code` and read as no score), else excluded `no_sdq_score`.
//!
//! Numerator = the sum of the scores, denominator = children included, `value = numerator /
//! denominator` in IEEE double, unrounded (null when the denominator is 0). Extras: `bands`
//! (children included by score: `0-13`, `14-16`, `17-40`; DfE's normal, borderline and cause for
//! concern bands).
//!
//! Where the spec is silent: when the Header has no DOB, the first non-blank `DOB` of the child's
//! OC2 rows in the return of 2.5 is used; rows are compared on every column but `CHILD`, `DOB`
//! included.
//!
//! Warnings: `annual_table_period_mismatch` when `period.end` is not 31 March. `no_data` when the
//! return of 2.5 is not loaded or does not hold OC2.
//!
//! Drill-down: one row per cohort child in the age range, and per exclusion; `record` = `DECOM` of
//! the episode open at the end; `value` = the score (both flags true on included rows, whose values
//! sum to the numerator). Source: DfE children looked after in England, outcomes for looked-after
//! children (SSDA903 guide, OC2).

use crate::measure::options::{self, SdqAges};
use crate::measure::series::{Facts, Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Unit, ValueKind};

use super::annual::{Oc2Measure, Oc2Open, oc2_compute, oc2_facts};

/// What `sdq_average` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "sdq_average",
    title: "Average SDQ score of children looked after for 12 months",
    unit: Unit::Score,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Mean,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::annual("OC2"),
    options: &[&options::SDQ_AGES.def],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "cohort child in the age range, and exclusions",
        record: "`DECOM` of the episode open at the end",
        value: "SDQ score",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<SdqAverage>(),
};

/// The OC2 computation this measure is, under the options in force.
fn measure(cx: &Cx<'_>) -> Oc2Measure {
    let from = match cx.opt(&options::SDQ_AGES) {
        SdqAges::Ages5To16 => 5,
        SdqAges::Ages4To16 => 4,
    };
    Oc2Measure::Sdq { from }
}

/// The measure, as facts and finish: the care episodes open at some period end of the span
/// ([`oc2_facts`]); each period reads those open at its end.
pub(crate) struct SdqAverage;

impl Slices for SdqAverage {
    type Facts = Facts<Oc2Open>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<Oc2Open> {
        oc2_facts(cx, span, measure(cx))
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<Oc2Open>) -> MeasureResult {
        oc2_compute(cx, facts, measure(cx))
    }
}
