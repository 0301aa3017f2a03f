//! The build does not depend on the order rows come in: the same returns with each table's rows
//! shuffled build the same dataset, and the children and who appears in each return are what a
//! plain reading of the returns says. The builder finds a child's number quickly when tables list
//! their children in one order, and falls back on a look-up when they do not: these tests feed it
//! both.

use std::collections::BTreeSet;

use csc_measures::records::{CinReturn, RowOrigin, Ssda903Return};
use csc_measures::schema::{Record, VisitRowsMut};
use csc_measures::{Dataset, DatasetBuilder};

/// A small deterministic random stream (64-bit LCG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Gives every row of a table a line of its own, so that no two rows of a return tie on origin.
struct Lines;

impl VisitRowsMut for Lines {
    fn rows<R: Record>(&mut self, rows: &mut Vec<R>) {
        for (i, r) in rows.iter_mut().enumerate() {
            r.set_origin(RowOrigin::new(0, i as u32 + 2));
        }
    }
}

/// Shuffles every table's rows.
struct Shuffle(Rng);

impl VisitRowsMut for Shuffle {
    fn rows<R: Record>(&mut self, rows: &mut Vec<R>) {
        for i in (1..rows.len()).rev() {
            let j = self.0.below(i + 1);
            rows.swap(i, j);
        }
    }
}

/// Synthetic returns with a few problems of each kind the build repairs or reports, every row on
/// a line of its own.
fn returns() -> (Vec<CinReturn>, Vec<Ssda903Return>) {
    let s = csc_synth::generate(&csc_synth::Config {
        children: 3_000,
        ..csc_synth::Config::default()
    });
    let mut rng = Rng(11);
    let (mut cin, mut ssda) = (s.cin, s.ssda903);
    for r in &mut ssda {
        let mut extra = Vec::new();
        for e in &mut r.episodes {
            match rng.below(40) {
                0 => e.dec = None,
                1 => extra.push(e.clone()),
                2 => e.place = format!(" {} ", e.place.to_lowercase()).into(),
                3 => e.child = format!("  {}  ", e.child).into(),
                4 => e.child = "".into(),
                5 => e.dec = e.dec.map(|d| d.add_days(20)),
                6 => e.ls = "V3".into(),
                _ => {}
            }
        }
        r.episodes.extend(extra);
        let mut extra = Vec::new();
        for h in &mut r.headers {
            match rng.below(30) {
                0 => h.dob = h.dob.map(|d| d.add_days(40)),
                1 => extra.push(h.clone()),
                _ => {}
            }
        }
        r.headers.extend(extra);
        r.visit_mut(&mut Lines);
    }
    for r in &mut cin {
        let mut extra = Vec::new();
        for e in &mut r.episodes {
            match rng.below(30) {
                0 => e.closure_date = None,
                1 => extra.push(e.clone()),
                2 => e.primary_need = " n2".into(),
                _ => {}
            }
        }
        r.episodes.extend(extra);
        for p in &mut r.plans {
            if rng.below(20) == 0 {
                p.end_date = None;
            }
        }
        r.visit_mut(&mut Lines);
    }
    (cin, ssda)
}

fn build(cin: Vec<CinReturn>, ssda: Vec<Ssda903Return>) -> Dataset {
    let mut b = DatasetBuilder::new();
    for r in cin {
        b.add_cin(r);
    }
    for r in ssda {
        b.add_ssda903(r);
    }
    b.build().unwrap()
}

/// Everything a dataset holds but its issues, as text.
fn tables(ds: &Dataset) -> String {
    let appears: Vec<Vec<u32>> = (0..ds.returns().len())
        .map(|r| {
            (0..ds.children().len() as u32)
                .filter(|&c| ds.appears_in(r, c))
                .collect()
        })
        .collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{appears:?}",
        ds.children(),
        ds.cin(),
        ds.ssda903(),
        ds.care(),
        ds.periods_of_care(),
        ds.returns(),
    )
}

/// The issues as a sorted list: rows shuffled are reported in their new order where the build
/// reports them as it reads them (unknown codes, rows without a child).
fn issues(ds: &Dataset) -> Vec<String> {
    let mut v: Vec<String> = ds.issues().iter().map(|i| format!("{i:?}")).collect();
    v.sort();
    v
}

