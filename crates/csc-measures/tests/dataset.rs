//! The multi-year merge (spec 2.1) and the 2.2 columns, one test per rule.

use csc_measures::quality::IssueCode;
use csc_measures::records::{
    Assessment, CareEpisode, CinChild, CinEpisode, CinReturn, CpPlan, Header, Missing, Review,
    RowOrigin, Section47, Ssda903Return, Uasc,
};
use csc_measures::{Dataset, DatasetBuilder, Day, ErrorKind};
use proptest::prelude::*;

fn d(s: &str) -> Day {
    s.parse().unwrap()
}

fn ep(
    child: &str,
    decom: &str,
    dec: Option<&str>,
    rne: &str,
    place: &str,
    rec: &str,
) -> CareEpisode {
    CareEpisode {
        child: child.into(),
        decom: d(decom),
        dec: dec.map(d),
        rne: rne.into(),
        ls: "C2".into(),
        cin: "N1".into(),
        place: place.into(),
        place_provider: "PR1".into(),
        rec: rec.into(),
        urn: "SC000001".into(),
        pl_post: "AB12CD".into(),
        ..CareEpisode::default()
    }
}

fn ssda(year: i32, eps: Vec<CareEpisode>) -> Ssda903Return {
    let mut r = Ssda903Return::default();
    r.source.collection_year = Some(year);
    r.source.files = vec![format!("{year}/episodes.csv").into()];
    for (i, mut e) in eps.into_iter().enumerate() {
        e.origin = RowOrigin::new(0, i as u32 + 2);
        r.episodes.push(e);
    }
    r
}

fn codes(ds: &Dataset) -> Vec<&'static str> {
    ds.issues().iter().map(|i| i.code.as_str()).collect()
}

fn decs(ds: &Dataset) -> Vec<Option<Day>> {
    ds.care_episodes().dec.clone()
}

#[test]
fn normalisation_trims_and_upper_cases_codes_and_reports_unknown_ones() {
    let mut e = ep(" 001 ", "2023-05-01", None, " s", "u1", "");
    e.pl_post = " ab1 2cd ".into();
    e.ls = "c9".into();
    let ds = DatasetBuilder::new()
        .ssda903(ssda(2024, vec![e]))
        .build()
        .unwrap();
    assert_eq!(ds.children(), ["001"]);
    let t = ds.care_episodes();
    assert_eq!(
        (
            t.rne[0].as_str(),
            t.place[0].as_str(),
            t.pl_post[0].as_str()
        ),
        ("S", "U1", "AB12CD")
    );
    let unknown = &ds.issues()[0];
    assert_eq!(unknown.code, IssueCode::UnknownCode);
    let loc = unknown.location.as_ref().unwrap();
    assert_eq!(
        loc.to_string(),
        "2024/episodes.csv:2 column LS value \"C9\""
    );
    assert_eq!(t.ls[0], "C9");
}

#[test]
fn rows_without_a_child_are_skipped_with_an_issue_and_strict_refuses_them() {
    let r = ssda(
        2024,
        vec![
            ep("  ", "2023-05-01", None, "S", "U1", ""),
            ep("A", "2023-05-01", None, "S", "U1", ""),
        ],
    );
    let ds = DatasetBuilder::new().ssda903(r.clone()).build().unwrap();
    assert_eq!(ds.care_episodes().len(), 1);
    assert_eq!(codes(&ds), ["missing_identifier"]);
    let err = DatasetBuilder::new()
        .strict(true)
        .ssda903(r)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality);
    assert!(
        err.to_string().starts_with(
            "2024/episodes.csv:2: strict mode stops at the first problem: [missing_identifier]"
        ),
        "{err}"
    );
}

