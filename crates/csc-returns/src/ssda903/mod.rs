//! The SSDA903 return: a folder of CSV tables, or the XML form (`EXPSSDA903`), read into and
//! written from an [`Ssda903Return`].
//!
//! # Reading CSV
//!
//! Each file is recognised by its header row, whatever it is called: a file is a table of the
//! schema ([`csc_measures::schema::ssda903`]) when its header holds every column of that table, in
//! any order and case, among any other columns; when several tables match, the one with the most
//! columns wins. A UTF-8 byte-order mark, CRLF line ends, blank lines, whitespace around fields and
//! header names, and quoted fields are all read as a person would expect. A file that is not UTF-8
//! is read as Windows-1252, with an `unreadable_value` warning. Columns a table does not have are
//! never a problem (and not kept). The return's [`ReturnSource::tables`] lists the tables whose
//! files it has (spec 2.3: a header-only file is a table with no rows).
//!
//! [`ReturnSource::tables`]: csc_measures::records::ReturnSource::tables
//!
//! # The rules (spec section 2, 2.3)
//!
//! Every row goes through the core's row rules ([`csc_measures::rows`]), the same for every
//! format: a blank `CHILD` skips the row (`missing_identifier`), and so does a blank `DECOM`
//! (`missing_identifier`) or a blank `REVIEW`, `MIS_START`, `SW_DECOM` (`missing_key_date`); a date
//! that is neither `D/M/YYYY` nor `YYYY-M-D` (a two-digit year, a time part, an impossible day
//! such as 31/02: never guessed) skips the row (`unreadable_date`), unless it is a child-level date
//! (`DOB`, `MC_DOB`, `DATE_PERM`), which is blanked with an `unreadable_date` entry while the row is
//! kept; an OC2 or OC3 row with nothing recorded is skipped (`blank_row`); an OC2 flag other than
//! `1`/`0` or an `SDQ_SCORE` outside 0-40 is read as blank (`unknown_code`). Codes are kept as they
//! stand (the [`DatasetBuilder`](csc_measures::DatasetBuilder) normalises them). A file whose header
//! matches no table is reported (`unknown_table`, naming the file, its header, the closest table
//! and the columns it lacks) and its rows are skipped.
//!
//! A file that writes its dates both ways (`D/M/YYYY` and `YYYY-M-D`) is read as written, with one
//! `mixed_date_formats` entry for the file, at the first date of the rarer form. A return given a
//! collection year that its episodes do not bear out gets a `likely_wrong_year` entry
//! ([`year_hint`]). (A table whose every row is skipped gets an `all_rows_skipped` entry from the
//! request layer: [`FileReport::all_skipped`].)
//!
//! Every entry names the child and record date when known and the file, 1-based physical line,
//! column and value. A strict read ([`ReadOptions::strict`]) stops at the first entry that
//! [stops strict mode](csc_measures::quality::IssueCode::stops_strict) with an
//! [`ErrorKind::DataQuality`] error carrying the same detail; the return it was reading into holds
//! what was read before it. An I/O failure is an [`ErrorKind::Io`] error naming the path.
//!
//! # Reading XML
//!
//! [`read_xml`] streams the XML form with quick-xml into the same records by the same rules; the
//! layout is the schema's (the `xml` module's docs say how the tables stand in `HEADER`). An
//! entry's line is the line the record's element (or the field's) starts on, and
//! [`Location::path`](csc_measures::quality::Location) holds the element path
//! (`EXPSSDA903/CHILD[3]/EPISODE[2]/DECOM`). A file whose records all start on one line (as files
//! written without line breaks are) has no useful lines: its entries and its rows' origins have
//! none, and the path (with the entry's child) places them. A `CHILD` without a `CHILDID` is skipped with
//! everything in it, and the entry gives the nested count. SWEpisodes has no XML form (spec 2.3):
//! a `SW_EPISODE` element, like any element with elements of its own that the form does not have,
//! is reported (`unknown_table`) and not read. Malformed XML, or a root other than `EXPSSDA903`,
//! is an [`ErrorKind::InvalidInput`] error. An XML file gets one [`FileReport`] per table it held.
//!
//! # Writing
//!
//! [`write_csv`] writes one file per table (the schema's file names and columns, in schema order):
//! the tables the return holds ([`ReturnSource::tables`]), and any other with rows; without that
//! list, `header.csv`, `episodes.csv`, `ad1.csv` and `placed_for_adoption.csv` always. Dates are
//! `DD/MM/YYYY`, flags `1`/`0`, blank for none, quoting only where needed. [`write_xml`] writes the
//! layout [`read_xml`] reads. Reading what was written gives the return back, apart from
//! [`RowOrigin`](csc_measures::records::RowOrigin)s and the file list. The XML form holds a child's
//! rows together under one `CHILD`, with `DOB` (and `SEX` for UASC) once, in the header: so a return
//! round-trips through XML when each child has one Header row that comes before its other rows in
//! each table's order, the other tables' `DOB` (and UASC `SEX`) agree with it, each AD1 and OC3
//! row has some value of its own, and it has no SWEpisodes rows.
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
mod write;
mod xml;

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use csc_measures::quality::{Location, clip};
use csc_measures::records::Ssda903Return;
use csc_measures::{Error, ErrorKind};

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

