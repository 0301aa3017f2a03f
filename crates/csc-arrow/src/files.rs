//! Tables in files: the returns' tables read from Parquet and Arrow IPC files, one file per
//! table, and written to them ([`TableWriter`]).
//!
//! # Files
//!
//! A file holds one table, named by the file's name without its extension (`Episodes.parquet`,
//! `cindetails.feather`, `Child_Protection_Plans.arrow`), in any case and by any name or alias that
//! [`crate::input`] takes (its module docs list them). The tables of both returns may sit in one
//! folder; since both have a `Header`, the CIN census header (its `ReferenceDate`) may be named
//! `CINHeader` (`Header` is the SSDA903 header when it has a `CHILD` column). The format is found
//! from the file's first bytes, whatever its extension:
//!
//! * Parquet (`PAR1`), uncompressed or compressed with snappy (pandas' and pyarrow's default),
//!   LZ4 (raw or framed) or, with the default `zstd` feature, zstd (polars' default); another codec
//!   (gzip, brotli, LZO) is an [`ErrorKind::InvalidInput`] error naming the file, the column and
//!   the codec;
//! * the Arrow IPC file format (`ARROW1`: `.arrow`, `.feather` version 2, `.ipc`), uncompressed,
//!   LZ4-compressed (pyarrow's `write_feather` default) or, with the `zstd` feature, zstd; without
//!   it a zstd-compressed file is an error naming the file and the codec;
//! * the Arrow IPC stream format (polars' `write_ipc_stream`, `.arrows`).
//!
//! A folder's table files are those whose extension is `.parquet`, `.pq`, `.arrow`, `.feather`,
//! `.ipc` or `.arrows` (in any case); other files and subfolders are ignored, and a folder with no
//! table file is an error. A file that is none of these formats, or that cannot be read to its end
//! (truncated, corrupt), is an [`ErrorKind::InvalidInput`] error naming it; a table name that is
//! no table's, a missing required column or a column of a type that cannot hold its field is an
//! error naming the table and the file.
//!
//! # Collection years
//!
//! A file may hold any number of collection years in a year column: the first column named
//! `year` or `collection_year` (in any case, ignoring `_`, `-` and spaces: `Year`,
//! `CollectionYear`), of whole numbers or their text. Each row goes to the return of its year;
//! a blank year, or a value that is not four digits, is an [`ErrorKind::InvalidInput`] error naming
//! the file, the row, the column and the value. The rows of a year need not be together, nor the
//! years in order. A year's return holds the tables that have rows of that year, and those whose
//! file lists the year as held ([`HELD_YEARS`], as [`TableWriter`] writes it for a table a return
//! holds empty): a table without rows of a year is otherwise missing from that year's return, as
//! a table file missing from a return's folder is (its measures say `no_data`, not 0). A file
//! without a year column is the return of the year given with it
//! (`YEAR=PATH`), or, when none is given, of the year its own data gives (the CIN census's
//! `ReferenceDate`, the latest `DECOM` of the SSDA903 Episodes), as for every other input. With a
//! year given, only the rows of that year are read from files with a year column (and it is an
//! error when none has any). Without one, a folder that mixes files with a year column and files
//! without is an error naming a file without: which year its rows are is unknown.
//!
//! # Reading
//!
//! [`read_tables`] reads every file whole, then splits the rows by year ([`split_years`]: no row is
//! copied; each year's return reads its rows of the same batches). [`TableFiles`] reads one year at
//! a time when every file is Parquet whose row groups each hold one year (as [`TableWriter`] writes
//! them), so that only the years being read are in memory, and the years can be read side by side
//! (`csc_api::load` does, on every core).
//!
//! # Rows in entries
//!
//! Data-quality entries are located at the file as given (`tables/Episodes.parquet`) and the row
//! in it, counted from 1 over every row of the file (not of the year's rows only), with the column
//! and its value; a file of one collection year has the same numbers.
//!
//! ```
//! use csc_arrow::files::{TableFormat, TableWriter, read_tables};
//! use csc_measures::records::{CareEpisode, CinReturn, Ssda903Return};
//!
//! let dir = std::env::temp_dir().join(format!("csc-arrow-files-doc-{}", std::process::id()));
//! let mut ssda = Ssda903Return::default();
//! ssda.source.collection_year = Some(2024);
//! ssda.episodes.push(CareEpisode { child: "A".into(), decom: "2023-05-01".parse()?, ..Default::default() });
//! let mut w = TableWriter::new(&dir, TableFormat::Parquet)?;
//! w.write(2024, &CinReturn::default(), &ssda)?;
//! w.finish()?;
//! let returns = read_tables(&dir, None)?;
//! assert_eq!(returns.len(), 1);
//! assert_eq!(returns[0].year, Some(2024));
//! let ds = csc_arrow::build(returns, false)?;
//! assert_eq!(ds.summary().care_episodes, 1);
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read as _};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int16Type, Int32Type, Int64Type};
use arrow_array::{Array, ArrayRef, Int32Array, RecordBatch, RecordBatchReader};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use csc_measures::records::{CinReturn, Ssda903Return};
use csc_measures::rows::{Cell, trim};
use csc_measures::{Error, ErrorKind};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::basic::Compression;
use parquet::file::metadata::{KeyValue, ParquetMetaData};
use parquet::file::properties::WriterProperties;
use parquet::file::statistics::Statistics;