#[test]
fn reversed_care_episode_is_dropped_and_a_late_dec_reported() {
    let r = ssda(
        2024,
        vec![
            ep("A", "2023-05-01", Some("2023-04-01"), "S", "U1", "E13"),
            ep("B", "2023-05-01", Some("2024-04-02"), "S", "U1", "E13"),
        ],
    );
    let ds = DatasetBuilder::new().ssda903(r).build().unwrap();
    assert_eq!(ds.children(), ["A", "B"]);
    assert_eq!(ds.care_episodes().len(), 1);
    assert_eq!(codes(&ds), ["reversed_interval", "date_after_return_end"]);
}

#[test]
fn ssda903_collection_year_defaults_to_the_latest_decom() {
    let mut r = ssda(
        2024,
        vec![
            ep("A", "2021-05-01", None, "S", "U1", ""),
            ep("B", "2023-04-01", None, "S", "U1", ""),
        ],
    );
    r.source.collection_year = None;
    let ds = DatasetBuilder::new().ssda903(r).build().unwrap();
    assert_eq!(ds.returns()[0].collection_year, Some(2024));
    // and the earliest year's start is the data start: A's S episode is not truncated anyway
    assert!(ds.periods_of_care().iter().all(|p| !p.history_truncated));
}

#[test]
fn identical_rows_collapse_and_different_rows_sharing_a_key_are_kept() {
    let a = ep("A", "2023-05-01", Some("2023-06-01"), "S", "U1", "E13");
    let mut b = a.clone();
    b.place = "U2".into();
    let ds = DatasetBuilder::new()
        .ssda903(ssda(2024, vec![a.clone(), a.clone(), b]))
        .build()
        .unwrap();
    assert_eq!(ds.care_episodes().len(), 2);
    let c = codes(&ds);
    assert!(
        c.contains(&"duplicate_row") && c.contains(&"duplicate_key"),
        "{c:?}"
    );
}

#[test]
fn a_later_return_replaces_a_key_as_a_group() {
    let y1 = ssda(
        2023,
        vec![
            ep("A", "2022-05-01", Some("2022-06-01"), "S", "U1", "E13"),
            ep("A", "2022-05-01", Some("2022-06-01"), "S", "U2", "E13"), // duplicate key in 2023
        ],
    );
    let y2 = ssda(
        2024,
        vec![ep("A", "2022-05-01", Some("2022-07-01"), "S", "U3", "E13")],
    );
    let ds = DatasetBuilder::new()
        .ssda903(y1)
        .ssda903(y2)
        .build()
        .unwrap();
    assert_eq!(ds.care_episodes().len(), 1);
    assert_eq!(ds.care_episodes().place[0], "U3");
    assert_eq!(ds.care_episodes().dec[0], Some(d("2022-07-01")));
    assert_eq!(
        ds.files()[ds.care_episodes().source[0].file as usize].as_ref(),
        "2024/episodes.csv"
    );
}

#[test]
fn same_collection_year_twice_the_later_wins_and_is_reported() {
    let first = ssda(2024, vec![ep("A", "2023-05-01", None, "S", "U1", "")]);
    let second = ssda(2024, vec![ep("A", "2023-05-01", None, "S", "U9", "")]);
    let ds = DatasetBuilder::new()
        .ssda903(first.clone())
        .ssda903(second.clone())
        .build()
        .unwrap();
    assert_eq!(ds.care_episodes().place[0], "U9");
    assert!(codes(&ds).contains(&"duplicate_collection_year"));
    let err = DatasetBuilder::new()
        .strict(true)
        .ssda903(first)
        .ssda903(second)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality);
}

#[test]
fn stitching_drops_an_open_episode_restated_by_the_next_return() {
    // 2023 has an open episode; the 2024 return holds the child but restates the episode's DECOM.
    let y1 = ssda(2023, vec![ep("A", "2022-05-01", None, "S", "U1", "")]);
    let y2 = ssda(2024, vec![ep("A", "2022-05-02", None, "S", "U1", "")]);
    let ds = DatasetBuilder::new()
        .ssda903(y1)
        .ssda903(y2)
        .build()
        .unwrap();
    assert_eq!(ds.care_episodes().decom, vec![d("2022-05-02")]);
    assert_eq!(codes(&ds), ["superseded_open_record"]);
}

