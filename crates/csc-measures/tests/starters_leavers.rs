//! Children starting and ceasing to be looked after, and UASC at the end (spec 5.1): the cases the
//! golden corpus cannot express (returns that lack a table; data-quality entries).

use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::records::{CareEpisode, Ssda903Return, Uasc};
use csc_measures::result::{Extra, Warning};
use csc_measures::{Dataset, DatasetBuilder, Day, Period};

fn d(s: &str) -> Day {
    s.parse().unwrap()
}

fn episode(child: &str, decom: &str, dec: Option<&str>, rec: &str) -> CareEpisode {
    CareEpisode {
        child: child.into(),
        decom: d(decom),
        dec: dec.map(d),
        rne: "S".into(),
        ls: "C2".into(),
        place: "U1".into(),
        rec: rec.into(),
        ..Default::default()
    }
}

fn ret(year: i32, tables: Option<&[&str]>, episodes: Vec<CareEpisode>) -> Ssda903Return {
    let mut r = Ssda903Return::default();
    r.source.collection_year = Some(year);
    r.source.tables = tables.map(|t| t.iter().map(|&n| n.into()).collect());
    r.episodes = episodes;
    r
}

fn build(returns: Vec<Ssda903Return>) -> Dataset {
    let mut b = DatasetBuilder::new();
    for r in returns {
        b.add_ssda903(r);
    }
    b.build().unwrap()
}

const NO_UASC: &[&str] = &["Header", "Episodes"];

#[test]
fn edge_uasc_no_table_is_no_data() {
    // EDGE_UASC_NO_TABLE: CSV returns without a UASC file: cla_uasc_at_end has no data.
    let ds = build(vec![ret(
        2024,
        Some(NO_UASC),
        vec![episode("A", "2023-05-01", None, "")],
    )]);
    let r = compute(
        &ds,
        MeasureId::ClaUascAtEnd,
        Period::financial_year(2024).unwrap(),
        &Options::default(),
    );
    assert_eq!((r.numerator, r.denominator, r.value), (None, None, None));
    assert_eq!(r.warnings, vec![Warning::NoData]);
    assert!(r.rows.is_empty());
    // With the table (header-only), the same data is covered: 0 of 1.
    let mut tables = NO_UASC.to_vec();
    tables.push("UASC");
    let ds = build(vec![ret(
        2024,
        Some(&tables),
        vec![episode("A", "2023-05-01", None, "")],
    )]);
    let r = compute(
        &ds,
        MeasureId::ClaUascAtEnd,
        Period::financial_year(2024).unwrap(),
        &Options::default(),
    );
    assert_eq!((r.numerator, r.denominator), (Some(0), Some(1)));
    assert!(r.warnings.is_empty());
}

#[test]
fn cla_started_without_uasc_table_is_table_missing_and_uasc_unknown() {
    let ds = build(vec![ret(
        2024,
        Some(NO_UASC),
        vec![episode("A", "2023-05-01", None, "")],
    )]);
    let r = compute(
        &ds,
        MeasureId::ClaStarted,
        Period::financial_year(2024).unwrap(),
        &Options::default(),
    );
    assert_eq!(r.numerator, Some(1));
    assert_eq!(r.warnings, vec![Warning::TableMissing]);
    assert_eq!(r.extras.get("uasc"), Some(&Extra::Int(None)));
    assert_eq!(
        r.extras.get("uasc_rate_per_10000"),
        Some(&Extra::Float(None))
    );
}

#[test]
fn cla_started_uasc_from_the_deciding_return() {
    let mut r = ret(2024, None, vec![episode("A", "2023-05-01", None, "")]);
    r.uasc = vec![Uasc {
        child: "A".into(),
        ..Default::default()
    }];
    let ds = build(vec![r]);
    let r = compute(
        &ds,
        MeasureId::ClaStarted,
        Period::financial_year(2024).unwrap(),
        &Options::default(),
    );
    assert_eq!(r.extras.int("uasc"), Some(1));
    assert!(r.warnings.is_empty());
}

#[test]
fn edge_ccs_legacy_codes_outside_their_years_are_reported_and_counted() {
    // EDGE_CCS_LEGACY: E43 in a 2017-18 return is valid (no entry); E45 in a 2017-18 return is
    // valid from 2018-19 only: an unknown_code entry, and still in the numerator.
    let ds = build(vec![ret(
        2018,
        None,
        vec![
            episode("A", "2017-05-01", Some("2017-09-01"), "E43"),
            episode("B", "2017-05-01", Some("2017-09-01"), "E45"),
        ],
    )]);
    let unknown: Vec<&str> = ds
        .issues()
        .iter()
        .filter(|i| i.code.as_str() == "unknown_code")
        .filter_map(|i| i.child.as_deref())
        .collect();
    assert_eq!(unknown, vec!["B"]);
    let r = compute(
        &ds,
        MeasureId::ClaCeasedSgo,
        Period::financial_year(2018).unwrap(),
        &Options::default(),
    );
    assert_eq!((r.numerator, r.denominator), (Some(2), Some(2)));
}

#[test]
fn edge_ccx_repair_excluded_from_every_share() {
    // EDGE_CCX_REPAIR: an open episode of 2022-23 not resubmitted in 2023-24 (whose return holds
    // Episodes but not the child) is closed on 2023-04-01: excluded end_by_repair everywhere.
    let ds = build(vec![
        ret(2023, None, vec![episode("A", "2022-10-01", None, "")]),
        ret(2024, None, vec![episode("B", "2023-05-01", None, "")]),
    ]);
    for id in [
        MeasureId::ClaCeased,
        MeasureId::ClaCeasedAdopted,
        MeasureId::ClaCeasedSgo,
        MeasureId::ClaCeasedCao,
        MeasureId::ClaCeasedReturnedHome,
    ] {
        let r = compute(
            &ds,
            id,
            Period::financial_year(2024).unwrap(),
            &Options::default(),
        );
        assert_eq!(r.numerator, Some(0), "{id}");
        assert_eq!(r.rows.len(), 1, "{id}");
        assert_eq!(
            r.rows[0].reason.map(csc_measures::result::Reason::as_str),
            Some("end_by_repair"),
            "{id}"
        );
    }
}
