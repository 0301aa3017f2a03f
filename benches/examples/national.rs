//! Compute time of every measure on a synthetic national decade, after loading.
//!
//! `cargo run --release -p csc-benches --example national -- [CHILDREN] [FIRST-LAST]`
//! (defaults: 3,600,000 children, 2015-2024: about as many referrals a year as England has). Prints
//! the dataset's size, the build time, and the compute time of each measure and of all of them, one
//! after another (`compute_many`) and on all cores (`csc_api::compute_pairs`, the request layer's
//! way), best of five runs.

use std::time::{Duration, Instant};

use csc_measures::Period;
use csc_measures::measure::{MeasureId, Options, compute, compute_many};

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let children: u32 = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3_600_000);
    let (first_year, last_year) = args
        .get(2)
        .and_then(|s| s.split_once('-'))
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
        .unwrap_or((2015, 2024));
    let config = csc_synth::Config {
        children,
        first_year,
        last_year,
        seed: 42,
    };
    let t = Instant::now();
    let synthetic = csc_synth::generate(&config);
    let generated = t.elapsed();
    let t = Instant::now();
    let ds = synthetic
        .into_builder()
        .build()
        .expect("the synthetic returns build");
    let built = t.elapsed();
    let s = ds.summary();
    println!("{children} children, collection years {first_year}-{last_year}");
    println!("generate {generated:.2?}, merge and build {built:.2?}");
    println!(
        "{} CIN episodes, {} assessments, {} section 47s, {} CP plans, {} care episodes, {} periods of care",
        s.cin_episodes, s.assessments, s.section47s, s.cp_plans, s.care_episodes, s.periods_of_care
    );
    let period = Period::financial_year(last_year).expect("a financial year");
    let opts = Options::default();
    let referrals = compute(&ds, MeasureId::Referrals, period, &opts)
        .numerator
        .unwrap_or(0);
    println!("{referrals} referrals in {period}\n");
    let mut total = Duration::ZERO;
    for &id in MeasureId::ALL {
        let d = best(5, || compute(&ds, id, period, &opts));
        total += d;
        println!("{:<28}{:>10.1?}", id.as_str(), d);
    }
    println!("{:<28}{:>10.1?}", "sum, one at a time", total);
    let all = best(5, || compute_many(&ds, &[], period, &opts));
    println!("{:<28}{:>10.1?}", "compute_many (one core)", all);
    let pairs: Vec<(MeasureId, Period)> = MeasureId::ALL.iter().map(|&id| (id, period)).collect();
    let cores = best(5, || csc_api::compute_pairs(&ds, &pairs, &opts));
    println!(
        "{:<28}{:>10.1?}  ({:.2}x, {} threads)",
        "compute_pairs (all cores)",
        cores,
        all.as_secs_f64() / cores.as_secs_f64(),
        rayon_threads()
    );
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}
