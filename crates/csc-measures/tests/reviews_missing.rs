//! Coverage of `cla_reviews_on_time`, `missing_children`, `missing_incidents` and
//! `adoption_decision_to_match` by returns that lack a table (spec 3.1: `no_data` for a required
//! table, `table_missing` for a table read), which the golden corpus cannot express.

use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::records::{Ad1, CareEpisode, Missing, Review, Ssda903Return};
use csc_measures::result::{Extra, Warning};
use csc_measures::{Dataset, DatasetBuilder, Day, Period};

fn d(s: &str) -> Day {
    s.parse().unwrap()
}

fn year(y: i32) -> Period {
    Period::financial_year(y).unwrap()
}

/// A return of collection year `y` holding `tables` (every table when `None`), with child A looked
/// after from 2022-06-01, one review, one missing incident and one adoption (child B).
fn ssda(y: i32, tables: Option<&[&str]>) -> Ssda903Return {
    let mut r = Ssda903Return::default();
    r.source.collection_year = Some(y);
    r.source.tables = tables.map(|t| t.iter().map(|&n| n.into()).collect());
    r.episodes.push(CareEpisode {
        child: "A".into(),
        decom: d("2022-06-01"),
        rne: "S".into(),
        ls: "C2".into(),
        place: "U1".into(),
        ..Default::default()
    });
    r.episodes.push(CareEpisode {
        child: "B".into(),
        decom: d("2022-01-01"),
        dec: Some(d(&format!("{y}-01-15"))),
        rne: "S".into(),
        ls: "E1".into(),
        place: "A4".into(),
        rec: "E11".into(),
        ..Default::default()
    });
    if tables.is_none_or(|t| t.contains(&"Reviews")) {
        r.reviews.push(Review {
            child: "A".into(),
            review: d(&format!("{}-06-01", y - 1)),
            ..Default::default()
        });
    }
    if tables.is_none_or(|t| t.contains(&"Missing")) {
        r.missing.push(Missing {
            child: "A".into(),
            missing: "M".into(),
            mis_start: d(&format!("{}-06-01", y - 1)),
            mis_end: Some(d(&format!("{}-06-03", y - 1))),
            ..Default::default()
        });
    }
    if tables.is_none_or(|t| t.contains(&"AD1")) {
        r.ad1.push(Ad1 {
            child: "B".into(),
            date_int: Some(d("2022-03-01")),
            date_match: Some(d("2022-05-01")),
            ..Default::default()
        });
    }
    r
}

fn build(returns: Vec<Ssda903Return>) -> Dataset {
    let mut b = DatasetBuilder::new();
    for r in returns {
        b.add_ssda903(r);
    }
    b.build().unwrap()
}

const BASE: &[&str] = &["Header", "Episodes"];

#[test]
fn without_a_reviews_table_cla_reviews_on_time_has_no_data() {
    let ds = build(vec![ssda(2024, Some(BASE))]);
    let r = compute(
        &ds,
        MeasureId::ClaReviewsOnTime,
        year(2024),
        &Options::default(),
    );
    assert!(r.is_no_data(), "{:?}", r.warnings);
    assert_eq!((r.numerator, r.denominator, r.value), (None, None, None));
    assert!(r.rows.is_empty() && r.excluded.is_empty());
    // With the table, even empty, the measure is computed: A is overdue.
    let ds = build(vec![ssda(2024, Some(&["Header", "Episodes", "Reviews"]))]);
    let r = compute(
        &ds,
        MeasureId::ClaReviewsOnTime,
        year(2024),
        &Options::default(),
    );
    assert_eq!((r.numerator, r.denominator), (Some(0), Some(1)));
    assert_eq!(r.warnings, [Warning::InsufficientHistory]);
}

