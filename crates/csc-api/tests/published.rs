//! DfE's published tables: the reader's rules on small inline files (markers, byte-order mark,
//! both forms of `time_period`, errors that name the line, column and value), the lookups,
//! comparators and reconciliation, and the same on DfE's real C2 and D3 files when they are
//! present beside the repository.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use csc_api::published::{
    self, Area, Comparators, Figure, Level, Marker, Number, Published, PublishedTable, TableId,
    reconcile,
};
use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::records::{Assessment, CinReturn, CpPlan};
use csc_measures::{Calendar, DatasetBuilder, Day, ErrorKind, Period, WorkingDays};

const GEOGRAPHY: &str = "time_period,time_identifier,geographic_level,country_code,country_name,\
                         region_code,region_name,old_la_code,new_la_code,la_name";
const D3_COLUMNS: &str = "category,CPP_start,CPP_subsequent,CPP_subsequent_percent";
const C2_COLUMNS: &str = "category,Assessments_completed,Same_day,1-10_days,11-20_days,\
                          21-30_days,31-40_days,41-45_days,46-50_days,51-60_days,61+_days,\
                          25th_Percentile_days,Median_days,75th_Percentile_days";

/// A D3 file: the header, then `rows` (each the part after the geography columns).
fn d3(rows: &[(&str, &str)]) -> String {
    let mut s = format!("{GEOGRAPHY},{D3_COLUMNS}\n");
    for (geo, figures) in rows {
        writeln!(s, "{geo},Plans,{figures}").unwrap();
    }
    s
}

const ENGLAND_2024: &str = "2024,Reporting year,National,E92000001,England,,,,,";
const NORTH_EAST_2024: &str =
    "2024,Reporting year,Regional,E92000001,England,E12000001,North East,,,";
const REDCAR_2024: &str = "2024,Reporting year,Local authority,E92000001,England,E12000001,\
                           North East,807,E06000003,Redcar and Cleveland";

fn la(code: &str, new_code: &str, name: &str, region: (&str, &str)) -> String {
    format!(
        "2024,Reporting year,Local authority,E92000001,England,{},{},{code},{new_code},{name}",
        region.0, region.1
    )
}

