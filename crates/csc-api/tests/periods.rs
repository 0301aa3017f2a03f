//! Report periods as people give them, the year a report chooses and why, and "no data" said in
//! words on every surface (issue 14, parts 3 and 7; spec 3.1 and 6.2).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use csc_api::render::text::NO_DATA_TEXT;
use csc_api::scorecard::{ReportPeriod, report_window, shift};
use csc_api::{
    Direction, Input, Inputs, PeriodSpec, ReportQuery, Request, Scorecard, Series, SeriesKind,
};
use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::records::ReturnKind;
use csc_measures::{Dataset, DatasetBuilder, ErrorKind, Period};
use serde_json::Value;

fn sample() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        csc_synth::dataset(&csc_synth::Config {
            children: 400,
            ..csc_synth::Config::default()
        })
        .unwrap()
    })
}

/// The synthetic authority's SSDA903 returns alone: no CIN census loaded.
fn ssda903_only() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        let s = csc_synth::generate(&csc_synth::Config {
            children: 400,
            ..csc_synth::Config::default()
        });
        s.ssda903
            .into_iter()
            .fold(DatasetBuilder::new(), DatasetBuilder::ssda903)
            .build()
            .unwrap()
    })
}

fn peer_data() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peer-data");
    if p.join("cin-validator-fake/fake_CIN_data.xml").is_file()
        && p.join("ssda903-validator-fake/episodes.csv").is_file()
    {
        Some(p)
    } else {
        eprintln!("note: ../shared/peer-data is absent; skipping");
        None
    }
}

/// The validators' CIN census (2022-23) and SSDA903 return (2017-18), when the peer data is there.
fn validator_pair() -> Option<csc_api::Loaded> {
    let peer = peer_data()?;
    let inputs = Inputs {
        returns: vec![
            Input::parse(
                ReturnKind::Cin,
                peer.join("cin-validator-fake/fake_CIN_data.xml")
                    .to_str()
                    .unwrap(),
            )
            .unwrap(),
            Input::parse(
                ReturnKind::Ssda903,
                peer.join("ssda903-validator-fake").to_str().unwrap(),
            )
            .unwrap(),
        ],
        ..Inputs::default()
    };
    Some(csc_api::load(&inputs, &|_| {}).unwrap())
}

fn line(card: &Scorecard, id: MeasureId) -> &csc_api::ScoreLine {
    card.lines.iter().find(|l| l.current.id == id).unwrap()
}

fn text_line(text: &str, id: MeasureId) -> &str {
    let prefix = format!("{} ", id.as_str());
    text.lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no line for {id} in\n{text}"))
}

fn md_line(md: &str, id: MeasureId) -> &str {
    let prefix = format!("| {} |", id.as_str());
    md.lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no row for {id} in\n{md}"))
}

/// The displayed value of `id` in the HTML page.
fn html_value(html: &str, id: MeasureId) -> String {
    let row = html
        .split(&format!("data-measure=\"{}\"", id.as_str()))
        .nth(1)
        .unwrap();
    let v = row.split("data-field=\"value\">").nth(1).unwrap();
    v[..v.find('<').unwrap()].to_owned()
}

