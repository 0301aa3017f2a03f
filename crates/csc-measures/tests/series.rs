//! `compute_series` gives exactly what `compute` gives for each period (results, extras, warnings
//! and drill-down rows, in order), for every measure: over the 24 rolling years of a monthly panel,
//! and over random windows (overlapping, repeated, one day long, before and beyond the data) with
//! random options, calendars and population inputs.

use std::sync::{Arc, OnceLock};

use csc_measures::measure::options::{self, OptionKind};
use csc_measures::measure::{MeasureId, Options, compute, compute_series};
use csc_measures::population::Population;
use csc_measures::{Calendar, Dataset, Day, Period};
use proptest::prelude::*;

/// The synthetic local authority (800 children, collection years 2019 to 2024), built once.
fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        csc_synth::dataset(&csc_synth::Config {
            children: 800,
            ..Default::default()
        })
        .expect("the synthetic returns build")
    })
}

/// Asserts `compute_series` equals `compute` per period for measure `id`.
fn assert_series(ds: &Dataset, id: MeasureId, periods: &[Period], opts: &Options) {
    let series = compute_series(ds, id, periods, opts);
    assert_eq!(series.len(), periods.len(), "{id}");
    for (r, &p) in series.iter().zip(periods) {
        let one = compute(ds, id, p, opts);
        assert_eq!(*r, one, "{id} over {p}");
    }
}

/// The 24 rolling years ending at the month-ends of April 2022 to March 2024.
fn rolling_years() -> Vec<Period> {
    (0..24)
        .map(|k| {
            let end = Day::from_ymd(2022, 5, 1)
                .unwrap()
                .add_months(k)
                .add_days(-1);
            Period::new(end.add_months(-12).add_days(1), end).unwrap()
        })
        .collect()
}

#[test]
fn rolling_years_equal_compute_for_every_measure() {
    let ds = dataset();
    let periods = rolling_years();
    assert_eq!(periods[0].to_string(), "2021-05-01..=2022-04-30");
    assert_eq!(periods[23].to_string(), "2023-04-01..=2024-03-31");
    let opts = Options::default();
    for &id in MeasureId::ALL {
        assert_series(ds, id, &periods, &opts);
    }
    // The series is not empty: most measures have rows in the last year.
    let with_rows = MeasureId::ALL
        .iter()
        .filter(|&&id| !compute(ds, id, periods[23], &opts).rows.is_empty())
        .count();
    assert!(with_rows > 40, "{with_rows}");
}

#[test]
fn no_periods_and_one_period() {
    let ds = dataset();
    let opts = Options::default();
    let year = Period::financial_year(2023).unwrap();
    for &id in MeasureId::ALL {
        assert!(compute_series(ds, id, &[], &opts).is_empty());
        assert_eq!(
            compute_series(ds, id, &[year], &opts),
            vec![compute(ds, id, year, &opts)]
        );
    }
}

/// A window: its start (days from 2016-01-01, so from before the data, which starts in April 2018,
/// to after its end in March 2024) and its length in days (one day, a month, a year, years).
fn window() -> impl Strategy<Value = Period> {
    let base = Day::from_ymd(2016, 1, 1).unwrap();
    let len = prop_oneof![
        2 => Just(1),
        1 => 2i32..40,
        2 => prop_oneof![Just(365), Just(366), 300i32..400],
        1 => 400i32..1200,
    ];
    (0i32..3650, len).prop_map(move |(s, n)| {
        let start = base.add_days(s);
        Period::new(start, start.add_days(n - 1)).unwrap()
    })
}

/// Windows that overlap: some random, some shifted copies of the first by whole months (a rolling
/// series), some repeated.
fn windows() -> impl Strategy<Value = Vec<Period>> {
    (
        proptest::collection::vec(window(), 1..4),
        window(),
        0usize..6,
    )
        .prop_map(|(mut v, w, shifts)| {
            for k in 0..shifts {
                let k = k as i32;
                let (s, e) = (w.start().add_months(k), w.end().add_months(k));
                if let Ok(p) = Period::new(s.min(e), e.max(s)) {
                    v.push(p);
                }
            }
            if let Some(&first) = v.first() {
                v.push(first);
            }
            v
        })
}

/// Random values of every option (each option's choices; whole numbers around their defaults),
/// a calendar (the built-in one, or one whose official years end in 2021 or 2023 so that counts
/// are provisional), and maybe a population input (with some years missing).
fn options() -> impl Strategy<Value = Options> {
    let values = proptest::collection::vec(0usize..1000, options::OPTIONS.len());
    let calendar = prop_oneof![Just(None), Just(Some(2021)), Just(Some(2023))];
    let population = proptest::option::of(proptest::collection::btree_map(
        2015i32..2026,
        1000u64..90_000,
        0..8,
    ));
    (values, calendar, population).prop_map(|(values, calendar, population)| {
        let mut o = Options::default();
        for (def, n) in options::OPTIONS.iter().zip(values) {
            let v = match def.kind {
                OptionKind::Choice(choices) => choices[n % choices.len()].to_owned(),
                OptionKind::Whole { .. } if def.key == "a3_months" => (6 + n % 20).to_string(),
                OptionKind::Whole { .. } => (n % 60).to_string(),
                OptionKind::Thresholds => {
                    format!("a1:{},a10:{},a2:{}", 200 + n, 100 + n % 500, 50 + n % 200)
                }
            };
            o.set(def.key, &v).unwrap();
        }
        if let Some(year) = calendar {
            o = o.with_calendar(Arc::new(Calendar::with_holidays(Vec::new(), Some(year))));
        }
        if let Some(years) = population {
            let mut p = Population::new();
            for (y, n) in years {
                p.insert(y, n).unwrap();
            }
            o = o.with_population(Arc::new(p));
        }
        o
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn series_equal_compute_per_period(periods in windows(), opts in options()) {
        let ds = dataset();
        for &id in MeasureId::ALL {
            let series = compute_series(ds, id, &periods, &opts);
            prop_assert_eq!(series.len(), periods.len());
            for (r, &p) in series.iter().zip(&periods) {
                prop_assert_eq!(r, &compute(ds, id, p, &opts), "{} over {}", id, p);
            }
        }
    }
}