use crate::column::{Column, Want};
use crate::input::{ReturnInput, TableInput, classify_name};
use crate::output::{CIN_HEADER, cin_tables, ssda903_tables};

/// The extensions of table files in a folder.
pub const EXTENSIONS: &[&str] = &["parquet", "pq", "arrow", "feather", "ipc", "arrows"];

/// The names of a year column (compared in lower case without `_`, `-` or spaces).
pub const YEAR_COLUMNS: &[&str] = &["year", "collection_year"];

/// The name [`TableWriter`] gives the CIN census header, which a folder of both returns' tables
/// cannot call `Header`: the SSDA903 header has that name.
pub const CIN_HEADER_FILE: &str = "CINHeader";

/// The key of the file metadata (Parquet key-value metadata, Arrow IPC custom metadata) in which
/// [`TableWriter`] lists the collection years whose returns hold the table (`2021,2022,2023`),
/// those with rows and those held empty.
pub const HELD_YEARS: &str = "csc_measures.years";

/// Rows per batch when reading Parquet.
const BATCH_ROWS: usize = 64 * 1024;

/// A format of table files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// Parquet.
    Parquet,
    /// The Arrow IPC file format (Feather version 2).
    Ipc,
    /// The Arrow IPC stream format (read only; [`TableWriter`] writes the file format).
    IpcStream,
}

impl TableFormat {
    /// The format of a file from its first bytes: `None` when it is none of them.
    #[must_use]
    pub fn sniff(head: &[u8]) -> Option<TableFormat> {
        if head.starts_with(b"PAR1") {
            Some(TableFormat::Parquet)
        } else if head.starts_with(b"ARROW1") {
            Some(TableFormat::Ipc)
        } else if head.starts_with(&[0xFF, 0xFF, 0xFF, 0xFF]) {
            Some(TableFormat::IpcStream)
        } else {
            None
        }
    }

    /// The extension [`TableWriter`] gives its files: `parquet` or `arrow`.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Parquet => "parquet",
            TableFormat::Ipc | TableFormat::IpcStream => "arrow",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            TableFormat::Parquet => "Parquet",
            TableFormat::Ipc => "Arrow IPC",
            TableFormat::IpcStream => "Arrow IPC stream",
        }
    }
}

fn input_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    let what = match std::fs::symlink_metadata(path) {
        Err(_) => "no such file or folder".to_owned(),
        Ok(m) if m.file_type().is_symlink() && std::fs::metadata(path).is_err() => {
            "a link to nothing (a dangling link)".to_owned()
        }
        Ok(_) => format!("cannot be read: {e}"),
    };
    Error::new(ErrorKind::Io, format!("{}: {what}", path.display()))
}

