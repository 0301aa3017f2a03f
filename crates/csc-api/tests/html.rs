//! The panel's HTML scorecard: every indicator, in its section, escaped, no child identifier
//! unless asked for, the data-quality summary, and DfE's comparators beside the computed values.

use csc_api::render::html::Page;
use csc_api::{ReportQuery, Scorecard, Section};
use csc_measures::DatasetBuilder;
use csc_measures::measure::MeasureId;
use csc_measures::records::{Assessment, CinEpisode, CinReturn};

fn dataset(child: &str) -> csc_measures::Dataset {
    let mut ret = CinReturn::default();
    ret.source.collection_year = Some(2024);
    ret.episodes.push(CinEpisode {
        child: child.into(),
        referral_date: "2023-06-01".parse().unwrap(),
        ..Default::default()
    });
    ret.assessments.push(Assessment {
        child: child.into(),
        episode_referral_date: "2023-06-01".parse().unwrap(),
        start_date: Some("2023-06-02".parse().unwrap()),
        authorisation_date: Some("2023-06-20".parse().unwrap()),
        ..Default::default()
    });
    DatasetBuilder::new().cin(ret).build().unwrap()
}

#[test]
fn every_indicator_once_in_its_section_and_values_escaped() {
    let child = "<script>alert(1)</script>&\"C0000042\"";
    let ds = dataset(child);
    let card = Scorecard::report(&ds, &ReportQuery::default()).unwrap();
    let html = csc_api::render::html::scorecard(
        &card,
        &Page {
            source: "returns <2024>",
            issues: ds.issues(),
            ..Page::default()
        },
    );
    for &id in MeasureId::ALL {
        let tag = format!("data-measure=\"{id}\"");
        assert_eq!(html.matches(&tag).count(), 1, "{id}");
        let section = html.find(&format!("<section id=\"{}\"", Section::of(id).as_str()));
        assert!(
            section.is_some_and(|s| s < html.find(&tag).unwrap()),
            "{id}"
        );
    }
    assert!(html.contains("returns &lt;2024&gt;"));
    assert!(!html.contains("<script") && !html.contains("C0000042"));
    assert!(html.contains("default-src 'none'"));
    // The data-quality summary closes the page; no data for the SSDA903 measures says so.
    let dq = html
        .find("<section id=\"data-quality\" data-role=\"data-quality\">")
        .unwrap();
    assert!(html.rfind("data-measure=").unwrap() < dq);
    assert!(html.contains(">no data<"));
    // Asked for, the records list the children, escaped.
    let with_rows = Scorecard::report(
        &ds,
        &ReportQuery {
            records: true,
            ..ReportQuery::default()
        },
    )
    .unwrap();
    let html = csc_api::render::html::scorecard(
        &with_rows,
        &Page {
            records: true,
            ..Page::default()
        },
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;C0000042&quot;"));
    assert!(!html.contains("<script"));
}

#[test]
fn a_small_denominator_is_flagged_and_the_trend_drawn() {
    let ds = dataset("A");
    let card = Scorecard::report(&ds, &ReportQuery::default()).unwrap();
    let line = card
        .lines
        .iter()
        .find(|l| l.current.id == MeasureId::Assessments45wd)
        .unwrap();
    assert!(line.is_small());
    assert_eq!(line.trend.len(), 24);
    // Before the one return's year there is no data; its last month has the one assessment.
    assert!(line.trend[0].no_data && line.trend[23].value == Some(100.0));
    let html = csc_api::render::html::scorecard(&card, &Page::default());
    let row = &html[html.find("data-measure=\"assessments_45wd\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("Small number") && row.contains("<polyline"),
        "{row}"
    );
    assert!(row.contains("data-value=\"100.0\""), "{row}");
    let json = card.to_json();
    let j = json["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "assessments_45wd")
        .unwrap();
    assert_eq!(
        (j["small"].as_bool(), j["display"].as_str()),
        (Some(true), Some("100.0%"))
    );
    assert_eq!(j["trend"].as_array().unwrap().len(), 24);
}

#[test]
fn la_and_neighbours_need_published_tables() {
    let ds = dataset("A");
    let e = Scorecard::report(
        &ds,
        &ReportQuery {
            la: Some("807".into()),
            ..ReportQuery::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.kind(), csc_measures::ErrorKind::InvalidRequest);
}

fn peer_data() -> Option<std::path::PathBuf> {
    let d = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/peer-data/dfe-published");
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!("skipped: {} is absent", d.display());
        None
    }
}

#[test]
fn published_comparators_sit_beside_the_computed_values() {
    let Some(dir) = peer_data() else { return };
    let ds = csc_synth::dataset(&csc_synth::Config {
        children: 2_000,
        ..Default::default()
    })
    .unwrap();
    let card = Scorecard::report(
        &ds,
        &ReportQuery {
            year: Some(2024),
            published: vec![dir],
            la: Some("807".into()),
            neighbours: vec![
                "805".into(),
                "806".into(),
                "808".into(),
                "390".into(),
                "850".into(),
            ],
            trend_months: 0,
            ..ReportQuery::default()
        },
    )
    .unwrap();
    let line = |id| card.lines.iter().find(|l| l.current.id == id).unwrap();
    let d3 = line(MeasureId::CppSecondOrSubsequent)
        .comparison
        .as_ref()
        .unwrap();
    assert_eq!(d3.year, 2024);
    assert_eq!(d3.england.as_ref().unwrap().text, "24.7");
    assert_eq!(d3.own.as_ref().unwrap().text, "26.7");
    let (name, region) = d3.region.as_ref().unwrap();
    assert_eq!(
        (name.as_str(), region.text.as_str()),
        ("North East", "25.7")
    );
    assert_eq!(d3.neighbours.as_ref().unwrap().3, 5);
    // Synthetic data against Redcar's own figures: the reconciliation lists each line and says
    // where they differ.
    let labels: Vec<&str> = d3.reconciliation.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["value", "numerator", "denominator"]);
    let c2 = line(MeasureId::Assessments45wd)
        .comparison
        .as_ref()
        .unwrap();
    assert!(
        c2.reconciliation
            .iter()
            .any(|l| l.label == "41-45" && l.published == "806")
    );
    assert!(line(MeasureId::Referrals).comparison.is_none());
    let html = csc_api::render::html::scorecard(
        &card,
        &Page {
            comparators: true,
            ..Page::default()
        },
    );
    assert!(html.contains("England 24.7") && html.contains("North East 25.7"));
    assert!(html.contains("Not in the published tables given"));
}

#[test]
fn targets_are_met_by_polarity() {
    let ds = dataset("A");
    let card = Scorecard::report(
        &ds,
        &ReportQuery {
            trend_months: 0,
            targets: csc_api::parse_targets(&[
                "assessments_45wd=100",
                "re_referrals_12m=10",
                "referrals=5",
            ])
            .unwrap(),
            ..ReportQuery::default()
        },
    )
    .unwrap();
    let line = |id| card.lines.iter().find(|l| l.current.id == id).unwrap();
    // 1 of 1 within 45 working days: 100% meets a target of 100 (higher is better).
    assert_eq!(line(MeasureId::Assessments45wd).meets_target(), Some(true));
    // No re-referral: 0% is at most 10% (lower is better).
    assert_eq!(line(MeasureId::ReReferrals12m).meets_target(), Some(true));
    // A volume has no better direction.
    assert_eq!(line(MeasureId::Referrals).meets_target(), None);
    assert_eq!(line(MeasureId::CinAtEnd).target, None);
    let html = csc_api::render::html::scorecard(&card, &Page::default());
    assert!(html.contains("Target 100.0%: met"));
    assert_eq!(card.to_json()["lines"][2]["meets_target"], true);
}
