//! The shares that the CIN plan, CP plan review and assessment factor measures (spec 2.4, 2.6, 4.1)
//! read, measured on a sample of 8,500 children (about 2,800 of them in the returns): plausible for
//! an English local authority.

// Shares of counts far below 2^52.
#![allow(clippy::cast_precision_loss)]

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use compact_str::CompactString;
use csc_measures::Day;
use csc_synth::{Config, Synthetic, generate};

fn data() -> &'static Synthetic {
    static DATA: OnceLock<Synthetic> = OnceLock::new();
    DATA.get_or_init(|| {
        generate(&Config {
            children: 8_500,
            first_year: 2019,
            last_year: 2024,
            seed: 42,
        })
    })
}

fn d(s: &str) -> Day {
    s.parse().unwrap()
}

fn share(num: usize, den: usize) -> f64 {
    assert!(den > 0);
    num as f64 / den as f64
}

/// The first day of the first collection year.
fn data_start() -> Day {
    d("2018-04-01")
}

/// The last day of the last collection year.
fn data_end() -> Day {
    d("2024-03-31")
}

/// A CP plan across the returns: the latest return's end date, and the review dates of every
/// return together (spec 2.4).
struct MergedPlan {
    start: Day,
    end: Option<Day>,
    episode: Day,
    reviews: BTreeSet<Day>,
}

fn cp_plans() -> &'static HashMap<(String, Day), MergedPlan> {
    static PLANS: OnceLock<HashMap<(String, Day), MergedPlan>> = OnceLock::new();
    PLANS.get_or_init(|| {
        let mut out: HashMap<(String, Day), MergedPlan> = HashMap::new();
        for r in &data().cin {
            for p in &r.plans {
                let start = p.start_date.unwrap();
                let m = out
                    .entry((p.child.to_string(), start))
                    .or_insert_with(|| MergedPlan {
                        start,
                        end: None,
                        episode: p.episode_referral_date,
                        reviews: BTreeSet::new(),
                    });
                m.end = p.end_date;
                m.reviews.extend(p.review_dates.iter().copied());
            }
        }
        out
    })
}

#[test]
fn first_reviews_within_three_months_and_later_within_six() {
    let (mut n, mut on_time, mut intervals, mut intervals_on_time) = (0, 0, 0, 0);
    let mut late_days = Vec::new();
    for p in cp_plans().values() {
        if p.start < data_start() {
            continue;
        }
        let due = p.start.add_months(3);
        // Plans that ran for three months: the first review was due within them.
        if p.end.is_some_and(|e| e <= due) || due >= data_end() {
            continue;
        }
        n += 1;
        match p.reviews.first() {
            Some(&r) if r <= due => on_time += 1,
            Some(&r) => late_days.push(r.days_since(due)),
            None => {}
        }
        let rs: Vec<Day> = p.reviews.iter().copied().collect();
        for w in rs.windows(2) {
            intervals += 1;
            intervals_on_time += usize::from(w[1] <= w[0].add_months(6));
        }
    }
    let first = share(on_time, n);
    let later = share(intervals_on_time, intervals);
    eprintln!(
        "CP plans lasting 3 months: {n}, first review within 3 months {first:.3}; \
         later intervals {intervals}, within 6 months {later:.3}"
    );
    assert!((0.80..0.97).contains(&first), "{first}");
    assert!((0.80..0.98).contains(&later), "{later}");
    // Late reviews are days to weeks late, not months.
    assert!(!late_days.is_empty() && late_days.iter().all(|&x| x > 0 && x <= 60));
}

#[test]
fn each_return_holds_the_reviews_of_its_year() {
    let mut reviews_per_year = Vec::new();
    for r in &data().cin {
        let pe = r.source.reference_date.unwrap();
        let ps = d(&format!("{}-04-01", r.source.collection_year.unwrap() - 1));
        let mut n = 0;
        for p in &r.plans {
            let s = p.start_date.unwrap();
            for &x in &p.review_dates {
                assert!(x >= ps && x <= pe && x > s, "{p:?}");
                assert!(p.end_date.is_none_or(|e| x < e), "{p:?}");
            }
            assert!(p.review_dates.windows(2).all(|w| w[0] < w[1]), "{p:?}");
            n += p.review_dates.len();
        }
        reviews_per_year.push(n);
    }
    eprintln!("CP plan reviews per return: {reviews_per_year:?}");
    assert!(reviews_per_year.iter().all(|&n| n > 0));
    // A review is in one return only.
    let mut seen = HashSet::new();
    for r in &data().cin {
        for p in &r.plans {
            for &x in &p.review_dates {
                assert!(seen.insert((p.child.as_str(), p.start_date, x)), "{p:?}");
            }
        }
    }
}

