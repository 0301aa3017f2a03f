//! Benchmarks of the core: working-day counts, and building a `Dataset` from synthetic returns.
//!
//! `cargo bench -p csc-benches` runs them all; groups are `calendar/...`, `dataset/...`,
//! `measure/...`, `parallel/...` and `series/...` (each described at its function).

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use csc_measures::{Calendar, DatasetBuilder, Day, WorkingDays};

fn calendar(c: &mut Criterion) {
    let cal = Calendar::england_and_wales();
    let start = Day::from_ymd(2015, 1, 1).unwrap();
    let pairs: Vec<(Day, Day)> = (0..10_000)
        .map(|i| {
            (
                start.add_days(i % 3000),
                start.add_days(i % 3000 + (i * 7) % 400),
            )
        })
        .collect();
    let mut g = c.benchmark_group("calendar");
    g.throughput(Throughput::Elements(pairs.len() as u64));
    for conv in WorkingDays::ALL {
        g.bench_function(format!("wd/{conv}/10000"), |b| {
            b.iter(|| {
                let mut n = 0u64;
                for &(a, e) in &pairs {
                    n += u64::from(cal.wd(a, e, conv).map_or(0, |w| w.days));
                }
                black_box(n)
            });
        });
    }
    g.bench_function("build_builtin", |b| {
        b.iter(|| black_box(Calendar::extended(&[], None)));
    });
    g.finish();
}

fn dataset(c: &mut Criterion) {
    let mut g = c.benchmark_group("dataset");
    g.sample_size(10);
    for children in [10_000u32, 100_000] {
        let config = csc_synth::Config {
            children,
            ..csc_synth::Config::default()
        };
        let synthetic = csc_synth::generate(&config);
        let rows: usize = synthetic
            .cin
            .iter()
            .map(|r| r.episodes.len() + r.assessments.len() + r.section47s.len() + r.plans.len())
            .sum::<usize>()
            + synthetic
                .ssda903
                .iter()
                .map(|r| r.episodes.len() + r.headers.len())
                .sum::<usize>();
        g.throughput(Throughput::Elements(rows as u64));
        g.bench_function(format!("build/{children}"), |b| {
            b.iter_batched(
                || synthetic.clone(),
                |s| {
                    let mut builder = DatasetBuilder::new();
                    for r in s.cin {
                        builder.add_cin(r);
                    }
                    for r in s.ssda903 {
                        builder.add_ssda903(r);
                    }
                    black_box(builder.build().unwrap())
                },
                BatchSize::LargeInput,
            );
        });
        g.bench_function(format!("synth/{children}"), |b| {
            b.iter(|| black_box(csc_synth::generate(&config)));
        });
    }
    g.finish();
}

/// Every measure on one dataset: `measure/<id>/<children>` and `measure/all/<children>`. The sizes
/// are a large local authority over six years and, with `CSC_BENCH_NATIONAL=1`, a national decade.
fn measures(c: &mut Criterion) {
    use csc_measures::measure::{MeasureId, Options, compute, compute_many};
    let mut sizes = vec![(50_000u32, 2019, 2024)];
    if std::env::var_os("CSC_BENCH_NATIONAL").is_some() {
        sizes.push((4_000_000, 2015, 2024));
    }
    let mut g = c.benchmark_group("measure");
    g.sample_size(10);
    for (children, first_year, last_year) in sizes {
        let config = csc_synth::Config {
            children,
            first_year,
            last_year,
            seed: 42,
        };
        let ds = csc_synth::dataset(&config).unwrap();
        let period = csc_measures::Period::financial_year(last_year).unwrap();
        let opts = Options::default();
        eprintln!("measure/*/{children}: {:?}", ds.summary());
        for &id in MeasureId::ALL {
            g.bench_function(format!("{id}/{children}"), |b| {
                b.iter(|| black_box(compute(&ds, id, period, &opts)));
            });
        }
        g.bench_function(format!("all/{children}"), |b| {
            b.iter(|| black_box(compute_many(&ds, &[], period, &opts)));
        });
    }
    g.finish();
}