/// An I/O failure at `path`: the path is the error's location, so its message does not repeat it.
fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("cannot {what}: {e}")).at(Location {
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
/// Nothing in the folder is passed over without a word (decided here; the spec is silent):
///
/// * an entry named `*.csv` that is not a regular file (a sub-folder, a link to nothing or a link
///   that loops, a pipe, socket or device) is an `unknown_table` entry naming why; it is never
///   opened, so a pipe cannot block the read;
/// * a regular file of another name whose first row is the header of a table (`episodes.txt`,
///   `header.CSV.bak`) is an `unknown_table` entry naming the table and asking for it to be named
///   `.csv`; other files (a licence, a note, the XML form) and sub-folders are the folder's own
///   business, not read and not reported (as before: only `*.csv` files are tables), and hidden
///   entries (`.DS_Store`) are not even looked at;
/// * a folder that holds no SSDA903 table at all is an [`ErrorKind::InvalidInput`] error naming
///   the folder and everything it skipped, and a sub-folder that holds CSV files (the
///   `YYYY/ssda903` layout `synth` writes) as the folder to give instead.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("csc-read-dir-doc-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("ssda903")).unwrap();
/// std::fs::write(dir.join("ssda903/episodes.csv"), "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n").unwrap();
/// let e = csc_returns::ssda903::read_dir(&dir, &Default::default()).unwrap_err();
/// assert_eq!(e.kind(), csc_measures::ErrorKind::InvalidInput);
/// assert!(e.to_string().contains("no SSDA903 table"), "{e}");
/// assert!(e.to_string().contains("give"), "{e}");
/// let read = csc_returns::ssda903::read_dir(&dir.join("ssda903"), &Default::default()).unwrap();
/// assert_eq!(read.files[0].table, "Episodes");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
///
/// # Errors
///
/// [`ErrorKind::Io`] when the folder or a file cannot be read; [`ErrorKind::InvalidInput`] when the
/// folder holds no SSDA903 table; in strict mode, [`ErrorKind::DataQuality`] at the first problem
/// (see the [module docs](self)).
pub fn read_dir(dir: &Path, opts: &ReadOptions) -> Result<Read<Ssda903Return>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, "read the folder", &e))?;
    let mut paths = Vec::new();
    let mut passed: Vec<(PathBuf, Passed)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, "read the folder", &e))?;
        let path = entry.path();
        let is_csv = path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        match classify(&path) {
            Kind::File if is_csv => paths.push(path),
            _ if entry.file_name().to_string_lossy().starts_with('.') => {}
            Kind::File => {
                let table = sniff_table(&path);
                passed.push((path, Passed::File(table)));
            }
            Kind::Folder => passed.push((path, Passed::Folder { is_csv })),
            Kind::Other(why) => passed.push((path, Passed::Other { why, is_csv })),
        }
    }
    paths.sort();
    passed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut read = read_files(&paths, opts)?;
    let has_table = read
        .ret
        .source
        .tables
        .as_ref()
        .is_some_and(|t| !t.is_empty());
    if !has_table {
        return Err(no_table(dir, &read, &passed));
    }
    let mut rules = csc_measures::rows::Rules::new(
        csc_measures::rows::DateSyntax::Ssda903,
        opts.strict,
        &mut read.issues,
    );
    for (path, why) in &passed {
        let Some(msg) = why.issue() else { continue };
        let issue =
            csc_measures::quality::Issue::new(csc_measures::quality::IssueCode::UnknownTable, msg)
                .at(Some(Location {
                    file: Some(path_str(path)),
                    ..Location::default()
                }));
        rules.report(issue)?;
    }
    Ok(read)
}

