//! Every Arrow type each kind of field takes, and the types it refuses.

mod common;

use std::sync::Arc;

use arrow_array::builder::{
    Date32Builder, GenericListBuilder, LargeStringBuilder, ListBuilder, StringBuilder,
};
use arrow_array::types::{Int32Type, Int64Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Date64Array, DictionaryArray, FixedSizeListArray,
    Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, Int64Array, LargeStringArray,
    ListArray, ListViewArray, NullArray, StringArray, StringViewArray, TimestampMicrosecondArray,
    TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray, UInt8Array,
    UInt32Array, UInt64Array,
};
use arrow_buffer::{OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field};
use common::{arr, batch, cin, codes, day, ssda903};
use csc_measures::ErrorKind;

/// A column, the values read from it, and the issue codes.
type Case<T> = (ArrayRef, Vec<Option<T>>, Vec<&'static str>);

/// Seconds from 1970 to midnight of an ISO day.
fn secs(d: &str) -> i64 {
    i64::from(day(d).get()) * 86_400
}

/// The children of an Episodes table whose `CHILD` column is `child`, and the issue codes.
fn children(child: ArrayRef) -> (Vec<String>, Vec<&'static str>) {
    let decom = arr(StringArray::from(vec!["2023-05-01"; child.len()]));
    let r = ssda903(
        vec![("Episodes", batch(vec![("CHILD", child), ("DECOM", decom)]))],
        false,
    )
    .expect("read");
    (
        r.ret.episodes.iter().map(|e| e.child.to_string()).collect(),
        codes(&r.issues),
    )
}

#[test]
fn identifiers_from_text_numbers_and_booleans() {
    let dict: DictionaryArray<Int32Type> = vec!["A", "B", "A"].into_iter().collect();
    let large_dict = DictionaryArray::try_new(
        UInt8Array::from(vec![1, 0]),
        arr(LargeStringArray::from(vec!["X", "Y"])),
    )
    .unwrap();
    let cases: Vec<(ArrayRef, Vec<&str>)> = vec![
        (arr(StringArray::from(vec!["7", " 8 "])), vec!["7", "8"]),
        (arr(LargeStringArray::from(vec!["7", "8"])), vec!["7", "8"]),
        (
            arr(StringViewArray::from(vec![
                "7",
                "a longer identifier than twelve bytes",
            ])),
            vec!["7", "a longer identifier than twelve bytes"],
        ),
        (arr(dict), vec!["A", "B", "A"]),
        (arr(large_dict), vec!["Y", "X"]),
        (arr(Int64Array::from(vec![7, -8])), vec!["7", "-8"]),
        (arr(Int32Array::from(vec![7])), vec!["7"]),
        (arr(Int8Array::from(vec![7])), vec!["7"]),
        (arr(UInt32Array::from(vec![7])), vec!["7"]),
        (
            arr(UInt64Array::from(vec![u64::MAX])),
            vec!["18446744073709551615"],
        ),
        (arr(Float64Array::from(vec![7.0, 8.5])), vec!["7", "8.5"]),
        (arr(Float32Array::from(vec![7.0])), vec!["7"]),
        (arr(BooleanArray::from(vec![true])), vec!["true"]),
    ];
    for (a, want) in cases {
        let dt = a.data_type().clone();
        let (got, issues) = children(a);
        assert_eq!(got, want, "{dt}");
        assert!(issues.is_empty(), "{dt}: {issues:?}");
    }
}

#[test]
fn null_and_nan_identifiers_skip_the_row() {
    let (got, issues) = children(arr(Float64Array::from(vec![
        Some(f64::NAN),
        None,
        Some(3.0),
    ])));
    assert_eq!(got, ["3"]);
    assert_eq!(issues, ["missing_identifier", "missing_identifier"]);
    let (got, issues) = children(arr(NullArray::new(2)));
    assert!(got.is_empty());
    assert_eq!(issues, ["missing_identifier", "missing_identifier"]);
}

#[test]
fn a_date_column_is_no_identifier() {
    let b = batch(vec![
        ("CHILD", arr(Date32Array::from(vec![1]))),
        ("DECOM", arr(StringArray::from(vec!["2023-05-01"]))),
    ]);
    let e = ssda903(vec![("Episodes", b)], false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(
        e.message()
            .starts_with("column CHILD of table Episodes is Date32: expected text"),
        "{e}"
    );
}

/// The `DECOM`s read from a column.
fn decoms(decom: ArrayRef) -> Result<Vec<String>, csc_measures::Error> {
    let child = arr(StringArray::from(vec!["A"; decom.len()]));
    let r = ssda903(
        vec![("Episodes", batch(vec![("CHILD", child), ("DECOM", decom)]))],
        false,
    )?;
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    Ok(r.ret.episodes.iter().map(|e| e.decom.to_string()).collect())
}

#[test]
fn dates_from_text_dates_and_timestamps() {
    let want = ["2023-05-01", "2023-09-01"];
    let noon = [secs("2023-05-01") + 43_200, secs("2023-09-01") + 43_200];
    let dict: DictionaryArray<Int32Type> = vec!["2023-05-01", "01/09/2023"].into_iter().collect();
    let cases: Vec<ArrayRef> = vec![
        arr(StringArray::from(vec!["2023-05-01", "2023-09-01"])),
        arr(StringArray::from(vec!["01/05/2023", " 1/9/2023 "])),
        arr(LargeStringArray::from(vec!["2023-05-01", "01/09/2023"])),
        arr(StringViewArray::from(vec!["2023-05-01", "01/09/2023"])),
        arr(dict),
        arr(Date32Array::from(vec![
            day(want[0]).get(),
            day(want[1]).get(),
        ])),
        arr(Date64Array::from(vec![noon[0] * 1_000, noon[1] * 1_000])),
        arr(TimestampSecondArray::from(noon.to_vec())),
        arr(TimestampMillisecondArray::from(vec![
            noon[0] * 1_000,
            noon[1] * 1_000,
        ])),
        arr(TimestampMicrosecondArray::from(vec![
            noon[0] * 1_000_000,
            noon[1] * 1_000_000,
        ])),
        arr(TimestampNanosecondArray::from(vec![
            noon[0] * 1_000_000_000,
            noon[1] * 1_000_000_000,
        ])),
        arr(
            TimestampNanosecondArray::from(vec![noon[0] * 1_000_000_000, noon[1] * 1_000_000_000])
                .with_timezone("UTC"),
        ),
        // 23:30 UTC on the day before is 00:30 at +01:00.
        arr(TimestampSecondArray::from(vec![
            secs("2023-05-01") - 1_800,
            secs("2023-09-01") - 1_800,
        ])
        .with_timezone("+01:00")),
        // 03:00 UTC on the day after is 22:00 at -05:00.
        arr(TimestampSecondArray::from(vec![
            secs("2023-05-02") + 10_800,
            secs("2023-09-02") + 10_800,
        ])
        .with_timezone("-05:00")),
    ];
    for a in cases {
        let dt = a.data_type().clone();
        assert_eq!(decoms(a).unwrap(), want, "{dt}");
    }
}

#[test]
fn a_named_time_zone_whole_numbers_and_booleans_are_no_dates() {
    let named =
        arr(TimestampSecondArray::from(vec![secs("2023-05-01")]).with_timezone("Europe/London"));
    let e = decoms(named).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(
        e.message()
            .starts_with("column DECOM of table Episodes is Timestamp"),
        "{e}"
    );
    assert!(e.message().contains("named time zone"), "{e}");
    for a in [
        arr(Int64Array::from(vec![3])),
        arr(BooleanArray::from(vec![true])),
    ] {
        let dt = a.data_type().to_string();
        let e = decoms(a).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(
            e.message(),
            format!(
                "column DECOM of table Episodes is {dt}: expected dates, timestamps, or text as YYYY-MM-DD or DD/MM/YYYY"
            )
        );
    }
}

/// The `DOB` and `MC_DOB` of each header read, as ISO text.
type HeaderDates = Vec<(Option<String>, Option<String>)>;

/// A Header of children A and B whose `MC_DOB` and `DOB` columns are as given.
fn header_dates(
    mc_dob: ArrayRef,
    dob: ArrayRef,
) -> Result<(HeaderDates, Vec<&'static str>), csc_measures::Error> {
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A", "B"]))),
        ("DOB", dob),
        ("MC_DOB", mc_dob),
    ]);
    let r = ssda903(vec![("Header", b)], false)?;
    let got = r
        .ret
        .headers
        .iter()
        .map(|h| {
            (
                h.dob.map(|d| d.to_string()),
                h.mc_dob.map(|d| d.to_string()),
            )
        })
        .collect();
    Ok((got, codes(&r.issues)))
}

