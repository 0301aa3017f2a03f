//! Coverage of the OC2 measures (`health_assessments`, `dental_checks`, `immunisations`,
//! `health_checks_under_5`, `sdq_average`) and the OC3 measures (the care leavers) by returns that
//! lack a table or a collection year (spec 2.5, 3.1), which the golden corpus cannot express.

use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::records::{CareEpisode, Header, Oc2, Oc3, Ssda903Return};
use csc_measures::result::Warning;
use csc_measures::{Dataset, DatasetBuilder, Day, Period};

const OC2: [MeasureId; 5] = [
    MeasureId::HealthAssessments,
    MeasureId::DentalChecks,
    MeasureId::Immunisations,
    MeasureId::HealthChecksUnder5,
    MeasureId::SdqAverage,
];

const OC3: [MeasureId; 5] = [
    MeasureId::CareLeaversEet1718,
    MeasureId::CareLeaversEet1921,
    MeasureId::CareLeaversAccommodation1718,
    MeasureId::CareLeaversAccommodation1921,
    MeasureId::CareLeaversInTouch,
];

fn d(s: &str) -> Day {
    s.parse().unwrap()
}

fn year(y: i32) -> Period {
    Period::financial_year(y).unwrap()
}

/// A return of collection year `y` (`None`: unknown) holding `tables` (every table when `None`):
/// child A (aged 4) and B (aged 10) looked after since 2020 with every OC2 field 1 and a score of
/// 10; care leaver C (19 in 2023-24) in touch, in education, in suitable accommodation; care
/// leaver D (17) the same.
fn ssda(y: Option<i32>, tables: Option<&[&str]>) -> Ssda903Return {
    let mut r = Ssda903Return::default();
    r.source.collection_year = y;
    r.source.tables = tables.map(|t| t.iter().map(|&n| n.into()).collect());
    for (child, dob) in [
        ("A", "2019-06-01"),
        ("B", "2013-06-01"),
        ("C", "2004-06-01"),
        ("D", "2006-06-01"),
    ] {
        r.headers.push(Header {
            child: child.into(),
            dob: Some(d(dob)),
            ..Default::default()
        });
    }
    for (child, dec) in [
        ("A", None),
        ("B", None),
        ("C", Some("2022-06-01")),
        ("D", Some("2022-06-01")),
    ] {
        r.episodes.push(CareEpisode {
            child: child.into(),
            decom: d("2020-01-01"),
            dec: dec.map(d),
            rne: "S".into(),
            ls: "C2".into(),
            place: "U1".into(),
            rec: if dec.is_some() {
                "E8".into()
            } else {
                "".into()
            },
            ..Default::default()
        });
    }
    if tables.is_none_or(|t| t.contains(&"OC2")) {
        for child in ["A", "B"] {
            r.oc2.push(Oc2 {
                child: child.into(),
                sdq_score: Some(10),
                health_check: Some(true),
                immunisations: Some(true),
                teeth_check: Some(true),
                health_assessment: Some(true),
                ..Default::default()
            });
        }
    }
    if tables.is_none_or(|t| t.contains(&"OC3")) {
        for child in ["C", "D"] {
            r.oc3.push(Oc3 {
                child: child.into(),
                in_touch: "YES".into(),
                activ: "F1".into(),
                accom: "S1".into(),
                ..Default::default()
            });
        }
    }
    r
}

fn dataset(returns: Vec<Ssda903Return>) -> Dataset {
    let mut b = DatasetBuilder::new();
    for r in returns {
        b = b.ssda903(r);
    }
    b.build().unwrap()
}

fn is_no_data(ds: &Dataset, id: MeasureId, period: Period) -> bool {
    let r = compute(ds, id, period, &Options::default());
    let no_data = r.warnings == [Warning::NoData];
    if no_data {
        assert!(r.numerator.is_none() && r.denominator.is_none() && r.value.is_none());
        assert!(r.rows.is_empty() && r.excluded.is_empty(), "{id}");
    }
    no_data
}

