//! The row rules through frames, the tables and columns recognised, the errors, and what a read
//! return says of itself.

mod common;

use arrow_array::{Int64Array, StringArray};
use common::{arr, at, batch, cin, codes, day, read_return, ssda903};
use csc_arrow::{ReadReturn, ReturnInput, TableInput, build, read, table_from_reader};
use csc_measures::ErrorKind;
use csc_measures::records::ReturnKind;

fn bad_episodes() -> arrow_array::RecordBatch {
    batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A", "B", "C"]))),
        (
            "DECOM",
            arr(StringArray::from(vec![
                "01/05/2023",
                "31/02/2023",
                "2023-06-01",
            ])),
        ),
        ("RNE", arr(StringArray::from(vec!["S", "S", "S"]))),
    ])
}

#[test]
fn an_unreadable_date_skips_the_row_at_its_table_row_column_and_value() {
    let r = ssda903(vec![("Episodes", bad_episodes())], false).unwrap();
    assert_eq!(r.ret.episodes.len(), 2);
    assert_eq!(codes(&r.issues), ["unreadable_date"]);
    let i = &r.issues[0];
    assert_eq!(
        at(i),
        (
            "2024/Episodes".into(),
            2,
            "DECOM".into(),
            "31/02/2023".into()
        )
    );
    assert_eq!(i.child.as_deref(), Some("B"));
    assert_eq!(r.files.len(), 1);
    let f = &r.files[0];
    assert_eq!(
        (&*f.path, f.table.as_str(), f.rows, f.skipped),
        ("2024/Episodes", "Episodes", 3, 1)
    );
    // Rows keep their row number as their line, and the table's index as their file.
    let lines: Vec<_> = r
        .ret
        .episodes
        .iter()
        .map(|e| (e.origin.file, e.origin.line))
        .collect();
    assert_eq!(lines, [(0, 1), (0, 3)]);
}

#[test]
fn strict_mode_stops_with_the_entry_s_strict_error() {
    let lenient = ssda903(vec![("Episodes", bad_episodes())], false).unwrap();
    let e = ssda903(vec![("Episodes", bad_episodes())], true).unwrap_err();
    assert_eq!(e, lenient.issues[0].strict_error());
    assert_eq!(e.kind(), ErrorKind::DataQuality);
    assert!(
        e.to_string()
            .starts_with("2024/Episodes:2 column DECOM value \"31/02/2023\": strict mode stops"),
        "{e}"
    );
    // Warnings do not stop it.
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A"]))),
        ("SDQ_SCORE", arr(Int64Array::from(vec![99]))),
    ]);
    let r = ssda903(vec![("OC2", b)], true).unwrap();
    assert_eq!(codes(&r.issues), ["unknown_code"]);
    assert_eq!(r.ret.oc2.len(), 1);
}

#[test]
fn an_unreadable_child_level_date_is_blanked_and_the_row_kept() {
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A", "B"]))),
        (
            "DOB",
            arr(StringArray::from(vec!["2015-13-01", "01/02/2015"])),
        ),
        ("SEX", arr(Int64Array::from(vec![1, 2]))),
    ]);
    let r = ssda903(vec![("Header", b)], false).unwrap();
    let got: Vec<_> = r
        .ret
        .headers
        .iter()
        .map(|h| (h.child.as_str(), h.dob, h.sex.as_str()))
        .collect();
    assert_eq!(got, [("A", None, "1"), ("B", Some(day("2015-02-01")), "2")]);
    assert_eq!(codes(&r.issues), ["unreadable_date"]);
    assert_eq!(
        at(&r.issues[0]),
        ("2024/Header".into(), 1, "DOB".into(), "2015-13-01".into())
    );
    assert_eq!(r.files[0].skipped, 0);
    // Strict mode stops there too: a blanked date is not used.
    assert!(ssda903(vec![("Header", r_header())], true).is_err());
}

fn r_header() -> arrow_array::RecordBatch {
    batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A"]))),
        ("DOB", arr(StringArray::from(vec!["2015-13-01"]))),
    ])
}

