//! The bodies of the fuzz targets in `fuzz_targets/`, kept here so the seed generator
//! (`seeds/`) and the targets agree on the input layouts.
//!
//! Every target asserts that nothing panics. With `CSC_FUZZ_PROPERTIES=1` in the environment they
//! also check properties that a correct reader has (each one says which below); a failed property
//! is a panic, so libFuzzer keeps the input like any other crash.

use std::io::BufReader;
use std::sync::{Arc, OnceLock};

use csc_measures::measure::{Options, compute_many};
use csc_measures::records::{CinReturn, ReturnKind, Ssda903Return};
use csc_measures::{DatasetBuilder, Error, Period, WorkingDays};
use csc_returns::{Read, ReadOptions, cin, ssda903};

pub mod value_tables;

/// Separates the parts of a `load_and_measure` input: the flags byte and the CIN XML come first,
/// then each SSDA903 CSV table after one of these.
pub const SEP: &[u8] = b"\n#903#\n";

fn properties() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("CSC_FUZZ_PROPERTIES").is_some_and(|v| v != "0"))
}

fn lenient() -> ReadOptions {
    ReadOptions::default()
}

fn strict() -> ReadOptions {
    ReadOptions {
        strict: true,
        ..ReadOptions::default()
    }
}

/// An error must say something.
fn check_error(e: &Error) {
    assert!(!e.message().is_empty(), "an error without a message: {e:?}");
}

/// `ssda903_csv`: the input is one CSV table file, read leniently and strictly with
/// [`ssda903::read_csv_bytes`].
///
/// Properties: a lenient read fails only where a strict one does; a strict read that succeeds reads
/// the same records as the lenient one.
pub fn ssda903_csv(data: &[u8]) {
    let file: Arc<str> = Arc::from("fuzz.csv");
    let mut lenient_read = Read::default();
    let l = ssda903::read_csv_bytes(file.clone(), data, &lenient(), &mut lenient_read);
    let mut strict_read = Read::default();
    let s = ssda903::read_csv_bytes(file, data, &strict(), &mut strict_read);
    for e in [l.as_ref().err(), s.as_ref().err()].into_iter().flatten() {
        check_error(e);
    }
    if properties() {
        if let Err(e) = &l {
            assert!(
                s.is_err(),
                "lenient read failed ({e}) but strict read succeeded"
            );
        }
        if s.is_ok() {
            assert!(l.is_ok());
            assert_eq!(
                strict_read.ret, lenient_read.ret,
                "strict and lenient records differ"
            );
        }
    }
}

/// `ssda903_xml`: the input is an SSDA903 XML file, read leniently and strictly with
/// [`ssda903::read_xml_bytes`].
///
/// Properties: as [`ssda903_csv`]; and what [`ssda903::write_xml`] writes of a lenient read is
/// read back without error and with the same episodes (in any order: the writer groups each
/// child's rows).
pub fn ssda903_xml(data: &[u8]) {
    let file: Arc<str> = Arc::from("fuzz.xml");
    let l = ssda903::read_xml_bytes(file.clone(), data, &lenient());
    let s = ssda903::read_xml_bytes(file, data, &strict());
    for e in [l.as_ref().err(), s.as_ref().err()].into_iter().flatten() {
        check_error(e);
    }
    if !properties() {
        return;
    }
    match (&l, &s) {
        (Err(e), Ok(_)) => panic!("lenient read failed ({e}) but strict read succeeded"),
        (Ok(l), Ok(s)) => assert_eq!(l.ret, s.ret, "strict and lenient records differ"),
        _ => {}
    }
    if let Ok(read) = &l {
        let mut out = Vec::new();
        if ssda903::write_xml(&read.ret, &mut out).is_ok() {
            let again = ssda903::read_xml_bytes(Arc::from("again.xml"), &out, &lenient())
                .unwrap_or_else(|e| {
                    panic!(
                        "what write_xml wrote does not read back: {e}\n{}",
                        String::from_utf8_lossy(&out)
                    )
                });
            // The writer groups a child's rows under one CHILD, so compare in a fixed order.
            let sorted = |r: &Ssda903Return| {
                let mut v: Vec<String> = strip_903(r)
                    .episodes
                    .iter()
                    .map(|e| format!("{e:?}"))
                    .collect();
                v.sort_unstable();
                v
            };
            assert_eq!(
                sorted(&again.ret),
                sorted(&read.ret),
                "episodes change through write_xml and read_xml_bytes"
            );
        }
    }
}

