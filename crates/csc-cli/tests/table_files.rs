//! `synth --format parquet|arrow` and `--tables`: the synthetic returns written as table files
//! load to the results of the same returns written as XML and CSV.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{ok, run, temp_dir};

const YEARS: [&str; 3] = ["2022", "2023", "2024"];

fn synth(dir: &Path, format: &str) {
    ok(&[
        "synth",
        "--out",
        &dir.to_string_lossy(),
        "--children",
        "1500",
        "--years",
        "2022-2024",
        "--seed",
        "11",
        "--format",
        format,
    ]);
}

/// The returns' flags of a folder written as XML and CSV.
fn return_flags(dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for y in YEARS {
        v.push("--cin".to_owned());
        v.push(format!("{y}={}", dir.join(y).join("cin.xml").display()));
        v.push("--ssda903".to_owned());
        v.push(format!("{y}={}", dir.join(y).join("ssda903").display()));
    }
    v
}

/// `value` without what says where rows came from (files and lines differ by format).
fn without_locations(value: &mut Value) {
    match value {
        Value::Object(m) => {
            for key in ["file", "line", "path", "files", "description"] {
                m.remove(key);
            }
            m.values_mut().for_each(without_locations);
        }
        Value::Array(a) => a.iter_mut().for_each(without_locations),
        _ => {}
    }
}

fn json(command: &str, inputs: &[String], extra: &[&str]) -> Value {
    let mut args: Vec<&str> = vec![command];
    args.extend(inputs.iter().map(String::as_str));
    args.extend(extra);
    let mut v: Value = serde_json::from_str(&ok(&args)).unwrap();
    without_locations(&mut v);
    v
}

#[test]
fn parquet_and_arrow_tables_load_to_the_results_of_the_returns() {
    let dir = temp_dir("csc-cli-tables", "same");
    let (returns, parquet, arrow) = (dir.join("xml"), dir.join("pq"), dir.join("ipc"));
    synth(&returns, "returns");
    synth(&parquet, "parquet");
    synth(&arrow, "arrow");
    assert!(parquet.join("Episodes.parquet").exists());
    assert!(parquet.join("CINdetails.parquet").exists());
    assert!(arrow.join("Episodes.arrow").exists());
    let xml = return_flags(&returns);
    let tables = |d: &Path| vec!["--tables".to_owned(), d.display().to_string()];
    for y in ["2023", "2024"] {
        let expected = json("compute", &xml, &["--year", y, "--format", "json"]);
        assert_eq!(
            expected["measures"].as_array().map(Vec::len),
            Some(csc_measures::MeasureId::ALL.len())
        );
        for d in [&parquet, &arrow] {
            let got = json("compute", &tables(d), &["--year", y, "--format", "json"]);
            assert_eq!(got, expected, "{} {y}", d.display());
        }
    }
    // The same entries, by code and count, and the same summary.
    let expected = json("check", &xml, &["--format", "json"]);
    for d in [&parquet, &arrow] {
        assert_eq!(json("check", &tables(d), &["--format", "json"]), expected);
    }
    let summary = |args: &[String]| {
        let mut a = vec!["summary"];
        a.extend(args.iter().map(String::as_str));
        ok(&a).lines().skip(1).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(summary(&tables(&parquet)), summary(&xml));
    // One year of the folder, as YEAR=PATH.
    let one = format!("2024={}", parquet.display());
    let out = ok(&["summary", "--tables", &one]);
    assert!(out.contains("1 inputs of table files (2 returns)"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_json_request_takes_table_files() {
    let dir = temp_dir("csc-cli-tables", "json");
    synth(&dir, "parquet");
    let request = serde_json::json!({ "tables": [dir.display().to_string()], "year": 2024 });
    let r = csc_api::Request::from_json(&request.to_string()).unwrap();
    let loaded = csc_api::load(&r.inputs, &|_| {}).unwrap();
    assert_eq!(loaded.dataset.returns().len(), 6);
    let s = loaded.dataset.summary();
    let out = ok(&["summary", "--tables", &dir.to_string_lossy()]);
    assert!(out.contains(&format!("{}", s.cin_episodes)), "{out} {s:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_table_files_are_errors_naming_them() {
    let dir = temp_dir("csc-cli-tables", "bad");
    let path = dir.join("Episodes.parquet");
    std::fs::write(&path, b"not parquet").unwrap();
    let out = run(&["compute", "--tables", &path.to_string_lossy()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&*path.to_string_lossy()), "{err}");
    assert!(err.contains("not a Parquet or Arrow IPC file"), "{err}");
    let out = run(&["summary", "--tables", "2024=/no/such/folder"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/no/such/folder: no such file or folder"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