#[test]
fn rows_without_a_child_or_a_required_date_are_skipped() {
    let b = batch(vec![
        (
            "LAchildID",
            arr(StringArray::from(vec![
                Some("A"),
                None,
                Some("C"),
                Some(" "),
            ])),
        ),
        (
            "CINreferralDate",
            arr(StringArray::from(vec![
                Some("2023-05-01"),
                Some("2023-05-02"),
                None,
                Some("2023-05-03"),
            ])),
        ),
    ]);
    let r = cin(vec![("CINdetails", b)], false).unwrap();
    assert_eq!(r.ret.episodes.len(), 1);
    let got: Vec<_> = r
        .issues
        .iter()
        .map(|i| (i.code.as_str(), at(i).1, at(i).2))
        .collect();
    assert_eq!(
        got,
        [
            ("missing_identifier", 2, "LAchildID".to_owned()),
            ("missing_identifier", 3, "CINreferralDate".to_owned()),
            ("missing_identifier", 4, "LAchildID".to_owned()),
        ]
    );
    assert_eq!(r.files[0].skipped, 3);
    // A blank key date of spec 2.3 is `missing_key_date`.
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A", "B"]))),
        (
            "REVIEW",
            arr(StringArray::from(vec![Some("2023-05-01"), None])),
        ),
    ]);
    let r = ssda903(vec![("Reviews", b)], false).unwrap();
    assert_eq!(
        (r.ret.reviews.len(), codes(&r.issues)),
        (1, vec!["missing_key_date"])
    );
}

#[test]
fn oc2_rows_with_nothing_recorded_are_skipped() {
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A", "B"]))),
        (
            "DOB",
            arr(StringArray::from(vec!["01/01/2010", "01/01/2010"])),
        ),
        ("SDQ_SCORE", arr(Int64Array::from(vec![None, Some(12)]))),
    ]);
    let r = ssda903(vec![("OC2", b)], false).unwrap();
    assert_eq!(r.ret.oc2.len(), 1);
    assert_eq!(r.ret.oc2[0].child, "B");
    assert_eq!(codes(&r.issues), ["blank_row"]);
}

#[test]
fn a_missing_required_column_is_an_error_in_both_modes() {
    for strict in [false, true] {
        let b = batch(vec![
            ("CHILD", arr(StringArray::from(vec!["A"]))),
            ("DEC", arr(StringArray::from(vec!["2023-06-01"]))),
        ]);
        let e = ssda903(vec![("Episodes", b)], strict).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(
            e.message(),
            "table Episodes has no column DECOM (its columns: CHILD, DEC)"
        );
    }
    let b = batch(vec![("LAchildID", arr(StringArray::from(vec!["A"])))]);
    let e = cin(vec![("Assessments", b)], false).unwrap_err();
    assert!(
        e.message()
            .starts_with("table Assessments has no column CINreferralDate, nor a CINdetailsID"),
        "{e}"
    );
    let b = batch(vec![(
        "CINreferralDate",
        arr(StringArray::from(vec!["2023-05-01"])),
    )]);
    let e = cin(vec![("CINdetails", b)], false).unwrap_err();
    assert!(
        e.message()
            .starts_with("table CINdetails has no column LAchildID"),
        "{e}"
    );
    // Reviews need their REVIEW; tables without a required date need only the child.
    let b = batch(vec![("CHILD", arr(StringArray::from(vec!["A"])))]);
    assert!(
        ssda903(vec![("Reviews", b.clone())], false)
            .unwrap_err()
            .message()
            .contains("no column REVIEW")
    );
    assert_eq!(ssda903(vec![("AD1", b)], false).unwrap().ret.ad1.len(), 1);
}

#[test]
fn every_table_s_columns_are_checked_before_any_row_is_read() {
    let no_review = batch(vec![("CHILD", arr(StringArray::from(vec!["A"])))]);
    let e = ssda903(
        vec![("Episodes", bad_episodes()), ("Reviews", no_review)],
        true,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.message().contains("no column REVIEW"), "{e}");
    let header = batch(vec![("ReferenceDate", arr(Int64Array::from(vec![1])))]);
    let details = batch(vec![
        ("LAchildID", arr(StringArray::from(vec![Some("A"), None]))),
        (
            "CINreferralDate",
            arr(StringArray::from(vec!["2023-05-01", "2023-05-01"])),
        ),
    ]);
    let e = cin(vec![("CINdetails", details), ("Header", header)], true).unwrap_err();
    assert_eq!(
        e.message(),
        "column ReferenceDate of table Header is Int64: expected dates, timestamps, or text as YYYY-MM-DD or DD/MM/YYYY"
    );
}