/// `cin_xml`: the input is a CIN census XML file, read leniently and strictly with
/// [`cin::read_xml_from`], from the whole slice and again through a reader that hands it over a
/// few bytes at a time (1 to 7, from the input's length).
///
/// Properties: as [`ssda903_csv`]; the chunked read gives exactly what the whole read gives
/// (issues and lines included); and what [`cin::write_xml`] writes of a lenient read reads back to
/// the same episodes, assessments, section 47 enquiries and plans.
pub fn cin_xml(data: &[u8]) {
    let file: Arc<str> = Arc::from("fuzz.xml");
    let l = cin::read_xml_from(file.clone(), data, &lenient());
    let s = cin::read_xml_from(file.clone(), data, &strict());
    let chunk = data.len() % 7 + 1;
    let c = cin::read_xml_from(file, BufReader::with_capacity(chunk, data), &lenient());
    for e in [l.as_ref().err(), s.as_ref().err(), c.as_ref().err()]
        .into_iter()
        .flatten()
    {
        check_error(e);
    }
    if !properties() {
        return;
    }
    // Known, reported: a second byte order mark after the first is dropped by quick-xml when it
    // arrives in one piece, and is text outside the root when it is split across reads.
    let known_double_bom = data.starts_with(b"\xEF\xBB\xBF\xEF");
    match (&l, &c) {
        _ if known_double_bom => {}
        (Ok(a), Ok(b)) => assert_eq!(a, b, "a chunked read differs (chunks of {chunk})"),
        (Err(a), Err(b)) => assert_eq!(
            (a.kind(), a.message(), a.location()),
            (b.kind(), b.message(), b.location()),
            "a chunked read fails differently (chunks of {chunk})"
        ),
        (a, b) => panic!(
            "a chunked read (chunks of {chunk}) gives {:?}, the whole read {:?}",
            b.as_ref().map(|_| ()),
            a.as_ref().map(|_| ())
        ),
    }
    match (&l, &s) {
        (Err(e), Ok(_)) => panic!("lenient read failed ({e}) but strict read succeeded"),
        (Ok(l), Ok(s)) => assert_eq!(l.ret, s.ret, "strict and lenient records differ"),
        _ => {}
    }
    if let Ok(read) = &l {
        let mut out = Vec::new();
        if cin::write_xml(&read.ret, &mut out).is_ok() {
            let again = cin::read_xml_from(Arc::from("again.xml"), out.as_slice(), &lenient())
                .unwrap_or_else(|e| {
                    panic!(
                        "what write_xml wrote does not read back: {e}\n{}",
                        String::from_utf8_lossy(&out)
                    )
                });
            let (a, b) = (strip_cin(&again.ret), strip_cin(&read.ret));
            assert_eq!(a.episodes.len(), b.episodes.len());
            assert_eq!(a.assessments.len(), b.assessments.len());
            assert_eq!(a.section47s.len(), b.section47s.len());
            assert_eq!(a.plans.len(), b.plans.len());
            if unique_keys(&read.ret) {
                assert_eq!(a.children, b.children, "children change through write_xml");
                assert_eq!(a.episodes, b.episodes, "episodes change through write_xml");
                assert_eq!(a.assessments, b.assessments);
                assert_eq!(a.section47s, b.section47s);
                assert_eq!(a.plans, b.plans);
            }
        }
    }
}

/// Children with distinct identifiers, and episodes with distinct (child, referral date): then the
/// writer's layout is the reader's, record for record.
fn unique_keys(r: &CinReturn) -> bool {
    let mut ids: Vec<&str> = r.children.iter().map(|c| c.child.as_str()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    let mut eps: Vec<_> = r
        .episodes
        .iter()
        .map(|e| (e.child.as_str(), e.referral_date))
        .collect();
    eps.sort_unstable();
    let m = eps.len();
    eps.dedup();
    ids.len() == n && eps.len() == m
}

/// Sets every row's origin to the default.
struct StripOrigins;

impl csc_measures::schema::VisitRowsMut for StripOrigins {
    fn rows<R: csc_measures::schema::Record>(&mut self, rows: &mut Vec<R>) {
        for r in rows {
            r.set_origin(csc_measures::records::RowOrigin::default());
        }
    }
}

/// The records without their origins or source.
fn strip_cin(r: &CinReturn) -> CinReturn {
    let mut r = r.clone();
    r.source = csc_measures::records::ReturnSource::default();
    r.visit_mut(&mut StripOrigins);
    r
}

/// The records without their origins or source.
fn strip_903(r: &Ssda903Return) -> Ssda903Return {
    let mut r = r.clone();
    r.source = csc_measures::records::ReturnSource::default();
    r.visit_mut(&mut StripOrigins);
    r
}

/// Splits `data` at every [`SEP`].
#[must_use]
pub fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(SEP.len()).position(|w| w == SEP) {
        parts.push(&rest[..i]);
        rest = &rest[i + SEP.len()..];
    }
    parts.push(rest);
    parts
}

