//! The situations the measures of spec sections 4 and 5 must meet, each found in a modest
//! generation (3,000 children, collection years 2019 to 2024), and the proportions that make the
//! data plausible for an English local authority.

// Shares of counts far below 2^52.
#![allow(clippy::cast_precision_loss)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use csc_measures::records::{CareEpisode, CpPlan};
use csc_measures::{Calendar, Day, WorkingDays};
use csc_synth::{Config, Synthetic, generate};

fn config() -> Config {
    Config {
        children: 3_000,
        first_year: 2019,
        last_year: 2024,
        seed: 42,
    }
}

fn data() -> &'static Synthetic {
    static DATA: OnceLock<Synthetic> = OnceLock::new();
    DATA.get_or_init(|| generate(&config()))
}

/// A larger generation, for the rarest codes and situations.
fn big() -> &'static Synthetic {
    static BIG: OnceLock<Synthetic> = OnceLock::new();
    BIG.get_or_init(|| {
        generate(&Config {
            children: 60_000,
            ..config()
        })
    })
}

fn d(s: &str) -> Day {
    s.parse().unwrap()
}

fn data_start() -> Day {
    d("2018-04-01")
}

fn wd(a: Day, b: Day) -> u32 {
    Calendar::england_and_wales()
        .wd(a, b, WorkingDays::AfterStart)
        .unwrap()
        .days
}

/// Every child's care episodes across the returns, the latest return's version of each
/// `(CHILD, DECOM)`, in `DECOM` order.
fn care() -> &'static BTreeMap<String, Vec<CareEpisode>> {
    static CARE: OnceLock<BTreeMap<String, Vec<CareEpisode>>> = OnceLock::new();
    CARE.get_or_init(|| merged_care(data()))
}

/// [`care`] of [`big`].
fn big_care() -> &'static BTreeMap<String, Vec<CareEpisode>> {
    static CARE: OnceLock<BTreeMap<String, Vec<CareEpisode>>> = OnceLock::new();
    CARE.get_or_init(|| merged_care(big()))
}

fn merged_care(s: &Synthetic) -> BTreeMap<String, Vec<CareEpisode>> {
    let mut by_key: BTreeMap<(String, Day), CareEpisode> = BTreeMap::new();
    for r in &s.ssda903 {
        for e in &r.episodes {
            by_key.insert((e.child.to_string(), e.decom), e.clone());
        }
    }
    let mut out: BTreeMap<String, Vec<CareEpisode>> = BTreeMap::new();
    for ((child, _), e) in by_key {
        out.entry(child).or_default().push(e);
    }
    out
}

/// The same, without short breaks (spec 2.2).
fn care_no_short_breaks() -> BTreeMap<&'static str, Vec<&'static CareEpisode>> {
    care()
        .iter()
        .map(|(c, v)| {
            (
                c.as_str(),
                v.iter()
                    .filter(|e| !matches!(e.ls.as_str(), "V3" | "V4"))
                    .collect(),
            )
        })
        .collect()
}

/// Every child's CP plans, the latest version of each `(child, CPPstartDate)`, in start order.
fn plans() -> BTreeMap<String, Vec<CpPlan>> {
    let mut by_key: BTreeMap<(String, Option<Day>), CpPlan> = BTreeMap::new();
    for r in &data().cin {
        for p in &r.plans {
            by_key.insert((p.child.to_string(), p.start_date), p.clone());
        }
    }
    let mut out: BTreeMap<String, Vec<CpPlan>> = BTreeMap::new();
    for ((child, _), p) in by_key {
        out.entry(child).or_default().push(p);
    }
    out
}

fn continues(prev: &CareEpisode, cur: &CareEpisode) -> bool {
    prev.rec == "X1" && prev.dec == Some(cur.decom)
}

fn placement(e: &CareEpisode) -> (&str, &str, &str, &str) {
    (&e.place, &e.urn, &e.place_provider, &e.pl_post)
}

fn carer(e: &CareEpisode) -> (&str, &str, &str) {
    (&e.urn, &e.place_provider, &e.pl_post)
}

fn temporary(e: &CareEpisode) -> bool {
    matches!(e.place.as_str(), "T0" | "T1" | "T2" | "T3" | "T4")
}