#[test]
fn children_in_need_with_a_cin_plan_at_the_year_end() {
    for r in &data().cin {
        let end = r.source.reference_date.unwrap();
        let open = |s: Option<Day>, e: Option<Day>| {
            s.is_some_and(|s| s <= end) && e.is_none_or(|e| e > end)
        };
        let cin: HashSet<&str> = r
            .episodes
            .iter()
            .filter(|e| e.referral_nfa != Some(true) && open(Some(e.referral_date), e.closure_date))
            .map(|e| e.child.as_str())
            .collect();
        let with_plan: HashSet<&str> = r
            .cin_plans
            .iter()
            .filter(|p| open(p.start_date, p.end_date))
            .map(|p| p.child.as_str())
            .collect();
        let cpp: HashSet<&str> = r
            .plans
            .iter()
            .filter(|p| open(p.start_date, p.end_date))
            .map(|p| p.child.as_str())
            .collect();
        let s = share(with_plan.intersection(&cin).count(), cin.len());
        eprintln!(
            "{end}: children in need {}, with a CIN plan {} ({s:.3}), with a CP plan {}, both {}",
            cin.len(),
            with_plan.len(),
            cpp.len(),
            cpp.intersection(&with_plan).count()
        );
        assert!((0.25..0.55).contains(&s), "{end}: {s}");
        // A CIN plan is open only on an open episode, except for the few left open by mistake.
        assert!(with_plan.difference(&cin).count() * 20 < with_plan.len().max(20));
    }
}

#[test]
fn cin_plans_follow_the_assessment_and_end_with_the_episode() {
    let (mut n, mut after_closure, mut episodes_assessed, mut with_plan) = (0, 0, 0, 0);
    let mut last_closure: HashMap<(&str, Day), Option<Day>> = HashMap::new();
    let mut auth: HashMap<(&str, Day), Day> = HashMap::new();
    for r in &data().cin {
        for e in &r.episodes {
            last_closure.insert((e.child.as_str(), e.referral_date), e.closure_date);
        }
        for a in &r.assessments {
            if let Some(x) = a.authorisation_date {
                auth.insert((a.child.as_str(), a.episode_referral_date), x);
            }
        }
    }
    let mut plans: HashMap<(&str, Day), (Day, Option<Day>)> = HashMap::new();
    for r in &data().cin {
        for p in &r.cin_plans {
            plans.insert(
                (p.child.as_str(), p.start_date.unwrap()),
                (p.episode_referral_date, p.end_date),
            );
        }
    }
    let mut episodes_with_plan = HashSet::new();
    for (&(child, start), &(referral, end)) in &plans {
        // (An assessment authorised before the first collection year is in no return.)
        if let Some(&a) = auth.get(&(child, referral)) {
            assert!(start >= a, "{child} {start}");
        }
        assert!(end.is_none_or(|e| e > start), "{child} {start}");
        episodes_with_plan.insert((child, referral));
        if start >= data_start() {
            n += 1;
            if let (Some(c), Some(e)) = (last_closure[&(child, referral)], end) {
                after_closure += usize::from(e > c);
            }
        }
    }
    for &(child, referral) in auth.keys() {
        if referral >= data_start() {
            episodes_assessed += 1;
            with_plan += usize::from(episodes_with_plan.contains(&(child, referral)));
        }
    }
    let late = share(after_closure, n);
    let planned = share(with_plan, episodes_assessed);
    eprintln!(
        "CIN plans starting in the years: {n}, ending after the episode closed {late:.3}; \
         assessed episodes with a CIN plan {planned:.3}"
    );
    assert!(after_closure > 0 && late < 0.05, "{late}");
    assert!((0.3..0.6).contains(&planned), "{planned}");
}