#[test]
fn stitching_closes_an_open_episode_of_a_child_absent_from_the_next_return() {
    let y1 = ssda(2023, vec![ep("A", "2022-05-01", None, "S", "U1", "")]);
    let y2 = ssda(2024, vec![ep("B", "2023-05-02", None, "S", "U1", "")]);
    let ds = DatasetBuilder::new()
        .ssda903(y1)
        .ssda903(y2)
        .build()
        .unwrap();
    let a = ds.child_index("A").unwrap();
    let r = ds.care_episodes().of_child(a).start;
    assert_eq!(ds.care_episodes().dec[r], Some(d("2023-04-01")));
    assert_eq!(ds.care_episodes().rec[r], "");
    assert_eq!(codes(&ds), ["not_resubmitted_closed"]);
    // no consecutive year: nothing is stitched
    let alone = DatasetBuilder::new()
        .ssda903(ssda(2022, vec![ep("A", "2021-05-01", None, "S", "U1", "")]))
        .ssda903(ssda(2024, vec![ep("B", "2023-05-02", None, "S", "U1", "")]))
        .build()
        .unwrap();
    assert_eq!(alone.care_episodes().dec, vec![None, None]);
}

#[test]
fn a_table_is_stitched_only_when_the_next_return_holds_it() {
    // Spec 2.7: an open missing incident of 2023, its child in the 2024 return.
    let open = Missing {
        child: "A".into(),
        missing: "M".into(),
        mis_start: d("2023-02-01"),
        ..Missing::default()
    };
    let build = |tables: Option<Vec<&str>>| {
        let mut y1 = ssda(
            2023,
            vec![ep("A", "2022-05-01", Some("2022-06-01"), "S", "U1", "")],
        );
        y1.missing.push(open.clone());
        let mut y2 = ssda(
            2024,
            vec![ep("A", "2023-05-01", Some("2023-06-01"), "S", "U1", "")],
        );
        y2.source.tables = tables.map(|t| t.into_iter().map(Into::into).collect());
        DatasetBuilder::new()
            .ssda903(y1)
            .ssda903(y2)
            .build()
            .unwrap()
    };
    // 2024 sent no Missing table: the incident is left as it stands.
    let ds = build(Some(vec!["Header", "Episodes"]));
    assert_eq!(ds.ssda903().missing.mis_end, vec![None]);
    assert!(!codes(&ds).contains(&"superseded_open_record"));
    // 2024 sent one (empty): the child is in it, so the open incident is superseded.
    let ds = build(Some(vec!["Header", "Episodes", "Missing"]));
    assert!(ds.ssda903().missing.is_empty());
    assert!(codes(&ds).contains(&"superseded_open_record"));
    // A return built in code without a list of tables holds every table.
    let ds = build(None);
    assert!(ds.ssda903().missing.is_empty());
}

#[test]
fn x1_gap_is_closed_unless_the_next_episode_is_a_new_entry() {
    let r = ssda(
        2024,
        vec![
            ep("A", "2023-05-01", Some("2023-05-10"), "S", "U1", "X1"),
            ep("A", "2023-05-12", Some("2023-06-01"), "P", "U2", "X1"),
            ep("A", "2023-06-05", None, "S", "U3", ""),
        ],
    );
    let ds = DatasetBuilder::new().ssda903(r).build().unwrap();
    assert_eq!(
        decs(&ds),
        vec![Some(d("2023-05-12")), Some(d("2023-06-01")), None]
    );
    assert_eq!(codes(&ds), ["x1_gap_closed"]);
    assert_eq!(ds.periods_of_care().len(), 2);
}