fn read(name: &str, text: &str) -> PublishedTable {
    published::read(name, text.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_err(name: &str, text: &str) -> csc_measures::Error {
    match published::read(name, text.as_bytes()) {
        Ok(_) => panic!("{name} was read, but should not be"),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------------------------
// The reader, on inline files

#[test]
fn every_marker_is_read_in_each_of_its_forms() {
    let forms = [
        ("c", Marker::Suppressed),
        ("k", Marker::RoundsToZero),
        ("low", Marker::Low),
        ("x", Marker::NotAvailable),
        ("z", Marker::NotApplicable),
        ("u", Marker::LowReliability),
        ("[c]", Marker::Suppressed),
        ("[k]", Marker::RoundsToZero),
        ("[low]", Marker::Low),
        ("[x]", Marker::NotAvailable),
        ("[z]", Marker::NotApplicable),
        ("[u]", Marker::LowReliability),
        ("..", Marker::NotAvailable),
        (":", Marker::NotAvailable),
        ("C", Marker::Suppressed),
        (" [LOW] ", Marker::Low),
    ];
    let rows: Vec<(String, String)> = forms
        .iter()
        .enumerate()
        .map(|(i, (form, _))| {
            (
                la(
                    &format!("{}", 800 + i),
                    &format!("E0600{i:04}"),
                    "LA",
                    ("E12000001", "North East"),
                ),
                format!("10,{form},5.5"),
            )
        })
        .collect();
    let rows: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let t = read("markers.csv", &d3(&rows));
    assert_eq!(t.table(), Some(TableId::D3));
    assert_eq!(t.rows().len(), forms.len());
    for (row, (form, marker)) in t.rows().iter().zip(forms) {
        assert_eq!(
            row.figure("CPP_subsequent"),
            Some(Figure::Marker(marker)),
            "{form:?}"
        );
        assert_eq!(row.text("CPP_subsequent"), Some(form.trim()));
        assert_eq!(
            row.figure("CPP_start"),
            Some(Figure::Number(Number::new(10, 0)))
        );
    }
    let counts = t.marker_counts();
    let expected: BTreeMap<Marker, usize> = [
        (Marker::Suppressed, 3),
        (Marker::RoundsToZero, 2),
        (Marker::Low, 3),
        (Marker::NotAvailable, 4),
        (Marker::NotApplicable, 2),
        (Marker::LowReliability, 2),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts, expected);
    for m in Marker::ALL {
        assert_eq!(Marker::parse(m.as_str()), Some(*m));
        assert_eq!(Figure::Marker(*m).to_string(), m.as_str());
    }
}

#[test]
fn numbers_keep_the_decimals_they_are_written_with() {
    let f = |s: &str| Figure::parse(s);
    assert_eq!(f("26.7"), Some(Figure::Number(Number::new(267, 1))));
    assert_eq!(f("26.70").and_then(Figure::decimals), Some(2));
    assert_eq!(f("643170").and_then(Figure::decimals), Some(0));
    assert_eq!(f("-3.25").map(|x| x.to_string()), Some("-3.25".to_owned()));
    assert_eq!(f("0.05").and_then(Figure::value), Some(0.05));
    for bad in [
        "", "1,234", "1e3", "+5", ".5", "5.", "abc", "n/a", "-", "[cc]", ".",
    ] {
        assert_eq!(f(bad), None, "{bad:?}");
    }
    assert!(Number::new(24, 0).same_value(Number::new(240, 1)));
    assert_ne!(Number::new(24, 0), Number::new(240, 1));
    assert_eq!(Number::new(24, 0).with_decimals(1).to_string(), "24.0");
    // Half away from zero, as DfE rounds.
    assert_eq!(Number::new(245, 1).with_decimals(0).to_string(), "25");
    assert_eq!(Number::new(-245, 1).with_decimals(0).to_string(), "-25");
    assert_eq!(
        Number::round(86.787, 1).map(|n| n.to_string()),
        Some("86.8".to_owned())
    );
    assert_eq!(
        Number::round(0.25, 1).map(|n| n.to_string()),
        Some("0.3".to_owned())
    );
    assert_eq!(
        Number::round(-0.25, 1).map(|n| n.to_string()),
        Some("-0.3".to_owned())
    );
    assert_eq!(
        Number::round(41.0, 0).map(|n| n.to_string()),
        Some("41".to_owned())
    );
    assert_eq!(Number::round(f64::NAN, 1), None);
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let text = format!("\u{feff}{}", d3(&[(ENGLAND_2024, "62110,15330,24.7")]));
    let t = read("bom.csv", &text);
    assert_eq!(t.columns()[0], "time_period");
    assert_eq!(t.table(), Some(TableId::D3));
    assert_eq!(t.rows()[0].year, 2024);
    assert_eq!(t.rows()[0].line, 2);
}

#[test]
fn both_forms_of_time_period_mean_the_year_ending_in_march() {
    let text = d3(&[
        (ENGLAND_2024, "62110,15330,24.7"),
        (
            "202223,Financial year,National,E92000001,England,,,,,",
            "60000,14000,23.3",
        ),
        (
            "2022,Academic year,National,E92000001,England,,,,,",
            "1,1,100",
        ),
    ]);
    let t = read("years.csv", &text);
    let years: Vec<i32> = t.rows().iter().map(|r| r.year).collect();
    assert_eq!(years, [2024, 2023, 2022]);
    assert_eq!(t.rows()[1].time_period, "202223");
    assert_eq!(t.years(), [2023, 2024]); // the academic year is not April to March
    assert!(t.row(2022, Area::England).is_none());
    let mut p = Published::new();
    p.add(t);
    let e = p.england(TableId::D3, 2023).unwrap();
    assert_eq!(
        e.figure("CPP_subsequent_percent").unwrap().to_string(),
        "23.3"
    );
    assert!(p.has_year(TableId::D3, 2024));
    assert!(!p.has_year(TableId::D3, 2022));
}

#[test]
fn a_bad_time_period_names_its_line_column_and_value() {
    for bad in ["202325", "2024/25", "24", "FY2024"] {
        let text = d3(&[
            (ENGLAND_2024, "62110,15330,24.7"),
            (
                &format!("{bad},Reporting year,National,E92000001,England,,,,,"),
                "1,1,1",
            ),
        ]);
        let e = read_err("years.csv", &text);
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let loc = e.location().unwrap();
        assert_eq!(loc.line, Some(3));
        assert_eq!(loc.column.as_deref(), Some("time_period"));
        assert_eq!(loc.value.as_deref(), Some(bad));
        let msg = e.to_string();
        assert!(
            msg.starts_with("years.csv:3 column time_period value"),
            "{msg}"
        );
    }
}

#[test]
fn an_unknown_marker_names_its_line_column_and_value() {
    for bad in ["n/a", "", "1,234", "-", "*"] {
        let text = d3(&[
            (ENGLAND_2024, "62110,15330,24.7"),
            (REDCAR_2024, &format!("374,\"{bad}\",26.7")),
        ]);
        let e = read_err("d3.csv", &text);
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let loc = e.location().unwrap();
        assert_eq!(loc.file.as_deref(), Some("d3.csv"));
        assert_eq!(loc.line, Some(3), "{bad:?}");
        assert_eq!(loc.column.as_deref(), Some("CPP_subsequent"));
        assert_eq!(loc.value.as_deref(), Some(bad));
        assert!(
            e.to_string()
                .contains("d3.csv:3 column CPP_subsequent value"),
            "{e}"
        );
        assert!(
            e.to_string().contains("neither a number nor a marker"),
            "{e}"
        );
    }
}

#[test]
fn a_missing_column_names_itself() {
    // A D3 file without CPP_start.
    let text = format!(
        "{GEOGRAPHY},category,CPP_subsequent,CPP_subsequent_percent\n{ENGLAND_2024},Plans,1,1\n"
    );
    let e = read_err("d3.csv", &text);
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("\"CPP_start\""), "{e}");
    assert!(e.to_string().starts_with("d3.csv:1"), "{e}");
    // A C2 file without a band.
    let text = format!("{GEOGRAPHY},{}\n", C2_COLUMNS.replace(",46-50_days", ""));
    assert!(
        read_err("c2.csv", &text)
            .to_string()
            .contains("\"46-50_days\"")
    );
    // No geographic_level.
    let text = "time_period,time_identifier,CPP_start\n2024,Reporting year,1\n";
    let e = read_err("x.csv", text);
    assert!(e.to_string().contains("\"geographic_level\""), "{e}");
    // A local-authority row in a file without local-authority columns.
    let text = "time_period,time_identifier,geographic_level,country_code,country_name,\
                CPP_start,CPP_subsequent,CPP_subsequent_percent\n\
                2024,Reporting year,National,E92000001,England,1,1,100\n\
                2024,Reporting year,Local authority,E92000001,England,1,1,100\n";
    let e = read_err("national.csv", text);
    assert!(e.to_string().contains("\"old_la_code\""), "{e}");
    assert!(e.to_string().contains("line 3"), "{e}");
    // A local-authority row with neither code.
    let text = d3(&[(
        "2024,Reporting year,Local authority,E92000001,England,E12000001,North East,,,Nowhere",
        "1,1,100",
    )]);
    let e = read_err("d3.csv", &text);
    assert_eq!(e.location().and_then(|l| l.line), Some(2));
    assert!(e.to_string().contains("old_la_code"), "{e}");
}

#[test]
fn malformed_files_are_errors_that_say_where() {
    // A row with a field too few.
    let text = format!("{}{ENGLAND_2024},Plans,1,1\n", d3(&[]));
    let e = read_err("short.csv", &text);
    assert!(e.to_string().starts_with("short.csv:2"), "{e}");
    // The same area twice in one year.
    let text = d3(&[(REDCAR_2024, "1,1,100"), (REDCAR_2024, "2,1,50")]);
    let e = read_err("twice.csv", &text);
    assert!(e.to_string().contains("twice.csv:3"), "{e}");
    assert!(e.to_string().contains("line 2"), "{e}");
    // No header at all; a repeated column.
    assert!(read_err("empty.csv", "").to_string().contains("no header"));
    let e = read_err(
        "dup.csv",
        "time_period,time_identifier,geographic_level,Time_Period\n",
    );
    assert!(e.to_string().contains("Time_Period"), "{e}");
    // Not UTF-8.
    let mut bytes = d3(&[]).into_bytes();
    bytes.extend_from_slice(b"2024,Reporting year,National,E92000001,Engl\xff,,,,,,Plans,1,1,1\n");
    let e = published::read("latin1.csv", &bytes).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().starts_with("latin1.csv:2"), "{e}");
}

#[test]
fn an_unrecognised_table_is_usable_by_column_name() {
    let text = format!(
        "{GEOGRAPHY},characteristic,number,percent\n\
         {ENGLAND_2024},Male,100,[c]\n\
         {ENGLAND_2024},Female,120,54.5\n"
    );
    let t = read("other.csv", &text);
    assert_eq!(t.table(), None);
    assert_eq!(t.rows().len(), 2);
    let first = &t.rows()[0];
    assert_eq!(first.level, Level::National);
    assert_eq!(first.text("characteristic"), Some("Male"));
    assert_eq!(
        first.figure("NUMBER"),
        Some(Figure::Number(Number::new(100, 0)))
    );
    assert_eq!(
        first.figure("percent"),
        Some(Figure::Marker(Marker::Suppressed))
    );
    assert_eq!(first.figure("characteristic"), None);
    let e = first.try_figure("characteristic").unwrap_err();
    assert_eq!(
        e.location().and_then(|l| l.value.clone()).as_deref(),
        Some("Male")
    );
    assert!(
        first
            .try_figure("no_such_column")
            .unwrap_err()
            .to_string()
            .contains("no_such_column")
    );
    assert_eq!(t.decimals("percent"), Some(1));
    assert_eq!(t.row(2024, Area::England).map(|r| r.line), Some(2));
    assert_eq!(t.marker_counts().get(&Marker::Suppressed), Some(&1));
    // Not a recognised table, so not found by table.
    let mut p = Published::new();
    p.add(t);
    assert!(p.england(TableId::D3, 2024).is_none());
}

#[test]
fn lookups_find_england_a_region_and_an_la_by_either_code() {
    let hartlepool = la(
        "805",
        "E06000001",
        "Hartlepool",
        ("E12000001", "North East"),
    );
    let t = read(
        "d3.csv",
        &d3(&[
            (ENGLAND_2024, "62110,15330,24.7"),
            (NORTH_EAST_2024, "4860,1250,25.7"),
            (REDCAR_2024, "374,100,26.7"),
            (&hartlepool, "230,48,20.9"),
        ]),
    );
    let mut p = Published::new();
    p.add(t);
    let d = TableId::D3;
    assert_eq!(p.england(d, 2024).unwrap().name(), "England");
    assert_eq!(p.england(d, 2024).unwrap().code(), "E92000001");
    assert_eq!(p.region(d, 2024, "E12000001").unwrap().line, 3);
    assert_eq!(p.region(d, 2024, "north east").unwrap().line, 3);
    assert_eq!(
        p.la(d, 2024, "807").unwrap().la_name,
        "Redcar and Cleveland"
    );
    assert_eq!(p.la(d, 2024, "e06000003").unwrap().old_la_code, "807");
    assert_eq!(
        p.row(d, 2024, Area::LocalAuthority(" 805 ")).unwrap().line,
        5
    );
    assert_eq!(p.la_region(d, 2024, "805").unwrap().name(), "North East");
    assert!(p.la(d, 2023, "807").is_none());
    assert!(p.la(d, 2024, "E12000001").is_none());
    assert!(p.la(d, 2024, "").is_none());
    assert!(p.england(TableId::C2, 2024).is_none());
}

#[test]
fn the_table_added_last_wins() {
    let mut p = Published::new();
    p.add(read(
        "d3_2023_release.csv",
        &d3(&[(REDCAR_2024, "374,100,26.7")]),
    ));
    p.add(read(
        "d3_2024_release.csv",
        &d3(&[(REDCAR_2024, "375,100,26.7")]),
    ));
    let row = p.la(TableId::D3, 2024, "807").unwrap();
    assert_eq!(row.file(), "d3_2024_release.csv");
    assert_eq!(row.figure("CPP_start").unwrap().to_string(), "375");
}

#[test]
fn every_measure_is_mapped_or_said_not_to_be() {
    let mapped: Vec<MeasureId> = MeasureId::ALL
        .iter()
        .copied()
        .filter(|&id| published::source(id).is_some())
        .collect();
    assert_eq!(
        mapped,
        [MeasureId::Assessments45wd, MeasureId::CppSecondOrSubsequent]
    );
    let a = published::source(MeasureId::Assessments45wd).unwrap();
    assert_eq!(a.table, TableId::C2);
    assert!(a.is_derived());
    assert_eq!(a.numerator.len(), 6);
    assert_eq!(a.numerator.last(), Some(&"41-45_days"));
    assert_eq!(a.denominator, "Assessments_completed");
    let d = published::source(MeasureId::CppSecondOrSubsequent).unwrap();
    assert_eq!(d.value_text(), "CPP_subsequent_percent");
    assert_eq!(
        (d.numerator, d.denominator),
        (&["CPP_subsequent"][..], "CPP_start")
    );
}

/// A C2 row for `geo` with `completed`, the nine `bands` and the three quartiles.
fn c2_row(geo: &str, completed: &str, bands: [&str; 9], quartiles: [&str; 3]) -> String {
    format!(
        "{geo},Duration of assessment,{completed},{},{}\n",
        bands.join(","),
        quartiles.join(",")
    )
}

#[test]
fn the_c2_value_is_derived_from_the_bands() {
    let redcar = ["10", "146", "348", "264", "298", "806", "112", "90", "83"];
    let mut text = format!("{GEOGRAPHY},{C2_COLUMNS}\n");
    text += &c2_row(REDCAR_2024, "2157", redcar, ["22", "41", "45"]);
    let with = |code: &str, completed: &str, bands: [&str; 9]| {
        c2_row(
            &la(
                code,
                &format!("E0600{code}"),
                code,
                ("E12000001", "North East"),
            ),
            completed,
            bands,
            ["1", "2", "3"],
        )
    };
    text += &with(
        "801",
        "40",
        ["c", "10", "10", "10", "5", "c", "0", "0", "0"],
    );
    text += &with("802", "c", ["1", "10", "10", "10", "5", "1", "0", "0", "0"]);
    text += &with("803", "0", ["0", "0", "0", "0", "0", "0", "0", "0", "0"]);
    text += &with(
        "804",
        "40",
        ["1", "10", "10", "10", "5", "1", "c", "c", "1"],
    );
    text += &with("809", "8", ["0", "1", "0", "0", "0", "0", "7", "0", "0"]);
    let mut p = Published::new();
    p.add(read("c2.csv", &text));
    let s = published::source(MeasureId::Assessments45wd).unwrap();
    let value = |code: &str| {
        s.value(p.la(TableId::C2, 2024, code).unwrap())
            .unwrap()
            .to_string()
    };
    let numerator = |code: &str| {
        s.numerator(p.la(TableId::C2, 2024, code).unwrap())
            .unwrap()
            .to_string()
    };
    // 1872 / 2157 = 86.787...
    assert_eq!(value("807"), "86.8");
    assert_eq!(numerator("807"), "1872");
    assert_eq!(value("801"), "c"); // a band it sums is suppressed
    assert_eq!(numerator("801"), "c");
    assert_eq!(value("802"), "c"); // the denominator is suppressed
    assert_eq!(value("803"), "z"); // nothing to take a percentage of
    assert_eq!(value("804"), "92.5"); // suppression above 45 days does not matter: 37 / 40
    assert_eq!(value("809"), "12.5"); // 1 / 8 exactly: one decimal, no rounding
    // A D3 row has no C2 value.
    let d3_source = published::source(MeasureId::CppSecondOrSubsequent).unwrap();
    assert_eq!(
        d3_source.value(p.la(TableId::C2, 2024, "807").unwrap()),
        None
    );
}

#[test]
fn comparators_put_an_la_beside_england_its_region_and_its_neighbours() {
    let camden = la("202", "E09000007", "Camden", ("E13000001", "Inner London"));
    let islington = la(
        "206",
        "E09000019",
        "Islington",
        ("E13000001", "Inner London"),
    );
    let hackney = la("204", "E09000012", "Hackney", ("E13000001", "Inner London"));
    let westminster = la(
        "213",
        "E09000033",
        "Westminster",
        ("E13000001", "Inner London"),
    );
    let barnet = la("302", "E09000003", "Barnet", ("E13000002", "Outer London"));
    let t = read(
        "d3.csv",
        &d3(&[
            (ENGLAND_2024, "62110,15330,24.7"),
            (
                "2024,Reporting year,Regional,E92000001,England,E12000007,London,,,",
                "7000,1500,21.4",
            ),
            (
                "2024,Reporting year,Regional,E92000001,England,E13000001,Inner London,,,",
                "3000,700,23.3",
            ),
            (&camden, "241,77,32"),
            (&islington, "200,45,22.5"),
            (&hackney, "x,x,x"),
            (&westminster, "100,21,21"),
            (&barnet, "300,70,23.3"),
        ]),
    );
    let mut p = Published::new();
    p.add(t);
    let neighbours: Vec<String> = ["206", "204", "E09000033", "302", "213", "202", "", "999"]
        .iter()
        .map(ToString::to_string)
        .collect();
    let c = Comparators::new(
        &p,
        MeasureId::CppSecondOrSubsequent,
        2024,
        "E09000007",
        &neighbours,
    )
    .unwrap();
    assert_eq!(c.table, TableId::D3);
    let la = c.la.as_ref().unwrap();
    assert_eq!((la.name.as_str(), la.old_code.as_str()), ("Camden", "202"));
    assert_eq!(la.value.to_string(), "32.0"); // published to one decimal, trailing zero dropped
    assert_eq!(c.england.as_ref().unwrap().value.to_string(), "24.7");
    let region = c.region.as_ref().unwrap();
    assert_eq!(
        (region.code.as_str(), region.name.as_str()),
        ("E13000001", "Inner London")
    );
    assert_eq!(region.value.to_string(), "23.3");
    assert_eq!(c.wider_region.as_ref().unwrap().name, "London");
    // Counted: 206, 204 (x), 213 (once, though named twice), 302, 999 (no row); not Camden itself.
    let n = &c.neighbours;
    let codes: Vec<&str> = n.values.iter().map(|v| v.code.as_str()).collect();
    assert_eq!(codes, ["206", "204", "E09000033", "302", "999"]);
    assert_eq!((n.with_value, n.of), (3, 5));
    assert!(n.values[4].area.is_none());
    assert_eq!(
        n.values[1].area.as_ref().unwrap().value,
        Figure::Marker(Marker::NotAvailable)
    );
    // 22.5, 21.0, 23.3: mean 22.27 -> 22.3; median 22.5.
    assert_eq!(n.mean.unwrap().to_string(), "22.3");
    assert_eq!(n.median.unwrap().to_string(), "22.5");
    assert!((n.mean_unrounded.unwrap() - 66.8 / 3.0).abs() < 1e-9);
    // An Outer London borough's region is Outer London, which this table lacks; London is there.
    let c = Comparators::new(&p, MeasureId::CppSecondOrSubsequent, 2024, "302", &[]).unwrap();
    assert!(c.region.is_none());
    assert_eq!(c.wider_region.unwrap().value.to_string(), "21.4");
    assert_eq!((c.neighbours.with_value, c.neighbours.of), (0, 0));
    assert!(c.neighbours.mean.is_none() && c.neighbours.median.is_none());
    // No table publishes the measure, or not for that year.
    assert!(Comparators::new(&p, MeasureId::Referrals, 2024, "202", &[]).is_none());
    assert!(Comparators::new(&p, MeasureId::CppSecondOrSubsequent, 2023, "202", &[]).is_none());
    assert!(Comparators::new(&p, MeasureId::Assessments45wd, 2024, "202", &[]).is_none());
    // An LA without a row that year still gets England's value.
    let c = Comparators::new(&p, MeasureId::CppSecondOrSubsequent, 2024, "999", &[]).unwrap();
    assert!(c.la.is_none() && c.region.is_none());
    assert!(c.england.is_some());
}

#[test]
fn an_even_median_is_the_mean_of_the_middle_two_rounded_half_away_from_zero() {
    let ne = ("E12000001", "North East");
    let rows: Vec<(String, &str)> = vec![
        (la("801", "E06000801", "A", ne), "100,20,20"),
        (la("802", "E06000802", "B", ne), "100,20,20.1"),
        (la("803", "E06000803", "C", ne), "100,20,20.2"),
        (la("804", "E06000804", "D", ne), "100,20,20.4"),
    ];
    let rows: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    let mut p = Published::new();
    p.add(read("d3.csv", &d3(&rows)));
    let all: Vec<String> = ["801", "802", "803", "804"]
        .iter()
        .map(ToString::to_string)
        .collect();
    let c = Comparators::new(&p, MeasureId::CppSecondOrSubsequent, 2024, "807", &all).unwrap();
    // Middle two 20.1 and 20.2: 20.15 -> 20.2. Mean 80.7 / 4 = 20.175 -> 20.2.
    assert_eq!(c.neighbours.median.unwrap().to_string(), "20.2");
    assert_eq!(c.neighbours.mean.unwrap().to_string(), "20.2");
}

/// Four CP plans starting in 2023-24, one of them a second plan.
fn four_plans() -> csc_measures::Dataset {
    let mut cin = CinReturn::default();
    cin.source.collection_year = Some(2024);
    for (i, previous) in [0, 0, 0, 1].into_iter().enumerate() {
        cin.plans.push(CpPlan {
            child: format!("P{i}").into(),
            start_date: Some(Day::from_ymd(2023, 6, 1 + i as u32).unwrap()),
            previous_plans: Some(previous),
            ..CpPlan::default()
        });
    }
    DatasetBuilder::new().cin(cin).build().unwrap()
}

#[test]
fn a_d3_reconciliation_rounds_the_computed_value_to_the_published_precision() {
    let ds = four_plans();
    let year = Period::financial_year(2024).unwrap();
    let r = compute(
        &ds,
        MeasureId::CppSecondOrSubsequent,
        year,
        &Options::default(),
    );
    assert_eq!((r.numerator, r.denominator), (Some(1), Some(4)));
    let mut p = Published::new();
    p.add(read("d3.csv", &d3(&[(REDCAR_2024, "4,1,25")])));
    let rec = reconcile(&r, &p, "807").unwrap();
    assert_eq!((rec.year, rec.table, rec.line), (2024, TableId::D3, 2));
    let labels: Vec<&str> = rec.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["value", "numerator", "denominator"]);
    let value = rec.line("value").unwrap();
    assert_eq!(value.published.to_string(), "25.0");
    assert_eq!(value.computed, Some(25.0));
    assert_eq!(
        value.computed_rounded.map(|n| n.to_string()).as_deref(),
        Some("25.0")
    );
    assert!(rec.agrees(), "{rec}");
    assert!(rec.notes.is_empty(), "{:?}", rec.notes);

    // 24.9 published against 25.0 computed disagrees; a suppressed numerator is not comparable.
    let mut p = Published::new();
    p.add(read("d3.csv", &d3(&[(REDCAR_2024, "4,c,24.9")])));
    let rec = reconcile(&r, &p, "E06000003").unwrap();
    assert_eq!(rec.line("value").unwrap().agrees, Some(false));
    assert_eq!(rec.line("numerator").unwrap().agrees, None);
    assert_eq!(rec.line("denominator").unwrap().agrees, Some(true));
    assert!(!rec.agrees());
    assert_eq!(rec.comparable(), 2);
    assert!(rec.to_string().contains("DIFFERS"));

    // Nothing comparable: no agreement to report.
    let mut p = Published::new();
    p.add(read("d3.csv", &d3(&[(REDCAR_2024, "u,u,u")])));
    let rec = reconcile(&r, &p, "807").unwrap();
    assert_eq!(rec.comparable(), 0);
    assert!(!rec.agrees());

    // Options other than the defaults are noted.
    let mut opts = Options::default();
    opts.set("previous_plans", "count").unwrap();
    let r2 = compute(&ds, MeasureId::CppSecondOrSubsequent, year, &opts);
    let mut p = Published::new();
    p.add(read("d3.csv", &d3(&[(REDCAR_2024, "4,1,25")])));
    let rec = reconcile(&r2, &p, "807").unwrap();
    assert!(
        rec.notes
            .iter()
            .any(|n| n.contains("previous_plans = count")),
        "{:?}",
        rec.notes
    );

    // Not a financial year, not published, not this LA.
    let half = Period::new(year.start(), Day::from_ymd(2023, 9, 30).unwrap()).unwrap();
    let r3 = compute(
        &ds,
        MeasureId::CppSecondOrSubsequent,
        half,
        &Options::default(),
    );
    assert!(reconcile(&r3, &p, "807").is_none());
    let r4 = compute(&ds, MeasureId::CppStarted, year, &Options::default());
    assert!(reconcile(&r4, &p, "807").is_none());
    assert!(reconcile(&r, &p, "805").is_none());
}

// ---------------------------------------------------------------------------------------------
// The real files

fn real_dir() -> Option<PathBuf> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peer-data/dfe-published");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipped: DfE's published files are not at {}",
            dir.display()
        );
        None
    }
}

