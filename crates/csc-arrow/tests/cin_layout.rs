//! The CIN census layout of the sector's tools: split child tables, the census `Header` with its
//! `ReferenceDate`, and nested tables linked to their episode by `CINdetailsID`.

mod common;

use arrow_array::{Date32Array, Int64Array, StringArray};
use common::{arr, at, batch, cin, codes, day, read_return};
use csc_arrow::ReadReturn;
use csc_measures::ErrorKind;

#[test]
fn split_child_tables_complete_the_child_s_row() {
    let identifiers = batch(vec![
        ("LAchildID", arr(StringArray::from(vec!["A", "B"]))),
        ("UPN", arr(StringArray::from(vec![Some("U1"), None]))),
        (
            "PersonBirthDate",
            arr(StringArray::from(vec![Some("2015-01-01"), None])),
        ),
        ("Sex", arr(StringArray::from(vec!["1", "2"]))),
    ]);
    let characteristics = batch(vec![
        ("LAchildID", arr(StringArray::from(vec!["A", "B", "C"]))),
        (
            "Ethnicity",
            arr(StringArray::from(vec![Some("WBRI"), None, Some("MWBC")])),
        ),
        (
            "PersonBirthDate",
            arr(StringArray::from(vec![None, Some("02/02/2016"), None])),
        ),
        ("Sex", arr(StringArray::from(vec![Some("2"), None, None]))),
    ]);
    let disabilities = batch(vec![
        ("LAchildID", arr(StringArray::from(vec!["A", "A", "B"]))),
        ("Disability", arr(StringArray::from(vec!["D1", "D2", "D3"]))),
    ]);
    // Given before the identifiers, the split tables still complete their rows.
    let r = cin(
        vec![
            ("Disabilities", disabilities),
            ("ChildCharacteristics", characteristics),
            ("ChildIdentifiers", identifiers),
        ],
        false,
    )
    .unwrap();
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    let got: Vec<_> = r
        .ret
        .children
        .iter()
        .map(|c| {
            (
                c.child.as_str(),
                c.upn.as_str(),
                c.birth_date.map(|d| d.to_string()),
                c.sex.as_str(),
                c.ethnicity.as_str(),
                c.disabilities
                    .iter()
                    .map(compact_str::CompactString::as_str)
                    .collect::<Vec<_>>(),
                c.origin.file,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "A",
                "U1",
                Some("2015-01-01".into()),
                "1",
                "WBRI",
                vec!["D1", "D2"],
                2
            ),
            ("B", "", Some("2016-02-02".into()), "2", "", vec!["D3"], 2),
            ("C", "", None, "", "MWBC", vec![], 1),
        ]
    );
    assert_eq!(r.ret.source.tables.as_deref().map(<[_]>::len), Some(1));
    assert!(r.ret.source.holds("Child"));
    let tables: Vec<_> = r
        .files
        .iter()
        .map(|f| (&*f.path, f.table.as_str(), f.rows))
        .collect();
    assert_eq!(
        tables,
        [
            ("2024/Disabilities", "Child", 3),
            ("2024/ChildCharacteristics", "Child", 3),
            ("2024/ChildIdentifiers", "Child", 2)
        ]
    );
}

#[test]
fn the_census_header_gives_the_reference_date() {
    let header = batch(vec![(
        "ReferenceDate",
        arr(Date32Array::from(vec![None, Some(day("2024-03-31").get())])),
    )]);
    let r = cin(vec![("Header", header)], false).unwrap();
    assert_eq!(r.ret.source.reference_date, Some(day("2024-03-31")));
    assert_eq!(r.ret.source.tables.as_deref(), Some(&[][..]));
    assert_eq!((r.files[0].table.as_str(), r.files[0].rows), ("Header", 2));

    // Without the return's kind: a Header with ReferenceDate and no CHILD is the census's.
    let header = batch(vec![(
        "referencedate",
        arr(StringArray::from(vec!["31/03/2024"])),
    )]);
    let ssda_header = batch(vec![("CHILD", arr(StringArray::from(vec!["A"])))]);
    let got = read_return(None, vec![("Header", header)], false).unwrap();
    match &got[..] {
        [ReadReturn::Cin(c)] => assert_eq!(c.ret.source.reference_date, Some(day("2024-03-31"))),
        other => panic!("{other:?}"),
    }
    let got = read_return(None, vec![("Header", ssda_header.clone())], false).unwrap();
    match &got[..] {
        [ReadReturn::Ssda903(s)] => assert_eq!(s.ret.headers.len(), 1),
        other => panic!("{other:?}"),
    }
    // Given as the census's tables, a Header with CHILD is the SSDA903's.
    let e = cin(vec![("Header", ssda_header)], false).unwrap_err();
    assert!(
        e.message().contains("is a table of the ssda903 return"),
        "{e}"
    );
    let e = cin(
        vec![(
            "Header",
            batch(vec![("X", arr(StringArray::from(vec!["A"])))]),
        )],
        false,
    )
    .unwrap_err();
    assert!(
        e.message()
            .starts_with("table Header has no column ReferenceDate"),
        "{e}"
    );
}

#[test]
fn an_unreadable_reference_date_is_an_error() {
    let header = batch(vec![(
        "ReferenceDate",
        arr(StringArray::from(vec![None, Some(" "), Some("2024-02-30")])),
    )]);
    let e = cin(vec![("Header", header)], false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidDate);
    let l = e.location().unwrap();
    assert_eq!(
        (
            l.file.as_deref(),
            l.line,
            l.column.as_deref(),
            l.value.as_deref()
        ),
        (
            Some("2024/Header"),
            Some(3),
            Some("ReferenceDate"),
            Some("2024-02-30")
        )
    );
}

