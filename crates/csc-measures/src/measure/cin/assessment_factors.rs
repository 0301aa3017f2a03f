//! `assessment_factors`: **CIN episodes with factors identified at the end of an assessment in
//! the period** (count; unit episodes, or assessments; polarity neither). DfE table C3.
//!
//! The *units*, by option `factor_unit`:
//!
//! * `episodes` (default): the distinct CIN episodes (child, `CINreferralDate`) with at least one
//!   assessment whose `AssessmentAuthorisationDate` is in the period; a unit's set is the union of
//!   those assessments' factor sets, so a code counts once per episode;
//! * `assessments`: the assessments authorised in the period, each with its own set (the unit of
//!   the result is then `assessments`). An assessment is dated by its authorisation alone: one with
//!   a blank `AssessmentActualStartDate` counts.
//!
//! Factor values are trimmed and upper-cased, blanks ignored, and a set holds each code once
//! (spec 2.4); a value outside the published list is reported (`unknown_code`), kept and
//! classified `unknown`. The count is of units whose set holds a code other than `21` ("no factors
//! identified"), unknown codes included.
//!
//! Extras: `units_assessed` (every unit, those with only `21` or no factors too); `factors`, for
//! every code of the list of spec 2.4 in its order, then `unknown`, the number of counted units
//! holding it (zeros included); rates per 10,000 children (spec 8): `rate_per_10000` of the count
//! and `factor_rates_per_10000`, each `factors` count by the same formula.
//!
//! Drill-down: one row per unit counted; `record` = the episode's `CINreferralDate` (`assessments`:
//! `AssessmentActualStartDate`, empty if blank); `value` = the number of distinct codes other than
//! `21` in its set.

use compact_str::CompactString;

use crate::codes::ASSESSMENT_FACTORS;
use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{
    Compute, Coverage, Cx, FactorUnit, MeasureSpec, Rate, RateOf, Window, options,
};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

/// What `assessment_factors` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "assessment_factors",
    title: "CIN episodes with factors identified at the end of an assessment in the period",
    unit: Unit::Episodes,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Count,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[&options::FACTOR_UNIT.def],
    rates: &[
        Rate::NUMERATOR,
        Rate {
            of: RateOf::Counts("factors"),
            key: "factor_rates_per_10000",
        },
    ],
    rows: crate::measure::RowDoc {
        per: "unit counted (a CIN episode; an assessment under `factor_unit = assessments`)",
        record: "`CINreferralDate` of the episode (`assessments`: `AssessmentActualStartDate`, empty if blank)",
        value: "number of distinct codes other than `21`",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<AssessmentFactors>(),
};

/// "No factors identified".
const NONE_IDENTIFIED: &str = "21";

/// The labels of `factors`: the published list, then `unknown`.
fn labels() -> impl Iterator<Item = &'static str> {
    ASSESSMENT_FACTORS.iter().copied().chain(["unknown"])
}

/// The bit of "no factors identified" among the published codes.
fn none_identified() -> u64 {
    ASSESSMENT_FACTORS
        .iter()
        .position(|c| *c == NONE_IDENTIFIED)
        .map_or(0, |k| 1 << k)
}

/// One assessment authorised in the span, with its factor set: the published codes as bits (by
/// their place in the list), and whether it holds any other value (rare: those are read again from
/// the assessment's row when its unit is finished).
#[derive(Clone, Copy)]
pub(crate) struct Assessed {
    child: u32,
    /// The unit's record: the episode's `CINreferralDate` (`episodes`), or the assessment's
    /// `AssessmentActualStartDate` (`assessments`).
    record: Option<Day>,
    known: u64,
    other: bool,
    /// The assessment's row.
    row: u32,
    /// The distinct codes other than `21` in its own set (its row's value by assessment).
    identified: u32,
}

/// A value of up to four bytes as a number (its length, then its bytes), for looking codes up (the
/// published codes are two or three characters long); `None` for a longer value, which is no
/// published code.
fn key(code: &str) -> Option<u64> {
    let b = code.as_bytes();
    (b.len() <= 4).then(|| b.iter().fold(b.len() as u64, |k, &x| k << 8 | u64::from(x)))
}

/// The other values of a factor set (not in the published list), each once.
fn push_others<'a>(others: &mut Vec<&'a CompactString>, factors: &'a [CompactString]) {
    for f in factors {
        if !ASSESSMENT_FACTORS.contains(&f.as_str()) && !others.contains(&f) {
            others.push(f);
        }
    }
}