const C2_FILE: &str = "c2_children_in_need_assessments_duration_2014_to_2024.csv";
const D3_FILE: &str = "d3_cpps_subsequent_plan_2013_to_2024.csv";

fn real() -> Option<Published> {
    let dir = real_dir()?;
    let p = Published::from_paths([dir.join(C2_FILE), dir.join(D3_FILE)]).unwrap();
    Some(p)
}

#[test]
fn real_files_rows_years_and_markers() {
    let Some(p) = real() else { return };
    let [c2, d3] = p.tables() else {
        panic!("two tables")
    };
    assert_eq!(c2.table(), Some(TableId::C2));
    assert_eq!(d3.table(), Some(TableId::D3));
    assert_eq!(c2.rows().len(), 1803);
    assert_eq!(d3.rows().len(), 1967);
    assert_eq!(c2.years(), (2014..=2024).collect::<Vec<_>>());
    assert_eq!(d3.years(), (2013..=2024).collect::<Vec<_>>());
    let count =
        |t: &PublishedTable, level: Level| t.rows().iter().filter(|r| r.level == level).count();
    assert_eq!(count(c2, Level::National), 11);
    assert_eq!(count(c2, Level::Regional), 121);
    assert_eq!(count(c2, Level::LocalAuthority), 1671);
    assert_eq!(count(d3, Level::LocalAuthority), 1823);
    let markers = |pairs: &[(Marker, usize)]| pairs.iter().copied().collect::<BTreeMap<_, _>>();
    assert_eq!(
        c2.marker_counts(),
        markers(&[
            (Marker::Suppressed, 476),
            (Marker::NotAvailable, 46),
            (Marker::NotApplicable, 135),
            (Marker::LowReliability, 14),
        ])
    );
    assert_eq!(
        d3.marker_counts(),
        markers(&[
            (Marker::Suppressed, 73),
            (Marker::NotAvailable, 9),
            (Marker::NotApplicable, 6),
            (Marker::LowReliability, 3),
        ])
    );
    // Percentages are published to one decimal, with trailing zeros dropped.
    assert_eq!(d3.decimals("CPP_subsequent_percent"), Some(1));
    assert_eq!(c2.decimals("Assessments_completed_rate"), Some(1));
    assert_eq!(c2.decimals("Assessments_completed"), Some(0));
    // A folder reads the same two tables.
    let folder = Published::from_paths([real_dir().unwrap()]).unwrap();
    assert_eq!(folder.tables().len(), 2);
}