/// Spec 2.2: which episodes start a new placement.
fn new_placements(eps: &[&CareEpisode]) -> Vec<bool> {
    let mut first = 0;
    let mut out = Vec::new();
    for (i, e) in eps.iter().enumerate() {
        if i == 0 || !continues(eps[i - 1], e) {
            first = i;
            out.push(true);
        } else if temporary(e) {
            out.push(false);
        } else if temporary(eps[i - 1]) {
            let before = eps[first..i - 1].iter().rev().find(|p| !temporary(p));
            out.push(before.is_some_and(|p| placement(p) != placement(e)));
        } else {
            out.push(matches!(e.rne.as_str(), "S" | "P" | "B"));
        }
    }
    out
}

/// Consecutive pairs of episodes within a period of care.
fn continuing_pairs() -> impl Iterator<Item = (&'static CareEpisode, &'static CareEpisode)> {
    care().values().flat_map(|v| {
        v.windows(2)
            .filter(|w| continues(&w[0], &w[1]))
            .map(|w| (&w[0], &w[1]))
    })
}

// ---------------------------------------------------------------------------------------------
// Care

#[test]
fn short_breaks_v3_and_v4_in_separate_periods() {
    let all: Vec<&CareEpisode> = care().values().flatten().collect();
    assert!(all.iter().any(|e| e.ls == "V3"));
    assert!(all.iter().any(|e| e.ls == "V4"));
    assert!(
        all.iter()
            .filter(|e| e.ls == "V3" || e.ls == "V4")
            .all(|e| e.rne == "S" && e.rec != "X1")
    );
}

#[test]
fn legal_status_only_change_keeps_the_placement() {
    let mut n = 0;
    for (prev, cur) in continuing_pairs().filter(|(_, c)| c.rne == "L") {
        assert_eq!(
            placement(prev),
            placement(cur),
            "{} {}",
            cur.child,
            cur.decom
        );
        assert_ne!(prev.ls, cur.ls, "{} {}", cur.child, cur.decom);
        n += 1;
    }
    assert!(n > 0);
}

#[test]
fn moves_to_new_carers() {
    let p: Vec<_> = continuing_pairs()
        .filter(|(prev, cur)| cur.rne == "P" && !temporary(prev) && !temporary(cur))
        .collect();
    assert!(!p.is_empty());
    for (prev, cur) in p {
        assert_ne!(carer(prev), carer(cur), "{} {}", cur.child, cur.decom);
    }
    assert!(
        continuing_pairs()
            .any(|(prev, cur)| cur.rne == "B" && prev.ls != cur.ls && carer(prev) != carer(cur))
    );
}

#[test]
fn same_carer_changes() {
    let tu: Vec<_> = continuing_pairs()
        .filter(|(_, c)| c.rne == "T" || c.rne == "U")
        .collect();
    assert!(tu.iter().any(|(_, c)| c.rne == "T"));
    assert!(tu.iter().any(|(_, c)| c.rne == "U"));
    for (prev, cur) in tu {
        assert_eq!(carer(prev), carer(cur), "{} {}", cur.child, cur.decom);
        assert_ne!(prev.place, cur.place);
        if cur.rne == "U" {
            assert_ne!(prev.ls, cur.ls);
        } else {
            assert_eq!(prev.ls, cur.ls);
        }
    }
}

/// A temporary run followed by an episode, with the last non-temporary episode before the run.
fn after_temporary() -> Vec<(&'static CareEpisode, &'static CareEpisode)> {
    let mut out = Vec::new();
    for v in care().values() {
        for i in 2..v.len() {
            if temporary(&v[i - 1]) && !temporary(&v[i]) && continues(&v[i - 1], &v[i]) {
                let mut j = i - 1;
                while j > 0 && temporary(&v[j]) && continues(&v[j - 1], &v[j]) {
                    j -= 1;
                }
                if !temporary(&v[j]) {
                    out.push((&v[j], &v[i]));
                }
            }
        }
    }
    out
}

