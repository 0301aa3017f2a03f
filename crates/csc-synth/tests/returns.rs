//! What the annual returns hold: determinism, the slicing of the true history into returns, keys and
//! row origins, and child identifiers.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use csc_measures::Day;
use csc_synth::{Config, Synthetic, generate};

fn config() -> Config {
    Config {
        children: 2_500,
        first_year: 2019,
        last_year: 2024,
        seed: 42,
    }
}

fn data() -> &'static Synthetic {
    static DATA: OnceLock<Synthetic> = OnceLock::new();
    DATA.get_or_init(|| generate(&config()))
}

fn period(year: i32) -> (Day, Day) {
    (
        Day::from_ymd(year - 1, 4, 1).unwrap(),
        Day::from_ymd(year, 3, 31).unwrap(),
    )
}

#[test]
fn deterministic() {
    let small = Config {
        children: 800,
        ..config()
    };
    let a = generate(&small);
    assert_eq!(a, generate(&small));
    assert_ne!(a, generate(&Config { seed: 43, ..small }));
    // A child's history does not depend on how many children there are.
    let more = generate(&Config {
        children: 900,
        ..small
    });
    let first = |s: &Synthetic| -> Vec<_> {
        s.ssda903
            .iter()
            .map(|r| {
                r.episodes
                    .iter()
                    .filter(|e| e.child.as_str() <= "C0000800")
                    .cloned()
                    .map(|mut e| {
                        e.origin = csc_measures::records::RowOrigin::default();
                        e
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    assert_eq!(first(&a), first(&more));
}

#[test]
fn one_return_of_each_per_year_in_order() {
    let s = data();
    assert_eq!(s.cin.len(), 6);
    assert_eq!(s.ssda903.len(), 6);
    for (i, (c, e)) in s.cin.iter().zip(&s.ssda903).enumerate() {
        let year = 2019 + i as i32;
        assert_eq!(c.source.collection_year, Some(year));
        assert_eq!(c.source.reference_date, Some(period(year).1));
        assert_eq!(e.source.collection_year, Some(year));
        assert_eq!(c.source.files.len(), 1);
        assert_eq!(e.source.files.len(), 1);
    }
}

#[test]
fn cin_returns_hold_what_the_year_would() {
    for r in &data().cin {
        let (ps, pe) = period(r.source.collection_year.unwrap());
        let children: HashSet<&str> = r.children.iter().map(|c| c.child.as_str()).collect();
        let mut keys = HashSet::new();
        for e in &r.episodes {
            assert!(e.referral_date <= pe, "{e:?}");
            assert!(e.closure_date.is_none_or(|c| c >= ps && c <= pe), "{e:?}");
            assert!(e.initial_cpc_date.is_none_or(|c| c <= pe));
            assert_eq!(
                e.closure_date.is_none(),
                e.reason_for_closure.is_empty(),
                "{e:?}"
            );
            assert!(children.contains(e.child.as_str()));
            assert!(
                keys.insert((e.child.clone(), e.referral_date)),
                "duplicate {e:?}"
            );
        }
        let episodes: HashMap<(&str, Day), Option<Day>> = r
            .episodes
            .iter()
            .map(|e| ((e.child.as_str(), e.referral_date), e.closure_date))
            .collect();
        let mut keys = HashSet::new();
        for a in &r.assessments {
            let s = a.start_date.unwrap();
            assert!(
                s <= pe
                    && a.authorisation_date
                        .is_none_or(|x| x >= ps && x <= pe && x >= s),
                "{a:?}"
            );
            let closure = episodes[&(a.child.as_str(), a.episode_referral_date)];
            assert!(s >= a.episode_referral_date);
            // Still open after the episode closed: never.
            assert!(
                closure.is_none() || a.authorisation_date.is_some_and(|x| Some(x) <= closure),
                "{a:?}"
            );
            assert_eq!(a.factors.is_empty(), a.authorisation_date.is_none());
            assert!(keys.insert((a.child.clone(), s)), "duplicate {a:?}");
        }
        let mut keys = HashSet::new();
        for s in &r.section47s {
            let st = s.start_date.unwrap();
            assert!(st <= pe && s.icpc_date.is_none_or(|x| x <= pe), "{s:?}");
            assert!(st >= ps || s.icpc_date.is_some_and(|x| x >= ps), "{s:?}");
            assert!(episodes.contains_key(&(s.child.as_str(), s.episode_referral_date)));
            assert!(keys.insert((s.child.clone(), st)), "duplicate {s:?}");
        }
        let mut keys = HashSet::new();
        for p in &r.plans {
            let st = p.start_date.unwrap();
            assert!(
                st <= pe && p.end_date.is_none_or(|x| x >= ps && x <= pe && x >= st),
                "{p:?}"
            );
            // The reviews held in the year (spec 2.4: the returns' reviews are taken together).
            assert!(
                p.review_dates
                    .iter()
                    .all(|&d| d > st && d >= ps && d <= pe && p.end_date.is_none_or(|e| d < e)),
                "{p:?}"
            );
            let closure = episodes[&(p.child.as_str(), p.episode_referral_date)];
            assert!(
                closure.is_none() || p.end_date.is_some_and(|x| Some(x) <= closure),
                "{p:?}"
            );
            assert!(keys.insert((p.child.clone(), st)), "duplicate {p:?}");
        }
        let mut keys = HashSet::new();
        for p in &r.cin_plans {
            let st = p.start_date.unwrap();
            assert!(
                st <= pe && p.end_date.is_none_or(|x| x >= ps && x <= pe && x > st),
                "{p:?}"
            );
            assert!(st >= p.episode_referral_date, "{p:?}");
            // Nested in an episode of the same return.
            assert!(
                episodes.contains_key(&(p.child.as_str(), p.episode_referral_date)),
                "{p:?}"
            );
            assert!(keys.insert((p.child.clone(), st)), "duplicate {p:?}");
        }
        for c in &r.children {
            assert!(c.birth_date.is_some_and(|b| b <= pe));
            assert!(c.death_date.is_none_or(|d| d <= pe));
        }
        assert_eq!(children.len(), r.children.len());
    }
}

#[test]
fn ssda903_returns_hold_what_the_year_would() {
    for r in &data().ssda903 {
        let (ps, pe) = period(r.source.collection_year.unwrap());
        let headers: HashSet<&str> = r.headers.iter().map(|h| h.child.as_str()).collect();
        assert_eq!(headers.len(), r.headers.len());
        let mut keys = HashSet::new();
        for e in &r.episodes {
            assert!(e.decom <= pe, "{e:?}");
            assert!(
                e.dec.is_none_or(|x| x >= ps && x <= pe && x > e.decom),
                "{e:?}"
            );
            assert_eq!(e.dec.is_none(), e.rec.is_empty(), "{e:?}");
            assert!(headers.contains(e.child.as_str()));
            assert!(keys.insert((e.child.clone(), e.decom)), "duplicate {e:?}");
        }
        // Every child with an episode has a Header; so has every care leaver with an OC3 row,
        // looked after in the year or not.
        let with_episode: HashSet<&str> = r.episodes.iter().map(|e| e.child.as_str()).collect();
        let leavers: HashSet<&str> = r.oc3.iter().map(|o| o.child.as_str()).collect();
        assert_eq!(&with_episode | &leavers, headers);
        for h in &r.headers {
            assert!(h.dob.is_some_and(|d| d <= pe));
            assert!(h.mc_dob.is_none_or(|d| d <= pe));
            assert!(
                h.mother.is_empty() || h.mother == "0" || (h.mother == "1" && h.mc_dob.is_some())
            );
        }
        for a in &r.ad1 {
            // A few decisions are not recorded (`DATE_INT` blank).
            assert!(
                a.date_int.is_none_or(|d| d <= pe) && a.date_match.is_some_and(|d| d <= pe),
                "{a:?}"
            );
        }
        for p in &r.placed_adoption {
            assert!(
                p.date_placed_ceased.is_some_and(|d| d >= ps && d <= pe),
                "{p:?}"
            );
            assert!(p.date_placed.is_some_and(|d| d <= pe), "{p:?}");
            assert!(matches!(
                p.reason_placed_ceased.as_str(),
                "E11" | "E12" | "RD1"
            ));
        }
    }
}

#[test]
fn open_records_appear_again_the_next_year() {
    let s = data();
    for w in s.ssda903.windows(2) {
        let next: HashMap<(&str, Day), Option<Day>> = w[1]
            .episodes
            .iter()
            .map(|e| ((e.child.as_str(), e.decom), e.dec))
            .collect();
        for e in w[0].episodes.iter().filter(|e| e.dec.is_none()) {
            assert!(next.contains_key(&(e.child.as_str(), e.decom)), "{e:?}");
        }
        // Closed records keep their dates.
        let this: HashMap<(&str, Day), Option<Day>> = w[0]
            .episodes
            .iter()
            .map(|e| ((e.child.as_str(), e.decom), e.dec))
            .collect();
        for (k, dec) in &next {
            if let Some(Some(d)) = this.get(k) {
                assert_eq!(*dec, Some(*d), "{k:?}");
            }
        }
    }
    for w in s.cin.windows(2) {
        let next: HashSet<(&str, Day)> = w[1]
            .episodes
            .iter()
            .map(|e| (e.child.as_str(), e.referral_date))
            .collect();
        for e in w[0].episodes.iter().filter(|e| e.closure_date.is_none()) {
            assert!(next.contains(&(e.child.as_str(), e.referral_date)), "{e:?}");
        }
        let next: HashSet<(&str, Option<Day>)> = w[1]
            .plans
            .iter()
            .map(|p| (p.child.as_str(), p.start_date))
            .collect();
        for p in w[0].plans.iter().filter(|p| p.end_date.is_none()) {
            assert!(next.contains(&(p.child.as_str(), p.start_date)), "{p:?}");
        }
        let next: HashSet<(&str, Option<Day>)> = w[1]
            .cin_plans
            .iter()
            .map(|p| (p.child.as_str(), p.start_date))
            .collect();
        for p in w[0].cin_plans.iter().filter(|p| p.end_date.is_none()) {
            assert!(next.contains(&(p.child.as_str(), p.start_date)), "{p:?}");
        }
        let next: HashSet<(&str, Option<Day>)> = w[1]
            .assessments
            .iter()
            .map(|a| (a.child.as_str(), a.start_date))
            .collect();
        for a in w[0]
            .assessments
            .iter()
            .filter(|a| a.authorisation_date.is_none())
        {
            assert!(next.contains(&(a.child.as_str(), a.start_date)), "{a:?}");
        }
    }
}

#[test]
fn child_ids_keep_leading_zeros() {
    let ids: HashSet<&str> = data()
        .cin
        .iter()
        .flat_map(|r| r.children.iter().map(|c| c.child.as_str()))
        .chain(
            data()
                .ssda903
                .iter()
                .flat_map(|r| r.headers.iter().map(|h| h.child.as_str())),
        )
        .collect();
    assert!(ids.iter().all(|id| id.len() == 8
        && id.starts_with("C00")
        && id[1..].bytes().all(|b| b.is_ascii_digit())));
    assert!(ids.iter().any(|id| id.starts_with("C00000")));
}

#[test]
fn rows_are_numbered_from_line_2_in_each_table() {
    for r in &data().cin {
        for (i, e) in r.episodes.iter().enumerate() {
            assert_eq!((e.origin.file, e.origin.line), (0, i as u32 + 2));
        }
        for (i, c) in r.children.iter().enumerate() {
            assert_eq!(c.origin.line, i as u32 + 2);
        }
    }
    for r in &data().ssda903 {
        for (i, e) in r.episodes.iter().enumerate() {
            assert_eq!((e.origin.file, e.origin.line), (0, i as u32 + 2));
        }
        for (i, h) in r.headers.iter().enumerate() {
            assert_eq!(h.origin.line, i as u32 + 2);
        }
    }
}

#[test]
fn rows_are_in_child_order() {
    for r in &data().ssda903 {
        assert!(
            r.episodes
                .windows(2)
                .all(|w| (&w[0].child, w[0].decom) < (&w[1].child, w[1].decom))
        );
    }
    for r in &data().cin {
        assert!(
            r.episodes
                .windows(2)
                .all(|w| (&w[0].child, w[0].referral_date) < (&w[1].child, w[1].referral_date))
        );
    }
}