#[test]
fn open_episode_closed_and_overlap_truncated_set_x1_unless_next_is_s() {
    let r = ssda(
        2024,
        vec![
            ep("A", "2023-05-01", None, "S", "U1", ""),
            ep("A", "2023-06-01", Some("2023-08-01"), "P", "U2", "E13"),
            ep("A", "2023-07-01", Some("2023-09-01"), "S", "U3", "E13"),
        ],
    );
    let ds = DatasetBuilder::new().ssda903(r).build().unwrap();
    let t = ds.care_episodes();
    assert_eq!(
        t.dec,
        vec![
            Some(d("2023-06-01")),
            Some(d("2023-07-01")),
            Some(d("2023-09-01"))
        ]
    );
    assert_eq!(t.rec, ["X1", "E13", "E13"]); // the second's next is RNE S: REC left as it was
    assert_eq!(codes(&ds), ["open_episode_closed", "overlap_truncated"]);
}

#[test]
fn episode_order_puts_blank_dec_last_among_equal_decoms() {
    let r = ssda(
        2024,
        vec![
            ep("A", "2023-05-01", None, "S", "U1", ""),
            ep("A", "2023-05-01", Some("2023-05-01"), "S", "U2", "X1"),
        ],
    );
    let ds = DatasetBuilder::new().ssda903(r).build().unwrap();
    assert_eq!(ds.care_episodes().place, ["U2", "U1"]);
}

#[test]
fn short_breaks_are_kept_but_left_out_of_periods_and_placements() {
    let mut sb = ep("A", "2023-06-01", Some("2023-06-03"), "S", "U1", "E13");
    sb.ls = "V3".into();
    let r = ssda(
        2024,
        vec![
            ep("A", "2023-05-01", Some("2023-06-01"), "S", "U1", "X1"),
            sb,
            ep("A", "2023-06-01", None, "L", "U1", ""),
        ],
    );
    let ds = DatasetBuilder::new().ssda903(r).build().unwrap();
    let (t, c) = (ds.care_episodes(), ds.care());
    assert_eq!(t.ls[1], "V3");
    assert_eq!(c.short_break, vec![false, true, false]);
    assert_eq!(c.period, vec![0, u32::MAX, 0]);
    assert_eq!(c.new_placement, vec![true, false, false]);
    assert_eq!(
        c.placement_start,
        vec![d("2023-05-01"), d("2023-06-01"), d("2023-05-01")]
    );
    assert_eq!(ds.summary().placements, 1);
    assert_eq!(ds.summary().periods_of_care, 1);
}

#[test]
fn history_truncated_and_rne_inconsistent_are_reported() {
    let y = ssda(
        2024,
        vec![
            ep("A", "2020-05-01", None, "P", "U1", ""), // before 2023-04-01 with RNE P
            ep("B", "2023-05-01", None, "P", "U1", ""), // inside the years with RNE P
        ],
    );
    let ds = DatasetBuilder::new().ssda903(y).build().unwrap();
    assert!(ds.periods_of_care()[0].history_truncated);
    assert!(!ds.periods_of_care()[1].history_truncated);
    assert_eq!(codes(&ds), ["history_truncated", "rne_inconsistent"]);
}

#[test]
fn child_fields_from_the_latest_return_with_blanks_filled_and_dob_changes_reported() {
    let header = |year: i32, dob: Option<&str>, sex: &str| {
        let mut r = ssda(year, vec![]);
        r.headers.push(Header {
            child: "A".into(),
            dob: dob.map(d),
            sex: sex.into(),
            ..Header::default()
        });
        r
    };
    let ds = DatasetBuilder::new()
        .ssda903(header(2022, Some("2010-01-01"), "1"))
        .ssda903(header(2023, Some("2010-01-02"), "2"))
        .ssda903(header(2024, None, ""))
        .build()
        .unwrap();
    let h = ds.headers();
    assert_eq!(h.len(), 1);
    assert_eq!(h.dob[0], Some(d("2010-01-02")));
    assert_eq!(h.sex[0], "2");
    assert_eq!(codes(&ds), ["child_field_changed"]);
}

#[test]
fn dob_after_care_start_is_reported() {
    let mut r = ssda(2024, vec![ep("A", "2023-05-01", None, "S", "U1", "")]);
    r.headers.push(Header {
        child: "A".into(),
        dob: Some(d("2023-06-01")),
        ..Header::default()
    });
    let ds = DatasetBuilder::new().ssda903(r).build().unwrap();
    assert_eq!(codes(&ds), ["dob_after_care_start"]);
}

