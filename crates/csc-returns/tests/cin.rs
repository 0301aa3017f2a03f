//! The CIN census XML reader and writer: every reading rule with its issue's code, line, path,
//! column and value; strict mode; malformed XML; variants; round trips; the peer data.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use compact_str::CompactString;
use csc_measures::quality::{Issue, IssueCode};
use csc_measures::records::{
    Assessment, CinChild, CinEpisode, CinPlan, CinReturn, CpPlan, ReturnSource, RowOrigin,
    Section47,
};
use csc_measures::rows::DateSyntax;
use csc_measures::schema::{Record, VisitRowsMut};
use csc_measures::{Day, ErrorKind};
use csc_returns::{Read, ReadOptions, cin};

/// The date form of the CIN census, as messages name it.
const DATES: &str = DateSyntax::Cin.forms();

fn d(s: &str) -> Day {
    s.parse().unwrap()
}

fn lenient() -> ReadOptions {
    ReadOptions::default()
}

fn strict() -> ReadOptions {
    ReadOptions {
        strict: true,
        ..ReadOptions::default()
    }
}

fn read(xml: &str) -> Read<CinReturn> {
    cin::read_xml_from("t.xml".into(), xml.as_bytes(), &lenient()).unwrap()
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/cin")
        .join(name)
}

fn peer(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/peer-data")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} is absent; skipping", p.display());
        None
    }
}

/// A document with `children` inside `Message/Children`.
fn doc(children: &str) -> String {
    format!("<Message>\n<Children>\n{children}\n</Children>\n</Message>\n")
}

/// Asserts code, line, path, column and value of an issue.
#[track_caller]
fn assert_at(i: &Issue, code: IssueCode, line: u32, path: &str, column: &str, value: Option<&str>) {
    let loc = i.location.as_ref().expect("a location");
    assert_eq!(i.code, code, "{i}");
    assert_eq!(loc.line, Some(line), "{i}");
    assert_eq!(loc.path.as_deref(), Some(path), "{i}");
    assert_eq!(loc.column.as_deref(), Some(column), "{i}");
    assert_eq!(loc.value.as_deref(), value, "{i}");
}

/// The records of every table of the return (each is a row of the file report).
/// Asserts code, line, path and value of an issue about a field that is absent, and that its
/// message names the field. (That its location names it as the column is checked by
/// `absent_fields_are_named_in_their_location`.)
#[track_caller]
fn assert_at_absent(i: &Issue, code: IssueCode, line: u32, path: &str, column: &str) {
    let loc = i.location.as_ref().expect("a location");
    assert_eq!(i.code, code, "{i}");
    assert_eq!(loc.line, Some(line), "{i}");
    assert_eq!(loc.path.as_deref(), Some(path), "{i}");
    assert_eq!(loc.value, None, "{i}");
    assert!(
        i.message.starts_with(&format!("{column} is absent: ")),
        "{i}"
    );
}

fn records(r: &CinReturn) -> usize {
    r.rows()
}

// ---------------------------------------------------------------------------------------------
// A complete file

#[test]
#[allow(clippy::too_many_lines)] // one assertion per record of the file
fn full_file_reads_every_field() {
    let path = golden("full.xml");
    let opts = ReadOptions {
        collection_year: Some(2024),
        ..ReadOptions::default()
    };
    let r = cin::read_xml(&path, &opts).unwrap();
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    let file: Arc<str> = path.to_string_lossy().into();
    let ret = &r.ret;
    assert_eq!(ret.source.files, vec![file.clone()]);
    assert_eq!(ret.source.collection_year, Some(2024));
    assert_eq!(ret.source.reference_date, Some(d("2024-03-31")));
    assert_eq!(r.files.len(), 1);
    assert_eq!(r.files[0].path, file);
    assert_eq!(r.files[0].table, "CIN census");
    // 2 Child, 2 CINdetails, 2 Assessments, 1 Section47, 1 ChildProtectionPlans and, read now
    // (spec 2.4), 1 CINPlanDates.
    assert_eq!(r.files[0].rows, 9);
    assert_eq!(r.files[0].skipped, 0);

    assert_eq!(
        ret.children,
        vec![
            CinChild {
                child: "007".into(),
                upn: "A123456789012".into(),
                birth_date: Some(d("2015-03-07")),
                expected_birth_date: Some(d("2015-03-01")),
                death_date: Some(d("2024-02-29")),
                sex: "1".into(),
                ethnicity: "WBRI".into(),
                disabilities: vec!["HAND".into(), "HEAR".into()],
                origin: RowOrigin::new(0, 15),
            },
            CinChild {
                child: "B&2".into(),
                sex: "2".into(),
                ethnicity: "MWBA".into(),
                origin: RowOrigin::new(0, 83),
                ..CinChild::default()
            },
        ]
    );
    assert_eq!(
        ret.episodes,
        vec![
            CinEpisode {
                child: "007".into(),
                referral_date: d("2023-04-03"),
                referral_source: "1A".into(),
                primary_need: "N4".into(),
                closure_date: Some(d("2024-01-15")),
                reason_for_closure: "RC1".into(),
                referral_nfa: Some(false),
                initial_cpc_date: Some(d("2023-05-02")),
                origin: RowOrigin::new(0, 33),
            },
            CinEpisode {
                child: "007".into(),
                referral_date: d("2024-02-01"),
                referral_source: "5B".into(),
                primary_need: "N1".into(),
                referral_nfa: Some(true),
                origin: RowOrigin::new(0, 76),
                ..CinEpisode::default()
            },
        ]
    );
    assert_eq!(
        ret.assessments,
        vec![
            Assessment {
                child: "007".into(),
                episode_referral_date: d("2023-04-03"),
                start_date: Some(d("2023-04-04")),
                internal_review_date: Some(d("2023-04-20")),
                authorisation_date: Some(d("2023-05-10")),
                factors: vec!["1C".into(), "4A".into()],
                origin: RowOrigin::new(0, 40),
            },
            Assessment {
                child: "007".into(),
                episode_referral_date: d("2023-04-03"),
                start_date: Some(d("2023-09-01")),
                origin: RowOrigin::new(0, 49),
                ..Assessment::default()
            },
        ]
    );
    assert_eq!(
        ret.section47s,
        vec![Section47 {
            child: "007".into(),
            episode_referral_date: d("2023-04-03"),
            start_date: Some(d("2023-04-10")),
            icpc_target_date: Some(d("2023-05-02")),
            icpc_date: Some(d("2023-05-02")),
            icpc_not_required: Some(false),
            origin: RowOrigin::new(0, 57),
        }]
    );
    assert_eq!(
        ret.plans,
        vec![CpPlan {
            child: "007".into(),
            episode_referral_date: d("2023-04-03"),
            start_date: Some(d("2023-05-02")),
            end_date: Some(d("2024-01-15")),
            initial_category: "PHY".into(),
            latest_category: "NEG".into(),
            previous_plans: Some(1),
            review_dates: vec![d("2023-08-01"), d("2023-11-01")],
            origin: RowOrigin::new(0, 64),
        }]
    );
    // CINPlanDates are CIN plans (spec 2.4), nested in the CIN episode they came in.
    assert_eq!(
        ret.cin_plans,
        vec![CinPlan {
            child: "007".into(),
            episode_referral_date: d("2023-04-03"),
            start_date: Some(d("2023-05-20")),
            end_date: Some(d("2023-06-01")),
            origin: RowOrigin::new(0, 53),
        }]
    );
    // The same file in strict mode: nothing to stop at.
    assert_eq!(
        cin::read_xml(
            &path,
            &ReadOptions {
                strict: true,
                ..opts
            }
        )
        .unwrap(),
        r
    );
}

// ---------------------------------------------------------------------------------------------
// Every rule, in one file with known lines

