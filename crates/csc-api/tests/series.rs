//! A series is `compute` period by period: for random kinds, months and measures, the request
//! layer's series gives exactly the results of computing each of its periods alone, and its long
//! table holds one row per result with that result's numbers.

use std::sync::OnceLock;

use csc_api::{PeriodSpec, Query, Series};
use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::{Dataset, Day};
use proptest::prelude::*;

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        csc_synth::dataset(&csc_synth::Config {
            children: 600,
            ..Default::default()
        })
        .unwrap()
    })
}

fn kind() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..=36).prop_map(|n| format!("rolling:{n}")),
        Just("month_end".to_owned()),
        Just("fytd".to_owned()),
        Just("quarters".to_owned()),
        Just("years".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_series_is_compute_period_by_period(
        kind in kind(),
        // From April 2016 (before the sample's first return) to March 2026 (after its last).
        first in 0i32..120,
        months in 1i32..30,
        measures in proptest::sample::subsequence(MeasureId::ALL.to_vec(), 1..4),
        working_days in prop_oneof![Just("after_start"), Just("networkdays")],
    ) {
        let ds = dataset();
        let from = Day::from_ymd(2016, 4, 1).unwrap().add_months(first);
        let to = from.add_months(months - 1);
        let Ok(series) = Series::new(&kind, from, to) else {
            // Quarters or years that end in none of the months: refused, nothing to compare.
            return Ok(());
        };
        let options = csc_api::parse_options(&[("working_days", working_days)]).unwrap();
        let query = Query {
            period: PeriodSpec::Series(series),
            measures: measures.clone(),
            options: options.clone(),
            ..Query::default()
        };
        let response = csc_api::run(ds, &query).unwrap();
        let periods = series.periods();
        prop_assert_eq!(&response.periods, &periods);
        let mut want = Vec::new();
        for &p in &periods {
            for &id in &csc_api::measures(&measures) {
                let mut r = compute(ds, id, p, &options);
                r.rows.clear();
                want.push(r);
            }
        }
        prop_assert_eq!(&response.results, &want);
        let rows = csc_api::render::json::series_rows(&response.results);
        let rows = rows.as_array().unwrap();
        prop_assert_eq!(rows.len(), want.len());
        for (row, r) in rows.iter().zip(&want) {
            prop_assert_eq!(&row["measure"], r.id.as_str());
            prop_assert_eq!(&row["period_end"], &r.period.end().to_string());
            prop_assert_eq!(row["numerator"].as_u64(), r.numerator);
            prop_assert_eq!(row["denominator"].as_u64(), r.denominator);
        }
    }
}

#[test]
fn drill_down_rows_of_a_series_are_those_of_each_period() {
    let ds = dataset();
    let query = Query {
        period: PeriodSpec::from_parts(None, Some("2022-04"), Some("2024-03"), Some("rolling:12"))
            .unwrap(),
        measures: vec![MeasureId::Assessments45wd, MeasureId::ClaAtEnd],
        detail: csc_api::Detail::Records,
        ..Query::default()
    };
    let response = csc_api::run(ds, &query).unwrap();
    assert_eq!(response.results.len(), 48);
    for r in &response.results {
        assert_eq!(r, &compute(ds, r.id, r.period, &Options::default()));
    }
}
