//! `care_leavers_eet_17_18`: **Care leavers aged 17 or 18 in education, employment or training**
//! (percentage; unit young people; polarity higher). DfE care leavers aged 17 or 18 in the year in
//! education, employment or training (SSDA903 OC3 `ACTIV`).
//!
//! Population: young people with an OC3 row in the return of spec 2.5 (see
//! [`annual`](super::annual)): the SSDA903 return whose collection year `Y` is the financial year
//! holding `period.end`. The age group is judged on the *age in collection year `Y`*: the `n` with
//! `Y-1-04-01 <= add_years(DOB, n) <= Y-03-31` (born 1 April 2006: 17 in 2023-24; born 31 March
//! 2006: 18; born 29 February 2004: 19 on 28 February 2023 in 2022-23).
//!
//! Checks, in order:
//! 1. a date of birth (SSDA903 Header, else the OC3 row's `DOB`), else excluded `missing_dob`
//!    (whatever the age);
//! 2. age in the measure's group, else no row;
//! 3. one distinct OC3 row (compared as read), else excluded `conflicting_records`;
//! 4. `short_break`: the child has at least one loaded care episode with `DECOM <= period.end` and
//!    every such episode is a short break (`LS` V3 or V4);
//! 5. `care_transferred`: the child's last loaded episode with `DECOM <= period.end`, short breaks
//!    removed, in episode order, has `REC` E3 (care transferred to another authority); episodes
//!    after the period never change a year's answer;
//! 6. `care_leaver_died`: `IN_TOUCH` DIED;
//! 7. `care_leaver_returned_home`: `IN_TOUCH` RHOM;
//!
//! Numerator: `ACTIV` in education, employment or training: F1, P1, F2, P2, F4, P4, F5, P5, and the
//! legacy F3, P3 (valid to 2020-21; their validity is reported when the data is built, and they are
//! classified whatever the year). Extras `activity` (young people in the denominator):
//! `higher_education` (F1, P1), `other_education` (F2, P2), `apprenticeship` (F4, P4),
//! `training_employment` (F3, P3, F5, P5), `neet_illness_disability` (G4), `neet_other` (G5),
//! `neet_pregnancy_parenting` (G6), `not_known` (anything else, `0` and blank included).
//!
//! Young people not in touch (NO), refusing contact (REFU), no longer requiring services (NREQ),
//! or with a blank or unknown `IN_TOUCH` stay in the denominator.
//!
//! Where the spec is silent: a young person with no loaded care episode at all passes checks 4
//! and 5 (nothing says the care ended by transfer); the extras count the young people in the
//! denominator; the DOB falls back to the first non-blank `DOB` of the child's OC3 rows in the
//! return of 2.5 when the Header has none; rows are compared on every column but `CHILD`, `DOB`
//! included.
//!
//! Warnings: `annual_table_period_mismatch` when `period.end` is not 31 March (the OC3 rows
//! describe the year to 31 March). `no_data` when the return of 2.5 is not loaded or does not hold
//! OC3.
//!
//! Drill-down: one row per young person with an OC3 row in the age group, and per exclusion
//! (`missing_dob` rows whatever the age); `record` = the birthday in the year, `add_years(DOB, n)`
//! (empty for `missing_dob`); `value` = the age `n` (empty when excluded). Source: DfE children
//! looked after in England, care leavers (SSDA903 guide, OC3).

use crate::measure::series::{Slices, Span};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Unit, ValueKind};

use super::annual::{Oc3Facts, Oc3Measure, oc3_compute, oc3_facts};

/// What `care_leavers_eet_17_18` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "care_leavers_eet_17_18",
    title: "Care leavers aged 17 or 18 in education, employment or training",
    unit: Unit::YoungPeople,
    polarity: Polarity::Higher,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::annual("OC3"),
    options: &[],
    rates: &[],
    rows: super::CARE_LEAVER_ROWS,
    compute: Compute::sliced::<CareLeaversEet1718>(),
};

/// The measure, as facts and finish: the young people with OC3 rows in the return of 2.5 of
/// each collection year of the span ([`oc3_facts`]); each period reads its year's.
pub(crate) struct CareLeaversEet1718;

impl Slices for CareLeaversEet1718 {
    type Facts = Oc3Facts;

    fn facts(cx: &Cx<'_>, span: Span) -> Oc3Facts {
        oc3_facts(cx, span)
    }

    fn finish(cx: &Cx<'_>, facts: &Oc3Facts) -> MeasureResult {
        oc3_compute(cx, facts, Oc3Measure::Eet, 17, 18)
    }
}