#[test]
#[allow(clippy::too_many_lines)] // one assertion per rule
fn problems_file_reports_every_rule_where_it_stands() {
    let path = golden("problems.xml");
    let r = cin::read_xml(&path, &lenient()).unwrap();
    let file: Arc<str> = path.to_string_lossy().into();
    for i in &r.issues {
        assert_eq!(i.location.as_ref().unwrap().file.as_ref(), Some(&file));
    }
    let is = &r.issues;
    assert_eq!(is.len(), 16, "{is:#?}");
    let c3 = "Message/Children/Child[3]";
    let ep5 = "Message/Children/Child[3]/CINdetails[5]";

    // A Child without LAchildID: one issue with the nested count, nothing of it kept.
    assert_at_absent(
        &is[0],
        IssueCode::MissingIdentifier,
        4,
        "Message/Children/Child[1]",
        "LAchildID",
    );
    assert!(
        is[0].message.contains(
            "with the 3 records nested in it (1 CINdetails, 1 Assessments, 1 ChildProtectionPlans)"
        ),
        "{}",
        is[0].message
    );
    assert_eq!(is[0].child, None);
    // A blank LAchildID is missing too, located at the element.
    assert_at(
        &is[1],
        IssueCode::MissingIdentifier,
        13,
        "Message/Children/Child[2]",
        "LAchildID",
        Some(""),
    );
    assert!(is[1].message.contains("blank") && is[1].message.contains("no records are nested"));

    // Child-level dates are blanked, the child kept.
    assert_at(
        &is[2],
        IssueCode::UnreadableDate,
        18,
        c3,
        "PersonBirthDate",
        Some("01/02/2015"),
    );
    assert_at(
        &is[3],
        IssueCode::UnreadableDate,
        20,
        c3,
        "PersonDeathDate",
        Some("2015-13-01"),
    );
    for i in &is[2..4] {
        assert_eq!(i.child.as_deref(), Some("C3"));
        assert_eq!(i.record, None);
        let loc = i.location.as_ref().unwrap();
        let start = format!(
            "{} {:?} is not a date ({DATES}); blanked, the Child element with the 15 records \
             nested in it",
            loc.column.as_deref().unwrap(),
            loc.value.as_deref().unwrap()
        );
        assert!(
            i.message.starts_with(&start) && i.message.ends_with(") is kept"),
            "{}",
            i.message
        );
    }

    // CINdetails without a usable CINreferralDate: skipped with everything nested.
    assert_at_absent(
        &is[4],
        IssueCode::MissingIdentifier,
        22,
        &format!("{c3}/CINdetails[1]"),
        "CINreferralDate",
    );
    assert!(
        is[4]
            .message
            .contains("with the 1 record nested in it (1 Section47)"),
        "{}",
        is[4].message
    );
    assert_at(
        &is[5],
        IssueCode::MissingIdentifier,
        27,
        &format!("{c3}/CINdetails[2]"),
        "CINreferralDate",
        Some(""),
    );
    assert_at(
        &is[6],
        IssueCode::UnreadableDate,
        30,
        &format!("{c3}/CINdetails[3]"),
        "CINreferralDate",
        Some("2023-02-30"),
    );
    assert!(
        is[6]
            .message
            .contains("with the 2 records nested in it (2 Assessments)"),
        "{}",
        is[6].message
    );
    assert_eq!(is[6].record, None);

    // Another unreadable date of a CINdetails: skipped with its nested records; the others named.
    assert_at(
        &is[7],
        IssueCode::UnreadableDate,
        36,
        &format!("{c3}/CINdetails[4]"),
        "CINclosureDate",
        Some("2023-04-01T00:00:00"),
    );
    assert_eq!(is[7].record, Some(d("2023-04-01")));
    assert!(
        is[7]
            .message
            .contains("also unreadable: DateOfInitialCPC \"23-04-02\""),
        "{}",
        is[7].message
    );
    assert!(
        is[7].message.contains("1 ChildProtectionPlans"),
        "{}",
        is[7].message
    );

    // A boolean that is not true/false/1/0: unknown, the episode kept (spec 2.4, v2 change:
    // `unknown_code`).
    assert_at(
        &is[8],
        IssueCode::UnknownCode,
        43,
        ep5,
        "ReferralNFA",
        Some("yes"),
    );
    assert_eq!(is[8].record, Some(d("2023-06-01")));
    // Unreadable dates of nested records: that record skipped.
    assert_at(
        &is[9],
        IssueCode::UnreadableDate,
        49,
        &format!("{ep5}/Assessments[2]"),
        "AssessmentAuthorisationDate",
        Some("10/07/2023"),
    );
    assert_eq!(is[9].record, Some(d("2023-06-10")));
    assert_at(
        &is[10],
        IssueCode::UnreadableDate,
        53,
        &format!("{ep5}/Section47[1]"),
        "InitialCPCtarget",
        Some("2023-6-31"),
    );
    assert_eq!(is[10].record, Some(d("2023-06-03")));
    assert_at(
        &is[11],
        IssueCode::UnknownCode,
        57,
        &format!("{ep5}/Section47[2]"),
        "ICPCnotRequired",
        Some("Y"),
    );
    assert_at(
        &is[12],
        IssueCode::UnreadableValue,
        62,
        &format!("{ep5}/ChildProtectionPlans[1]"),
        "NumberOfPreviousCPP",
        Some("two"),
    );
    assert_eq!(is[12].record, Some(d("2023-07-01")));
    assert_at(
        &is[13],
        IssueCode::UnreadableDate,
        65,
        &format!("{ep5}/ChildProtectionPlans[1]"),
        "CPPreviewDate",
        Some("2023-09-31"),
    );
    // A blank review date is no review (spec 2.4: `missing_key_date`); the plan is kept.
    assert_at(
        &is[14],
        IssueCode::MissingKeyDate,
        66,
        &format!("{ep5}/ChildProtectionPlans[1]"),
        "CPPreviewDate",
        Some(""),
    );
    assert_eq!(is[14].record, Some(d("2023-07-01")));
    assert_eq!(
        is[14].message,
        "CPPreviewDate is blank: no date; the ChildProtectionPlans element is kept"
    );
    assert_at(
        &is[15],
        IssueCode::UnreadableDate,
        71,
        &format!("{ep5}/ChildProtectionPlans[2]"),
        "CPPendDate",
        Some("2023-10-32"),
    );
    for i in &is[2..] {
        assert_eq!(i.child.as_deref(), Some("C3"), "{i}");
    }

    // What is kept.
    let ret = &r.ret;
    assert_eq!(ret.children.len(), 1);
    let c = &ret.children[0];
    assert_eq!(
        (
            c.child.as_str(),
            c.birth_date,
            c.expected_birth_date,
            c.death_date
        ),
        ("C3", None, None, None)
    );
    assert_eq!(ret.episodes.len(), 1);
    let e = &ret.episodes[0];
    assert_eq!(
        (e.referral_date, e.closure_date, e.referral_nfa),
        (d("2023-06-01"), None, None)
    );
    assert_eq!(ret.assessments.len(), 1);
    assert_eq!(ret.assessments[0].start_date, Some(d("2023-06-02")));
    assert_eq!(ret.section47s.len(), 1);
    assert_eq!(ret.section47s[0].start_date, Some(d("2023-06-04")));
    assert_eq!(ret.section47s[0].icpc_not_required, None);
    assert_eq!(ret.plans.len(), 1);
    let p = &ret.plans[0];
    assert_eq!((p.end_date, p.previous_plans), (None, None));
    assert_eq!(p.review_dates, vec![d("2023-08-01")]);
    assert!(
        ret.plans
            .iter()
            .chain(&[])
            .all(|p| p.episode_referral_date == d("2023-06-01"))
    );

    // Rows: 3 Child elements and 18 records in them; all but the 5 kept are skipped.
    assert_eq!((r.files[0].rows, r.files[0].skipped), (21, 16));
    assert_eq!(r.files[0].rows - r.files[0].skipped, records(ret));

    // Strict mode stops at the first of them, with the same detail.
    let err = cin::read_xml(&path, &strict()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality);
    assert_eq!(err.location(), is[0].location.as_ref());
    assert!(err.message().contains("[missing_identifier]"), "{err}");
    assert!(err.message().contains(&is[0].message), "{err}");
    assert_eq!(err, is[0].strict_error());
}

#[test]
fn absent_fields_are_named_in_their_location() {
    // Spec 3: an entry gives the column when known; the reader names the field's element as the
    // column, at the record's element when the field is absent (as it did before the row rules).
    let r = cin::read_xml(&golden("problems.xml"), &lenient()).unwrap();
    assert_at(
        &r.issues[0],
        IssueCode::MissingIdentifier,
        4,
        "Message/Children/Child[1]",
        "LAchildID",
        None,
    );
    assert_at(
        &r.issues[4],
        IssueCode::MissingIdentifier,
        22,
        "Message/Children/Child[3]/CINdetails[1]",
        "CINreferralDate",
        None,
    );
}

#[test]
fn strict_mode_stops_at_the_first_problem_of_each_kind() {
    // Strict mode stops at an entry whose code stops it: what is not used (a skipped record, a
    // blanked date, a dropped review date).
    let cases = [
        (
            "<Child><CINdetails><CINreferralDate>x</CINreferralDate></CINdetails><LAchildID>A</LAchildID></Child>",
            IssueCode::UnreadableDate,
            "CINreferralDate",
        ),
        (
            "<Child><LAchildID>A</LAchildID><PersonBirthDate>1/1/2020</PersonBirthDate></Child>",
            IssueCode::UnreadableDate,
            "PersonBirthDate",
        ),
        (
            "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate><ChildProtectionPlans><Reviews><CPPreviewDate/></Reviews></ChildProtectionPlans></CINdetails></Child>",
            IssueCode::MissingKeyDate,
            "CPPreviewDate",
        ),
        (
            "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate><CINPlanDates><CINPlanEndDate>2020-02-30</CINPlanEndDate></CINPlanDates></CINdetails></Child>",
            IssueCode::UnreadableDate,
            "CINPlanEndDate",
        ),
    ];
    for (child, code, column) in cases {
        let xml = doc(child);
        let lenient_read = read(&xml);
        assert_eq!(lenient_read.issues.len(), 1, "{child}");
        assert_eq!(lenient_read.issues[0].code, code);
        assert!(code.stops_strict());
        let err = cin::read_xml_from("t.xml".into(), xml.as_bytes(), &strict()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DataQuality, "{err}");
        let loc = err.location().unwrap();
        assert_eq!(loc.line, Some(3));
        assert_eq!(loc.column.as_deref(), Some(column));
        assert_eq!(Some(loc), lenient_read.issues[0].location.as_ref());
        assert!(err.message().contains(&format!("[{code}]")), "{err}");
        assert!(
            err.message().contains("child A") || column == "CINreferralDate",
            "{err}"
        );
        assert_eq!(err, lenient_read.issues[0].strict_error());
    }
    // Warnings do not stop it (an unknown boolean, a count that is not a whole number, a repeated
    // field, stray text): the strict read gives the lenient read's records and entries.
    let warnings = [
        (
            "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate><ReferralNFA>no</ReferralNFA></CINdetails></Child>",
            IssueCode::UnknownCode,
            "ReferralNFA",
        ),
        (
            "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate><ChildProtectionPlans><NumberOfPreviousCPP>-1</NumberOfPreviousCPP></ChildProtectionPlans></CINdetails></Child>",
            IssueCode::UnreadableValue,
            "NumberOfPreviousCPP",
        ),
        (
            "<Child><LAchildID>A</LAchildID><UPN>U1</UPN><UPN>U2</UPN></Child>",
            IssueCode::UnreadableValue,
            "UPN",
        ),
        (
            "<Child><ChildIdentifiers><LAchildID>A</LAchildID>stray</ChildIdentifiers></Child>",
            IssueCode::UnreadableValue,
            "ChildIdentifiers",
        ),
    ];
    for (child, code, column) in warnings {
        let xml = doc(child);
        let lenient_read = read(&xml);
        assert_eq!(lenient_read.issues.len(), 1, "{child}");
        assert_eq!(lenient_read.issues[0].code, code);
        assert_eq!(
            lenient_read.issues[0]
                .location
                .as_ref()
                .unwrap()
                .column
                .as_deref(),
            Some(column)
        );
        assert!(!code.stops_strict());
        let strict_read = cin::read_xml_from("t.xml".into(), xml.as_bytes(), &strict()).unwrap();
        assert_eq!(strict_read, lenient_read, "{child}");
    }
    // The header too.
    let xml = "<Message><Header><CollectionDetails><ReferenceDate>31/03/2024</ReferenceDate></CollectionDetails></Header></Message>";
    let r = read(xml);
    assert_eq!(r.ret.source.reference_date, None);
    assert_at(
        &r.issues[0],
        IssueCode::UnreadableDate,
        1,
        "Message/Header/CollectionDetails",
        "ReferenceDate",
        Some("31/03/2024"),
    );
    let err = cin::read_xml_from("t.xml".into(), xml.as_bytes(), &strict()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality);
    assert_eq!(err, r.issues[0].strict_error());
}

