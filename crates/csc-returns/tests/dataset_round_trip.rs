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
    use std::fmt::Write as _;
    let c = ds.children();
    let mut out = String::new();
    macro_rules! rows {
        ($table:expr) => {
            for i in 0..$table.len() {
                let mut r = $table.row(i, c);
                r.origin = RowOrigin::default();
                let _ = writeln!(out, "{r:?}");
            }
        };
    }
    rows!(ds.care_episodes());
    rows!(ds.cin_episodes());
    rows!(ds.assessments());
    rows!(ds.section47s());
    rows!(ds.cp_plans());
    rows!(ds.headers());
    rows!(ds.ad1());
    rows!(ds.placed_adoption());
    let codes: Vec<&str> = ds.issues().iter().map(|i| i.code.as_str()).collect();
    let _ = writeln!(
        out,
        "{:?}\n{:?}\n{codes:?}",
        ds.care(),
        ds.periods_of_care()
    );
    out
}

#[test]
fn files_and_memory_build_the_same_dataset() {
    let config = csc_synth::Config {
        children: 800,
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
    for (c, s) in synthetic.cin.iter().zip(&synthetic.ssda903) {
        let year = c.source.collection_year.unwrap();
        let cin_path = dir.join(format!("cin{year}.xml"));
        cin::write_xml(c, std::fs::File::create(&cin_path).unwrap()).unwrap();
        let csv_dir = dir.join(format!("903_{year}"));
        std::fs::create_dir_all(&csv_dir).unwrap();
        ssda903::write_csv(s, &csv_dir).unwrap();
        let xml_path = dir.join(format!("903_{year}.xml"));
        ssda903::write_xml(s, std::fs::File::create(&xml_path).unwrap()).unwrap();

        let read_opts = ReadOptions {
            collection_year: Some(year),
            ..opts.clone()
        };
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