/// Is `path` named as a table file ([`EXTENSIONS`])?
fn is_table_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The table files at `path`: the file itself, or a folder's files named as table files
/// ([`EXTENSIONS`]), sorted by name. A folder without any is an [`ErrorKind::InvalidInput`] error;
/// a path that cannot be read an [`ErrorKind::Io`] error.
pub fn table_files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| io_error(path, &e))? {
        let entry = entry.map_err(|e| io_error(path, &e))?;
        let p = entry.path();
        if is_table_file(&p) && !p.is_dir() {
            files.push(p);
        }
    }
    if files.is_empty() {
        return Err(input_error(format!(
            "{}: no table file in this folder (a table file is named TABLE.EXT, EXT one of {})",
            path.display(),
            EXTENSIONS.join(", ")
        )));
    }
    files.sort();
    Ok(files)
}

/// The table's name: the file's name without its extension.
fn table_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads one table file (see the [module docs](self)): a table named by the file, located at the
/// file in entries ([`TableInput::in_file`]), with every row. Its name is checked before its rows
/// are read.
pub fn read_table_file(path: &Path) -> Result<TableInput, Error> {
    let shown = path.display().to_string();
    let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
    let mut head = [0u8; 8];
    let n = read_head(&mut file, &mut head).map_err(|e| io_error(path, &e))?;
    let Some(format) = TableFormat::sniff(&head[..n]) else {
        return Err(input_error(format!(
            "{shown}: not a Parquet or Arrow IPC file (its first bytes are neither PAR1 nor ARROW1 \
             nor an IPC stream's)"
        )));
    };
    let file = File::open(path).map_err(|e| io_error(path, &e))?;
    let name = table_name(path);
    // A reader that panics on a corrupt file (it should not) is an error too, never an abort.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        TableFormat::Parquet => read_parquet(file, &name, &shown),
        TableFormat::Ipc => {
            let reader = arrow_ipc::reader::FileReader::try_new(BufReader::new(file), None)
                .map_err(|e| unreadable(&shown, format, &e))?;
            let held = reader.custom_metadata().get(HELD_YEARS).cloned();
            collect(reader, &name, &shown, format, held.as_deref())
        }
        TableFormat::IpcStream => {
            let reader = arrow_ipc::reader::StreamReader::try_new(BufReader::new(file), None)
                .map_err(|e| unreadable(&shown, format, &e))?;
            collect(reader, &name, &shown, format, None)
        }
    }))
    .unwrap_or_else(|_| {
        Err(input_error(format!(
            "{shown}: not a readable {} file (its reader failed on it)",
            format.describe()
        )))
    })
}

fn read_head(file: &mut File, head: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn unreadable(shown: &str, format: TableFormat, e: &dyn std::fmt::Display) -> Error {
    let e = e.to_string();
    if let Some(codec) = e
        .split("Disabled feature at compile time: ")
        .nth(1)
        .or_else(|| {
            e.contains("zstd IPC decompression requires")
                .then_some("zstd")
        })
    {
        return codec_error(shown, codec.trim(), None);
    }
    input_error(format!(
        "{shown}: not a readable {} file: {e}",
        format.describe()
    ))
}

fn codec_error(shown: &str, codec: &str, column: Option<&str>) -> Error {
    let column = column.map(|c| format!(" (column {c})")).unwrap_or_default();
    let (parquet, ipc) = if cfg!(feature = "zstd") {
        ("snappy, zstd or LZ4", "LZ4 or zstd")
    } else {
        ("snappy or LZ4", "LZ4")
    };
    input_error(format!(
        "{shown}: compressed with {codec}{column}, which this build of csc-measures does not \
         read; write it uncompressed or with {parquet} (Parquet), or uncompressed or with {ipc} \
         (Arrow IPC)"
    ))
}

/// Checks the table's name, then takes its schema and every batch of `reader`.
fn collect(
    reader: impl RecordBatchReader,
    name: &str,
    shown: &str,
    format: TableFormat,
    held: Option<&str>,
) -> Result<TableInput, Error> {
    let schema = reader.schema();
    check_name(name, &schema, shown)?;
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| unreadable(shown, format, &e))?;
    let held = held.map(|v| {
        v.split(',')
            .filter_map(|y| y.trim().parse().ok())
            .collect::<Vec<i32>>()
    });
    Ok(TableInput::new(name, schema, batches)
        .in_file(shown)
        .with_held_years(held))
}

