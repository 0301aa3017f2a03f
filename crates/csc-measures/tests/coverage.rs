//! Coverage and no data (spec 3.1): which loaded returns cover a period, for every kind of measure.

use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::records::{CareEpisode, CinEpisode, CinReturn, Ssda903Return};
use csc_measures::result::{Extra, Warning};
use csc_measures::{Dataset, DatasetBuilder, Day, Period};

fn d(s: &str) -> Day {
    s.parse().unwrap()
}

fn episode(child: &str, decom: &str) -> CareEpisode {
    CareEpisode {
        child: child.into(),
        decom: d(decom),
        rne: "S".into(),
        ls: "C2".into(),
        place: "U1".into(),
        ..Default::default()
    }
}

fn ssda(year: Option<i32>, tables: Option<&[&str]>) -> Ssda903Return {
    let mut r = Ssda903Return::default();
    r.source.collection_year = year;
    r.source.tables = tables.map(|t| t.iter().map(|&n| n.into()).collect());
    r.episodes.push(episode("A", "2023-05-01"));
    r
}

fn build(cin: Vec<CinReturn>, ssda903: Vec<Ssda903Return>) -> Dataset {
    let mut b = DatasetBuilder::new();
    for r in cin {
        b.add_cin(r);
    }
    for r in ssda903 {
        b.add_ssda903(r);
    }
    b.build().unwrap()
}

fn year(y: i32) -> Period {
    Period::financial_year(y).unwrap()
}

#[test]
fn a_return_without_ad1_covers_adoption_a2_with_table_missing() {
    let ds = build(
        Vec::new(),
        vec![ssda(Some(2024), Some(&["Header", "Episodes"]))],
    );
    let a2 = compute(&ds, MeasureId::AdoptionA2, year(2024), &Options::default());
    assert_eq!(a2.warnings, [Warning::TableMissing]);
    assert_eq!(a2.denominator, Some(0));
    let a1 = compute(&ds, MeasureId::AdoptionA1, year(2024), &Options::default());
    assert!(a1.warnings.is_empty(), "{:?}", a1.warnings);
    // With AD1 held (even empty), no warning.
    let ds = build(
        Vec::new(),
        vec![ssda(Some(2024), Some(&["Header", "Episodes", "AD1"]))],
    );
    let a2 = compute(&ds, MeasureId::AdoptionA2, year(2024), &Options::default());
    assert!(a2.warnings.is_empty(), "{:?}", a2.warnings);
}

#[test]
fn returns_without_a_collection_year_cover_any_period_once_they_have_a_usable_row() {
    // A CIN return without a year or a ReferenceDate has no known year (an SSDA903 return takes
    // its year from its latest DECOM, spec 2.1).
    let mut cin = CinReturn::default();
    cin.episodes.push(CinEpisode {
        child: "A".into(),
        referral_date: d("2023-06-01"),
        ..Default::default()
    });
    let ds = build(vec![cin], Vec::new());
    assert_eq!(ds.returns()[0].collection_year, None);
    let r = compute(&ds, MeasureId::CinAtEnd, year(2030), &Options::default());
    assert_eq!(r.numerator, Some(1));
    assert!(!r.is_no_data());
    // An empty return, with or without a year, covers nothing.
    let ds = build(vec![CinReturn::default()], Vec::new());
    assert!(compute(&ds, MeasureId::CinAtEnd, year(2024), &Options::default()).is_no_data());
    let mut empty = ssda(Some(2024), None);
    empty.episodes.clear();
    let ds = build(Vec::new(), vec![empty]);
    let r = compute(&ds, MeasureId::ClaAtEnd, year(2024), &Options::default());
    assert!(r.is_no_data());
}

#[test]
fn a_snapshot_reads_its_last_day_an_event_measure_every_day() {
    let mut cin = CinReturn::default();
    cin.source.collection_year = Some(2024);
    cin.episodes.push(CinEpisode {
        child: "A".into(),
        referral_date: d("2023-06-01"),
        ..Default::default()
    });
    let ds = build(vec![cin], Vec::new());
    let rolling = Period::new(d("2023-10-01"), d("2024-09-30")).unwrap();
    let snap = compute(&ds, MeasureId::CinAtEnd, rolling, &Options::default());
    assert!(snap.is_no_data());
    assert!(snap.extras.iter().all(|(_, e)| *e == Extra::Null));
    let event = compute(&ds, MeasureId::Referrals, rolling, &Options::default());
    assert_eq!(event.numerator, Some(0));
    assert_eq!(event.warnings, [Warning::PeriodBeyondData]);
    // The same snapshot at 31 March is covered.
    let at_end = compute(&ds, MeasureId::CinAtEnd, year(2024), &Options::default());
    assert_eq!(at_end.numerator, Some(1));
    // A population given for the right year is not missing; a no_data result never says so.
    let mut p = csc_measures::population::Population::new();
    p.insert(2023, 50_000).unwrap();
    let o = Options::default().with_population(std::sync::Arc::new(p));
    let snap = compute(&ds, MeasureId::CinAtEnd, rolling, &o);
    assert_eq!(snap.warnings, [Warning::NoData]);
}
