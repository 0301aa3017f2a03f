//! Properties of every CIN measure on arbitrary returns (spec 6 and issue 4): record order does not
//! change results; numerator <= denominator; computing per child and summing equals the whole;
//! loading the same return twice changes nothing.

use csc_measures::measure::{MeasureId, Options, compute_many};
use csc_measures::records::{Assessment, CinEpisode, CinReturn, CpPlan, Section47};
use csc_measures::result::{MeasureResult, ValueKind};
use csc_measures::{DatasetBuilder, Day, Period};
use proptest::prelude::*;

fn day(n: i32) -> Day {
    Day::from_ymd(2021, 4, 1).unwrap().add_days(n)
}

fn opt_day() -> impl Strategy<Value = Option<Day>> {
    prop_oneof![1 => Just(None), 6 => (0i32..1100).prop_map(|n| Some(day(n)))]
}

fn cin_return() -> impl Strategy<Value = CinReturn> {
    let child = (0u8..6).prop_map(|c| format!("C{c:02}"));
    let episode = (
        child.clone(),
        0i32..1100,
        opt_day(),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(c, r, cl, nfa)| CinEpisode {
            child: c.into(),
            referral_date: day(r),
            closure_date: cl,
            referral_nfa: nfa,
            ..CinEpisode::default()
        });
    let assessment =
        (child.clone(), 0i32..1100, opt_day(), opt_day()).prop_map(|(c, r, s, a)| Assessment {
            child: c.into(),
            episode_referral_date: day(r),
            start_date: s,
            authorisation_date: a,
            ..Assessment::default()
        });
    let s47 =
        (child.clone(), 0i32..1100, opt_day(), opt_day()).prop_map(|(c, r, s, i)| Section47 {
            child: c.into(),
            episode_referral_date: day(r),
            start_date: s,
            icpc_date: i,
            ..Section47::default()
        });
    let plan = (
        child,
        0i32..1100,
        opt_day(),
        opt_day(),
        proptest::option::of(0u32..3),
    )
        .prop_map(|(c, r, s, e, n)| CpPlan {
            child: c.into(),
            episode_referral_date: day(r),
            start_date: s,
            end_date: e,
            previous_plans: n,
            ..CpPlan::default()
        });
    (
        proptest::collection::vec(episode, 0..12),
        proptest::collection::vec(assessment, 0..12),
        proptest::collection::vec(s47, 0..8),
        proptest::collection::vec(plan, 0..10),
    )
        .prop_map(|(episodes, assessments, section47s, plans)| {
            let mut r = CinReturn {
                episodes,
                assessments,
                section47s,
                plans,
                ..CinReturn::default()
            };
            r.source.collection_year = Some(2024);
            r
        })
}

fn results(ret: CinReturn, twice: bool) -> Vec<MeasureResult> {
    let mut b = DatasetBuilder::new();
    if twice {
        b.add_cin(ret.clone());
    }
    b.add_cin(ret);
    let ds = b.build().unwrap();
    compute_many(
        &ds,
        &[],
        Period::financial_year(2024).unwrap(),
        &Options::default(),
    )
}

/// The comparable part of a result: counts, value, exclusions, warnings and rows.
fn key(r: &MeasureResult) -> String {
    format!(
        "{} {:?} {:?} {:?} {:?} {:?} {:?}",
        r.id, r.numerator, r.denominator, r.value, r.excluded, r.warnings, r.rows
    )
}

fn reverse(mut r: CinReturn) -> CinReturn {
    r.episodes.reverse();
    r.assessments.reverse();
    r.section47s.reverse();
    r.plans.reverse();
    r
}

fn only_child(r: &CinReturn, child: &str) -> CinReturn {
    let mut out = r.clone();
    out.episodes.retain(|x| x.child == child);
    out.assessments.retain(|x| x.child == child);
    out.section47s.retain(|x| x.child == child);
    out.plans.retain(|x| x.child == child);
    out
}

