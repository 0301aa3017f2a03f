//! Loading a job's inputs: every file, byte buffer or frame read by its format (in parallel with the
//! default `parallel` feature: one file per core, in the caller's order for everything that
//! depends on order), then merged into one [`Dataset`] (spec 2.1); or the built-in sample.

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

fn read_one(input: &Input, strict: bool) -> Result<One, Error> {
    let opts = ReadOptions {
        strict,
        collection_year: input.year,
    };
    match (&input.source, input.kind) {
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
    }
}

/// Reads every input, in parallel when the `parallel` feature is on; the results are in the
/// inputs' order, and the first error in that order is the one returned.
fn read_all(
    inputs: &[Input],
    strict: bool,
    progress: &(dyn Fn(&Input) + Sync),
) -> Vec<Result<One, Error>> {
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
        Source::Path(p) => p.display().to_string(),
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
    for read in read_all(&inputs.returns, inputs.strict, progress) {
        match read? {
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
    let n_cin = inputs
        .returns
        .iter()
        .filter(|i| i.kind == ReturnKind::Cin)
        .count();
    let n_ssda = inputs.returns.len() - n_cin;
    let mut description = format!(
        "{} returns ({n_files} files): {n_cin} CIN census, {n_ssda} SSDA903",
        inputs.returns.len(),
    );
    if n_frames > 0 {
        description = if inputs.returns.is_empty() {
            format!("{n_frames} returns from tables")
        } else {
            format!("{description}; {n_frames} returns from tables")
        };
    }
    Ok(Loaded {
        dataset: builder.build()?,
        files,
        description,
    })
}