#[test]
fn temporary_placement_then_back_to_the_same_placement() {
    let pairs = after_temporary();
    assert!(
        pairs
            .iter()
            .any(|(before, after)| placement(before) == placement(after))
    );
    let all: HashSet<&str> = care()
        .values()
        .flatten()
        .map(|e| e.place.as_str())
        .collect();
    for t in ["T0", "T1", "T2", "T3", "T4"] {
        assert!(all.contains(t), "{t}");
    }
}

#[test]
fn temporary_placement_then_a_move() {
    assert!(
        after_temporary()
            .iter()
            .any(|(before, after)| placement(before) != placement(after))
    );
}

/// Adopted episodes (REC E11/E12) with the episode the child moved in on.
fn adoptions() -> Vec<(&'static CareEpisode, &'static CareEpisode)> {
    let mut out = Vec::new();
    for v in care().values() {
        for (i, e) in v.iter().enumerate() {
            if e.rec == "E11" || e.rec == "E12" {
                let mut j = i;
                while j > 0
                    && continues(&v[j - 1], &v[j])
                    && matches!(
                        v[j - 1].place.as_str(),
                        "A3" | "A4" | "A5" | "A6" | "T0" | "T1" | "T2" | "T3" | "T4"
                    )
                {
                    j -= 1;
                }
                while temporary(&v[j]) && j < i {
                    j += 1;
                }
                out.push((e, &v[j]));
            }
        }
    }
    out
}

#[test]
fn adoption_by_foster_carers_a3_a5() {
    // A move before the data start may follow a temporary placement the returns do not hold
    // (back from it with RNE P): only moves within the data are judged.
    let fc: Vec<_> = adoptions()
        .into_iter()
        .filter(|(_, moved)| {
            matches!(moved.place.as_str(), "A3" | "A5") && moved.decom >= data_start()
        })
        .collect();
    assert!(!fc.is_empty());
    assert!(
        fc.iter()
            .all(|(_, moved)| moved.rne == "T" || moved.rne == "U")
    );
    assert!(fc.iter().any(|(_, moved)| moved.place == "A5"));
}

#[test]
fn adoption_by_new_adopters_a4_a6() {
    let new: Vec<_> = adoptions()
        .into_iter()
        .filter(|(_, moved)| matches!(moved.place.as_str(), "A4" | "A6"))
        .collect();
    assert!(!new.is_empty());
    assert!(
        new.iter()
            .all(|(_, moved)| moved.rne == "P" || moved.rne == "B")
    );
    assert!(new.iter().any(|(_, moved)| moved.place == "A6"));
}

#[test]
fn ad1_rows_for_every_adoption_with_match_before_the_move() {
    let mut matched = 0;
    for r in &data().ssda903 {
        let adopted: HashSet<&str> = r
            .episodes
            .iter()
            .filter(|e| e.rec == "E11" || e.rec == "E12")
            .map(|e| e.child.as_str())
            .collect();
        let ad1: HashSet<&str> = r.ad1.iter().map(|a| a.child.as_str()).collect();
        assert_eq!(adopted, ad1, "{:?}", r.source.collection_year);
        let placed: HashSet<&str> = r.placed_adoption.iter().map(|a| a.child.as_str()).collect();
        assert!(ad1.is_subset(&placed));
        for a in &r.ad1 {
            // A few decisions are not recorded (`DATE_INT` blank).
            let Some(m) = a.date_match else {
                panic!("{a:?}")
            };
            assert!(a.date_int.is_none_or(|int| int <= m), "{a:?}");
            let moved = adoptions()
                .into_iter()
                .find(|(e, _)| e.child == a.child)
                .map(|(_, m)| m.decom)
                .unwrap();
            assert!(m <= moved, "{a:?} moved in {moved}");
            matched += 1;
        }
    }
    assert!(matched > 0);
}

#[test]
fn placement_order_after_the_match() {
    let mut found = false;
    for r in &big().ssda903 {
        for a in &r.ad1 {
            let eps = &big_care()[a.child.as_str()];
            let po = eps.iter().find(|e| e.ls == "E1").map(|e| e.decom);
            if po.is_some_and(|po| a.date_match.is_some_and(|m| m < po)) {
                found = true;
            }
        }
    }
    assert!(found);
}

