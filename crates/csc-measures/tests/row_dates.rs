//! Drill-down rows a reader can check by hand: every measure documents what one row is and what
//! its `record`, `value`, `start` and `end` hold (`MeasureSpec::rows`, taken from its module
//! docs), the dates are filled exactly for the measures that document them, and each value is
//! recomputed from its row's dates (A1 = moved in - entered care, `assessments_45wd` =
//! `wd(start, end)`, the placement count from the cleaned placements table, ...).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use csc_measures::cleaned::{Cells, CleanedTable};
use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::result::{MeasureResult, RecordRow};
use csc_measures::{Calendar, Dataset, Day, Period, WorkingDays};

/// The synthetic local authority (2,000 children, collection years 2019 to 2024), built once.
fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        csc_synth::dataset(&csc_synth::Config {
            children: 2_000,
            ..Default::default()
        })
        .expect("the synthetic returns build")
    })
}

/// The periods the checks run over: the financial year 2023-24, and the adoption scorecard's
/// three years to 31 March 2024.
fn periods() -> [Period; 2] {
    [
        Period::financial_year(2024).unwrap(),
        Period::new(
            Day::from_ymd(2021, 4, 1).unwrap(),
            Day::from_ymd(2024, 3, 31).unwrap(),
        )
        .unwrap(),
    ]
}

/// Every measure's results over [`periods`], computed once.
fn results() -> &'static BTreeMap<MeasureId, Vec<MeasureResult>> {
    static R: OnceLock<BTreeMap<MeasureId, Vec<MeasureResult>>> = OnceLock::new();
    R.get_or_init(|| {
        let opts = Options::default();
        MeasureId::ALL
            .iter()
            .map(|&id| {
                let v = periods()
                    .into_iter()
                    .map(|p| compute(dataset(), id, p, &opts))
                    .collect();
                (id, v)
            })
            .collect()
    })
}

/// The rows of `id` over every period, with their period.
fn rows(id: MeasureId) -> impl Iterator<Item = (Period, &'static RecordRow)> {
    results()[&id]
        .iter()
        .flat_map(|r| r.rows.iter().map(move |row| (r.period, row)))
}

/// The module docs of measure `id` (its definition).
fn module_docs(id: MeasureId) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = ["cin", "cla", "adoption"]
        .into_iter()
        .map(|f| root.join(format!("src/measure/{f}/{id}.rs")))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{id} has no module"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!").trim())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_measure_documents_its_rows() {
    for &id in MeasureId::ALL {
        let d = id.spec().rows;
        for (what, text) in [("per", d.per), ("record", d.record), ("value", d.value)] {
            assert!(!text.trim().is_empty(), "{id}: rows.{what} is empty");
        }
        for text in [d.start, d.end].into_iter().flatten() {
            assert!(!text.trim().is_empty(), "{id}: an empty date description");
        }
        // The module docs, the definition, say the same: they name the dates the rows carry, and
        // only those.
        let docs = module_docs(id);
        assert!(
            docs.contains("Drill-down"),
            "{id}: no drill-down in its docs"
        );
        assert_eq!(
            docs.contains("`start` ="),
            d.start.is_some(),
            "{id}: its module docs and rows.start disagree"
        );
        assert_eq!(
            docs.contains("`end` ="),
            d.end.is_some(),
            "{id}: its module docs and rows.end disagree"
        );
    }
}

#[test]
fn dates_are_filled_exactly_where_documented() {
    for &id in MeasureId::ALL {
        let d = id.spec().rows;
        let any_start = rows(id).any(|(_, r)| r.start.is_some());
        let any_end = rows(id).any(|(_, r)| r.end.is_some());
        assert_eq!(any_start, d.start.is_some(), "{id}: start");
        assert_eq!(any_end, d.end.is_some(), "{id}: end");
    }
}

/// `end - start` in days, when both are there.
fn days(r: &RecordRow) -> Option<i64> {
    Some(i64::from(r.end?.days_since(r.start?)))
}

#[test]
fn day_values_are_end_minus_start() {
    use MeasureId as M;
    for id in [
        M::ReReferrals12m,
        M::ReReferrals12mChildren,
        M::CppEnded2yPlus,
        M::AdoptionA1,
        M::AdoptionA10,
        M::AdoptionA3,
        M::AdoptionDecisionToMatch,
        M::ClaCeased,
        M::ClaCeasedAdopted,
        M::ClaCeasedSgo,
        M::ClaCeasedCao,
        M::ClaCeasedReturnedHome,
        M::MissingIncidents,
    ] {
        let mut checked = 0;
        for (_, r) in rows(id) {
            if r.value.is_some() {
                assert_eq!(r.value, days(r), "{id}: {r:?}");
                checked += 1;
            }
        }
        assert!(checked > 0, "{id}: no row with a value to check");
    }
}