/// What a folder entry is, links followed.
enum Kind {
    File,
    Folder,
    /// Not readable as a table, and why.
    Other(String),
}

/// Classifies `path` without opening it (a pipe would block).
fn classify(path: &Path) -> Kind {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Kind::File,
        Ok(m) if m.is_dir() => Kind::Folder,
        Ok(m) => Kind::Other(special(m.file_type()).into()),
        Err(e) => {
            let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            Kind::Other(match (link, e.kind()) {
                (true, std::io::ErrorKind::NotFound) => {
                    "a link to nothing (a dangling link)".into()
                }
                (true, _) => format!("a link that cannot be followed ({e})"),
                (false, _) => format!("cannot be looked at ({e})"),
            })
        }
    }
}

/// The kind of a file that is neither a regular file nor a folder.
fn special(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO), not a file";
        }
        if t.is_socket() {
            return "a socket, not a file";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device, not a file";
        }
    }
    let _ = t;
    "not a regular file"
}

/// The table whose header row a file of another name starts with, from its first 64 KB.
fn sniff_table(path: &Path) -> Option<&'static str> {
    use std::io::Read as _;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .ok()?;
    let text = String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head));
    let line = text.lines().find(|l| !l.trim().is_empty())?;
    let names: Vec<&str> = line
        .split(',')
        .map(|h| csc_measures::rows::trim(h.trim_matches('"')))
        .collect();
    csv::recognise(&names).ok().map(|l| l.table.name)
}

/// An entry of a folder that was not read as a table.
enum Passed {
    /// A regular file not named `.csv`, with the table its header matches.
    File(Option<&'static str>),
    /// A sub-folder.
    Folder { is_csv: bool },
    /// Anything else, and why it is no file.
    Other { why: String, is_csv: bool },
}

impl Passed {
    /// Why the entry was passed over, in words.
    fn reason(&self) -> String {
        match self {
            Passed::File(Some(t)) => {
                format!("its header row is the {t} table's, but its name does not end in .csv")
            }
            Passed::File(None) => "not a .csv file, not read".into(),
            Passed::Folder { is_csv: true } => "a folder named like a CSV file".into(),
            Passed::Folder { is_csv: false } => "a sub-folder, not read".into(),
            Passed::Other { why, .. } => why.clone(),
        }
    }

    /// The `unknown_table` message of an entry that should have been a table.
    fn issue(&self) -> Option<String> {
        match self {
            Passed::File(Some(_))
            | Passed::Folder { is_csv: true }
            | Passed::Other { is_csv: true, .. } => {
                Some(format!("{}; not read as a table", self.reason()))
            }
            _ => None,
        }
    }
}

/// The error of a folder that holds no SSDA903 table.
fn no_table(dir: &Path, read: &Read<Ssda903Return>, passed: &[(PathBuf, Passed)]) -> Error {
    const SHOWN: usize = 20;
    let mut what: Vec<String> = read
        .files
        .iter()
        .map(|f| {
            let name = Path::new(&*f.path)
                .file_name()
                .map_or_else(|| f.path.to_string(), |n| n.to_string_lossy().into_owned());
            format!("{} (its header row matches no table)", clip(&name))
        })
        .collect();
    let name = |p: &Path| {
        clip(&p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ))
    };
    what.extend(
        passed
            .iter()
            .map(|(p, why)| format!("{} ({})", name(p), why.reason())),
    );
    let held = if what.is_empty() {
        "it is empty".to_owned()
    } else {
        let more = what.len().saturating_sub(SHOWN);
        what.truncate(SHOWN);
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!("it holds {}{tail}", what.join(", "))
    };
    let holding_csv: Vec<String> = passed
        .iter()
        .filter(|(p, why)| {
            matches!(why, Passed::Folder { is_csv: false })
                && std::fs::read_dir(p).is_ok_and(|mut d| {
                    d.any(|e| {
                        e.is_ok_and(|e| {
                            e.path()
                                .extension()
                                .is_some_and(|x| x.eq_ignore_ascii_case("csv"))
                        })
                    })
                })
        })
        .map(|(p, _)| clip(&p.display().to_string()))
        .collect();
    let hint = if holding_csv.is_empty() {
        String::new()
    } else {
        format!(
            "; the CSV tables are probably in {}: give that folder as the return",
            holding_csv.join(" or ")
        )
    };
    Error::new(
        ErrorKind::InvalidInput,
        format!(
            "no SSDA903 table in this folder (a table is a .csv file whose first row names its \
             columns): {held}{hint}"
        ),
    )
    .at(Location {
        file: Some(path_str(dir)),
        ..Location::default()
    })
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
    year_hint(&mut read);
    Ok(read)
}