#[test]
fn placement_orders_and_freeing_orders() {
    // Freeing orders (D1) are rare: looked for in the larger generation.
    let ls: HashSet<&str> = big_care()
        .values()
        .flatten()
        .map(|e| e.ls.as_str())
        .collect();
    for code in [
        "C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4",
    ] {
        assert!(ls.contains(code), "LS {code}");
    }
}

#[test]
fn every_code_list_is_exercised() {
    let all: Vec<&CareEpisode> = big_care().values().flatten().collect();
    let place: HashSet<&str> = all.iter().map(|e| e.place.as_str()).collect();
    for code in [
        "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
        "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
    ] {
        assert!(place.contains(code), "PLACE {code}");
    }
    let rec: HashSet<&str> = all.iter().map(|e| e.rec.as_str()).collect();
    for code in [
        "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E41", "E45", "E46", "E47",
        "E48", "E4A", "E4B", "E5", "E6", "E7", "E71", "E72", "E8", "E9", "X1",
    ] {
        assert!(rec.contains(code), "REC {code}");
    }
    let rne: HashSet<&str> = all.iter().map(|e| e.rne.as_str()).collect();
    for code in ["S", "L", "P", "T", "U", "B"] {
        assert!(rne.contains(code), "RNE {code}");
    }
    let provider: HashSet<&str> = all.iter().map(|e| e.place_provider.as_str()).collect();
    for code in ["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"] {
        assert!(provider.contains(code), "PLACE_PROVIDER {code}");
    }
    let need: HashSet<&str> = all.iter().map(|e| e.cin.as_str()).collect();
    for code in ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"] {
        assert!(need.contains(code), "CIN {code}");
    }
}

#[test]
fn codes_are_valid_upper_case() {
    use csc_measures::codes;
    for r in &data().ssda903 {
        for e in &r.episodes {
            for (list, v) in [
                (codes::RNE, &e.rne),
                (codes::LS, &e.ls),
                (codes::CIN, &e.cin),
                (codes::PLACE, &e.place),
                (codes::PLACE_PROVIDER, &e.place_provider),
                (codes::REC, &e.rec),
                (codes::REASON_PLACE_CHANGE, &e.reason_place_change),
            ] {
                assert!(codes::is_known(list, v), "{v} in {e:?}");
            }
            assert!(!e.rne.is_empty() && !e.ls.is_empty() && !e.place.is_empty());
        }
    }
    for r in &data().cin {
        for e in &r.episodes {
            assert!(
                codes::is_known(codes::PRIMARY_NEED, &e.primary_need),
                "{e:?}"
            );
            assert!(
                codes::is_known(codes::REASON_FOR_CLOSURE, &e.reason_for_closure),
                "{e:?}"
            );
        }
        for p in &r.plans {
            assert!(
                codes::is_known(codes::CATEGORY_OF_ABUSE, &p.initial_category),
                "{p:?}"
            );
            assert!(
                codes::is_known(codes::CATEGORY_OF_ABUSE, &p.latest_category),
                "{p:?}"
            );
        }
    }
}

#[test]
fn placement_fields_are_plausible_and_consistent() {
    let mut post_of_urn: HashMap<&str, &str> = HashMap::new();
    for e in care().values().flatten() {
        let urn = e.urn.as_str();
        let sc =
            urn.len() == 8 && urn.starts_with("SC") && urn[2..].bytes().all(|b| b.is_ascii_digit());
        let school = urn.len() == 6 && urn.bytes().all(|b| b.is_ascii_digit());
        assert!(sc || school || urn == "XXXXXXX", "{urn}");
        for post in [&e.pl_post, &e.home_post] {
            let (out, inw) = post.split_once(' ').unwrap_or_else(|| panic!("{post:?}"));
            assert!((2..=4).contains(&out.len()) && inw.len() == 3, "{post}");
            assert!(
                post.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ')
            );
        }
        if urn != "XXXXXXX" {
            let prev = post_of_urn.entry(urn).or_insert(e.pl_post.as_str());
            assert_eq!(*prev, e.pl_post.as_str(), "establishment {urn}");
        }
        if e.place == "P1" {
            assert_eq!(e.place_provider, "PR0");
            assert_eq!(e.pl_post, e.home_post);
        }
    }
    for v in care_no_short_breaks().values() {
        for w in v.windows(2) {
            if continues(w[0], w[1]) {
                assert_eq!(w[0].home_post, w[1].home_post, "{}", w[1].child);
            }
        }
    }
}

