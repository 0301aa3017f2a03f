//! The command under hostile and careless input (issue 16): values that a spreadsheet or a
//! terminal would act on, numbers past every sane bound, empty ids, a reader that goes away. Each
//! test names the defect of the reliability report it guards (D4, D5, D10 to D13, D20, D21).

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

mod common;
use common::{bin, ok, run, temp_dir};

const HEADER: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";

/// The status and standard error of a command that must fail.
fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(1), "{args:?} did not fail");
    assert!(out.stdout.is_empty(), "{args:?} wrote output");
    String::from_utf8(out.stderr).unwrap()
}

/// An SSDA903 folder holding one `episodes.csv` of `rows` after the header.
fn episodes(name: &str, rows: &str) -> PathBuf {
    let d = temp_dir("csc-cli-hostile", name);
    std::fs::write(d.join("episodes.csv"), format!("{HEADER}\n{rows}")).unwrap();
    d
}

fn arg(year: i32, p: &Path) -> String {
    format!("{year}={}", p.display())
}

/// The child ids of the reliability report's D4: each one a formula to Excel or `LibreOffice`.
const FORMULA_ROWS: &str = "=1+1,01/04/2023,S,C2,N1,ZZ,PR1,,,,,,\n\
\"+cmd|' /C calc'!A0\",01/04/2023,S,C2,N1,U1,PR1,,,,,,\n\
@SUM(1+1),01/04/2023,S,C2,N1,U1,PR1,,,,,,\n\
-2+3,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n";

