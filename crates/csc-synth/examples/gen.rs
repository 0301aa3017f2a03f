//! Times the generator: `cargo run --release -p csc-synth --example gen -- [children] [seed]`.
//!
//! Prints the elapsed time, the record counts of every return, a few proportions to compare with
//! the national figures (re-referrals, assessments, section 47s, conferences, repeat plans), and
//! every measure for the latest year, computed by the library on the generated returns.

// Shares of counts far below 2^52.
#![allow(clippy::cast_precision_loss)]

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use csc_synth::{Config, Synthetic, generate};

fn main() {
    let mut args = std::env::args().skip(1);
    let children = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(42);
    let config = Config {
        children,
        seed,
        ..Config::default()
    };
    let t = Instant::now();
    let s = generate(&config);
    let elapsed = t.elapsed();
    println!(
        "generated {children} children, collection years {}-{}, seed {seed}, in {:.3} s",
        config.first_year,
        config.last_year,
        elapsed.as_secs_f64()
    );
    println!(
        "{:>6} {:>9} {:>9} {:>9} {:>8} {:>8} {:>8} | {:>8} {:>9} {:>6} {:>7}",
        "year",
        "children",
        "episodes",
        "assessm.",
        "CIN pl.",
        "s47",
        "plans",
        "headers",
        "episodes",
        "AD1",
        "placed"
    );
    let mut total = 0usize;
    for (c, e) in s.cin.iter().zip(&s.ssda903) {
        println!(
            "{:>6} {:>9} {:>9} {:>9} {:>8} {:>8} {:>8} | {:>8} {:>9} {:>6} {:>7}",
            c.source.collection_year.unwrap_or(0),
            c.children.len(),
            c.episodes.len(),
            c.assessments.len(),
            c.cin_plans.len(),
            c.section47s.len(),
            c.plans.len(),
            e.headers.len(),
            e.episodes.len(),
            e.ad1.len(),
            e.placed_adoption.len()
        );
        total += c.children.len()
            + c.episodes.len()
            + c.assessments.len()
            + c.cin_plans.len()
            + c.section47s.len()
            + c.plans.len()
            + e.headers.len()
            + e.episodes.len()
            + e.ad1.len()
            + e.placed_adoption.len();
    }
    println!("total rows {total}");
    proportions(&s);
    new_measures(&s);
}

/// The measures the new records feed (CIN plans, CP plan reviews, assessment factors, and the
/// SSDA903 tables of spec 2.3), computed by the library itself on the generated returns for the
/// latest year, as a scorecard would show them.
fn new_measures(s: &Synthetic) {
    use csc_measures::measure::{MeasureId, Options, compute};
    let Some(year) = s.cin.last().and_then(|r| r.source.collection_year) else {
        return;
    };
    let ds = match s.clone().into_builder().build() {
        Ok(ds) => ds,
        Err(e) => {
            eprintln!("the generated returns do not build: {e}");
            return;
        }
    };
    let Ok(period) = csc_measures::Period::financial_year(year) else {
        return;
    };
    let opts = Options::default();
    for &id in MeasureId::ALL {
        let r = compute(&ds, id, period, &opts);
        let value = r
            .value
            .map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"));
        let n = |x: Option<u64>| x.map_or_else(|| "-".to_owned(), |x| x.to_string());
        println!(
            "{:<34} {value:>8} {:>8}/{:<8} {}",
            id.as_str(),
            n(r.numerator),
            n(r.denominator),
            r.unit
        );
        if let Some(factors) = r.extras.counts("factors") {
            let mut ranked: Vec<_> = factors.iter().filter(|(_, k)| *k > 0).collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let units = r.numerator.unwrap_or(0).max(1);
            let top: Vec<String> = ranked
                .iter()
                .take(12)
                .map(|(c, k)| format!("{c} {:.1}%", 100.0 * *k as f64 / units as f64))
                .collect();
            println!("{:<34} {}", "", top.join(", "));
        }
    }
}

