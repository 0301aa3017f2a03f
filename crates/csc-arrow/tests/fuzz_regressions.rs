//! No panic on tables of plain values: every input saved in `tests/fuzz-regressions/value_tables/`
//! (crashes the `value_tables` fuzz target of `fuzz/` finds, named `crash-*`, and a dozen of the
//! largest inputs of its first corpus, named `corpus-*`, which reach deep into the readers) is
//! replayed through the
//! target's own body, `fuzz/src/value_tables.rs`, included here as it is: the same decoding into
//! tables of [`csc_arrow::values::Value`]s, the same `csc_arrow::build`, population read and
//! `compute_many`. Each must return, or fail with an error whose message says something.
//!
//! A few hand-made inputs run too (an empty input, every table named once with every tag, a
//! table of 15 rows of lists), so the replay is exercised even before anything is saved.

use std::path::{Path, PathBuf};

#[path = "../../../fuzz/src/value_tables.rs"]
mod value_tables;

fn saved() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/value_tables");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// Replays `data`, turning a panic into a message naming the input.
fn replay(name: &str, data: &[u8]) -> Option<String> {
    std::panic::catch_unwind(|| {
        let _ = value_tables::run(data);
    })
    .err()
    .map(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        format!("{name}: panicked: {msg}")
    })
}

#[test]
fn saved_value_table_inputs_do_not_panic() {
    let inputs = saved();
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|(name, data)| replay(name, data))
        .collect();
    eprintln!("{} saved value_tables inputs replayed", inputs.len());
    assert!(!inputs.is_empty(), "no saved value_tables input was found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hand_made_value_table_inputs_do_not_panic() {
    let mut inputs: Vec<(String, Vec<u8>)> = vec![("empty".into(), Vec::new())];
    // Every table of the schema (by its index), one column of its first field, 15 rows whose
    // values take every tag in turn, each followed by 8 bytes of 0xFF.
    for flags in [0_u8, 1, 2, 4, 9] {
        for t in 0..csc_measures::schema::TABLES.len() {
            let mut d = vec![flags, u8::try_from(t).unwrap(), 0, 15];
            for tag in 0..15_u8 {
                d.push(tag % 10);
                d.extend([0xFF; 8]);
            }
            inputs.push((format!("table {t}, flags {flags}"), d));
        }
    }
    // Lists of lists, and made-up names (a name byte past the schema's tables picks text).
    inputs.push((
        "lists".into(),
        [0, 0, 7, 15].iter().copied().chain([9; 400]).collect(),
    ));
    inputs.push((
        "names".into(),
        vec![8, 250, 5, b'x', b'y', b'z', b'w', b'v', 7, 3],
    ));
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|(name, data)| replay(name, data))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_well_formed_input_builds_a_dataset() {
    // flags 4 | 8: an SSDA903 return of 2024; its Episodes table by its own name, two columns,
    // one row. The replay must reach the dataset, so a run that returned early would fail here.
    let episodes = csc_measures::schema::TABLES
        .iter()
        .position(|t| t.name == "Episodes")
        .unwrap();
    let fields = csc_measures::schema::TABLES[episodes].fields;
    // A column byte with bit 6 set and bit 7 clear names a column of the table itself by its
    // name in the files, the field at (byte % number of fields); 16 mod 17 would be made-up text.
    let col = |name: &str| -> u8 {
        let i = fields.iter().position(|f| f.column == name).unwrap();
        (0x40_u8..0x80)
            .find(|b| usize::from(*b) % fields.len() == i && b % 17 != 16)
            .unwrap()
    };
    let mut d = vec![4 | 8, u8::try_from(episodes).unwrap(), 1, 1];
    d.extend([col("CHILD"), col("DECOM")]);
    // one row: CHILD Int(3), DECOM Date(19478 = 2023-05-01)
    d.extend([3, 3, 7]);
    d.extend(19_478_i32.to_le_bytes());
    let (ds, results) = value_tables::run(&d).expect("a dataset from one episode");
    assert_eq!(ds.summary().care_episodes, 1);
    assert!(!results.is_empty());
}