#[test]
fn problems_inside_a_skipped_element_are_not_reported_again() {
    // The Child has no LAchildID: its unreadable dates are skipped with it, in one issue.
    let r = read(&doc(
        "<Child><PersonBirthDate>bad</PersonBirthDate><CINdetails><CINreferralDate>bad</CINreferralDate>\
         <Assessments><AssessmentActualStartDate>bad</AssessmentActualStartDate></Assessments></CINdetails></Child>",
    ));
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    assert_eq!(r.issues[0].code, IssueCode::MissingIdentifier);
    assert!(
        r.issues[0].message.contains("2 records"),
        "{}",
        r.issues[0].message
    );
    assert_eq!((r.files[0].rows, r.files[0].skipped), (3, 3));
}

// ---------------------------------------------------------------------------------------------
// Values

#[test]
fn booleans_in_any_case_and_one_zero() {
    let cases = [
        ("true", Some(true)),
        ("TRUE", Some(true)),
        ("True", Some(true)),
        (" 1 ", Some(true)),
        ("false", Some(false)),
        ("FaLsE", Some(false)),
        ("0", Some(false)),
        ("", None),
        ("  ", None),
    ];
    for (text, want) in cases {
        let r = read(&doc(&format!(
            "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate>\
             <ReferralNFA>{text}</ReferralNFA><Section47><ICPCnotRequired>{text}</ICPCnotRequired></Section47>\
             </CINdetails></Child>"
        )));
        assert!(r.issues.is_empty(), "{text:?}: {:?}", r.issues);
        assert_eq!(r.ret.episodes[0].referral_nfa, want, "{text:?}");
        assert_eq!(r.ret.section47s[0].icpc_not_required, want, "{text:?}");
    }
    for text in ["yes", "Y", "2", "t"] {
        let r = read(&doc(&format!(
            "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate>\
             <ReferralNFA>{text}</ReferralNFA></CINdetails></Child>"
        )));
        assert_eq!(r.ret.episodes[0].referral_nfa, None);
        // Spec 2 and 2.4 (v2 change): anything else is unknown, with `unknown_code`.
        assert_at(
            &r.issues[0],
            IssueCode::UnknownCode,
            3,
            "Message/Children/Child[1]/CINdetails[1]",
            "ReferralNFA",
            Some(text),
        );
        assert_eq!(
            r.issues[0].message,
            format!("ReferralNFA {text:?} is not true, false, 1 or 0: read as unknown")
        );
        assert_eq!(r.issues[0].record, Some(d("2020-01-01")));
        // ICPCnotRequired is read like ReferralNFA (spec 2.4).
        let r = read(&doc(&format!(
            "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate>\
             <Section47><S47ActualStartDate>2020-01-05</S47ActualStartDate><ICPCnotRequired>{text}</ICPCnotRequired></Section47></CINdetails></Child>"
        )));
        assert_eq!(r.ret.section47s[0].icpc_not_required, None);
        assert_at(
            &r.issues[0],
            IssueCode::UnknownCode,
            3,
            "Message/Children/Child[1]/CINdetails[1]/Section47[1]",
            "ICPCnotRequired",
            Some(text),
        );
        assert_eq!(r.issues[0].record, Some(d("2020-01-05")));
    }
}

#[test]
fn number_of_previous_plans() {
    let plan = |text: &str| {
        read(&doc(&format!(
            "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate>\
             <ChildProtectionPlans><CPPstartDate>2020-02-01</CPPstartDate>\
             <NumberOfPreviousCPP>{text}</NumberOfPreviousCPP></ChildProtectionPlans></CINdetails></Child>"
        )))
    };
    for (text, want) in [
        ("0", Some(0)),
        ("007", Some(7)),
        (" 12 ", Some(12)),
        ("", None),
    ] {
        let r = plan(text);
        assert!(r.issues.is_empty());
        assert_eq!(r.ret.plans[0].previous_plans, want, "{text:?}");
    }
    for text in ["two", "-1", "1.5", "99999999999"] {
        let r = plan(text);
        assert_eq!(r.ret.plans.len(), 1, "the plan is kept");
        assert_eq!(r.ret.plans[0].previous_plans, None);
        assert_at(
            &r.issues[0],
            IssueCode::UnreadableValue,
            3,
            "Message/Children/Child[1]/CINdetails[1]/ChildProtectionPlans[1]",
            "NumberOfPreviousCPP",
            Some(text),
        );
        assert_eq!(r.issues[0].record, Some(d("2020-02-01")));
        assert_eq!(
            r.issues[0].message,
            format!("NumberOfPreviousCPP {text:?} is not a whole number: read as unknown")
        );
    }
}

#[test]
fn dates_iso_only_blank_stays_blank() {
    let one = |date: &str| {
        read(&doc(&format!(
            "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate>\
             <Assessments><AssessmentActualStartDate>{date}</AssessmentActualStartDate></Assessments>\
             </CINdetails></Child>"
        )))
    };
    for (text, want) in [
        ("2020-1-2", Some("2020-01-02")),
        ("2020-01-02", Some("2020-01-02")),
        ("", None),
        ("\n  \t", None),
    ] {
        let r = one(text);
        assert!(r.issues.is_empty(), "{text:?}");
        assert_eq!(r.ret.assessments[0].start_date, want.map(d), "{text:?}");
    }
    for text in [
        "02/01/2020",
        "20-01-02",
        "2020-01-02T00:00:00",
        "2020-02-30",
        "2020/01/02",
        "2020-001-02",
    ] {
        let r = one(text);
        assert!(r.ret.assessments.is_empty(), "{text:?}");
        assert_eq!(r.ret.episodes.len(), 1, "the CIN episode stays");
        assert_at(
            &r.issues[0],
            IssueCode::UnreadableDate,
            3,
            "Message/Children/Child[1]/CINdetails[1]/Assessments[1]",
            "AssessmentActualStartDate",
            Some(text),
        );
        assert_eq!(r.issues[0].record, None);
        assert_eq!(r.issues[0].child.as_deref(), Some("A"));
    }
    // A blank key date keeps the record (spec 2.1: a blank key date is a key value like any other).
    let r = read(&doc(
        "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate>\
         <Section47><S47ActualStartDate/></Section47><ChildProtectionPlans/></CINdetails></Child>",
    ));
    assert!(r.issues.is_empty());
    assert_eq!(r.ret.section47s[0].start_date, None);
    assert_eq!(r.ret.plans[0].start_date, None);
    assert_eq!(r.ret.plans[0].episode_referral_date, d("2020-01-01"));
}

#[test]
fn text_is_trimmed_and_codes_kept_as_they_stand() {
    let r = read(&doc(
        "<Child><ChildIdentifiers><LAchildID>\n   0042 \n</LAchildID><UPN> a1 </UPN><Sex> m </Sex></ChildIdentifiers>\
         <ChildCharacteristics><Ethnicity> wbri </Ethnicity><Disabilities><Disability> hand </Disability><Disability> </Disability></Disabilities></ChildCharacteristics>\
         <CINdetails><CINreferralDate> 2020-01-01 </CINreferralDate><ReferralSource> 1a </ReferralSource><PrimaryNeedCode>n4</PrimaryNeedCode>\
         <Assessments><FactorsIdentifiedAtAssessment><AssessmentFactors> 2a </AssessmentFactors><AssessmentFactors/></FactorsIdentifiedAtAssessment></Assessments></CINdetails></Child>",
    ));
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    let c = &r.ret.children[0];
    assert_eq!(
        (
            c.child.as_str(),
            c.upn.as_str(),
            c.sex.as_str(),
            c.ethnicity.as_str()
        ),
        ("0042", "a1", "m", "wbri")
    );
    assert_eq!(c.disabilities, vec![CompactString::from("hand")]);
    let e = &r.ret.episodes[0];
    assert_eq!(
        (
            e.child.as_str(),
            e.referral_source.as_str(),
            e.primary_need.as_str()
        ),
        ("0042", "1a", "n4")
    );
    assert_eq!(
        r.ret.assessments[0].factors,
        vec![CompactString::from("2a")]
    );
}

#[test]
fn nested_records_take_their_episode_referral_date_whatever_the_order() {
    // The referral date comes after the nested records, the identifiers after the episodes.
    let r = read(&doc(
        "<Child><CINdetails><Assessments><AssessmentActualStartDate>2021-01-02</AssessmentActualStartDate></Assessments>\
         <Section47/><ChildProtectionPlans/><CINreferralDate>2021-01-01</CINreferralDate></CINdetails>\
         <CINdetails><CINreferralDate>2021-06-01</CINreferralDate><Assessments/></CINdetails>\
         <ChildIdentifiers><LAchildID>Z</LAchildID></ChildIdentifiers></Child>",
    ));
    assert!(r.issues.is_empty());
    let erd: Vec<(&str, Day)> = r
        .ret
        .assessments
        .iter()
        .map(|a| (a.child.as_str(), a.episode_referral_date))
        .chain(
            r.ret
                .section47s
                .iter()
                .map(|s| (s.child.as_str(), s.episode_referral_date)),
        )
        .chain(
            r.ret
                .plans
                .iter()
                .map(|p| (p.child.as_str(), p.episode_referral_date)),
        )
        .collect();
    assert_eq!(
        erd,
        vec![
            ("Z", d("2021-01-01")),
            ("Z", d("2021-06-01")),
            ("Z", d("2021-01-01")),
            ("Z", d("2021-01-01"))
        ]
    );
}

#[test]
fn repeated_fields_keep_the_first_and_report_a_difference() {
    let r = read(&doc(
        "<Child>\n<LAchildID>A</LAchildID>\n<LAchildID>A</LAchildID>\n<GenderCurrent>1</GenderCurrent>\n<Sex>2</Sex>\n\
         <CINdetails><CINreferralDate>2020-01-01</CINreferralDate>\n<CINreferralDate>2020-01-02</CINreferralDate></CINdetails></Child>",
    ));
    assert_eq!(r.ret.children[0].sex, "1");
    assert_eq!(r.ret.episodes[0].referral_date, d("2020-01-01"));
    assert_eq!(r.issues.len(), 2, "{:?}", r.issues);
    assert_at(
        &r.issues[0],
        IssueCode::UnreadableValue,
        7,
        "Message/Children/Child[1]",
        "Sex",
        Some("2"),
    );
    assert_at(
        &r.issues[1],
        IssueCode::UnreadableValue,
        9,
        "Message/Children/Child[1]/CINdetails[1]",
        "CINreferralDate",
        Some("2020-01-02"),
    );
    assert!(r.issues[1].message.contains("the first value is kept"));
}