#[test]
fn the_validator_pair_default_report_names_its_year_and_says_no_data_for_ssda903() {
    // Issue 14, part 3: the validators' CIN census is 2022-23, their SSDA903 return 2017-18. The
    // default year is the latest collection year of either kind (spec 6.2): 2023, where the
    // SSDA903 measures have no data; it used to show `cla_at_end 1186, same`.
    let Some(loaded) = validator_pair() else {
        return;
    };
    let ds = &loaded.dataset;
    let card = Scorecard::report(
        ds,
        &ReportQuery {
            trend_months: 0,
            ..ReportQuery::default()
        },
    )
    .unwrap();
    assert_eq!(card.year, 2023);
    assert_eq!(card.period, Period::financial_year(2023).unwrap());
    assert!(
        card.reason.starts_with(
            "the latest collection year loaded (CIN census 2023; SSDA903 2018). No SSDA903 return \
             loaded covers 2022-23: its measures say no data loaded for this period."
        ),
        "{}",
        card.reason
    );
    for id in [
        MeasureId::ClaAtEnd,
        MeasureId::StabilityLongTerm,
        MeasureId::Stability3plusPlacements,
    ] {
        let l = line(&card, id);
        assert!(l.current.is_no_data(), "{id}");
        assert_eq!(l.current.value, None, "{id}");
        assert_eq!(l.direction, Direction::NotComparable, "{id}");
    }
    // The CIN census of 2022-23 is there: referrals have a number.
    assert!(line(&card, MeasureId::Referrals).current.value.is_some());

    let text = card.to_text();
    assert!(
        text.contains(
            "Period 2022-23: the latest collection year loaded (CIN census 2023; SSDA903 2018)"
        ),
        "{text}"
    );
    let cla = text_line(&text, MeasureId::ClaAtEnd);
    assert!(
        cla.contains(NO_DATA_TEXT) && cla.contains("not comparable"),
        "{cla}"
    );
    let md = card.to_markdown();
    assert!(
        md.contains("Period 2022-23: the latest collection year loaded"),
        "{md}"
    );
    assert!(md_line(&md, MeasureId::ClaAtEnd).contains(NO_DATA_TEXT));
    let j = card.to_json();
    assert_eq!(j["year"], 2023);
    assert_eq!(j["period_name"], "2022-23");
    assert_eq!(j["year_reason"], card.reason.as_str());
    let cla = j["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "cla_at_end")
        .unwrap();
    assert_eq!(cla["display"], NO_DATA_TEXT);
    assert_eq!(cla["direction"], "not_comparable");
    assert!(cla["value"].is_null() && cla["numerator"].is_null());
    let html = csc_api::render::html::scorecard(&card, &csc_api::render::html::Page::default());
    assert_eq!(html_value(&html, MeasureId::ClaAtEnd), NO_DATA_TEXT);
    assert!(html.contains("data-field=\"year-reason\">Why this period: the latest collection year loaded (CIN census 2023; SSDA903 2018)"));

    // Asked for 2017-18, the SSDA903 measures have numbers, the CIN ones none, and the year before
    // (no return) is not comparable, never "same".
    let y2018 = Scorecard::build(ds, Some(2018), &Options::default(), false).unwrap();
    assert!(y2018.reason.starts_with("the year asked for (loaded: CIN census 2023; SSDA903 2018). No CIN census return loaded covers 2017-18"), "{}", y2018.reason);
    let cla = line(&y2018, MeasureId::ClaAtEnd);
    assert!(cla.current.value.is_some_and(|v| v > 0.0));
    assert!(cla.previous.is_no_data());
    assert_eq!(cla.direction, Direction::NotComparable);
    assert!(line(&y2018, MeasureId::Referrals).current.is_no_data());
}

#[test]
fn a_year_before_or_after_the_loaded_returns_gives_no_stability_figures() {
    // Issue 14, part 3: `stability_long_term` once read 100% and `stability_3plus_placements`
    // 0.0% for years the SSDA903 return does not cover.
    let Some(loaded) = validator_pair() else {
        return;
    };
    let ds = &loaded.dataset;
    for year in [2016, 2020] {
        let card = Scorecard::build(ds, Some(year), &Options::default(), false).unwrap();
        for id in [
            MeasureId::StabilityLongTerm,
            MeasureId::Stability3plusPlacements,
        ] {
            let l = line(&card, id);
            assert!(l.current.is_no_data(), "{year} {id}");
            assert_eq!(
                (l.current.numerator, l.current.denominator, l.current.value),
                (None, None, None)
            );
            assert_eq!(l.direction, Direction::NotComparable);
            assert!(text_line(&card.to_text(), id).contains(NO_DATA_TEXT));
        }
        assert!(
            card.reason.contains("No SSDA903 return loaded covers"),
            "{}",
            card.reason
        );
    }
}

#[test]
fn with_no_cin_census_loaded_every_cin_measure_says_no_data_in_words() {
    let ds = ssda903_only();
    let card = Scorecard::build(ds, Some(2024), &Options::default(), false).unwrap();
    assert!(
        card.reason.contains(
            "No CIN census return is loaded: its measures say no data loaded for this period."
        ),
        "{}",
        card.reason
    );
    let text = card.to_text();
    let md = card.to_markdown();
    let html = csc_api::render::html::scorecard(&card, &csc_api::render::html::Page::default());
    let cin: Vec<MeasureId> = MeasureId::ALL
        .iter()
        .copied()
        .filter(|id| id.spec().source == ReturnKind::Cin)
        .collect();
    assert!(cin.len() > 20);
    for &id in &cin {
        let l = line(&card, id);
        assert!(l.current.is_no_data(), "{id}");
        assert_eq!(l.direction, Direction::NotComparable, "{id}");
        assert!(text_line(&text, id).contains(NO_DATA_TEXT), "{id}");
        assert!(md_line(&md, id).contains(NO_DATA_TEXT), "{id}");
        assert_eq!(html_value(&html, id), NO_DATA_TEXT, "{id}");
    }
    // The SSDA903 measures have numbers.
    assert!(line(&card, MeasureId::ClaAtEnd).current.value.is_some());
    assert!(!text_line(&text, MeasureId::ClaAtEnd).contains(NO_DATA_TEXT));

    // compute's table says it too, in the value's column.
    let response = csc_api::run(
        ds,
        &csc_api::Query {
            period: PeriodSpec::Year(2024),
            measures: vec![MeasureId::Referrals, MeasureId::ClaAtEnd],
            ..csc_api::Query::default()
        },
    )
    .unwrap();
    let mut out = Vec::new();
    csc_api::render::text::measures("ssda903 only", &response, 0, "", &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        text_line(&out, MeasureId::Referrals).contains(NO_DATA_TEXT),
        "{out}"
    );
    assert!(
        !text_line(&out, MeasureId::ClaAtEnd).contains(NO_DATA_TEXT),
        "{out}"
    );
    let html = csc_api::render::text::response_html(&response);
    assert!(html.contains(&format!("<td>{NO_DATA_TEXT}</td>")), "{html}");
}

#[test]
fn a_report_over_any_period_follows_the_rules_of_the_module_docs() {
    let ds = sample();
    let p = Period::new("2022-10-01".parse().unwrap(), "2023-09-30".parse().unwrap()).unwrap();
    let mut q = ReportQuery {
        trend_months: 3,
        ..ReportQuery::default()
    };
    q.set_period(None, Some("01/10/2022"), Some("30/09/2023"), None, None)
        .unwrap();
    assert_eq!(q.period, Some(p));
    let card = Scorecard::report(ds, &q).unwrap();
    assert_eq!(card.period, p);
    assert_eq!(card.year, 2024);
    assert_eq!(card.period_name(), "2022-10-01 to 2023-09-30");
    assert!(
        card.reason
            .starts_with("the period asked for (loaded: CIN census 2019-2024; SSDA903 2019-2024)."),
        "{}",
        card.reason
    );
    assert!(card.to_text().starts_with("Scorecard for 2022-10-01 to 2023-09-30 (adoption measures over the three years to 30 September 2023)"));
    let o = Options::default();
    for l in &card.lines {
        let id = l.current.id;
        let w = if matches!(
            id,
            MeasureId::AdoptionA1
                | MeasureId::AdoptionA10
                | MeasureId::AdoptionA2
                | MeasureId::AdoptionA3
        ) {
            Period::new("2020-10-01".parse().unwrap(), p.end()).unwrap()
        } else {
            p
        };
        assert_eq!(l.current.period, w, "{id}");
        let mut want = compute(ds, id, w, &o);
        want.rows.clear();
        assert_eq!(l.current, want, "{id}");
        let prev = Period::new(w.start().add_years(-1), w.end().add_years(-1)).unwrap();
        assert_eq!(l.previous.period, prev, "{id}");
        assert_eq!(
            l.direction,
            Direction::of(id.polarity(), l.current.value, l.previous.value)
        );
        let ends: Vec<String> = l.trend.iter().map(|t| t.period.end().to_string()).collect();
        assert_eq!(ends, ["2023-07-31", "2023-08-31", "2023-09-30"], "{id}");
    }

    // The month-end and window give the same period, and the same report.
    let mut rolling = q.clone();
    rolling
        .set_period(None, None, None, Some("09/2023"), Some(12))
        .unwrap();
    assert_eq!(rolling.period, Some(p));
    assert_eq!(Scorecard::report(ds, &rolling).unwrap(), card);
    let mut six = q.clone();
    six.set_period(None, None, None, Some("2023-09-15"), Some(6))
        .unwrap();
    assert_eq!(six.period.unwrap().to_string(), "2023-04-01..=2023-09-30");
}

#[test]
fn a_financial_year_given_as_dates_is_that_year_exactly() {
    // Spec 6.2 rules financial years; the general rules must give the same report for one.
    let ds = sample();
    let by_year = Scorecard::report(
        ds,
        &ReportQuery {
            year: Some(2023),
            trend_months: 13,
            ..ReportQuery::default()
        },
    )
    .unwrap();
    let mut q = ReportQuery {
        trend_months: 13,
        ..ReportQuery::default()
    };
    q.set_period(None, Some("2022-04-01"), Some("31/03/2023"), None, None)
        .unwrap();
    let by_dates = Scorecard::report(ds, &q).unwrap();
    assert_eq!(by_dates.lines, by_year.lines);
    assert_eq!(by_dates.period_name(), "2022-23");
    for l in &by_year.lines {
        let id = l.current.id;
        assert_eq!(
            l.current.period,
            csc_api::scorecard::window(id, 2023).unwrap()
        );
        assert_eq!(
            l.previous.period,
            csc_api::scorecard::window(id, 2022).unwrap()
        );
        // The trend: the window's length in months, ending at each of the 13 month-ends to
        // 31 March 2023.
        let months = if l.current.period.start() < "2022-04-01".parse().unwrap() {
            36
        } else {
            12
        };
        let want = Series::of(
            SeriesKind::Rolling(months),
            "2022-03-01".parse().unwrap(),
            "2023-03-31".parse().unwrap(),
        )
        .unwrap()
        .periods();
        let got: Vec<Period> = l.trend.iter().map(|t| t.period).collect();
        assert_eq!(got, want, "{id}");
    }
}

#[test]
fn windows_and_shifts_keep_month_ends() {
    let p = Period::new("2023-03-01".parse().unwrap(), "2024-02-29".parse().unwrap()).unwrap();
    assert_eq!(
        shift(p, -12).unwrap().to_string(),
        "2022-03-01..=2023-02-28"
    );
    let q = Period::new("2022-03-01".parse().unwrap(), "2023-02-28".parse().unwrap()).unwrap();
    assert_eq!(shift(q, 12).unwrap(), p);
    let odd = Period::new("2023-01-15".parse().unwrap(), "2023-04-14".parse().unwrap()).unwrap();
    assert_eq!(
        shift(odd, -12).unwrap().to_string(),
        "2022-01-15..=2022-04-14"
    );
    // A period longer than three years is the adoption window itself.
    let long = Period::new("2018-04-01".parse().unwrap(), "2024-03-31".parse().unwrap()).unwrap();
    assert_eq!(report_window(MeasureId::AdoptionA2, long).unwrap(), long);
    assert_eq!(report_window(MeasureId::ClaAtEnd, long).unwrap(), long);
}

#[test]
fn report_periods_that_do_not_go_together_are_refused() {
    let mut q = ReportQuery::default();
    for (year, start, end, month, window) in [
        (
            Some(2024),
            Some("2023-04-01"),
            Some("2024-03-31"),
            None,
            None,
        ),
        (Some(2024), None, None, Some("2024-03"), None),
        (None, Some("2023-04-01"), None, None, None),
        (None, None, Some("2024-03-31"), None, None),
        (None, None, None, None, Some(12)),
        (
            None,
            Some("2023-04-01"),
            Some("2024-03-31"),
            Some("2024-03"),
            None,
        ),
        (None, None, None, Some("2024-03"), Some(0)),
        (None, None, None, Some("2024-03"), Some(601)),
    ] {
        let e = q.set_period(year, start, end, month, window).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
    }
    let e = q
        .set_period(None, Some("2023-04-01"), Some("2023/10/01"), None, None)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidDate);
    assert!(
        e.message().starts_with("end \"2023/10/01\" is not a date")
            && e.message()
                .contains("YYYY-MM-DD (2019-10-01) or DD/MM/YYYY (01/10/2019)"),
        "{e}"
    );
    let e = q
        .set_period(None, None, None, Some("Sept 2024"), None)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidDate);
    assert!(e.message().contains("\"Sept 2024\" is not a month"), "{e}");
    // Both set at once on the query: refused by the report.
    let both = ReportQuery {
        year: Some(2024),
        period: Some(Period::financial_year(2024).unwrap()),
        ..ReportQuery::default()
    };
    assert_eq!(
        Scorecard::report(sample(), &both).unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
    // A failed call leaves the query as it was.
    q.set_period(Some(2022), None, None, None, None).unwrap();
    assert!(
        q.set_period(None, Some("x"), Some("y"), None, None)
            .is_err()
    );
    assert_eq!((q.year, q.period), (Some(2022), None));
    // And the default is the latest year: a report with neither.
    let latest =
        Scorecard::build_for(sample(), ReportPeriod::Latest, &Options::default(), false).unwrap();
    assert_eq!(latest.year, 2024);
}