#[test]
fn a_float_column_of_a_date_reads_nan_as_blank_and_numbers_as_unreadable() {
    // What pandas makes of a blank date column: float64, all NaN (or null).
    let dob = || arr(StringArray::from(vec!["01/01/2010", "2011-02-03"]));
    let (got, issues) =
        header_dates(arr(Float64Array::from(vec![f64::NAN, f64::NAN])), dob()).unwrap();
    assert_eq!(
        got,
        [
            (Some("2010-01-01".to_owned()), None),
            (Some("2011-02-03".to_owned()), None)
        ]
    );
    assert!(issues.is_empty(), "{issues:?}");
    let (got, issues) =
        header_dates(arr(Float32Array::from(vec![None, Some(f32::NAN)])), dob()).unwrap();
    assert_eq!((got[0].1.clone(), got[1].1.clone()), (None, None));
    assert!(issues.is_empty(), "{issues:?}");
    // Any other number is an unreadable date: a child-level date is blanked and reported.
    let (got, issues) = header_dates(
        arr(Float64Array::from(vec![Some(3.0), Some(2.5)])),
        arr(Float64Array::from(vec![f64::NAN, f64::INFINITY])),
    )
    .unwrap();
    assert_eq!(got, [(None, None), (None, None)]);
    assert_eq!(
        issues,
        ["unreadable_date", "unreadable_date", "unreadable_date"]
    );
    // A date of the row: the row is skipped and reported, never an error.
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A", "B"]))),
        (
            "DECOM",
            arr(StringArray::from(vec!["2023-05-01", "2023-05-01"])),
        ),
        ("DEC", arr(Float64Array::from(vec![f64::NAN, 45_000.0]))),
    ]);
    let r = ssda903(vec![("Episodes", b)], false).unwrap();
    assert_eq!(r.ret.episodes.len(), 1);
    assert_eq!(r.ret.episodes[0].dec, None);
    assert_eq!(codes(&r.issues), ["unreadable_date"]);
    let at = common::at(&r.issues[0]);
    assert_eq!((at.1, at.2.as_str(), at.3.as_str()), (2, "DEC", "45000"));
    // Strict mode stops at it as at any unreadable date, with the data-quality kind.
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A"]))),
        ("DECOM", arr(Float64Array::from(vec![1.5]))),
    ]);
    let e = ssda903(vec![("Episodes", b)], true).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DataQuality);
}