fn check_name(name: &str, schema: &SchemaRef, shown: &str) -> Result<(), Error> {
    let t = TableInput::new(name, schema.clone(), Vec::new()).in_file(shown);
    classify_name(&t)
}

/// Every column chunk's codec must be one this build reads.
fn check_codecs(meta: &ParquetMetaData, shown: &str) -> Result<(), Error> {
    for rg in meta.row_groups() {
        for c in rg.columns() {
            let codec = c.compression();
            let ok = matches!(
                codec,
                Compression::UNCOMPRESSED
                    | Compression::SNAPPY
                    | Compression::LZ4
                    | Compression::LZ4_RAW
            ) || (cfg!(feature = "zstd") && matches!(codec, Compression::ZSTD(_)));
            if !ok {
                let name = match codec {
                    Compression::GZIP(_) => "gzip",
                    Compression::BROTLI(_) => "brotli",
                    Compression::LZO => "LZO",
                    Compression::ZSTD(_) => "zstd",
                    _ => "a codec",
                };
                return Err(codec_error(
                    shown,
                    name,
                    Some(c.column_path().string().as_str()),
                ));
            }
        }
    }
    Ok(())
}

fn read_parquet(file: File, name: &str, shown: &str) -> Result<TableInput, Error> {
    let format = TableFormat::Parquet;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| unreadable(shown, format, &e))?;
    check_codecs(builder.metadata(), shown)?;
    check_name(name, builder.schema(), shown)?;
    let held = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == HELD_YEARS))
        .and_then(|k| k.value.clone());
    let reader = builder
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| unreadable(shown, format, &e))?;
    collect(reader, name, shown, format, held.as_deref())
}

/// The year column of a table: the first named as one of [`YEAR_COLUMNS`].
fn year_column(schema: &Schema) -> Option<usize> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let names: Vec<String> = YEAR_COLUMNS.iter().map(|n| squash(n)).collect();
    schema
        .fields()
        .iter()
        .position(|f| names.contains(&squash(f.name())))
}

/// The rows of each collection year of a table with a year column at `p`.
fn years_of(t: &TableInput, p: usize) -> Result<BTreeMap<i32, Vec<Range<usize>>>, Error> {
    let mut out: BTreeMap<i32, Vec<Range<usize>>> = BTreeMap::new();
    let column = t.schema.field(p).name();
    let shown = t.file().unwrap_or(&t.name);
    let mut base = 0;
    let mut add = |year: i32, row: usize| {
        let v = out.entry(year).or_default();
        match v.last_mut() {
            Some(r) if r.end == row => r.end += 1,
            _ => v.push(row..row + 1),
        }
    };
    let bad = |row: usize, value: &str| {
        input_error(format!(
            "{shown}: row {}: column {column} {}: a collection year is four digits, as 2024",
            row + 1,
            if value.is_empty() {
                "is blank".to_owned()
            } else {
                format!("holds {value:?}")
            }
        ))
    };
    for rb in &t.batches {
        let a = rb.column(p);
        if let Some(years) = whole_years(a) {
            for (i, y) in years.iter().enumerate() {
                match *y {
                    Some(y) if (1000..=9999).contains(&y) => add(y as i32, base + i),
                    Some(y) => return Err(bad(base + i, &y.to_string())),
                    None => return Err(bad(base + i, "")),
                }
            }
        } else {
            let col = Column::new(a.as_ref(), Want::Count).map_err(|is| {
                input_error(format!(
                    "{shown}: column {column} is {is}: a year column holds whole numbers or their text"
                ))
            })?;
            for i in 0..rb.num_rows() {
                let cell = col.get(i, 0).unwrap_or(Cell::Null);
                let text = cell.text();
                let text = trim(&text);
                let y = match cell {
                    Cell::Int(y) => Some(y),
                    Cell::Text(_)
                        if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        text.parse().ok()
                    }
                    _ => None,
                };
                match y {
                    Some(y) if (1000..=9999).contains(&y) => add(y as i32, base + i),
                    _ => return Err(bad(base + i, text)),
                }
            }
        }
        base += rb.num_rows();
    }
    Ok(out)
}