#[test]
fn adoption_rows_carry_entered_care_and_moved_in() {
    let a1: Vec<_> = rows(MeasureId::AdoptionA1).collect();
    assert!(a1.iter().any(|(_, r)| r.in_denominator));
    for (_, r) in &a1 {
        if r.in_denominator {
            let (entered, moved_in) = (r.start.unwrap(), r.end.unwrap());
            assert!(
                entered <= moved_in && moved_in <= r.record.unwrap(),
                "{r:?}"
            );
        }
    }
    // A10 ends no later than A1, on the same adoptions with the same entered care.
    let a10: Vec<_> = rows(MeasureId::AdoptionA10).collect();
    assert_eq!(a1.len(), a10.len());
    for ((_, x), (_, y)) in a1.iter().zip(&a10) {
        assert_eq!((&x.child, x.record, x.start), (&y.child, y.record, y.start));
        assert!(y.end <= x.end, "{x:?} {y:?}");
    }
    // A3's numerator: moved in before 14 months from entering care.
    for (_, r) in rows(MeasureId::AdoptionA3) {
        if r.in_denominator {
            let limit = r.start.unwrap().add_months(14);
            assert_eq!(r.in_numerator, r.end.unwrap() < limit, "{r:?}");
        }
    }
    // A2 = max(0, match - court authority).
    let mut checked = 0;
    for (_, r) in rows(MeasureId::AdoptionA2) {
        if r.in_denominator {
            assert_eq!(r.value, days(r).map(|d| d.max(0)), "{r:?}");
            checked += 1;
        }
    }
    assert!(checked > 0);
}

#[test]
fn timeliness_values_are_working_days_from_start_to_end() {
    let cal = Calendar::england_and_wales();
    for id in [MeasureId::Assessments45wd, MeasureId::Icpc15wd] {
        let mut checked = 0;
        for (p, r) in rows(id) {
            assert!(
                p.contains(r.end.unwrap()),
                "{id}: the clock ends in the period: {r:?}"
            );
            if let Some(v) = r.value {
                let wd = cal
                    .wd(r.start.unwrap(), r.end.unwrap(), WorkingDays::default())
                    .unwrap();
                assert_eq!(v, i64::from(wd.days), "{id}: {r:?}");
                checked += 1;
            } else if r.reason.is_some_and(|x| x.as_str() == "missing_start") {
                assert!(r.start.is_none(), "{id}: {r:?}");
            }
        }
        assert!(checked > 0, "{id}: no row checked");
    }
}

#[test]
fn open_plans_count_days_from_start_to_the_period_end() {
    for id in [MeasureId::CppOpen15mPlus, MeasureId::CppOpen2yPlus] {
        for (p, r) in rows(id) {
            let start = r.start.unwrap();
            assert_eq!(r.value, Some(i64::from(p.end().days_since(start))), "{id}");
            assert_eq!(r.end, None);
        }
    }
}

/// The placements of the cleaned table by child: (start, end).
fn placements() -> BTreeMap<String, Vec<(Day, Option<Day>)>> {
    let t = CleanedTable::Placements.of(dataset());
    let (Cells::Text(child), Cells::Date(start), Cells::Date(end)) = (
        &t.column("child").unwrap().cells,
        &t.column("start").unwrap().cells,
        &t.column("end").unwrap().cells,
    ) else {
        panic!("placements has child, start and end");
    };
    let mut by_child: BTreeMap<String, Vec<(Day, Option<Day>)>> = BTreeMap::new();
    for i in 0..t.rows() {
        by_child
            .entry(child[i].to_owned())
            .or_default()
            .push((start[i].unwrap(), end[i]));
    }
    by_child
}

#[test]
fn stability_counts_the_placements_between_its_dates() {
    let placements = placements();
    for (id, years) in [
        (MeasureId::Stability3plusPlacements, 1),
        (MeasureId::Stability3plusPlacements2y, 2),
    ] {
        let mut checked = 0;
        for (p, r) in rows(id) {
            let Some(count) = r.value else { continue };
            // The window: the period, or the two years to its end.
            let w_start = if years == 1 {
                p.start()
            } else {
                p.end().add_years(-2).add_days(1)
            };
            let of_child: Vec<Day> = placements[r.child.as_str()]
                .iter()
                .filter(|&&(s, e)| s <= p.end() && e.is_none_or(|e| e > w_start))
                .map(|&(s, _)| s)
                .collect();
            assert_eq!(count, of_child.len() as i64, "{id}: {r:?} {of_child:?}");
            assert_eq!(r.start, of_child.first().copied(), "{id}: {r:?}");
            assert_eq!(r.end, of_child.last().copied(), "{id}: {r:?}");
            checked += 1;
        }
        assert!(checked > 0, "{id}");
    }
}

#[test]
fn dates_documented_as_record_equal_it() {
    use MeasureId as M;
    for &id in MeasureId::ALL {
        let d = id.spec().rows;
        let start_is_record = d.start.is_some_and(|s| s.contains("as `record`"));
        let end_is_record = d.end.is_some_and(|s| s.contains("as `record`"));
        for (_, r) in rows(id) {
            if start_is_record {
                assert_eq!(r.start, r.record, "{id}: {r:?}");
            }
            if end_is_record && r.reason.is_none() {
                assert_eq!(r.end, r.record, "{id}: {r:?}");
            }
        }
    }
    assert!(
        M::ClaCeased
            .spec()
            .rows
            .end
            .unwrap()
            .contains("as `record`")
    );
    assert!(
        M::MissingIncidents
            .spec()
            .rows
            .start
            .unwrap()
            .contains("as `record`")
    );
}

#[test]
fn long_term_stability_rows_carry_the_period_of_care_start() {
    let mut checked = 0;
    for (p, r) in rows(MeasureId::StabilityLongTerm) {
        // Empty for a history-truncated period (its true start is unknown).
        if let (true, Some(start)) = (r.in_denominator, r.start) {
            assert!(start <= p.end().add_months(-30), "{r:?}");
            assert!(start <= r.record.unwrap(), "{r:?}");
            checked += 1;
        }
    }
    assert!(checked > 0);
}
