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

use std::collections::BTreeMap;

use compact_str::CompactString;

use crate::codes::ASSESSMENT_FACTORS;
use crate::day::Day;
use crate::measure::{Coverage, Cx, FactorUnit, MeasureSpec, Rate, RateOf, Window, options};
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
    compute,
};

/// "No factors identified".
const NONE_IDENTIFIED: &str = "21";

/// The labels of `factors`: the published list, then `unknown`.
fn labels() -> impl Iterator<Item = &'static str> {
    ASSESSMENT_FACTORS.iter().copied().chain(["unknown"])
}

/// A unit's factor set: the published codes as bits (by their place in the list), and any other
/// values by name (rare).
#[derive(Default)]
struct FactorSet<'a> {
    known: u64,
    other: Vec<&'a CompactString>,
}

impl<'a> FactorSet<'a> {
    fn add(&mut self, f: &'a CompactString) {
        match ASSESSMENT_FACTORS.iter().position(|c| *c == f.as_str()) {
            Some(k) => self.known |= 1 << k,
            None if !self.other.contains(&f) => self.other.push(f),
            None => {}
        }
    }
}

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    const _: () = assert!(ASSESSMENT_FACTORS.len() <= 64);
    let none_identified: u64 = ASSESSMENT_FACTORS
        .iter()
        .position(|c| *c == NONE_IDENTIFIED)
        .map_or(0, |k| 1 << k);
    let ds = cx.ds;
    let t = ds.assessments();
    let by_episode = cx.opt(&options::FACTOR_UNIT) == FactorUnit::Episodes;
    // Units by (child, record date, assessment row when by assessment), with their sets.
    let mut units: BTreeMap<(u32, Option<Day>, usize), FactorSet<'_>> = BTreeMap::new();
    for i in 0..t.len() {
        if !t.authorisation_date[i].is_some_and(|d| cx.period.contains(d)) {
            continue;
        }
        let key = if by_episode {
            (t.child[i], Some(t.episode_referral_date[i]), 0)
        } else {
            (t.child[i], t.start_date[i], i)
        };
        let set = units.entry(key).or_default();
        for f in &t.factors[i] {
            set.add(f);
        }
    }
    let mut factors: Vec<(&'static str, u64)> = labels().map(|l| (l, 0)).collect();
    let unknown = factors.len() - 1;
    let mut rows: Vec<RecordRow> = Vec::new();
    for (&(child, record, _), set) in &units {
        let identified = (set.known & !none_identified).count_ones() as usize + set.other.len();
        if identified == 0 {
            continue;
        }
        for (k, f) in factors[..unknown].iter_mut().enumerate() {
            f.1 += (set.known >> k) & 1;
        }
        factors[unknown].1 += u64::from(!set.other.is_empty());
        let mut row = super::counted(&ds.children()[child as usize], record);
        row.value = Some(identified as i64);
        rows.push(row);
    }
    let extras = Extras::new()
        .with("units_assessed", Extra::Int(Some(units.len() as i64)))
        .with("factors", Extra::Counts(factors));
    let mut r = cx.result(rows, Vec::new(), extras);
    if !by_episode {
        r.unit = Unit::Assessments;
    }
    r
}