#[test]
fn real_files_england_a_region_and_redcar_in_2024() {
    let Some(p) = real() else { return };
    let (c2, d3) = (TableId::C2, TableId::D3);
    let fig = |row: &published::PublishedRow, c: &str| row.figure(c).unwrap().to_string();
    let england = p.england(c2, 2024).unwrap();
    assert_eq!(fig(england, "Assessments_completed"), "643170");
    assert_eq!(
        fig(p.england(d3, 2024).unwrap(), "CPP_subsequent_percent"),
        "24.7"
    );
    let ne = p.region(c2, 2024, "E12000001").unwrap();
    assert_eq!(
        (ne.name(), fig(ne, "Assessments_completed").as_str()),
        ("North East", "36070")
    );
    assert_eq!(
        fig(
            p.region(d3, 2024, "E12000001").unwrap(),
            "CPP_subsequent_percent"
        ),
        "25.7"
    );

    let redcar = p.la(c2, 2024, "807").unwrap();
    assert_eq!(
        (redcar.la_name.as_str(), redcar.new_la_code.as_str()),
        ("Redcar and Cleveland", "E06000003")
    );
    let bands: Vec<String> = [
        "Same_day",
        "1-10_days",
        "11-20_days",
        "21-30_days",
        "31-40_days",
        "41-45_days",
        "46-50_days",
        "51-60_days",
        "61+_days",
    ]
    .iter()
    .map(|c| fig(redcar, c))
    .collect();
    assert_eq!(
        bands,
        ["10", "146", "348", "264", "298", "806", "112", "90", "83"]
    );
    let quartiles: Vec<String> = [
        "25th_Percentile_days",
        "Median_days",
        "75th_Percentile_days",
    ]
    .iter()
    .map(|c| fig(redcar, c))
    .collect();
    assert_eq!(quartiles, ["22", "41", "45"]);
    let redcar_d3 = p.la(d3, 2024, "E06000003").unwrap();
    let d3_figures: Vec<String> = ["CPP_start", "CPP_subsequent", "CPP_subsequent_percent"]
        .iter()
        .map(|c| fig(redcar_d3, c))
        .collect();
    assert_eq!(d3_figures, ["374", "100", "26.7"]);
    assert_eq!(
        p.la_region(d3, 2024, "807").unwrap().region_name,
        "North East"
    );

    // The derived C2 value: 1872 / 2157 for Redcar, England's from DfE's rounded counts.
    let s = published::source(MeasureId::Assessments45wd).unwrap();
    assert_eq!(s.value(redcar).unwrap().to_string(), "86.8");
    assert_eq!(s.value(england).unwrap().to_string(), "84.5");
    // Hampshire 2024 is of low reliability throughout; North Yorkshire's new code changed in 2024.
    assert_eq!(
        s.value(p.la(c2, 2024, "850").unwrap()),
        Some(Figure::Marker(Marker::LowReliability))
    );
    assert_eq!(p.la(d3, 2024, "815").unwrap().new_la_code, "E06000065");
    assert_eq!(p.la(d3, 2023, "815").unwrap().new_la_code, "E10000023");
    assert!(p.la(d3, 2023, "E06000065").is_none());
}