#[test]
fn every_table_held_computes() {
    let ds = dataset(vec![ssda(Some(2024), None)]);
    for id in OC2.into_iter().chain(OC3) {
        let r = compute(&ds, id, year(2024), &Options::default());
        assert!(r.warnings.is_empty(), "{id}: {:?}", r.warnings);
        let want = match id {
            MeasureId::HealthAssessments | MeasureId::DentalChecks | MeasureId::Immunisations => 2,
            _ => 1,
        };
        assert_eq!(r.denominator, Some(want), "{id}");
    }
    let r = compute(&ds, MeasureId::SdqAverage, year(2024), &Options::default());
    assert_eq!((r.numerator, r.value), (Some(10), Some(10.0)));
}

#[test]
fn return_without_the_table_is_no_data() {
    // The return of 2.5 holds Header and Episodes only: every OC2 and OC3 measure is no_data,
    // though children are looked after.
    let ds = dataset(vec![ssda(Some(2024), Some(&["Header", "Episodes"]))]);
    for id in OC2.into_iter().chain(OC3) {
        assert!(is_no_data(&ds, id, year(2024)), "{id}");
    }
    // OC2 held, OC3 not: the OC2 measures compute, the care leavers are no_data.
    let ds = dataset(vec![ssda(Some(2024), Some(&["Header", "Episodes", "OC2"]))]);
    for id in OC2 {
        assert!(!is_no_data(&ds, id, year(2024)), "{id}");
    }
    for id in OC3 {
        assert!(is_no_data(&ds, id, year(2024)), "{id}");
    }
}

#[test]
fn table_held_without_rows_is_covered() {
    // A header-only OC2 file: covered; every cohort child is excluded no_outcome_record.
    let mut r = ssda(Some(2024), Some(&["Header", "Episodes", "OC2", "OC3"]));
    r.oc2.clear();
    r.oc3.clear();
    let ds = dataset(vec![r]);
    let h = compute(
        &ds,
        MeasureId::HealthAssessments,
        year(2024),
        &Options::default(),
    );
    assert!(h.warnings.is_empty());
    assert_eq!(
        (h.numerator, h.denominator, h.value),
        (Some(0), Some(0), None)
    );
    assert_eq!(h.excluded.values().sum::<u64>(), 2);
    // No OC3 rows: no population, 0 of 0, not no_data.
    let c = compute(
        &ds,
        MeasureId::CareLeaversInTouch,
        year(2024),
        &Options::default(),
    );
    assert!(c.warnings.is_empty());
    assert_eq!((c.numerator, c.denominator), (Some(0), Some(0)));
    assert!(c.rows.is_empty());
}

#[test]
fn only_another_year_holds_the_table() {
    // 2023-24 holds OC2 and OC3; 2024-25 (the return of 2.5 for a period ending in it) does not.
    let ds = dataset(vec![
        ssda(Some(2024), None),
        ssda(Some(2025), Some(&["Header", "Episodes"])),
    ]);
    for id in OC2.into_iter().chain(OC3) {
        assert!(is_no_data(&ds, id, year(2025)), "{id}");
        assert!(!is_no_data(&ds, id, year(2024)), "{id}");
    }
}

#[test]
fn unknown_collection_year_is_never_covered() {
    // No collection year given and no episode to derive one from: the year is unknown, so the OC3
    // rows are never used and the OC3 measures are no_data (spec 2.5, 3.1: "never").
    let mut r = ssda(None, None);
    r.episodes.clear();
    let ds = dataset(vec![r]);
    for id in OC2.into_iter().chain(OC3) {
        assert!(is_no_data(&ds, id, year(2024)), "{id}");
    }
    // A year derived from the latest DECOM (2019-20) is known, but not the period's.
    let ds = dataset(vec![ssda(None, None)]);
    for id in OC2.into_iter().chain(OC3) {
        assert!(is_no_data(&ds, id, year(2024)), "{id}");
        assert!(!is_no_data(&ds, id, year(2020)), "{id}");
    }
}

#[test]
fn duplicate_collection_year_the_table_in_either_return() {
    // Two returns of 2023-24: the first holds OC2, the later does not. The period is covered and
    // the first return's rows are read (the later holds none for the child).
    let ds = dataset(vec![
        ssda(Some(2024), None),
        ssda(Some(2024), Some(&["Header", "Episodes"])),
    ]);
    let r = compute(
        &ds,
        MeasureId::HealthAssessments,
        year(2024),
        &Options::default(),
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!((r.numerator, r.denominator), (Some(2), Some(2)));
}
