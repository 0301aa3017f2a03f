//! Several returns at once: read every input, then merge them into one [`Dataset`] (spec 2.1).
//!
//! Each input is one return: a CIN census XML file, or an SSDA903 folder of CSV tables or XML file.
//! Its collection year is the caller's when given (`2024=path`), else the builder derives it (the
//! `ReferenceDate` of a CIN file, the latest `DECOM` of an SSDA903 return).

use std::path::{Path, PathBuf};

use csc_measures::records::ReturnKind;
use csc_measures::{Dataset, DatasetBuilder, Error, ErrorKind};

use crate::{FileReport, ReadOptions, cin, ssda903};

/// One return to load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// CIN census or SSDA903.
    pub kind: ReturnKind,
    /// A CIN XML file; an SSDA903 folder or XML file.
    pub path: PathBuf,
    /// The collection year, when the caller knows it.
    pub collection_year: Option<i32>,
}

impl Input {
    /// Parses `PATH` or `YEAR=PATH` (`2024=returns/2024`), as the command line takes them.
    ///
    /// ```
    /// use csc_measures::records::ReturnKind;
    /// use csc_returns::load::Input;
    /// let i = Input::parse(ReturnKind::Ssda903, "2024=returns/903/2024")?;
    /// assert_eq!(i.collection_year, Some(2024));
    /// assert_eq!(i.path.to_str(), Some("returns/903/2024"));
    /// assert_eq!(Input::parse(ReturnKind::Cin, "cin.xml")?.collection_year, None);
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn parse(kind: ReturnKind, s: &str) -> Result<Input, Error> {
        if let Some((y, p)) = s.split_once('=') {
            if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) {
                let year: i32 = y.parse().map_err(|_| bad_year(s))?;
                return Ok(Input {
                    kind,
                    path: PathBuf::from(p),
                    collection_year: Some(year),
                });
            }
            if y.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad_year(s));
            }
        }
        Ok(Input {
            kind,
            path: PathBuf::from(s),
            collection_year: None,
        })
    }
}

fn bad_year(s: &str) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("{s:?}: a collection year is four digits, as in 2024=PATH"),
    )
}

/// What [`load`] read: the merged dataset and what each file held. The dataset's
/// [`issues`](Dataset::issues) are the whole load report: the readers' entries, then the merge's.
#[derive(Debug)]
pub struct Loaded {
    /// The merged dataset.
    pub dataset: Dataset,
    /// What each file held, in load order.
    pub files: Vec<FileReport>,
}

/// Reads every input and merges them. `progress` is called with each input's path before it is
/// read. Strict mode stops at the first problem, in a file or in the merge.
pub fn load(
    inputs: &[Input],
    strict: bool,
    progress: &mut dyn FnMut(&Path),
) -> Result<Loaded, Error> {
    let mut builder = DatasetBuilder::new().strict(strict);
    let mut files = Vec::new();
    for input in inputs {
        progress(&input.path);
        let opts = ReadOptions {
            strict,
            collection_year: input.collection_year,
        };
        match input.kind {
            ReturnKind::Cin => {
                let read = cin::read_xml(&input.path, &opts)?;
                files.extend(read.files);
                builder.add_issues(read.issues);
                builder.add_cin(read.ret);
            }
            ReturnKind::Ssda903 => {
                let read = read_ssda903(&input.path, &opts)?;
                files.extend(read.files);
                builder.add_issues(read.issues);
                builder.add_ssda903(read.ret);
            }
        }
    }
    Ok(Loaded {
        dataset: builder.build()?,
        files,
    })
}

fn read_ssda903(
    path: &Path,
    opts: &ReadOptions,
) -> Result<crate::Read<csc_measures::records::Ssda903Return>, Error> {
    if path.is_dir() {
        return ssda903::read_dir(path, opts);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xml") => ssda903::read_xml(path, opts),
        Some("csv") => Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{}: an SSDA903 return is the folder that holds its CSV tables; give {} instead",
                path.display(),
                path.parent()
                    .map_or_else(|| ".".into(), |p| p.display().to_string())
            ),
        )),
        _ if !path.exists() => Err(Error::new(
            ErrorKind::Io,
            format!("{}: no such file or folder", path.display()),
        )),
        _ => Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{}: an SSDA903 return is a folder of CSV tables or an .xml file",
                path.display()
            ),
        )),
    }
}
