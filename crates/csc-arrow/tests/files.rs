//! Tables in Parquet and Arrow IPC files: written by [`TableWriter`], read back to the same
//! results; year columns, the rows entries name, and clear errors for files that are not tables.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use csc_arrow::files::{
    TableFiles, TableFormat, TableWriter, read_table_file, read_tables, table_files,
};
use csc_measures::dataset::Summary;
use csc_measures::measure::{Options, compute_many};
use csc_measures::quality::IssueCode;
use csc_measures::result::MeasureResult;
use csc_measures::{Dataset, Day, ErrorKind, Period};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("csc-arrow-files-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn config() -> csc_synth::Config {
    csc_synth::Config {
        children: 600,
        first_year: 2021,
        last_year: 2024,
        seed: 7,
    }
}

/// Writes the synthetic returns of [`config`] as table files in `format`.
fn write_synthetic(dir: &Path, format: TableFormat) {
    let s = csc_synth::generate(&config());
    let mut w = TableWriter::new(dir, format).unwrap();
    for (cin, ssda) in s.cin.iter().zip(&s.ssda903) {
        w.write(cin.source.collection_year.unwrap(), cin, ssda)
            .unwrap();
    }
    assert_eq!(w.finish().unwrap().len(), 18);
}

/// What a dataset gives: results, summary and entries.
type Outcome = (
    Vec<MeasureResult>,
    Summary,
    Vec<(IssueCode, Option<String>, Option<Day>, String)>,
);

/// Every measure of 2024 and 2023 without drill-down rows, the summary, and the entries without
/// where they were found.
fn outcome(ds: &Dataset) -> Outcome {
    let mut results = Vec::new();
    for y in [2023, 2024] {
        let p = Period::financial_year(y).unwrap();
        for mut r in compute_many(ds, &[], p, &Options::default()) {
            r.rows.clear();
            results.push(r);
        }
    }
    let mut issues: Vec<_> = ds
        .issues()
        .iter()
        .map(|i| {
            (
                i.code,
                i.child.as_ref().map(ToString::to_string),
                i.record,
                i.message.clone(),
            )
        })
        .collect();
    issues.sort();
    (results, ds.summary(), issues)
}

#[test]
fn parquet_and_arrow_files_give_the_results_of_the_returns() {
    let expected = outcome(
        &csc_synth::generate(&config())
            .into_builder()
            .build()
            .unwrap(),
    );
    for (format, ext) in [
        (TableFormat::Parquet, "parquet"),
        (TableFormat::Ipc, "arrow"),
    ] {
        let dir = temp_dir(ext);
        write_synthetic(&dir, format);
        assert!(dir.join(format!("Episodes.{ext}")).exists());
        assert!(dir.join(format!("CINHeader.{ext}")).exists());
        let returns = read_tables(&dir, None).unwrap();
        let years: Vec<_> = returns.iter().map(|r| r.year).collect();
        assert_eq!(years, [Some(2021), Some(2022), Some(2023), Some(2024)]);
        let ds = csc_arrow::build(returns, false).unwrap();
        let got = outcome(&ds);
        for (a, b) in got.0.iter().zip(&expected.0) {
            assert_eq!(a, b, "{ext}: {} {}", b.id, b.period);
        }
        assert_eq!(got.1, expected.1, "{ext}: summary");
        assert_eq!(got.2, expected.2, "{ext}: entries");
        assert_eq!(got, expected, "{ext}");
        // Entries name the file and the row in it.
        let files = ds
            .issues()
            .iter()
            .filter_map(|i| i.location.as_ref())
            .filter_map(|l| l.file.as_deref())
            .collect::<Vec<_>>();
        assert!(!files.is_empty());
        assert!(
            files.iter().all(|f| f.starts_with(&*dir.to_string_lossy())),
            "{files:?}"
        );
        // One year of the folder: only its rows.
        let one = read_tables(&dir, Some(2023)).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].year, Some(2023));
        let all: usize = read_tables(&dir, None).unwrap()[2]
            .tables
            .iter()
            .map(csc_arrow::TableInput::num_rows)
            .sum();
        let of_2023: usize = one[0]
            .tables
            .iter()
            .map(csc_arrow::TableInput::num_rows)
            .sum();
        assert_eq!(all, of_2023);
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// Every entry with where it was found, sorted.
fn located(ds: &Dataset) -> Vec<String> {
    let mut v: Vec<String> = ds.issues().iter().map(|i| format!("{i:?}")).collect();
    v.sort();
    v
}