#[test]
fn a_day_number_out_of_range_is_an_unreadable_date() {
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A", "B"]))),
        (
            "DECOM",
            arr(StringArray::from(vec!["2023-05-01", "2023-05-01"])),
        ),
        ("DEC", arr(Date32Array::from(vec![Some(i32::MAX), None]))),
    ]);
    let r = ssda903(vec![("Episodes", b)], false).unwrap();
    assert_eq!(r.ret.episodes.len(), 1);
    assert_eq!(r.ret.episodes[0].child, "B");
    assert_eq!(codes(&r.issues), ["unreadable_date"]);
    assert_eq!(
        r.issues[0].location.as_ref().unwrap().column.as_deref(),
        Some("DEC")
    );
}

/// OC2 rows of children 0.. with `SDQ_SCORE` 1 and `CONVICTED` as given.
fn convicted(a: ArrayRef) -> Result<(Vec<Option<bool>>, Vec<&'static str>), csc_measures::Error> {
    let n = a.len();
    let ids: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(ids))),
        ("SDQ_SCORE", arr(Int64Array::from(vec![1; n]))),
        ("CONVICTED", a),
    ]);
    let r = ssda903(vec![("OC2", b)], false)?;
    Ok((
        r.ret.oc2.iter().map(|o| o.convicted).collect(),
        codes(&r.issues),
    ))
}

#[test]
fn flags_from_booleans_numbers_and_text() {
    let (t, f) = (Some(true), Some(false));
    let cases: Vec<Case<bool>> = vec![
        (
            arr(BooleanArray::from(vec![Some(true), Some(false), None])),
            vec![t, f, None],
            vec![],
        ),
        (
            arr(Int64Array::from(vec![1, 0, 2])),
            vec![t, f, None],
            vec!["unknown_code"],
        ),
        (arr(UInt8Array::from(vec![1, 0])), vec![t, f], vec![]),
        (
            arr(Float64Array::from(vec![1.0, 0.0, 0.5])),
            vec![t, f, None],
            vec!["unknown_code"],
        ),
        // SSDA903 flags are 1 and 0 only.
        (
            arr(StringArray::from(vec![" 1", "0", "true"])),
            vec![t, f, None],
            vec!["unknown_code"],
        ),
    ];
    for (a, want, issues) in cases {
        let dt = a.data_type().clone();
        assert_eq!(convicted(a).unwrap(), (want, issues), "{dt}");
    }
    let e = convicted(arr(Date32Array::from(vec![1]))).unwrap_err();
    assert_eq!(
        e.message(),
        "column CONVICTED of table OC2 is Date32: expected booleans, 1 and 0, or text"
    );
}