#[test]
fn columns_are_found_in_any_case_and_by_their_other_names() {
    let b = batch(vec![
        (" child ", arr(StringArray::from(vec!["A"]))),
        ("decom", arr(StringArray::from(vec!["2023-05-01"]))),
        ("Place", arr(StringArray::from(vec!["U1"]))),
        ("NOT_A_COLUMN", arr(StringArray::from(vec!["x"]))),
    ]);
    let r = ssda903(vec![("Episodes", b)], false).unwrap();
    assert_eq!(r.ret.episodes[0].place, "U1");
    // A GenderCurrent column gives Sex; Sex wins when both are given, whatever their order.
    let b = batch(vec![
        ("LAchildID", arr(StringArray::from(vec!["A"]))),
        ("GenderCurrent", arr(StringArray::from(vec!["2"]))),
    ]);
    assert_eq!(
        cin(vec![("ChildIdentifiers", b)], false)
            .unwrap()
            .ret
            .children[0]
            .sex,
        "2"
    );
    let b = batch(vec![
        ("LAchildID", arr(StringArray::from(vec!["A"]))),
        ("gendercurrent", arr(StringArray::from(vec!["2"]))),
        ("SEX", arr(StringArray::from(vec!["1"]))),
        ("Sex", arr(StringArray::from(vec!["9"]))),
    ]);
    assert_eq!(
        cin(vec![("Child", b)], false).unwrap().ret.children[0].sex,
        "9"
    );
    // The entries name the column as the frame spells it.
    let b = batch(vec![
        ("child", arr(StringArray::from(vec!["A"]))),
        ("decom", arr(StringArray::from(vec!["x"]))),
    ]);
    let r = ssda903(vec![("episodes", b)], false).unwrap();
    assert_eq!(
        at(&r.issues[0]),
        ("2024/episodes".into(), 1, "decom".into(), "x".into())
    );
    assert!(
        r.issues[0].message.starts_with("decom \"x\" is not a date"),
        "{}",
        r.issues[0].message
    );
}

