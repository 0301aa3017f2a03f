//! The annual tables OC2 and OC3 (spec 2.5), and the computations shared by the measures that
//! read them.
//!
//! * *The return of 2.5*: the loaded SSDA903 return whose collection year is the financial year
//!   `Y` holding `period.end`. Rows of returns whose collection year is unknown are never used.
//!   When two loaded returns have collection year `Y`, the later in the caller's argument order
//!   supplies a child's rows whenever it holds any for that child.
//! * Not loaded, or not holding the table: `no_data` (the measures' coverage,
//!   [`Coverage::annual`](crate::measure::Coverage::annual)).
//! * `period.end` not 31 March of `Y`: warning `annual_table_period_mismatch`.
//! * A child with more than one distinct row is excluded `conflicting_records`; rows are compared
//!   as read (after normalisation, an unknown flag or unreadable score read as blank), every
//!   column but `CHILD` (`DOB` included).
//!
//! A DOB is the SSDA903 Header's (spec 2.1), else, when the Header has none, the first non-blank
//! `DOB` of the child's rows in the return of 2.5 (a choice: the spec says "the DOB column of the
//! row being measured", and conflicting rows are excluded later anyway).

use std::ops::Range;

use crate::dataset::{Dataset, Oc2s, Oc3s};
use crate::day::Day;
use crate::measure::Cx;
use crate::measure::series::{Facts, Span, child_id};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Reason, RecordRow, Warning};
use crate::table::Source;

use super::ages::{self, Cla12m};
use crate::measure::cin::{bands, excluded, included};

/// The collection year `Y` of the return of 2.5: the financial year holding `period.end`.
pub(crate) fn year(cx: &Cx<'_>) -> i32 {
    cx.period.end().financial_year()
}

/// `annual_table_period_mismatch` when `period.end` is not 31 March of its financial year.
pub(crate) fn warnings(cx: &Cx<'_>) -> Vec<Warning> {
    let end = cx.period.end();
    if Day::from_ymd(end.financial_year(), 3, 31).is_ok_and(|m| m == end) {
        Vec::new()
    } else {
        vec![Warning::AnnualTablePeriodMismatch]
    }
}

/// The rows among `range` (a child's rows of an annual table) that the return of 2.5 for
/// collection year `y` supplies: those of the latest loaded SSDA903 return of year `y` holding
/// any of them, into `out` (cleared first).
pub(crate) fn rows_of(
    ds: &Dataset,
    source: &[Source],
    range: Range<usize>,
    y: i32,
    out: &mut Vec<usize>,
) {
    out.clear();
    let returns = ds.returns();
    let of_year = |i: usize| {
        returns
            .get(source[i].ret as usize)
            .is_some_and(|r| r.kind == ReturnKind::Ssda903 && r.collection_year == Some(y))
    };
    let Some(supplier) = range
        .clone()
        .filter(|&i| of_year(i))
        .map(|i| source[i].ret)
        .max()
    else {
        return;
    };
    out.extend(range.filter(|&i| source[i].ret == supplier));
}

/// Are all `rows` one distinct row under `key` (the row as read)?
pub(crate) fn one_distinct<K: PartialEq>(rows: &[usize], key: impl Fn(usize) -> K) -> bool {
    rows.split_first()
        .is_none_or(|(&first, rest)| rest.iter().all(|&i| key(i) == key(first)))
}

/// An OC2 row as read, `CHILD` aside.
type Oc2Key = (
    Option<Day>,
    Option<u32>,
    compact_str::CompactString,
    [Option<bool>; 8],
);

fn oc2_key(t: &Oc2s, i: usize) -> Oc2Key {
    (
        t.dob[i],
        t.sdq_score[i],
        t.sdq_reason[i].clone(),
        [
            t.convicted[i],
            t.health_check[i],
            t.immunisations[i],
            t.teeth_check[i],
            t.health_assessment[i],
            t.substance_misuse[i],
            t.intervention_received[i],
            t.intervention_offered[i],
        ],
    )
}

/// What an OC2 measure does with its cohort child's row.
#[derive(Clone, Copy)]
pub(crate) enum Oc2Measure {
    /// A percentage of field `1` among the rows where it is not blank; `under_5` restricts the
    /// cohort to children aged under 5 at `period.end` (DOB required).
    Flag {
        /// The OC2 field.
        field: fn(&Oc2s, usize) -> Option<bool>,
        /// `health_checks_under_5`.
        under_5: bool,
    },
    /// `sdq_average`: children aged `from` to 16 at `period.end` (DOB required), the mean score.
    Sdq {
        /// The lowest age (5, or 4 under `sdq_ages = 4_16`).
        from: i32,
    },
}

