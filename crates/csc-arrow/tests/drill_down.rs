//! The drill-down table says what its columns hold (schema and field metadata), carries the dates
//! that check each value by hand, and the cleaned care tables equal the core's.

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use csc_arrow::docs::{DOC, ROWS};
use csc_measures::cleaned::{Cells, CleanedTable};
use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::{Dataset, Period};

fn sample() -> Dataset {
    csc_synth::dataset(&csc_synth::Config {
        children: 1_500,
        ..Default::default()
    })
    .unwrap()
}

fn doc(t: &RecordBatch, field: &str) -> String {
    t.schema().field_with_name(field).unwrap().metadata()[DOC].clone()
}

#[test]
fn records_say_what_each_measure_rows_hold() {
    let ds = sample();
    let year = Period::financial_year(2024).unwrap();
    let a1 = compute(&ds, MeasureId::AdoptionA1, year, &Options::default());
    let cla = compute(&ds, MeasureId::ClaAtEnd, year, &Options::default());
    let one = csc_arrow::results::records(std::slice::from_ref(&a1));
    let rows = MeasureId::AdoptionA1.spec().rows;
    assert_eq!(doc(&one, "record"), rows.record);
    assert_eq!(doc(&one, "value"), rows.value);
    assert_eq!(Some(doc(&one, "start").as_str()), rows.start);
    assert_eq!(Some(doc(&one, "end").as_str()), rows.end);
    // Each A1 value is its row's end minus its start.
    let (value, start, end) = (
        one.column_by_name("value")
            .unwrap()
            .as_primitive::<Int64Type>(),
        one.column_by_name("start")
            .unwrap()
            .as_primitive::<Date32Type>(),
        one.column_by_name("end")
            .unwrap()
            .as_primitive::<Date32Type>(),
    );
    let mut checked = 0;
    for i in 0..one.num_rows() {
        if value.is_valid(i) {
            assert_eq!(value.value(i), i64::from(end.value(i) - start.value(i)));
            checked += 1;
        }
    }
    assert!(checked > 0);
    // Two measures: the columns point to the schema's object by measure.
    let both = csc_arrow::results::records([&a1, &cla, &a1]);
    assert!(doc(&both, "value").contains(ROWS));
    let meta = both.schema().metadata()[ROWS].clone();
    assert!(
        meta.starts_with('{')
            && meta.contains("\"adoption_a1\"")
            && meta.contains("\"cla_at_end\"")
    );
    assert!(
        meta.contains("\"per\":\"child looked after at the end (short-break exclusions too)\"")
    );
    assert!(
        both.schema()
            .field_with_name("measure")
            .unwrap()
            .metadata()
            .is_empty()
    );
}

#[test]
fn the_catalogue_has_every_measure_row_meaning() {
    let m = csc_arrow::catalogue::measures();
    let col = |name: &str| m.column_by_name(name).unwrap().as_string::<i32>().clone();
    let (row, start) = (col("row"), col("row_start"));
    for (i, id) in MeasureId::ALL.iter().enumerate() {
        assert_eq!(row.value(i), id.spec().rows.per);
        assert_eq!(start.is_valid(i), id.spec().rows.start.is_some(), "{id}");
    }
}

#[test]
fn cleaned_tables_equal_the_core_tables() {
    let ds = sample();
    for which in CleanedTable::ALL {
        let t = which.of(&ds);
        let b = csc_arrow::cleaned::table(&ds, which);
        assert_eq!(b.num_rows(), t.rows(), "{which}");
        assert_eq!(b.num_columns(), t.columns.len());
        assert_eq!(
            b.schema().metadata()[csc_arrow::cleaned::TABLE],
            which.describe()
        );
        for (k, c) in t.columns.iter().enumerate() {
            let f = b.schema().field(k).clone();
            assert_eq!(
                (f.name().as_str(), f.metadata()[DOC].as_str()),
                (c.name, c.doc)
            );
            let a = b.column(k);
            for i in 0..t.rows() {
                match &c.cells {
                    Cells::Text(v) => assert_eq!(a.as_string::<i32>().value(i), v[i]),
                    Cells::Date(v) => assert_eq!(
                        a.as_primitive::<Date32Type>()
                            .is_valid(i)
                            .then(|| a.as_primitive::<Date32Type>().value(i)),
                        v[i].map(csc_measures::Day::get)
                    ),
                    Cells::Int(v) => assert_eq!(
                        a.as_primitive::<Int64Type>()
                            .is_valid(i)
                            .then(|| a.as_primitive::<Int64Type>().value(i)),
                        v[i]
                    ),
                    Cells::Flag(v) => assert_eq!(a.as_boolean().value(i), v[i]),
                }
            }
        }
    }
    let s = ds.summary();
    assert_eq!(CleanedTable::CareEpisodes.of(&ds).rows(), s.care_episodes);
    assert_eq!(
        CleanedTable::PeriodsOfCare.of(&ds).rows(),
        s.periods_of_care
    );
    assert_eq!(CleanedTable::Placements.of(&ds).rows(), s.placements);
}
