//! Loading a job's inputs: every file, byte buffer, table file or frame read by its format (in
//! parallel with the default `parallel` feature: one file per core, and for table files one table
//! file, then one collection year, per core; in the caller's order for everything that depends on
//! order), then merged into one [`Dataset`] (spec 2.1); or the built-in sample.

use csc_measures::records::{CinReturn, ReturnKind, Ssda903Return};
use csc_measures::{Dataset, DatasetBuilder, Error, ErrorKind};
use csc_returns::{FileReport, Read, ReadOptions, cin, ssda903};
use std::path::Path;

use crate::request::{Input, Inputs, Source};

/// A loaded dataset, what each file held, and a line saying where it came from.
#[derive(Debug)]
pub struct Loaded {
    /// The merged dataset; its [`issues`](Dataset::issues) are the whole load report: the readers'
    /// entries, then the merge's.
    pub dataset: Dataset,
    /// What each file held, in load order (empty for the sample).
    pub files: Vec<FileReport>,
    /// Where the data came from, for people.
    pub description: String,
}

/// One read return.
enum One {
    Cin(Read<CinReturn>),
    Ssda903(Read<Ssda903Return>),
}

fn read_ssda903_path(path: &Path, opts: &ReadOptions) -> Result<Read<Ssda903Return>, Error> {
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
        // Why it cannot be looked at: missing, or a link that loops or leads nowhere.
        _ if std::fs::metadata(path).is_err() => Err(Error::new(
            ErrorKind::Io,
            match std::fs::metadata(path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    format!("{}: cannot be read: {e}", path.display())
                }
                _ if path.is_symlink() => {
                    format!("{}: a link to nothing (a dangling link)", path.display())
                }
                _ => format!("{}: no such file or folder", path.display()),
            },
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

fn looks_like_xml(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
}

/// Runs `f` on every item, on all cores with the `parallel` feature; the results in order.
fn each<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync + Send) -> Vec<U> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.into_iter().map(f).collect()
    }
}

/// Reads the table files at `path` ([`csc_arrow::files`]): one collection year at a time when
/// the files allow it ([`TableFiles::years`](csc_arrow::files::TableFiles::years)), else every
/// file, then every year; each year (or file) on a core of its own with the `parallel` feature.
fn read_tables(path: &Path, year: Option<i32>, strict: bool) -> Result<Vec<One>, Error> {
    let set = csc_arrow::files::TableFiles::open(path, year)?;
    let reads = if let Some(years) = set.years()? {
        each(years, |y| {
            set.read_year(y)
                .and_then(|r| csc_arrow::read(vec![r], strict))
        })
    } else {
        let tables = each(set.files().to_vec(), |f| {
            csc_arrow::files::read_table_file(&f)
        })
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
        let returns = csc_arrow::files::split_years(tables, year, path)?;
        each(returns, |r| csc_arrow::read(vec![r], strict))
    };
    let mut out = Vec::new();
    for read in reads {
        out.extend(read?.into_iter().map(|r| match r {
            csc_arrow::ReadReturn::Cin(r) => One::Cin(r),
            csc_arrow::ReadReturn::Ssda903(r) => One::Ssda903(r),
        }));
    }
    Ok(out)
}

fn read_one(input: &Input, strict: bool) -> Result<Vec<One>, Error> {
    let opts = ReadOptions {
        strict,
        collection_year: input.year,
    };
    let one = match (&input.source, input.kind) {
        (Source::Tables(p), _) => return read_tables(p, input.year, strict),
        (Source::Path(p), ReturnKind::Cin) => cin::read_xml(p, &opts).map(One::Cin),
        (Source::Path(p), ReturnKind::Ssda903) => read_ssda903_path(p, &opts).map(One::Ssda903),
        (Source::Bytes { name, bytes }, ReturnKind::Cin) => {
            cin::read_xml_from(name.clone(), &bytes[..], &opts).map(One::Cin)
        }
        (Source::Bytes { name, bytes }, ReturnKind::Ssda903) => {
            if looks_like_xml(bytes) {
                ssda903::read_xml_bytes(name.clone(), bytes, &opts).map(One::Ssda903)
            } else {
                let mut read = Read::<Ssda903Return>::default();
                read.ret.source.collection_year = input.year;
                ssda903::read_csv_bytes(name.clone(), bytes, &opts, &mut read)?;
                ssda903::year_hint(&mut read);
                Ok(One::Ssda903(read))
            }
        }
    };
    one.map(|one| vec![one])
}

/// Reads every input, in parallel when the `parallel` feature is on; the results are in the
/// inputs' order, and the first error in that order is the one returned.
fn read_all(
    inputs: &[Input],
    strict: bool,
    progress: &(dyn Fn(&Input) + Sync),
) -> Vec<Result<Vec<One>, Error>> {
    let each = |i: &Input| {
        progress(i);
        read_one(i, strict)
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        inputs.par_iter().map(each).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        inputs.iter().map(each).collect()
    }
}