/// The measure, as facts and finish: the assessments authorised in the span, dated by their
/// authorisation, each with its factor set read once, in unit order (child, then record; by
/// assessment, then the row's value). Finish folds the runs of one unit in the period (an episode's
/// assessments) into its set.
pub(crate) struct AssessmentFactors;

impl Slices for AssessmentFactors {
    type Facts = Facts<Assessed>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<Assessed> {
        const _: () = assert!(ASSESSMENT_FACTORS.len() <= 64);
        let t = cx.ds.assessments();
        let by_episode = cx.opt(&options::FACTOR_UNIT) == FactorUnit::Episodes;
        let none_identified = none_identified();
        // The published codes by key, each with its place in the list.
        let mut codes: Vec<(u64, usize)> = ASSESSMENT_FACTORS
            .iter()
            .zip(0..)
            .filter_map(|(c, k)| Some((key(c)?, k)))
            .collect();
        codes.sort_unstable();
        let mut others = Vec::new();
        let mut v: Vec<(Day, Assessed)> = Vec::new();
        for i in 0..t.len() {
            let Some(auth) = t.authorisation_date[i].filter(|&d| span.holds(d)) else {
                continue;
            };
            let (mut known, mut any_other) = (0_u64, false);
            for f in &t.factors[i] {
                let place = key(f)
                    .and_then(|k| codes.binary_search_by_key(&k, |&(c, _)| c).ok())
                    .map(|k| codes[k].1);
                match place {
                    Some(k) => known |= 1 << k,
                    None => any_other = true,
                }
            }
            others.clear();
            if any_other {
                push_others(&mut others, &t.factors[i]);
            }
            let identified = (known & !none_identified).count_ones() + others.len() as u32;
            let record = if by_episode {
                Some(t.episode_referral_date[i])
            } else {
                t.start_date[i]
            };
            v.push((
                auth,
                Assessed {
                    child: t.child[i],
                    record,
                    known,
                    other: !others.is_empty(),
                    row: i as u32,
                    identified,
                },
            ));
        }
        if by_episode {
            v.sort_by_key(|(_, a)| (a.child, a.record));
        } else {
            v.sort_by_key(|(_, a)| (a.child, a.record, a.identified));
        }
        Facts::dated(v)
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<Assessed>) -> MeasureResult {
        let t = cx.ds.assessments();
        let by_episode = cx.opt(&options::FACTOR_UNIT) == FactorUnit::Episodes;
        let mut factors: Vec<(&'static str, u64)> = labels().map(|l| (l, 0)).collect();
        let unknown = factors.len() - 1;
        let assessed = facts.of_dated(cx.period);
        let mut rows: Vec<RecordRow> = Vec::with_capacity(assessed.len());
        let mut units = 0_i64;
        let none_identified = none_identified();
        let mut others: Vec<&CompactString> = Vec::new();
        let mut it = assessed.map(|(_, a)| a).peekable();
        while let Some(first) = it.next() {
            // The unit: by episode, the run of the period's assessments of one episode.
            let mut known = first.known;
            others.clear();
            if first.other {
                push_others(&mut others, &t.factors[first.row as usize]);
            }
            while let Some(next) =
                it.next_if(|a| by_episode && a.child == first.child && a.record == first.record)
            {
                known |= next.known;
                if next.other {
                    push_others(&mut others, &t.factors[next.row as usize]);
                }
            }
            units += 1;
            let identified = (known & !none_identified).count_ones() as usize + others.len();
            if identified == 0 {
                continue;
            }
            let mut bits = known;
            while bits != 0 {
                factors[bits.trailing_zeros() as usize].1 += 1;
                bits &= bits - 1;
            }
            factors[unknown].1 += u64::from(!others.is_empty());
            let mut row = super::counted(child_id(cx.ds, first.child), first.record);
            row.value = Some(identified as i64);
            rows.push(row);
        }
        let extras = Extras::new()
            .with("units_assessed", Extra::Int(Some(units)))
            .with("factors", Extra::Counts(factors));
        let mut r = cx.result_ordered(rows, Vec::new(), extras);
        if !by_episode {
            r.unit = Unit::Assessments;
        }
        r
    }
}