fn cin_return(year: i32) -> CinReturn {
    let mut r = CinReturn::default();
    r.source.collection_year = Some(year);
    r.source.files = vec![format!("cin{year}.xml").into()];
    r
}

fn cin_ep(child: &str, referral: &str, closure: Option<&str>) -> CinEpisode {
    CinEpisode {
        child: child.into(),
        referral_date: d(referral),
        closure_date: closure.map(d),
        ..CinEpisode::default()
    }
}

fn plan(child: &str, referral: &str, start: &str, end: Option<&str>) -> CpPlan {
    CpPlan {
        child: child.into(),
        episode_referral_date: d(referral),
        start_date: Some(d(start)),
        end_date: end.map(d),
        ..CpPlan::default()
    }
}

#[test]
fn cin_stitching_closes_episodes_and_plans_and_drops_assessments() {
    let mut y1 = cin_return(2023);
    y1.children.push(CinChild {
        child: "A".into(),
        ..CinChild::default()
    });
    y1.episodes.push(cin_ep("A", "2022-06-01", None));
    y1.plans.push(plan("A", "2022-06-01", "2022-07-01", None));
    y1.assessments.push(Assessment {
        child: "A".into(),
        episode_referral_date: d("2022-06-01"),
        start_date: Some(d("2022-06-02")),
        ..Assessment::default()
    });
    y1.section47s.push(Section47 {
        child: "A".into(),
        episode_referral_date: d("2022-06-01"),
        start_date: Some(d("2022-06-03")),
        ..Section47::default()
    });
    let mut y2 = cin_return(2024);
    y2.episodes.push(cin_ep("B", "2023-06-01", None));
    let ds = DatasetBuilder::new().cin(y1).cin(y2).build().unwrap();
    assert_eq!(ds.cin_episodes().closure_date[0], Some(d("2023-04-01")));
    assert_eq!(ds.cp_plans().end_date[0], Some(d("2023-04-01")));
    assert!(ds.assessments().is_empty());
    assert_eq!(ds.section47s().len(), 1); // never stitched
    let mut c = codes(&ds);
    c.sort_unstable();
    assert_eq!(
        c,
        [
            "not_resubmitted_closed",
            "not_resubmitted_closed",
            "superseded_open_record"
        ]
    );
}

#[test]
fn cin_year_comes_from_the_reference_date() {
    let mut r = cin_return(2024);
    r.source.collection_year = None;
    r.source.reference_date = Some(d("2024-03-31"));
    r.episodes.push(cin_ep("A", "2023-06-01", None));
    let ds = DatasetBuilder::new().cin(r).build().unwrap();
    assert_eq!(ds.returns()[0].collection_year, Some(2024));
}

#[test]
fn cpp_overlap_and_open_after_cin_closed_are_reported() {
    let mut r = cin_return(2024);
    r.episodes
        .push(cin_ep("A", "2023-04-10", Some("2023-09-01")));
    r.plans
        .push(plan("A", "2023-04-10", "2023-05-01", Some("2023-10-01"))); // after closure
    r.plans
        .push(plan("A", "2023-04-10", "2023-08-01", Some("2023-08-20"))); // overlaps the first
    let ds = DatasetBuilder::new().cin(r).build().unwrap();
    let mut c = codes(&ds);
    c.sort_unstable();
    assert_eq!(c, ["cpp_overlap", "open_after_cin_closed"]);
}

