//! The SSDA903 return: a folder of CSV tables, or the XML form (`EXPSSDA903`), read into and
//! written from an [`Ssda903Return`].
//!
//! # Reading CSV
//!
//! Each file is recognised by its header row, whatever it is called: a file is a table when its
//! header holds every official column of that table (see [`Table::columns`]), in any order and
//! case, among any other columns; when several tables match, the one with the most columns wins.
//! A UTF-8 byte-order mark, CRLF line ends, blank lines, whitespace around fields and header names,
//! and quoted fields are all read as a person would expect. Every field is trimmed and otherwise
//! kept as it stands: child identifiers keep their leading zeros, and codes are not normalised
//! (the [`DatasetBuilder`](csc_measures::DatasetBuilder) does that). A file that is not UTF-8 is
//! read as Windows-1252, with an `unreadable_value` warning.
//!
//! # The rules (spec section 2, "Unusable rows")
//!
//! * A row with a blank `CHILD` is skipped (`missing_identifier`).
//! * An Episodes row with a blank `DECOM` is skipped (`missing_identifier`, column `DECOM`).
//! * A date that is not `D/M/YYYY` ([`field::ssda903_date`](crate::field::ssda903_date): a
//!   two-digit year, an ISO date, a time part, or an impossible day such as 31/02 are all
//!   unreadable, never guessed) skips the row (`unreadable_date`), unless it is a child-level
//!   date (`DOB`, `MC_DOB`), which is blanked with an `unreadable_date` entry while the row is
//!   kept. This holds for every table: the date columns of the other tables (Reviews `REVIEW`,
//!   Missing `MIS_START` and `MIS_END`, UASC `DUC`, PrevPerm `DATE_PERM`, SWEpisodes `SW_DECOM`
//!   and `SW_DEC`, and `DOB` everywhere) are checked too. `DATE_PERM` also takes the guide's
//!   partial forms `ZZ/MM/YYYY`, `ZZ/ZZ/YYYY` and `ZZ/ZZ/ZZZZ`.
//! * A file whose header matches no table is reported (`missing_identifier`, naming the file, its
//!   header, the closest table and the columns it lacks) and its rows are skipped. Unknown columns
//!   are never a problem.
//!
//! Every entry names the child and record date when known and the file, 1-based physical line,
//! column and value. A strict read ([`ReadOptions::strict`]) stops at the first of these problems
//! with an [`ErrorKind::DataQuality`] error carrying the same detail; the return it was reading
//! into holds what was read before it. An I/O failure is an [`ErrorKind::Io`] error naming the
//! path.
//!
//! Rows of Reviews, Missing, OC2, OC3, UASC, PrevPerm and SWEpisodes are kept as [`OtherRow`]s:
//! every column, named as the header names it (official columns in their official spelling), in
//! file order, trimmed, with a blanked child-level date left blank.
//!
//! # Reading XML
//!
//! [`read_xml`] streams the XML form with quick-xml into the same records by the same rules; the
//! layout is described in the `xml` module's source. An entry's line is the line the record's
//! element (or the field's) starts on, and [`Location::path`](csc_measures::quality::Location)
//! holds the element path (`EXPSSDA903/CHILD[3]/EPISODE[2]/DECOM`). A `CHILD` without a `CHILDID`
//! is skipped with everything in it, and the entry gives the nested count. Malformed XML, or a
//! root other than `EXPSSDA903`, is an [`ErrorKind::InvalidInput`] error. An XML file gets one
//! [`FileReport`] per table it held.
//!
//! # Writing
//!
//! [`write_csv`] writes `header.csv`, `episodes.csv`, `ad1.csv`, `placed_for_adoption.csv` and one
//! file per other table present, with the official columns in the official order (then any other
//! columns the rows have), dates as `DD/MM/YYYY`, blank for none, quoting only where needed.
//! [`write_xml`] writes the layout [`read_xml`] reads. Reading what was written gives the return
//! back, apart from [`RowOrigin`](csc_measures::records::RowOrigin)s and the file list (and the
//! order of other rows of different tables). The XML form holds a child's rows together under one
//! `CHILD`, with `DOB` (and `SEX` for UASC) once, in the header: so a return round-trips through
//! XML when each child has one Header row that comes before its other rows in each table's order,
//! the other tables' `DOB` (and UASC `SEX`) agree with it as `DD/MM/YYYY`, and each AD1, OC3 and
//! UASC row has some value of its own.
//!
//! ```
//! use std::sync::Arc;
//! use csc_returns::{Read, ReadOptions, ssda903};
//! let mut read = Read::default();
//! let csv = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
//!            007,01/04/2023,S,C2,N1,U1,PR1,31/02/2024,E11,,,,\n\
//!            007,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n";
//! ssda903::read_csv_bytes(Arc::from("eps.csv"), csv.as_bytes(), &ReadOptions::default(), &mut read)?;
//! assert_eq!(read.ret.episodes.len(), 1);
//! assert_eq!(read.ret.episodes[0].child, "007");
//! assert_eq!(read.issues[0].code.as_str(), "unreadable_date");
//! assert_eq!(read.issues[0].location.as_ref().unwrap().line, Some(2));
//! # Ok::<(), csc_measures::Error>(())
//! ```

mod csv;
mod rules;
mod tables;
mod write;
mod xml;

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use csc_measures::quality::Location;
#[cfg(doc)]
use csc_measures::records::OtherRow;
use csc_measures::records::Ssda903Return;
use csc_measures::{Error, ErrorKind};

pub use tables::Table;

use crate::{Read, ReadOptions};

#[cfg(doc)]
use crate::FileReport;

