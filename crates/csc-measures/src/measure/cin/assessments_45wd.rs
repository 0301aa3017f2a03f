//! `assessments_45wd`: **Assessments completed within 45 working days** (percentage; unit
//! assessments; polarity higher).
//!
//! * Population: assessments whose `AssessmentAuthorisationDate` is in the period.
//! * Clock start: `AssessmentActualStartDate` (option `assessment_clock = start`, the default) or the
//!   `CINreferralDate` of the CIN episode the assessment came in (`assessment_clock = referral`).
//! * Exclusions, in order: `missing_start` (no clock start), `negative_duration` (authorised before
//!   the clock started).
//! * Duration: `wd(clock start, authorisation)` under option `working_days` (default
//!   `after_start`: same day = 0).
//! * Denominator: the population less exclusions. Numerator: duration `<= assessment_limit_wd`
//!   (default 45).
//! * Extras: `bands` of the included durations, as DfE table C2 (`same_day` = 0 working days,
//!   `1-10`, `11-20`, `21-30`, `31-40`, `41-45`, `46-50`, `51-60`, `61+`), and `quartiles`.
//! * Warning `calendar_provisional` when a counted duration examined a day after the calendar's
//!   last official year.
//!
//! Drill-down: one row per assessment authorised in the period; `record` =
//! `AssessmentActualStartDate` (empty if missing); `value` = working days. Source: DfE
//! characteristics of children in need, table C2; Working Together to Safeguard Children (45
//! working days).
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = the clock's start:
//! `AssessmentActualStartDate`, or the episode's `CINreferralDate` under `assessment_clock =
//! referral` (empty if missing); `end` = `AssessmentAuthorisationDate`.

use crate::measure::series::{Slices, Span};
use crate::measure::{AssessmentClock, Compute, Coverage, Cx, MeasureSpec, Window, options};
use crate::records::ReturnKind;
use crate::result::{MeasureResult, Polarity, Reason, Unit, ValueKind};

use super::{Timeliness, TimelyFacts};

/// The bands of DfE table C2, in order.
pub const BANDS: [&str; 9] = [
    "same_day", "1-10", "11-20", "21-30", "31-40", "41-45", "46-50", "51-60", "61+",
];
const BOUNDS: [i64; 8] = [0, 10, 20, 30, 40, 45, 50, 60];

/// What `assessments_45wd` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "assessments_45wd",
    title: "Assessments completed within 45 working days",
    unit: Unit::Assessments,
    polarity: Polarity::Higher,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[
        &options::WORKING_DAYS.def,
        &options::ASSESSMENT_CLOCK.def,
        &options::ASSESSMENT_LIMIT_WD.def,
    ],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "assessment authorised in the period",
        record: "`AssessmentActualStartDate` (empty if missing)",
        value: "working days from `start` to `end`, `wd(start, end)` under the `working_days` option",
        start: Some(
            "the clock's start: `AssessmentActualStartDate`, or the episode's `CINreferralDate` under `assessment_clock = referral` (empty if missing)",
        ),
        end: Some("`AssessmentAuthorisationDate`"),
    },
    compute: Compute::sliced::<Assessments45wd>(),
};

/// The measure, as facts and finish: one row per assessment authorised in the span, dated by its
/// authorisation, its working days counted once.
pub(crate) struct Assessments45wd;

impl Slices for Assessments45wd {
    type Facts = TimelyFacts;

    fn facts(cx: &Cx<'_>, span: Span) -> TimelyFacts {
        let t = cx.ds.assessments();
        let mut acc = Timeliness::new(cx.opt(&options::ASSESSMENT_LIMIT_WD));
        let clock_opt = cx.opt(&options::ASSESSMENT_CLOCK);
        for i in 0..t.len() {
            let Some(auth) = t.authorisation_date[i].filter(|&a| span.holds(a)) else {
                continue;
            };
            let (child, record) = (t.child[i], t.start_date[i]);
            let clock = match clock_opt {
                AssessmentClock::Start => t.start_date[i],
                AssessmentClock::Referral => Some(t.episode_referral_date[i]),
            };
            match clock {
                None => acc.exclude(auth, child, record, Reason::MissingStart),
                Some(clock) => acc.count(
                    cx,
                    auth,
                    (child, record),
                    (clock, auth),
                    Reason::NegativeDuration,
                ),
            }
        }
        acc.facts()
    }

    fn finish(cx: &Cx<'_>, facts: &TimelyFacts) -> MeasureResult {
        Timeliness::finish(cx, facts, &BANDS, &BOUNDS)
    }
}