#[test]
fn cin_flags_take_true_and_false_in_any_case() {
    let b = batch(vec![
        (
            "LAchildID",
            arr(StringArray::from(vec!["A", "B", "C", "D"])),
        ),
        (
            "CINreferralDate",
            arr(StringArray::from(vec!["2023-05-01"; 4])),
        ),
        (
            "ReferralNFA",
            arr(StringArray::from(vec!["true", "FALSE", "1", "maybe"])),
        ),
    ]);
    let r = cin(vec![("CINdetails", b)], false).unwrap();
    let nfa: Vec<_> = r.ret.episodes.iter().map(|e| e.referral_nfa).collect();
    assert_eq!(nfa, [Some(true), Some(false), Some(true), None]);
    assert_eq!(codes(&r.issues), ["unknown_code"]);
    assert_eq!(
        common::at(&r.issues[0]),
        (
            "2024/CINdetails".into(),
            4,
            "ReferralNFA".into(),
            "maybe".into()
        )
    );
}

/// OC2 rows with `CONVICTED` 1 and `SDQ_SCORE` as given.
fn scores(a: ArrayRef) -> Result<(Vec<Option<u32>>, Vec<&'static str>), csc_measures::Error> {
    let n = a.len();
    let ids: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(ids))),
        ("CONVICTED", arr(Int64Array::from(vec![1; n]))),
        ("SDQ_SCORE", a),
    ]);
    let r = ssda903(vec![("OC2", b)], false)?;
    Ok((
        r.ret.oc2.iter().map(|o| o.sdq_score).collect(),
        codes(&r.issues),
    ))
}

#[test]
fn scores_from_numbers_and_text() {
    let cases: Vec<Case<u32>> = vec![
        (
            arr(Int64Array::from(vec![
                Some(0),
                Some(40),
                None,
                Some(41),
                Some(-1),
            ])),
            vec![Some(0), Some(40), None, None, None],
            vec!["unknown_code", "unknown_code"],
        ),
        (arr(Int16Array::from(vec![7])), vec![Some(7)], vec![]),
        (arr(UInt32Array::from(vec![7])), vec![Some(7)], vec![]),
        (
            arr(Float64Array::from(vec![2.0, 2.5, f64::NAN])),
            vec![Some(2), None, None],
            vec!["unknown_code"],
        ),
        (
            arr(StringArray::from(vec!["07", "x", " "])),
            vec![Some(7), None, None],
            vec!["unknown_code"],
        ),
    ];
    for (a, want, issues) in cases {
        let dt = a.data_type().clone();
        assert_eq!(scores(a).unwrap(), (want, issues), "{dt}");
    }
    for a in [
        arr(BooleanArray::from(vec![true])),
        arr(Date32Array::from(vec![1])),
    ] {
        let dt = a.data_type().to_string();
        let e = scores(a).unwrap_err();
        assert_eq!(
            e.message(),
            format!("column SDQ_SCORE of table OC2 is {dt}: expected whole numbers or text")
        );
    }
}

#[test]
fn counts_that_are_not_whole_numbers_are_unreadable_values() {
    let b = batch(vec![
        (
            "LAchildID",
            arr(StringArray::from(vec!["A", "B", "C", "D"])),
        ),
        (
            "CINreferralDate",
            arr(StringArray::from(vec!["2023-05-01"; 4])),
        ),
        (
            "NumberOfPreviousCPP",
            arr(Float64Array::from(vec![
                Some(3.0),
                Some(1.5),
                None,
                Some(-2.0),
            ])),
        ),
    ]);
    let r = cin(vec![("ChildProtectionPlans", b)], false).unwrap();
    let n: Vec<_> = r.ret.plans.iter().map(|p| p.previous_plans).collect();
    assert_eq!(n, [Some(3), None, None, None]);
    assert_eq!(codes(&r.issues), ["unreadable_value", "unreadable_value"]);
    assert_eq!(common::at(&r.issues[0]).3, "1.5");
}