#[test]
fn stray_text_between_elements_is_reported() {
    let r = read(&doc(
        "<Child><ChildIdentifiers><LAchildID>A</LAchildID>\n oops &amp; more \n<UPN>U</UPN></ChildIdentifiers></Child>",
    ));
    assert_eq!(r.ret.children[0].upn, "U");
    assert_eq!(r.issues.len(), 1);
    assert_at(
        &r.issues[0],
        IssueCode::UnreadableValue,
        4,
        "Message/Children/Child[1]",
        "ChildIdentifiers",
        Some("oops & more"),
    );
    // Outside a Child, reported at once.
    let r = read(
        "<Message>\n<Children>stray<Child><LAchildID>A</LAchildID></Child></Children></Message>",
    );
    assert_at(
        &r.issues[0],
        IssueCode::UnreadableValue,
        2,
        "Message/Children",
        "Children",
        Some("stray"),
    );
    // Text inside elements the records do not model is theirs: nothing to report.
    let r = read(
        "<Message><Header><Source><LEA>201</LEA>free text<X>y</X></Source></Header></Message>",
    );
    assert!(r.issues.is_empty());
}

#[test]
fn unknown_and_unmodelled_elements_are_ignored() {
    let mut r = read(&doc(
        "<Child><Future><LAchildID>NOT</LAchildID></Future><ChildIdentifiers><LAchildID>A</LAchildID>\
         <FormerUPN>F</FormerUPN><UPNunknown>UN1</UPNunknown><Nested><UPN>NOT</UPN></Nested></ChildIdentifiers>\
         <CINdetails><CINreferralDate>2020-01-01</CINreferralDate><CINPlanDates><CINPlanStartDate>x</CINPlanStartDate></CINPlanDates>\
         <PreProceedingsandFGDM><PPStartDate>2026-09-09</PPStartDate><DateOfInitialCPC>bad</DateOfInitialCPC></PreProceedingsandFGDM>\
         <Extra><Assessments/></Extra></CINdetails></Child><Child2><LAchildID>B</LAchildID></Child2>",
    ));
    // CINPlanDates is no longer an element the records do not model: it is a CIN plan (spec 2.4),
    // and this one's unreadable start date makes it unusable. The Assessments out of its place
    // (in an unknown element) is not read, but reported; nothing else here is read or reported.
    assert_eq!(r.issues.len(), 2, "{:?}", r.issues);
    assert_at(
        &r.issues.remove(0),
        IssueCode::UnknownTable,
        3,
        "Message/Children/Child[1]/CINdetails[1]/Extra/Assessments",
        "Assessments",
        None,
    );
    assert_at(
        &r.issues[0],
        IssueCode::UnreadableDate,
        3,
        "Message/Children/Child[1]/CINdetails[1]/CINPlanDates[1]",
        "CINPlanStartDate",
        Some("x"),
    );
    assert_eq!(
        r.issues[0].message,
        format!(
            "CINPlanStartDate \"x\" is not a date ({DATES}); the CINPlanDates element is skipped"
        )
    );
    assert!(r.ret.cin_plans.is_empty());
    assert_eq!(r.ret.children.len(), 1);
    assert_eq!(r.ret.children[0].child, "A");
    assert_eq!(r.ret.children[0].upn, "");
    assert_eq!(r.ret.episodes[0].initial_cpc_date, None);
    assert!(r.ret.assessments.is_empty());
    assert_eq!((r.files[0].rows, r.files[0].skipped), (4, 2));
}

#[test]
fn cin_plans_are_read_with_their_episode() {
    // Spec 2.4: `CINdetails/CINPlanDates` (0..n), `CINPlanStartDate` and `CINPlanEndDate`; a plan
    // remembers its CIN episode; a blank start is kept (2.6: never open).
    let r = read(&doc("<Child><LAchildID>A</LAchildID>\n<CINdetails>\n\
         <CINPlanDates><CINPlanStartDate>2020-02-01</CINPlanStartDate><CINPlanEndDate>2020-3-1</CINPlanEndDate></CINPlanDates>\n\
         <CINreferralDate>2020-01-01</CINreferralDate>\n\
         <CINPlanDates><CINPlanStartDate/></CINPlanDates>\n\
         <CINPlanDates><CINPlanStartDate>2020-04-01</CINPlanStartDate><CINPlanEndDate>01/05/2020</CINPlanEndDate></CINPlanDates>\n\
         </CINdetails>\n\
         <CINdetails><CINreferralDate>2021-01-01</CINreferralDate><CINPlanDates><CINPlanStartDate>2021-02-01</CINPlanStartDate></CINPlanDates></CINdetails>\n\
         <CINdetails><CINPlanDates><CINPlanStartDate>2022-02-01</CINPlanStartDate></CINPlanDates></CINdetails>\n\
         </Child>"));
    let plan = |erd: &str, start: Option<&str>, end: Option<&str>, line: u32| CinPlan {
        child: "A".into(),
        episode_referral_date: d(erd),
        start_date: start.map(d),
        end_date: end.map(d),
        origin: RowOrigin::new(0, line),
    };
    assert_eq!(
        r.ret.cin_plans,
        vec![
            plan("2020-01-01", Some("2020-02-01"), Some("2020-03-01"), 5),
            plan("2020-01-01", None, None, 7),
            plan("2021-01-01", Some("2021-02-01"), None, 10),
        ]
    );
    let is = &r.issues;
    assert_eq!(is.len(), 2, "{is:?}");
    // An unreadable date of a plan skips that plan.
    assert_at(
        &is[0],
        IssueCode::UnreadableDate,
        8,
        "Message/Children/Child[1]/CINdetails[1]/CINPlanDates[3]",
        "CINPlanEndDate",
        Some("01/05/2020"),
    );
    assert_eq!(is[0].record, Some(d("2020-04-01")));
    // A CIN episode without a CINreferralDate is skipped with its plans, which are counted.
    assert_at_absent(
        &is[1],
        IssueCode::MissingIdentifier,
        11,
        "Message/Children/Child[1]/CINdetails[3]",
        "CINreferralDate",
    );
    assert!(
        is[1]
            .message
            .contains("with the 1 record nested in it (1 CINPlanDates)"),
        "{}",
        is[1].message
    );
    // Each CINPlanDates is a row of the file report (1 Child, 3 CINdetails, 5 CINPlanDates).
    assert_eq!((r.files[0].rows, r.files[0].skipped), (9, 3));
    assert_eq!(r.files[0].rows - r.files[0].skipped, records(&r.ret));
}

#[test]
fn review_dates_blank_unreadable_and_repeated_fields() {
    // Spec 2.4: a blank CPPreviewDate is skipped (`missing_key_date`), an unreadable one too
    // (`unreadable_date`); the plan is kept with the others. A single-valued field given twice
    // keeps the first value (`unreadable_value`).
    let r = read(&doc(
        "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate>\n\
         <ChildProtectionPlans><CPPstartDate>2020-02-01</CPPstartDate>\n\
         <CPPendDate>2020-06-01</CPPendDate>\n<CPPendDate>2020-07-01</CPPendDate>\n<CPPendDate>2020-06-01</CPPendDate>\n\
         <Reviews><CPPreviewDate>2020-04-01</CPPreviewDate>\n<CPPreviewDate></CPPreviewDate>\n\
         <CPPreviewDate>2020-02-30</CPPreviewDate>\n<CPPreviewDate>2020-03-01</CPPreviewDate>\n\
         <CPPreviewDate>2020-04-01</CPPreviewDate></Reviews>\n\
         <CPPreviewDate>2020-05-01</CPPreviewDate>\n\
         </ChildProtectionPlans></CINdetails></Child>",
    ));
    assert_eq!(r.ret.plans.len(), 1);
    let p = &r.ret.plans[0];
    assert_eq!(p.end_date, Some(d("2020-06-01")));
    // Distinct and ascending; a review date directly in the plan counts too.
    assert_eq!(
        p.review_dates,
        vec![d("2020-03-01"), d("2020-04-01"), d("2020-05-01")]
    );
    let plan = "Message/Children/Child[1]/CINdetails[1]/ChildProtectionPlans[1]";
    let is = &r.issues;
    assert_eq!(is.len(), 3, "{is:?}");
    assert_at(
        &is[0],
        IssueCode::UnreadableValue,
        6,
        plan,
        "CPPendDate",
        Some("2020-07-01"),
    );
    assert!(
        is[0].message.contains("the first value is kept"),
        "{}",
        is[0].message
    );
    assert_at(
        &is[1],
        IssueCode::MissingKeyDate,
        9,
        plan,
        "CPPreviewDate",
        Some(""),
    );
    assert_at(
        &is[2],
        IssueCode::UnreadableDate,
        10,
        plan,
        "CPPreviewDate",
        Some("2020-02-30"),
    );
    assert_eq!(
        is[2].message,
        format!(
            "CPPreviewDate \"2020-02-30\" is not a date ({DATES}): this date is dropped, the \
             ChildProtectionPlans element is kept"
        )
    );
    for i in is {
        assert_eq!(
            (i.child.as_deref(), i.record),
            (Some("A"), Some(d("2020-02-01")))
        );
    }
}