impl Oc2Measure {
    /// The ages the measure looks at (`from` 0: under `to + 1`), when it has an age range.
    fn ages(self) -> Option<(i32, i32)> {
        match self {
            Oc2Measure::Flag { under_5: true, .. } => Some((0, 4)),
            Oc2Measure::Flag { .. } => None,
            Oc2Measure::Sdq { from } => Some((from, 16)),
        }
    }

    /// The days a child born on `dob` is in the measure's age range, when it has one.
    fn age_range(self, dob: Day) -> Option<ages::AgeRange> {
        let (from, to) = self.ages()?;
        Some(if from == 0 {
            ages::AgeRange::under(dob, to + 1)
        } else {
            ages::AgeRange::between(dob, from, to)
        })
    }
}

/// A care episode open at some period end of the span, for an OC2 measure: its row, and the days
/// the child is in the measure's age range by the SSDA903 Header's DOB (when it has one and the
/// measure has an age range).
pub(crate) struct Oc2Open {
    row: u32,
    header_ages: Option<ages::AgeRange>,
}

/// The facts of an OC2 measure: the care episodes open at some period end of the span.
pub(crate) fn oc2_facts(cx: &Cx<'_>, span: Span, measure: Oc2Measure) -> Facts<Oc2Open> {
    let (t, headers) = (cx.ds.care_episodes(), cx.ds.headers());
    // The range of the child of the previous fact (a child's facts are together).
    let mut known: Option<(u32, Option<ages::AgeRange>)> = None;
    super::open_episodes(cx, span, |i| {
        let c = t.child[i];
        let header_ages = match known {
            Some((k, ages)) if k == c => ages,
            _ => {
                let dob = headers.of_child(c).find_map(|h| headers.dob[h]);
                let ages = dob.and_then(|dob| measure.age_range(dob));
                known = Some((c, ages));
                ages
            }
        };
        Oc2Open {
            row: i as u32,
            header_ages,
        }
    })
}

/// The OC2 measures of spec 5.1 (`health_assessments`, `dental_checks`, `immunisations`,
/// `health_checks_under_5`, `sdq_average`). Checks, in order: `cla_12m(period.end)` (else no row,
/// or `history_truncated`); DOB and age when the measure has an age range (`missing_dob`, else no
/// row); an OC2 row in the return of 2.5 (`no_outcome_record`); one distinct row
/// (`conflicting_records`); the field (`value_missing`) or score (`no_sdq_score`).
pub(crate) fn oc2_compute(
    cx: &Cx<'_>,
    facts: &Facts<Oc2Open>,
    measure: Oc2Measure,
) -> MeasureResult {
    let ds = cx.ds;
    let (t, oc2) = (ds.care_episodes(), &ds.ssda903().oc2);
    let end = cx.period.end();
    let y = year(cx);
    let mut rows: Vec<RecordRow> = Vec::new();
    let mut scores: Vec<i64> = Vec::new();
    let mut own = Vec::new();
    let year_before = end.add_years(-1).add_days(1);
    for (c, fact) in super::looked_after_at(ds, facts, cx.period, |f| f.row as usize) {
        let Ok(fact) = fact else {
            continue;
        };
        let child = child_id(ds, c);
        let open = match ages::cla_12m(ds, fact.row as usize, year_before) {
            Cla12m::No => continue,
            Cla12m::Truncated(open) => {
                rows.push(excluded(
                    child,
                    Some(t.decom[open]),
                    Reason::HistoryTruncated,
                ));
                continue;
            }
            Cla12m::Yes(open) => open,
        };
        let record = Some(t.decom[open]);
        rows_of(ds, &oc2.source, oc2.of_child(c), y, &mut own);
        if measure.ages().is_some() {
            // The Header's DOB (its range worked out once), else the DOB of the child's OC2 row.
            let range = fact.header_ages.or_else(|| {
                ages::dob(ds, c, own.iter().find_map(|&i| oc2.dob[i]))
                    .and_then(|dob| measure.age_range(dob))
            });
            let Some(range) = range else {
                rows.push(excluded(child, record, Reason::MissingDob));
                continue;
            };
            if !range.holds(end) {
                continue;
            }
        }
        let Some(&first) = own.first() else {
            rows.push(excluded(child, record, Reason::NoOutcomeRecord));
            continue;
        };
        if !one_distinct(&own, |i| oc2_key(oc2, i)) {
            rows.push(excluded(child, record, Reason::ConflictingRecords));
            continue;
        }
        match measure {
            Oc2Measure::Flag { field, .. } => match field(oc2, first) {
                Some(v) => rows.push(included(child, record, v, None)),
                None => rows.push(excluded(child, record, Reason::ValueMissing)),
            },
            Oc2Measure::Sdq { .. } => match oc2.sdq_score[first] {
                Some(s) => {
                    let s = i64::from(s);
                    scores.push(s);
                    rows.push(included(child, record, true, Some(s)));
                }
                None => rows.push(excluded(child, record, Reason::NoSdqScore)),
            },
        }
    }
    let extras = match measure {
        Oc2Measure::Flag { .. } => Extras::new(),
        Oc2Measure::Sdq { .. } => Extras::new().with(
            "bands",
            Extra::Counts(bands(&["0-13", "14-16", "17-40"], &[13, 16], &scores)),
        ),
    };
    cx.result_ordered(rows, warnings(cx), extras)
}

