//! The whole pipeline at scale, step by step: generate synthetic returns, write them as files, read
//! each kind back, merge them into a `Dataset`, and compute every measure for the last year.
//!
//! ```text
//! cargo run --release -p csc-benches --example pipeline -- --children 1000000 --years 2019-2024
//! ```
//!
//! Options: `--children N` (default 100,000), `--years FIRST-LAST` (default 2019-2024), `--seed S`
//! (42), `--dir DIR` (where to write the files; default a new folder in the temporary folder, removed
//! at the end unless `--keep`), `--keep`. Prints the size of the files of each kind and a table of
//! the time of each step, with MB/s for the readers, then the peak resident memory.
//!
//! Each reader's time is also given as a multiple of a plain byte scan of the same files in the
//! same run (`x scan`: open each file, read it through a 64 KiB buffer and count its newlines, as
//! `wc -l` does), so the figure holds on a busy machine where MB/s do not. The last read step loads
//! every file the way the command does (`csc_api::load`: the files of a load read in parallel,
//! then merged and built), on every core and then on a pool of one thread.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use csc_api::{Input, Inputs, Source, load};
use csc_measures::measure::{Options, compute_many};
use csc_measures::records::{CinReturn, ReturnKind, Ssda903Return};
use csc_measures::{DatasetBuilder, Period};
use csc_returns::{Read, ReadOptions, cin, ssda903};

struct Args {
    children: u32,
    first_year: i32,
    last_year: i32,
    seed: u64,
    dir: Option<PathBuf>,
    keep: bool,
}

fn usage(msg: &str) -> ! {
    eprintln!(
        "{msg}\nusage: pipeline [--children N] [--years FIRST-LAST] [--seed S] [--dir DIR] [--keep]"
    );
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut a = Args {
        children: 100_000,
        first_year: 2019,
        last_year: 2024,
        seed: 42,
        dir: None,
        keep: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .unwrap_or_else(|| usage(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--children" => {
                a.children = value("--children")
                    .replace('_', "")
                    .parse()
                    .unwrap_or_else(|_| usage("--children takes a whole number"));
            }
            "--years" => {
                let v = value("--years");
                let (f, l) = v.split_once('-').unwrap_or((&v, &v));
                match (f.parse(), l.parse()) {
                    (Ok(f), Ok(l)) if f <= l => (a.first_year, a.last_year) = (f, l),
                    _ => usage("--years takes FIRST-LAST, as in 2019-2024"),
                }
            }
            "--seed" => {
                a.seed = value("--seed")
                    .parse()
                    .unwrap_or_else(|_| usage("--seed takes a whole number"));
            }
            "--dir" => a.dir = Some(PathBuf::from(value("--dir"))),
            "--keep" => a.keep = true,
            "-h" | "--help" => usage("the whole pipeline, timed step by step"),
            other => usage(&format!("unknown argument {other:?}")),
        }
    }
    a
}

/// One line of the table.
struct Step {
    name: String,
    time: Duration,
    bytes: Option<u64>,
    rows: Option<usize>,
    /// The time of a plain byte scan of the same files, for the readers.
    scan: Option<Duration>,
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).map_or(0, |m| m.len())
}

fn dir_len(p: &Path) -> u64 {
    std::fs::read_dir(p).map_or(0, |d| d.flatten().map(|e| file_len(&e.path())).sum())
}

fn cin_rows(r: &CinReturn) -> usize {
    r.rows()
}

fn ssda903_rows(r: &Ssda903Return) -> usize {
    r.rows()
}

/// The peak resident memory of this process so far (`VmHWM`), where Linux says it.
fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .map(|v| v.trim().to_owned())
}

fn timed<T>(steps: &mut Vec<Step>, name: &str, f: impl FnOnce() -> T) -> T {
    eprint!("{name} ... ");
    let t = Instant::now();
    let out = f();
    let time = t.elapsed();
    eprintln!("{:.2} s", time.as_secs_f64());
    steps.push(Step {
        name: name.to_owned(),
        time,
        bytes: None,
        rows: None,
        scan: None,
    });
    out
}

/// Reads every byte of the files at `paths` (folders: their files) through a 64 KiB buffer and
/// counts the newlines: the floor a reader of the same bytes is measured against.
fn byte_scan(paths: &[PathBuf]) -> (Duration, u64) {
    use std::io::Read as _;
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(p)
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            inner.sort();
            files.extend(inner);
        } else {
            files.push(p.clone());
        }
    }
    let t = Instant::now();
    let mut newlines = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    for f in &files {
        let mut f = std::fs::File::open(f).expect("open a file to scan");
        loop {
            let n = f.read(&mut buf).expect("read a file to scan");
            if n == 0 {
                break;
            }
            // A plain loop the compiler vectorises: the floor, not a rival reader.
            #[allow(clippy::naive_bytecount)]
            let found = buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
            newlines += found;
        }
    }
    (t.elapsed(), std::hint::black_box(newlines))
}

fn set_scan(steps: &mut [Step], paths: &[PathBuf]) {
    let (scan, _) = byte_scan(paths);
    if let Some(s) = steps.last_mut() {
        s.scan = Some(scan);
    }
}