#[test]
fn real_files_comparators_for_redcar() {
    let Some(p) = real() else { return };
    // Hartlepool (C2 suppressed), Middlesbrough, Stockton, Gateshead, Hampshire (u), Darlington by
    // its new code, Redcar itself and a code with no row.
    let neighbours: Vec<String> = ["805", "806", "808", "390", "850", "E06000005", "807", "999"]
        .iter()
        .map(ToString::to_string)
        .collect();
    let d3 = Comparators::new(
        &p,
        MeasureId::CppSecondOrSubsequent,
        2024,
        "807",
        &neighbours,
    )
    .unwrap();
    assert_eq!(d3.la.as_ref().unwrap().value.to_string(), "26.7");
    assert_eq!(d3.england.as_ref().unwrap().value.to_string(), "24.7");
    assert_eq!(d3.region.as_ref().unwrap().value.to_string(), "25.7");
    assert!(d3.wider_region.is_none());
    // 20.9, 27.8, 24.6, 20.6, 17.9: mean 22.36, median 20.9.
    assert_eq!((d3.neighbours.with_value, d3.neighbours.of), (5, 7));
    assert_eq!(d3.neighbours.mean.unwrap().to_string(), "22.4");
    assert_eq!(d3.neighbours.median.unwrap().to_string(), "20.9");

    let c2 = Comparators::new(&p, MeasureId::Assessments45wd, 2024, "807", &neighbours).unwrap();
    assert_eq!(c2.la.as_ref().unwrap().value.to_string(), "86.8");
    assert_eq!(c2.england.as_ref().unwrap().value.to_string(), "84.5");
    assert_eq!(c2.region.as_ref().unwrap().value.to_string(), "81.5");
    // 79.5, 78.9, 82.6, 61.5 (Hartlepool's Same_day is suppressed, Hampshire is u).
    assert_eq!((c2.neighbours.with_value, c2.neighbours.of), (4, 7));
    assert_eq!(c2.neighbours.mean.unwrap().to_string(), "75.6");
    assert_eq!(c2.neighbours.median.unwrap().to_string(), "79.2");

    // A London borough: its row's region is Inner London; London as a whole beside it.
    let camden = Comparators::new(&p, MeasureId::CppSecondOrSubsequent, 2024, "202", &[]).unwrap();
    assert_eq!(camden.la.as_ref().unwrap().value.to_string(), "32.0");
    assert_eq!(camden.region.as_ref().unwrap().name, "Inner London");
    assert_eq!(camden.wider_region.as_ref().unwrap().name, "London");
    assert!(Comparators::new(&p, MeasureId::CppSecondOrSubsequent, 2012, "807", &[]).is_none());
}

