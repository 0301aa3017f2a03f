//! Writing a return's tables and reading them back gives the same return (apart from where its
//! rows came from), for synthetic returns and for hand-made ones holding every table and kind.

mod common;

use std::sync::Arc;

use arrow_array::builder::{GenericListBuilder, Int64Builder, LargeStringBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int32Type};
use arrow_array::{Array, ArrayRef, DictionaryArray, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use common::day;
use csc_arrow::{
    ReadReturn, ReturnInput, cin_tables, read, schema_of, ssda903_tables, table_batch,
};
use csc_measures::records::{
    Ad1, Assessment, CareEpisode, CinChild, CinEpisode, CinPlan, CinReturn, CpPlan, Header,
    Missing, Oc2, Oc3, PlacedAdoption, PrevPerm, ReturnKind, ReturnSource, Review, RowOrigin,
    Section47, Ssda903Return, SwEpisode, Uasc,
};
use csc_measures::schema::{self, FieldKind, Record, VisitRowsMut};
use proptest::prelude::*;

/// Clears every row's origin.
struct NoOrigin;

impl VisitRowsMut for NoOrigin {
    fn rows<R: Record>(&mut self, rows: &mut Vec<R>) {
        for r in rows {
            r.set_origin(RowOrigin::default());
        }
    }
}

/// What a return read back from its tables should be: no origins, no files, and the tables it
/// holds named (every table of its kind when it did not say).
fn expected_source(s: &ReturnSource, kind: ReturnKind) -> ReturnSource {
    let tables = s
        .tables
        .clone()
        .unwrap_or_else(|| schema::tables(kind).map(|t| t.name.into()).collect());
    ReturnSource {
        files: Vec::new(),
        tables: Some(tables),
        ..s.clone()
    }
}

fn plain_cin(mut r: CinReturn) -> CinReturn {
    r.visit_mut(&mut NoOrigin);
    r.source.files.clear();
    r
}

fn plain_ssda903(mut r: Ssda903Return) -> Ssda903Return {
    r.visit_mut(&mut NoOrigin);
    r.source.files.clear();
    r
}

fn read_one(
    kind: ReturnKind,
    year: Option<i32>,
    tables: Vec<(&'static str, RecordBatch)>,
) -> ReadReturn {
    let mut got = read(
        vec![ReturnInput::from_batches(Some(kind), year, tables)],
        true,
    )
    .expect("read back");
    assert_eq!(got.len(), 1);
    let r = got.pop().unwrap();
    // Nothing about the reading; a generated plan or episode may end before it starts, which the
    // CIN reader reports as data (`reversed_dates`) and keeps as it stands.
    assert!(
        r.issues()
            .iter()
            .all(|i| i.code == csc_measures::quality::IssueCode::ReversedDates),
        "{:?}",
        r.issues()
    );
    r
}

fn cin_round_trip(r: &CinReturn, retype: bool) {
    let mut tables = cin_tables(r);
    if retype {
        tables = tables
            .into_iter()
            .map(|(n, b)| (n, other_types(&b)))
            .collect();
    }
    let ReadReturn::Cin(got) = read_one(ReturnKind::Cin, r.source.collection_year, tables) else {
        panic!("not a CIN census return");
    };
    let mut want = plain_cin(r.clone());
    want.source = expected_source(&r.source, ReturnKind::Cin);
    assert_eq!(plain_cin(got.ret), want);
}

fn ssda903_round_trip(r: &Ssda903Return, retype: bool) {
    let mut tables = ssda903_tables(r);
    if retype {
        tables = tables
            .into_iter()
            .map(|(n, b)| (n, other_types(&b)))
            .collect();
    }
    let ReadReturn::Ssda903(got) = read_one(ReturnKind::Ssda903, r.source.collection_year, tables)
    else {
        panic!("not an SSDA903 return");
    };
    let mut want = plain_ssda903(r.clone());
    want.source = expected_source(&r.source, ReturnKind::Ssda903);
    assert_eq!(plain_ssda903(got.ret), want);
}

#[test]
fn synthetic_returns_round_trip() {
    let s = csc_synth::generate(&csc_synth::Config {
        children: 600,
        ..Default::default()
    });
    assert!(s.cin.iter().map(CinReturn::rows).sum::<usize>() > 500);
    assert!(s.ssda903.iter().map(Ssda903Return::rows).sum::<usize>() > 100);
    for r in &s.cin {
        cin_round_trip(r, false);
    }
    for r in &s.ssda903 {
        ssda903_round_trip(r, false);
    }
}

fn d(s: &str) -> csc_measures::Day {
    day(s)
}

#[allow(clippy::too_many_lines)] // one literal per table
fn hand_made_cin() -> CinReturn {
    let mut r = CinReturn {
        source: ReturnSource {
            collection_year: Some(2024),
            reference_date: Some(d("2024-03-31")),
            ..ReturnSource::default()
        },
        ..CinReturn::default()
    };
    r.children = vec![
        CinChild {
            child: "A1".into(),
            upn: "UPN1".into(),
            birth_date: Some(d("2015-02-28")),
            expected_birth_date: None,
            sex: "1".into(),
            death_date: None,
            ethnicity: "WBRI".into(),
            disabilities: vec!["HAND".into(), "VIS".into()],
            ..CinChild::default()
        },
        CinChild {
            child: "B2".into(),
            expected_birth_date: Some(d("2024-05-01")),
            death_date: Some(d("2024-01-01")),
            ..CinChild::default()
        },
    ];
    r.episodes = vec![
        CinEpisode {
            child: "A1".into(),
            referral_date: d("2023-04-03"),
            referral_source: "1A".into(),
            primary_need: "N1".into(),
            closure_date: Some(d("2024-01-31")),
            reason_for_closure: "RC1".into(),
            initial_cpc_date: Some(d("2023-05-01")),
            referral_nfa: Some(false),
            ..CinEpisode::default()
        },
        CinEpisode {
            child: "B2".into(),
            referral_date: d("2023-09-30"),
            referral_nfa: Some(true),
            ..CinEpisode::default()
        },
        CinEpisode {
            child: "B2".into(),
            referral_date: d("2024-02-29"),
            ..CinEpisode::default()
        },
    ];
    r.assessments = vec![
        Assessment {
            child: "A1".into(),
            episode_referral_date: d("2023-04-03"),
            start_date: Some(d("2023-04-04")),
            internal_review_date: Some(d("2023-04-20")),
            authorisation_date: Some(d("2023-05-30")),
            factors: vec!["2A".into(), "3B".into()],
            ..Assessment::default()
        },
        Assessment {
            child: "B2".into(),
            episode_referral_date: d("2023-09-30"),
            ..Assessment::default()
        },
    ];
    r.section47s = vec![
        Section47 {
            child: "A1".into(),
            episode_referral_date: d("2023-04-03"),
            start_date: Some(d("2023-04-05")),
            icpc_target_date: Some(d("2023-04-26")),
            icpc_date: Some(d("2023-04-25")),
            icpc_not_required: Some(false),
            ..Section47::default()
        },
        Section47 {
            child: "B2".into(),
            episode_referral_date: d("2023-09-30"),
            icpc_not_required: Some(true),
            ..Section47::default()
        },
    ];
    r.plans = vec![
        CpPlan {
            child: "A1".into(),
            episode_referral_date: d("2023-04-03"),
            start_date: Some(d("2023-05-01")),
            end_date: Some(d("2024-01-15")),
            initial_category: "NEG".into(),
            latest_category: "EMO".into(),
            previous_plans: Some(0),
            review_dates: vec![d("2023-07-01"), d("2023-12-01")],
            ..CpPlan::default()
        },
        CpPlan {
            child: "B2".into(),
            episode_referral_date: d("2023-09-30"),
            previous_plans: Some(3),
            ..CpPlan::default()
        },
        CpPlan {
            child: "B2".into(),
            episode_referral_date: d("2024-02-29"),
            start_date: Some(d("2024-03-01")),
            ..CpPlan::default()
        },
    ];
    r.cin_plans = vec![
        CinPlan {
            child: "A1".into(),
            episode_referral_date: d("2023-04-03"),
            start_date: Some(d("2023-06-01")),
            end_date: Some(d("2023-12-31")),
            ..CinPlan::default()
        },
        CinPlan {
            child: "B2".into(),
            episode_referral_date: d("2023-09-30"),
            start_date: None,
            end_date: None,
            ..CinPlan::default()
        },
    ];
    r
}

#[allow(clippy::too_many_lines)] // one literal per table
fn hand_made_ssda903() -> Ssda903Return {
    let mut r = Ssda903Return {
        source: ReturnSource {
            collection_year: Some(2024),
            ..ReturnSource::default()
        },
        ..Ssda903Return::default()
    };
    r.headers = vec![
        Header {
            child: "C1".into(),
            sex: "1".into(),
            dob: Some(d("2010-01-01")),
            ethnic: "WBRI".into(),
            upn: "U1".into(),
            mother: "1".into(),
            mc_dob: Some(d("2023-12-25")),
            ..Header::default()
        },
        Header {
            child: "C2".into(),
            ..Header::default()
        },
    ];
    r.episodes = vec![
        CareEpisode {
            child: "C1".into(),
            decom: d("2023-04-01"),
            rne: "S".into(),
            ls: "C2".into(),
            cin: "N1".into(),
            place: "U1".into(),
            place_provider: "PR1".into(),
            dec: Some(d("2023-08-01")),
            rec: "E11".into(),
            reason_place_change: "CARPL".into(),
            home_post: "AB1 2CD".into(),
            pl_post: "EF34GH".into(),
            urn: "SC123456".into(),
            ..CareEpisode::default()
        },
        CareEpisode {
            child: "C2".into(),
            decom: d("2024-03-31"),
            ..CareEpisode::default()
        },
    ];
    r.ad1 = vec![Ad1 {
        child: "C1".into(),
        dob: Some(d("2010-01-01")),
        date_int: Some(d("2023-05-01")),
        date_match: Some(d("2023-06-01")),
        foster_care: "0".into(),
        nb_adoptr: "1".into(),
        sex_adoptr: "MF".into(),
        ls_adoptr: "L0".into(),
        ..Ad1::default()
    }];
    r.placed_adoption = vec![PlacedAdoption {
        child: "C1".into(),
        dob: None,
        date_placed: Some(d("2023-05-02")),
        date_placed_ceased: Some(d("2023-09-01")),
        reason_placed_ceased: "E1".into(),
        ..PlacedAdoption::default()
    }];
    r.reviews = vec![
        Review {
            child: "C1".into(),
            dob: Some(d("2010-01-01")),
            review: d("2023-05-15"),
            review_code: "PN1".into(),
            ..Review::default()
        },
        Review {
            child: "C2".into(),
            review: d("2023-06-15"),
            ..Review::default()
        },
    ];
    r.uasc = vec![Uasc {
        child: "C2".into(),
        sex: "2".into(),
        dob: Some(d("2007-07-07")),
        duc: Some(d("2025-07-07")),
        ..Uasc::default()
    }];
    r.oc2 = vec![
        Oc2 {
            child: "C1".into(),
            dob: Some(d("2010-01-01")),
            sdq_score: Some(0),
            sdq_reason: "SDQ1".into(),
            convicted: Some(false),
            health_check: Some(true),
            immunisations: None,
            teeth_check: Some(true),
            health_assessment: Some(false),
            substance_misuse: None,
            intervention_received: Some(false),
            intervention_offered: Some(true),
            ..Oc2::default()
        },
        Oc2 {
            child: "C2".into(),
            sdq_score: Some(40),
            ..Oc2::default()
        },
    ];
    r.oc3 = vec![Oc3 {
        child: "C2".into(),
        dob: Some(d("2005-01-01")),
        in_touch: "YES".into(),
        activ: "F2".into(),
        accom: "S".into(),
        ..Oc3::default()
    }];
    r.prev_perm = vec![PrevPerm {
        child: "C1".into(),
        dob: Some(d("2010-01-01")),
        prev_perm: "Z1".into(),
        la_perm: "LA".into(),
        date_perm: Some(d("2020-01-01")),
        ..PrevPerm::default()
    }];
    r.missing = vec![
        Missing {
            child: "C1".into(),
            dob: None,
            missing: "M".into(),
            mis_start: d("2023-06-01"),
            mis_end: Some(d("2023-06-02")),
            ..Missing::default()
        },
        Missing {
            child: "C1".into(),
            missing: "A".into(),
            mis_start: d("2024-03-30"),
            ..Missing::default()
        },
    ];
    r.sw_episodes = vec![SwEpisode {
        child: "C1".into(),
        dob: Some(d("2010-01-01")),
        sw_id: "SW9".into(),
        sw_decom: d("2023-04-01"),
        sw_dec: None,
        sw_reason: "MGRJB".into(),
        ..SwEpisode::default()
    }];
    r
}

/// Collects the names of the empty tables.
struct Empty<'a>(&'a mut Vec<&'static str>);
impl csc_measures::schema::VisitRows for Empty<'_> {
    fn rows<R: Record>(&mut self, rows: &[R]) {
        if rows.is_empty() {
            self.0.push(R::SCHEMA.name);
        }
    }
}

#[test]
fn hand_made_returns_of_every_table_and_kind_round_trip() {
    let (c, s) = (hand_made_cin(), hand_made_ssda903());
    // Every table has rows, so that each is written and read.
    let mut empty = Vec::new();
    c.visit(&mut Empty(&mut empty));
    s.visit(&mut Empty(&mut empty));
    assert!(empty.is_empty(), "{empty:?}");
    for retype in [false, true] {
        cin_round_trip(&c, retype);
        ssda903_round_trip(&s, retype);
    }
}

#[test]
fn a_return_holding_some_tables_is_written_and_read_back_as_such() {
    let mut s = hand_made_ssda903();
    s.source.tables = Some(vec!["Episodes".into(), "Missing".into()]);
    s.reviews.clear();
    s.headers.clear();
    s.ad1.clear();
    s.placed_adoption.clear();
    s.uasc.clear();
    s.oc2.clear();
    s.oc3.clear();
    s.prev_perm.clear();
    s.sw_episodes.clear();
    let names: Vec<_> = ssda903_tables(&s).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Episodes", "Missing"]);
    ssda903_round_trip(&s, false);
    let mut c = hand_made_cin();
    c.source.tables = Some(vec![]);
    c.children.clear();
    c.episodes.clear();
    c.assessments.clear();
    c.section47s.clear();
    c.plans.clear();
    c.cin_plans.clear();
    let names: Vec<_> = cin_tables(&c).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Header"]);
    cin_round_trip(&c, false);
}

#[test]
fn output_tables_follow_the_schema() {
    let s = hand_made_ssda903();
    let names: Vec<_> = ssda903_tables(&s).into_iter().map(|(n, _)| n).collect();
    let want: Vec<_> = schema::tables(ReturnKind::Ssda903)
        .map(|t| t.name)
        .collect();
    assert_eq!(names, want);
    let c = cin_tables(&hand_made_cin());
    assert_eq!(c[0].0, "Header");
    assert_eq!(c[0].1.num_rows(), 1);
    assert_eq!(c[1].0, "Child");
    for t in schema::TABLES {
        let sc = schema_of(t);
        assert_eq!(sc.fields().len(), t.fields.len(), "{}", t.name);
        for (a, f) in sc.fields().iter().zip(t.fields) {
            assert_eq!(a.name(), f.column);
            let want = match f.kind {
                FieldKind::Child => (DataType::Utf8, false),
                FieldKind::Text | FieldKind::Code { .. } | FieldKind::Postcode => {
                    (DataType::Utf8, true)
                }
                FieldKind::ParentKey => (DataType::Date32, false),
                FieldKind::Date(role) => (
                    DataType::Date32,
                    !matches!(role, schema::DateRole::Required(_)),
                ),
                FieldKind::Flag(_) => (DataType::Boolean, true),
                FieldKind::Count | FieldKind::Score(_) => (DataType::Int64, true),
                FieldKind::Codes(_) => (DataType::new_list(DataType::Utf8, true), false),
                FieldKind::Dates => (DataType::new_list(DataType::Date32, true), false),
            };
            assert_eq!(
                (a.data_type().clone(), a.is_nullable()),
                want,
                "{}.{}",
                t.name,
                f.column
            );
        }
        // Each table, by its name and by each alias, is read from an empty batch of its schema.
        for name in std::iter::once(&t.name).chain(t.aliases) {
            let b = RecordBatch::new_empty(Arc::new(sc.clone()));
            let got = read(
                vec![ReturnInput::from_batches(None, None, [(*name, b)])],
                true,
            )
            .unwrap();
            assert_eq!(got.len(), 1, "{name}");
            assert_eq!(got[0].kind(), t.family);
            assert_eq!(
                got[0].source().tables.as_deref(),
                Some(&[t.name.into()][..]),
                "{name}"
            );
        }
    }
    // A blank text is the empty string, an unknown count null.
    let b = table_batch(&[Oc2 {
        child: "A".into(),
        ..Oc2::default()
    }]);
    let reason = b.column_by_name("SDQ_REASON").unwrap().as_string::<i32>();
    assert!(reason.is_valid(0) && reason.value(0).is_empty());
    assert!(b.column_by_name("SDQ_SCORE").unwrap().is_null(0));
}

/// The same batch with other Arrow types of the kinds a frame library gives: text as a dictionary
/// or a large string, dates as `DD/MM/YYYY` text, counts as floats, flags as 1 and 0, lists as
/// large lists of large strings or of text dates.
fn other_types(b: &RecordBatch) -> RecordBatch {
    let mut fields = Vec::new();
    let mut cols: Vec<ArrayRef> = Vec::new();
    for (i, (f, c)) in b.schema().fields().iter().zip(b.columns()).enumerate() {
        let a: ArrayRef = match c.data_type() {
            DataType::Utf8 if i % 2 == 0 => {
                let s = c.as_string::<i32>();
                Arc::new(s.iter().collect::<DictionaryArray<Int32Type>>())
            }
            DataType::Utf8 => {
                let s = c.as_string::<i32>();
                Arc::new(s.iter().collect::<arrow_array::LargeStringArray>())
            }
            DataType::Date32 => {
                let dates = c.as_primitive::<Date32Type>();
                Arc::new(
                    dates
                        .iter()
                        .map(|v| v.map(dmy))
                        .collect::<arrow_array::StringArray>(),
                )
            }
            DataType::Int64 => {
                let n = c.as_primitive::<arrow_array::types::Int64Type>();
                Arc::new(
                    n.iter()
                        .map(|v| v.map(|v| v as f64))
                        .collect::<Float64Array>(),
                )
            }
            DataType::Boolean => {
                let mut o = Int64Builder::new();
                for v in c.as_boolean() {
                    o.append_option(v.map(i64::from));
                }
                Arc::new(o.finish())
            }
            DataType::List(item) if item.data_type() == &DataType::Utf8 => {
                let l = c.as_list::<i32>();
                let mut o = GenericListBuilder::<i64, _>::new(LargeStringBuilder::new());
                for row in l.iter() {
                    let row = row.unwrap();
                    for s in row.as_string::<i32>() {
                        o.values().append_option(s);
                    }
                    o.append(true);
                }
                Arc::new(o.finish())
            }
            DataType::List(_) => {
                let l = c.as_list::<i32>();
                let mut o = GenericListBuilder::<i32, _>::new(StringBuilder::new());
                for row in l.iter() {
                    let row = row.unwrap();
                    for v in row.as_primitive::<Date32Type>() {
                        o.values().append_option(v.map(dmy));
                    }
                    o.append(true);
                }
                Arc::new(o.finish())
            }
            other => panic!("no such column type in the output: {other}"),
        };
        fields.push(Field::new(f.name(), a.data_type().clone(), true));
        cols.push(a);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).unwrap()
}

fn dmy(days: i32) -> String {
    let (y, m, d) = csc_measures::Day::new(days).unwrap().to_ymd();
    format!("{d:02}/{m:02}/{y:04}")
}

fn arb_day() -> impl Strategy<Value = csc_measures::Day> {
    (0i32..40_000).prop_map(|n| csc_measures::Day::new(n).unwrap())
}

fn arb_text() -> impl Strategy<Value = compact_str::CompactString> {
    "([A-Za-z0-9]([A-Za-z0-9 /-]{0,10}[A-Za-z0-9])?)?".prop_map(Into::into)
}

prop_compose! {
    fn arb_plan()(
        child in "[A-Z0-9]{1,12}",
        episode in arb_day(),
        start in proptest::option::of(arb_day()),
        end in proptest::option::of(arb_day()),
        initial in arb_text(),
        previous in proptest::option::of(0u32..=u32::MAX),
        mut reviews in proptest::collection::vec(arb_day(), 0..4),
    ) -> CpPlan {
        reviews.sort_unstable();
        reviews.dedup();
        CpPlan {
            child: child.into(),
            episode_referral_date: episode,
            start_date: start,
            end_date: end,
            initial_category: initial,
            previous_plans: previous,
            review_dates: reviews,
            ..CpPlan::default()
        }
    }
}

prop_compose! {
    fn arb_oc2()(
        child in "[A-Z0-9]{1,12}",
        dob in proptest::option::of(arb_day()),
        score in 0u32..=40,
        flags in proptest::collection::vec(proptest::option::of(any::<bool>()), 8),
        reason in arb_text(),
    ) -> Oc2 {
        Oc2 {
            child: child.into(),
            dob,
            sdq_score: Some(score),
            sdq_reason: reason,
            convicted: flags[0],
            health_check: flags[1],
            immunisations: flags[2],
            teeth_check: flags[3],
            health_assessment: flags[4],
            substance_misuse: flags[5],
            intervention_received: flags[6],
            intervention_offered: flags[7],
            ..Oc2::default()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_rows_round_trip(
        plans in proptest::collection::vec(arb_plan(), 0..20),
        oc2 in proptest::collection::vec(arb_oc2(), 0..20),
        retype in any::<bool>(),
    ) {
        let c = CinReturn { plans, ..CinReturn::default() };
        cin_round_trip(&c, retype);
        let s = Ssda903Return { oc2, ..Ssda903Return::default() };
        ssda903_round_trip(&s, retype);
    }
}
