//! The `csc-measures` command, run as a user runs it.

use std::path::{Path, PathBuf};

use csc_measures::Period;
use csc_measures::measure::{MeasureId, Options, compute_many};
use serde_json::Value;

mod common;
use common::{ok, run, temp_dir};

#[test]
fn compute_json_on_the_sample_equals_the_library() {
    let j: Value =
        serde_json::from_str(&ok(&["compute", "--year", "2024", "--format", "json"])).unwrap();
    assert_eq!(j["period"]["start"], "2023-04-01");
    assert_eq!(j["period"]["end"], "2024-03-31");
    let measures = j["measures"].as_array().unwrap();
    assert_eq!(measures.len(), MeasureId::ALL.len());
    let ds = csc_synth::dataset(&csc_synth::Config::default()).unwrap();
    let expected = compute_many(
        &ds,
        &[],
        Period::financial_year(2024).unwrap(),
        &Options::default(),
    );
    for (m, r) in measures.iter().zip(&expected) {
        assert_eq!(m["id"], r.id.as_str());
        assert_eq!(m["numerator"].as_u64(), r.numerator, "{}", r.id);
        assert_eq!(m["denominator"].as_u64(), r.denominator, "{}", r.id);
        assert_eq!(m["value"].as_f64(), r.value, "{}", r.id);
        for key in [
            "title", "unit", "polarity", "excluded", "warnings", "extras", "options",
        ] {
            assert!(m.get(key).is_some(), "{} lacks {key}", r.id);
        }
    }
    // the sample exercises the measures: none of the headline ratios is empty
    for id in [
        "assessments_45wd",
        "icpc_15wd",
        "cpp_second_or_subsequent",
        "stability_3plus_placements",
    ] {
        let m = measures.iter().find(|m| m["id"] == id).unwrap();
        assert!(
            m["denominator"].as_u64().unwrap() > 0,
            "{id} has an empty denominator on the sample"
        );
    }
}

