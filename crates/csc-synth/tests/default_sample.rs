//! The default sample reads like a mid-size English local authority: the headline figures of its
//! recent collection years, computed by the library's own measures, and its population estimate.

// Shares and rates of counts far below 2^52.
#![allow(clippy::cast_precision_loss)]

use std::sync::OnceLock;

use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::{Dataset, Period};
use csc_synth::Config;

fn default_dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| csc_synth::dataset(&Config::default()).unwrap())
}

/// `(numerator, denominator)` of measure `id` for collection year `year`.
fn figure(id: MeasureId, year: i32) -> (u64, u64) {
    let period = Period::financial_year(year).unwrap();
    let r = compute(default_dataset(), id, period, &Options::default());
    let num = r
        .numerator
        .unwrap_or_else(|| panic!("{id:?} {year}: no data"));
    (num, r.denominator.unwrap_or(0))
}

#[test]
fn default_is_a_mid_size_local_authority() {
    assert_eq!(
        Config::default(),
        Config {
            children: 40_000,
            first_year: 2019,
            last_year: 2024,
            seed: 42
        }
    );
}

/// The headline figures of each recent year, in the ranges of a mid-size authority: about 3,000
/// referrals, 700 children on a CIN plan and 230 on a CP plan at 31 March, 500 looked after at 31
/// March, 20 to 30 adoptions (every year in a range wide enough for the year-to-year noise).
#[test]
fn headline_figures_of_recent_years() {
    for year in [2022, 2023, 2024] {
        let referrals = figure(MeasureId::Referrals, year).0;
        let cin_plan = figure(MeasureId::CinPlanAtEnd, year).0;
        let cpp = figure(MeasureId::CppAtEnd, year).0;
        let cla = figure(MeasureId::ClaAtEnd, year).0;
        let (adopted, ceased) = figure(MeasureId::ClaCeasedAdopted, year);
        let a1_children = figure(MeasureId::AdoptionA1, year).1;
        eprintln!(
            "{year}: referrals {referrals}, cin_plan_at_end {cin_plan}, cpp_at_end {cpp}, \
             cla_at_end {cla}, adopted {adopted} of {ceased} ceasing, adoption_a1 children \
             {a1_children}"
        );
        assert!((2_500..=3_500).contains(&referrals), "{year}: {referrals}");
        assert!((550..=850).contains(&cin_plan), "{year}: {cin_plan}");
        assert!((180..=300).contains(&cpp), "{year}: {cpp}");
        assert!((400..=600).contains(&cla), "{year}: {cla}");
        assert!((15..=35).contains(&adopted), "{year}: {adopted}");
        assert!((15..=35).contains(&a1_children), "{year}: {a1_children}");
        // About one in three children looked after cease in a year, about one in seven of them
        // adopted.
        assert!((120..=240).contains(&ceased), "{year}: {ceased}");
    }
}

/// The shapes beside the counts: re-referrals, timely assessments, repeat CP plans, stability,
/// health assessments and care leavers in touch, with OC2 and OC3 rows in proportion.
#[test]
fn national_shapes_of_2024() {
    let share = |id| {
        let (n, d) = figure(id, 2024);
        assert!(d > 0, "{id:?}");
        n as f64 / d as f64
    };
    let re_referrals = share(MeasureId::ReReferrals12m);
    assert!((0.18..0.28).contains(&re_referrals), "{re_referrals}");
    let assessments = share(MeasureId::Assessments45wd);
    assert!((0.75..0.95).contains(&assessments), "{assessments}");
    let second = share(MeasureId::CppSecondOrSubsequent);
    assert!((0.12..0.30).contains(&second), "{second}");
    let unstable = share(MeasureId::Stability3plusPlacements);
    assert!((0.04..0.15).contains(&unstable), "{unstable}");
    let health = share(MeasureId::HealthAssessments);
    assert!((0.80..0.97).contains(&health), "{health}");
    let in_touch = share(MeasureId::CareLeaversInTouch);
    assert!((0.80..0.99).contains(&in_touch), "{in_touch}");
    // OC2 rows for about seven in ten children looked after, OC3 rows for about half as many care
    // leavers as children looked after.
    let cla = figure(MeasureId::ClaAtEnd, 2024).0 as f64;
    let oc2 = figure(MeasureId::HealthAssessments, 2024).1 as f64;
    let leavers = figure(MeasureId::CareLeaversInTouch, 2024).1 as f64;
    assert!((0.55..0.85).contains(&(oc2 / cla)), "{oc2} of {cla}");
    assert!(
        (0.25..0.60).contains(&(leavers / cla)),
        "{leavers} of {cla}"
    );
}

#[test]
fn population_of_the_default_sample() {
    let config = Config::default();
    let pop = config.population();
    let years: Vec<i32> = pop.iter().map(|p| p.0).collect();
    assert_eq!(years, (2018..=2023).collect::<Vec<_>>());
    // 63,000 in mid-2023, with a small drift: within 3% every year, under 1% a year.
    assert_eq!(pop[5].1, 63_000);
    for &(y, n) in &pop {
        assert!((61_100..=64_900).contains(&n), "{y}: {n}");
    }
    for w in pop.windows(2) {
        let change = w[1].1 as f64 / w[0].1 as f64 - 1.0;
        assert!(change.abs() < 0.01, "{w:?}");
    }
    assert!(pop.windows(2).any(|w| w[0].1 != w[1].1), "{pop:?}");
    // Deterministic, and the same estimate for a mid-year whatever the other years.
    assert_eq!(pop, config.population());
    let later = Config {
        first_year: 2022,
        last_year: 2030,
        ..config
    }
    .population();
    assert_eq!(later.len(), 9);
    assert_eq!(later[..3], pop[3..]);
    // In proportion to the children.
    let half = Config {
        children: 20_000,
        ..config
    }
    .population();
    for (h, p) in half.iter().zip(&pop) {
        assert_eq!(h.0, p.0);
        assert!(h.1.abs_diff(p.1 / 2) <= 1, "{h:?} {p:?}");
    }
    let nobody = Config {
        children: 0,
        ..config
    };
    assert!(nobody.population().iter().all(|p| p.1 == 0));
    let no_years = Config {
        first_year: 2024,
        last_year: 2023,
        ..config
    };
    assert!(no_years.population().is_empty());
}

/// The population gives rates per 10,000 children of the usual size: referrals about 480, children
/// looked after about 80, CP plans about 37 (nationally about 540, 70 and 42).
#[test]
fn rates_per_10000_children() {
    let pop = Config::default().population();
    let mid_2023 = pop.iter().find(|p| p.0 == 2023).unwrap().1 as f64;
    let rate = |id| figure(id, 2024).0 as f64 * 10_000.0 / mid_2023;
    let referrals = rate(MeasureId::Referrals);
    let cla = rate(MeasureId::ClaAtEnd);
    let cpp = rate(MeasureId::CppAtEnd);
    eprintln!("per 10,000: referrals {referrals:.0}, cla {cla:.0}, cpp {cpp:.0}");
    assert!((400.0..600.0).contains(&referrals), "{referrals}");
    assert!((60.0..100.0).contains(&cla), "{cla}");
    assert!((28.0..50.0).contains(&cpp), "{cpp}");
}