#[test]
fn the_json_request_of_the_c_abi_takes_dates_as_people_type_them() {
    let r = Request::from_json(r#"{"start": "01/10/2019", "end": "31/03/2020"}"#).unwrap();
    let PeriodSpec::Range(p) = r.query.period else {
        panic!("{:?}", r.query.period)
    };
    assert_eq!(p.to_string(), "2019-10-01..=2020-03-31");
    let r = Request::from_json(r#"{"start": "10/2019", "end": "03/2020", "series": "month_end"}"#)
        .unwrap();
    let PeriodSpec::Series(s) = r.query.period else {
        panic!()
    };
    assert_eq!(s.periods().len(), 6);
    for bad in ["01-10-2019", "2019/10/01", "01/10/19", "31/02/2020"] {
        let e = Request::from_json(&format!(r#"{{"start": "{bad}", "end": "2020-03-31"}}"#))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidDate, "{bad}");
        assert!(
            e.message()
                .starts_with(&format!("start {bad:?} is not a date"))
                && e.message().contains("YYYY-MM-DD")
                && e.message().contains("DD/MM/YYYY"),
            "{e}"
        );
    }
}

#[test]
fn scorecard_json_carries_the_period_and_why() {
    let card = Scorecard::build(sample(), None, &Options::default(), false).unwrap();
    let j: Value = card.to_json();
    assert_eq!(j["period"]["start"], "2023-04-01");
    assert_eq!(j["period"]["end"], "2024-03-31");
    assert_eq!(j["period_name"], "2023-24");
    assert_eq!(
        j["year_reason"],
        "the latest collection year loaded (CIN census 2019-2024; SSDA903 2019-2024)."
    );
}

#[test]
fn a_period_other_than_a_financial_year_is_compared_but_not_reconciled() {
    // Published figures are a financial year's: a report over the 12 months to September 2024
    // shows the comparators of 2024-25's table year (or the latest before it) and reconciles
    // nothing; the same report over 2023-24 reconciles.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peer-data/dfe-published");
    if !dir.is_dir() {
        eprintln!("note: {} is absent; skipping", dir.display());
        return;
    }
    let report = |year: Option<i32>, month_end: Option<&str>| {
        let mut q = ReportQuery {
            published: vec![dir.clone()],
            la: Some("807".into()),
            trend_months: 0,
            ..ReportQuery::default()
        };
        q.set_period(year, None, None, month_end, None).unwrap();
        Scorecard::report(sample(), &q).unwrap()
    };
    let d3 = |card: &Scorecard| {
        line(card, MeasureId::CppSecondOrSubsequent)
            .comparison
            .clone()
            .unwrap()
    };
    let fy = d3(&report(Some(2024), None));
    assert_eq!(fy.year, 2024);
    assert!(!fy.reconciliation.is_empty());
    let rolling = report(None, Some("2024-09"));
    assert_eq!(rolling.year, 2025);
    let c = d3(&rolling);
    assert_eq!(c.year, 2024);
    assert_eq!(c.england, fy.england);
    assert!(c.reconciliation.is_empty());
    assert_eq!(c.reconciles(), None);
}
