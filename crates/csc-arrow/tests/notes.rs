//! The `note` column of the results and scorecard tables says in words why a value is null: what a
//! data frame shows where a blank would read as zero.

use arrow_array::{Array, RecordBatch, StringArray};
use csc_arrow::results::{self, ScoreRow};
use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::records::{CinEpisode, CinReturn};
use csc_measures::result::{NO_DATA_TEXT, ZERO_DENOMINATOR_TEXT};
use csc_measures::{DatasetBuilder, Period};

fn notes(t: &RecordBatch) -> Vec<Option<String>> {
    let c = t
        .column_by_name("note")
        .unwrap()
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap();
    (0..c.len())
        .map(|i| c.is_valid(i).then(|| c.value(i).to_owned()))
        .collect()
}

#[test]
fn the_note_says_no_data_or_an_empty_denominator_in_words() {
    // One CIN census for 2023-24 with a referral and no assessment; no SSDA903 return.
    let mut ret = CinReturn::default();
    ret.source.collection_year = Some(2024);
    ret.episodes.push(CinEpisode {
        child: "A".into(),
        referral_date: "2023-06-01".parse().unwrap(),
        ..Default::default()
    });
    let ds = DatasetBuilder::new().cin(ret).build().unwrap();
    let p = Period::financial_year(2024).unwrap();
    let o = Options::default();
    let rs: Vec<_> = [
        MeasureId::Referrals,
        MeasureId::Assessments45wd,
        MeasureId::ClaAtEnd,
    ]
    .iter()
    .map(|&id| compute(&ds, id, p, &o))
    .collect();
    assert_eq!(rs[0].value, Some(1.0));
    assert_eq!((rs[1].value, rs[1].denominator), (None, Some(0)));
    assert!(rs[2].is_no_data());
    let want = vec![
        None,
        Some(ZERO_DENOMINATOR_TEXT.to_owned()),
        Some(NO_DATA_TEXT.to_owned()),
    ];
    assert_eq!(NO_DATA_TEXT, "no data loaded for this period");
    let t = results::measures(&rs);
    assert_eq!(notes(&t), want);
    let names: Vec<String> = t
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let value = names.iter().position(|n| n == "value").unwrap();
    assert_eq!(names[value + 1], "note");

    let previous: Vec<_> = rs
        .iter()
        .map(|r| compute(&ds, r.id, Period::financial_year(2023).unwrap(), &o))
        .collect();
    let lines: Vec<ScoreRow<'_>> = rs
        .iter()
        .zip(&previous)
        .map(|(current, previous)| ScoreRow {
            current,
            previous,
            direction: "not_comparable",
        })
        .collect();
    assert_eq!(notes(&results::scorecard(&lines)), want);
}