/// The years of an integer column, read without a cell per row.
fn whole_years(a: &ArrayRef) -> Option<Vec<Option<i64>>> {
    let v: Vec<Option<i64>> = match a.data_type() {
        DataType::Int16 => a
            .as_primitive::<Int16Type>()
            .iter()
            .map(|y| y.map(i64::from))
            .collect(),
        DataType::Int32 => a
            .as_primitive::<Int32Type>()
            .iter()
            .map(|y| y.map(i64::from))
            .collect(),
        DataType::Int64 => a.as_primitive::<Int64Type>().iter().collect(),
        _ => return None,
    };
    Some(v)
}

/// The returns of tables read from files (see the [module docs](self)): one per collection year
/// of their year columns, in order, each with the tables that have rows of that year (or that
/// their file lists as held that year: [`HELD_YEARS`]; a table held empty); or, when no table
/// has a year column, one return of the tables, of `year` when given. `path` names the input in
/// errors.
pub fn split_years(
    tables: Vec<TableInput>,
    year: Option<i32>,
    path: &Path,
) -> Result<Vec<ReturnInput>, Error> {
    let mut years: Vec<Option<BTreeMap<i32, Vec<Range<usize>>>>> = Vec::new();
    for t in &tables {
        let Some(p) = year_column(&t.schema) else {
            years.push(None);
            continue;
        };
        let mut rows = years_of(t, p)?;
        for &y in t.held_years().unwrap_or_default() {
            rows.entry(y).or_default();
        }
        years.push(Some(rows));
    }
    if years.iter().all(Option::is_none) {
        return Ok(vec![ReturnInput::new(None, year, tables)]);
    }
    let wanted: Vec<i32> = if let Some(y) = year {
        if !years.iter().flatten().any(|m| m.contains_key(&y)) {
            return Err(input_error(format!(
                "{}: no row of collection year {y} in its year columns (the year given with \
                 it, {y}={})",
                path.display(),
                path.display()
            )));
        }
        vec![y]
    } else {
        if let Some(t) = tables
            .iter()
            .zip(&years)
            .find_map(|(t, y)| y.is_none().then_some(t))
        {
            return Err(input_error(format!(
                "{}: no year column ({}), while other tables given with it have one: give it \
                 one, or give the folder's year as YEAR=PATH",
                t.file().unwrap_or(&t.name),
                YEAR_COLUMNS.join(" or ")
            )));
        }
        let mut all: Vec<i32> = years
            .iter()
            .flatten()
            .flat_map(|m| m.keys().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    Ok(wanted
        .into_iter()
        .map(|y| {
            let tables = tables
                .iter()
                .zip(&years)
                .filter_map(|(t, rows)| match rows {
                    None => Some(t.clone()),
                    Some(m) => m.get(&y).map(|r| t.clone().with_rows(r.clone())),
                })
                .collect();
            ReturnInput::new(None, Some(y), tables)
        })
        .collect())
}

/// Reads the table files at `path` (a file or a folder: [`table_files`]) into returns
/// ([`split_years`]), one file after another. `year` is the year given with them (`YEAR=PATH`).
pub fn read_tables(path: &Path, year: Option<i32>) -> Result<Vec<ReturnInput>, Error> {
    let tables = table_files(path)?
        .iter()
        .map(|f| read_table_file(f))
        .collect::<Result<Vec<_>, _>>()?;
    split_years(tables, year, path)
}

/// A Parquet table file whose row groups each hold one collection year, in runs of one year each.
struct YearGroups {
    path: PathBuf,
    shown: String,
    name: String,
    meta: ArrowReaderMetadata,
    /// Each year's row groups and the number in the file of its first row, less one.
    years: BTreeMap<i32, (Vec<usize>, usize)>,
    held: Option<Vec<i32>>,
}

/// The table files of one input, opened, to be read one collection year at a time when they
/// allow it ([`TableFiles::years`]): every file Parquet with a year column, each of whose row
/// groups holds one year (its statistics say so) and each year's row groups together, as
/// [`TableWriter`] writes them and as a file sorted by year usually is. A year then needs only its
/// own row groups in memory, and the years can be read side by side.
pub struct TableFiles {
    path: PathBuf,
    year: Option<i32>,
    files: Vec<PathBuf>,
    groups: Option<Vec<YearGroups>>,
}

impl TableFiles {
    /// Opens the table files at `path` ([`table_files`]), given with `year` (`YEAR=PATH`): reads
    /// their footers, not their rows. Errors as [`read_table_file`] for the files' names, formats
    /// and codecs.
    pub fn open(path: &Path, year: Option<i32>) -> Result<TableFiles, Error> {
        let files = table_files(path)?;
        let mut groups = Some(Vec::new());
        for f in &files {
            let g = year_groups(f)?;
            match (&mut groups, g) {
                (Some(v), Some(g)) => v.push(g),
                _ => groups = None,
            }
        }
        Ok(TableFiles {
            path: path.to_path_buf(),
            year,
            files,
            groups,
        })
    }

    /// The table files.
    #[must_use]
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The collection years to read one at a time ([`TableFiles::read_year`]), in order; `None`
    /// when the files must be read whole ([`read_table_file`], then [`split_years`]). A year given
    /// that no file has is an error, as [`split_years`] says.
    pub fn years(&self) -> Result<Option<Vec<i32>>, Error> {
        let Some(groups) = &self.groups else {
            return Ok(None);
        };
        let mut all: Vec<i32> = groups
            .iter()
            .flat_map(|g| {
                g.years
                    .keys()
                    .copied()
                    .chain(g.held.iter().flatten().copied())
            })
            .collect();
        all.sort_unstable();
        all.dedup();
        match self.year {
            None => Ok(Some(all)),
            Some(y) if all.contains(&y) => Ok(Some(vec![y])),
            Some(y) => Err(input_error(format!(
                "{}: no row of collection year {y} in its year columns (the year given with it, \
                 {y}={})",
                self.path.display(),
                self.path.display()
            ))),
        }
    }

    /// The return of collection year `year` (one of [`TableFiles::years`]): every table with rows
    /// of that year, or held that year ([`HELD_YEARS`]), read from that year's row groups only.
    pub fn read_year(&self, year: i32) -> Result<ReturnInput, Error> {
        let mut tables = Vec::new();
        for g in self.groups.iter().flatten() {
            let (groups, first) = match g.years.get(&year) {
                Some((groups, first)) => (groups.clone(), *first),
                None if g.held.as_ref().is_some_and(|h| h.contains(&year)) => (Vec::new(), 0),
                None => continue,
            };
            let file = File::open(&g.path).map_err(|e| io_error(&g.path, &e))?;
            let format = TableFormat::Parquet;
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let reader =
                    ParquetRecordBatchReaderBuilder::new_with_metadata(file, g.meta.clone())
                        .with_row_groups(groups)
                        .with_batch_size(BATCH_ROWS)
                        .build()
                        .map_err(|e| unreadable(&g.shown, format, &e))?;
                let schema = reader.schema();
                let batches = reader
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| unreadable(&g.shown, format, &e))?;
                Ok::<_, Error>(TableInput::new(&g.name, schema, batches))
            }))
            .unwrap_or_else(|_| {
                Err(input_error(format!(
                    "{}: not a readable Parquet file (its reader failed on it)",
                    g.shown
                )))
            })?;
            tables.push(read.in_file(g.shown.as_str()).starting_at(first));
        }
        Ok(ReturnInput::new(None, Some(year), tables))
    }
}

