//! `read(write(dataset)) == dataset`: the synthetic local authority written as real returns (CIN
//! census XML, SSDA903 CSV and XML) and read back builds the same dataset as the returns in memory.
//! The synthetic returns are given rows of every table of the schema (spec 2.3, 2.4), so that every
//! table goes through the writers, the readers and the merge of several years (spec 2.1, 2.7).

use std::path::PathBuf;

use csc_measures::records::{Missing, Oc2, Oc3, PrevPerm, Review, Ssda903Return, SwEpisode, Uasc};
use csc_measures::schema::{Columns, Record, VisitColumns};
use csc_measures::{Dataset, DatasetBuilder};
use csc_returns::{ReadOptions, cin, ssda903};

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("csc-returns-rt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every row of every table, one line each, without where the rows came from.
struct Rows<'a> {
    children: &'a [compact_str::CompactString],
    out: String,
}

impl VisitColumns for Rows<'_> {
    fn columns<C: Columns>(&mut self, table: &C) {
        use std::fmt::Write as _;
        let _ = writeln!(self.out, "{}: {} rows", C::Row::SCHEMA.name, table.len());
        for i in 0..table.len() {
            let mut r = table.row(i, self.children);
            r.set_origin(csc_measures::records::RowOrigin::default());
            let _ = writeln!(self.out, "{r:?}");
        }
    }
}

/// Everything a measure reads, without where the rows came from.
fn content(ds: &Dataset) -> String {
    use std::fmt::Write as _;
    let mut rows = Rows {
        children: ds.children(),
        out: String::new(),
    };
    ds.cin().visit(&mut rows);
    ds.ssda903().visit(&mut rows);
    let mut out = rows.out;
    let codes: Vec<&str> = ds.issues().iter().map(|i| i.code.as_str()).collect();
    let _ = writeln!(
        out,
        "{:?}\n{:?}\n{codes:?}",
        ds.care(),
        ds.periods_of_care()
    );
    out
}

