//! Benchmarks of the return readers: synthetic returns (20,000 children over collection years 2019
//! to 2024, or `CSC_BENCH_CHILDREN`) are written to a temporary folder once, then read back.
//!
//! `cargo bench -p csc-benches --bench returns` runs them; groups are
//!
//! * `returns/read/...`: one year's files (the last), with their size as the throughput so
//!   criterion prints MB/s: `ssda903_csv/episodes_bytes` (the episodes table from memory with
//!   `read_csv_bytes`), `ssda903_csv/read_dir` (the whole folder of tables from disk),
//!   `ssda903_xml/bytes`, `cin_xml/bytes` (from memory) and `cin_xml/file` (from disk);
//!   Beside each reader, `.../scan` counts the newlines of the same bytes (from memory, or the
//!   same files from disk for `read_dir` and `file`): the floor the reader is measured against,
//!   taken in the same run, so a reader's multiple of it holds on a busy machine;
//! * `returns/load/...`: every year of both returns loaded into a `Dataset` with
//!   `csc_api::load` (files read in parallel), the SSDA903 returns as CSV folders (`csv`) or XML
//!   files (`xml`), and the same on a rayon pool of one thread (`.../1thread`);
//! * `returns/one_child/...`: one child holding N records (`cin_xml/N`: N `CINdetails`, each with
//!   an assessment and a plan; `ssda903_xml/N`: N episodes), N = 12,500 and 50,000. The time per
//!   record must stay flat as N grows. Numbering a child's records, and taking each one's fields,
//!   once scanned the child's other records (issue 16, D14); measured (December 2026, 2 shared
//!   cores): `cin_xml` 45 ms and 184 ms, `ssda903_xml` 14 ms and 55 ms (5.3 s at 50,000 before).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use csc_api::{Input, Inputs, Source, load};
use csc_measures::records::ReturnKind;
use csc_returns::{Read, ReadOptions, cin, ssda903};

/// A temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The files of one collection year.
struct YearFiles {
    year: i32,
    cin: PathBuf,
    ssda903_dir: PathBuf,
    ssda903_xml: PathBuf,
}

/// The synthetic returns, written out.
struct Files {
    dir: TempDir,
    years: Vec<YearFiles>,
}

fn children() -> u32 {
    std::env::var("CSC_BENCH_CHILDREN")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000)
}

