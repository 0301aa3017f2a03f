//! One return, every format: the same rows, good and bad, given as SSDA903 CSV files, as the SSDA903
//! XML form, as Arrow tables (and the CIN census as XML and as Arrow tables), must load into the same
//! dataset with the same data-quality entries, because every format hands its rows to the one
//! row-rules layer (spec 2). Only where an entry is placed differs: a file and line for CSV, an
//! element path for XML, a table label and row for Arrow.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use csc_api::{Input, Inputs, Source, load};
use csc_arrow::{ReturnInput, TableInput};
use csc_measures::quality::Issue;
use csc_measures::records::ReturnKind;
use csc_measures::schema::{self, Columns, Record, VisitColumns};
use csc_measures::{Dataset, Error};

/// A table as text rows: the columns, then each row's values (`None`: the row does not give it).
struct Table {
    name: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<&'static str>>,
}

/// The SSDA903 return of the test: every table but SWEpisodes (which has no XML form), with rows
/// that the rules skip, blank, report or keep.
#[allow(clippy::too_many_lines, reason = "one table of test rows")]
fn ssda903() -> Vec<Table> {
    vec![
        Table {
            name: "Header",
            columns: &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
            rows: vec![
                vec!["A1", "1", "01/02/2010", "WBRI", "", "", ""],
                // an unreadable child-level date: blanked, the row kept
                vec!["B2", "2", "31/02/2011", "wbri", "", "", ""],
                // an ISO date is read (spec 2, v2 change)
                vec!["C3", "1", "2012-03-04", "AIND", "", "", ""],
                // no child: skipped
                vec![" ", "1", "", "", "", "", ""],
            ],
        },
        Table {
            name: "Episodes",
            columns: &[
                "CHILD",
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ],
            rows: vec![
                vec![
                    "A1",
                    "01/05/2023",
                    "s",
                    "C2",
                    "N1",
                    "u1",
                    "PR1",
                    "01/09/2023",
                    "X1",
                    "",
                    "",
                    "ab1 2cd",
                    "SC1",
                ],
                vec![
                    "A1",
                    "01/09/2023",
                    "P",
                    "C2",
                    "N1",
                    "U4",
                    "PR1",
                    "",
                    "",
                    "CARPL",
                    "",
                    "",
                    "SC2",
                ],
                // blank DECOM: skipped (missing_identifier)
                vec![
                    "B2", "", "S", "C2", "N1", "U1", "PR1", "", "", "", "", "", "",
                ],
                // unreadable DEC: skipped
                vec![
                    "B2",
                    "01/06/2023",
                    "S",
                    "C2",
                    "N1",
                    "U1",
                    "PR1",
                    "2024/13/01",
                    "E13",
                    "",
                    "",
                    "",
                    "",
                ],
                // an unknown code is kept and reported
                vec![
                    "C3",
                    "2023-07-01",
                    "S",
                    "ZZ",
                    "N1",
                    "K2",
                    "PR2",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ],
            ],
        },
        Table {
            name: "Reviews",
            columns: &["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
            rows: vec![
                vec!["A1", "01/02/2010", "01/06/2023", "pn1"],
                // blank REVIEW: skipped (missing_key_date)
                vec!["A1", "01/02/2010", "", "PN2"],
            ],
        },
        Table {
            name: "OC2",
            columns: &[
                "CHILD",
                "DOB",
                "SDQ_SCORE",
                "SDQ_REASON",
                "CONVICTED",
                "HEALTH_CHECK",
                "IMMUNISATIONS",
                "TEETH_CHECK",
                "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE",
                "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED",
            ],
            rows: vec![
                // a score out of range and a flag that is not 1 or 0: read as blank, reported
                vec![
                    "A1",
                    "01/02/2010",
                    "41",
                    "",
                    "0",
                    "2",
                    "1",
                    "1",
                    "1",
                    "0",
                    "",
                    "",
                ],
                // nothing recorded: skipped (blank_row)
                vec!["C3", "2012-03-04", "", "", "", "", "", "", "", "", "", ""],
            ],
        },
        Table {
            name: "OC3",
            columns: &["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
            rows: vec![vec!["C3", "2012-03-04", "yes", "F2", "S1"]],
        },
        Table {
            name: "UASC",
            columns: &["CHILD", "SEX", "DOB", "DUC"],
            rows: vec![vec!["C3", "1", "2012-03-04", "01/01/2030"]],
        },
        Table {
            name: "Missing",
            columns: &["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
            rows: vec![
                vec!["A1", "01/02/2010", "M", "02/07/2023", "03/07/2023"],
                // a blank MISSING is an unknown code (spec 2.3); kept
                vec!["A1", "01/02/2010", "", "04/07/2023", ""],
            ],
        },
        Table {
            name: "AD1",
            columns: &[
                "CHILD",
                "DOB",
                "DATE_INT",
                "DATE_MATCH",
                "FOSTER_CARE",
                "NB_ADOPTR",
                "SEX_ADOPTR",
                "LS_ADOPTR",
            ],
            rows: vec![vec![
                "A1",
                "01/02/2010",
                "01/01/2024",
                "01/02/2024",
                "0",
                "2",
                "MF",
                "L0",
            ]],
        },
        Table {
            name: "PlacedAdoption",
            columns: &[
                "CHILD",
                "DOB",
                "DATE_PLACED",
                "DATE_PLACED_CEASED",
                "REASON_PLACED_CEASED",
            ],
            rows: vec![vec!["A1", "01/02/2010", "15/01/2024", "", ""]],
        },
        Table {
            name: "PrevPerm",
            columns: &["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
            rows: vec![vec!["C3", "2012-03-04", "z1", "", "ZZ/05/2015"]],
        },
    ]
}

/// The CIN census return of the test.
fn cin() -> Vec<Table> {
    vec![
        Table {
            name: "ChildIdentifiers",
            columns: &["LAchildID", "UPN", "PersonBirthDate", "Sex"],
            rows: vec![
                vec!["K1", "A123", "2015-03-27", "1"],
                // an unreadable birth date: blanked, the child kept
                vec!["K2", "", "2015-02-30", "2"],
            ],
        },
        Table {
            name: "CINdetails",
            columns: &[
                "LAchildID",
                "CINreferralDate",
                "ReferralSource",
                "PrimaryNeedCode",
                "CINclosureDate",
                "ReferralNFA",
            ],
            rows: vec![
                vec!["K1", "2023-06-01", "1a", "N1", "", "false"],
                // a boolean that is not one: unknown_code, read as unknown
                vec!["K2", "2023-07-01", "2B", "N9", "2023-09-01", "maybe"],
            ],
        },
        Table {
            name: "Assessments",
            columns: &[
                "LAchildID",
                "CINreferralDate",
                "AssessmentActualStartDate",
                "AssessmentAuthorisationDate",
            ],
            rows: vec![
                vec!["K1", "2023-06-01", "2023-06-02", "2023-07-20"],
                // an unreadable date of the row: skipped
                vec!["K1", "2023-06-01", "2023-06-31", ""],
            ],
        },
        Table {
            name: "ChildProtectionPlans",
            columns: &[
                "LAchildID",
                "CINreferralDate",
                "CPPstartDate",
                "CPPendDate",
                "NumberOfPreviousCPP",
            ],
            rows: vec![vec!["K1", "2023-06-01", "2023-06-20", "", "two"]],
        },
        Table {
            name: "CINPlanDates",
            columns: &[
                "LAchildID",
                "CINreferralDate",
                "CINPlanStartDate",
                "CINPlanEndDate",
            ],
            rows: vec![vec!["K2", "2023-07-01", "2023-07-02", "2023-08-01"]],
        },
    ]
}

/// The SSDA903 return as CSV files in a new folder.
fn write_csv(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    for t in ssda903() {
        let mut s = t.columns.join(",");
        s.push('\n');
        for r in &t.rows {
            s.push_str(&r.join(","));
            s.push('\n');
        }
        std::fs::write(dir.join(format!("{}.csv", t.name.to_lowercase())), s).unwrap();
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

/// The SSDA903 return in its XML form: each child's rows under one `CHILD`, its `HEADER` first.
fn ssda903_xml() -> String {
    let tables = ssda903();
    let header = &tables[0];
    let mut children: Vec<&str> = Vec::new();
    for t in &tables {
        for r in &t.rows {
            if !children.contains(&r[0]) {
                children.push(r[0]);
            }
        }
    }
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EXPSSDA903>\n");
    for child in children {
        x.push_str("<CHILD><HEADER>");
        let h = header.rows.iter().find(|r| r[0] == child);
        let _ = write!(x, "<CHILDID>{}</CHILDID>", esc(child));
        if let Some(h) = h {
            for (i, c) in header.columns.iter().enumerate().skip(1) {
                let _ = write!(x, "<{c}>{}</{c}>", esc(h[i]));
            }
        }
        for t in &tables[1..] {
            let s = schema::table_named(Some(ReturnKind::Ssda903), t.name).unwrap();
            for r in t.rows.iter().filter(|r| r[0] == child) {
                let own = |x: &mut String| {
                    for (i, c) in t.columns.iter().enumerate().skip(1) {
                        if matches!(*c, "DOB" | "SEX") {
                            continue; // held once, in the header
                        }
                        let f = s.column(c).unwrap();
                        let e = s.fields[f].xml_leaf();
                        let _ = write!(x, "<{e}>{}</{e}>", esc(r[i]));
                    }
                };
                match s.xml {
                    schema::XmlPlace::Flat { .. } => {
                        if t.name == "UASC" {
                            x.push_str("<UASC>1</UASC>");
                        }
                        own(&mut x);
                    }
                    schema::XmlPlace::Element {
                        element,
                        parent: "HEADER",
                    } => {
                        let _ = write!(x, "<{element}>");
                        own(&mut x);
                        let _ = write!(x, "</{element}>");
                    }
                    _ => {}
                }
            }
        }
        x.push_str("</HEADER>");
        let eps = &tables[1];
        for r in eps.rows.iter().filter(|r| r[0] == child) {
            x.push_str("<EPISODE>");
            for (i, c) in eps.columns.iter().enumerate().skip(1) {
                let e = if *c == "PLACE" { "PL" } else { c };
                let _ = write!(x, "<{e}>{}</{e}>", esc(r[i]));
            }
            x.push_str("</EPISODE>");
        }
        x.push_str("</CHILD>\n");
    }
    x.push_str("</EXPSSDA903>\n");
    x
}

/// The CIN census return as XML.
fn cin_xml() -> String {
    let t = cin();
    let mut x = String::from(
        "<Message><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header><Children>\n",
    );
    for child in &t[0].rows {
        let id = child[0];
        x.push_str("<Child><ChildIdentifiers>");
        for (i, c) in t[0].columns.iter().enumerate() {
            let _ = write!(x, "<{c}>{}</{c}>", child[i]);
        }
        x.push_str("</ChildIdentifiers>");
        for ep in t[1].rows.iter().filter(|r| r[0] == id) {
            x.push_str("<CINdetails>");
            for (i, c) in t[1].columns.iter().enumerate().skip(1) {
                let _ = write!(x, "<{c}>{}</{c}>", ep[i]);
            }
            for nested in &t[2..] {
                let element = nested.name;
                for r in nested.rows.iter().filter(|r| r[0] == id && r[1] == ep[1]) {
                    let _ = write!(x, "<{element}>");
                    for (i, c) in nested.columns.iter().enumerate().skip(2) {
                        let _ = write!(x, "<{c}>{}</{c}>", r[i]);
                    }
                    let _ = write!(x, "</{element}>");
                }
            }
            x.push_str("</CINdetails>");
        }
        x.push_str("</Child>\n");
    }
    x.push_str("</Children></Message>\n");
    x
}

/// Tables as Arrow batches of text columns.
fn frames(tables: Vec<Table>) -> Vec<TableInput> {
    tables
        .into_iter()
        .map(|t| {
            let fields: Vec<Field> = t
                .columns
                .iter()
                .map(|c| Field::new(*c, DataType::Utf8, true))
                .collect();
            let arrays: Vec<ArrayRef> = (0..t.columns.len())
                .map(|i| {
                    let col: Vec<&str> = t.rows.iter().map(|r| r[i]).collect();
                    Arc::new(StringArray::from(col)) as ArrayRef
                })
                .collect();
            let schema = Arc::new(Schema::new(fields));
            let batch = RecordBatch::try_new(schema.clone(), arrays).unwrap();
            TableInput::new(t.name, schema, vec![batch])
        })
        .collect()
}

fn load_inputs(returns: Vec<Input>, frames: Vec<ReturnInput>) -> Result<Dataset, Error> {
    let inputs = Inputs {
        returns,
        frames,
        ..Inputs::default()
    };
    load(&inputs, &|_| {}).map(|l| l.dataset)
}

/// Every row of every table of `ds`, as text, without where it came from.
fn content(ds: &Dataset) -> BTreeMap<&'static str, Vec<String>> {
    struct V<'a>(&'a Dataset, BTreeMap<&'static str, Vec<String>>);
    impl VisitColumns for V<'_> {
        fn columns<C: Columns>(&mut self, t: &C) {
            let rows = (0..t.len())
                .map(|i| {
                    let mut r = t.row(i, self.0.children());
                    r.set_origin(csc_measures::records::RowOrigin::default());
                    format!("{r:?}")
                })
                .collect();
            self.1.insert(<C::Row as Record>::SCHEMA.name, rows);
        }
    }
    let mut v = V(ds, BTreeMap::new());
    ds.cin().visit(&mut v);
    ds.ssda903().visit(&mut v);
    v.1
}

/// An entry without its placing: code, child, record, the official column, the value trimmed.
fn entry(i: &Issue) -> Entry {
    let loc = i.location.as_ref();
    let column = loc.and_then(|l| l.column.as_deref()).map(|c| match c {
        "CHILDID" => "CHILD".to_owned(),
        "PL" => "PLACE".to_owned(),
        c => c.to_owned(),
    });
    (
        i.code.as_str().to_owned(),
        i.child.as_ref().map(ToString::to_string),
        i.record.map(|d| d.to_string()),
        column,
        loc.and_then(|l| l.value.as_deref())
            .map(|v| v.trim().to_owned()),
    )
}

/// An entry as the test compares it: code, child, table, column, value.
type Entry = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The entries about the rows. (`mixed_date_formats` is about how one file writes its dates, one
/// entry per file whatever its rows: compared on its own.)
fn entries(ds: &Dataset) -> Vec<Entry> {
    let mut v: Vec<_> = ds
        .issues()
        .iter()
        .filter(|i| i.code.as_str() != "mixed_date_formats")
        .map(entry)
        .collect();
    v.sort();
    v
}

/// The files said to write dates both ways.
fn mixed(ds: &Dataset) -> Vec<String> {
    ds.issues()
        .iter()
        .filter(|i| i.code.as_str() == "mixed_date_formats")
        .filter_map(|i| i.location.as_ref()?.file.as_deref())
        .map(|f| f.rsplit('/').next().unwrap_or(f).to_owned())
        .collect()
}

#[test]
fn one_ssda903_return_as_csv_xml_and_arrow_loads_the_same() {
    let dir = std::env::temp_dir().join(format!("csc-api-formats-{}", std::process::id()));
    write_csv(&dir);
    let csv = load_inputs(
        vec![Input {
            kind: ReturnKind::Ssda903,
            source: Source::Path(dir.clone()),
            year: Some(2024),
        }],
        Vec::new(),
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let xml = load_inputs(
        vec![Input {
            kind: ReturnKind::Ssda903,
            source: Source::Bytes {
                name: "903.xml".into(),
                bytes: ssda903_xml().into_bytes().into(),
            },
            year: Some(2024),
        }],
        Vec::new(),
    )
    .unwrap();
    let arrow = load_inputs(
        Vec::new(),
        vec![ReturnInput::new(
            Some(ReturnKind::Ssda903),
            Some(2024),
            frames(ssda903()),
        )],
    )
    .unwrap();

    let want = content(&csv);
    // The rows that stand: skipped ones are not there, blanked dates are blank, codes normalised.
    assert_eq!(want["Header"].len(), 3);
    assert_eq!(want["Episodes"].len(), 3);
    assert_eq!(want["Reviews"].len(), 1);
    assert_eq!(want["OC2"].len(), 1);
    assert_eq!(want["PrevPerm"].len(), 1);
    assert!(
        want["Episodes"][0].contains("pl_post: \"AB12CD\""),
        "{}",
        want["Episodes"][0]
    );
    assert_eq!(content(&xml), want, "XML");
    assert_eq!(content(&arrow), want, "Arrow");

    let want = entries(&csv);
    let codes: Vec<&str> = want.iter().map(|e| e.0.as_str()).collect();
    for code in [
        "unreadable_date",
        "missing_identifier",
        "missing_key_date",
        "blank_row",
        "unknown_code",
    ] {
        assert!(codes.contains(&code), "{code} not in {codes:?}");
    }
    assert_eq!(entries(&xml), want, "XML");
    assert_eq!(entries(&arrow), want, "Arrow");
    // The test files write some dates as YYYY-MM-DD among the DD/MM/YYYY: one entry per such
    // file; typed Arrow dates have no written form.
    assert_eq!(mixed(&csv).len(), 4, "{:?}", mixed(&csv));
    assert_eq!(mixed(&xml), ["903.xml"]);
    assert!(mixed(&arrow).is_empty());
}

#[test]
fn one_cin_census_return_as_xml_and_arrow_loads_the_same() {
    let xml = load_inputs(
        vec![Input {
            kind: ReturnKind::Cin,
            source: Source::Bytes {
                name: "cin.xml".into(),
                bytes: cin_xml().into_bytes().into(),
            },
            year: Some(2024),
        }],
        Vec::new(),
    )
    .unwrap();
    let arrow = load_inputs(
        Vec::new(),
        vec![ReturnInput::new(
            Some(ReturnKind::Cin),
            Some(2024),
            frames(cin()),
        )],
    )
    .unwrap();
    let want = content(&xml);
    assert_eq!(want["Child"].len(), 2);
    assert_eq!(want["Assessments"].len(), 1);
    assert_eq!(want["CINPlanDates"].len(), 1);
    assert_eq!(content(&arrow), want);
    let want = entries(&xml);
    let codes: Vec<&str> = want.iter().map(|e| e.0.as_str()).collect();
    for code in ["unreadable_date", "unknown_code", "unreadable_value"] {
        assert!(codes.contains(&code), "{code} not in {codes:?}");
    }
    assert_eq!(entries(&arrow), want);
}

#[test]
fn strict_mode_stops_every_format_with_one_wording() {
    let dir = std::env::temp_dir().join(format!("csc-api-formats-strict-{}", std::process::id()));
    write_csv(&dir);
    let mut messages = Vec::new();
    let strict = |returns: Vec<Input>, frames: Vec<ReturnInput>| {
        let inputs = Inputs {
            returns,
            frames,
            strict: true,
            ..Inputs::default()
        };
        load(&inputs, &|_| {}).unwrap_err()
    };
    let e = strict(
        vec![Input {
            kind: ReturnKind::Ssda903,
            source: Source::Path(dir.clone()),
            year: Some(2024),
        }],
        Vec::new(),
    );
    let _ = std::fs::remove_dir_all(&dir);
    messages.push(e);
    messages.push(strict(
        vec![Input {
            kind: ReturnKind::Ssda903,
            source: Source::Bytes {
                name: "903.xml".into(),
                bytes: ssda903_xml().into_bytes().into(),
            },
            year: Some(2024),
        }],
        Vec::new(),
    ));
    messages.push(strict(
        Vec::new(),
        vec![ReturnInput::new(
            Some(ReturnKind::Ssda903),
            Some(2024),
            frames(ssda903()),
        )],
    ));
    for e in &messages {
        assert_eq!(e.kind(), csc_measures::ErrorKind::DataQuality);
        assert!(
            e.message()
                .starts_with("strict mode stops at the first problem: ["),
            "{e}"
        );
    }
}
