//! Times the generator: `cargo run --release -p csc-synth --example gen -- [children] [seed]`.
//!
//! Prints the elapsed time, the record counts of every return, and a few proportions to compare
//! with the national figures (re-referrals, assessments, section 47s, conferences, repeat plans).

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

/// The shares behind the CIN plan, CP plan review and assessment factor measures.
#[allow(clippy::too_many_lines)] // one report, figure by figure
fn new_measures(s: &Synthetic) {
    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    if let Some(r) = s.cin.last() {
        let Some(end) = r.source.reference_date else {
            return;
        };
        let open = |s: Option<csc_measures::Day>, e: Option<csc_measures::Day>| {
            s.is_some_and(|s| s <= end) && e.is_none_or(|e| e > end)
        };
        let cin: HashSet<&str> = r
            .episodes
            .iter()
            .filter(|e| e.referral_nfa != Some(true) && open(Some(e.referral_date), e.closure_date))
            .map(|e| e.child.as_str())
            .collect();
        let plan: HashSet<&str> = r
            .cin_plans
            .iter()
            .filter(|p| open(p.start_date, p.end_date))
            .map(|p| p.child.as_str())
            .collect();
        println!(
            "children in need at {end} {}, with a CIN plan {:.1}%",
            cin.len(),
            pct(plan.intersection(&cin).count(), cin.len())
        );
    }
    // CP plans with their reviews from every return (spec 2.4).
    let mut plans: HashMap<(&str, csc_measures::Day), (Option<csc_measures::Day>, Vec<_>)> =
        HashMap::new();
    for r in &s.cin {
        for p in &r.plans {
            let Some(st) = p.start_date else { continue };
            let e = plans.entry((p.child.as_str(), st)).or_default();
            e.0 = p.end_date;
            e.1.extend(p.review_dates.iter().copied());
        }
    }
    let last = s.cin.last().and_then(|r| r.source.reference_date);
    // Plans starting in the collection years (the returns hold every review of them).
    let from = s
        .cin
        .first()
        .and_then(|r| r.source.reference_date)
        .map(|d| d.add_years(-1).add_days(1));
    let (mut n, mut first, mut gaps, mut gaps_ok) = (0, 0, 0, 0);
    for (&(_, st), (end, reviews)) in &mut plans {
        reviews.sort();
        reviews.dedup();
        for w in reviews.windows(2) {
            gaps += 1;
            gaps_ok += usize::from(w[1] <= w[0].add_months(6));
        }
        let due = st.add_months(3);
        if from.is_none_or(|f| st < f)
            || end.is_some_and(|e| e <= due)
            || last.is_none_or(|l| due >= l)
        {
            continue;
        }
        n += 1;
        first += usize::from(reviews.first().is_some_and(|&r| r <= due));
    }
    println!(
        "CP plans starting in the years and lasting 3 months {n}: first review within 3 months {:.1}%; later reviews within 6 months {:.1}%",
        pct(first, n),
        pct(gaps_ok, gaps)
    );
    let mut factors: HashMap<(&str, Option<csc_measures::Day>), Vec<&str>> = HashMap::new();
    for r in &s.cin {
        for a in &r.assessments {
            if a.authorisation_date.is_some() {
                factors.insert(
                    (a.child.as_str(), a.start_date),
                    a.factors
                        .iter()
                        .map(compact_str::CompactString::as_str)
                        .collect(),
                );
            }
        }
    }
    let mut count: HashMap<&str, usize> = HashMap::new();
    for f in factors.values() {
        for c in f {
            *count.entry(c).or_default() += 1;
        }
    }
    let mut ranked: Vec<_> = count.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = ranked
        .iter()
        .take(30)
        .map(|&(c, k)| format!("{c} {:.1}%", pct(k, factors.len())))
        .collect();
    println!(
        "assessment factors ({} assessments): {}",
        factors.len(),
        top.join(", ")
    );
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