#[test]
fn care_episodes_start_on_saturdays_sundays_and_bank_holidays() {
    let cal = Calendar::england_and_wales();
    let all: Vec<&CareEpisode> = care().values().flatten().collect();
    assert!(all.iter().any(|e| e.decom.weekday() == 5));
    assert!(all.iter().any(|e| e.decom.weekday() == 6));
    assert!(
        all.iter()
            .any(|e| e.decom >= data_start() && cal.is_holiday(e.decom))
    );
    let days: HashSet<u32> = all.iter().map(|e| e.decom.weekday()).collect();
    assert_eq!(days.len(), 7);
}

#[test]
fn dates_on_29_february() {
    let feb29 = |x: Day| {
        let (_, m, dd) = x.to_ymd();
        m == 2 && dd == 29
    };
    assert!(
        data()
            .cin
            .iter()
            .flat_map(|r| &r.episodes)
            .any(|e| feb29(e.referral_date))
    );
    assert!(big_care().values().flatten().any(|e| feb29(e.decom)));
    assert!(
        big_care()
            .values()
            .flatten()
            .any(|e| e.dec.is_some_and(feb29))
    );
}

#[test]
fn periods_of_care_that_began_before_the_data() {
    let first = &data().ssda903[0];
    assert!(
        first
            .episodes
            .iter()
            .any(|e| e.decom < data_start() && e.rne == "S")
    );
    // History truncated: the first loaded episode of a period is not its start.
    assert!(care_no_short_breaks().values().any(|v| {
        v.first()
            .is_some_and(|e| e.decom < data_start() && e.rne != "S")
    }));
    // And some began years before (rare: looked for in the larger generation).
    assert!(
        big().ssda903[0]
            .episodes
            .iter()
            .any(|e| e.decom < d("2014-04-01"))
    );
}

#[test]
fn children_with_two_periods_of_care() {
    let mut n = 0;
    for v in care_no_short_breaks().values() {
        let periods = (0..v.len())
            .filter(|&i| i == 0 || !continues(v[i - 1], v[i]))
            .count();
        if periods >= 2 {
            n += 1;
            // A later period starts with RNE S.
            assert!(v.iter().skip(1).any(|e| e.rne == "S"));
        }
    }
    assert!(n > 0);
}

#[test]
fn leaving_care_and_returning() {
    let rec: HashMap<&str, usize> = care().values().flatten().fold(HashMap::new(), |mut m, e| {
        *m.entry(e.rec.as_str()).or_default() += 1;
        m
    });
    for code in [
        "E13", "E41", "E8", "E4A", "E17", "E5", "E45", "E47", "E11", "E12",
    ] {
        assert!(rec.get(code).copied().unwrap_or(0) > 0, "{code}");
    }
}

#[test]
fn three_or_more_placements_in_a_year_and_long_term_stability() {
    let mut three = 0;
    let mut stable = 0;
    let headers: HashMap<&str, Day> = data()
        .ssda903
        .iter()
        .flat_map(|r| &r.headers)
        .filter_map(|h| Some((h.child.as_str(), h.dob?)))
        .collect();
    for r in &data().ssda903 {
        let end = r
            .source
            .collection_year
            .map(|y| Day::from_ymd(y, 3, 31).unwrap())
            .unwrap();
        let start = end.add_years(-1).add_days(1);
        for (child, v) in care_no_short_breaks() {
            let np = new_placements(&v);
            let open_at_end = v
                .iter()
                .position(|e| e.decom <= end && e.dec.is_none_or(|x| x > end));
            let Some(open) = open_at_end else { continue };
            let placements = v
                .iter()
                .zip(&np)
                .enumerate()
                .filter(|(_, (e, _))| e.decom <= end && e.dec.is_none_or(|x| x > start))
                .enumerate()
                .filter(|(k, (_, (_, new)))| *k == 0 || **new)
                .count();
            if placements >= 3 {
                three += 1;
            }
            // Long-term: under 16, period started 2.5 years before, same placement for 2 years.
            let period_start = (0..=open)
                .rev()
                .find(|&i| i == 0 || !continues(v[i - 1], v[i]))
                .unwrap();
            let placement_start = (period_start..=open).rev().find(|&i| np[i]).unwrap();
            let dob = headers[child];
            if v[period_start].decom <= end.add_months(-30)
                && dob.add_years(16) > end
                && v[placement_start].decom <= end.add_years(-2)
            {
                stable += 1;
            }
        }
    }
    assert!(three > 0, "no child with 3+ placements in a year");
    assert!(stable > 0, "no long-term stable child");
}