fn details() -> arrow_array::RecordBatch {
    batch(vec![
        (
            "LAchildID",
            arr(StringArray::from(vec!["A", "A", "B", "D"])),
        ),
        (
            "CINreferralDate",
            arr(StringArray::from(vec![
                "2023-01-01",
                "2023-06-01",
                "2023-02-01",
                "2023-13-01",
            ])),
        ),
        ("CINdetailsID", arr(Int64Array::from(vec![1, 2, 1, 3]))),
    ])
}

/// Assessments of children A, B, A, A, C, D, linked to episodes 2, 1, 7, none, 1 and 3.
fn linked_assessments() -> arrow_array::RecordBatch {
    batch(vec![
        (
            "LAchildID",
            arr(StringArray::from(vec!["A", "B", "A", "A", "C", "D"])),
        ),
        (
            "CINdetailsID",
            arr(Int64Array::from(vec![
                Some(2),
                Some(1),
                Some(7),
                None,
                Some(1),
                Some(3),
            ])),
        ),
        (
            "AssessmentActualStartDate",
            arr(StringArray::from(vec!["2023-06-02"; 6])),
        ),
    ])
}

#[test]
fn nested_tables_find_their_episode_by_cindetailsid() {
    let assessments = linked_assessments();
    let section47 = batch(vec![
        ("LAchildID", arr(StringArray::from(vec!["B"]))),
        ("cindetailsid", arr(StringArray::from(vec![" 1 "]))),
    ]);
    // Given before CINdetails.
    let r = cin(
        vec![
            ("Assessments", assessments),
            ("Section47", section47),
            ("CINdetails", details()),
        ],
        false,
    )
    .unwrap();
    let got: Vec<_> = r
        .ret
        .assessments
        .iter()
        .map(|a| {
            (
                a.child.as_str(),
                a.episode_referral_date.to_string(),
                a.origin.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        [("A", "2023-06-01".into(), 1), ("B", "2023-02-01".into(), 2)]
    );
    assert_eq!(r.ret.section47s[0].episode_referral_date, day("2023-02-01"));
    // The CINdetails row with an unreadable date first, then the assessments that find no episode.
    assert_eq!(
        codes(&r.issues),
        [
            "unreadable_date",
            "missing_identifier",
            "missing_identifier",
            "missing_identifier",
            "missing_identifier"
        ]
    );
    let unmatched = &r.issues[1];
    assert_eq!(
        at(unmatched),
        (
            "2024/Assessments".into(),
            3,
            "CINdetailsID".into(),
            "7".into()
        )
    );
    assert_eq!(
        unmatched.message,
        "CINdetailsID \"7\" matches no CINdetails row of child A in this return; row skipped"
    );
    assert_eq!(unmatched.child.as_deref(), Some("A"));
    let blank = &r.issues[2];
    assert_eq!(
        at(blank),
        (
            "2024/Assessments".into(),
            4,
            "CINdetailsID".into(),
            String::new()
        )
    );
    assert!(
        blank
            .message
            .starts_with("CINdetailsID (the CIN episode the record came in) is blank"),
        "{}",
        blank.message
    );
    assert_eq!(at(&r.issues[3]).1, 5);
    assert_eq!(at(&r.issues[4]).1, 6);
    let skipped: Vec<_> = r
        .files
        .iter()
        .map(|f| (f.table.as_str(), f.skipped))
        .collect();
    assert_eq!(
        skipped,
        [("Assessments", 4), ("Section47", 0), ("CINdetails", 1)]
    );
}

#[test]
fn a_referral_date_column_wins_over_the_link_and_a_link_needs_its_cindetails() {
    let plans = batch(vec![
        ("LAchildID", arr(StringArray::from(vec!["A"]))),
        (
            "CINreferralDate",
            arr(StringArray::from(vec!["2023-01-01"])),
        ),
        ("CINdetailsID", arr(Int64Array::from(vec![2]))),
    ]);
    let r = cin(
        vec![("CINdetails", details()), ("ChildProtectionPlans", plans)],
        false,
    )
    .unwrap();
    assert_eq!(r.ret.plans[0].episode_referral_date, day("2023-01-01"));

    let plans = batch(vec![
        ("LAchildID", arr(StringArray::from(vec!["A"]))),
        ("CINdetailsID", arr(Int64Array::from(vec![2]))),
    ]);
    let no_ids = details().project(&[0, 1]).unwrap();
    let e = cin(
        vec![("CINdetails", no_ids), ("CINPlanDates", plans.clone())],
        false,
    )
    .unwrap_err();
    assert!(
        e.message()
            .starts_with("table CINPlanDates has no column CINreferralDate"),
        "{e}"
    );
    let e = cin(vec![("CINPlanDates", plans.clone())], false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let r = cin(
        vec![("CINdetails", details()), ("CINPlanDates", plans)],
        false,
    )
    .unwrap();
    assert_eq!(r.ret.cin_plans[0].episode_referral_date, day("2023-06-01"));
}

#[test]
fn strict_mode_stops_at_an_id_that_matches_no_episode() {
    let assessments = batch(vec![
        ("LAchildID", arr(StringArray::from(vec!["A"]))),
        ("CINdetailsID", arr(Int64Array::from(vec![9]))),
    ]);
    let e = cin(
        vec![
            ("CINdetails", details().slice(0, 3)),
            ("Assessments", assessments),
        ],
        true,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DataQuality);
    assert!(
        e.message()
            .contains("[missing_identifier] child A: CINdetailsID \"9\" matches no"),
        "{e}"
    );
}