#[test]
fn parquet_files_of_one_year_per_row_group_are_read_a_year_at_a_time() {
    let dir = temp_dir("by-year");
    write_synthetic(&dir, TableFormat::Parquet);
    let set = TableFiles::open(&dir, None).unwrap();
    let years = set.years().unwrap().expect("row groups of one year each");
    assert_eq!(years, [2021, 2022, 2023, 2024]);
    let returns: Vec<_> = years.iter().map(|&y| set.read_year(y).unwrap()).collect();
    let by_year = csc_arrow::build(returns, false).unwrap();
    let whole = csc_arrow::build(read_tables(&dir, None).unwrap(), false).unwrap();
    assert_eq!(outcome(&by_year), outcome(&whole));
    // The same entries at the same files and rows.
    assert!(!located(&whole).is_empty());
    assert_eq!(located(&by_year), located(&whole));
    // Pages overwritten under an intact footer: an error naming the file, never a panic.
    let broken = temp_dir("by-year-broken");
    for f in table_files(&dir).unwrap() {
        std::fs::copy(&f, broken.join(f.file_name().unwrap())).unwrap();
    }
    let target = broken.join("Episodes.parquet");
    let mut bytes = std::fs::read(&target).unwrap();
    let n = bytes.len();
    bytes[8..n / 2].fill(0xAB);
    std::fs::write(&target, bytes).unwrap();
    let set = TableFiles::open(&broken, None).unwrap();
    let years = set.years().unwrap().unwrap();
    let e = years
        .iter()
        .try_for_each(|&y| set.read_year(y).map(drop))
        .unwrap_err();
    assert!(e.message().starts_with(&*target.to_string_lossy()), "{e}");
    std::fs::remove_dir_all(&broken).ok();
    // One year given: that year only; a year no file has: an error.
    let one = TableFiles::open(&dir, Some(2022)).unwrap();
    assert_eq!(one.years().unwrap(), Some(vec![2022]));
    let e = TableFiles::open(&dir, Some(2030))
        .unwrap()
        .years()
        .unwrap_err();
    assert!(
        e.message().contains("no row of collection year 2030"),
        "{e}"
    );
    // Arrow IPC files, and Parquet files whose row groups mix years, are read whole.
    let ipc = temp_dir("by-year-ipc");
    write_synthetic(&ipc, TableFormat::Ipc);
    assert_eq!(TableFiles::open(&ipc, None).unwrap().years().unwrap(), None);
    let mixed = temp_dir("by-year-mixed");
    write_parquet(
        &mixed.join("Episodes.parquet"),
        &episodes(),
        Compression::SNAPPY,
    );
    assert_eq!(
        TableFiles::open(&mixed, None).unwrap().years().unwrap(),
        None
    );
    for d in [dir, ipc, mixed] {
        std::fs::remove_dir_all(&d).ok();
    }
}

fn col(v: Vec<Option<&str>>) -> ArrayRef {
    Arc::new(StringArray::from(v))
}

fn write_parquet(path: &Path, batch: &RecordBatch, compression: Compression) {
    let props = WriterProperties::builder()
        .set_compression(compression)
        .build();
    let mut w =
        ArrowWriter::try_new(File::create(path).unwrap(), batch.schema(), Some(props)).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
}

fn write_ipc_stream(path: &Path, batch: &RecordBatch) {
    let mut w =
        arrow_ipc::writer::StreamWriter::try_new(File::create(path).unwrap(), &batch.schema())
            .unwrap();
    w.write(batch).unwrap();
    w.finish().unwrap();
}

fn write_ipc_lz4(path: &Path, batch: &RecordBatch) {
    let opts = arrow_ipc::writer::IpcWriteOptions::default()
        .try_with_compression(Some(arrow_ipc::CompressionType::LZ4_FRAME))
        .unwrap();
    let mut w = arrow_ipc::writer::FileWriter::try_new_with_options(
        File::create(path).unwrap(),
        &batch.schema(),
        opts,
    )
    .unwrap();
    w.write(batch).unwrap();
    w.finish().unwrap();
}