#[test]
fn children_turn_16_while_looked_after() {
    let headers: HashMap<&str, Day> = data()
        .ssda903
        .iter()
        .flat_map(|r| &r.headers)
        .filter_map(|h| Some((h.child.as_str(), h.dob?)))
        .collect();
    let turns = care().iter().any(|(c, v)| {
        let sixteen = headers[c.as_str()].add_years(16);
        sixteen >= data_start()
            && v.iter()
                .any(|e| e.decom < sixteen && e.dec.is_none_or(|x| x > sixteen))
    });
    assert!(turns);
}

#[test]
fn dob_before_care_and_ages_0_to_17() {
    for r in &data().ssda903 {
        let dob: HashMap<&str, Day> = r
            .headers
            .iter()
            .map(|h| (h.child.as_str(), h.dob.unwrap()))
            .collect();
        for e in &r.episodes {
            let b = dob[e.child.as_str()];
            assert!(b <= e.decom, "{e:?}");
            assert!(e.decom < b.add_years(18), "{e:?}");
            assert!(e.dec.is_none_or(|x| x <= b.add_years(18)), "{e:?}");
        }
    }
    for r in &data().cin {
        let dob: HashMap<&str, Day> = r
            .children
            .iter()
            .map(|c| (c.child.as_str(), c.birth_date.unwrap()))
            .collect();
        for e in &r.episodes {
            let b = dob[e.child.as_str()];
            assert!(
                b <= e.referral_date && e.referral_date < b.add_years(18),
                "{e:?}"
            );
            assert!(e.closure_date.is_none_or(|x| x <= b.add_years(18)), "{e:?}");
        }
    }
}

#[test]
fn looked_after_children_also_have_cin_episodes() {
    let mut both = 0;
    let mut cla = 0;
    for (c, e) in data().cin.iter().zip(&data().ssda903) {
        let cin: HashSet<&str> = c.children.iter().map(|x| x.child.as_str()).collect();
        // The children looked after in the year (the Header rows also hold care leavers who are
        // not, many of them no longer children in need).
        let looked_after: HashSet<&str> = e.episodes.iter().map(|x| x.child.as_str()).collect();
        for h in looked_after {
            cla += 1;
            both += usize::from(cin.contains(h));
        }
    }
    assert!(both * 10 > cla * 8, "{both} of {cla}");
    // A referral before care.
    let referrals: HashMap<&str, Day> =
        data()
            .cin
            .iter()
            .flat_map(|r| &r.episodes)
            .fold(HashMap::new(), |mut m, e| {
                let x = m.entry(e.child.as_str()).or_insert(e.referral_date);
                *x = (*x).min(e.referral_date);
                m
            });
    assert!(care().iter().any(|(c, v)| {
        referrals
            .get(c.as_str())
            .is_some_and(|&r| r < v[0].decom && v[0].rne == "S")
    }));
}

#[test]
fn share_of_children_looked_after() {
    let cin: HashSet<&str> = data()
        .cin
        .iter()
        .flat_map(|r| &r.children)
        .map(|c| c.child.as_str())
        .collect();
    let cla: HashSet<&str> = care().keys().map(String::as_str).collect();
    let all: HashSet<&str> = cin.union(&cla).copied().collect();
    let share = cla.len() as f64 / all.len() as f64;
    assert!((0.04..0.14).contains(&share), "{share}");
}

// ---------------------------------------------------------------------------------------------
// CIN and child protection