#[test]
fn records_file_explains_every_number() {
    let dir = temp_dir("csc-cli-test", "records");
    let path = dir.join("rows.csv");
    let out = ok(&[
        "compute",
        "--year",
        "2024",
        "--measure",
        "assessments_45wd,cla_at_end",
        "--format",
        "json",
        "--records",
        path.to_str().unwrap(),
    ]);
    let j: Value = serde_json::from_str(&out).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("measure,child,record,in_denominator,in_numerator,value,reason,start,end")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    for m in j["measures"].as_array().unwrap() {
        let id = m["id"].as_str().unwrap();
        let mine: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == id).collect();
        let num = mine.iter().filter(|r| r[4] == "true").count() as u64;
        assert_eq!(Some(num), m["numerator"].as_u64(), "{id}");
        if let Some(den) = m["denominator"].as_u64() {
            assert_eq!(
                mine.iter().filter(|r| r[3] == "true").count() as u64,
                den,
                "{id}"
            );
        }
        let excluded: u64 = m["excluded"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(
            mine.iter().filter(|r| !r[6].is_empty()).count() as u64,
            excluded,
            "{id}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn table_and_csv_formats() {
    let table = ok(&["compute", "--year", "2024", "--measure", "assessments_45wd"]);
    assert!(table.contains("assessments_45wd"), "{table}");
    assert!(table.contains('%') && table.contains('↑'), "{table}");
    let csv = ok(&["compute", "--year", "2024", "--format", "csv"]);
    assert!(csv.starts_with("id,title,unit,polarity,"));
    assert_eq!(csv.lines().count(), MeasureId::ALL.len() + 1);
    let list = ok(&["compute", "--measure", "list"]);
    assert_eq!(list.lines().count(), MeasureId::ALL.len());
}

#[test]
fn errors_name_what_is_wrong() {
    let out = run(&["compute", "--measure", "assessments_46wd"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown measure \"assessments_46wd\"") && err.contains("assessments_45wd"),
        "{err}"
    );
    let out = run(&["compute", "--option", "working_days=excel"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("working_days=\"excel\""));
    let out = run(&["compute", "--start", "2024-03-01", "--end", "2024-01-01"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("before it starts"));
    let out = run(&["workdays", "2024-01-02", "2024-01-01"]);
    assert!(!out.status.success());
    let out = run(&["compute", "--ssda903", "/no/such/folder"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/folder"));
}

#[test]
fn workdays_conventions() {
    assert_eq!(ok(&["workdays", "2024-03-28", "2024-04-02"]).trim(), "1");
    assert_eq!(
        ok(&[
            "workdays",
            "2024-03-30",
            "2024-04-02",
            "--convention",
            "networkdays"
        ])
        .trim(),
        "0"
    );
    assert_eq!(ok(&["workdays", "2023-04-03", "2023-06-12"]).trim(), "45");
}

#[test]
fn report_in_three_formats() {
    let text = ok(&["report"]);
    assert!(text.contains("Scorecard for 2023-24"), "{text}");
    let md = ok(&["report", "--format", "markdown"]);
    for id in MeasureId::ALL {
        assert!(
            md.contains(&format!("| {} |", id.as_str())),
            "{id} missing from the Markdown"
        );
    }
    let j: Value =
        serde_json::from_str(&ok(&["report", "--format", "json", "--year", "2023"])).unwrap();
    assert_eq!(j["year"], 2023);
    let a1 = j["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "adoption_a1")
        .unwrap();
    assert_eq!(a1["period"]["start"], "2020-04-01");
    assert_eq!(a1["threshold"], 426);
}

/// The whole pipeline: synthetic returns written as real files, read back by `compute`, give the
/// numbers the library gives on the same returns in memory.
#[test]
fn synth_files_through_compute_equal_the_library() {
    let dir = temp_dir("csc-cli-test", "synth");
    ok(&[
        "synth",
        "--out",
        dir.to_str().unwrap(),
        "--children",
        "1500",
        "--years",
        "2022-2024",
        "--seed",
        "9",
    ]);
    let mut args: Vec<String> = vec![
        "compute".into(),
        "--year".into(),
        "2024".into(),
        "--format".into(),
        "json".into(),
    ];
    for y in 2022..=2024 {
        args.push("--cin".into());
        args.push(format!(
            "{y}={}",
            dir.join(format!("{y}/cin.xml")).display()
        ));
        args.push("--ssda903".into());
        args.push(format!(
            "{y}={}",
            dir.join(format!("{y}/ssda903")).display()
        ));
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let j: Value = serde_json::from_str(&ok(&argv)).unwrap();
    let config = csc_synth::Config {
        children: 1500,
        first_year: 2022,
        last_year: 2024,
        seed: 9,
    };
    let ds = csc_synth::dataset(&config).unwrap();
    let expected = compute_many(
        &ds,
        &[],
        Period::financial_year(2024).unwrap(),
        &Options::default(),
    );
    for (m, r) in j["measures"].as_array().unwrap().iter().zip(&expected) {
        assert_eq!(m["numerator"].as_u64(), r.numerator, "{}", r.id);
        assert_eq!(m["denominator"].as_u64(), r.denominator, "{}", r.id);
    }
    let check = ok(&[
        "check",
        "--cin",
        &format!("2024={}", dir.join("2024/cin.xml").display()),
        "--ssda903",
        dir.join("2024/ssda903").to_str().unwrap(),
    ]);
    assert!(check.contains("loaded after the merge"), "{check}");
    let _ = std::fs::remove_dir_all(dir);
}

fn peer_data() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peer-data");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: ../shared/peer-data is absent; skipping");
        None
    }
}

#[test]
fn check_on_the_peer_data_reports_what_a_newcomer_can_act_on() {
    let Some(peer) = peer_data() else { return };
    let fake = peer.join("ssda903-validator-fake");
    let out = ok(&["check", "--ssda903", fake.to_str().unwrap()]);
    assert!(out.contains("data-quality report"), "{out}");
    assert!(out.contains("episodes.csv"), "{out}");
    let cin = peer.join("cin-validator-fake/CIN_Census_2024.xml");
    let out = ok(&["check", "--cin", cin.to_str().unwrap(), "--format", "json"]);
    let j: Value = serde_json::from_str(&out).unwrap();
    assert!(!j["data_quality"].as_array().unwrap().is_empty());
}

/// The message of a failed run: what follows `error [KIND]: ` on standard error.
fn error_of(args: &[&str]) -> (String, String) {
    let out = run(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    let err = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    let rest = err
        .strip_prefix("csc-measures: error [")
        .unwrap_or_else(|| panic!("{err}"));
    let (kind, message) = rest.split_once("]: ").unwrap();
    (kind.to_owned(), message.to_owned())
}

#[test]
fn a_malformed_request_is_refused_with_the_request_layers_error() {
    // The same mistake gives the same kind and message on every surface: the message is the
    // request layer's, which the C and Python tests compare with too.
    let (kind, message) = error_of(&[
        "compute",
        "--year",
        "2024",
        "--start",
        "2023-04-01",
        "--end",
        "2024-03-31",
    ]);
    let want =
        csc_api::PeriodSpec::from_parts(Some(2024), Some("2023-04-01"), Some("2024-03-31"), None)
            .unwrap_err();
    assert_eq!(kind, "invalid_request");
    assert_eq!(message, want.message());
    let (kind, _) = error_of(&["compute", "--start", "2023-04-01"]);
    assert_eq!(kind, "invalid_request");
    let (kind, message) = error_of(&[
        "compute",
        "--series",
        "fortnightly",
        "--start",
        "2023-04-01",
        "--end",
        "2024-03-31",
    ]);
    assert_eq!(kind, "invalid_request");
    assert!(message.contains("rolling:N"), "{message}");
    // Refused before any file is read: the folder named does not exist.
    let (kind, _) = error_of(&[
        "compute",
        "--year",
        "2024",
        "--start",
        "2023-04-01",
        "--ssda903",
        "/no/such/folder",
    ]);
    assert_eq!(kind, "invalid_request");
    let (kind, message) = error_of(&["compute", "--sample-children", "4294967295"]);
    assert_eq!(kind, "invalid_request");
    assert!(message.contains("5000000"), "{message}");
}

#[test]
fn a_series_gives_one_result_per_measure_and_period() {
    let j: Value = serde_json::from_str(&ok(&[
        "compute",
        "--series",
        "rolling:12",
        "--start",
        "2023-04-01",
        "--end",
        "2024-03-31",
        "--measure",
        "referrals,assessments_45wd",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(j["series"], "rolling:12");
    assert_eq!(j["periods"].as_array().unwrap().len(), 12);
    assert_eq!(j["period"]["start"], "2022-05-01");
    assert_eq!(j["period"]["end"], "2024-03-31");
    let measures = j["measures"].as_array().unwrap();
    assert_eq!(measures.len(), 24);
    // The last rolling year is the financial year: the same numbers as --year 2024.
    let year: Value = serde_json::from_str(&ok(&[
        "compute",
        "--year",
        "2024",
        "--measure",
        "referrals,assessments_45wd",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(measures[22]["period"], year["measures"][0]["period"]);
    assert_eq!(measures[22]["numerator"], year["measures"][0]["numerator"]);
    assert_eq!(measures[23]["value"], year["measures"][1]["value"]);
    let csv = ok(&[
        "compute",
        "--series",
        "quarters",
        "--start",
        "2023-04-01",
        "--end",
        "2024-03-31",
        "--measure",
        "referrals",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(lines[4].contains(",2024-01-01,2024-03-31,"), "{csv}");
}

#[test]
fn series_records_name_their_period() {
    let dir = temp_dir("csc-cli-test", "series-records");
    let file = dir.join("records.csv");
    let series = [
        "compute",
        "--series",
        "quarters",
        "--start",
        "2023-04-01",
        "--end",
        "2024-03-31",
        "--measure",
        "referrals",
        "--format",
        "json",
    ];
    let mut args = series.to_vec();
    args.extend(["--records", file.to_str().unwrap()]);
    let j: Value = serde_json::from_str(&ok(&args)).unwrap();
    let csv = std::fs::read_to_string(&file).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "measure,period_start,period_end,child,record,in_denominator,in_numerator,value,reason,start,end"
        )
    );
    // Each row is under one of the four quarters, and every quarter has its rows.
    let rows: Vec<&str> = lines.collect();
    let periods: Vec<String> = j["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "referrals,{},{},",
                p["start"].as_str().unwrap(),
                p["end"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(periods.len(), 4);
    assert!(
        rows.iter()
            .all(|r| periods.iter().any(|p| r.starts_with(p.as_str()))),
        "{csv}"
    );
    for p in &periods {
        assert!(
            rows.iter().any(|r| r.starts_with(p.as_str())),
            "no rows for {p}: {csv}"
        );
    }
}

#[test]
fn population_gives_rates_per_10000_from_pairs_or_a_file() {
    let dir = temp_dir("csc-cli-test", "population");
    let file = dir.join("population.csv");
    std::fs::write(
        &file,
        "year,population,source\n2022,50000,ONS\n2023,40000,ONS\n",
    )
    .unwrap();
    for population in [
        vec!["--population", "2023=40000"],
        vec!["--population", file.to_str().unwrap()],
    ] {
        let mut args = vec![
            "compute",
            "--year",
            "2024",
            "--measure",
            "referrals",
            "--format",
            "json",
        ];
        args.extend(population);
        let j: Value = serde_json::from_str(&ok(&args)).unwrap();
        let m = &j["measures"][0];
        let n = m["numerator"].as_f64().unwrap();
        assert_eq!(m["extras"]["population"], 40000);
        assert_eq!(m["extras"]["population_year"], 2023);
        assert_eq!(
            m["extras"]["rate_per_10000"].as_f64(),
            Some(10000.0 * n / 40000.0)
        );
    }
    let (kind, message) = error_of(&[
        "compute",
        "--population",
        "2023=40000",
        "--population",
        "2023=41000",
    ]);
    assert_eq!(kind, "invalid_input");
    assert!(message.starts_with("population_conflict"), "{message}");
    let (_, message) = error_of(&["compute", "--population", "2023=lots"]);
    assert!(message.starts_with("population_invalid"), "{message}");
}

#[test]
fn options_are_listed_from_their_declarations_and_set_per_measure() {
    let list = ok(&["options"]);
    for d in csc_measures::measure::options::OPTIONS {
        assert!(
            list.contains(&format!("{} (default {})", d.key, d.default)),
            "{}",
            d.key
        );
    }
    let help = ok(&["compute", "--help"]);
    assert!(help.contains("cpp_repeat_2y.unit=children"), "{help}");
    let j: Value = serde_json::from_str(&ok(&[
        "compute",
        "--year",
        "2024",
        "--measure",
        "cpp_repeat_2y,cpp_second_or_subsequent",
        "--option",
        "cpp_repeat_2y.unit=children",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(j["measures"][0]["options"]["unit"], "plans");
    assert_eq!(j["measures"][1]["options"]["unit"], "children");
}

#[test]
fn a_return_whose_every_episode_is_unusable_gives_no_data_not_zero() {
    // EDGE_NODATA_EMPTY_RETURN (spec 3.1): every DECOM has a two-digit year, so no Episodes row is
    // usable and the 2023-24 return covers nothing; the count says "no data", never 0.
    let dir = temp_dir("csc-cli-test", "unusable-episodes");
    std::fs::write(
        dir.join("episodes.csv"),
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         A,01/05/23,S,C2,N1,U1,PR1,,,,,,\n\
         B,02/06/23,S,C2,N1,U1,PR1,,,,,,\n",
    )
    .unwrap();
    let given = format!("2024={}", dir.display());
    let j: Value = serde_json::from_str(&ok(&[
        "compute",
        "--ssda903",
        &given,
        "--year",
        "2024",
        "--measure",
        "cla_at_end",
        "--format",
        "json",
    ]))
    .unwrap();
    let m = &j["measures"][0];
    assert_eq!(m["id"], "cla_at_end");
    assert!(m["numerator"].is_null() && m["value"].is_null(), "{m}");
    assert_eq!(m["warnings"], serde_json::json!(["no_data"]));
    let text = ok(&["report", "--ssda903", &given, "--year", "2024"]);
    let line = text.lines().find(|l| l.starts_with("cla_at_end ")).unwrap();
    assert!(line.contains("no data"), "{line}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_report_shows_rates_per_10000_from_the_population_given() {
    // Spec 8: the year ending 31 March 2024 divides by the mid-2023 estimate.
    let text = ok(&["report", "--population", "2023=63051"]);
    assert!(
        text.lines()
            .any(|h| h.starts_with("measure ") && h.contains("per 10k")),
        "{text}"
    );
    let j: Value = serde_json::from_str(&ok(&[
        "report",
        "--population",
        "2023=63051",
        "--format",
        "json",
    ]))
    .unwrap();
    let line = |id: &str| {
        j["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == id)
            .unwrap()
            .clone()
    };
    let referrals = line("referrals");
    let n = referrals["numerator"].as_f64().unwrap();
    assert_eq!(
        referrals["rate_per_10000"].as_f64(),
        Some(10000.0 * n / 63051.0)
    );
    let rate = format!("{:.1}", 10000.0 * n / 63051.0);
    let row = text.lines().find(|l| l.starts_with("referrals ")).unwrap();
    assert!(row.contains(&rate), "{row}");
    // A measure without a rate has none.
    assert!(line("re_referrals_12m")["rate_per_10000"].is_null());
    // The sample holds SWEpisodes from 2023-24 on, as the return does: before, no data.
    let sw = |year: &str| -> Value {
        let out = ok(&[
            "compute",
            "--year",
            year,
            "--measure",
            "sw_3plus",
            "--format",
            "json",
        ]);
        serde_json::from_str::<Value>(&out).unwrap()["measures"][0].clone()
    };
    assert_eq!(sw("2023")["warnings"], serde_json::json!(["no_data"]));
    assert!(sw("2024")["denominator"].as_u64().is_some_and(|d| d > 0));
}

#[test]
fn series_command_gives_one_long_table_in_three_formats() {
    let sample = "--sample-children=400";
    let csv = ok(&["series", sample, "--measure", "referrals,assessments_45wd"]);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        header[..8],
        [
            "measure",
            "unit",
            "period_start",
            "period_end",
            "numerator",
            "denominator",
            "value",
            "warnings"
        ]
    );
    assert!(header.contains(&"bands.41-45") && header.contains(&"quartiles.median"));
    // Default: rolling 12 months to each of the 24 month-ends to the latest 31 March.
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 48);
    assert_eq!((rows[0][2], rows[0][3]), ("2021-05-01", "2022-04-30"));
    assert_eq!(rows[47][3], "2024-03-31");

    let j: Value = serde_json::from_str(&ok(&[
        "series",
        sample,
        "--kind",
        "quarters",
        "--from",
        "2023-04",
        "--to",
        "2024-03",
        "--measure",
        "assessments_45wd",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(j["series"], "quarters");
    let rows = j["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    let ds = csc_synth::dataset(&csc_synth::Config {
        children: 400,
        ..csc_synth::Config::default()
    })
    .unwrap();
    for row in rows {
        let p = Period::new(
            row["period_start"].as_str().unwrap().parse().unwrap(),
            row["period_end"].as_str().unwrap().parse().unwrap(),
        )
        .unwrap();
        let r = csc_measures::compute(&ds, MeasureId::Assessments45wd, p, &Options::default());
        assert_eq!(row["numerator"], serde_json::json!(r.numerator));
        assert_eq!(row["value"].as_f64(), r.value);
        let bands = r.extras.counts("bands").unwrap();
        assert_eq!(row["bands.same_day"], bands[0].1);
    }

    let (kind, message) = error_of(&["series", sample, "--format", "arrow"]);
    assert_eq!(kind, "invalid_request");
    assert!(message.contains("--out"), "{message}");
    let dir = temp_dir("csc-cli-test", "series-arrow");
    let file = dir.join("s.arrow");
    ok(&[
        "series",
        sample,
        "--format",
        "arrow",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&file).unwrap().starts_with(b"ARROW1"));
    assert!(!run(&["series", "--from", "2023-04"]).status.success());
}

const NO_DATA: &str = "no data loaded for this period";

/// The line of `id` in a text or Markdown scorecard.
fn card_line<'a>(text: &'a str, id: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(&format!("{id} ")) || l.starts_with(&format!("| {id} |")))
        .unwrap_or_else(|| panic!("no line for {id} in\n{text}"))
}

/// The displayed value of `id` in the HTML page.
fn html_value(html: &str, id: &str) -> String {
    let row = html
        .split(&format!("data-measure=\"{id}\""))
        .nth(1)
        .unwrap();
    let v = row.split("data-field=\"value\">").nth(1).unwrap();
    v[..v.find('<').unwrap()].to_owned()
}

#[test]
fn report_takes_any_period_and_says_which_and_why() {
    let small = ["--sample-children", "300"];
    let args = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut a = vec!["report"];
        a.extend(small);
        a.extend(extra);
        a
    };
    let by_dates: Value = serde_json::from_str(&ok(&args(&[
        "--start",
        "01/10/2023",
        "--end",
        "2024-09-30",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(by_dates["period_name"], "2023-10-01 to 2024-09-30");
    assert_eq!(by_dates["period"]["start"], "2023-10-01");
    assert!(
        by_dates["year_reason"]
            .as_str()
            .unwrap()
            .starts_with("the period asked for (loaded: CIN census 2019-2024; SSDA903 2019-2024)"),
        "{}",
        by_dates["year_reason"]
    );
    let referrals = &by_dates["lines"][0];
    assert_eq!(referrals["id"], "referrals");
    assert_eq!(referrals["period"]["end"], "2024-09-30");
    assert_eq!(referrals["previous"]["period"]["start"], "2022-10-01");
    // The 12 months to September 2024 are the same report.
    let rolling: Value = serde_json::from_str(&ok(&args(&[
        "--month-end",
        "2024-09",
        "--window",
        "12",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(rolling, by_dates);
    // The default says which year it chose and why, in every format.
    let text = ok(&args(&[]));
    assert!(
        text.contains(
            "Period 2023-24: the latest collection year loaded (CIN census 2019-2024; SSDA903 2019-2024)."
        ),
        "{text}"
    );
    let md = ok(&args(&["--format", "markdown"]));
    assert!(
        md.contains("Period 2023-24: the latest collection year loaded"),
        "{md}"
    );
    let html = ok(&args(&["--format", "html", "--trend-months", "0"]));
    assert!(html.contains("Why this period: the latest collection year loaded"));
    // Parts that do not go together are refused by clap or by the request layer.
    assert!(
        !run(&args(&[
            "--year",
            "2024",
            "--start",
            "2023-04-01",
            "--end",
            "2024-03-31"
        ]))
        .status
        .success()
    );
    assert!(!run(&args(&["--window", "6"])).status.success());
    let (kind, message) = error_of(&args(&["--month-end", "2024-13"]));
    assert_eq!(kind, "invalid_date");
    assert!(message.contains("\"2024-13\" is not a month"), "{message}");
}

#[test]
fn dates_are_taken_as_iso_or_day_month_year_everywhere() {
    let small = "--sample-children";
    let iso = ok(&[
        "compute",
        small,
        "300",
        "--start",
        "2019-10-01",
        "--end",
        "2020-03-31",
        "--measure",
        "referrals",
        "--format",
        "json",
    ]);
    let dmy = ok(&[
        "compute",
        small,
        "300",
        "--start",
        "01/10/2019",
        "--end",
        "31/03/2020",
        "--measure",
        "referrals",
        "--format",
        "json",
    ]);
    assert_eq!(iso, dmy);
    let j: Value = serde_json::from_str(&dmy).unwrap();
    assert_eq!(j["period"]["start"], "2019-10-01");
    assert_eq!(ok(&["workdays", "28/03/2024", "02/04/2024"]).trim(), "1");
    assert_eq!(ok(&["workdays", "2024-03-28", "2/4/2024"]).trim(), "1");
    let series = ok(&[
        "series",
        small,
        "300",
        "--measure",
        "referrals",
        "--kind",
        "month_end",
        "--from",
        "10/2019",
        "--to",
        "31/12/2019",
    ]);
    assert_eq!(series.lines().count(), 4, "{series}");
    for bad in ["01-10-2019", "2019/10/01", "01/10/19", "31/02/2020"] {
        let (kind, message) = error_of(&["compute", "--start", bad, "--end", "2020-03-31"]);
        assert_eq!(kind, "invalid_date");
        assert!(
            message.starts_with(&format!("start {bad:?} is not a date"))
                && message.contains("YYYY-MM-DD (2019-10-01) or DD/MM/YYYY (01/10/2019)"),
            "{message}"
        );
        let out = run(&["workdays", bad, "2020-03-31"]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("{bad:?} is not a date")) && err.contains("DD/MM/YYYY"),
            "{err}"
        );
    }
}

#[test]
fn the_validator_pair_default_report_says_no_data_for_cla_at_end_and_why() {
    // Issue 14, part 3: CIN census 2022-23 with SSDA903 2017-18; the default year is 2022-23,
    // where `cla_at_end` once read `1186, same`.
    let Some(peer) = peer_data() else { return };
    let cin = peer.join("cin-validator-fake/fake_CIN_data.xml");
    let ssda = peer.join("ssda903-validator-fake");
    let inputs = [
        "--cin",
        cin.to_str().unwrap(),
        "--ssda903",
        ssda.to_str().unwrap(),
    ];
    let with = |extra: &[&str]| {
        let mut a = vec!["report"];
        a.extend(inputs);
        a.extend(extra);
        ok(&a)
    };
    let text = with(&[]);
    assert!(
        text.contains(
            "Period 2022-23: the latest collection year loaded (CIN census 2023; SSDA903 2018). \
             No SSDA903 return loaded covers 2022-23: its measures say no data loaded for this period."
        ),
        "{text}"
    );
    for id in [
        "cla_at_end",
        "stability_long_term",
        "stability_3plus_placements",
    ] {
        let line = card_line(&text, id);
        assert!(
            line.contains(NO_DATA) && line.contains("not comparable"),
            "{line}"
        );
    }
    let md = with(&["--format", "markdown"]);
    assert!(card_line(&md, "cla_at_end").contains(NO_DATA));
    let html = with(&["--format", "html"]);
    assert_eq!(html_value(&html, "cla_at_end"), NO_DATA);
    let j: Value = serde_json::from_str(&with(&["--format", "json"])).unwrap();
    assert_eq!(j["year"], 2023);
    assert!(j["year_reason"].as_str().unwrap().contains("SSDA903 2018"));
    let cla = j["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "cla_at_end")
        .unwrap();
    assert_eq!(
        (&cla["display"], &cla["direction"]),
        (&Value::from(NO_DATA), &Value::from("not_comparable"))
    );
    assert!(cla["value"].is_null());

    // With no CIN census loaded, the CIN measures say it in words on every surface.
    let only = ["report", "--ssda903", ssda.to_str().unwrap()];
    let text = ok(&only);
    assert!(text.contains("No CIN census return is loaded"), "{text}");
    let md = ok(&[&only[..], &["--format", "markdown"]].concat());
    let html = ok(&[&only[..], &["--format", "html"]].concat());
    for id in ["referrals", "assessments_45wd", "cin_at_end", "cpp_at_end"] {
        assert!(card_line(&text, id).contains(NO_DATA), "{id}");
        assert!(card_line(&md, id).contains(NO_DATA), "{id}");
        assert_eq!(html_value(&html, id), NO_DATA, "{id}");
    }
    let compute = ok(&[
        "compute",
        "--ssda903",
        ssda.to_str().unwrap(),
        "--measure",
        "referrals",
    ]);
    assert!(
        card_line(&compute, "referrals").contains(NO_DATA),
        "{compute}"
    );
}

#[test]
fn check_writes_the_work_list_as_csv_or_json_to_a_file() {
    let dir = temp_dir("csc-cli-test", "check-work-list");
    let eps = dir.join("903");
    std::fs::create_dir_all(&eps).unwrap();
    // Every row with a time part on its dates: the table loads nothing.
    std::fs::write(
        eps.join("episodes.csv"),
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         A,2023-04-10 00:00:00,S,C2,N1,U1,PR1,,,,,,\n",
    )
    .unwrap();
    let src = format!("2024={}", eps.display());
    let csv_path = dir.join("work.csv");
    let out = ok(&[
        "check",
        "--ssda903",
        &src,
        "--format",
        "csv",
        "--out",
        csv_path.to_str().unwrap(),
    ]);
    assert!(out.is_empty(), "{out}");
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "grade,severity,code,file,line,path,column,value,child,record,message"
    );
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[1].starts_with("source,skipped,unreadable_date,"),
        "{csv}"
    );
    assert!(
        lines[2].starts_with("loading,warning,all_rows_skipped,"),
        "{csv}"
    );
    let json = ok(&["check", "--ssda903", &src, "--format", "json"]);
    let j: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(j["prominent"][0]["code"], "all_rows_skipped");
    assert_eq!(j["work_list"][1]["codes"][0]["code"], "all_rows_skipped");
    let table = ok(&["check", "--ssda903", &src]);
    assert!(
        table.contains("READ THIS FIRST\n  ! [all_rows_skipped]"),
        "{table}"
    );
    // Every other command says so on standard error: its numbers stand on nothing loaded.
    let out = run(&["compute", "--ssda903", &src, "--measure", "cla_at_end"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("csc-measures: warning [all_rows_skipped] ")
            && err.contains("`csc-measures check` lists every entry"),
        "{err}"
    );
    assert!(run(&["check", "--ssda903", &src]).stderr.is_empty());
    // Strict: an error naming the file, line, column and value.
    let out = run(&["check", "--strict", "--ssda903", &src]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("episodes.csv:2")
            && err.contains("DECOM")
            && err.contains("[unreadable_date]"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_on_a_folder_given_the_wrong_year_names_the_likely_one_first() {
    let Some(peer) = peer_data() else { return };
    let src = format!("2017={}", peer.join("cs-demand-model/2017").display());
    let out = ok(&["check", "--ssda903", &src, "--examples", "0"]);
    let first = out.find("READ THIS FIRST").unwrap();
    let hint = out.find("this is probably the 2018 return").unwrap();
    assert!(first < hint && hint < out.find("file ").unwrap(), "{out}");
    assert!(
        out.contains("== check what was loaded: 1 entry =="),
        "{out}"
    );
}
