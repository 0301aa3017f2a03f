//! Tables given as plain values (a host language's columns without Arrow): the Arrow type each
//! mix of values becomes, and that such a table reads as the Arrow table of the same values does.

mod common;

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::TimestampMicrosecondType;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, NullArray, StringArray,
};
use arrow_schema::{DataType, TimeUnit};
use common::{arr, batch, codes, day, ssda903};
use csc_arrow::values::{Value, Zone, array, table};
use csc_arrow::{ReadReturn, ReturnInput, TableInput, read};
use csc_measures::ErrorKind;
use csc_measures::records::ReturnKind;

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn date(s: &str) -> Value {
    Value::Date(day(s).get())
}

const DAY: i64 = 86_400_000_000;

#[test]
fn each_mix_of_values_has_its_arrow_type() {
    let dt = |micros, zone| Value::DateTime { micros, zone };
    let tz = |s: &str| DataType::Timestamp(TimeUnit::Microsecond, Some(Arc::from(s)));
    let cases: Vec<(Vec<Value>, DataType)> = vec![
        (vec![], DataType::Null),
        (vec![Value::Null, Value::Null], DataType::Null),
        (vec![Value::Bool(true), Value::Null], DataType::Boolean),
        (vec![Value::Int(1), Value::Null], DataType::Int64),
        (vec![Value::Int(1), Value::Float(2.5)], DataType::Float64),
        (vec![Value::Float(f64::NAN)], DataType::Float64),
        (vec![text("A"), Value::Null], DataType::Utf8),
        (vec![date("2023-05-01"), Value::Null], DataType::Date32),
        (
            vec![dt(0, Zone::Naive), Value::Null],
            DataType::Timestamp(TimeUnit::Microsecond, None),
        ),
        (vec![dt(0, Zone::Fixed(0))], tz("+00:00")),
        (vec![dt(0, Zone::Fixed(-5400))], tz("-01:30")),
        (
            vec![dt(0, Zone::Named("Europe/London".into()))],
            tz("Europe/London"),
        ),
        // Mixes: text of each value.
        (vec![Value::Int(1), text("A")], DataType::Utf8),
        (vec![Value::Bool(true), Value::Int(1)], DataType::Utf8),
        (vec![dt(0, Zone::Naive), date("2023-05-01")], DataType::Utf8),
        (
            vec![dt(0, Zone::Fixed(0)), dt(0, Zone::Naive)],
            DataType::Utf8,
        ),
        (
            vec![Value::BigInt("18446744073709551615".into())],
            DataType::Utf8,
        ),
    ];
    for (values, want) in cases {
        let a = array(&values).unwrap();
        assert_eq!(a.data_type(), &want, "{values:?}");
        assert_eq!(a.len(), values.len());
    }
    // Lists: of the type of their items; a null row is a null list.
    let l = array(&[
        Value::List(vec![text("D1"), text("D2")]),
        Value::Null,
        Value::List(vec![]),
    ])
    .unwrap();
    let l = l.as_list::<i32>();
    assert_eq!(l.value_type(), DataType::Utf8);
    assert_eq!(
        (l.value_length(0), l.is_null(1), l.value_length(2)),
        (2, true, 0)
    );
}

#[test]
fn a_mix_is_text_as_a_file_holds_it() {
    let a = array(&[
        Value::Int(7),
        Value::Float(7.0),
        Value::Float(2.5),
        Value::Float(f64::NAN),
        Value::Bool(false),
        text(" x "),
        date("2023-05-01"),
        // 2023-05-01 23:30 at +01:00: its own date, not UTC's.
        Value::DateTime {
            micros: i64::from(day("2023-05-01").get()) * DAY + 84_600_000_000,
            zone: Zone::Fixed(3600),
        },
        Value::BigInt("99999999999999999999".into()),
        Value::Null,
    ])
    .unwrap();
    let s = a.as_string::<i32>();
    let got: Vec<Option<&str>> = s.iter().collect();
    assert_eq!(
        got,
        [
            Some("7"),
            Some("7"),
            Some("2.5"),
            None,
            Some("false"),
            Some(" x "),
            Some("2023-05-01"),
            Some("2023-05-01"),
            Some("99999999999999999999"),
            None,
        ]
    );
}

#[test]
fn a_fixed_offset_keeps_its_own_clock() {
    // 2023-05-01 00:30 at +02:00 is 2023-04-30 22:30 UTC: Arrow holds the instant, and the date
    // read is the one on the value's clock.
    let wall = i64::from(day("2023-05-01").get()) * DAY + 1_800_000_000;
    let values = vec![
        Value::DateTime {
            micros: wall,
            zone: Zone::Fixed(7200),
        },
        Value::Null,
    ];
    let a = array(&values).unwrap();
    let ts = a.as_primitive::<TimestampMicrosecondType>();
    assert_eq!(ts.value(0), wall - 7_200_000_000);
    let t = table(
        "Episodes",
        vec![
            ("CHILD".into(), vec![text("A"), text("B")]),
            ("DECOM".into(), values),
        ],
    )
    .unwrap();
    let r = read_one(t).unwrap();
    let decoms: Vec<String> = r.ret.episodes.iter().map(|e| e.decom.to_string()).collect();
    assert_eq!(decoms, ["2023-05-01"]);
    assert_eq!(codes(&r.issues), ["missing_identifier"]);
}