fn set_last(steps: &mut [Step], bytes: Option<u64>, rows: Option<usize>) {
    if let Some(s) = steps.last_mut() {
        s.bytes = bytes;
        s.rows = rows;
    }
}

struct Written {
    years: Vec<i32>,
    cin: Vec<PathBuf>,
    ssda903_dirs: Vec<PathBuf>,
    ssda903_xml: Vec<PathBuf>,
}

fn write_files(args: &Args, dir: &Path, steps: &mut Vec<Step>) -> Written {
    let config = csc_synth::Config {
        children: args.children,
        first_year: args.first_year,
        last_year: args.last_year,
        seed: args.seed,
    };
    let synthetic = timed(steps, "generate (csc-synth)", || {
        csc_synth::generate(&config)
    });
    let rows: usize = synthetic.cin.iter().map(cin_rows).sum::<usize>()
        + synthetic.ssda903.iter().map(ssda903_rows).sum::<usize>();
    set_last(steps, None, Some(rows));

    let mut w = Written {
        years: Vec::new(),
        cin: Vec::new(),
        ssda903_dirs: Vec::new(),
        ssda903_xml: Vec::new(),
    };
    for r in &synthetic.cin {
        let year = r.source.collection_year.unwrap_or_default();
        w.years.push(year);
        w.cin.push(dir.join(format!("cin_{year}.xml")));
        w.ssda903_dirs.push(dir.join(format!("ssda903_{year}")));
        w.ssda903_xml.push(dir.join(format!("ssda903_{year}.xml")));
    }
    timed(steps, "write CIN XML", || {
        for (r, p) in synthetic.cin.iter().zip(&w.cin) {
            let f = std::fs::File::create(p).expect("create a CIN file");
            cin::write_xml(r, f).expect("write CIN XML");
        }
    });
    set_last(steps, Some(w.cin.iter().map(|p| file_len(p)).sum()), None);
    timed(steps, "write SSDA903 CSV", || {
        for (r, p) in synthetic.ssda903.iter().zip(&w.ssda903_dirs) {
            ssda903::write_csv(r, p).expect("write SSDA903 CSV");
        }
    });
    set_last(
        steps,
        Some(w.ssda903_dirs.iter().map(|p| dir_len(p)).sum()),
        None,
    );
    // The XML form has no SWEpisodes (spec 2.3): it is written without them.
    let xml_returns: Vec<_> = synthetic
        .ssda903
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.sw_episodes.clear();
            r
        })
        .collect();
    timed(steps, "write SSDA903 XML", || {
        for (r, p) in xml_returns.iter().zip(&w.ssda903_xml) {
            // `ssda903::write_xml` does not buffer (`cin::write_xml` does).
            let f = std::fs::File::create(p).expect("create an SSDA903 XML file");
            ssda903::write_xml(r, std::io::BufWriter::new(f)).expect("write SSDA903 XML");
        }
    });
    set_last(
        steps,
        Some(w.ssda903_xml.iter().map(|p| file_len(p)).sum()),
        None,
    );
    w
}

fn print_table(steps: &[Step]) {
    println!();
    println!("| step | seconds | MB | MB/s | rows | x scan |");
    println!("|---|---:|---:|---:|---:|---:|");
    for s in steps {
        let secs = s.time.as_secs_f64();
        let (size, rate) = match s.bytes {
            Some(b) => (
                format!("{:.1}", mb(b)),
                format!("{:.1}", mb(b) / secs.max(1e-9)),
            ),
            None => (String::new(), String::new()),
        };
        let rows = s.rows.map(|r| r.to_string()).unwrap_or_default();
        let ratio = s
            .scan
            .map(|d| format!("{:.1}", secs / d.as_secs_f64().max(1e-9)))
            .unwrap_or_default();
        println!(
            "| {} | {secs:.2} | {size} | {rate} | {rows} | {ratio} |",
            s.name
        );
    }
}

/// Reads every file of each kind, timed: the CIN and CSV reads are kept for the build.
fn read_files(
    w: &Written,
    steps: &mut Vec<Step>,
    [cin_bytes, csv_bytes, xml_bytes]: [u64; 3],
) -> (Vec<Read<CinReturn>>, Vec<Read<Ssda903Return>>) {
    let opts = ReadOptions::default();
    let cin_reads: Vec<Read<CinReturn>> = timed(steps, "read CIN XML", || {
        w.cin
            .iter()
            .zip(&w.years)
            .map(|(p, &y)| {
                let o = ReadOptions {
                    collection_year: Some(y),
                    ..opts.clone()
                };
                cin::read_xml(p, &o).expect("read CIN XML")
            })
            .collect()
    });
    set_last(
        steps,
        Some(cin_bytes),
        Some(cin_reads.iter().map(|r| cin_rows(&r.ret)).sum()),
    );
    set_scan(steps, &w.cin);
    let csv_reads: Vec<Read<Ssda903Return>> = timed(steps, "read SSDA903 CSV", || {
        w.ssda903_dirs
            .iter()
            .zip(&w.years)
            .map(|(p, &y)| {
                let o = ReadOptions {
                    collection_year: Some(y),
                    ..opts.clone()
                };
                ssda903::read_dir(p, &o).expect("read SSDA903 CSV")
            })
            .collect()
    });
    set_last(
        steps,
        Some(csv_bytes),
        Some(csv_reads.iter().map(|r| ssda903_rows(&r.ret)).sum()),
    );
    set_scan(steps, &w.ssda903_dirs);
    let xml_rows = timed(steps, "read SSDA903 XML", || {
        w.ssda903_xml
            .iter()
            .map(|p| ssda903_rows(&ssda903::read_xml(p, &opts).expect("read SSDA903 XML").ret))
            .sum::<usize>()
    });
    set_last(steps, Some(xml_bytes), Some(xml_rows));
    set_scan(steps, &w.ssda903_xml);

    (cin_reads, csv_reads)
}