/// `load_and_measure`: the whole pipeline on one CIN return and one SSDA903 return.
///
/// The input is a flags byte, a CIN census XML file, then [`SEP`] and an SSDA903 CSV table (the
/// episodes, say), then optionally more tables each after a [`SEP`] (at most 8). Flags: bit 0
/// strict mode, bit 1 both returns given collection year 2024, bits 2-3 the working-day
/// convention. Both returns are read, merged with [`DatasetBuilder`], and every measure is
/// computed with [`compute_many`] over the latest financial year loaded (and over the earliest
/// when it differs), and the results and issues are rendered as JSON. Nothing may panic.
pub fn load_and_measure(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let strict = flags & 1 != 0;
    let opts = ReadOptions {
        strict,
        collection_year: (flags & 2 != 0).then_some(2024),
    };
    let mut measure_opts = Options::default();
    let convention = WorkingDays::ALL[usize::from(flags >> 2 & 3) % WorkingDays::ALL.len()];
    measure_opts
        .set("working_days", convention.as_str())
        .expect("every convention is a value of working_days");

    let parts = split(rest);
    let mut builder = DatasetBuilder::new().strict(strict);
    match cin::read_xml_from(Arc::from("cin.xml"), parts[0], &opts) {
        Ok(read) => {
            builder.add_issues(read.issues);
            builder.add_cin(read.ret);
        }
        Err(e) => {
            check_error(&e);
            if strict {
                return;
            }
        }
    }
    if parts.len() > 1 {
        let mut read = Read::default();
        let mut ok = true;
        for (i, part) in parts[1..].iter().take(8).enumerate() {
            if let Err(e) =
                ssda903::read_csv_bytes(Arc::from(format!("903/{i}.csv")), part, &opts, &mut read)
            {
                check_error(&e);
                ok = false;
                break;
            }
        }
        if !ok && strict {
            return;
        }
        builder.add_issues(read.issues);
        builder.add_ssda903(read.ret);
    }
    let ds = match builder.build() {
        Ok(ds) => ds,
        Err(e) => {
            check_error(&e);
            return;
        }
    };
    let _ = ds.summary();
    let mut years = ds.collection_years(ReturnKind::Cin);
    years.extend(ds.collection_years(ReturnKind::Ssda903));
    years.sort_unstable();
    years.dedup();
    let (first, last) = match (years.first(), years.last()) {
        (Some(&f), Some(&l)) => (f, l),
        _ => (2024, 2024),
    };
    for year in [last, first]
        .into_iter()
        .take(if first == last { 1 } else { 2 })
    {
        let Ok(period) = Period::financial_year(year) else {
            continue;
        };
        let results = compute_many(&ds, &[], period, &measure_opts);
        for r in &results {
            std::hint::black_box(csc_api::render::json::result(r).to_string());
            std::hint::black_box(csc_api::render::text::value_text(r));
        }
        for i in ds.issues() {
            std::hint::black_box(csc_api::render::json::issue(i).to_string());
        }
    }
}

/// `value_tables`: tables as a host without Arrow hands them over, through the Arrow input path;
/// the input layout and the calls are [`value_tables::run`]'s. Then every result and issue is
/// rendered as JSON. Nothing may panic.
pub fn value_tables(data: &[u8]) {
    if let Some((ds, results)) = value_tables::run(data) {
        for r in &results {
            std::hint::black_box(csc_api::render::json::result(r).to_string());
        }
        for i in ds.issues() {
            std::hint::black_box(csc_api::render::json::issue(i).to_string());
        }
    }
}
