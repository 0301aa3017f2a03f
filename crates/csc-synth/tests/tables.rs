//! The SSDA903 tables besides Header and Episodes: that every one is filled, that each return holds
//! the rows of its own year, and that their shares are those of an English local authority.

// Shares of counts far below 2^52.
#![allow(clippy::cast_precision_loss)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use csc_measures::Day;
use csc_measures::records::{CareEpisode, Ssda903Return};
use csc_synth::{Config, SSDA903_TABLES, SW_EPISODES_FROM, Synthetic, generate};

/// About 5,000 children looked after over the six years (a fifth of them at each 31 March); the
/// history holds every child referred, most never looked after.
fn config() -> Config {
    Config {
        children: 20_000,
        first_year: 2019,
        last_year: 2024,
        seed: 42,
    }
}

fn data() -> &'static Synthetic {
    static DATA: OnceLock<Synthetic> = OnceLock::new();
    DATA.get_or_init(|| generate(&config()))
}

fn period(r: &Ssda903Return) -> (Day, Day) {
    let year = r.source.collection_year.unwrap();
    (
        Day::from_ymd(year - 1, 4, 1).unwrap(),
        Day::from_ymd(year, 3, 31).unwrap(),
    )
}

fn share(num: usize, den: usize) -> f64 {
    assert!(den > 0);
    num as f64 / den as f64
}

fn short_break(e: &CareEpisode) -> bool {
    matches!(e.ls.as_str(), "V3" | "V4")
}

/// The rows of each table of a return, by table name.
fn counts(r: &Ssda903Return) -> BTreeMap<&'static str, usize> {
    BTreeMap::from([
        ("Header", r.headers.len()),
        ("Episodes", r.episodes.len()),
        ("AD1", r.ad1.len()),
        ("PlacedAdoption", r.placed_adoption.len()),
        ("Reviews", r.reviews.len()),
        ("UASC", r.uasc.len()),
        ("OC2", r.oc2.len()),
        ("OC3", r.oc3.len()),
        ("PrevPerm", r.prev_perm.len()),
        ("Missing", r.missing.len()),
        ("SWEpisodes", r.sw_episodes.len()),
    ])
}

#[test]
fn every_table_has_rows_in_the_latest_return() {
    let last = data().ssda903.last().unwrap();
    let counts = counts(last);
    eprintln!("latest return: {counts:?}");
    assert_eq!(counts.len(), SSDA903_TABLES.len());
    for t in SSDA903_TABLES {
        assert!(counts[t] > 0, "{t}: {counts:?}");
    }
    let held: Vec<&str> = last
        .source
        .tables
        .as_ref()
        .unwrap()
        .iter()
        .map(compact_str::CompactString::as_str)
        .collect();
    assert_eq!(held, SSDA903_TABLES);
}

#[test]
fn sw_episodes_only_from_2023_24() {
    for r in &data().ssda903 {
        let year = r.source.collection_year.unwrap();
        let held = r.source.tables.as_ref().unwrap();
        let holds = held.iter().any(|t| t == "SWEpisodes");
        assert_eq!(holds, year >= SW_EPISODES_FROM, "{year}");
        assert_eq!(held.len(), SSDA903_TABLES.len() - usize::from(!holds));
        if year < SW_EPISODES_FROM {
            assert!(r.sw_episodes.is_empty(), "{year}");
        } else {
            assert!(!r.sw_episodes.is_empty(), "{year}");
        }
    }
}