fn empty_read(opts: &ReadOptions) -> Read<Ssda903Return> {
    let mut read = Read {
        ret: Ssda903Return::default(),
        issues: Vec::new(),
        files: Vec::new(),
    };
    read.ret.source.collection_year = opts.collection_year;
    read
}

fn path_str(path: &Path) -> Arc<str> {
    Arc::from(path.to_string_lossy().as_ref())
}

fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("cannot {what} {}: {e}", path.display()),
    )
    .at(Location {
        file: Some(path_str(path)),
        ..Location::default()
    })
}

/// Reads every `*.csv` file in `dir` (not its subfolders), in path order, as the tables of one
/// return.
///
/// `ret.source.files` lists the files read, `ret.source.collection_year` is
/// [`ReadOptions::collection_year`], and [`Read::files`] has one report per file.
///
/// # Errors
///
/// [`ErrorKind::Io`] when the folder or a file cannot be read; in strict mode,
/// [`ErrorKind::DataQuality`] at the first problem (see the [module docs](self)).
pub fn read_dir(dir: &Path, opts: &ReadOptions) -> Result<Read<Ssda903Return>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, "read the folder", &e))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, "read the folder", &e))?;
        let path = entry.path();
        let is_csv = path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        if is_csv && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    read_files(&paths, opts)
}

/// Reads the CSV files `paths`, in the order given, as the tables of one return (see
/// [`read_dir`]).
///
/// # Errors
///
/// As [`read_dir`].
pub fn read_files(paths: &[PathBuf], opts: &ReadOptions) -> Result<Read<Ssda903Return>, Error> {
    let mut read = empty_read(opts);
    for path in paths {
        let bytes = std::fs::read(path).map_err(|e| io_error(path, "read", &e))?;
        read_csv_bytes(path_str(path), &bytes, opts, &mut read)?;
    }
    Ok(read)
}

/// Parses one CSV table file held in memory into the return being accumulated in `into`.
///
/// `file` names it in issues; it is appended to `into.ret.source.files` (rows' origins index that
/// list), and a [`FileReport`] to `into.files`. When [`ReadOptions::collection_year`] is given it
/// becomes `into.ret.source.collection_year`.
///
/// # Errors
///
/// In strict mode, [`ErrorKind::DataQuality`] at the first problem; `into` then holds the rows
/// read before it.
pub fn read_csv_bytes(
    file: Arc<str>,
    bytes: &[u8],
    opts: &ReadOptions,
    into: &mut Read<Ssda903Return>,
) -> Result<(), Error> {
    csv::read(file, bytes, opts, into)
}

/// Reads an SSDA903 XML file (root `EXPSSDA903`), streamed.
///
/// # Errors
///
/// [`ErrorKind::Io`] when the file cannot be read; [`ErrorKind::InvalidInput`] when it is not
/// well-formed XML or not an SSDA903 XML file; in strict mode, [`ErrorKind::DataQuality`] at the
/// first problem.
pub fn read_xml(path: &Path, opts: &ReadOptions) -> Result<Read<Ssda903Return>, Error> {
    let file = std::fs::File::open(path).map_err(|e| io_error(path, "read", &e))?;
    let name = path_str(path);
    xml::read(name, BufReader::with_capacity(64 * 1024, file), opts).map_err(|e| {
        // quick-xml reports a failed read as an XML error; name it as the I/O failure it is.
        if e.message().contains("I/O error") {
            Error::new(
                ErrorKind::Io,
                format!("cannot read {}: {}", path.display(), e.message()),
            )
        } else {
            e
        }
    })
}

/// Reads an SSDA903 XML file held in memory; `file` names it in issues and in
/// `ret.source.files`.
///
/// # Errors
///
/// As [`read_xml`], without the I/O failures.
pub fn read_xml_bytes(
    file: Arc<str>,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<Read<Ssda903Return>, Error> {
    xml::read(file, bytes, opts)
}

/// Writes `ret` as CSV tables in `dir` (created when missing; files there of the same names are
/// replaced) and returns the paths written, in writing order: `header.csv`, `episodes.csv`,
/// `ad1.csv`, `placed_for_adoption.csv` (always), then one file per other table present, in
/// [`Table`] order (`reviews.csv`, `uasc.csv`, `oc2.csv`, `oc3.csv`, `previous_permanence.csv`,
/// `missing.csv`, `sw_episodes.csv`; a table of another name gets its lower-cased name).
///
/// # Errors
///
/// [`ErrorKind::Io`] naming the path that could not be written.
pub fn write_csv(ret: &Ssda903Return, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    write::write_csv(ret, dir)
}

/// Writes `ret` in the XML form [`read_xml`] reads: one `CHILD` per child, in the order children
/// first appear (Header rows first), holding its `HEADER` (with the nested and flat tables) and
/// its `EPISODE`s.
///
/// Where the layout holds a value once per child (`DOB`, and `SEX` for UASC), the Header row's is
/// written. A child with no Header row gets a `HEADER` with only its `CHILDID`; a further Header
/// row of the same child gets a `CHILD` of its own. Several AD1, OC3 or UASC rows of one child are
/// written as repeated groups of their fields, which this reader reads back (the DfE schema has
/// one).
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`] when an other row's table has no place in the XML form;
/// [`ErrorKind::Io`] when writing fails.
pub fn write_xml<W: std::io::Write>(ret: &Ssda903Return, w: W) -> Result<(), Error> {
    // Buffered here, as the CIN writer is: the XML is written a few bytes at a time.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, w);
    write::write_xml(ret, &mut buffered)?;
    std::io::Write::flush(&mut buffered).map_err(|e| {
        Error::new(
            csc_measures::ErrorKind::Io,
            format!("writing the SSDA903 XML: {e}"),
        )
    })
}
