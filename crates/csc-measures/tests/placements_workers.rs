//! Placement types at the end, two-year stability and social worker stability (spec 5.1): the
//! cases the golden corpus cannot express (returns lacking a table, data-quality entries).

use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::quality::IssueCode;
use csc_measures::records::{CareEpisode, Ssda903Return, SwEpisode};
use csc_measures::result::Warning;
use csc_measures::{Dataset, DatasetBuilder, Day, Period};

/// The tables of an SSDA903 XML return: every table but SWEpisodes (spec 2.3).
const XML_TABLES: &[&str] = &[
    "Header",
    "Episodes",
    "AD1",
    "PlacedAdoption",
    "Reviews",
    "UASC",
    "OC2",
    "OC3",
    "PrevPerm",
    "Missing",
];

fn d(s: &str) -> Day {
    s.parse().unwrap()
}

fn episode(child: &str, decom: &str, place: &str) -> CareEpisode {
    CareEpisode {
        child: child.into(),
        decom: d(decom),
        rne: "S".into(),
        ls: "C2".into(),
        place: place.into(),
        urn: "1".into(),
        ..Default::default()
    }
}

fn worker(child: &str, id: &str, decom: &str) -> SwEpisode {
    SwEpisode {
        child: child.into(),
        sw_id: id.into(),
        sw_decom: d(decom),
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

fn year(y: i32) -> Period {
    Period::financial_year(y).unwrap()
}

#[test]
fn edge_sw_none_xml_only_returns_are_no_data() {
    // EDGE_SW_NONE, second half: XML returns never hold SWEpisodes, so sw_3plus has no data.
    let ds = build(vec![ret(
        2024,
        Some(XML_TABLES),
        vec![episode("A", "2023-05-01", "U1")],
    )]);
    let r = compute(&ds, MeasureId::Sw3plus, year(2024), &Options::default());
    assert!(r.is_no_data());
    assert_eq!(r.warnings, [Warning::NoData]);
    assert_eq!((r.numerator, r.denominator, r.value), (None, None, None));
    assert!(r.rows.is_empty());
    assert!(r.excluded.is_empty());
    // The same return as CSV with an SWEpisodes file (no row for the child): no_sw_episodes.
    let mut tables = XML_TABLES.to_vec();
    tables.push("SWEpisodes");
    let ds = build(vec![ret(
        2024,
        Some(&tables),
        vec![episode("A", "2023-05-01", "U1")],
    )]);
    let r = compute(&ds, MeasureId::Sw3plus, year(2024), &Options::default());
    assert!(!r.is_no_data());
    assert_eq!(
        (r.numerator, r.denominator, r.value),
        (Some(0), Some(0), None)
    );
    assert_eq!(r.rows.len(), 1);
    assert_eq!(
        r.rows[0].reason.map(csc_measures::result::Reason::as_str),
        Some("no_sw_episodes")
    );
}

#[test]
fn sw_3plus_history_counts_only_returns_holding_swepisodes() {
    // 2023-24 loaded without SWEpisodes, 2024-25 with: a rolling year ending 2024-09-30 is covered
    // (its end lies in 2024-25), but W reaches into 2023-24, which has no SWEpisodes table.
    let mut with = ret(2025, None, vec![episode("A", "2024-05-01", "U1")]);
    with.sw_episodes.push(worker("A", "P1", "2024-05-01"));
    let without = ret(
        2024,
        Some(XML_TABLES),
        vec![episode("B", "2023-05-01", "U1")],
    );
    let ds = build(vec![without, with]);
    let period = Period::new(d("2023-10-01"), d("2024-09-30")).unwrap();
    let r = compute(&ds, MeasureId::Sw3plus, period, &Options::default());
    assert!(!r.is_no_data());
    assert!(
        r.warnings.contains(&Warning::InsufficientHistory),
        "{:?}",
        r.warnings
    );
    assert!(
        !r.warnings.contains(&Warning::TableMissing),
        "{:?}",
        r.warnings
    );
    // A: 1 worker. B was not resubmitted in 2024-25: closed on 2024-04-01, no row.
    assert_eq!((r.numerator, r.denominator), (Some(0), Some(1)));
    // The year 2024-25 alone: W is 2024-25, covered by a return holding SWEpisodes.
    let r = compute(&ds, MeasureId::Sw3plus, year(2025), &Options::default());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn edge_pt_k3_early_is_reported_and_still_classified() {
    let early = ret(2024, None, vec![episode("A", "2023-05-01", "K3")]);
    let ds = build(vec![early]);
    assert!(
        ds.issues()
            .iter()
            .any(|i| i.code == IssueCode::UnknownCode && i.child.as_deref() == Some("A")),
        "K3 in a 2023-24 return is reported unknown_code"
    );
    let r = compute(
        &ds,
        MeasureId::PlacedSupportedAtEnd,
        year(2024),
        &Options::default(),
    );
    assert_eq!((r.numerator, r.denominator), (Some(1), Some(1)));

    let late = ret(2026, None, vec![episode("A", "2025-05-01", "H5")]);
    let ds = build(vec![late]);
    assert!(
        ds.issues()
            .iter()
            .any(|i| i.code == IssueCode::UnknownCode && i.child.as_deref() == Some("A")),
        "H5 in a 2025-26 return is reported unknown_code"
    );
    let r = compute(
        &ds,
        MeasureId::PlacedSupportedAtEnd,
        year(2026),
        &Options::default(),
    );
    assert_eq!((r.numerator, r.denominator), (Some(1), Some(1)));

    // Valid in its years: no entry.
    let ds = build(vec![ret(
        2025,
        None,
        vec![episode("A", "2024-05-01", "K3")],
    )]);
    assert!(!ds.issues().iter().any(|i| i.code == IssueCode::UnknownCode));
}

#[test]
fn placement_shares_partition_the_children_looked_after() {
    // Every child counted by cla_at_end is in each share's denominator, and in at most one
    // numerator.
    let eps = vec![
        episode("A", "2023-05-01", "U1"),
        episode("B", "2023-05-01", "K1"),
        episode("C", "2023-05-01", "P2"),
        episode("D", "2023-05-01", "R1"),
        episode("E", "2023-05-01", "T4"),
    ];
    let ds = build(vec![ret(2024, None, eps)]);
    let opts = Options::default();
    let cla = compute(&ds, MeasureId::ClaAtEnd, year(2024), &opts);
    let mut total = 0;
    for id in [
        MeasureId::PlacedFosterAtEnd,
        MeasureId::PlacedChildrensHomesAtEnd,
        MeasureId::PlacedSupportedAtEnd,
    ] {
        let r = compute(&ds, id, year(2024), &opts);
        assert_eq!(r.denominator, cla.numerator, "{id}");
        assert_eq!(r.numerator, Some(1), "{id}");
        total += r.numerator.unwrap();
    }
    assert_eq!(total, 3);
}

#[test]
fn stability_2y_without_returns_covering_w_warns() {
    let eps = vec![episode("A", "2022-05-01", "U1")];
    let ds = build(vec![ret(2024, None, eps.clone())]);
    let r = compute(
        &ds,
        MeasureId::Stability3plusPlacements2y,
        year(2024),
        &Options::default(),
    );
    assert!(r.warnings.contains(&Warning::InsufficientHistory));
    let ds = build(vec![ret(2023, None, eps.clone()), ret(2024, None, eps)]);
    let r = compute(
        &ds,
        MeasureId::Stability3plusPlacements2y,
        year(2024),
        &Options::default(),
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!((r.numerator, r.denominator), (Some(0), Some(1)));
}