/// The names of the tables without rows.
struct Empty(Vec<&'static str>);

impl VisitColumns for Empty {
    fn columns<C: Columns>(&mut self, table: &C) {
        if table.is_empty() {
            self.0.push(C::Row::SCHEMA.name);
        }
    }
}

/// Writes the synthetic returns (with rows of every SSDA903 table; the synthetic CIN returns hold
/// CIN plans), reads them back, and compares the datasets built from the files with the one built
/// in memory.
#[test]
fn files_and_memory_build_the_same_dataset() {
    let config = csc_synth::Config {
        children: 3000,
        first_year: 2021,
        last_year: 2024,
        seed: 3,
    };
    let synthetic = csc_synth::generate(&config);
    let dir = temp_dir("all");
    let opts = ReadOptions {
        strict: true,
        collection_year: None,
    };
    let mut from_csv = DatasetBuilder::new().strict(true);
    let mut from_xml = DatasetBuilder::new().strict(true);
    // The XML form has no SWEpisodes (spec 2.3): the XML files are compared with the returns
    // without them.
    let mut memory_xml = DatasetBuilder::new().strict(true);
    for (c, s) in synthetic.cin.iter().zip(&synthetic.ssda903) {
        let year = c.source.collection_year.unwrap();
        let cin_path = dir.join(format!("cin{year}.xml"));
        cin::write_xml(c, std::fs::File::create(&cin_path).unwrap()).unwrap();
        let csv_dir = dir.join(format!("903_{year}"));
        std::fs::create_dir_all(&csv_dir).unwrap();
        ssda903::write_csv(s, &csv_dir).unwrap();
        let mut without_sw = s.clone();
        without_sw.sw_episodes.clear();
        let xml_path = dir.join(format!("903_{year}.xml"));
        ssda903::write_xml(&without_sw, std::fs::File::create(&xml_path).unwrap()).unwrap();
        memory_xml.add_cin(c.clone());
        memory_xml.add_ssda903(without_sw);

        let read_opts = ReadOptions {
            collection_year: Some(year),
            ..opts.clone()
        };
        let cin_read = cin::read_xml(&cin_path, &read_opts).unwrap();
        assert!(cin_read.issues.is_empty(), "{:?}", cin_read.issues.first());
        from_csv.add_cin(cin_read.ret.clone());
        from_xml.add_cin(cin_read.ret);
        let csv_read = ssda903::read_dir(&csv_dir, &read_opts).unwrap();
        assert!(csv_read.issues.is_empty(), "{:?}", csv_read.issues.first());
        from_csv.add_ssda903(csv_read.ret);
        let xml_read = ssda903::read_xml(&xml_path, &read_opts).unwrap();
        assert!(xml_read.issues.is_empty(), "{:?}", xml_read.issues.first());
        from_xml.add_ssda903(xml_read.ret);
    }
    let memory = synthetic.into_builder().build().unwrap();
    let memory_xml = memory_xml.build().unwrap();
    let csv = from_csv.build().unwrap();
    let xml = from_xml.build().unwrap();
    assert!(memory.summary().care_episodes > 0 && memory.summary().cp_plans > 0);
    // Every table has rows, so that every table is compared.
    let mut empty = Empty(Vec::new());
    memory.cin().visit(&mut empty);
    memory.ssda903().visit(&mut empty);
    assert!(empty.0.is_empty(), "tables without rows: {:?}", empty.0);
    assert_eq!(
        memory.cin().cin_plans.len(),
        csv.cin().cin_plans.len(),
        "CIN plans"
    );
    assert_eq!(memory.summary(), csv.summary());
    assert_eq!(content(&memory), content(&csv));
    assert_eq!(memory_xml.summary(), xml.summary());
    assert_eq!(content(&memory_xml), content(&xml));
    let _ = std::fs::remove_dir_all(dir);
}

/// The rows of one table of the dataset, without their origins.
fn rows_of<C: Columns>(ds: &Dataset, table: &C) -> Vec<C::Row> {
    (0..table.len())
        .map(|i| {
            let mut r = table.row(i, ds.children());
            r.set_origin(csc_measures::records::RowOrigin::default());
            r
        })
        .collect()
}

/// The SSDA903 return of collection year `y` of one child `A`, with a row of every table: its text
/// fields `code`, its Missing and SWEpisodes rows ending on `end`.
fn one_year(y: i32, code: &str, end: &str) -> Ssda903Return {
    use csc_measures::Day;
    use csc_measures::records::{CareEpisode, Header};
    let day = |s: &str| s.parse::<Day>().unwrap();
    let mut s = Ssda903Return::default();
    let (child, dob) = (
        compact_str::CompactString::from("A"),
        Some(day("2010-01-01")),
    );
    s.headers.push(Header {
        child: child.clone(),
        dob,
        ..Header::default()
    });
    s.episodes.push(CareEpisode {
        child: child.clone(),
        decom: day(&format!("{}-05-01", y - 1)),
        ..CareEpisode::default()
    });
    // One review of its own each year, and one of 2023-06-01 in both.
    for review in [format!("{}-04-15", y - 1), "2023-06-01".to_owned()] {
        s.reviews.push(Review {
            child: child.clone(),
            dob,
            review: day(&review),
            review_code: code.into(),
            ..Review::default()
        });
    }
    s.missing.push(Missing {
        child: child.clone(),
        dob,
        missing: "M".into(),
        mis_start: day("2023-08-01"),
        mis_end: Some(day(end)),
        ..Missing::default()
    });
    s.sw_episodes.push(SwEpisode {
        child: child.clone(),
        dob,
        sw_id: code.into(),
        sw_decom: day("2023-04-01"),
        sw_dec: Some(day(end)),
        ..SwEpisode::default()
    });
    s.prev_perm.push(PrevPerm {
        child: child.clone(),
        dob,
        prev_perm: code.into(),
        ..PrevPerm::default()
    });
    s.uasc.push(Uasc {
        child: child.clone(),
        dob,
        duc: Some(day(&format!("{y}-01-01"))),
        ..Uasc::default()
    });
    s.oc2.push(Oc2 {
        child: child.clone(),
        dob,
        sdq_score: Some(u32::try_from(y - 2000).unwrap()),
        ..Oc2::default()
    });
    s.oc3.push(Oc3 {
        child,
        dob,
        activ: code.into(),
        ..Oc3::default()
    });
    s
}

#[test]
fn several_years_read_from_files_merge_table_by_table() {
    // Spec 2.3, "Several years": Reviews, Missing, SWEpisodes and PrevPerm merge by key (a key is
    // replaced as a group by the latest return that holds it); UASC, OC2 and OC3 rows belong to
    // their return.
    use csc_measures::Day;
    let day = |s: &str| s.parse::<Day>().unwrap();
    let dir = temp_dir("years");
    let mut builder = DatasetBuilder::new().strict(true);
    for (y, code, end) in [(2024, "PN1", "2023-08-02"), (2025, "PN2", "2023-08-03")] {
        let folder = dir.join(y.to_string());
        ssda903::write_csv(&one_year(y, code, end), &folder).unwrap();
        let opts = ReadOptions {
            strict: true,
            collection_year: Some(y),
        };
        let read = ssda903::read_dir(&folder, &opts).unwrap();
        assert!(read.issues.is_empty(), "{:?}", read.issues);
        builder.add_ssda903(read.ret);
    }
    let ds = builder.build().unwrap();
    let t = ds.ssda903();
    let reviews: Vec<(String, String)> = rows_of(&ds, &t.reviews)
        .into_iter()
        .map(|r| (r.review.to_string(), r.review_code.to_string()))
        .collect();
    assert_eq!(
        reviews,
        [
            ("2023-04-15".to_owned(), "PN1".to_owned()),
            ("2023-06-01".to_owned(), "PN2".to_owned()),
            ("2024-04-15".to_owned(), "PN2".to_owned()),
        ]
    );
    let missing = rows_of(&ds, &t.missing);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].mis_end, Some(day("2023-08-03")));
    let sw = rows_of(&ds, &t.sw_episodes);
    assert_eq!(
        sw.iter().map(|s| s.sw_id.as_str()).collect::<Vec<_>>(),
        ["PN2"]
    );
    let perm = rows_of(&ds, &t.prev_perm);
    assert_eq!(
        perm.iter()
            .map(|p| p.prev_perm.as_str())
            .collect::<Vec<_>>(),
        ["PN2"]
    );
    let mut ducs: Vec<Option<Day>> = rows_of(&ds, &t.uasc).iter().map(|u| u.duc).collect();
    ducs.sort();
    assert_eq!(ducs, [Some(day("2024-01-01")), Some(day("2025-01-01"))]);
    let mut scores: Vec<Option<u32>> = rows_of(&ds, &t.oc2).iter().map(|o| o.sdq_score).collect();
    scores.sort();
    assert_eq!(scores, [Some(24), Some(25)]);
    let mut activ: Vec<String> = rows_of(&ds, &t.oc3)
        .iter()
        .map(|o| o.activ.to_string())
        .collect();
    activ.sort();
    assert_eq!(activ, ["PN1", "PN2"]);
    let _ = std::fs::remove_dir_all(dir);
}
