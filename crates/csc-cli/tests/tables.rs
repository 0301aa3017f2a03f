//! `csc-measures tables` (the cleaned care episodes, periods of care and placements as CSV) and
//! `csc-measures measures` (what one drill-down row of each measure holds), run as a user runs
//! them; and the `start` and `end` of the `--records` CSV.

use std::path::{Path, PathBuf};

use csc_measures::cleaned::CleanedTable;
use csc_measures::measure::MeasureId;
use csc_measures::records::ReturnKind;
use csc_measures::{Dataset, Day, Period};
use serde_json::Value;

mod common;
use common::{ok, run, temp_dir};

/// The sample the command builds for `--sample-children 600`.
fn sample() -> Dataset {
    csc_synth::dataset(&csc_synth::Config {
        children: 600,
        ..csc_synth::Config::default()
    })
    .unwrap()
}

fn csv_of(t: &csc_measures::cleaned::Table<'_>) -> String {
    let mut out = Vec::new();
    t.write_csv(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn tables_csv_equals_the_dataset_tables() {
    let ds = sample();
    let dir = temp_dir("csc-cli-tables", "sample");
    for t in CleanedTable::ALL {
        let path = dir.join(format!("{t}.csv"));
        ok(&[
            "tables",
            "--table",
            t.as_str(),
            "--sample-children",
            "600",
            "--out",
            path.to_str().unwrap(),
        ]);
        let text = std::fs::read_to_string(&path).unwrap();
        let want = t.of(&ds);
        assert!(want.rows() > 0, "{t}: the sample has rows");
        assert_eq!(text, csv_of(&want), "{t}");
        assert_eq!(text.lines().count(), want.rows() + 1, "{t}");
        // Standard output carries the same, and `--year` the rows overlapping that year.
        let stdout = ok(&["tables", "--table", t.as_str(), "--sample-children", "600"]);
        assert_eq!(stdout, text, "{t}");
        let year = ok(&[
            "tables",
            "--table",
            t.as_str(),
            "--sample-children",
            "600",
            "--year",
            "2024",
        ]);
        let fy = want.overlapping(Period::financial_year(2024).unwrap());
        assert!(0 < fy.rows() && fy.rows() < want.rows(), "{t}");
        assert_eq!(year, csv_of(&fy), "{t}");
    }
}

#[test]
fn placements_agree_with_the_care_episodes() {
    let ds = sample();
    let eps = ok(&[
        "tables",
        "--table",
        "care_episodes",
        "--sample-children",
        "600",
    ]);
    let pls = ok(&[
        "tables",
        "--table",
        "placements",
        "--sample-children",
        "600",
    ]);
    let mut lines = eps.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (short, placement, start) = (col("short_break"), col("placement"), col("placement_start"));
    // Every placement of the episodes, as (child, number, start), once each.
    let mut from_episodes: Vec<(String, String, String)> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| c[short] == "false")
        .map(|c| {
            (
                c[0].to_owned(),
                c[placement].to_owned(),
                c[start].to_owned(),
            )
        })
        .collect();
    from_episodes.dedup();
    let placements: Vec<(String, String, String)> = pls
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[0].to_owned(), c[2].to_owned(), c[3].to_owned())
        })
        .collect();
    assert_eq!(from_episodes, placements);
    assert_eq!(
        placements.len(),
        ds.care().new_placement.iter().filter(|&&b| b).count()
    );
}

#[test]
fn tables_refuses_an_unknown_table_and_a_bad_year() {
    let out = run(&["tables", "--table", "episodes"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("care_episodes") && err.contains("placements"),
        "{err}"
    );
    let out = run(&["tables", "--table", "placements", "--year", "99999"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("99999"));
}

/// The SSDA903 CSV folders of the public cs-demand-model sample, when present.
fn demand_model_years() -> Vec<(i32, PathBuf)> {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peer-data/cs-demand-model");
    (2017..=2021)
        .map(|y| (y, root.join(y.to_string())))
        .filter(|(_, p)| p.join("episodes.csv").exists())
        .collect()
}

#[test]
fn tables_of_real_format_returns_equal_the_dataset_tables() {
    let years = demand_model_years();
    if years.is_empty() {
        eprintln!("skipped: ../shared/peer-data/cs-demand-model is absent");
        return;
    }
    let specs: Vec<String> = years
        .iter()
        .map(|(y, p)| format!("{y}={}", p.display()))
        .collect();
    let inputs = csc_api::Inputs {
        returns: specs
            .iter()
            .map(|s| csc_api::Input::parse(ReturnKind::Ssda903, s).unwrap())
            .collect(),
        frames: Vec::new(),
        sample: None,
        strict: false,
    };
    let loaded = csc_api::load(&inputs, &|_| {}).unwrap();
    for t in CleanedTable::ALL {
        let mut args = vec!["tables", "--table", t.as_str()];
        for s in &specs {
            args.extend(["--ssda903", s.as_str()]);
        }
        let want = t.of(&loaded.dataset);
        assert!(want.rows() > 100, "{t}: the sample has rows");
        assert_eq!(ok(&args), csv_of(&want), "{t}");
    }
}

#[test]
fn measures_lists_what_every_row_holds() {
    let j: Value = serde_json::from_str(&ok(&["measures", "--format", "json"])).unwrap();
    let all = j.as_array().unwrap();
    assert_eq!(all.len(), MeasureId::ALL.len());
    for (m, id) in all.iter().zip(MeasureId::ALL) {
        let d = id.spec().rows;
        assert_eq!(m["id"], id.as_str());
        assert_eq!(m["rows"]["per"], d.per);
        assert_eq!(m["rows"]["record"], d.record);
        assert_eq!(m["rows"]["value"], d.value);
        assert_eq!(m["rows"]["start"].as_str(), d.start);
        assert_eq!(m["rows"]["end"].as_str(), d.end);
    }
    let text = ok(&["measures"]);
    assert!(text.contains(
        "adoption_a1  A1: average days from entering care to moving in with the adoptive family\n  one row per  adopted episode\n"
    ));
    assert!(text.contains("  start        entered care: `DECOM`"));
}

#[test]
fn records_carry_the_dates_that_check_the_value() {
    let dir = temp_dir("csc-cli-tables", "records");
    let path = dir.join("rows.csv");
    ok(&[
        "compute",
        "--year",
        "2024",
        "--sample-children",
        "2000",
        "--measure",
        "adoption_a1",
        "--records",
        path.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("measure,child,record,in_denominator,in_numerator,value,reason,start,end")
    );
    let mut checked = 0;
    for l in lines {
        let c: Vec<&str> = l.split(',').collect();
        if c[3] == "true" {
            let (entered, moved_in): (Day, Day) = (c[7].parse().unwrap(), c[8].parse().unwrap());
            let days: i64 = c[5].parse().unwrap();
            assert_eq!(days, i64::from(moved_in.days_since(entered)), "{l}");
            checked += 1;
        }
    }
    assert!(checked > 0, "the sample has adoptions in 2023-24");
}