fn str_list(rows: &[Option<Vec<Option<&str>>>]) -> ListArray {
    let mut b = ListBuilder::new(StringBuilder::new());
    for r in rows {
        match r {
            Some(items) => {
                for i in items {
                    b.values().append_option(*i);
                }
                b.append(true);
            }
            None => b.append(false),
        }
    }
    b.finish()
}

/// The disabilities of one `Child` row per item of `disability`.
fn disabilities(disability: ArrayRef) -> Result<Vec<Vec<String>>, csc_measures::Error> {
    let ids: Vec<String> = (0..disability.len()).map(|i| format!("C{i}")).collect();
    let b = batch(vec![
        ("LAchildID", arr(StringArray::from(ids))),
        ("Disability", disability),
    ]);
    let r = cin(vec![("Child", b)], false)?;
    assert!(r.issues.is_empty());
    Ok(r.ret
        .children
        .iter()
        .map(|c| c.disabilities.iter().map(ToString::to_string).collect())
        .collect())
}

#[test]
fn sets_of_codes_from_lists_of_any_kind_or_one_text() {
    let s = |v: &[&str]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    let list = str_list(&[
        Some(vec![Some("D1"), Some(" d2 ")]),
        Some(vec![]),
        None,
        Some(vec![Some(""), None]),
    ]);
    assert_eq!(
        disabilities(arr(list)).unwrap(),
        [s(&["D1", "d2"]), vec![], vec![], vec![]]
    );

    let mut large = GenericListBuilder::<i64, _>::new(LargeStringBuilder::new());
    large.values().append_value("D1");
    large.values().append_value("D2");
    large.append(true);
    assert_eq!(
        disabilities(arr(large.finish())).unwrap(),
        [s(&["D1", "D2"])]
    );

    let dict: DictionaryArray<Int32Type> = vec!["D1", "D2", "D1"].into_iter().collect();
    let field = Arc::new(Field::new_list_field(dict.data_type().clone(), true));
    let of_dict = ListArray::new(
        field,
        OffsetBuffer::new(vec![0, 2, 3].into()),
        arr(dict),
        None,
    );
    assert_eq!(
        disabilities(arr(of_dict)).unwrap(),
        [s(&["D1", "D2"]), s(&["D1"])]
    );

    let field = Arc::new(Field::new_list_field(DataType::Utf8, true));
    let fixed = FixedSizeListArray::new(
        field.clone(),
        2,
        arr(StringArray::from(vec!["A", "B", "C", "D"])),
        None,
    );
    assert_eq!(
        disabilities(arr(fixed)).unwrap(),
        [s(&["A", "B"]), s(&["C", "D"])]
    );

    let view = ListViewArray::new(
        field,
        ScalarBuffer::from(vec![2, 0]),
        ScalarBuffer::from(vec![1, 2]),
        arr(StringArray::from(vec!["A", "B", "C"])),
        None,
    );
    assert_eq!(
        disabilities(arr(view)).unwrap(),
        [s(&["C"]), s(&["A", "B"])]
    );

    let ints =
        ListArray::from_iter_primitive::<Int64Type, _, _>(vec![Some(vec![Some(1), Some(2)])]);
    assert_eq!(disabilities(arr(ints)).unwrap(), [s(&["1", "2"])]);

    // A text cell is one code, not split.
    let text = StringArray::from(vec![Some("D1, D2"), None]);
    assert_eq!(disabilities(arr(text)).unwrap(), [s(&["D1, D2"]), vec![]]);

    let dates =
        ListArray::from_iter_primitive::<arrow_array::types::Date32Type, _, _>(vec![Some(vec![
            Some(1),
        ])]);
    let e = disabilities(arr(dates)).unwrap_err();
    assert!(
        e.message()
            .starts_with("column Disability of table Child is List("),
        "{e}"
    );
    assert!(
        e.message().ends_with("expected a list of text, or text"),
        "{e}"
    );
}