fn read_one(
    t: TableInput,
) -> Result<csc_measures::rows::Read<csc_measures::records::Ssda903Return>, csc_measures::Error> {
    match read(
        vec![ReturnInput::new(
            Some(ReturnKind::Ssda903),
            Some(2024),
            vec![t],
        )],
        false,
    )?
    .pop()
    {
        Some(ReadReturn::Ssda903(r)) => Ok(r),
        other => panic!("not one SSDA903 return: {other:?}"),
    }
}

#[test]
fn a_table_of_values_reads_as_the_arrow_table_of_the_same_values() {
    // What pandas holds for a header read without dtype: ids as whole numbers, a blank column of
    // NaN, a flag column of floats because one is blank, dates as text and as dates.
    let values = table(
        "Header",
        vec![
            (
                "CHILD".into(),
                vec![Value::Int(7), Value::Int(8), Value::Int(9)],
            ),
            (
                "SEX".into(),
                vec![Value::Int(1), Value::Int(2), Value::Float(2.5)],
            ),
            (
                "DOB".into(),
                vec![text("01/01/2010"), date("2011-03-02"), Value::Null],
            ),
            (
                "MOTHER".into(),
                vec![Value::Float(1.0), Value::Null, Value::Float(0.0)],
            ),
            ("MC_DOB".into(), vec![Value::Null; 3]),
            (
                "UPN".into(),
                vec![Value::Bool(true), Value::Null, Value::Null],
            ),
        ],
    )
    .unwrap();
    let arrow = batch(vec![
        ("CHILD", arr(Int64Array::from(vec![7, 8, 9]))),
        ("SEX", arr(Float64Array::from(vec![1.0, 2.0, 2.5]))),
        (
            "DOB",
            arr(StringArray::from(vec![
                Some("01/01/2010"),
                Some("2011-03-02"),
                None,
            ])),
        ),
        (
            "MOTHER",
            arr(Float64Array::from(vec![Some(1.0), None, Some(0.0)])),
        ),
        ("MC_DOB", arr(NullArray::new(3))),
        ("UPN", arr(BooleanArray::from(vec![Some(true), None, None]))),
    ]);
    let from_values = read_one(values).unwrap();
    let from_arrow = ssda903(vec![("Header", arrow)], false).unwrap();
    assert_eq!(from_values.ret.headers, from_arrow.ret.headers);
    assert_eq!(from_values.issues, from_arrow.issues);
    let mothers: Vec<&str> = from_values
        .ret
        .headers
        .iter()
        .map(|h| h.mother.as_str())
        .collect();
    assert_eq!(mothers, ["1", "", "0"]);
    assert_eq!(codes(&from_values.issues), ["unreadable_value"]);
    // The dates column was a mix (text and a date): read as text, both forms parse.
    let dobs: Vec<Option<String>> = from_values
        .ret
        .headers
        .iter()
        .map(|h| h.dob.map(|d| d.to_string()))
        .collect();
    assert_eq!(
        dobs,
        [Some("2010-01-01".into()), Some("2011-03-02".into()), None]
    );
    let _: ArrayRef = arr(Date32Array::from(vec![1]));
}

#[test]
fn what_a_table_of_values_refuses_names_table_column_and_row() {
    let e = table(
        "Episodes",
        vec![
            ("CHILD".into(), vec![text("A"), text("B")]),
            ("DECOM".into(), vec![text("2023-05-01")]),
        ],
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        e.message(),
        "table Episodes: column DECOM has 1 values where the first column has 2"
    );
    let e = table(
        "Child",
        vec![(
            "Disability".into(),
            vec![Value::List(vec![text("MOB")]), text("HAND")],
        )],
    )
    .unwrap_err();
    assert_eq!(
        e.message(),
        "table Child: column Disability: row 2: a single value in a column of lists (give every row a list, or None)"
    );
    let e = table(
        "Child",
        vec![(
            "Disability".into(),
            vec![Value::List(vec![Value::List(vec![])])],
        )],
    )
    .unwrap_err();
    assert_eq!(
        e.message(),
        "table Child: column Disability: row 1: a list of lists (give a list of values)"
    );
    // A named zone is refused when read for a date, as an Arrow timestamp of one is.
    let t = table(
        "Episodes",
        vec![
            ("CHILD".into(), vec![text("A")]),
            (
                "DECOM".into(),
                vec![Value::DateTime {
                    micros: 0,
                    zone: Zone::Named("Europe/London".into()),
                }],
            ),
        ],
    )
    .unwrap();
    let e = read_one(t).unwrap_err();
    assert!(e.message().contains("named time zone"), "{}", e.message());
}