/// The row groups of each year of a Parquet table file, when each holds one year and each year's
/// groups are together; `None` otherwise (not Parquet, no year column, no statistics).
fn year_groups(path: &Path) -> Result<Option<YearGroups>, Error> {
    let shown = path.display().to_string();
    let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
    let mut head = [0u8; 8];
    let n = read_head(&mut file, &mut head).map_err(|e| io_error(path, &e))?;
    if TableFormat::sniff(&head[..n]) != Some(TableFormat::Parquet) {
        return Ok(None);
    }
    let format = TableFormat::Parquet;
    let meta = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ArrowReaderMetadata::load(&file, ArrowReaderOptions::default())
    }))
    .map_err(|_| {
        input_error(format!(
            "{shown}: not a readable Parquet file (its reader failed on it)"
        ))
    })?
    .map_err(|e| unreadable(&shown, format, &e))?;
    let pq = meta.metadata();
    check_codecs(pq, &shown)?;
    let name = table_name(path);
    check_name(&name, meta.schema(), &shown)?;
    let Some(p) = year_column(meta.schema()) else {
        return Ok(None);
    };
    let column = meta.schema().field(p).name();
    let Some(leaf) = pq
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .position(|c| c.path().parts() == [column.as_str()])
    else {
        return Ok(None);
    };
    let mut years: BTreeMap<i32, (Vec<usize>, usize)> = BTreeMap::new();
    let mut last = None;
    let mut first_row = 0usize;
    for (k, rg) in pq.row_groups().iter().enumerate() {
        let Some(y) = one_year(rg.column(leaf).statistics()) else {
            return Ok(None);
        };
        match years.get_mut(&y) {
            // A year whose groups are not together: its rows' numbers would not follow.
            Some(_) if last != Some(y) => return Ok(None),
            Some((groups, _)) => groups.push(k),
            None => {
                years.insert(y, (vec![k], first_row));
            }
        }
        last = Some(y);
        first_row += usize::try_from(rg.num_rows()).unwrap_or(0);
    }
    let held = pq
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == HELD_YEARS))
        .and_then(|k| k.value.as_deref())
        .map(|v| v.split(',').filter_map(|y| y.trim().parse().ok()).collect());
    Ok(Some(YearGroups {
        path: path.to_path_buf(),
        shown,
        name,
        meta,
        years,
        held,
    }))
}

