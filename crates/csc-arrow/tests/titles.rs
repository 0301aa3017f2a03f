//! A result's title in its Arrow table names the timescale in force (issue 16, D21): under
//! `assessment_limit_wd=20` the title says 20 working days, never the default's 45.

use arrow_array::cast::AsArray;
use csc_measures::Period;
use csc_measures::measure::{MeasureId, Options, compute_many};

#[test]
fn the_title_column_follows_the_options_in_force() {
    let ds = csc_synth::dataset(&csc_synth::Config {
        children: 300,
        ..Default::default()
    })
    .expect("the sample builds");
    let ids = [MeasureId::Assessments45wd, MeasureId::AdoptionA3];
    let year = Period::financial_year(2024).unwrap();
    let titles = |options: &Options| -> Vec<String> {
        let results = compute_many(&ds, &ids, year, options);
        let batch = csc_arrow::results::measures(&results);
        let column = batch.column_by_name("title").expect("a title column");
        column
            .as_string::<i32>()
            .iter()
            .map(|t| t.unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(
        titles(&Options::default()),
        [
            MeasureId::Assessments45wd.title(),
            MeasureId::AdoptionA3.title()
        ]
    );
    let mut o = Options::default();
    o.set("assessment_limit_wd", "20").unwrap();
    o.set("a3_months", "12").unwrap();
    let shown = titles(&o);
    assert_eq!(shown[0], "Assessments completed within 20 working days");
    assert!(shown[1].contains("less than 12 months"), "{}", shown[1]);
}