/// The second field of each CSV line after the header, as written (no quoting here).
fn cells(text: &str, column: usize) -> Vec<String> {
    text.lines()
        .skip(1)
        .map(|l| l.split(',').nth(column).unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn d4_csv_for_people_never_starts_a_cell_with_a_formula_and_csv_raw_keeps_the_data() {
    let d = episodes("formula", FORMULA_ROWS);
    let ret = arg(2024, &d);
    let records = d.join("records.csv");
    let records_arg = records.display().to_string();
    let base = [
        "compute",
        "--ssda903",
        &ret,
        "--year",
        "2024",
        "--measure",
        "cla_at_end",
        "--records",
        &records_arg,
    ];
    ok(&base);
    let text = std::fs::read_to_string(&records).unwrap();
    let mut children = cells(&text, 1);
    children.sort();
    assert_eq!(
        children,
        ["'+cmd|' /C calc'!A0", "'-2+3", "'=1+1", "'@SUM(1+1)"],
        "{text}"
    );

    let mut raw = base.to_vec();
    raw.push("--csv-raw");
    ok(&raw);
    let text = std::fs::read_to_string(&records).unwrap();
    let mut children = cells(&text, 1);
    children.sort();
    assert_eq!(
        children,
        ["+cmd|' /C calc'!A0", "-2+3", "=1+1", "@SUM(1+1)"],
        "{text}"
    );

    // The cleaned tables: the child is the first column.
    let table = ok(&["tables", "--table", "care_episodes", "--ssda903", &ret]);
    let mut children = cells(&table, 0);
    children.sort();
    assert_eq!(
        children,
        ["'+cmd|' /C calc'!A0", "'-2+3", "'=1+1", "'@SUM(1+1)"],
        "{table}"
    );
    let table = ok(&[
        "tables",
        "--table",
        "care_episodes",
        "--ssda903",
        &ret,
        "--csv-raw",
    ]);
    assert!(table.lines().any(|l| l.starts_with("=1+1,")), "{table}");

    // The work list: the unknown PLACE of child "=1+1" is an entry naming the child.
    let check = ok(&["check", "--ssda903", &ret, "--format", "csv"]);
    let entry = check
        .lines()
        .find(|l| l.contains(",unknown_code,"))
        .unwrap_or_else(|| panic!("no unknown_code entry:\n{check}"));
    assert!(entry.contains(",'=1+1,"), "{entry}");
    let check = ok(&["check", "--ssda903", &ret, "--format", "csv", "--csv-raw"]);
    assert!(check.contains(",=1+1,"), "{check}");
}

#[test]
fn d5_a_sample_too_big_to_make_is_refused_at_once() {
    let err = fails(&["summary", "--sample-children", "4294967295"]);
    assert!(err.contains("error [invalid_request]"), "{err}");
    assert!(
        err.contains("4294967295 children is more than the 5000000"),
        "{err}"
    );
}

#[test]
fn d5_synth_refuses_more_children_than_it_may_make_before_making_any() {
    let d = temp_dir("csc-cli-hostile", "children");
    let out_arg = d.join("out").display().to_string();
    let mut child = bin()
        .args([
            "synth",
            "--out",
            &out_arg,
            "--children",
            "4294967295",
            "--years",
            "2024",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Refused at once: a command that starts making four thousand million children is stopped
    // here before it takes the machine's memory.
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(5) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("synth --children 4294967295 was not refused at once");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error [invalid_request]"), "{err}");
    assert!(
        err.contains(
            "--children 4294967295: a sample of 4294967295 children is more than the 5000000"
        ),
        "{err}"
    );
    assert!(!d.join("out").exists(), "synth wrote something");
}

#[test]
fn d10_every_numeric_option_is_bounded_with_its_name_value_and_range() {
    for (option, named) in [
        ("a3_months=2147483648", "a3_months=\"2147483648\""),
        ("a3_months=121", "a3_months=\"121\""),
        ("assessment_limit_wd=4294967296", "assessment_limit_wd"),
        (
            "adoption_thresholds=a1:-5",
            "a1:-5 is outside 0 to 3650 days",
        ),
        (
            "adoption_thresholds=a2:9223372036854775807",
            "adoption_thresholds",
        ),
        (
            "adoption_thresholds=a10:3651",
            "a10:3651 is outside 0 to 3650",
        ),
    ] {
        let err = fails(&[
            "compute",
            "--sample-children",
            "300",
            "--option",
            option,
            "--measure",
            "adoption_a1",
        ]);
        assert!(err.contains("error [invalid_option]"), "{option}: {err}");
        assert!(err.contains(named), "{option}: {err}");
    }
}

#[test]
fn d11_an_empty_measure_id_is_an_error_not_every_measure() {
    for args in [
        &["compute", "--measure", ""][..],
        &["compute", "--measure", "referrals,"][..],
        &["series", "--measure", " "][..],
    ] {
        let mut a = args.to_vec();
        a.extend(["--sample-children", "300"]);
        let err = fails(&a);
        assert!(err.contains("error [unknown_measure]"), "{a:?}: {err}");
        assert!(err.contains("an empty measure id"), "{a:?}: {err}");
    }
}

/// Runs `args` with a standard output whose reader has already gone: every write to it fails with
/// a broken pipe.
fn with_closed_stdout(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    bin()
        .args(args)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs")
}

#[test]
fn d12_a_reader_that_goes_away_ends_every_command_quietly_with_status_0() {
    let d = temp_dir("csc-cli-hostile", "closed");
    let synth_out = d.join("synth").display().to_string();
    let sample = ["--sample-children", "300"];
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["summary"],
        vec!["report"],
        vec!["report", "--format", "markdown"],
        vec!["report", "--format", "json"],
        vec!["report", "--format", "html"],
        vec!["compute"],
        vec!["compute", "--format", "csv"],
        vec!["series", "--measure", "referrals"],
        vec!["tables", "--table", "placements"],
    ];
    for c in &mut commands {
        c.extend(sample);
    }
    commands.extend([
        vec!["workdays", "2024-03-28", "2024-04-02"],
        vec!["compute", "--measure", "list"],
        vec!["options"],
        vec!["measures"],
        vec!["--help"],
        vec![
            "synth",
            "--out",
            &synth_out,
            "--children",
            "10",
            "--years",
            "2024",
        ],
    ]);
    for c in &commands {
        let out = with_closed_stdout(c);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{c:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{c:?}: {err}");
        assert!(err.is_empty(), "{c:?}: {err}");
    }
    // synth wrote its files whatever became of its lines.
    assert!(d.join("synth/2024/cin.xml").is_file());
}

#[test]
fn d13_check_never_writes_a_control_character_from_the_input_to_the_terminal() {
    let d = episodes(
        "control",
        "\u{1b}[31mRED\u{1b}[0m,01/04/2023,S,C2,N1,ZZ,PR1,,,,,,\n\
         B\u{0}\u{7}\u{9b}2J,01/04/2023,S,C2,N1,ZZ,PR1,,,,,,\n",
    );
    // Header text inside a message: a table whose header sets the terminal's title.
    std::fs::write(d.join("other.csv"), "X\u{1b}]0;pwned\u{7},Y\n1,2\n").unwrap();
    let ret = arg(2024, &d);
    let out = run(&["check", "--ssda903", &ret, "--all"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(text.contains("child \\u{1b}[31mRED\\u{1b}[0m"), "{text}");
    assert!(text.contains("child B\\0\\u{7}\\u{9b}2J"), "{text}");
    assert!(text.contains("X\\u{1b}]0;pwned\\u{7}"), "{text}");
    // The same entries as warnings on standard error, escaped as well.
    for args in [
        &["summary", "--ssda903", &ret][..],
        &["compute", "--ssda903", &ret],
    ] {
        let out = run(args);
        for stream in [&out.stdout, &out.stderr] {
            let s = String::from_utf8_lossy(stream);
            assert!(
                !s.chars().any(|c| c.is_control() && c != '\n'),
                "{args:?}: {s:?}"
            );
        }
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("pwned"),
            "{args:?}: the warning is not shown"
        );
    }
}

#[test]
fn d20_synth_refuses_years_it_cannot_make_instead_of_moving_them() {
    let d = temp_dir("csc-cli-hostile", "years");
    let out = d.join("out");
    let out_arg = out.display().to_string();
    let err = fails(&[
        "synth",
        "--out",
        &out_arg,
        "--children",
        "10",
        "--years",
        "9999-10000",
    ]);
    assert!(err.contains("error [invalid_request]"), "{err}");
    assert!(err.contains("--years 9999-10000"), "{err}");
    assert!(err.contains("9999"), "{err}");
    assert!(err.contains("1920 to 2190"), "{err}");
    assert!(!out.join("2190").exists(), "a clamped year was written");
    let err = fails(&["synth", "--out", &out_arg, "--years", "1900"]);
    assert!(err.contains("1900"), "{err}");
}

#[test]
fn d21_a_year_outside_is_refused_naming_the_year_given() {
    for format in ["table", "json", "html", "markdown"] {
        for year in ["2", "3", "999", "10000"] {
            let err = fails(&[
                "report",
                "--sample-children",
                "300",
                "--year",
                year,
                "--format",
                format,
            ]);
            assert!(
                err.contains("error [invalid_period]"),
                "{year} {format}: {err}"
            );
            assert!(
                err.contains(&format!("year {year} is not a financial year")),
                "{year} {format}: {err}"
            );
            assert!(err.contains("1000 to 9999"), "{err}");
        }
    }
    let err = fails(&["compute", "--sample-children", "300", "--year", "2"]);
    assert!(err.contains("year 2 is not a financial year"), "{err}");
    let err = fails(&["tables", "--table", "placements", "--year", "3"]);
    assert!(err.contains("year 3 is not a financial year"), "{err}");
}

#[test]
fn d21_a_title_names_the_timescale_in_force() {
    let base = ["compute", "--sample-children", "300", "--year", "2024"];
    let csv = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend(extra);
        a.extend(["--format", "csv"]);
        ok(&a)
    };
    let text = csv(&["--measure", "assessments_45wd"]);
    assert!(
        text.contains(",Assessments completed within 45 working days,"),
        "{text}"
    );
    let text = csv(&[
        "--measure",
        "assessments_45wd,icpc_15wd,adoption_a3",
        "--option",
        "assessment_limit_wd=20",
        "--option",
        "icpc_limit_wd=10",
        "--option",
        "a3_months=12",
    ]);
    assert!(
        text.contains(",Assessments completed within 20 working days,"),
        "{text}"
    );
    assert!(!text.contains("45 working days"), "{text}");
    assert!(
        text.contains("within 10 working days of the section 47 start"),
        "{text}"
    );
    assert!(
        text.contains("less than 12 months from entering care"),
        "{text}"
    );

    let mut a = base.to_vec();
    a.extend([
        "--measure",
        "assessments_45wd",
        "--option",
        "assessment_limit_wd=20",
        "--format",
        "json",
    ]);
    let j: serde_json::Value = serde_json::from_str(&ok(&a)).unwrap();
    assert_eq!(
        j["measures"][0]["title"],
        "Assessments completed within 20 working days"
    );
    // The scorecard page, with its trend's label.
    let html = ok(&[
        "report",
        "--sample-children",
        "300",
        "--year",
        "2024",
        "--format",
        "html",
        "--option",
        "assessment_limit_wd=20",
    ]);
    assert!(html.contains("Assessments completed within 20 working days"));
    assert!(!html.contains("Assessments completed within 45 working days"));
    // Scoped to another measure, the option leaves this title alone.
    let text = csv(&[
        "--measure",
        "assessments_45wd",
        "--option",
        "icpc_15wd.icpc_limit_wd=5",
    ]);
    assert!(text.contains("within 45 working days"), "{text}");
}