/// Loads the CIN XML files and SSDA903 CSV folders as the command does (`csc_api::load`: the
/// files read in parallel, then merged and built), on every core and then on a pool of one thread.
fn load_steps(w: &Written, steps: &mut Vec<Step>, bytes: u64) {
    let mut returns = Vec::new();
    for ((cin, dir), &year) in w.cin.iter().zip(&w.ssda903_dirs).zip(&w.years) {
        for (kind, path) in [(ReturnKind::Cin, cin), (ReturnKind::Ssda903, dir)] {
            returns.push(Input {
                kind,
                source: Source::Path(path.clone()),
                year: Some(year),
            });
        }
    }
    let inputs = Inputs {
        returns,
        ..Inputs::default()
    };
    let mut paths = w.cin.clone();
    paths.extend(w.ssda903_dirs.iter().cloned());
    let threads = rayon::current_num_threads();
    let loaded = timed(
        steps,
        &format!("load CIN XML + SSDA903 CSV and build ({threads} threads)"),
        || load(&inputs, &|_| {}).expect("load the files"),
    );
    set_last(steps, Some(bytes), None);
    set_scan(steps, &paths);
    drop(loaded);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool of one thread");
    let loaded = timed(
        steps,
        "load CIN XML + SSDA903 CSV and build (1 thread)",
        || one.install(|| load(&inputs, &|_| {}).expect("load the files")),
    );
    set_last(steps, Some(bytes), None);
    set_scan(steps, &paths);
    drop(loaded);
}

fn main() {
    let args = parse_args();
    let temp = args.dir.is_none();
    let dir = args.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("csc-pipeline-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).expect("create the output folder");
    println!(
        "{} children, collection years {}-{}, seed {}, files in {}",
        args.children,
        args.first_year,
        args.last_year,
        args.seed,
        dir.display()
    );
    let mut steps = Vec::new();
    let total = Instant::now();
    let w = write_files(&args, &dir, &mut steps);
    let cin_bytes: u64 = w.cin.iter().map(|p| file_len(p)).sum();
    let csv_bytes: u64 = w.ssda903_dirs.iter().map(|p| dir_len(p)).sum();
    let xml_bytes: u64 = w.ssda903_xml.iter().map(|p| file_len(p)).sum();
    println!(
        "files: CIN XML {:.1} MB, SSDA903 CSV {:.1} MB (episodes.csv {:.1} MB), SSDA903 XML {:.1} MB",
        mb(cin_bytes),
        mb(csv_bytes),
        mb(w.ssda903_dirs
            .iter()
            .map(|p| file_len(&p.join("episodes.csv")))
            .sum()),
        mb(xml_bytes)
    );

    let (cin_reads, csv_reads) = read_files(&w, &mut steps, [cin_bytes, csv_bytes, xml_bytes]);
    let issues: usize = cin_reads.iter().map(|r| r.issues.len()).sum::<usize>()
        + csv_reads.iter().map(|r| r.issues.len()).sum::<usize>();
    let ds = timed(&mut steps, "merge and build the Dataset", || {
        let mut b = DatasetBuilder::new();
        for r in cin_reads {
            b.add_issues(r.issues);
            b.add_cin(r.ret);
        }
        for r in csv_reads {
            b.add_issues(r.issues);
            b.add_ssda903(r.ret);
        }
        b.build().expect("build the dataset")
    });
    let summary = ds.summary();
    let period = Period::financial_year(args.last_year).expect("a financial year");
    let measure_options = Options::default();
    let results = timed(
        &mut steps,
        &format!("compute every measure ({})", args.last_year),
        || compute_many(&ds, &[], period, &measure_options),
    );
    set_last(&mut steps, None, Some(results.len()));
    let values: Vec<String> = results
        .iter()
        .map(|r| format!("  {}: {}", r.id, csc_api::render::text::value_text(r)))
        .collect();
    drop((results, ds));
    load_steps(&w, &mut steps, cin_bytes + csv_bytes);
    let total = total.elapsed();

    print_table(&steps);
    println!();
    println!("total {:.2} s; reader issues {issues}", total.as_secs_f64());
    println!("dataset: {summary:?}");
    for v in &values {
        println!("{v}");
    }
    if let Some(p) = peak_rss() {
        println!("peak resident memory: {p}");
    }
    if temp && !args.keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