fn write_files(children: u32) -> Files {
    let config = csc_synth::Config {
        children,
        first_year: 2019,
        last_year: 2024,
        seed: 42,
    };
    let synthetic = csc_synth::generate(&config);
    let dir =
        TempDir(std::env::temp_dir().join(format!("csc-bench-returns-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let mut years = Vec::new();
    for (c, s) in synthetic.cin.iter().zip(&synthetic.ssda903) {
        let year = c.source.collection_year.unwrap();
        let cin_path = dir.0.join(format!("cin_{year}.xml"));
        cin::write_xml(c, std::fs::File::create(&cin_path).unwrap()).unwrap();
        let ssda903_dir = dir.0.join(format!("ssda903_{year}"));
        ssda903::write_csv(s, &ssda903_dir).unwrap();
        let ssda903_xml = dir.0.join(format!("ssda903_{year}.xml"));
        let f = std::io::BufWriter::new(std::fs::File::create(&ssda903_xml).unwrap());
        // The XML form has no SWEpisodes (spec 2.3).
        let mut without_sw = s.clone();
        without_sw.sw_episodes.clear();
        ssda903::write_xml(&without_sw, f).unwrap();
        years.push(YearFiles {
            year,
            cin: cin_path,
            ssda903_dir,
            ssda903_xml,
        });
    }
    Files { dir, years }
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).unwrap().len()
}

fn dir_len(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .unwrap()
        .map(|e| file_len(&e.unwrap().path()))
        .sum()
}

/// The newlines in `bytes`: a plain scan of every byte (a loop the compiler vectorises: the floor,
/// not a rival reader).
#[allow(clippy::naive_bytecount)]
fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// The newlines in the file at `p` (a folder: in each of its files), read through a 64 KiB buffer.
fn scan_files(p: &Path) -> usize {
    use std::io::Read as _;
    let files: Vec<PathBuf> = if p.is_dir() {
        std::fs::read_dir(p)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect()
    } else {
        vec![p.to_path_buf()]
    };
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0;
    for f in files {
        let mut f = std::fs::File::open(f).unwrap();
        loop {
            let got = f.read(&mut buf).unwrap();
            if got == 0 {
                break;
            }
            n += newlines(&buf[..got]);
        }
    }
    n
}

fn read(c: &mut Criterion, files: &Files, children: u32) {
    let last = files.years.last().unwrap();
    let opts = ReadOptions::default();
    let mut g = c.benchmark_group("returns/read");
    g.sample_size(10);

    let episodes_path = last.ssda903_dir.join("episodes.csv");
    let episodes = std::fs::read(&episodes_path).unwrap();
    let name: Arc<str> = Arc::from(episodes_path.to_string_lossy().as_ref());
    g.throughput(Throughput::Bytes(episodes.len() as u64));
    g.bench_function(format!("ssda903_csv/episodes_bytes/{children}"), |b| {
        b.iter(|| {
            let mut read = Read::default();
            ssda903::read_csv_bytes(name.clone(), &episodes, &opts, &mut read).unwrap();
            black_box(read)
        });
    });

    g.bench_function(format!("ssda903_csv/episodes_bytes/scan/{children}"), |b| {
        b.iter(|| black_box(newlines(&episodes)));
    });

    g.throughput(Throughput::Bytes(dir_len(&last.ssda903_dir)));
    g.bench_function(format!("ssda903_csv/read_dir/{children}"), |b| {
        b.iter(|| black_box(ssda903::read_dir(&last.ssda903_dir, &opts).unwrap()));
    });
    g.bench_function(format!("ssda903_csv/read_dir/scan/{children}"), |b| {
        b.iter(|| black_box(scan_files(&last.ssda903_dir)));
    });

    let xml = std::fs::read(&last.ssda903_xml).unwrap();
    g.throughput(Throughput::Bytes(xml.len() as u64));
    g.bench_function(format!("ssda903_xml/bytes/{children}"), |b| {
        b.iter(|| black_box(ssda903::read_xml_bytes(Arc::from("903.xml"), &xml, &opts).unwrap()));
    });
    g.bench_function(format!("ssda903_xml/bytes/scan/{children}"), |b| {
        b.iter(|| black_box(newlines(&xml)));
    });

    let cin_bytes = std::fs::read(&last.cin).unwrap();
    g.throughput(Throughput::Bytes(cin_bytes.len() as u64));
    g.bench_function(format!("cin_xml/bytes/{children}"), |b| {
        b.iter(|| {
            black_box(
                cin::read_xml_from(Arc::from("cin.xml"), cin_bytes.as_slice(), &opts).unwrap(),
            )
        });
    });
    g.bench_function(format!("cin_xml/bytes/scan/{children}"), |b| {
        b.iter(|| black_box(newlines(&cin_bytes)));
    });
    g.bench_function(format!("cin_xml/file/{children}"), |b| {
        b.iter(|| black_box(cin::read_xml(&last.cin, &opts).unwrap()));
    });
    g.bench_function(format!("cin_xml/file/scan/{children}"), |b| {
        b.iter(|| black_box(scan_files(&last.cin)));
    });
    g.finish();
}

fn load_all(c: &mut Criterion, files: &Files, children: u32) {
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool of one thread");
    let mut g = c.benchmark_group("returns/load");
    g.sample_size(10);
    for (name, xml) in [("csv", false), ("xml", true)] {
        let mut inputs = Vec::new();
        let mut bytes = 0;
        for y in &files.years {
            bytes += file_len(&y.cin);
            inputs.push(Input {
                kind: ReturnKind::Cin,
                source: Source::Path(y.cin.clone()),
                year: Some(y.year),
            });
            let path = if xml {
                bytes += file_len(&y.ssda903_xml);
                y.ssda903_xml.clone()
            } else {
                bytes += dir_len(&y.ssda903_dir);
                y.ssda903_dir.clone()
            };
            inputs.push(Input {
                kind: ReturnKind::Ssda903,
                source: Source::Path(path),
                year: Some(y.year),
            });
        }
        g.throughput(Throughput::Bytes(bytes));
        let inputs = Inputs {
            returns: inputs,
            ..Inputs::default()
        };
        // On every core (the `parallel` feature), then on a pool of one thread, in one run: the
        // ratio is what reading the files in parallel gains on this machine.
        g.bench_function(format!("{name}/{}y/{children}", files.years.len()), |b| {
            b.iter(|| black_box(load(&inputs, &|_| {}).unwrap()));
        });
        g.bench_function(
            format!("{name}/{}y/{children}/1thread", files.years.len()),
            |b| {
                b.iter(|| one.install(|| black_box(load(&inputs, &|_| {}).unwrap())));
            },
        );
    }
    g.finish();
}

/// One child with `n` `CINdetails` (each with an assessment and a plan), as CIN census XML.
fn one_child_cin(n: usize) -> Vec<u8> {
    let mut s = String::from(
        "<Message><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate>\
         </CollectionDetails></Header><Children><Child><ChildIdentifiers><LAchildID>C1</LAchildID>\
         </ChildIdentifiers>\n",
    );
    for _ in 0..n {
        s.push_str(
            "<CINdetails><CINreferralDate>2023-05-01</CINreferralDate><Assessments>\
             <AssessmentActualStartDate>2023-05-01</AssessmentActualStartDate>\
             <AssessmentAuthorisationDate>2023-05-02</AssessmentAuthorisationDate></Assessments>\
             <ChildProtectionPlans><CPPstartDate>2023-05-01</CPPstartDate><CPPendDate>2023-05-02\
             </CPPendDate></ChildProtectionPlans><CINclosureDate>2023-05-02</CINclosureDate>\
             </CINdetails>\n",
        );
    }
    s.push_str("</Child></Children></Message>\n");
    s.into_bytes()
}

/// One child with `n` episodes, as SSDA903 XML.
fn one_child_ssda903(n: usize) -> Vec<u8> {
    let mut s = String::from("<EXPSSDA903><CHILD><HEADER><CHILDID>C1</CHILDID></HEADER>\n");
    for _ in 0..n {
        s.push_str(
            "<EPISODE><DECOM>01/05/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL>\
             <PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE>\n",
        );
    }
    s.push_str("</CHILD></EXPSSDA903>\n");
    s.into_bytes()
}

fn one_child(c: &mut Criterion) {
    let opts = ReadOptions::default();
    let mut g = c.benchmark_group("returns/one_child");
    g.sample_size(10);
    for n in [12_500, 50_000] {
        let cin_bytes = one_child_cin(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("cin_xml/{n}"), |b| {
            b.iter(|| {
                black_box(
                    cin::read_xml_from(Arc::from("cin.xml"), cin_bytes.as_slice(), &opts).unwrap(),
                )
            });
        });
        let xml = one_child_ssda903(n);
        g.bench_function(format!("ssda903_xml/{n}"), |b| {
            b.iter(|| {
                black_box(ssda903::read_xml_bytes(Arc::from("903.xml"), &xml, &opts).unwrap())
            });
        });
    }
    g.finish();
}

fn returns(c: &mut Criterion) {
    let children = children();
    let files = write_files(children);
    eprintln!(
        "returns/*/{children}: {} years written to {}",
        files.years.len(),
        files.dir.0.display()
    );
    read(c, &files, children);
    load_all(c, &files, children);
    one_child(c);
}

criterion_group!(benches, returns);
criterion_main!(benches);