#[test]
fn cla_reviews_on_time_is_a_snapshot_covered_by_the_return_of_its_end() {
    // 2023-24 holds Reviews, 2024-25 does not: the year 2024-25 is not covered (its end lies in
    // the return without the table); the year 2023-24 is.
    let ds = build(vec![
        ssda(2024, Some(&["Header", "Episodes", "Reviews"])),
        ssda(2025, Some(BASE)),
    ]);
    let r = compute(
        &ds,
        MeasureId::ClaReviewsOnTime,
        year(2025),
        &Options::default(),
    );
    assert!(r.is_no_data());
    let r = compute(
        &ds,
        MeasureId::ClaReviewsOnTime,
        year(2024),
        &Options::default(),
    );
    assert!(!r.is_no_data());
    // A, and B, whose adoption the later return moved to 2025-01-15.
    assert_eq!(r.denominator, Some(2));
    assert!(
        !r.warnings.contains(&Warning::TableMissing),
        "{:?}",
        r.warnings
    );
}

#[test]
fn without_a_missing_table_the_missing_measures_have_no_data() {
    let ds = build(vec![ssda(2024, Some(BASE))]);
    for id in [MeasureId::MissingChildren, MeasureId::MissingIncidents] {
        let r = compute(&ds, id, year(2024), &Options::default());
        assert!(r.is_no_data(), "{id}: {:?}", r.warnings);
        assert!(r.rows.is_empty());
        assert!(r.extras.iter().all(|(_, e)| *e == Extra::Null), "{id}");
    }
    let ds = build(vec![ssda(2024, Some(&["Header", "Episodes", "Missing"]))]);
    let r = compute(
        &ds,
        MeasureId::MissingChildren,
        year(2024),
        &Options::default(),
    );
    // A with its incident; B, looked after until its adoption, without one.
    assert_eq!((r.numerator, r.denominator), (Some(1), Some(2)));
    let r = compute(
        &ds,
        MeasureId::MissingIncidents,
        year(2024),
        &Options::default(),
    );
    assert_eq!(r.numerator, Some(1));
    assert_eq!(r.extras.int("children"), Some(1));
    assert_eq!(
        r.extras.get("mean_per_child"),
        Some(&Extra::Float(Some(1.0)))
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn a_rolling_period_is_covered_by_the_return_with_the_missing_table_and_says_table_missing() {
    // 2023-24 lacks Missing, 2024-25 holds it: a rolling year over both is covered (an event
    // measure reads every day), and the return without the table gives table_missing.
    let ds = build(vec![
        ssda(2024, Some(BASE)),
        ssda(2025, Some(&["Header", "Episodes", "Missing"])),
    ]);
    let rolling = Period::new(d("2023-10-01"), d("2024-09-30")).unwrap();
    for id in [MeasureId::MissingChildren, MeasureId::MissingIncidents] {
        let r = compute(&ds, id, rolling, &Options::default());
        assert!(!r.is_no_data(), "{id}");
        assert_eq!(r.numerator, Some(1), "{id}");
        assert_eq!(r.warnings, [Warning::TableMissing], "{id}");
    }
}

#[test]
fn without_ad1_decision_to_match_is_computed_with_table_missing() {
    let ds = build(vec![ssda(2024, Some(BASE))]);
    let r = compute(
        &ds,
        MeasureId::AdoptionDecisionToMatch,
        year(2024),
        &Options::default(),
    );
    assert_eq!(r.warnings, [Warning::TableMissing]);
    assert_eq!((r.numerator, r.denominator), (Some(0), Some(0)));
    assert_eq!(r.excluded.len(), 1);
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.extras.get("mean"), Some(&Extra::Float(None)));
    assert!(r.extras.get("threshold").is_none());
    // With AD1: included, 61 days, no warning.
    let ds = build(vec![ssda(2024, Some(&["Header", "Episodes", "AD1"]))]);
    let r = compute(
        &ds,
        MeasureId::AdoptionDecisionToMatch,
        year(2024),
        &Options::default(),
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(
        (r.numerator, r.denominator, r.value),
        (Some(61), Some(1), Some(61.0))
    );
    assert_eq!(r.extras.get("mean"), Some(&Extra::Float(Some(61.0))));
}

#[test]
fn every_table_held_by_a_return_built_in_code() {
    let ds = build(vec![ssda(2024, None)]);
    let r = compute(
        &ds,
        MeasureId::ClaReviewsOnTime,
        year(2024),
        &Options::default(),
    );
    assert!(!r.is_no_data());
    let r = compute(
        &ds,
        MeasureId::MissingChildren,
        year(2024),
        &Options::default(),
    );
    assert_eq!(r.numerator, Some(1));
}