/// The one collection year of a row group whose year column's statistics have no null and one
/// value from 1000 to 9999.
fn one_year(stats: Option<&Statistics>) -> Option<i32> {
    let stats = stats?;
    if stats.null_count_opt() != Some(0) {
        return None;
    }
    let (min, max) = match stats {
        Statistics::Int32(s) => (i64::from(*s.min_opt()?), i64::from(*s.max_opt()?)),
        Statistics::Int64(s) => (*s.min_opt()?, *s.max_opt()?),
        _ => return None,
    };
    (min == max && (1000..=9999).contains(&min)).then_some(min as i32)
}

/// One table file being written.
enum Sink {
    Parquet(ArrowWriter<BufWriter<File>>),
    Ipc(arrow_ipc::writer::FileWriter<BufWriter<File>>),
}

/// Writes returns as table files: one file per table of both returns in a folder, named by the
/// table (`Episodes.parquet`, `CINdetails.parquet`, the CIN census header as
/// [`CIN_HEADER_FILE`]), every collection year in one file with a `year` column (`int32`) before
/// the table's columns ([`crate::schema_of`]). Parquet files are compressed with snappy and hold
/// each year in row groups of its own; Arrow IPC files are uncompressed.
pub struct TableWriter {
    dir: PathBuf,
    format: TableFormat,
    sinks: Vec<(String, PathBuf, Sink, Vec<i32>)>,
}

impl TableWriter {
    /// A writer into the folder `dir` (created if missing) in `format` (the IPC stream format is
    /// written as the IPC file format).
    pub fn new(dir: &Path, format: TableFormat) -> Result<TableWriter, Error> {
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?;
        Ok(TableWriter {
            dir: dir.to_path_buf(),
            format,
            sinks: Vec::new(),
        })
    }