/// Proportions over the referrals, enquiries and plans that start in the collection years.
#[allow(clippy::too_many_lines)] // one report, figure by figure
fn proportions(s: &Synthetic) {
    let (Some(first), Some(last)) = (s.cin.first(), s.cin.last()) else {
        return;
    };
    let start = first
        .source
        .reference_date
        .map(|d| d.add_years(-1).add_days(1));
    let end = last.source.reference_date;
    let (Some(start), Some(end)) = (start, end) else {
        return;
    };
    let mut referrals: HashMap<&str, Vec<csc_measures::Day>> = HashMap::new();
    let mut assessed = HashSet::new();
    let mut s47 = HashSet::new();
    let mut conf = HashSet::new();
    let mut plans: HashMap<&str, HashSet<csc_measures::Day>> = HashMap::new();
    let mut counted: HashSet<(&str, csc_measures::Day)> = HashSet::new();
    for r in &s.cin {
        for e in &r.episodes {
            referrals
                .entry(e.child.as_str())
                .or_default()
                .push(e.referral_date);
        }
        for a in &r.assessments {
            assessed.insert((a.child.as_str(), a.episode_referral_date));
        }
        for x in &r.section47s {
            s47.insert((x.child.as_str(), x.start_date));
            if x.icpc_date.is_some() {
                conf.insert((x.child.as_str(), x.start_date));
            }
        }
        for p in &r.plans {
            if let Some(d) = p.start_date {
                plans.entry(p.child.as_str()).or_default().insert(d);
                if p.previous_plans.is_some_and(|n| n >= 1) {
                    counted.insert((p.child.as_str(), d));
                }
            }
        }
    }
    let (mut n, mut re, mut with_assessment) = (0, 0, 0);
    for (child, v) in &mut referrals {
        v.sort();
        v.dedup();
        for (i, &r) in v.iter().enumerate() {
            if r < start || r > end {
                continue;
            }
            n += 1;
            if i > 0 && v[i - 1] >= r.add_months(-12) {
                re += 1;
            }
            if assessed.contains(&(*child, r)) {
                with_assessment += 1;
            }
        }
    }
    let (mut p_n, mut p_second, mut p_either) = (0, 0, 0);
    for (child, v) in &plans {
        let mut v: Vec<_> = v.iter().copied().collect();
        v.sort();
        for (i, &d) in v.iter().enumerate() {
            if d >= start && d <= end {
                p_n += 1;
                if i > 0 {
                    p_second += 1;
                }
                if i > 0 || counted.contains(&(*child, d)) {
                    p_either += 1;
                }
            }
        }
    }
    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    println!(
        "referrals {n}: re-referred within 12 months {:.1}%, assessed {:.1}%, section 47 per referral {:.1}%",
        pct(re, n),
        pct(with_assessment, n),
        pct(s47.len(), n)
    );
    println!(
        "section 47s leading to a conference {:.1}%; plans {p_n}, second or subsequent: history {:.1}%, history or count {:.1}%",
        pct(conf.len(), s47.len()),
        pct(p_second, p_n),
        pct(p_either, p_n)
    );
    let adopted: usize = s.ssda903.iter().map(|r| r.ad1.len()).sum();
    let looked_after: usize = s.ssda903.iter().map(|r| r.headers.len()).sum();
    println!(
        "adoptions per child looked after in the year {:.2}%",
        pct(adopted, looked_after)
    );
    let cla: HashSet<&str> = s
        .ssda903
        .iter()
        .flat_map(|r| r.headers.iter().map(|h| h.child.as_str()))
        .collect();
    let cin: HashSet<&str> = s
        .cin
        .iter()
        .flat_map(|r| r.children.iter().map(|c| c.child.as_str()))
        .collect();
    println!(
        "children in any CIN return {}, looked after in any SSDA903 return {} ({:.1}% of them in a CIN return too)",
        cin.len(),
        cla.len(),
        pct(cla.iter().filter(|c| cin.contains(*c)).count(), cla.len())
    );
}