#[test]
fn more_tables_are_kept_and_a_repeated_return_replaces_them() {
    let mut r = ssda(2024, vec![]);
    r.reviews.push(Review {
        child: "A".into(),
        review: d("2023-06-01"),
        review_code: "pn1".into(),
        origin: RowOrigin::new(0, 2),
        ..Review::default()
    });
    r.uasc.push(Uasc {
        child: "B".into(),
        duc: Some(d("2025-01-01")),
        ..Uasc::default()
    });
    let once = DatasetBuilder::new().ssda903(r.clone()).build().unwrap();
    let twice = DatasetBuilder::new()
        .ssda903(r.clone())
        .ssda903(r)
        .build()
        .unwrap();
    // Reviews are merged by key: the later return of the year replaces the earlier's rows.
    assert_eq!(once.ssda903().reviews.len(), 1);
    assert_eq!(twice.ssda903().reviews.len(), 1);
    assert_eq!(once.ssda903().reviews.review_code[0], "PN1");
    // UASC rows belong to their return (spec 2.5): each return keeps its own.
    assert_eq!(once.ssda903().uasc.len(), 1);
    assert_eq!(twice.ssda903().uasc.len(), 2);
    assert_eq!(once.children(), ["A", "B"]);
}

#[test]
fn dataset_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Dataset>();
}

/// The care episodes as records, without where they came from.
fn rows(ds: &Dataset) -> Vec<CareEpisode> {
    let t = ds.care_episodes();
    (0..t.len())
        .map(|i| CareEpisode {
            origin: RowOrigin::default(),
            ..t.row(i, ds.children())
        })
        .collect()
}

fn arb_episodes() -> impl Strategy<Value = Vec<CareEpisode>> {
    let one = (
        0u8..4,
        0i32..900,
        proptest::option::of(0i32..200),
        0usize..4,
        0usize..3,
        proptest::bool::ANY,
    )
        .prop_map(|(c, start, len, rne, place, x1)| {
            let decom = d("2021-04-01").add_days(start);
            let mut e = ep(
                &format!("C{c}"),
                "2021-04-01",
                None,
                ["S", "P", "L", "T"][rne],
                ["U1", "T0", "U2"][place],
                if x1 { "X1" } else { "E13" },
            );
            e.decom = decom;
            e.dec = len.map(|l| decom.add_days(l));
            if e.dec.is_none() {
                e.rec = "".into();
            }
            e
        });
    proptest::collection::vec(one, 0..30)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn record_order_does_not_change_the_dataset(eps in arb_episodes(), seed in 0u64..1000) {
        let mut shuffled = eps.clone();
        // a deterministic shuffle
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let strip = |ds: &Dataset| (ds.care_episodes().decom.clone(), ds.care_episodes().dec.clone(), ds.care().clone(), ds.periods_of_care().to_vec());
        let a = DatasetBuilder::new().ssda903(Ssda903Return { episodes: eps, ..ssda(2024, vec![]) }).build().unwrap();
        let b = DatasetBuilder::new().ssda903(Ssda903Return { episodes: shuffled, ..ssda(2024, vec![]) }).build().unwrap();
        // Equal-keyed rows keep their file order, so compare what the measures read: the sorted,
        // repaired dates and the derived columns, when no two rows of a child share a DECOM.
        let mut keys: Vec<_> = a.care_episodes().child.iter().zip(&a.care_episodes().decom).collect();
        let n = keys.len();
        keys.dedup();
        if keys.len() == n {
            prop_assert_eq!(strip(&a), strip(&b));
        }
    }

    #[test]
    fn loading_the_same_return_twice_changes_nothing(eps in arb_episodes()) {
        let r = ssda(2024, eps);
        let once = DatasetBuilder::new().ssda903(r.clone()).build().unwrap();
        let twice = DatasetBuilder::new().ssda903(r.clone()).ssda903(r).build().unwrap();
        prop_assert_eq!(rows(&once), rows(&twice));
        prop_assert_eq!(once.care(), twice.care());
        prop_assert_eq!(once.periods_of_care(), twice.periods_of_care());
    }

    #[test]
    fn every_non_short_break_episode_is_in_one_period_and_each_period_starts_a_placement(eps in arb_episodes()) {
        let ds = DatasetBuilder::new().ssda903(ssda(2024, eps)).build().unwrap();
        for p in ds.periods_of_care() {
            prop_assert!(ds.care().new_placement[p.first_episode as usize]);
        }
        prop_assert!(ds.care().period.iter().all(|&p| (p as usize) < ds.periods_of_care().len()));
        // after the repairs no episode overlaps the next one of the same child
        let t = ds.care_episodes();
        for i in 1..t.len() {
            if t.child[i] == t.child[i - 1] {
                prop_assert!(t.dec[i - 1].is_some_and(|e| e <= t.decom[i]));
            }
        }
    }
}