/// The review dates of one CP plan per item of `reviews`, and the issues.
fn reviews(
    reviews: ArrayRef,
) -> Result<(Vec<Vec<String>>, Vec<&'static str>), csc_measures::Error> {
    let n = reviews.len();
    let b = batch(vec![
        ("LAchildID", arr(StringArray::from(vec!["A"; n]))),
        (
            "CINreferralDate",
            arr(Date32Array::from(vec![day("2023-01-01").get(); n])),
        ),
        ("CPPreviewDate", reviews),
    ]);
    let r = cin(vec![("ChildProtectionPlans", b)], false)?;
    let got = r
        .ret
        .plans
        .iter()
        .map(|p| p.review_dates.iter().map(ToString::to_string).collect())
        .collect();
    Ok((got, codes(&r.issues)))
}

#[test]
fn sets_of_dates_from_lists_of_dates_or_text_or_one_date() {
    let d = |s: &str| day(s).get();
    let mut b = ListBuilder::new(Date32Builder::new());
    b.values().append_value(d("2023-07-01"));
    b.values().append_value(d("2023-06-01"));
    b.values().append_value(d("2023-06-01"));
    b.append(true);
    assert_eq!(
        reviews(arr(b.finish())).unwrap(),
        (
            vec![vec!["2023-06-01".to_owned(), "2023-07-01".to_owned()]],
            vec![]
        )
    );

    let mut large = GenericListBuilder::<i64, _>::new(LargeStringBuilder::new());
    large.values().append_value("2023-06-01");
    large.values().append_value("01/07/2023");
    large.append(true);
    assert_eq!(
        reviews(arr(large.finish())).unwrap().0,
        [["2023-06-01", "2023-07-01"]]
    );

    let bad = str_list(&[Some(vec![Some("2023-13-01"), None, Some("2023-06-01")])]);
    assert_eq!(
        reviews(arr(bad)).unwrap(),
        (
            vec![vec!["2023-06-01".to_owned()]],
            vec!["unreadable_date", "missing_key_date"]
        )
    );

    let one = Date32Array::from(vec![Some(d("2023-06-01")), None]);
    assert_eq!(
        reviews(arr(one)).unwrap().0,
        [vec!["2023-06-01".to_owned()], vec![]]
    );

    let ints = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![Some(vec![Some(1)])]);
    let e = reviews(arr(ints)).unwrap_err();
    assert!(
        e.message().ends_with("expected a list of dates, or dates"),
        "{e}"
    );
}

#[test]
fn sliced_batches_and_several_batches_number_rows_across_the_table() {
    let full = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["Z", "A", "B", "C"]))),
        (
            "DECOM",
            arr(StringArray::from(vec![
                "x",
                "2023-05-01",
                "2023-05-02",
                "31/02/2023",
            ])),
        ),
        (
            "DISABILITY_IGNORED",
            arr(Int64Array::from(vec![1, 2, 3, 4])),
        ),
    ]);
    let first = full.slice(1, 2);
    let second = full.slice(3, 1);
    let t = csc_arrow::TableInput::new("Episodes", full.schema(), vec![first, second]);
    let r = match csc_arrow::read(
        vec![csc_arrow::ReturnInput::new(None, None, vec![t])],
        false,
    )
    .unwrap()
    .pop()
    {
        Some(csc_arrow::ReadReturn::Ssda903(r)) => r,
        other => panic!("{other:?}"),
    };
    let got: Vec<_> = r
        .ret
        .episodes
        .iter()
        .map(|e| (e.child.as_str(), e.origin.line))
        .collect();
    assert_eq!(got, [("A", 1), ("B", 2)]);
    assert_eq!(
        common::at(&r.issues[0]),
        ("Episodes".into(), 3, "DECOM".into(), "31/02/2023".into())
    );
    assert_eq!((r.files[0].rows, r.files[0].skipped), (3, 1));
}

/// Each episode's `DEC` and `REC`.
type DecRec = Vec<(Option<String>, String)>;

/// The episodes read from an Episodes table whose `DEC` and `REC` columns are `dec` and `rec`, and
/// the issue codes.
fn dec_rec(
    dec: ArrayRef,
    rec: ArrayRef,
) -> Result<(DecRec, Vec<&'static str>), csc_measures::Error> {
    let n = dec.len();
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A"; n]))),
        ("DECOM", arr(StringArray::from(vec!["2023-05-01"; n]))),
        ("DEC", dec),
        ("REC", rec),
    ]);
    let r = ssda903(vec![("Episodes", b)], false)?;
    Ok((
        r.ret
            .episodes
            .iter()
            .map(|e| (e.dec.map(|d| d.to_string()), e.rec.to_string()))
            .collect(),
        codes(&r.issues),
    ))
}