/// Adds an `all_rows_skipped` entry for each SSDA903 table that had rows and kept none
/// ([`FileReport::all_skipped`]), so that nothing loads silently empty: the entry is prominent in
/// `check` and counted with the others everywhere. (A CIN census whose every `Child` is skipped
/// covers no year, so its measures say `no_data` rather than 0.) Strict mode never gets here: it
/// stopped at the table's first row.
fn all_skipped(issues: &mut Vec<csc_measures::quality::Issue>, files: &[FileReport]) {
    let found: Vec<_> = files.iter().filter_map(|f| f.all_skipped(issues)).collect();
    issues.extend(found);
}

/// What an input is called in progress messages and errors.
#[must_use]
pub fn input_name(i: &Input) -> String {
    match &i.source {
        Source::Path(p) | Source::Tables(p) => p.display().to_string(),
        Source::Bytes { name, .. } => name.to_string(),
    }
}

/// Loads `inputs`: reads every return and merges them, or builds the sample when there are none
/// and a sample is given (an empty dataset when it is not).
/// `progress` is called with each input as it is read (from the reading thread). Strict mode stops
/// at the first problem, in a file or in the merge.
pub fn load(inputs: &Inputs, progress: &(dyn Fn(&Input) + Sync)) -> Result<Loaded, Error> {
    if let (true, Some(sample)) = (inputs.is_sample(), inputs.sample) {
        let config = csc_synth::Config {
            children: sample.children,
            seed: sample.seed,
            ..csc_synth::Config::default()
        };
        let dataset = csc_synth::dataset(&config)?;
        let estimates = config.population();
        let description = format!(
            "Built-in synthetic sample: {} children in its history (about {} aged 0-17 in the \
             authority), collection years {}-{}, seed {}",
            config.children,
            estimates.last().map_or(0, |&(_, t)| t),
            config.first_year,
            config.last_year,
            config.seed
        );
        return Ok(Loaded {
            dataset,
            files: Vec::new(),
            description,
        });
    }
    let mut builder = DatasetBuilder::new().strict(inputs.strict);
    let mut files = Vec::new();
    let mut n_table_returns = 0;
    for (input, read) in
        inputs
            .returns
            .iter()
            .zip(read_all(&inputs.returns, inputs.strict, progress))
    {
        let read = read?;
        if matches!(input.source, Source::Tables(_)) {
            n_table_returns += read.len();
        }
        for one in read {
            match one {
                One::Cin(r) => {
                    files.extend(r.files);
                    builder.add_issues(r.issues);
                    builder.add_cin(r.ret);
                }
                One::Ssda903(mut r) => {
                    all_skipped(&mut r.issues, &r.files);
                    files.extend(r.files);
                    builder.add_issues(r.issues);
                    builder.add_ssda903(r.ret);
                }
            }
        }
    }
    let n_files = files.len();
    let frames = csc_arrow::read(inputs.frames.clone(), inputs.strict)?;
    let n_frames = frames.len();
    for r in frames {
        match r {
            csc_arrow::ReadReturn::Cin(r) => {
                files.extend(r.files);
                builder.add_issues(r.issues);
                builder.add_cin(r.ret);
            }
            csc_arrow::ReadReturn::Ssda903(mut r) => {
                all_skipped(&mut r.issues, &r.files);
                files.extend(r.files);
                builder.add_issues(r.issues);
                builder.add_ssda903(r.ret);
            }
        }
    }
    let description = describe(&inputs.returns, n_files, n_frames, n_table_returns);
    let dataset = builder.build()?;
    Ok(Loaded {
        dataset,
        files,
        description,
    })
}

/// Where the data came from, for people: the returns of files, of table files and of frames.
fn describe(inputs: &[Input], n_files: usize, n_frames: usize, n_table_returns: usize) -> String {
    let is_tables = |i: &&Input| matches!(i.source, Source::Tables(_));
    let n_tables = inputs.iter().filter(is_tables).count();
    let n_cin = inputs
        .iter()
        .filter(|i| i.kind == ReturnKind::Cin && !is_tables(i))
        .count();
    let n_ssda = inputs.len() - n_tables - n_cin;
    let mut description = format!(
        "{} returns ({n_files} files): {n_cin} CIN census, {n_ssda} SSDA903",
        inputs.len() - n_tables,
    );
    if n_tables > 0 {
        let tables = format!("{n_tables} inputs of table files ({n_table_returns} returns)");
        description = if n_tables == inputs.len() {
            format!("{tables}, {n_files} tables")
        } else {
            format!("{description}; {tables}")
        };
    }
    if n_frames > 0 {
        description = if inputs.is_empty() {
            format!("{n_frames} returns from tables")
        } else {
            format!("{description}; {n_frames} returns from tables")
        };
    }
    description
}