#[test]
fn assessment_factors_are_kept_by_the_reader_and_normalised_by_the_builder() {
    // Spec 2.4: factors are trimmed and upper-cased, blanks ignored, the set distinct; a value
    // outside the list is reported (`unknown_code`) and kept. The reader drops blanks and trims;
    // the builder does the rest, for rows of every origin.
    let r = read(&doc(
        "<Child><LAchildID>A</LAchildID><CINdetails><CINreferralDate>2020-01-01</CINreferralDate>\n\
         <Assessments><AssessmentActualStartDate>2020-01-02</AssessmentActualStartDate>\n\
         <FactorsIdentifiedAtAssessment><AssessmentFactors> 2a </AssessmentFactors><AssessmentFactors/>\
         <AssessmentFactors>2A</AssessmentFactors><AssessmentFactors>xx</AssessmentFactors><AssessmentFactors>21</AssessmentFactors>\
         </FactorsIdentifiedAtAssessment></Assessments></CINdetails></Child>",
    ));
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    assert_eq!(
        r.ret.assessments[0].factors,
        ["2a", "2A", "xx", "21"].map(CompactString::from)
    );
    let ds = csc_measures::DatasetBuilder::new()
        .cin(r.ret)
        .build()
        .unwrap();
    let a = ds.assessments();
    assert_eq!(a.len(), 1);
    assert_eq!(a.factors[0], ["2A", "XX", "21"].map(CompactString::from));
    let unknown: Vec<&Issue> = ds
        .issues()
        .iter()
        .filter(|i| i.code == IssueCode::UnknownCode)
        .collect();
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    let loc = unknown[0].location.as_ref().unwrap();
    assert_eq!(
        (
            loc.file.as_deref(),
            loc.line,
            loc.column.as_deref(),
            loc.value.as_deref()
        ),
        (
            Some("t.xml"),
            Some(4),
            Some("AssessmentFactors"),
            Some("XX")
        )
    );
    assert_eq!(
        (unknown[0].child.as_deref(), unknown[0].record),
        (Some("A"), Some(d("2020-01-02")))
    );
}

// ---------------------------------------------------------------------------------------------
// Variants

#[test]
fn namespaces_bom_crlf_cdata_references_and_other_orders() {
    let path = golden("variants.xml");
    let raw = std::fs::read(&path).unwrap();
    assert!(raw.starts_with(b"\xEF\xBB\xBF") && raw.windows(2).any(|w| w == b"\r\n"));
    let r = cin::read_xml(&path, &lenient()).unwrap();
    let ret = &r.ret;
    assert_eq!(ret.source.reference_date, Some(d("2023-03-31")));
    assert_eq!(ret.children.len(), 2);
    let c1 = &ret.children[0];
    assert_eq!(
        (c1.child.as_str(), c1.sex.as_str(), c1.ethnicity.as_str()),
        ("C<1>", "9", "WBRI")
    );
    assert_eq!(c1.disabilities, vec![CompactString::from("MOB")]);
    assert_eq!(c1.origin, RowOrigin::new(0, 7));
    assert_eq!(ret.episodes.len(), 1);
    assert_eq!(ret.episodes[0].referral_date, d("2022-06-01"));
    assert_eq!(ret.episodes[0].referral_nfa, Some(false));
    assert_eq!(ret.episodes[0].child, "C<1>");
    assert_eq!(ret.assessments[0].start_date, Some(d("2022-06-03")));
    assert_eq!(ret.assessments[0].factors, vec![CompactString::from("2A")]);
    assert_eq!(ret.assessments[0].episode_referral_date, d("2022-06-01"));
    assert_eq!(ret.plans[0].start_date, Some(d("2022-07-01")));
    assert_eq!(ret.plans[0].review_dates, vec![d("2022-09-01")]);
    let c2 = &ret.children[1];
    assert_eq!(
        (c2.child.as_str(), c2.sex.as_str(), c2.birth_date),
        ("C2", "2", None)
    );
    // Lines count CRLF line ends and the newlines inside a multi-line start tag.
    assert_eq!(c2.origin, RowOrigin::new(0, 31));
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    assert_at(
        &r.issues[0],
        IssueCode::UnreadableDate,
        34,
        "Message/Children/Child[2]",
        "PersonBirthDate",
        Some("2019-02-30"),
    );
}

#[test]
fn a_reader_handing_out_one_byte_at_a_time_gives_the_same_result() {
    let path = golden("variants.xml");
    let bytes = std::fs::read(&path).unwrap();
    let whole = cin::read_xml_from("v.xml".into(), bytes.as_slice(), &lenient()).unwrap();
    let tiny = io::BufReader::with_capacity(1, bytes.as_slice());
    let bytewise = cin::read_xml_from("v.xml".into(), tiny, &lenient()).unwrap();
    assert_eq!(whole, bytewise);
    let p = golden("problems.xml");
    let bytes = std::fs::read(&p).unwrap();
    let tiny = io::BufReader::with_capacity(1, bytes.as_slice());
    assert_eq!(
        cin::read_xml_from("p.xml".into(), tiny, &lenient()).unwrap(),
        cin::read_xml_from("p.xml".into(), bytes.as_slice(), &lenient()).unwrap()
    );
}

// ---------------------------------------------------------------------------------------------
// Malformed XML and I/O