/// A function that writes a batch as a file.
type Writer = fn(&Path, &RecordBatch);

/// Episodes of two years, not in order, years as text, with an unreadable `DECOM` on row 3.
fn episodes() -> RecordBatch {
    RecordBatch::try_from_iter([
        (
            "Collection_Year",
            col(vec![Some("2024"), Some("2023"), Some("2024"), Some("2023")]),
        ),
        (
            "CHILD",
            col(vec![Some("A"), Some("B"), Some("C"), Some("D")]),
        ),
        (
            "DECOM",
            col(vec![
                Some("2023-05-01"),
                Some("2022-06-01"),
                Some("31/02/2024"),
                Some("2022-07-01"),
            ]),
        ),
    ])
    .unwrap()
}

#[test]
fn a_year_column_splits_the_rows_and_entries_keep_the_file_row() {
    let dir = temp_dir("years");
    let batch = episodes();
    let readers: [(&str, Writer); 3] = [
        ("episodes.parquet", |p, b| {
            // zstd, polars' default, with the default `zstd` feature.
            let codec = if cfg!(feature = "zstd") {
                Compression::ZSTD(ZstdLevel::default())
            } else {
                Compression::LZ4_RAW
            };
            write_parquet(p, b, codec);
        }),
        ("EPISODES.arrows", write_ipc_stream),
        ("Episodes.feather", write_ipc_lz4),
    ];
    for (name, write) in readers {
        let sub = dir.join(name.replace('.', "_"));
        std::fs::create_dir_all(&sub).unwrap();
        let path = sub.join(name);
        write(&path, &batch);
        let returns = read_tables(&sub, None).unwrap();
        assert_eq!(returns.len(), 2, "{name}");
        assert_eq!(returns[0].year, Some(2023));
        assert_eq!(returns[0].tables[0].num_rows(), 2);
        let read = csc_arrow::read(returns, false).unwrap();
        let issues: Vec<_> = read
            .iter()
            .flat_map(csc_arrow::ReadReturn::issues)
            .collect();
        assert_eq!(issues.len(), 1, "{issues:?}");
        let at = issues[0].location.as_ref().unwrap();
        assert_eq!(at.file.as_deref(), Some(&*path.to_string_lossy()), "{name}");
        assert_eq!(at.line, Some(3), "{name}: the row in the file");
        assert_eq!(at.column.as_deref(), Some("DECOM"));
        // The file report: the year's rows, at the file.
        assert_eq!(read[1].files()[0].rows, 2);
        assert_eq!(&*read[1].files()[0].path, &*path.to_string_lossy());
        // Given a year, only its rows.
        let one = read_tables(&path, Some(2024)).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].tables[0].num_rows(), 2);
        let e = read_tables(&path, Some(2019)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(
            e.message().contains("no row of collection year 2019"),
            "{e}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_file_without_a_year_column_takes_the_year_given() {
    let dir = temp_dir("no-year");
    let batch = RecordBatch::try_from_iter([
        ("CHILD", col(vec![Some("A")])),
        ("DECOM", col(vec![Some("2023-05-01")])),
    ])
    .unwrap();
    write_parquet(&dir.join("Episodes.parquet"), &batch, Compression::SNAPPY);
    let r = read_tables(&dir, Some(2024)).unwrap();
    assert_eq!((r.len(), r[0].year), (1, Some(2024)));
    let r = read_tables(&dir, None).unwrap();
    assert_eq!((r.len(), r[0].year), (1, None));
    // Mixed with a file that has one: which year is unknown.
    let year = RecordBatch::try_from_iter([
        ("year", Arc::new(Int64Array::from(vec![2024])) as ArrayRef),
        ("CHILD", col(vec![Some("A")])),
        ("DOB", col(vec![Some("2010-01-01")])),
    ])
    .unwrap();
    write_parquet(&dir.join("Header.parquet"), &year, Compression::SNAPPY);
    let e = read_tables(&dir, None).unwrap_err();
    assert!(
        e.message().contains("Episodes.parquet: no year column"),
        "{e}"
    );
    assert_eq!(read_tables(&dir, Some(2024)).unwrap().len(), 1);
    std::fs::remove_dir_all(&dir).ok();
}

fn error_of(path: &Path) -> csc_measures::Error {
    read_tables(path, None).unwrap_err()
}

#[test]
fn files_that_are_not_tables_are_errors_naming_them() {
    let dir = temp_dir("errors");
    let good = dir.join("good");
    std::fs::create_dir_all(&good).unwrap();
    write_parquet(
        &good.join("Episodes.parquet"),
        &episodes(),
        Compression::SNAPPY,
    );
    let bytes = std::fs::read(good.join("Episodes.parquet")).unwrap();
    let mut ipc = Vec::new();
    {
        let b = episodes();
        let mut w = arrow_ipc::writer::FileWriter::try_new(&mut ipc, &b.schema()).unwrap();
        w.write(&b).unwrap();
        w.finish().unwrap();
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "Episodes.parquet",
            b"hello, world".to_vec(),
            "not a Parquet or Arrow IPC file",
        ),
        (
            "Episodes.arrow",
            Vec::new(),
            "not a Parquet or Arrow IPC file",
        ),
        (
            "Episodes.parquet",
            bytes[..bytes.len() / 2].to_vec(),
            "not a readable Parquet file",
        ),
        (
            "Episodes.parquet",
            [
                &bytes[..4],
                &vec![0xAB; bytes.len() - 8][..],
                &bytes[bytes.len() - 4..],
            ]
            .concat(),
            "not a readable Parquet file",
        ),
        (
            "Episodes.arrow",
            ipc[..ipc.len() / 2].to_vec(),
            "not a readable Arrow IPC file",
        ),
        (
            "Episodes.arrows",
            vec![0xFF; 64],
            "not a readable Arrow IPC stream file",
        ),
    ];
    for (k, (name, data, says)) in cases.into_iter().enumerate() {
        let sub = dir.join(format!("case{k}"));
        std::fs::create_dir_all(&sub).unwrap();
        let path = sub.join(name);
        std::fs::write(&path, &data).unwrap();
        let e = error_of(&sub);
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{k}: {e}");
        assert!(
            e.message().starts_with(&*path.to_string_lossy()),
            "{k}: {e}"
        );
        assert!(e.message().contains(says), "{k}: {e}");
        // Read a year at a time, the same: an error, never a panic.
        let by_year = TableFiles::open(&sub, None).and_then(|set| match set.years()? {
            Some(years) => years
                .into_iter()
                .try_for_each(|y| set.read_year(y).map(drop)),
            None => set
                .files()
                .iter()
                .try_for_each(|f| read_table_file(f).map(drop)),
        });
        let e = by_year.unwrap_err();
        assert!(
            e.message().starts_with(&*path.to_string_lossy()),
            "{k}: {e}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn names_columns_and_years_that_are_wrong_are_errors_naming_the_file() {
    let dir = temp_dir("wrong");
    // A table that is no table's.
    let path = dir.join("Placements.parquet");
    write_parquet(&path, &episodes(), Compression::SNAPPY);
    let e = error_of(&path);
    assert!(e.message().contains("unknown table \"Placements\""), "{e}");
    assert!(e.message().contains(&*path.to_string_lossy()), "{e}");
    // A missing required column: the table and the file.
    let sub = dir.join("missing");
    std::fs::create_dir_all(&sub).unwrap();
    let path = sub.join("Episodes.parquet");
    let no_decom = RecordBatch::try_from_iter([("CHILD", col(vec![Some("A")]))]).unwrap();
    write_parquet(&path, &no_decom, Compression::SNAPPY);
    let e = csc_arrow::read(read_tables(&sub, Some(2024)).unwrap(), false).unwrap_err();
    assert!(e.message().contains("has no column DECOM"), "{e}");
    assert!(e.message().contains(&*path.to_string_lossy()), "{e}");
    // A blank or wrong year: the file, the row, the column and the value.
    for (years, says) in [
        (vec![Some("2024"), None], "row 2: column year is blank"),
        (
            vec![Some("2024"), Some("24")],
            "row 2: column year holds \"24\"",
        ),
    ] {
        let b = RecordBatch::try_from_iter([
            ("year", col(years)),
            ("CHILD", col(vec![Some("A"), Some("B")])),
            ("DECOM", col(vec![Some("2023-05-01"), Some("2023-05-01")])),
        ])
        .unwrap();
        write_parquet(&path, &b, Compression::SNAPPY);
        let e = error_of(&path);
        assert!(
            e.message()
                .starts_with(&format!("{}: {says}", path.display())),
            "{e}"
        );
    }
    // No table file in a folder; nothing at the path.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("notes.txt"), "x").unwrap();
    assert!(error_of(&empty).message().contains("no table file"));
    let none = dir.join("nothing-here");
    let e = error_of(&none);
    assert_eq!(e.kind(), ErrorKind::Io);
    assert!(e.message().contains("no such file or folder"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A Parquet file whose footer says its columns are compressed with `codec` (its pages are not).
fn claiming(codec: Compression, path: &Path) {
    use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions};
    use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataWriter};
    write_parquet(path, &episodes(), Compression::UNCOMPRESSED);
    let bytes = std::fs::read(path).unwrap();
    let meta = ArrowReaderMetadata::load(&File::open(path).unwrap(), ArrowReaderOptions::default())
        .unwrap();
    let md: ParquetMetaData = meta.metadata().as_ref().clone();
    let mut builder = md.into_builder();
    let groups = builder
        .take_row_groups()
        .into_iter()
        .map(|rg| {
            let cols = rg
                .columns()
                .iter()
                .map(|c| {
                    c.clone()
                        .into_builder()
                        .set_compression(codec)
                        .build()
                        .unwrap()
                })
                .collect();
            rg.into_builder().set_column_metadata(cols).build().unwrap()
        })
        .collect();
    let md = builder.set_row_groups(groups).build();
    let n = bytes.len();
    let footer = u32::from_le_bytes(bytes[n - 8..n - 4].try_into().unwrap()) as usize;
    let mut out = bytes[..n - 8 - footer].to_vec();
    ParquetMetaDataWriter::new(&mut out, &md).finish().unwrap();
    std::fs::write(path, out).unwrap();
}

#[test]
fn a_codec_left_out_is_an_error_naming_the_file_and_the_codec() {
    let dir = temp_dir("codec");
    let mut left_out = vec![
        (
            Compression::GZIP(parquet::basic::GzipLevel::default()),
            "gzip",
        ),
        (
            Compression::BROTLI(parquet::basic::BrotliLevel::default()),
            "brotli",
        ),
    ];
    if !cfg!(feature = "zstd") {
        left_out.push((Compression::ZSTD(ZstdLevel::default()), "zstd"));
    }
    for (codec, name) in left_out {
        let path = dir.join("Episodes.parquet");
        claiming(codec, &path);
        let e = read_tables(&dir, None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(
            e.message().starts_with(&format!(
                "{}: compressed with {name} (column Collection_Year)",
                path.display()
            )),
            "{e}"
        );
        let e = TableFiles::open(&dir, None).err().unwrap();
        assert!(e.message().contains(name), "{e}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_folder_lists_its_table_files_by_extension() {
    let dir = temp_dir("list");
    for f in [
        "b.PARQUET",
        "a.arrow",
        "c.feather",
        "d.ipc",
        "e.arrows",
        "f.pq",
        "g.csv",
    ] {
        std::fs::write(dir.join(f), "").unwrap();
    }
    std::fs::create_dir_all(dir.join("h.parquet")).unwrap();
    let names: Vec<_> = table_files(&dir)
        .unwrap()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "a.arrow",
            "b.PARQUET",
            "c.feather",
            "d.ipc",
            "e.arrows",
            "f.pq"
        ]
    );
    // One file's table is named by the file.
    let path = dir.join("Episodes.parquet");
    write_parquet(&path, &episodes(), Compression::LZ4_RAW);
    let t = read_table_file(&path).unwrap();
    assert_eq!((t.name.as_str(), t.num_rows()), ("Episodes", 4));
    assert_eq!(t.file(), Some(&*path.to_string_lossy()));
    std::fs::remove_dir_all(&dir).ok();
}