fn cin_measures() -> impl Iterator<Item = MeasureId> {
    MeasureId::ALL.iter().copied()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn record_order_does_not_change_results(ret in cin_return()) {
        let a: Vec<String> = results(ret.clone(), false).iter().map(key).collect();
        let b: Vec<String> = results(reverse(ret), false).iter().map(key).collect();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn loading_the_same_return_twice_changes_nothing(ret in cin_return()) {
        let a: Vec<String> = results(ret.clone(), false).iter().map(key).collect();
        let b: Vec<String> = results(ret, true).iter().map(key).collect();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn numerator_never_exceeds_denominator(ret in cin_return()) {
        for r in results(ret, false) {
            if let (Some(n), Some(d)) = (r.numerator, r.denominator) {
                if r.value_kind() == ValueKind::Percentage {
                    prop_assert!(n <= d, "{}: {n} > {d}", r.id);
                    prop_assert_eq!(r.value.is_none(), d == 0);
                }
            }
        }
    }

    #[test]
    fn per_child_results_sum_to_the_whole(ret in cin_return()) {
        let whole = results(ret.clone(), false);
        let mut children: Vec<String> = ret.episodes.iter().map(|e| e.child.to_string())
            .chain(ret.assessments.iter().map(|e| e.child.to_string()))
            .chain(ret.section47s.iter().map(|e| e.child.to_string()))
            .chain(ret.plans.iter().map(|e| e.child.to_string()))
            .collect();
        children.sort();
        children.dedup();
        let parts: Vec<Vec<MeasureResult>> = children.iter().map(|c| results(only_child(&ret, c), false)).collect();
        for (k, id) in cin_measures().enumerate() {
            let w = &whole[k];
            prop_assert_eq!(w.id, id);
            let num: u64 = parts.iter().map(|p| p[k].numerator.unwrap_or(0)).sum();
            let den: u64 = parts.iter().map(|p| p[k].denominator.unwrap_or(0)).sum();
            prop_assert_eq!(w.numerator.unwrap_or(0), num, "{} numerator", id);
            prop_assert_eq!(w.denominator.unwrap_or(0), den, "{} denominator", id);
            let rows: usize = parts.iter().map(|p| p[k].rows.len()).sum();
            prop_assert_eq!(w.rows.len(), rows, "{} rows", id);
        }
    }
}

mod cla {
    use super::*;
    use csc_measures::records::{Ad1, CareEpisode, Header, Ssda903Return};

    fn episode() -> impl Strategy<Value = CareEpisode> {
        let places = ["U1", "U2", "T0", "A3", "A4", "A5", "K2"];
        let recs = ["X1", "X1", "E11", "E12", "E13", ""];
        (
            0u8..5,
            0i32..1500,
            proptest::option::of(0i32..400),
            0usize..6,
            0usize..7,
            0usize..6,
            0usize..5,
        )
            .prop_map(move |(c, start, len, rne, place, rec, ls)| {
                let decom = day(start - 300);
                let dec = len.map(|l| decom.add_days(l));
                CareEpisode {
                    child: format!("K{c}").into(),
                    decom,
                    dec,
                    rne: ["S", "P", "L", "T", "U", "B"][rne].into(),
                    ls: ["C2", "E1", "D1", "V3", "C1"][ls].into(),
                    place: places[place].into(),
                    rec: if dec.is_some() {
                        recs[rec].into()
                    } else {
                        "".into()
                    },
                    urn: format!("U{}", place % 3).into(),
                    ..CareEpisode::default()
                }
            })
    }

    fn ssda903_return() -> impl Strategy<Value = Ssda903Return> {
        (
            proptest::collection::vec(episode(), 0..25),
            proptest::collection::vec((0u8..5, 0i32..1500), 0..6),
            proptest::collection::vec((0u8..5, 0i32..3000), 0..5),
        )
            .prop_map(|(episodes, ad1, dobs)| {
                let mut r = Ssda903Return {
                    episodes,
                    ..Ssda903Return::default()
                };
                r.source.collection_year = Some(2024);
                r.ad1 = ad1
                    .into_iter()
                    .map(|(c, m)| Ad1 {
                        child: format!("K{c}").into(),
                        date_match: Some(day(m - 300)),
                        ..Ad1::default()
                    })
                    .collect();
                r.headers = dobs
                    .into_iter()
                    .map(|(c, d)| Header {
                        child: format!("K{c}").into(),
                        dob: Some(day(-d)),
                        ..Header::default()
                    })
                    .collect();
                r.headers.sort_by(|a, b| a.child.cmp(&b.child));
                r.headers.dedup_by(|a, b| a.child == b.child);
                r
            })
    }

    fn results(r: Ssda903Return, twice: bool) -> Vec<MeasureResult> {
        let mut b = DatasetBuilder::new();
        if twice {
            b.add_ssda903(r.clone());
        }
        b.add_ssda903(r);
        let ds = b.build().unwrap();
        compute_many(
            &ds,
            &[],
            Period::financial_year(2024).unwrap(),
            &Options::default(),
        )
    }

    fn get(rs: &[MeasureResult], id: MeasureId) -> &MeasureResult {
        rs.iter().find(|r| r.id == id).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn a10_never_exceeds_a1_per_adoption(r in ssda903_return()) {
            let rs = results(r, false);
            let (a1, a10) = (get(&rs, MeasureId::AdoptionA1), get(&rs, MeasureId::AdoptionA10));
            prop_assert_eq!(a1.rows.len(), a10.rows.len());
            for (x, y) in a1.rows.iter().zip(&a10.rows) {
                prop_assert_eq!(&x.child, &y.child);
                prop_assert_eq!(x.reason, y.reason);
                if let (Some(v1), Some(v10)) = (x.value, y.value) {
                    prop_assert!(v10 <= v1, "A10 {} > A1 {}", v10, v1);
                    prop_assert!(v10 >= 0);
                }
            }
        }

        #[test]
        fn every_child_in_the_stability_cohort_has_a_placement(r in ssda903_return()) {
            let rs = results(r, false);
            let s = get(&rs, MeasureId::Stability3plusPlacements);
            let cla = get(&rs, MeasureId::ClaAtEnd);
            prop_assert_eq!(s.denominator, cla.numerator);
            for row in &s.rows {
                prop_assert!(row.value.is_some_and(|v| v >= 1));
            }
        }

        #[test]
        fn order_and_loading_twice_do_not_change_results(r in ssda903_return()) {
            let a: Vec<String> = results(r.clone(), false).iter().map(key).collect();
            let twice: Vec<String> = results(r.clone(), true).iter().map(key).collect();
            prop_assert_eq!(&a, &twice);
            let mut rev = r;
            rev.episodes.reverse();
            rev.ad1.reverse();
            // Equal (child, DECOM) keys keep file order, which a reversal changes; only compare
            // when every key is distinct.
            let mut keys: Vec<_> = rev.episodes.iter().map(|e| (e.child.clone(), e.decom)).collect();
            keys.sort();
            let n = keys.len();
            keys.dedup();
            if keys.len() == n {
                let b: Vec<String> = results(rev, false).iter().map(key).collect();
                prop_assert_eq!(a, b);
            }
        }
    }
}