#[test]
fn review_dates_join_across_returns_and_cin_plans_are_checked_against_their_episode() {
    // Spec 2.4: reviews are the distinct dates under the plan's key in every return together;
    // `open_after_cin_closed` covers CIN plans.
    let plan = |year_reviews: &[&str]| CpPlan {
        child: "A".into(),
        episode_referral_date: d("2022-05-01"),
        start_date: Some(d("2022-06-01")),
        review_dates: year_reviews.iter().map(|r| d(r)).collect(),
        ..Default::default()
    };
    let episode = CinEpisode {
        child: "A".into(),
        referral_date: d("2022-05-01"),
        closure_date: Some(d("2023-12-01")),
        ..Default::default()
    };
    let mut y2023 = CinReturn::default();
    y2023.source.collection_year = Some(2023);
    y2023.episodes.push(episode.clone());
    y2023.plans.push(plan(&["2022-08-20", "2023-02-10"]));
    let mut y2024 = CinReturn::default();
    y2024.source.collection_year = Some(2024);
    y2024.episodes.push(episode);
    y2024.plans.push(plan(&["2023-08-01", "2022-08-20"]));
    y2024.cin_plans.push(csc_measures::records::CinPlan {
        child: "A".into(),
        episode_referral_date: d("2022-05-01"),
        start_date: Some(d("2023-06-01")),
        ..Default::default()
    });
    let ds = DatasetBuilder::new().cin(y2023).cin(y2024).build().unwrap();
    let plans = ds.cp_plans();
    assert_eq!(plans.len(), 1);
    assert_eq!(
        plans.review_dates[0],
        vec![d("2022-08-20"), d("2023-02-10"), d("2023-08-01")]
    );
    let cin_plan_issues: Vec<_> = ds
        .issues()
        .iter()
        .filter(|i| i.code == IssueCode::OpenAfterCinClosed)
        .map(|i| i.message.as_str())
        .collect();
    assert!(
        cin_plan_issues
            .iter()
            .any(|m| m.starts_with("CIN plan open after")),
        "{cin_plan_issues:?}"
    );
}

#[test]
fn a_code_outside_its_collection_years_is_reported_and_kept() {
    // Spec 5.1 code sets: K3 is valid from 2024-25, E43 to 2017-18, H5 to 2024-25.
    let codes_in = |year: i32, place: &str, rec: &str| {
        let mut e = ep(
            "A",
            &format!("{}-05-01", year - 1),
            Some(&format!("{}-06-01", year - 1)),
            "S",
            place,
            rec,
        );
        e.ls = "C2".into();
        let ds = DatasetBuilder::new()
            .ssda903(ssda(year, vec![e]))
            .build()
            .unwrap();
        let t = ds.care_episodes();
        assert_eq!((t.place[0].as_str(), t.rec[0].as_str()), (place, rec));
        ds.issues()
            .iter()
            .filter(|i| i.code == IssueCode::UnknownCode)
            .map(|i| i.message.clone())
            .collect::<Vec<_>>()
    };
    let early = codes_in(2024, "K3", "E13");
    assert_eq!(early.len(), 1, "{early:?}");
    assert!(
        early[0].contains("valid from 2024-25, not in the 2023-24 return"),
        "{early:?}"
    );
    assert!(codes_in(2025, "K3", "E13").is_empty());
    assert!(codes_in(2018, "U1", "E43").is_empty());
    assert_eq!(codes_in(2019, "U1", "E43").len(), 1);
    assert_eq!(codes_in(2026, "H5", "E13").len(), 1);
}
