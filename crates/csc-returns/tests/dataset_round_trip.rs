//! `read(write(dataset)) == dataset`: the synthetic local authority written as real returns (CIN
//! census XML, SSDA903 CSV and XML) and read back builds the same dataset as the returns in memory.

use std::path::PathBuf;

use csc_measures::records::RowOrigin;
use csc_measures::{Dataset, DatasetBuilder};
use csc_returns::{ReadOptions, cin, ssda903};

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("csc-returns-rt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Everything a measure reads, without where the rows came from.
fn content(ds: &Dataset) -> String {
    let c = ds.children();
    let strip = |o: &mut RowOrigin| *o = RowOrigin::default();
    let mut out = String::new();
    for i in 0..ds.care_episodes().len() {
        let mut r = ds.care_episodes().row(i, c);
        strip(&mut r.origin);
        out.push_str(&format!("{r:?}\n"));
    }
    for i in 0..ds.cin_episodes().len() {
        let mut r = ds.cin_episodes().row(i, c);
        strip(&mut r.origin);
        out.push_str(&format!("{r:?}\n"));
    }
    for i in 0..ds.assessments().len() {
        let mut r = ds.assessments().row(i, c);
        strip(&mut r.origin);
        out.push_str(&format!("{r:?}\n"));
    }
    for i in 0..ds.section47s().len() {
        let mut r = ds.section47s().row(i, c);
        strip(&mut r.origin);
        out.push_str(&format!("{r:?}\n"));
    }
    for i in 0..ds.cp_plans().len() {
        let mut r = ds.cp_plans().row(i, c);
        strip(&mut r.origin);
        out.push_str(&format!("{r:?}\n"));
    }
    for i in 0..ds.headers().len() {
        let mut r = ds.headers().row(i, c);
        strip(&mut r.origin);
        out.push_str(&format!("{r:?}\n"));
    }
    for i in 0..ds.ad1().len() {
        let mut r = ds.ad1().row(i, c);
        strip(&mut r.origin);
        out.push_str(&format!("{r:?}\n"));
    }
    out.push_str(&format!("{:?}\n{:?}\n", ds.care(), ds.periods_of_care()));
    let codes: Vec<&str> = ds.issues().iter().map(|i| i.code.as_str()).collect();
    out.push_str(&format!("{codes:?}\n"));
    out
}

#[test]
fn files_and_memory_build_the_same_dataset() {
    let config = csc_synth::Config { children: 800, first_year: 2021, last_year: 2024, seed: 3 };
    let synthetic = csc_synth::generate(&config);
    let dir = temp_dir("all");
    let opts = ReadOptions { strict: true, collection_year: None };
    let mut from_csv = DatasetBuilder::new().strict(true);
    let mut from_xml = DatasetBuilder::new().strict(true);
    for (c, s) in synthetic.cin.iter().zip(&synthetic.ssda903) {
        let year = c.source.collection_year.unwrap();
        let cin_path = dir.join(format!("cin{year}.xml"));
        cin::write_xml(c, std::fs::File::create(&cin_path).unwrap()).unwrap();
        let csv_dir = dir.join(format!("903_{year}"));
        std::fs::create_dir_all(&csv_dir).unwrap();
        ssda903::write_csv(s, &csv_dir).unwrap();
        let xml_path = dir.join(format!("903_{year}.xml"));
        ssda903::write_xml(s, std::fs::File::create(&xml_path).unwrap()).unwrap();

        let read_opts = ReadOptions { collection_year: Some(year), ..opts.clone() };
        let cin_read = cin::read_xml(&cin_path, &read_opts).unwrap();
        assert!(cin_read.issues.is_empty(), "{:?}", cin_read.issues.first());
        from_csv.add_cin(cin_read.ret.clone());
        from_xml.add_cin(cin_read.ret);
        from_csv.add_ssda903(ssda903::read_dir(&csv_dir, &read_opts).unwrap().ret);
        from_xml.add_ssda903(ssda903::read_xml(&xml_path, &read_opts).unwrap().ret);
    }
    let memory = synthetic.into_builder().build().unwrap();
    let csv = from_csv.build().unwrap();
    let xml = from_xml.build().unwrap();
    assert!(memory.summary().care_episodes > 0 && memory.summary().cp_plans > 0);
    assert_eq!(memory.summary(), csv.summary());
    assert_eq!(content(&memory), content(&csv));
    assert_eq!(memory.summary(), xml.summary());
    assert_eq!(content(&memory), content(&xml));
    let _ = std::fs::remove_dir_all(dir);
}