    /// Writes the tables of collection year `year`: every table of `cin` (its header as
    /// [`CIN_HEADER_FILE`]) and of `ssda903`, those they hold.
    pub fn write(
        &mut self,
        year: i32,
        cin: &CinReturn,
        ssda903: &Ssda903Return,
    ) -> Result<(), Error> {
        let cin = cin_tables(cin)
            .into_iter()
            .map(|(n, b)| (if n == CIN_HEADER { CIN_HEADER_FILE } else { n }, b));
        for (name, batch) in cin.chain(ssda903_tables(ssda903)) {
            self.write_table(name, year, &batch)?;
        }
        Ok(())
    }

    fn write_table(&mut self, name: &str, year: i32, batch: &RecordBatch) -> Result<(), Error> {
        let mut fields = vec![Arc::new(Field::new("year", DataType::Int32, false))];
        fields.extend(batch.schema().fields().iter().cloned());
        let schema = Arc::new(Schema::new(fields));
        let mut columns: Vec<ArrayRef> =
            vec![Arc::new(Int32Array::from_value(year, batch.num_rows()))];
        columns.extend(batch.columns().iter().cloned());
        let batch = RecordBatch::try_new(schema.clone(), columns)
            .map_err(|e| input_error(format!("table {name}: {e}")))?;
        let k = if let Some(k) = self.sinks.iter().position(|(n, ..)| n == name) {
            k
        } else {
            let path = self.dir.join(format!("{name}.{}", self.format.extension()));
            let file = File::create(&path).map_err(|e| write_error(&path, &e))?;
            let out = BufWriter::new(file);
            let sink = match self.format {
                TableFormat::Parquet => {
                    let props = WriterProperties::builder()
                        .set_compression(Compression::SNAPPY)
                        .build();
                    Sink::Parquet(
                        ArrowWriter::try_new(out, schema, Some(props))
                            .map_err(|e| arrow_write_error(&path, &e))?,
                    )
                }
                TableFormat::Ipc | TableFormat::IpcStream => Sink::Ipc(
                    arrow_ipc::writer::FileWriter::try_new(out, &schema)
                        .map_err(|e| arrow_write_error(&path, &e))?,
                ),
            };
            self.sinks.push((name.to_owned(), path, sink, Vec::new()));
            self.sinks.len() - 1
        };
        let (_, path, sink, years) = &mut self.sinks[k];
        years.push(year);
        match sink {
            Sink::Parquet(w) => {
                w.write(&batch).map_err(|e| arrow_write_error(path, &e))?;
                // Each year in row groups of its own.
                w.flush().map_err(|e| arrow_write_error(path, &e))?;
            }
            Sink::Ipc(w) => w.write(&batch).map_err(|e| arrow_write_error(path, &e))?,
        }
        Ok(())
    }

    /// Finishes every file; the files written, in the order first written.
    pub fn finish(self) -> Result<Vec<PathBuf>, Error> {
        let mut out = Vec::new();
        for (_, path, sink, years) in self.sinks {
            let years: Vec<String> = years.iter().map(i32::to_string).collect();
            let years = years.join(",");
            let out_file = match sink {
                Sink::Parquet(mut w) => {
                    w.append_key_value_metadata(KeyValue::new(HELD_YEARS.to_owned(), years));
                    w.into_inner().map_err(|e| arrow_write_error(&path, &e))?
                }
                Sink::Ipc(mut w) => {
                    w.write_metadata(HELD_YEARS, years);
                    w.finish().map_err(|e| arrow_write_error(&path, &e))?;
                    w.into_inner().map_err(|e| arrow_write_error(&path, &e))?
                }
            };
            out_file
                .into_inner()
                .map_err(|e| write_error(&path, e.error()))?;
            out.push(path);
        }
        Ok(out)
    }
}

fn write_error(path: &Path, e: &std::io::Error) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("{}: cannot be written: {e}", path.display()),
    )
}

fn arrow_write_error(path: &Path, e: &dyn std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("{}: cannot be written: {e}", path.display()),
    )
}