/// An OC3 row as read, `CHILD` aside.
fn oc3_key(t: &Oc3s, i: usize) -> (Option<Day>, &str, &str, &str) {
    (
        t.dob[i],
        t.in_touch[i].as_str(),
        t.activ[i].as_str(),
        t.accom[i].as_str(),
    )
}

/// Which care-leaver measure.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Oc3Measure {
    /// `ACTIV` in the EET set; extra `activity`.
    Eet,
    /// `ACCOM` in the suitable set; extra `suitability`; `accommodation_unknowable` applies.
    Accommodation,
    /// `IN_TOUCH` YES; extra `in_touch`.
    InTouch,
}

/// `ACTIV` codes in education, employment or training (F3 and P3 are legacy codes, valid to
/// 2020-21, classified whatever the year).
pub(crate) const EET: &[&str] = &["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "F3", "P3"];
/// `ACCOM` codes of suitable accommodation.
pub(crate) const SUITABLE: &[&str] = &[
    "B1", "C1", "D1", "E1", "K1", "S1", "T1", "U1", "V1", "W1", "X1", "Y1", "Z1",
];
/// `ACCOM` codes whose suitability cannot be known (abroad, deported, residence not known).
pub(crate) const UNKNOWABLE: &[&str] = &["G1", "G2", "H1", "H2", "R1", "R2"];

/// The `activity` label of an `ACTIV` code.
fn activity(code: &str) -> usize {
    match code {
        "F1" | "P1" => 0,
        "F2" | "P2" => 1,
        "F4" | "P4" => 2,
        "F3" | "P3" | "F5" | "P5" => 3,
        "G4" => 4,
        "G5" => 5,
        "G6" => 6,
        _ => 7,
    }
}

/// The labels of a care-leaver measure's extra, every count 0.
fn oc3_labels(measure: Oc3Measure) -> Vec<(&'static str, u64)> {
    match measure {
        Oc3Measure::Eet => [
            "higher_education",
            "other_education",
            "apprenticeship",
            "training_employment",
            "neet_illness_disability",
            "neet_other",
            "neet_pregnancy_parenting",
            "not_known",
        ]
        .iter()
        .map(|&l| (l, 0))
        .collect(),
        Oc3Measure::Accommodation => vec![("suitable", 0), ("unsuitable", 0), ("not_known", 0)],
        Oc3Measure::InTouch => vec![
            ("yes", 0),
            ("no", 0),
            ("refused", 0),
            ("not_required", 0),
            ("unknown", 0),
        ],
    }
}

/// A young person with OC3 rows in the return of 2.5 for a collection year: what the care-leaver
/// measures read of them that does not depend on the period end.
pub(crate) struct Leaver {
    child: u32,
    /// The first of their rows.
    first: u32,
    /// Their age in the collection year and that birthday; `None` without a DOB.
    age: Option<(i32, Day)>,
    /// Their rows are one distinct row.
    distinct: bool,
}

/// The facts of the care-leaver measures: for each collection year of the span's period ends (the
/// return of 2.5 of each), the young people with OC3 rows in it, in child order.
pub(crate) type Oc3Facts = Vec<(i32, Vec<Leaver>)>;

/// The [`Oc3Facts`] of the span.
pub(crate) fn oc3_facts(cx: &Cx<'_>, span: Span) -> Oc3Facts {
    let ds = cx.ds;
    let oc3 = &ds.ssda903().oc3;
    let mut own = Vec::new();
    (span.first_end.financial_year()..=span.end.financial_year())
        .map(|y| {
            let mut leavers = Vec::new();
            // The children with OC3 rows, each once (the table is in child order).
            let mut last_child = None;
            for &c in &oc3.child {
                if last_child.replace(c) == Some(c) {
                    continue;
                }
                rows_of(ds, &oc3.source, oc3.of_child(c), y, &mut own);
                let Some(&first) = own.first() else {
                    continue;
                };
                let dob = ages::dob(ds, c, own.iter().find_map(|&i| oc3.dob[i]));
                leavers.push(Leaver {
                    child: c,
                    first: first as u32,
                    age: dob.map(|dob| ages::age_in_year(dob, y)),
                    distinct: one_distinct(&own, |i| oc3_key(oc3, i)),
                });
            }
            (y, leavers)
        })
        .collect()
}

/// The care-leaver measures of spec 5.1, over the OC3 rows of the return of 2.5, for the young
/// people whose age in collection year `Y` is `from` to `to`. Checks, in order: DOB (`missing_dob`,
/// whatever the age); age in the group (else no row); one distinct row (`conflicting_records`);
/// `short_break`; `care_transferred`; `care_leaver_died`; `care_leaver_returned_home`;
/// accommodation only: `accommodation_unknowable`.
pub(crate) fn oc3_compute(
    cx: &Cx<'_>,
    facts: &Oc3Facts,
    measure: Oc3Measure,
    from: i32,
    to: i32,
) -> MeasureResult {
    let ds = cx.ds;
    let (t, care, oc3) = (ds.care_episodes(), ds.care(), &ds.ssda903().oc3);
    let end = cx.period.end();
    let y = year(cx);
    let mut rows: Vec<RecordRow> = Vec::new();
    let mut counts = oc3_labels(measure);
    let leavers = facts
        .iter()
        .find(|(year, _)| *year == y)
        .map_or(&[][..], |(_, v)| &v[..]);
    for leaver in leavers {
        let (c, first) = (leaver.child, leaver.first as usize);
        let child = child_id(ds, c);
        let Some((age, birthday)) = leaver.age else {
            rows.push(excluded(child, None, Reason::MissingDob));
            continue;
        };
        if !(from..=to).contains(&age) {
            continue;
        }
        let record = Some(birthday);
        if !leaver.distinct {
            rows.push(excluded(child, record, Reason::ConflictingRecords));
            continue;
        }
        // The child's episodes starting by the end: all short breaks, or the last other one.
        let (mut any, mut last) = (false, None);
        for i in t.of_child(c).filter(|&i| t.decom[i] <= end) {
            any = true;
            if !care.short_break[i] {
                last = Some(i);
            }
        }
        if any && last.is_none() {
            rows.push(excluded(child, record, Reason::ShortBreak));
            continue;
        }
        if last.is_some_and(|i| t.rec[i] == "E3") {
            rows.push(excluded(child, record, Reason::CareTransferred));
            continue;
        }
        let (in_touch, activ, accom) = (
            oc3.in_touch[first].as_str(),
            oc3.activ[first].as_str(),
            oc3.accom[first].as_str(),
        );
        if in_touch == "DIED" {
            rows.push(excluded(child, record, Reason::CareLeaverDied));
            continue;
        }
        if in_touch == "RHOM" {
            rows.push(excluded(child, record, Reason::CareLeaverReturnedHome));
            continue;
        }
        if measure == Oc3Measure::Accommodation && UNKNOWABLE.contains(&accom) {
            rows.push(excluded(child, record, Reason::AccommodationUnknowable));
            continue;
        }
        let (label, in_numerator) = match measure {
            Oc3Measure::Eet => (activity(activ), EET.contains(&activ)),
            Oc3Measure::Accommodation => {
                if SUITABLE.contains(&accom) {
                    (0, true)
                } else if accom.ends_with('2') {
                    (1, false)
                } else {
                    (2, false)
                }
            }
            Oc3Measure::InTouch => match in_touch {
                "YES" => (0, true),
                "NO" => (1, false),
                "REFU" => (2, false),
                "NREQ" => (3, false),
                _ => (4, false),
            },
        };
        counts[label].1 += 1;
        rows.push(included(child, record, in_numerator, Some(i64::from(age))));
    }
    let key = match measure {
        Oc3Measure::Eet => "activity",
        Oc3Measure::Accommodation => "suitability",
        Oc3Measure::InTouch => "in_touch",
    };
    cx.result_ordered(
        rows,
        warnings(cx),
        Extras::new().with(key, Extra::Counts(counts)),
    )
}
