//! Results, catalogues and the population as tables: their columns and types, the JSON columns
//! read back as the extras they stand for, and the population's readings and errors.

mod common;

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type};
use arrow_array::{Array, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use common::{arr, batch};
use csc_arrow::results::{JSON, ScoreRow};
use csc_arrow::{TableInput, catalogue, population, results};
use csc_measures::measure::{MeasureId, Options, compute_many, options::OPTIONS};
use csc_measures::population::Population;
use csc_measures::result::{Extra, MeasureResult};
use csc_measures::schema::TABLES;
use csc_measures::{Dataset, ErrorKind, Period};
use serde_json::Value;

fn sample() -> Dataset {
    csc_synth::dataset(&csc_synth::Config {
        children: 400,
        ..Default::default()
    })
    .expect("the sample builds")
}

fn results_2024(ds: &Dataset, options: &Options) -> Vec<MeasureResult> {
    compute_many(ds, &[], Period::financial_year(2024).unwrap(), options)
}

fn names(b: &RecordBatch) -> Vec<String> {
    b.schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect()
}

fn text(b: &RecordBatch, col: &str, i: usize) -> String {
    let c = b.column_by_name(col).expect("the column");
    c.as_string::<i32>().value(i).to_owned()
}

/// Does the JSON `v` stand for the extra `e`, value for value?
fn is_extra(v: &Value, e: &Extra) -> bool {
    let float = |v: &Value, x: Option<f64>| match x {
        None => v.is_null(),
        Some(x) => v.is_f64() && v.as_f64() == Some(x),
    };
    match e {
        Extra::Counts(c) => v.as_object().is_some_and(|m| {
            m.len() == c.len()
                && m.keys()
                    .zip(c)
                    .all(|(k, (l, n))| k == l && v[k].as_u64() == Some(*n))
        }),
        Extra::Quartiles(q) => {
            v.as_object().is_some_and(|m| m.len() == 3)
                && float(&v["p25"], q.p25)
                && float(&v["median"], q.median)
                && float(&v["p75"], q.p75)
        }
        Extra::Floats(c) => v.as_object().is_some_and(|m| {
            m.len() == c.len()
                && m.keys()
                    .zip(c)
                    .all(|(k, (l, x))| k == l && float(&v[k], *x))
        }),
        Extra::Null => v.is_null(),
        Extra::Int(n) => n.map_or(v.is_null(), |n| v.as_i64() == Some(n)),
        Extra::Float(x) => float(v, *x),
        Extra::Flag(b) => b.map_or(v.is_null(), |b| v.as_bool() == Some(b)),
    }
}

#[test]
fn one_row_per_result_with_json_columns_that_read_back() {
    let ds = sample();
    let mut p = Population::new();
    p.insert(2023, 61_000).unwrap();
    let opts = Options::default().with_population(Arc::new(p));
    let rs = results_2024(&ds, &opts);
    let t = results::measures(&rs);
    assert_eq!(
        names(&t),
        [
            "id",
            "title",
            "unit",
            "polarity",
            "period_start",
            "period_end",
            "numerator",
            "denominator",
            "value",
            "note",
            "excluded",
            "warnings",
            "extras",
            "options"
        ]
    );
    assert_eq!(t.num_rows(), MeasureId::ALL.len());
    let schema = t.schema();
    for col in ["excluded", "extras", "options"] {
        let f = schema.field_with_name(col).unwrap();
        assert_eq!(f.metadata().get(JSON).map(String::as_str), Some("true"));
    }
    assert_eq!(
        schema.field_with_name("numerator").unwrap().data_type(),
        &DataType::Int64
    );
    let mut rates = 0;
    for (i, r) in rs.iter().enumerate() {
        assert_eq!(text(&t, "id", i), r.id.as_str());
        let num = t
            .column_by_name("numerator")
            .unwrap()
            .as_primitive::<Int64Type>();
        assert_eq!(
            num.is_valid(i)
                .then(|| u64::try_from(num.value(i)).unwrap()),
            r.numerator
        );
        let value = t
            .column_by_name("value")
            .unwrap()
            .as_primitive::<Float64Type>();
        assert_eq!(value.is_valid(i).then(|| value.value(i)), r.value);
        let start = t
            .column_by_name("period_start")
            .unwrap()
            .as_primitive::<Date32Type>();
        assert_eq!(start.value(i), r.period.start().get());
        let extras: Value = serde_json::from_str(&text(&t, "extras", i)).unwrap();
        let m = extras.as_object().expect("an object");
        assert_eq!(m.len(), r.extras.iter().count(), "{}", r.id);
        for (k, e) in r.extras.iter() {
            assert!(
                is_extra(&extras[*k], e),
                "{} {k}: {} vs {e:?}",
                r.id,
                extras[*k]
            );
        }
        rates += usize::from(r.extras.get("rate_per_10000").is_some());
        let excluded: Value = serde_json::from_str(&text(&t, "excluded", i)).unwrap();
        for (reason, n) in &r.excluded {
            assert_eq!(excluded[reason.as_str()].as_u64(), Some(*n));
        }
        let options: Value = serde_json::from_str(&text(&t, "options", i)).unwrap();
        for (k, v) in &r.options {
            match v.parse::<u64>() {
                Ok(n) => assert_eq!(options[*k].as_u64(), Some(n)),
                Err(_) => assert_eq!(options[*k].as_str(), Some(v.as_str())),
            }
        }
    }
    assert!(rates > 0, "some measure has a rate");
}

#[test]
fn records_carry_their_measure_and_period() {
    let ds = sample();
    let rs = results_2024(&ds, &Options::default());
    let t = results::records(&rs);
    assert_eq!(
        names(&t),
        [
            "measure",
            "period_start",
            "period_end",
            "child",
            "record",
            "in_denominator",
            "in_numerator",
            "value",
            "reason",
            "start",
            "end"
        ]
    );
    assert_eq!(t.num_rows(), rs.iter().map(|r| r.rows.len()).sum::<usize>());
    let one = results::records(rs.iter().filter(|r| r.id == MeasureId::Assessments45wd));
    let r = rs
        .iter()
        .find(|r| r.id == MeasureId::Assessments45wd)
        .unwrap();
    assert_eq!(one.num_rows(), r.rows.len());
    let numerators = one.column_by_name("in_numerator").unwrap().as_boolean();
    assert_eq!(numerators.true_count() as u64, r.numerator.unwrap());
    let end = one
        .column_by_name("period_end")
        .unwrap()
        .as_primitive::<Date32Type>();
    assert!(end.iter().all(|d| d == Some(r.period.end().get())));
}

#[test]
fn the_load_report_and_the_scorecard() {
    let ds = sample();
    let t = results::issues(ds.issues());
    assert_eq!(
        names(&t),
        [
            "code", "severity", "child", "record", "message", "file", "line", "path", "column",
            "value"
        ]
    );
    assert_eq!(t.num_rows(), ds.issues().len());
    assert_eq!(
        t.schema().field_with_name("line").unwrap().data_type(),
        &DataType::Int64
    );
    let now = results_2024(&ds, &Options::default());
    let before = compute_many(
        &ds,
        &[],
        Period::financial_year(2023).unwrap(),
        &Options::default(),
    );
    let lines: Vec<ScoreRow<'_>> = now
        .iter()
        .zip(&before)
        .map(|(current, previous)| ScoreRow {
            current,
            previous,
            direction: "same",
        })
        .collect();
    let card = results::scorecard(&lines);
    assert_eq!(card.num_rows(), MeasureId::ALL.len());
    assert_eq!(
        names(&card)[6..12],
        [
            "value",
            "note",
            "numerator",
            "denominator",
            "rate_per_10000",
            "threshold"
        ]
    );
    assert_eq!(names(&card)[12], "meets_threshold");
    let threshold = card.column_by_name("threshold").unwrap();
    let a1 = MeasureId::ALL
        .iter()
        .position(|m| *m == MeasureId::AdoptionA1)
        .unwrap();
    assert!(threshold.is_valid(a1) && threshold.is_null(0));
    assert_eq!(text(&card, "direction", 0), "same");
    for col in [
        "numerator",
        "denominator",
        "previous_numerator",
        "previous_denominator",
    ] {
        let f = card.schema().field_with_name(col).unwrap().clone();
        assert_eq!(f.data_type(), &DataType::Int64, "{col}");
    }
    let series = results::series(&now);
    for col in ["numerator", "denominator"] {
        let f = series.schema().field_with_name(col).unwrap().clone();
        assert_eq!(f.data_type(), &DataType::Int64, "{col}");
    }
}

#[test]
fn catalogues_come_from_the_declarations() {
    let m = catalogue::measures();
    assert_eq!(
        names(&m),
        [
            "id",
            "title",
            "unit",
            "polarity",
            "value_kind",
            "source",
            "window",
            "options",
            "row",
            "row_record",
            "row_value",
            "row_start",
            "row_end"
        ]
    );
    for (i, id) in MeasureId::ALL.iter().enumerate() {
        assert_eq!(text(&m, "id", i), id.as_str());
        assert_eq!(text(&m, "source", i), id.spec().source.as_str());
    }
    let a1 = MeasureId::ALL
        .iter()
        .position(|m| *m == MeasureId::AdoptionA1)
        .unwrap();
    assert_eq!(
        (text(&m, "window", a1), text(&m, "window", 0)),
        ("years:3".into(), "year".into())
    );
    let o = catalogue::options();
    assert_eq!(names(&o), ["key", "doc", "values", "default", "read_by"]);
    assert_eq!(o.num_rows(), OPTIONS.len());
    for (i, d) in OPTIONS.iter().enumerate() {
        assert_eq!(
            (text(&o, "key", i), text(&o, "default", i)),
            (d.key.into(), d.default.into())
        );
        let read_by = o
            .column_by_name("read_by")
            .unwrap()
            .as_list::<i32>()
            .value(i);
        assert!(!read_by.is_empty(), "{} is read by some measure", d.key);
    }
    let s = catalogue::schema();
    assert_eq!(
        names(&s),
        [
            "table", "family", "rows", "aliases", "field", "column", "xml", "kind", "doc"
        ]
    );
    assert_eq!(
        s.num_rows(),
        TABLES.iter().map(|t| t.fields.len()).sum::<usize>()
    );
    let kinds: std::collections::BTreeSet<String> =
        (0..s.num_rows()).map(|i| text(&s, "kind", i)).collect();
    for k in [
        "child",
        "parent_key",
        "required_date",
        "child_date",
        "flag",
        "count",
        "score",
        "codes",
        "dates",
    ] {
        assert!(kinds.contains(k), "{k}");
    }
    let decom = (0..s.num_rows())
        .find(|&i| text(&s, "column", i) == "DECOM")
        .unwrap();
    assert_eq!(
        (
            text(&s, "table", decom),
            text(&s, "rows", decom),
            text(&s, "field", decom),
            text(&s, "kind", decom)
        ),
        (
            "Episodes".into(),
            "episodes".into(),
            "decom".into(),
            "required_date".into()
        )
    );
}

fn population_of(
    cols: Vec<(&str, arrow_array::ArrayRef)>,
) -> Result<Population, csc_measures::Error> {
    population(&TableInput::from_batch("population", batch(cols)))
}

#[test]
fn the_population_from_a_table() {
    let p = population_of(vec![
        (
            "Year",
            arr(Int64Array::from(vec![Some(2023), None, Some(2024)])),
        ),
        (
            "POPULATION",
            arr(Float64Array::from(vec![
                Some(63_051.0),
                None,
                Some(63_420.0),
            ])),
        ),
        ("area", arr(StringArray::from(vec!["E09000001"; 3]))),
    ])
    .unwrap();
    assert_eq!(
        p.iter().collect::<Vec<_>>(),
        [(2023, 63_051), (2024, 63_420)]
    );
    let p = population_of(vec![
        ("year", arr(StringArray::from(vec![" 2023 "]))),
        ("population", arr(StringArray::from(vec!["63051"]))),
    ])
    .unwrap();
    assert_eq!(p.for_year_ending(2024), Some((2023, 63_051)));
    let e = population_of(vec![("year", arr(Int64Array::from(vec![2023])))]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(
        e.message()
            .starts_with("population_invalid: table population lacks"),
        "{e}"
    );
    let e = population_of(vec![
        ("year", arr(Int64Array::from(vec![2023, 2023]))),
        ("population", arr(Int64Array::from(vec![1, 2]))),
    ])
    .unwrap_err();
    assert_eq!(
        e.message(),
        "table population: row 2: population_conflict: two totals for mid-2023, 1 and 2; give one"
    );
    let e = population_of(vec![
        ("year", arr(Int64Array::from(vec![2023]))),
        ("population", arr(Float64Array::from(vec![1.5]))),
    ])
    .unwrap_err();
    assert!(
        e.message().contains("population_invalid: total \"1.5\""),
        "{e}"
    );
}