#[test]
fn tables_are_found_by_name_and_alias_and_others_refused() {
    let child = || batch(vec![("CHILD", arr(StringArray::from(vec!["A"])))]);
    for name in [
        "placed_for_adoption",
        "AD_PLACED",
        "Previous Permanence",
        "prevperm",
        "uasc",
    ] {
        let r = ssda903(vec![(name, child())], false).unwrap();
        assert_eq!(r.ret.rows(), 1, "{name}");
    }
    // Recognised as SWEpisodes, which needs its SW_DECOM.
    let e = ssda903(vec![("SW-Episodes", child())], false).unwrap_err();
    assert!(
        e.message()
            .starts_with("table SW-Episodes has no column SW_DECOM"),
        "{e}"
    );
    let e = ssda903(vec![("Epsiodes", child())], false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(
        e.message()
            .starts_with("unknown table \"Epsiodes\"; the tables are SSDA903: Header, Episodes"),
        "{e}"
    );
    let e = ssda903(vec![("Episodes_last", child())], false).unwrap_err();
    assert!(e.message().contains("collection year of their own"), "{e}");
    let e = ssda903(vec![("CINdetails", child())], false).unwrap_err();
    assert_eq!(
        e.message(),
        "table \"CINdetails\" is a table of the cin return, given with the ssda903 tables"
    );
    let e = cin(vec![("Episodes", child())], false).unwrap_err();
    assert!(
        e.message().contains("is a table of the ssda903 return"),
        "{e}"
    );
}

#[test]
fn a_return_says_its_year_labels_and_the_tables_it_holds() {
    let empty = batch(vec![
        ("CHILD", arr(StringArray::from(Vec::<&str>::new()))),
        ("REVIEW", arr(StringArray::from(Vec::<&str>::new()))),
    ]);
    let r = ssda903(
        vec![("Episodes", bad_episodes()), ("reviews", empty)],
        false,
    )
    .unwrap();
    assert_eq!(r.ret.source.collection_year, Some(2024));
    let files: Vec<&str> = r.ret.source.files.iter().map(|f| &**f).collect();
    assert_eq!(files, ["2024/Episodes", "2024/reviews"]);
    let tables: Vec<&str> = r
        .ret
        .source
        .tables
        .iter()
        .flatten()
        .map(compact_str::CompactString::as_str)
        .collect();
    assert_eq!(tables, ["Episodes", "Reviews"]);
    assert!(!r.ret.source.holds("Missing"));
    assert_eq!((r.files[1].table.as_str(), r.files[1].rows), ("Reviews", 0));

    // A return given as CIN census with no table is still a return, holding none.
    let got = read(
        vec![ReturnInput::new(Some(ReturnKind::Cin), Some(2023), vec![])],
        false,
    )
    .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].kind(), ReturnKind::Cin);
    assert_eq!(got[0].source().tables.as_deref(), Some(&[][..]));
    assert_eq!(got[0].source().collection_year, Some(2023));
    // Without a kind and without tables, there is nothing.
    assert!(
        read(vec![ReturnInput::new(None, Some(2023), vec![])], false)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_mixed_set_of_tables_makes_both_returns() {
    let cin_details = batch(vec![
        ("LAchildID", arr(StringArray::from(vec!["A"]))),
        (
            "CINreferralDate",
            arr(StringArray::from(vec!["2023-05-01"])),
        ),
    ]);
    let got = read_return(
        None,
        vec![("Episodes", bad_episodes()), ("CINdetails", cin_details)],
        false,
    )
    .unwrap();
    assert_eq!(
        got.iter().map(ReadReturn::kind).collect::<Vec<_>>(),
        [ReturnKind::Cin, ReturnKind::Ssda903]
    );
    match (&got[0], &got[1]) {
        (ReadReturn::Cin(c), ReadReturn::Ssda903(s)) => {
            assert_eq!(c.ret.episodes.len(), 1);
            assert_eq!(s.ret.episodes.len(), 2);
            // Each return's files are its own tables, each row's file index into them.
            assert_eq!(c.ret.source.files.len(), 1);
            assert_eq!(&*c.ret.source.files[0], "2024/CINdetails");
            assert_eq!(s.issues.len(), 1);
            assert!(c.issues.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn build_makes_the_dataset_with_the_load_report() {
    let ep = TableInput::from_batch("Episodes", bad_episodes());
    let ds = build(
        vec![ReturnInput::new(
            Some(ReturnKind::Ssda903),
            Some(2024),
            vec![ep],
        )],
        false,
    )
    .unwrap();
    assert_eq!(ds.care_episodes().len(), 2);
    assert_eq!(ds.collection_years(ReturnKind::Ssda903), [2024]);
    assert!(
        ds.issues()
            .iter()
            .any(|i| i.code.as_str() == "unreadable_date"
                && i.location.as_ref().and_then(|l| l.line) == Some(2))
    );
    let ep = TableInput::from_batch("Episodes", bad_episodes());
    let e = build(vec![ReturnInput::new(None, Some(2024), vec![ep])], true).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DataQuality);
}

#[test]
fn a_table_from_a_reader_and_a_reader_s_error() {
    let b = bad_episodes();
    let reader =
        arrow_array::RecordBatchIterator::new(vec![Ok(b.clone()), Ok(b.clone())], b.schema());
    let t = table_from_reader("Episodes", reader).unwrap();
    assert_eq!(
        (t.name.as_str(), t.batches.len(), t.num_rows()),
        ("Episodes", 2, 6)
    );
    let r = ssda903(vec![], false).unwrap();
    assert_eq!(r.ret.rows(), 0);
    let failing = arrow_array::RecordBatchIterator::new(
        vec![
            Ok(b.clone()),
            Err(arrow_schema::ArrowError::ComputeError(
                "broken stream".into(),
            )),
        ],
        b.schema(),
    );
    let e = table_from_reader("Episodes", failing).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(
        e.message().contains("table Episodes") && e.message().contains("broken stream"),
        "{e}"
    );
    // A batch whose columns are not the table's is refused.
    let other = batch(vec![("CHILD", arr(StringArray::from(vec!["A"])))]);
    let t = TableInput::new("Episodes", b.schema(), vec![b, other]);
    let e = read(vec![ReturnInput::new(None, None, vec![t])], false).unwrap_err();
    assert!(e.message().contains("batch 2 has other columns"), "{e}");
}