#[test]
fn malformed_xml_is_an_error_with_its_line_in_both_modes() {
    let cases: [(&str, u32); 8] = [
        ("<Message>\n<Children>\n<Child>\n</Children>\n</Message>", 4),
        (
            "<Message>\n<Children>\n<Child><LAchildID>A</LAchildID>\n",
            4,
        ),
        (
            "<Message>\n<Children><Child><LAchildID>A &nbsp; B</LAchildID></Child></Children></Message>",
            2,
        ),
        ("<Message>\n\n<Children a=1></Children></Message>", 3),
        (
            "<Message>\n<Children x=\"1\" x=\"2\"></Children></Message>",
            2,
        ),
        ("<EXPSSDA903>\n</EXPSSDA903>", 1),
        ("<Message></Message>\n<Message></Message>", 2),
        ("", 1),
    ];
    for (xml, line) in cases {
        for opts in [lenient(), strict()] {
            let err = cin::read_xml_from("bad.xml".into(), xml.as_bytes(), &opts).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{xml:?}: {err}");
            let loc = err.location().unwrap();
            assert_eq!(loc.file.as_deref(), Some("bad.xml"));
            assert_eq!(loc.line, Some(line), "{xml:?}: {err}");
        }
    }
    let err = cin::read_xml_from(
        "b.xml".into(),
        "<Message>\n<Children>\n<Child>".as_bytes(),
        &lenient(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("<Child> opened on line 3"),
        "{err}"
    );
    let err =
        cin::read_xml_from("b.xml".into(), "<EXPSSDA903/>".as_bytes(), &lenient()).unwrap_err();
    assert!(err.to_string().contains("not a CIN census file"), "{err}");
    let bad_utf8: &[u8] =
        b"<Message><Children><Child><LAchildID>\xff\xfe</LAchildID></Child></Children></Message>";
    let err = cin::read_xml_from("b.xml".into(), bad_utf8, &lenient()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
}

/// A reader that hands out `<Message><Children>` `n` times, then fails.
struct Failing(usize);
impl io::Read for Failing {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.0 == 0 {
            return Err(io::Error::other("disk on fire"));
        }
        let src = b"<Message><Children>";
        let n = src.len().min(out.len());
        out[..n].copy_from_slice(&src[..n]);
        self.0 -= 1;
        Ok(n)
    }
}

#[test]
fn io_failures_name_the_path() {
    let missing = Path::new("/nonexistent/dir/cin.xml");
    let err = cin::read_xml(missing, &lenient()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(
        err.to_string().contains("/nonexistent/dir/cin.xml"),
        "{err}"
    );

    let reader = io::BufReader::new(Failing(1));
    let err = cin::read_xml_from("pipe.xml".into(), reader, &lenient()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    assert!(
        err.to_string().contains("pipe.xml") && err.to_string().contains("disk on fire"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Writer

fn small_return() -> CinReturn {
    CinReturn {
        source: ReturnSource {
            files: Vec::new(),
            collection_year: Some(2024),
            reference_date: Some(d("2024-03-31")),
            tables: None,
        },
        children: vec![
            CinChild {
                child: "007".into(),
                upn: "A1".into(),
                birth_date: Some(d("2015-03-07")),
                sex: "1".into(),
                ethnicity: "W<B&RI>".into(),
                disabilities: vec!["HAND".into()],
                ..CinChild::default()
            },
            CinChild {
                child: "B".into(),
                ..CinChild::default()
            },
        ],
        episodes: vec![CinEpisode {
            child: "007".into(),
            referral_date: d("2023-04-03"),
            referral_source: "1A".into(),
            closure_date: Some(d("2024-01-15")),
            referral_nfa: Some(false),
            ..CinEpisode::default()
        }],
        assessments: vec![Assessment {
            child: "007".into(),
            episode_referral_date: d("2023-04-03"),
            start_date: Some(d("2023-04-04")),
            factors: vec!["1C".into(), "4A".into()],
            ..Assessment::default()
        }],
        section47s: vec![Section47 {
            child: "007".into(),
            episode_referral_date: d("2023-04-03"),
            start_date: None,
            icpc_not_required: Some(true),
            ..Section47::default()
        }],
        plans: vec![CpPlan {
            child: "007".into(),
            episode_referral_date: d("2023-04-03"),
            start_date: Some(d("2023-05-02")),
            initial_category: "PHY".into(),
            previous_plans: Some(0),
            review_dates: vec![d("2023-08-01")],
            ..CpPlan::default()
        }],
        // See `with_cin_plans`.
        cin_plans: Vec::new(),
    }
}

/// `ret` with CIN plans (spec 2.4) in each of its CIN episodes: one closed, one open, one with a
/// blank start.
fn with_cin_plans(mut ret: CinReturn) -> CinReturn {
    for e in &ret.episodes {
        let plan = |start: Option<&str>, end: Option<&str>| CinPlan {
            child: e.child.clone(),
            episode_referral_date: e.referral_date,
            start_date: start.map(d),
            end_date: end.map(d),
            origin: RowOrigin::default(),
        };
        ret.cin_plans
            .push(plan(Some("2023-04-20"), Some("2023-06-01")));
        ret.cin_plans.push(plan(Some("2023-06-02"), None));
        ret.cin_plans.push(plan(None, None));
    }
    ret
}

#[test]
fn writer_output_is_the_golden_file() {
    let mut out = Vec::new();
    cin::write_xml(&small_return(), &mut out).unwrap();
    let want = std::fs::read_to_string(golden("written.xml")).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), want);
}

/// Sets every row's origin to the default.
struct ClearOrigins;

impl VisitRowsMut for ClearOrigins {
    fn rows<R: Record>(&mut self, rows: &mut Vec<R>) {
        for r in rows {
            r.set_origin(RowOrigin::default());
        }
    }
}

/// `ret` without what a read adds: origins and the file list.
fn without_origins(mut ret: CinReturn) -> CinReturn {
    ret.source.files.clear();
    ret.visit_mut(&mut ClearOrigins);
    ret
}

fn round_trip(ret: &CinReturn) -> Read<CinReturn> {
    let mut out = Vec::new();
    cin::write_xml(ret, &mut out).unwrap();
    let opts = ReadOptions {
        strict: true,
        collection_year: ret.source.collection_year,
    };
    cin::read_xml_from("rt.xml".into(), out.as_slice(), &opts)
        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&out)))
}

#[test]
fn writer_round_trips_the_small_return() {
    let ret = small_return();
    let back = round_trip(&ret);
    assert!(back.issues.is_empty());
    assert_eq!(without_origins(back.ret), ret);
    assert_eq!(back.files[0].rows, 6);
}

#[test]
fn writer_round_trips_cin_plans() {
    // Spec 2.4: CIN plans are records of the return; what the writer writes reads back to them.
    let ret = with_cin_plans(small_return());
    assert_eq!(ret.cin_plans.len(), 3);
    let mut out = Vec::new();
    cin::write_xml(&ret, &mut out).unwrap();
    let xml = String::from_utf8(out).unwrap();
    assert_eq!(xml.matches("<CINPlanDates>").count(), 3, "{xml}");
    let back = round_trip(&ret);
    assert!(back.issues.is_empty());
    assert_eq!(back.files[0].rows, 9);
    assert_eq!(without_origins(back.ret), ret);
}

/// A writer that always fails.
struct Broken;
impl io::Write for Broken {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::other("full"))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn writer_refuses_what_a_file_cannot_hold() {
    let mut ret = small_return();
    ret.children[1].child = " ".into();
    let err = cin::write_xml(&ret, Vec::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.message().contains("blank LAchildID"), "{err}");

    let mut ret = small_return();
    ret.episodes[0].child = "nobody".into();
    let err = cin::write_xml(&ret, Vec::new()).unwrap_err();
    assert!(
        err.message().contains("\"nobody\"") && err.message().contains("no Child"),
        "{err}"
    );

    let mut ret = small_return();
    ret.plans[0].episode_referral_date = d("2020-01-01");
    let err = cin::write_xml(&ret, Vec::new()).unwrap_err();
    assert!(
        err.message().contains("CP plan") && err.message().contains("2020-01-01"),
        "{err}"
    );

    let mut ret = small_return();
    ret.children[0].upn = "A\u{1}".into();
    let err = cin::write_xml(&ret, Vec::new()).unwrap_err();
    assert!(err.message().contains("U+0001"), "{err}");

    let err = cin::write_xml(&small_return(), Broken).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
}

#[test]
fn writer_groups_records_under_their_child_and_episode() {
    // Records given out of order come back grouped: children in order, each with its episodes.
    let mut ret = small_return();
    ret.children[1].child = "B".into();
    ret.episodes.insert(
        0,
        CinEpisode {
            child: "B".into(),
            referral_date: d("2023-04-03"),
            ..CinEpisode::default()
        },
    );
    ret.assessments.insert(
        0,
        Assessment {
            child: "B".into(),
            episode_referral_date: d("2023-04-03"),
            ..Assessment::default()
        },
    );
    let back = round_trip(&ret).ret;
    let eps: Vec<&str> = back.episodes.iter().map(|e| e.child.as_str()).collect();
    assert_eq!(eps, ["007", "B"]);
    let asm: Vec<&str> = back.assessments.iter().map(|e| e.child.as_str()).collect();
    assert_eq!(asm, ["007", "B"]);
}

#[test]
fn synthetic_returns_round_trip() {
    let synth = csc_synth::generate(&csc_synth::Config {
        children: 500,
        ..Default::default()
    });
    assert!(!synth.cin.is_empty());
    let mut nested = 0;
    for ret in &synth.cin {
        let back = round_trip(ret);
        assert!(back.issues.is_empty(), "{:?}", back.issues);
        assert_eq!(back.files[0].skipped, 0);
        assert_eq!(back.files[0].rows, records(ret));
        nested += ret.assessments.len() + ret.section47s.len() + ret.plans.len();
        let want = without_origins(ret.clone());
        let got = without_origins(back.ret);
        assert_eq!(got.children, want.children);
        assert_eq!(got.episodes, want.episodes);
        assert_eq!(got.assessments, want.assessments);
        assert_eq!(got.section47s, want.section47s);
        assert_eq!(got.plans, want.plans);
        assert_eq!(got, want);
    }
    assert!(nested > 0, "the synthetic returns hold nested records");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = CompactString> {
        "[A-Za-z0-9&<>\"' é]{0,8}".prop_map(|s| CompactString::from(s.trim()))
    }

    fn day() -> impl Strategy<Value = Day> {
        (1990i32..2030, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, dd)| Day::from_ymd(y, m, dd).unwrap())
    }

    fn opt_day() -> impl Strategy<Value = Option<Day>> {
        prop::option::of(day())
    }

    fn codes() -> impl Strategy<Value = Vec<CompactString>> {
        prop::collection::vec(text(), 0..3)
            .prop_map(|v| v.into_iter().filter(|c| !c.is_empty()).collect())
    }

    type Nest = (Vec<Assessment>, Vec<Section47>, Vec<CpPlan>, Vec<CinPlan>);

    /// The records nested in a CIN episode; CIN plans only when `cin_plans`.
    fn nested(cin_plans: bool) -> impl Strategy<Value = Nest> {
        let a = (opt_day(), opt_day(), opt_day(), codes()).prop_map(|(s, r, e, f)| Assessment {
            start_date: s,
            internal_review_date: r,
            authorisation_date: e,
            factors: f,
            ..Assessment::default()
        });
        let s = (
            opt_day(),
            opt_day(),
            opt_day(),
            prop::option::of(any::<bool>()),
        )
            .prop_map(|(s, t, c, n)| Section47 {
                start_date: s,
                icpc_target_date: t,
                icpc_date: c,
                icpc_not_required: n,
                ..Section47::default()
            });
        let p = (
            opt_day(),
            opt_day(),
            text(),
            text(),
            prop::option::of(0u32..30),
            // A set of dates, distinct and ascending, as the reader gives it (spec 2.4).
            prop::collection::btree_set(day(), 0..3).prop_map(|s| s.into_iter().collect()),
        )
            .prop_map(|(s, e, i, l, n, r)| CpPlan {
                start_date: s,
                end_date: e,
                initial_category: i,
                latest_category: l,
                previous_plans: n,
                review_dates: r,
                ..CpPlan::default()
            });
        let c = (opt_day(), opt_day()).prop_map(|(s, e)| CinPlan {
            start_date: s,
            end_date: e,
            ..CinPlan::default()
        });
        (
            prop::collection::vec(a, 0..2),
            prop::collection::vec(s, 0..2),
            prop::collection::vec(p, 0..2),
            prop::collection::vec(c, if cin_plans { 0..3 } else { 0..1 }),
        )
    }

    fn episode(cin_plans: bool) -> impl Strategy<Value = (CinEpisode, Nest)> {
        (
            (
                text(),
                text(),
                opt_day(),
                text(),
                prop::option::of(any::<bool>()),
                opt_day(),
            ),
            nested(cin_plans),
        )
            .prop_map(|((src, need, close, reason, nfa, icpc), n)| {
                (
                    CinEpisode {
                        referral_source: src,
                        primary_need: need,
                        closure_date: close,
                        reason_for_closure: reason,
                        referral_nfa: nfa,
                        initial_cpc_date: icpc,
                        ..CinEpisode::default()
                    },
                    n,
                )
            })
    }

    fn child(cin_plans: bool) -> impl Strategy<Value = (CinChild, Vec<(CinEpisode, Nest)>)> {
        (
            (
                text(),
                text(),
                opt_day(),
                opt_day(),
                opt_day(),
                text(),
                text(),
                codes(),
            ),
            prop::collection::vec(episode(cin_plans), 0..3),
        )
            .prop_map(|((id, upn, b, x, dd, sex, eth, dis), eps)| {
                (
                    CinChild {
                        child: id,
                        upn,
                        birth_date: b,
                        expected_birth_date: x,
                        death_date: dd,
                        sex,
                        ethnicity: eth,
                        disabilities: dis,
                        ..CinChild::default()
                    },
                    eps,
                )
            })
    }

    /// A return in the writer's order, with distinct child ids (leading zeros, `&`, `<` in them)
    /// and distinct referral dates per child; CIN plans only when `cin_plans`.
    fn cin_return(cin_plans: bool) -> impl Strategy<Value = CinReturn> {
        (
            prop::collection::vec(child(cin_plans), 0..4),
            prop::option::of(2000i32..2030),
            opt_day(),
        )
            .prop_map(|(children, year, reference)| {
                let mut ret = CinReturn {
                    source: ReturnSource {
                        files: Vec::new(),
                        collection_year: year,
                        reference_date: reference,
                        tables: None,
                    },
                    ..CinReturn::default()
                };
                for (i, (mut c, eps)) in children.into_iter().enumerate() {
                    c.child = format!("0{i}{}", c.child).into();
                    for (j, (mut e, (a, s, p, cp))) in eps.into_iter().enumerate() {
                        e.child.clone_from(&c.child);
                        e.referral_date =
                            Day::from_ymd(2020, 1, 1).unwrap().add_days(j as i32 * 40);
                        let erd = e.referral_date;
                        let id = &c.child;
                        ret.assessments.extend(a.into_iter().map(|mut a| {
                            a.child.clone_from(id);
                            a.episode_referral_date = erd;
                            a
                        }));
                        ret.section47s.extend(s.into_iter().map(|mut s| {
                            s.child.clone_from(id);
                            s.episode_referral_date = erd;
                            s
                        }));
                        ret.plans.extend(p.into_iter().map(|mut p| {
                            p.child.clone_from(id);
                            p.episode_referral_date = erd;
                            p
                        }));
                        ret.cin_plans.extend(cp.into_iter().map(|mut p| {
                            p.child.clone_from(id);
                            p.episode_referral_date = erd;
                            p
                        }));
                        ret.episodes.push(e);
                    }
                    ret.children.push(c);
                }
                ret
            })
    }

    /// The entries of a read that are not about the dates themselves: a return the writer wrote
    /// reads back without any. (Random dates can be reversed, after the return's end, or in
    /// another year than the `Year`: those are warnings about the data, judged below and in their
    /// own tests.)
    fn reading_problems(issues: &[Issue]) -> Vec<&Issue> {
        issues
            .iter()
            .filter(|i| {
                !matches!(
                    i.code,
                    IssueCode::ReversedDates
                        | IssueCode::DateAfterReturnEnd
                        | IssueCode::YearMismatch
                )
            })
            .collect()
    }

    fn count(issues: &[Issue], code: IssueCode) -> usize {
        issues.iter().filter(|i| i.code == code).count()
    }

    /// Records ending before they start, counted from the return itself.
    fn reversed(r: &CinReturn) -> usize {
        let before = |s: Option<Day>, e: Option<Day>| {
            usize::from(matches!((s, e), (Some(s), Some(e)) if e < s))
        };
        r.episodes
            .iter()
            .map(|e| before(Some(e.referral_date), e.closure_date))
            .sum::<usize>()
            + r.assessments
                .iter()
                .map(|a| before(a.start_date, a.authorisation_date))
                .sum::<usize>()
            + r.plans
                .iter()
                .map(|p| before(p.start_date, p.end_date))
                .sum::<usize>()
            + r.cin_plans
                .iter()
                .map(|p| before(p.start_date, p.end_date))
                .sum::<usize>()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn read_of_write_is_the_return(ret in cin_return(false)) {
            let back = round_trip(&ret);
            prop_assert_eq!(reading_problems(&back.issues), Vec::<&Issue>::new());
            prop_assert_eq!(count(&back.issues, IssueCode::ReversedDates), reversed(&ret));
            prop_assert_eq!(back.files[0].rows, records(&ret));
            prop_assert_eq!(without_origins(back.ret), ret);
        }

        #[test]
        fn read_of_write_is_the_return_with_cin_plans(ret in cin_return(true)) {
            let back = round_trip(&ret);
            prop_assert_eq!(reading_problems(&back.issues), Vec::<&Issue>::new());
            prop_assert_eq!(count(&back.issues, IssueCode::ReversedDates), reversed(&ret));
            prop_assert_eq!(back.files[0].rows, records(&ret));
            prop_assert_eq!(without_origins(back.ret), ret);
        }

        #[test]
        fn arbitrary_input_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = cin::read_xml_from("f.xml".into(), bytes.as_slice(), &lenient());
        }

        #[test]
        fn xml_soup_never_panics_and_counts_add_up(parts in prop::collection::vec(prop::sample::select(vec![
            "<Message>", "</Message>", "<Children>", "</Children>", "<Child>", "</Child>",
            "<ChildIdentifiers>", "</ChildIdentifiers>", "<LAchildID>", "</LAchildID>", "A", "2020-01-01",
            "bad", " ", "\n", "&amp;", "<CINdetails>", "</CINdetails>", "<CINreferralDate>",
            "</CINreferralDate>", "<Assessments>", "</Assessments>", "<AssessmentActualStartDate>",
            "</AssessmentActualStartDate>", "<ChildProtectionPlans>", "</ChildProtectionPlans>",
            "<CPPreviewDate>", "</CPPreviewDate>", "<ReferralNFA>", "</ReferralNFA>", "yes", "<X/>",
            "<![CDATA[x]]>", "<!-- c -->", "<PersonBirthDate>", "</PersonBirthDate>",
            "<CINPlanDates>", "</CINPlanDates>", "<CINPlanStartDate>", "</CINPlanStartDate>",
            "<Reviews>", "</Reviews>",
        ]), 0..60)) {
            let xml: String = parts.concat();
            let lenient_read = cin::read_xml_from("s.xml".into(), xml.as_bytes(), &lenient());
            if let Ok(r) = &lenient_read {
                prop_assert_eq!(r.files[0].rows - r.files[0].skipped, records(&r.ret));
            }
            if let Ok(r) = cin::read_xml_from("s.xml".into(), xml.as_bytes(), &strict()) {
                prop_assert_eq!(r.files[0].rows - r.files[0].skipped, records(&r.ret));
                // A strict read that succeeds met nothing that stops strict mode (warnings it
                // reports as a lenient read does), and read what the lenient read did.
                prop_assert!(r.issues.iter().all(|i| !i.code.stops_strict()), "{:?}", r.issues);
                prop_assert_eq!(Some(&r), lenient_read.as_ref().ok());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The peer data (read-only, outside the repository; skipped when absent)

/// The peer files, by path relative to the peer data.
const PEER_CIN_FILES: [&str; 4] = [
    "cin-validator-fake/fake_CIN_data.xml",
    "cin-validator-fake/CIN_Census_2024.xml",
    "cin-validator-fake/CIN_Census_2026.xml",
    "liia-tools/cin-2022.xml",
];

#[test]
fn peer_files_load_without_panic() {
    for rel in PEER_CIN_FILES {
        let Some(path) = peer(rel) else { continue };
        let r = cin::read_xml(&path, &lenient()).unwrap();
        assert_eq!(
            r.files[0].rows - r.files[0].skipped,
            records(&r.ret),
            "{rel}"
        );
        assert!(!r.ret.children.is_empty(), "{rel}");
        // The writer writes what was read, and it reads back the same. (Three of these files hold
        // one CINPlanDates each, which the writer leaves out: `peer_files_round_trip_with_their_cin_plans`
        // checks them.)
        let mut without_plans = r.ret.clone();
        without_plans.cin_plans.clear();
        let back = round_trip(&without_plans);
        assert_eq!(
            without_origins(back.ret),
            without_origins(without_plans),
            "{rel}"
        );
    }
}

#[test]
fn peer_files_round_trip_with_their_cin_plans() {
    for rel in PEER_CIN_FILES {
        let Some(path) = peer(rel) else { continue };
        let r = cin::read_xml(&path, &lenient()).unwrap();
        let back = round_trip(&r.ret);
        assert_eq!(without_origins(back.ret), without_origins(r.ret), "{rel}");
    }
}

#[test]
fn peer_fake_cin_data_is_referrals_only_and_clean() {
    let Some(path) = peer("cin-validator-fake/fake_CIN_data.xml") else {
        return;
    };
    let r = cin::read_xml(&path, &strict()).unwrap();
    // Clean but for its dates: a `Year` of 2022 beside a ReferenceDate of 2022-07-21 (collection
    // year 2023), and the referrals dated after that ReferenceDate (2025-2030), each a warning.
    let end = d("2022-07-21");
    let mut after: Vec<&str> = r
        .ret
        .children
        .iter()
        .filter(|c| c.birth_date.is_some_and(|b| b > end) || c.death_date.is_some_and(|x| x > end))
        .map(|c| c.child.as_str())
        .chain(
            r.ret
                .episodes
                .iter()
                .filter(|e| e.referral_date > end || e.closure_date.is_some_and(|x| x > end))
                .map(|e| e.child.as_str()),
        )
        .collect();
    after.sort_unstable();
    assert!(after.len() > 10, "{after:?}");
    assert!(
        r.ret
            .episodes
            .iter()
            .any(|e| e.referral_date.year() >= 2025)
    );
    let mut flagged: Vec<&str> = r
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::DateAfterReturnEnd)
        .map(|i| i.child.as_deref().unwrap())
        .collect();
    flagged.sort_unstable();
    assert_eq!(flagged, after);
    let mismatch: Vec<&Issue> = r
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::YearMismatch)
        .collect();
    assert_eq!(mismatch.len(), 1);
    assert!(
        mismatch[0]
            .message
            .contains("falls in collection year 2023"),
        "{}",
        mismatch[0].message
    );
    assert_eq!(r.issues.len(), flagged.len() + 1, "{:?}", r.issues);
    assert_eq!(r.ret.children.len(), 332);
    assert_eq!(r.ret.episodes.len(), 402);
    assert!(
        r.ret.assessments.is_empty()
            && r.ret.section47s.is_empty()
            && r.ret.plans.is_empty()
            && r.ret.cin_plans.is_empty()
    );
    // A ReferenceDate that is not 31 March is read as it stands.
    assert_eq!(r.ret.source.reference_date, Some(d("2022-07-21")));
    assert_eq!(
        r.ret
            .children
            .iter()
            .filter(|c| c.death_date.is_some())
            .count(),
        21
    );
    assert_eq!(
        r.ret
            .episodes
            .iter()
            .filter(|e| e.closure_date.is_some())
            .count(),
        252
    );
    assert_eq!((r.files[0].rows, r.files[0].skipped), (734, 0));
}

#[test]
fn peer_liia_tools_child_has_every_field() {
    let Some(path) = peer("liia-tools/cin-2022.xml") else {
        return;
    };
    let r = cin::read_xml(&path, &strict()).unwrap();
    let c = &r.ret.children[0];
    assert_eq!(c.child, "DfEX0000001");
    assert_eq!(c.expected_birth_date, Some(d("1966-03-22")));
    assert_eq!(c.death_date, Some(d("1980-10-08")));
    assert_eq!(c.sex, "1");
    let a = &r.ret.assessments[0];
    assert_eq!(a.internal_review_date, Some(d("1970-06-22")));
    assert_eq!(
        a.factors,
        vec![CompactString::from("2A"), CompactString::from("2B")]
    );
    assert_eq!(a.episode_referral_date, d("1970-10-06"));
    assert_eq!(r.ret.plans[0].previous_plans, Some(10));
    assert_eq!(r.ret.plans[0].review_dates, vec![d("1971-02-15")]);
    assert_eq!(r.ret.section47s[0].icpc_not_required, Some(false));
    // Its CINPlanDates (line 52) is a CIN plan of the same CIN episode (spec 2.4).
    assert_eq!(
        r.ret.cin_plans,
        vec![CinPlan {
            child: "DfEX0000001".into(),
            episode_referral_date: d("1970-10-06"),
            start_date: Some(d("1971-01-24")),
            end_date: Some(d("1971-01-26")),
            origin: RowOrigin::new(0, 52),
        }]
    );
}

#[test]
fn peer_invalid_census_files_report_their_real_problems() {
    for rel in [
        "cin-validator-fake/CIN_Census_2024.xml",
        "cin-validator-fake/CIN_Census_2026.xml",
    ] {
        let Some(path) = peer(rel) else { continue };
        let r = cin::read_xml(&path, &lenient()).unwrap();
        // `<UPNunknown>UN3</UPNunknown>PersonBirthDate` on line 23: stray text, ignored and
        // reported; then the deliberately wrong dates, each a warning where it stands (the
        // assessment of 2028 authorised in 2020, a referral and closure after the ReferenceDate),
        // and the `Year` 2023 that is not the year of the ReferenceDate 2024-03-31.
        let got: Vec<(IssueCode, Option<u32>, Option<&str>)> = r
            .issues
            .iter()
            .map(|i| {
                let l = i.location.as_ref().unwrap();
                (i.code, l.line, l.column.as_deref())
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    IssueCode::UnreadableValue,
                    Some(23),
                    Some("ChildIdentifiers")
                ),
                (
                    IssueCode::DateAfterReturnEnd,
                    Some(42),
                    Some("AssessmentActualStartDate")
                ),
                (
                    IssueCode::ReversedDates,
                    Some(43),
                    Some("AssessmentAuthorisationDate")
                ),
                // The 2026 file has 12 lines of `PreProceedingsandFGDM` before it.
                (
                    IssueCode::DateAfterReturnEnd,
                    Some(if rel.ends_with("2024.xml") { 87 } else { 99 }),
                    Some("CINreferralDate")
                ),
                (IssueCode::YearMismatch, Some(5), Some("Year")),
            ],
            "{rel}: {:?}",
            r.issues
        );
        assert!(
            r.issues[3]
                .message
                .contains("so is CINclosureDate 2024-10-29"),
            "{}",
            r.issues[3].message
        );
        assert_at(
            &r.issues[0],
            IssueCode::UnreadableValue,
            23,
            "Message/Children/Child[1]",
            "ChildIdentifiers",
            Some("PersonBirthDate"),
        );
        assert_eq!(r.issues[0].child.as_deref(), Some("DfEX0000001"));
        // The birth date after it is still read.
        assert_eq!(r.ret.children[0].birth_date, Some(d("2015-03-27")));
        // The deliberately wrong dates are readable dates: read as they stand, for the measures
        // to exclude (an assessment starting in 2028 authorised in 2020; a referral after the
        // reference date; an assessment before its referral).
        assert_eq!(r.ret.assessments[0].start_date, Some(d("2028-04-28")));
        assert_eq!(
            r.ret.assessments[0].authorisation_date,
            Some(d("2020-09-19"))
        );
        assert_eq!(r.ret.episodes[1].referral_date, d("2024-10-24"));
        assert_eq!(r.ret.assessments[1].start_date, Some(d("2023-12-25")));
        assert_eq!(r.ret.children[1].sex, "M");
        // Stray text is a warning (`unreadable_value`): strict mode reads on past it and reports
        // it the same, and nothing else in the file stops it.
        let strict_read = cin::read_xml(&path, &strict()).unwrap();
        assert_eq!(strict_read, r, "{rel}");
        // Built into a dataset, the plan that outlives its CIN episode and the unknown reason for
        // closure are reported too.
        let ds = csc_measures::DatasetBuilder::new()
            .cin(r.ret)
            .build()
            .unwrap();
        let codes: Vec<IssueCode> = ds.issues().iter().map(|i| i.code).collect();
        assert!(
            codes.contains(&IssueCode::OpenAfterCinClosed),
            "{rel}: {codes:?}"
        );
        assert!(codes.contains(&IssueCode::UnknownCode), "{rel}: {codes:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The dates of a census judged at load time: after its end, reversed, a `Year` that disagrees.

/// A census with its header: `Year` and `ReferenceDate` as given, then `children`.
fn census(year: &str, reference: &str, children: &str) -> String {
    format!(
        "<Message>\n<Header>\n<CollectionDetails>\n<Collection>CIN</Collection>\n<Year>{year}</Year>\n\
         <ReferenceDate>{reference}</ReferenceDate>\n</CollectionDetails>\n</Header>\n\
         <Children>\n{children}\n</Children>\n</Message>\n"
    )
}

#[test]
fn referrals_after_the_reference_date_are_reported_where_they_stand() {
    // As in the sector's fake census: a ReferenceDate of 2022-07-21 and referrals dated 2025-2030.
    let xml = census(
        "2023",
        "2022-07-21",
        "<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers>\n\
         <CINdetails>\n<CINreferralDate>2022-05-01</CINreferralDate>\n</CINdetails>\n\
         <CINdetails>\n<CINreferralDate>2027-01-03</CINreferralDate>\n\
         <CINclosureDate>2030-02-01</CINclosureDate>\n</CINdetails></Child>",
    );
    let r = cin::read_xml_from("t.xml".into(), xml.as_bytes(), &strict()).unwrap();
    // A warning: read on in strict mode, the episode kept as it stands.
    assert_eq!(r.ret.episodes.len(), 2);
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    assert_at(
        &r.issues[0],
        IssueCode::DateAfterReturnEnd,
        15,
        "Message/Children/Child[1]/CINdetails[2]",
        "CINreferralDate",
        Some("2027-01-03"),
    );
    assert_eq!(r.issues[0].child.as_deref(), Some("A"));
    assert_eq!(r.issues[0].record, Some(d("2027-01-03")));
    assert_eq!(
        r.issues[0].message,
        "CINreferralDate 2027-01-03 is after the census's ReferenceDate 2022-07-21; so is \
         CINclosureDate 2030-02-01: a date the return cannot yet hold; kept as it stands"
    );
    // With a ReferenceDate of 31 March, the end is that day; a year given makes its 31 March the
    // end when the ReferenceDate is later.
    let xml = census(
        "2024",
        "2024-03-31",
        "<Child><LAchildID>B</LAchildID><PersonBirthDate>2024-04-01</PersonBirthDate>\
         <ExpectedPersonBirthDate>2024-09-01</ExpectedPersonBirthDate></Child>",
    );
    let r = read(&xml);
    let codes: Vec<IssueCode> = r.issues.iter().map(|i| i.code).collect();
    assert_eq!(codes, [IssueCode::DateAfterReturnEnd], "{:?}", r.issues);
    assert!(
        r.issues[0].message.starts_with(
            "PersonBirthDate 2024-04-01 is after 31 March 2024, the end of the return's \
             collection year (and its ReferenceDate)"
        ),
        "{}",
        r.issues[0].message
    );
}

#[test]
fn records_ending_before_they_start_are_kept_and_reported_at_load() {
    // An assessment authorised eight years before it started, a closure before the referral, a
    // plan ending before it starts: each kept (the measures exclude it), each reported.
    let xml = doc("<Child><LAchildID>A</LAchildID>\n<CINdetails>\n\
         <CINreferralDate>2023-05-01</CINreferralDate>\n<CINclosureDate>2023-04-01</CINclosureDate>\n\
         <Assessments>\n<AssessmentActualStartDate>2023-06-01</AssessmentActualStartDate>\n\
         <AssessmentAuthorisationDate>2015-06-01</AssessmentAuthorisationDate>\n</Assessments>\n\
         <ChildProtectionPlans>\n<CPPstartDate>2023-07-01</CPPstartDate>\n\
         <CPPendDate>2023-06-30</CPPendDate>\n</ChildProtectionPlans>\n</CINdetails></Child>");
    let r = cin::read_xml_from("t.xml".into(), xml.as_bytes(), &strict()).unwrap();
    assert_eq!(
        (
            r.ret.episodes.len(),
            r.ret.assessments.len(),
            r.ret.plans.len()
        ),
        (1, 1, 1)
    );
    let got: Vec<(IssueCode, Option<u32>, Option<&str>)> = r
        .issues
        .iter()
        .map(|i| {
            let l = i.location.as_ref().unwrap();
            (i.code, l.line, l.column.as_deref())
        })
        .collect();
    assert_eq!(
        got,
        [
            (IssueCode::ReversedDates, Some(6), Some("CINclosureDate")),
            (
                IssueCode::ReversedDates,
                Some(9),
                Some("AssessmentAuthorisationDate")
            ),
            (IssueCode::ReversedDates, Some(13), Some("CPPendDate")),
        ]
    );
    assert_eq!(
        r.issues[1].message,
        "AssessmentAuthorisationDate 2015-06-01 is before AssessmentActualStartDate 2023-06-01: \
         the assessment ends before it starts; kept as it stands (the measures exclude it)"
    );
    assert_eq!(
        path_of_issue(&r.issues[1]),
        "Message/Children/Child[1]/CINdetails[1]/Assessments[1]"
    );
}

fn path_of_issue(i: &Issue) -> &str {
    i.location
        .as_ref()
        .and_then(|l| l.path.as_deref())
        .unwrap_or("")
}

#[test]
fn a_year_that_disagrees_with_the_reference_date_is_reported() {
    // `<Year>` 2022 beside a ReferenceDate of 2022-07-21 (collection year 2023).
    let xml = census("2022", "2022-07-21", "");
    let r = read(&xml);
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    assert_at(
        &r.issues[0],
        IssueCode::YearMismatch,
        5,
        "Message/Header/CollectionDetails",
        "Year",
        Some("2022"),
    );
    assert!(
        r.issues[0]
            .message
            .contains("which falls in collection year 2023")
            && r.issues[0].message.contains("read as collection year 2023"),
        "{}",
        r.issues[0].message
    );
    // The year given by the caller that is not the ReferenceDate's: reported, and used.
    let xml = census("2024", "2024-03-31", "");
    let opts = ReadOptions {
        collection_year: Some(2023),
        ..ReadOptions::default()
    };
    let r = cin::read_xml_from("t.xml".into(), xml.as_bytes(), &opts).unwrap();
    // (`<Year>` 2024 agrees with the ReferenceDate: one entry, for the year given.)
    let codes: Vec<IssueCode> = r.issues.iter().map(|i| i.code).collect();
    assert_eq!(codes, [IssueCode::YearMismatch]);
    assert!(
        r.issues[0]
            .message
            .starts_with("the return was given as collection year 2023"),
        "{}",
        r.issues[0].message
    );
    assert_eq!(r.ret.source.collection_year, Some(2023));
    // Agreeing: nothing. Not a year: `unreadable_value`.
    assert!(read(&census("2024", "2024-03-31", "")).issues.is_empty());
    let r = read(&census("24/25", "2024-03-31", ""));
    assert_eq!(r.issues[0].code, IssueCode::UnreadableValue);
}