#[test]
fn repeat_plans_within_two_years() {
    let mut repeat = 0;
    for v in plans().values() {
        for (i, p) in v.iter().enumerate() {
            let s = p.start_date.unwrap();
            if v[..i]
                .iter()
                .any(|q| q.end_date.is_some_and(|e| e >= s.add_years(-2) && e <= s))
            {
                repeat += 1;
            }
        }
    }
    assert!(repeat > 0);
}

#[test]
fn second_or_subsequent_plans_and_previous_counts() {
    let (mut n, mut second, mut blank, mut counted, mut consistent) = (0, 0, 0, 0, 0);
    for v in plans().values() {
        for (i, p) in v.iter().enumerate() {
            if p.start_date.unwrap() < data_start().add_years(2) {
                continue;
            }
            n += 1;
            second += usize::from(i > 0 || p.previous_plans.is_some_and(|x| x >= 1));
            blank += usize::from(p.previous_plans.is_none());
            counted += usize::from(p.previous_plans.is_some_and(|x| x >= 1));
            consistent += usize::from(p.previous_plans.is_some_and(|x| x as usize >= i));
        }
    }
    let share = second as f64 / n as f64;
    assert!((0.12..0.32).contains(&share), "{share}");
    assert!(blank > 0 && counted > 0);
    assert!(consistent * 10 > n * 8, "{consistent} of {n}");
}

#[test]
fn plans_of_weeks_to_over_two_years() {
    let all: Vec<CpPlan> = plans().into_values().flatten().collect();
    let days = |p: &CpPlan| p.end_date.map(|e| e.days_since(p.start_date.unwrap()));
    assert!(all.iter().any(|p| days(p).is_some_and(|x| x < 60)));
    assert!(all.iter().any(|p| {
        p.end_date
            .is_some_and(|e| e >= p.start_date.unwrap().add_years(2))
    }));
    // Open at a year end, 15 months or more after the start.
    assert!(data().cin.iter().any(|r| {
        let end = r.source.reference_date.unwrap();
        r.plans
            .iter()
            .any(|p| p.end_date.is_none() && p.start_date.unwrap().add_months(15) <= end)
    }));
    assert!(all.iter().any(|p| p.initial_category != p.latest_category));
    assert!(
        all.iter()
            .all(|p| p.review_dates.windows(2).all(|w| w[0] < w[1]))
    );
}

#[test]
fn assessments_same_day_and_over_45_working_days() {
    let all: Vec<_> = data()
        .cin
        .iter()
        .flat_map(|r| &r.assessments)
        .filter_map(|a| Some((a.start_date?, a.authorisation_date?)))
        .collect();
    assert!(all.iter().any(|&(s, a)| s == a));
    assert!(all.iter().any(|&(s, a)| wd(s, a) >= 46));
    assert!(all.iter().any(|&(s, a)| wd(s, a) > 100));
    let within = all.iter().filter(|&&(s, a)| wd(s, a) <= 45).count();
    let share = within as f64 / all.len() as f64;
    assert!((0.75..0.95).contains(&share), "{share}");
}

#[test]
fn conferences_late_timely_and_before_the_enquiry() {
    let all: Vec<_> = data()
        .cin
        .iter()
        .flat_map(|r| &r.section47s)
        .filter_map(|s| Some((s.start_date?, s.icpc_date?)))
        .collect();
    assert!(all.iter().any(|&(s, c)| c >= s && wd(s, c) > 15));
    // Rarely, a conference recorded before the enquiry started.
    assert!(
        big()
            .cin
            .iter()
            .flat_map(|r| &r.section47s)
            .any(|s| s.icpc_date.is_some_and(|c| Some(c) < s.start_date))
    );
    let timely = all
        .iter()
        .filter(|&&(s, c)| c >= s && wd(s, c) <= 15)
        .count();
    let share = timely as f64 / all.len() as f64;
    assert!((0.65..0.92).contains(&share), "{share}");
    // Target dates 15 working days on.
    for s in data().cin.iter().flat_map(|r| &r.section47s) {
        assert_eq!(wd(s.start_date.unwrap(), s.icpc_target_date.unwrap()), 15);
    }
}