/// Redcar and Cleveland's 2024 C2 durations: each band's count, with durations chosen so that
/// the quartiles are 22, 41 and 45 (2157 durations: the quartiles fall on ranks 539, 1078, 1617).
fn redcar_durations() -> Vec<u32> {
    let mut d = Vec::new();
    let cycle = |d: &mut Vec<u32>, n: usize, lo: u32, hi: u32| {
        d.extend((0..n).map(|i| lo + (i as u32) % (hi - lo + 1)));
    };
    cycle(&mut d, 10, 0, 0); // same day
    cycle(&mut d, 146, 1, 10);
    cycle(&mut d, 348, 11, 20);
    cycle(&mut d, 35, 21, 21); // ranks 504-538
    cycle(&mut d, 229, 22, 30); // rank 539 is the smallest: 22
    cycle(&mut d, 298, 31, 40);
    cycle(&mut d, 13, 41, 41); // ranks 1066-1078: the median is 41
    cycle(&mut d, 538, 42, 44);
    cycle(&mut d, 255, 45, 45); // ranks 1617-1871: the 75th percentile is 45
    cycle(&mut d, 112, 46, 50);
    cycle(&mut d, 90, 51, 60);
    cycle(&mut d, 83, 61, 80);
    d
}

/// A CIN return whose assessments, authorised in 2023-24, last `durations` working days.
fn assessments(durations: &[u32]) -> csc_measures::Dataset {
    let cal = Calendar::england_and_wales();
    let first = Day::from_ymd(2023, 4, 3).unwrap();
    let year = Period::financial_year(2024).unwrap();
    let mut cin = CinReturn::default();
    cin.source.collection_year = Some(2024);
    for (i, &w) in durations.iter().enumerate() {
        let start = first.add_days((i % 200) as i32);
        let mut end = start;
        while cal.wd(start, end, WorkingDays::AfterStart).unwrap().days < w {
            end = end.add_days(1);
        }
        assert_eq!(cal.wd(start, end, WorkingDays::AfterStart).unwrap().days, w);
        assert!(year.contains(end));
        cin.assessments.push(Assessment {
            child: format!("C{i:05}").into(),
            start_date: Some(start),
            authorisation_date: Some(end),
            ..Assessment::default()
        });
    }
    DatasetBuilder::new().cin(cin).build().unwrap()
}