#[test]
fn each_return_holds_the_rows_of_its_year() {
    for r in &data().ssda903 {
        let (ps, pe) = period(r);
        let headers: HashSet<&str> = r.headers.iter().map(|h| h.child.as_str()).collect();
        let dob: HashMap<&str, Option<Day>> = r
            .headers
            .iter()
            .map(|h| (h.child.as_str(), h.dob))
            .collect();
        let mut keys = HashSet::new();
        for v in &r.reviews {
            assert!(v.review >= ps && v.review <= pe, "{v:?}");
            assert!(!v.review_code.is_empty());
            assert!(keys.insert((&v.child, v.review)), "duplicate {v:?}");
        }
        let mut keys = HashSet::new();
        for m in &r.missing {
            assert!(m.mis_start <= pe, "{m:?}");
            // Ended in the year; or started before it and still missing on 1 April.
            assert!(
                m.mis_end
                    .is_none_or(|e| e >= ps && e <= pe && e >= m.mis_start),
                "{m:?}"
            );
            assert!(m.mis_start >= ps || m.mis_end.is_none_or(|e| e >= ps));
            assert!(m.missing == "M" || m.missing == "A");
            assert!(keys.insert((&m.child, m.mis_start)), "duplicate {m:?}");
        }
        let mut keys = HashSet::new();
        for w in &r.sw_episodes {
            assert!(w.sw_decom <= pe, "{w:?}");
            assert!(
                w.sw_dec
                    .is_none_or(|e| e >= ps && e <= pe && e > w.sw_decom),
                "{w:?}"
            );
            assert!(keys.insert((&w.child, w.sw_decom)), "duplicate {w:?}");
        }
        // One row per child of the per-return tables; every row's child in the Header, with its
        // date of birth.
        for (name, children) in [
            (
                "UASC",
                r.uasc.iter().map(|x| (&x.child, x.dob)).collect::<Vec<_>>(),
            ),
            ("OC2", r.oc2.iter().map(|x| (&x.child, x.dob)).collect()),
            ("OC3", r.oc3.iter().map(|x| (&x.child, x.dob)).collect()),
            (
                "PrevPerm",
                r.prev_perm.iter().map(|x| (&x.child, x.dob)).collect(),
            ),
        ] {
            let distinct: HashSet<_> = children.iter().map(|c| c.0).collect();
            assert_eq!(distinct.len(), children.len(), "{name}");
            for (c, d) in children {
                assert_eq!(dob[c.as_str()], d, "{name} {c}");
            }
        }
        for c in r
            .reviews
            .iter()
            .map(|x| &x.child)
            .chain(r.missing.iter().map(|x| &x.child))
            .chain(r.sw_episodes.iter().map(|x| &x.child))
        {
            assert!(headers.contains(c.as_str()), "{c}");
        }
        for u in &r.uasc {
            let h = r.headers.iter().find(|h| h.child == u.child).unwrap();
            assert_eq!(u.sex, h.sex);
            assert!(u.duc.is_some_and(|d| d >= ps.add_years(-1)), "{u:?}");
        }
        for p in &r.prev_perm {
            assert!(p.date_perm.is_some_and(|d| p.dob.is_some_and(|b| d > b)));
        }
    }
}

/// Children looked after in the year (an episode, short breaks left out, overlapping it) and
/// those of them with a missing incident in it.
fn missing_shares(r: &Ssda903Return) -> (usize, usize, usize) {
    let (ps, pe) = period(r);
    let looked_after: HashSet<&str> = r
        .episodes
        .iter()
        .filter(|e| !short_break(e) && e.decom <= pe && e.dec.is_none_or(|d| d > ps))
        .map(|e| e.child.as_str())
        .collect();
    let in_scope = |m: &&csc_measures::records::Missing| {
        (m.mis_start >= ps && m.mis_start <= pe) || m.mis_end.is_none_or(|e| e >= ps)
    };
    let missing: HashSet<&str> = r
        .missing
        .iter()
        .filter(|m| m.missing == "M")
        .filter(in_scope)
        .map(|m| m.child.as_str())
        .filter(|c| looked_after.contains(c))
        .collect();
    let away: HashSet<&str> = r
        .missing
        .iter()
        .filter(|m| m.missing == "A")
        .filter(in_scope)
        .map(|m| m.child.as_str())
        .collect();
    (missing.len(), away.len(), looked_after.len())
}