#[test]
fn shuffled_rows_build_the_same_dataset() {
    let (cin, ssda) = returns();
    let a = build(cin.clone(), ssda.clone());
    let (mut cin2, mut ssda2) = (cin, ssda);
    let mut shuffle = Shuffle(Rng(5));
    for r in &mut cin2 {
        r.visit_mut(&mut shuffle);
    }
    for r in &mut ssda2 {
        r.visit_mut(&mut shuffle);
    }
    // The families' returns in reverse too (the merge order is by collection year).
    cin2.reverse();
    ssda2.reverse();
    let b = build(cin2, ssda2);
    assert!(
        a.issues().len() > 100,
        "the returns have problems to report"
    );
    assert_eq!(tables(&a), tables(&b));
    assert_eq!(issues(&a), issues(&b));
}

/// Collects the trimmed identifiers of every row (`.0`) and of the rows of tables that make a
/// child appear in its return (`.1`).
struct Ids<'a>(&'a mut BTreeSet<String>, &'a mut BTreeSet<String>);

impl VisitRowsMut for Ids<'_> {
    fn rows<R: Record>(&mut self, rows: &mut Vec<R>) {
        for row in rows.iter() {
            let id = row.child().trim();
            if !id.is_empty() {
                self.0.insert(id.to_owned());
                if R::SCHEMA.appears {
                    self.1.insert(id.to_owned());
                }
            }
        }
    }
}

#[test]
fn children_and_appearances_are_those_of_the_returns() {
    let (cin, ssda) = returns();
    // Every return given twice as many children as it lists: their rows shuffled in one table
    // and not another, so that the tables of a return disagree on the order of its children.
    let mut shuffle = Shuffle(Rng(9));
    let (mut cin, mut ssda) = (cin, ssda);
    for r in cin.iter_mut().step_by(2) {
        shuffle.rows(&mut r.episodes);
    }
    for r in ssda.iter_mut().step_by(2) {
        shuffle.rows(&mut r.headers);
    }
    // What a plain reading says: the trimmed identifiers of every row, and per return those of
    // the tables that make a child appear (spec 2.7: any CIN census table; SSDA903 Header and
    // Episodes), as the return was given.
    let mut all: BTreeSet<String> = BTreeSet::new();
    let mut expected: Vec<BTreeSet<String>> = Vec::new();
    for r in &cin {
        let mut seen = BTreeSet::new();
        r.clone().visit_mut(&mut Ids(&mut all, &mut seen));
        expected.push(seen);
    }
    for r in &ssda {
        let mut seen = BTreeSet::new();
        r.clone().visit_mut(&mut Ids(&mut all, &mut seen));
        expected.push(seen);
    }
    let ds = build(cin, ssda);
    let children: Vec<&str> = ds
        .children()
        .iter()
        .map(compact_str::CompactString::as_str)
        .collect();
    assert_eq!(children, all.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(ds.returns().len(), expected.len());
    for (r, want) in expected.iter().enumerate() {
        let got: BTreeSet<String> = (0..children.len() as u32)
            .filter(|&c| ds.appears_in(r, c))
            .map(|c| children[c as usize].to_owned())
            .collect();
        assert_eq!(*want, got, "return {r}");
    }
}

#[test]
fn identifiers_long_alike_or_prefixes_of_one_another_sort_in_byte_order() {
    use csc_measures::records::{CareEpisode, Header};
    let ids = [
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ-0001",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ-0000",
        "ABCDEFGHIJKLMNOP",
        "ABCDEFGHIJKLMNOPQ",
        "ABCDEFGHIJKLMNO",
        "A",
        "Ä1",
        "a1",
        "ABCDEFGHIJKLMNOP\u{0}",
        "B",
    ];
    let mut r = Ssda903Return::default();
    r.source.collection_year = Some(2024);
    for (i, id) in ids.iter().enumerate() {
        let day = csc_measures::Day::from_ymd(2023, 5, 1 + i as u32).unwrap();
        r.headers.push(Header {
            child: format!(" {id} ").into(),
            ..Header::default()
        });
        r.episodes.push(CareEpisode {
            child: (*id).into(),
            decom: day,
            rne: "S".into(),
            ls: "C2".into(),
            place: "U1".into(),
            ..CareEpisode::default()
        });
    }
    // The episodes in the other order from the headers.
    r.episodes.reverse();
    let ds = DatasetBuilder::new().ssda903(r).build().unwrap();
    let mut want: Vec<&str> = ids.to_vec();
    want.sort_unstable();
    let got: Vec<&str> = ds
        .children()
        .iter()
        .map(compact_str::CompactString::as_str)
        .collect();
    assert_eq!(got, want);
    for (c, id) in want.iter().enumerate() {
        assert_eq!(ds.child_index(id), Some(c as u32));
        assert_eq!(ds.care_episodes().of_child(c as u32).len(), 1, "{id}");
        assert_eq!(ds.headers().of_child(c as u32).len(), 1, "{id}");
        assert!(ds.appears_in(0, c as u32));
    }
}