#[test]
fn assessment_factors_in_national_proportions() {
    let mut assessments: HashMap<(&str, Day), &Vec<CompactString>> = HashMap::new();
    for r in &data().cin {
        for a in &r.assessments {
            if a.authorisation_date.is_some() {
                assessments.insert((a.child.as_str(), a.start_date.unwrap()), &a.factors);
            }
        }
    }
    let n = assessments.len();
    let mut count: HashMap<&str, usize> = HashMap::new();
    let mut sizes = [0usize; 4];
    for f in assessments.values() {
        assert!((1..=3).contains(&f.len()), "{f:?}");
        let distinct: HashSet<&str> = f.iter().map(CompactString::as_str).collect();
        assert_eq!(distinct.len(), f.len(), "{f:?}");
        assert!(
            !distinct.contains("21") || f.len() == 1,
            "21 with others: {f:?}"
        );
        sizes[f.len()] += 1;
        for c in distinct {
            assert!(csc_measures::codes::ASSESSMENT_FACTORS.contains(&c), "{c}");
            *count.entry(c).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = count.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let shares: Vec<String> = ranked
        .iter()
        .map(|&(c, k)| format!("{c} {:.3}", share(k, n)))
        .collect();
    eprintln!(
        "{n} assessments, 1/2/3 factors {:?}; {}",
        &sizes[1..],
        shares.join(", ")
    );
    let rank = |code: &str| ranked.iter().position(|&(c, _)| c == code).unwrap();
    let of = |code: &str| share(ranked[rank(code)].1, n);
    assert!(rank("4B") <= 1, "{shares:?}");
    assert!((0.25..0.40).contains(&of("4B")));
    assert!((0.05..0.11).contains(&of("21")));
    let domestic = assessments
        .values()
        .filter(|f| f.iter().any(|c| matches!(c.as_str(), "3A" | "3B" | "3C")))
        .count();
    let domestic = share(domestic, n);
    eprintln!("domestic abuse (3A/3B/3C): {domestic:.3}");
    assert!((0.25..0.50).contains(&domestic), "{domestic}");
    assert!(of("3C") > of("3B") && of("3B") > of("3A"));
}

#[test]
fn conferences_lead_to_plans_on_the_day() {
    let mut s47_conferences: HashMap<(&str, Option<Day>), (Day, Day)> = HashMap::new();
    let mut transfer_in: HashMap<(&str, Day), Day> = HashMap::new();
    let mut s47_episodes: HashSet<(&str, Day)> = HashSet::new();
    for r in &data().cin {
        for s in &r.section47s {
            s47_episodes.insert((s.child.as_str(), s.episode_referral_date));
            if let Some(c) = s.icpc_date {
                s47_conferences.insert(
                    (s.child.as_str(), s.start_date),
                    (s.episode_referral_date, c),
                );
            }
        }
        for e in &r.episodes {
            if let Some(c) = e.initial_cpc_date {
                transfer_in.insert((e.child.as_str(), e.referral_date), c);
            }
        }
    }
    let plan_on = |child: &str, episode: Day, c: Day| {
        cp_plans()
            .get(&(child.to_string(), c))
            .is_some_and(|p| p.episode == episode)
    };
    let (mut n, mut led) = (0, 0);
    for (&(child, _), &(episode, c)) in &s47_conferences {
        if c >= data_start() {
            n += 1;
            led += usize::from(plan_on(child, episode, c));
        }
    }
    let conversion = share(led, n);
    let (mut plans, mut via_transfer) = (0, 0);
    for ((child, start), p) in cp_plans() {
        if *start < data_start() {
            continue;
        }
        plans += 1;
        if transfer_in.get(&(child.as_str(), p.episode)) == Some(start) {
            via_transfer += 1;
            assert!(!s47_episodes.contains(&(child.as_str(), p.episode)));
        }
    }
    let transfers = share(via_transfer, plans);
    eprintln!(
        "conferences after a section 47: {n}, leading to a plan that day {conversion:.3}; \
         CP plans {plans}, via a transfer-in conference {transfers:.3}"
    );
    assert!((0.70..0.85).contains(&conversion), "{conversion}");
    assert!((0.005..0.04).contains(&transfers), "{transfers}");
}