#[test]
fn missing_incidents_for_some_children_looked_after() {
    // Pooled over the returns after the first (a small authority has few children a year).
    let (mut m, mut a, mut den) = (0, 0, 0);
    let (mut incidents, mut away, mut open, mut spanning) = (0, 0, 0, 0);
    for r in &data().ssda903 {
        open += r.missing.iter().filter(|x| x.mis_end.is_none()).count();
    }
    for r in &data().ssda903[1..] {
        let x = missing_shares(r);
        eprintln!(
            "{:?}: missing {} of {} ({:.3}), away {}",
            r.source.collection_year,
            x.0,
            x.2,
            share(x.0, x.2),
            x.1
        );
        m += x.0;
        a += x.1;
        den += x.2;
        incidents += r.missing.iter().filter(|x| x.missing == "M").count();
        away += r.missing.iter().filter(|x| x.missing == "A").count();
        spanning += r
            .missing
            .iter()
            .filter(|x| x.mis_start < period(r).0)
            .count();
    }
    let s = share(m, den);
    eprintln!(
        "children looked after with a missing incident: {s:.3} of {den}; with an away one {a}; \
         rows M {incidents} A {away}; open at a year end {open}; from the year before {spanning}"
    );
    assert!((0.05..=0.20).contains(&s), "{s}");
    assert!(open > 0 && spanning > 0);
    // About a third as many away incidents as missing ones.
    let away = share(away, incidents);
    assert!((0.2..=0.5).contains(&away), "{away}");
    // Open incidents end in the next return.
    for w in data().ssda903.windows(2) {
        let next: HashSet<(&str, Day)> = w[1]
            .missing
            .iter()
            .map(|m| (m.child.as_str(), m.mis_start))
            .collect();
        for m in w[0].missing.iter().filter(|m| m.mis_end.is_none()) {
            assert!(next.contains(&(m.child.as_str(), m.mis_start)), "{m:?}");
        }
    }
}

#[test]
fn oc2_health_and_sdq() {
    let rows: Vec<&csc_measures::records::Oc2> =
        data().ssda903.iter().flat_map(|r| &r.oc2).collect();
    let flag = |f: fn(&csc_measures::records::Oc2) -> Option<bool>| {
        let v: Vec<bool> = rows.iter().copied().filter_map(f).collect();
        share(v.iter().filter(|&&x| x).count(), v.len())
    };
    let ha = flag(|o| o.health_assessment);
    let scores: Vec<u32> = rows.iter().filter_map(|o| o.sdq_score).collect();
    let sdq = f64::from(scores.iter().sum::<u32>()) / scores.len() as f64;
    eprintln!(
        "OC2 {} rows: health assessments {ha:.3}, SDQ mean {sdq:.2} of {}, teeth {:.3}, \
         immunisations {:.3}, health checks under 5 {:.3}",
        rows.len(),
        scores.len(),
        flag(|o| o.teeth_check),
        flag(|o| o.immunisations),
        flag(|o| o.health_check),
    );
    assert!((0.80..=0.97).contains(&ha), "{ha}");
    assert!((11.0..=17.0).contains(&sdq), "{sdq}");
    assert!(scores.iter().all(|&s| s <= 40));
    assert!(rows.iter().any(|o| o.sdq_score.is_none()));
}

#[test]
fn care_leavers_in_education_employment_or_training() {
    const EET: &[&str] = &["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"];
    let mut total = (0, 0);
    for r in &data().ssda903 {
        let year = r.source.collection_year.unwrap();
        let dob: HashMap<&str, Day> = r
            .headers
            .iter()
            .map(|h| (h.child.as_str(), h.dob.unwrap()))
            .collect();
        let (ps, pe) = period(r);
        let age = |c: &str| {
            (0..=25)
                .find(|&n| {
                    let b = dob[c].add_years(n);
                    ps <= b && b <= pe
                })
                .unwrap()
        };
        let older: Vec<_> = r
            .oc3
            .iter()
            .filter(|o| (19..=21).contains(&age(&o.child)))
            .filter(|o| o.in_touch != "DIED" && o.in_touch != "RHOM")
            .collect();
        let eet = older
            .iter()
            .filter(|o| EET.contains(&o.activ.as_str()))
            .count();
        assert!(r.oc3.iter().all(|o| (17..=21).contains(&age(&o.child))));
        let in_touch = r.oc3.iter().filter(|o| o.in_touch == "YES").count();
        let suitable = r
            .oc3
            .iter()
            .filter(|o| o.accom.len() == 2 && o.accom.ends_with('1'))
            .count();
        eprintln!(
            "{year}: OC3 {} rows, aged 19-21 {} of whom EET {eet}, in touch {in_touch}, suitable \
             accommodation {suitable}",
            r.oc3.len(),
            older.len()
        );
        total.0 += eet;
        total.1 += older.len();
    }
    let s = share(total.0, total.1);
    eprintln!("care leavers aged 19-21 in EET: {s:.3} of {}", total.1);
    assert!((0.45..=0.70).contains(&s), "{s}");
}