#[test]
fn real_files_reconcile_redcar_assessments_in_2024() {
    let Some(p) = real() else { return };
    let year = Period::financial_year(2024).unwrap();
    let ds = assessments(&redcar_durations());
    let r = compute(&ds, MeasureId::Assessments45wd, year, &Options::default());
    assert_eq!((r.numerator, r.denominator), (Some(1872), Some(2157)));
    let rec = reconcile(&r, &p, "807").unwrap();
    println!("{rec}");
    assert!(rec.file.ends_with(C2_FILE));
    let labels: Vec<&str> = rec.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "value",
            "numerator",
            "denominator",
            "same_day",
            "1-10",
            "11-20",
            "21-30",
            "31-40",
            "41-45",
            "46-50",
            "51-60",
            "61+",
            "p25",
            "median",
            "p75"
        ]
    );
    for l in &rec.lines {
        assert_eq!(l.agrees, Some(true), "{rec}");
    }
    assert!(rec.agrees(), "{rec}");
    assert_eq!(rec.line("value").unwrap().published.to_string(), "86.8");
    assert_eq!(rec.line("41-45").unwrap().column, "41-45_days");
    assert_eq!(rec.line("median").unwrap().computed, Some(41.0));
    assert!(rec.notes.is_empty(), "{:?}", rec.notes);

    // Five assessments of 45 working days become 46: the two bands, the numerator and the value
    // now differ from C2; the other bands still agree.
    let mut durations = redcar_durations();
    for d in durations.iter_mut().filter(|d| **d == 45).take(5) {
        *d = 46;
    }
    let r = compute(
        &assessments(&durations),
        MeasureId::Assessments45wd,
        year,
        &Options::default(),
    );
    let rec = reconcile(&r, &p, "E06000003").unwrap();
    println!("{rec}");
    assert!(!rec.agrees());
    let differs: Vec<&str> = rec
        .lines
        .iter()
        .filter(|l| l.agrees == Some(false))
        .map(|l| l.label.as_str())
        .collect();
    assert_eq!(differs, ["value", "numerator", "41-45", "46-50"]);
    assert_eq!(
        rec.line("value")
            .unwrap()
            .computed_rounded
            .unwrap()
            .to_string(),
        "86.6"
    );
}

#[test]
fn real_files_note_bands_that_do_not_add_up() {
    let Some(p) = real() else { return };
    // Leicestershire 2017: bands add up to 2494, Assessments_completed is 2518.
    let year = Period::financial_year(2017).unwrap();
    let r = compute(
        &assessments(&[]),
        MeasureId::Assessments45wd,
        year,
        &Options::default(),
    );
    let rec = reconcile(&r, &p, "855").unwrap();
    assert!(
        rec.notes.iter().any(|n| n.contains("add up to 2494")),
        "{:?}",
        rec.notes
    );
    // The 2016-17 return was not loaded: nothing computed agrees with anything published.
    assert!(r.is_no_data());
    assert!(!rec.agrees());
    assert!(
        rec.notes.iter().any(|n| n.contains("no_data")),
        "{:?}",
        rec.notes
    );
}