#[test]
fn a_column_of_nulls_of_any_type_is_blank_for_every_field() {
    // pandas: an all-None object column, an all-NA Int64 or boolean one, an all-NaT datetime one;
    // pyarrow and polars: a null column. A date field and a code field take every one as blank.
    let nulls: Vec<ArrayRef> = vec![
        arr(NullArray::new(2)),
        arr(Int64Array::from(vec![None, None])),
        arr(BooleanArray::from(vec![None, None])),
        arr(Float64Array::from(vec![None, None])),
        arr(Float64Array::from(vec![f64::NAN, f64::NAN])),
        arr(Date32Array::from(vec![None, None])),
        arr(TimestampNanosecondArray::from(vec![None, None])),
        arr(StringArray::from(vec![None::<&str>, None])),
    ];
    let blank = (vec![(None, String::new()); 2], vec![]);
    for a in &nulls {
        for b in &nulls {
            let (da, db) = (a.data_type().clone(), b.data_type().clone());
            assert_eq!(
                dec_rec(a.clone(), b.clone()).unwrap(),
                blank,
                "DEC {da}, REC {db}"
            );
        }
    }
    // A column of a type the field does not take is refused as soon as one value is given.
    let e = dec_rec(
        arr(Int64Array::from(vec![None, Some(3)])),
        arr(NullArray::new(2)),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        e.message(),
        "column DEC of table Episodes is Int64: expected dates, timestamps, or text as YYYY-MM-DD or DD/MM/YYYY"
    );
    // Over several batches, the column is blank only when it is blank in every one.
    let schema = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A"]))),
        ("DECOM", arr(StringArray::from(vec!["2023-05-01"]))),
        ("DEC", arr(Int64Array::from(vec![None::<i64>]))),
    ])
    .schema();
    let rb = |dec: Option<i64>| {
        arrow_array::RecordBatch::try_new(
            schema.clone(),
            vec![
                arr(StringArray::from(vec!["A"])),
                arr(StringArray::from(vec!["2023-05-01"])),
                arr(Int64Array::from(vec![dec])),
            ],
        )
        .unwrap()
    };
    let read = |batches: Vec<arrow_array::RecordBatch>| {
        let t = csc_arrow::TableInput::new("Episodes", schema.clone(), batches);
        csc_arrow::read(
            vec![csc_arrow::ReturnInput::new(
                Some(csc_measures::records::ReturnKind::Ssda903),
                Some(2024),
                vec![t],
            )],
            false,
        )
    };
    assert!(read(vec![rb(None), rb(None)]).is_ok());
    let e = read(vec![rb(None), rb(Some(1))]).unwrap_err();
    assert!(
        e.message()
            .starts_with("column DEC of table Episodes is Int64")
    );
}

#[test]
fn a_code_given_as_a_fraction_is_an_unreadable_value_read_as_blank() {
    // A float column of a code: whole numbers are the code (pandas makes `1` a float `1.0` when a
    // value of the column is blank), a fraction is no code and is not truncated.
    let b = batch(vec![
        ("CHILD", arr(StringArray::from(vec!["A", "B", "C"]))),
        ("SEX", arr(Float64Array::from(vec![1.0, 2.5, f64::NAN]))),
    ]);
    let r = ssda903(vec![("Header", b.clone())], false).unwrap();
    let sexes: Vec<&str> = r.ret.headers.iter().map(|h| h.sex.as_str()).collect();
    assert_eq!(sexes, ["1", "", ""]);
    assert_eq!(codes(&r.issues), ["unreadable_value"]);
    let issue = &r.issues[0];
    assert_eq!(
        common::at(issue),
        ("2024/Header".into(), 2, "SEX".into(), "2.5".into())
    );
    assert_eq!(issue.child.as_deref(), Some("B"));
    assert!(
        issue.message.contains("SEX \"2.5\" is not a code"),
        "{}",
        issue.message
    );
    // A warning, like an unreadable count: strict mode does not stop at it.
    let strict = ssda903(vec![("Header", b)], true).unwrap();
    assert_eq!(strict.issues, r.issues);
    // Identifiers and free text take the number's text, as a file holding it would give it.
    let (kids, issues) = children(arr(Float64Array::from(vec![7.0, 7.5])));
    assert_eq!((kids, issues), (vec!["7".into(), "7.5".into()], vec![]));
}