/// The request layer on two cores and on one: `parallel/run/<threads>/<children>` computes every
/// measure over the 24 month-ends of a rolling-12-month series (the heaviest job a panel asks for)
/// on a rayon pool of one thread and on the global pool (every core), in one run, so the ratio of
/// the two is the gain of the `parallel` feature on this machine.
fn parallel(c: &mut Criterion) {
    use csc_api::{PeriodSpec, Query};
    let children = 20_000u32;
    let config = csc_synth::Config {
        children,
        ..csc_synth::Config::default()
    };
    let ds = csc_synth::dataset(&config).unwrap();
    let query = Query {
        period: PeriodSpec::from_parts(
            None,
            Some("2022-04-30"),
            Some("2024-03-31"),
            Some("rolling:12"),
        )
        .unwrap(),
        ..Query::default()
    };
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut g = c.benchmark_group("parallel");
    g.sample_size(10);
    g.bench_function(format!("run/1/{children}"), |b| {
        b.iter(|| one.install(|| black_box(csc_api::run(&ds, &query).unwrap())));
    });
    g.bench_function(
        format!("run/{}/{children}", rayon::current_num_threads()),
        |b| b.iter(|| black_box(csc_api::run(&ds, &query).unwrap())),
    );
    g.finish();
}

/// A series against one year: `series/year/<children>` computes every measure for one financial
/// year, `series/rolling12x24/<children>` every measure over the 24 month-ends of a rolling
/// 12-month series, on the same 6-year local authority in one run; the ratio of the two is what a
/// monthly panel series costs against one year's `compute` (aim: under 3).
/// `series/compute_series_rolling12x24/<children>` computes the same 24 periods with
/// `csc_measures::measure::compute_series`, each measure's series at once (measures on the rayon
/// pool, as the year's run computes them).
fn series(c: &mut Criterion) {
    use csc_api::{PeriodSpec, Query};
    let children = 20_000u32;
    let config = csc_synth::Config {
        children,
        first_year: 2019,
        last_year: 2024,
        seed: 42,
    };
    let ds = csc_synth::dataset(&config).unwrap();
    let year = Query {
        period: PeriodSpec::Year(2024),
        ..Query::default()
    };
    let rolling = Query {
        period: PeriodSpec::from_parts(
            None,
            Some("2022-04-30"),
            Some("2024-03-31"),
            Some("rolling:12"),
        )
        .unwrap(),
        ..Query::default()
    };
    let mut g = c.benchmark_group("series");
    g.sample_size(10);
    g.bench_function(format!("year/{children}"), |b| {
        b.iter(|| black_box(csc_api::run(&ds, &year).unwrap()));
    });
    g.bench_function(format!("rolling12x24/{children}"), |b| {
        b.iter(|| black_box(csc_api::run(&ds, &rolling).unwrap()));
    });
    // The same 24 periods, each measure's series computed at once by `compute_series` (the
    // measures on the global rayon pool, as `csc_api::compute_pairs` runs them): its ratio to
    // `year/<children>` above is what the series costs against one year.
    let periods = rolling.period.periods(&ds).unwrap();
    let opts = csc_measures::measure::Options::default();
    g.bench_function(format!("compute_series_rolling12x24/{children}"), |b| {
        use rayon::prelude::*;
        b.iter(|| {
            let results: Vec<Vec<_>> = csc_measures::measure::MeasureId::ALL
                .par_iter()
                .map(|&id| csc_measures::measure::compute_series(&ds, id, &periods, &opts))
                .collect();
            black_box(results)
        });
    });
    g.finish();
}

/// The panel's five-year monthly series at the size of a large local authority:
/// `series/rolling12x60/200000` computes every measure over the 60 month-ends of a rolling 12-month
/// series (April 2019 to March 2024) on a 200,000-children authority over collection years
/// 2019-2024 (seed 42, as `benches/compute-la.sh` writes it), counts only, as `compute --series`
/// runs it; `series/year/200000` is one year of the same, in the same run.
fn series_la(c: &mut Criterion) {
    use csc_api::{PeriodSpec, Query};
    let children = 200_000u32;
    let ds = csc_synth::dataset(&csc_synth::Config {
        children,
        first_year: 2019,
        last_year: 2024,
        seed: 42,
    })
    .unwrap();
    let year = Query {
        period: PeriodSpec::Year(2024),
        ..Query::default()
    };
    let rolling = Query {
        period: PeriodSpec::from_parts(None, Some("2019-04"), Some("2024-03"), Some("rolling:12"))
            .unwrap(),
        ..Query::default()
    };
    assert_eq!(rolling.period.periods(&ds).unwrap().len(), 60);
    let mut g = c.benchmark_group("series");
    g.sample_size(10);
    g.bench_function(format!("year/{children}"), |b| {
        b.iter(|| black_box(csc_api::run(&ds, &year).unwrap()));
    });
    g.bench_function(format!("rolling12x60/{children}"), |b| {
        b.iter(|| black_box(csc_api::run(&ds, &rolling).unwrap()));
    });
    g.finish();
}

criterion_group!(
    benches, calendar, dataset, measures, parallel, series, series_la
);
criterion_main!(benches);