/// Adds the `likely_wrong_year` entry when the collection year given to a return is probably not
/// its own ([`read_dir`], [`read_files`] and the XML readers call it; a caller accumulating CSV
/// files with [`read_csv_bytes`] calls it once the return is complete).
///
/// The rule (decided here; the spec is silent): with a year `Y` given
/// ([`ReadOptions::collection_year`]) and the return's latest `DECOM` in another collection year
/// `L` (the year the return would be read as without one), the hint is given when more than half of
/// its episodes start after 31 March `Y` (a return for `Y` holds episodes open in `Y`, so its
/// starts are mostly in `Y` or before), or when `L` is before `Y` (no episode starts in the year
/// given). The entry names `L` as the likely year. A year the data supports, or no year, gives
/// none.
///
/// ```
/// use std::sync::Arc;
/// use csc_returns::{Read, ReadOptions, ssda903};
/// let csv = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
///            1,01/03/2017,S,C2,N1,U1,PR1,,,,,,\n\
///            2,01/05/2017,S,C2,N1,U1,PR1,,,,,,\n\
///            3,01/06/2017,S,C2,N1,U1,PR1,,,,,,\n";
/// let opts = ReadOptions { collection_year: Some(2017), ..ReadOptions::default() };
/// let mut read = Read::default();
/// ssda903::read_csv_bytes(Arc::from("episodes.csv"), csv.as_bytes(), &opts, &mut read)?;
/// ssda903::year_hint(&mut read);
/// assert_eq!(read.issues[0].code.as_str(), "likely_wrong_year");
/// assert!(read.issues[0].message.contains("probably the 2018 return"));
/// # Ok::<(), csc_measures::Error>(())
/// ```
pub fn year_hint(read: &mut Read<Ssda903Return>) {
    let Some(given) = read.ret.source.collection_year else {
        return;
    };
    let eps = &read.ret.episodes;
    let Some(latest) = eps.iter().map(|e| e.decom).max() else {
        return;
    };
    let likely = latest.financial_year();
    if likely == given
        || read
            .issues
            .iter()
            .any(|i| i.code == csc_measures::quality::IssueCode::LikelyWrongYear)
    {
        return;
    }
    let after = eps
        .iter()
        .filter(|e| e.decom.financial_year() > given)
        .count();
    let total = eps.len();
    if likely > given && after * 2 <= total {
        return;
    }
    let detail = if likely > given {
        format!(
            "{after} of its {total} care episodes ({}%) start after 31 March {given}, the end of \
             the collection year given",
            after * 100 / total
        )
    } else {
        format!("none of its {total} care episodes starts in the collection year {given} given")
    };
    let msg = format!(
        "the return was given as collection year {given} (the year to 31 March {given}), but \
         {detail}; the latest starts on {latest}, in collection year {likely}: this is probably \
         the {likely} return (the year to 31 March {likely}). Give it as {likely}=PATH, or \
         without a year; the date warnings that follow from the wrong year go with it"
    );
    let file = eps
        .iter()
        .find(|e| e.decom == latest)
        .and_then(|e| read.ret.source.files.get(e.origin.file as usize))
        .cloned();
    let issue =
        csc_measures::quality::Issue::new(csc_measures::quality::IssueCode::LikelyWrongYear, msg)
            .at(Some(Location {
                file,
                ..Location::default()
            }));
    read.issues.push(issue);
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
    let mut read =
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
        })?;
    year_hint(&mut read);
    Ok(read)
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
    let mut read = xml::read(file, bytes, opts)?;
    year_hint(&mut read);
    Ok(read)
}

/// Writes `ret` as CSV tables in `dir` (created when missing; files there of the same names are
/// replaced) and returns the paths written, in the schema's table order: each table the return
/// holds ([`ReturnSource::tables`](csc_measures::records::ReturnSource::tables)) or has rows of
/// (without that list, `header.csv`, `episodes.csv`, `ad1.csv` and `placed_for_adoption.csv`
/// always), under its schema file name (`reviews.csv`, `uasc.csv`, `oc2.csv`, `oc3.csv`,
/// `previous_permanence.csv`, `missing.csv`, `sw_episodes.csv`).
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