#[test]
fn referral_outcomes_in_plausible_proportions() {
    let mut referrals: HashMap<(&str, Day), bool> = HashMap::new();
    for r in &data().cin {
        for e in &r.episodes {
            referrals.insert(
                (e.child.as_str(), e.referral_date),
                e.referral_nfa == Some(true),
            );
        }
    }
    let assessed: HashSet<(&str, Day)> = data()
        .cin
        .iter()
        .flat_map(|r| &r.assessments)
        .map(|a| (a.child.as_str(), a.episode_referral_date))
        .collect();
    let s47: HashSet<(&str, Day)> = data()
        .cin
        .iter()
        .flat_map(|r| &r.section47s)
        .map(|a| (a.child.as_str(), a.episode_referral_date))
        .collect();
    let conf: HashSet<(&str, Option<Day>)> = data()
        .cin
        .iter()
        .flat_map(|r| &r.section47s)
        .filter(|s| s.icpc_date.is_some())
        .map(|a| (a.child.as_str(), a.start_date))
        .collect();
    let in_years: Vec<_> = referrals
        .iter()
        .filter(|((_, r), _)| *r >= data_start())
        .collect();
    let n = in_years.len() as f64;
    let nfa = in_years.iter().filter(|(_, nfa)| **nfa).count() as f64 / n;
    let a = in_years
        .iter()
        .filter(|(k, _)| assessed.contains(k))
        .count() as f64
        / n;
    let s = in_years.iter().filter(|(k, _)| s47.contains(k)).count() as f64 / n;
    assert!((0.03..0.15).contains(&nfa), "NFA {nfa}");
    assert!((0.5..0.75).contains(&a), "assessed {a}");
    // About 30% of referrals (nationally about a third), so that about one in ten leads to a CP
    // plan.
    assert!((0.2..0.38).contains(&s), "s47 {s}");
    let c = conf.len() as f64 / s47.len() as f64;
    assert!((0.3..0.55).contains(&c), "conference {c}");
}

#[test]
fn re_referrals_within_12_months() {
    let mut by_child: HashMap<&str, Vec<Day>> = HashMap::new();
    for r in &data().cin {
        for e in &r.episodes {
            by_child
                .entry(e.child.as_str())
                .or_default()
                .push(e.referral_date);
        }
    }
    let (mut n, mut re) = (0usize, 0usize);
    for v in by_child.values_mut() {
        v.sort();
        v.dedup();
        for i in 0..v.len() {
            if v[i] >= d("2019-04-01") {
                n += 1;
                re += usize::from(i > 0 && v[i - 1] >= v[i].add_months(-12));
            }
        }
    }
    let share = re as f64 / n as f64;
    assert!((0.17..0.32).contains(&share), "{share}");
}

#[test]
fn cin_episodes_open_and_closed_at_year_end() {
    for r in &data().cin {
        assert!(r.episodes.iter().any(|e| e.closure_date.is_none()));
        assert!(r.episodes.iter().any(|e| e.closure_date.is_some()));
        assert!(r.assessments.iter().any(|a| a.authorisation_date.is_none()));
        assert!(r.plans.iter().any(|p| p.end_date.is_none()));
        assert!(r.cin_plans.iter().any(|p| p.end_date.is_none()));
        assert!(r.cin_plans.iter().any(|p| p.end_date.is_some()));
    }
    assert!(
        data()
            .cin
            .iter()
            .flat_map(|r| &r.episodes)
            .any(|e| e.initial_cpc_date.is_some())
    );
}

#[test]
fn dataset_builds_without_repairs() {
    let ds = csc_synth::dataset(&Config {
        children: 1_500,
        ..config()
    })
    .unwrap();
    let codes: HashSet<&str> = ds.issues().iter().map(|i| i.code.as_str()).collect();
    // Besides truncated histories, only the few CIN plans left open after their episode closed
    // (spec 2.4: `open_after_cin_closed` covers CIN plans) may be reported.
    assert!(
        codes
            .iter()
            .all(|c| matches!(*c, "history_truncated" | "open_after_cin_closed")),
        "{codes:?}"
    );
    assert!(ds.summary().periods_of_care > 0);
}
