//! The C programs of `tests/c` and `examples/c`, compiled with `cc -std=c99 -Wall -Wextra -Werror
//! -pedantic` (and the header once as C++11) against `include/csc_measures.h` and both the static
//! and the shared library, run, and compared with the core's own results:
//!
//! * `test_api`: the conventions and every documented misuse status (self-checking); the message
//!   of a malformed JSON request against the request layer's, and `csc_catalog_json` against
//!   the registry, the options and the table schema;
//! * `test_dump`: every number the C API gives on the built-in sample and on returns written as
//!   files, against `compute` in Rust; the `csc_compute_json` response against the request
//!   layer's (`csc_api`, what the CLI prints);
//! * `test_golden`: every case of `tests/golden/*.toml` (read by `csc_measures::golden`), each row
//!   of each table added through `csc_builder_add_row` as (column, value) pairs made from the
//!   table schema, against the golden expectations and the core;
//! * `test_arrow`: an Arrow C stream built by hand, added with `csc_builder_add_arrow`, and
//!   released whatever happens (self-checking);
//! * `test_threads`: many threads computing from one dataset (self-checking);
//! * `test_errors`: every kind of failure and the thread-local last error message
//!   (self-checking); under valgrind nothing may be even possibly lost after it;
//! * `test_header.cpp`: the header as C++, after Arrow's own `abi.h`;
//! * `examples/c/scorecard.c`: against the core's `Scorecard`.
//!
//! Each program also runs under `valgrind --error-exitcode=1 --leak-check=full
//! --errors-for-leak-kinds=definite,indirect` when valgrind is installed.
//!
//! The programs, their inputs and outputs are in `target/<profile>/c-tests-<pid>`, removed after a
//! run that passes unless `CSC_KEEP_C_TESTS` is set.
//!
//! The libraries are `target/<profile>/libcscmeasures.{a,so}` beside the test executable (so
//! `CARGO_TARGET_DIR`, `--target-dir` and `--release` work), built first by `cargo build -p
//! csc-measures-c` in the same profile and target directory (`cargo test` itself builds only the
//! rlib).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

use csc_api::Scorecard;
use csc_api::render::text::value_text;
use csc_api::scorecard::window;
use csc_measures::golden;
use csc_measures::measure::{MeasureId, compute};
use csc_measures::records::{ReturnKind, ReturnSource};
use csc_measures::schema::{FieldRef, Record, VisitRows};
use csc_measures::{Dataset, Day, MeasureResult, Options, Period};
use serde_json::Value;

/// Where things are, and what compiles and runs them.
struct Setup {
    root: PathBuf,
    lib_dir: PathBuf,
    work: PathBuf,
    valgrind: Option<PathBuf>,
}

/// How a program is linked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Link {
    Static,
    Shared,
}

impl Link {
    fn name(self) -> &'static str {
        match self {
            Link::Static => "static",
            Link::Shared => "shared",
        }
    }
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// Builds the static and shared libraries into `lib_dir` (`<target>/<profile>` or
/// `<target>/<triple>/<profile>`) with `cargo build -p csc-measures-c` in that profile: `cargo
/// test` builds only the rlib that the Rust tests link, so the C libraries would otherwise be
/// missing or stale. Fresh, this takes a moment; after a change it rebuilds what changed.
fn build_libraries(root: &Path, lib_dir: &Path) {
    let profile = lib_dir.file_name().and_then(|n| n.to_str()).unwrap();
    let profile = if profile == "debug" { "dev" } else { profile };
    let parent = lib_dir.parent().unwrap();
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(["build", "-p", "csc-measures-c", "--profile", profile])
        .current_dir(root);
    if parent.join("CACHEDIR.TAG").is_file() {
        cmd.arg("--target-dir").arg(parent);
    } else {
        // <target>/<triple>/<profile>
        let triple = parent.file_name().and_then(|n| n.to_str()).unwrap();
        cmd.args(["--target", triple])
            .arg("--target-dir")
            .arg(parent.parent().unwrap());
    }
    let st = cmd.status().expect("running cargo");
    assert!(st.success(), "cargo build -p csc-measures-c failed");
    for lib in ["libcscmeasures.a", "libcscmeasures.so"] {
        assert!(
            lib_dir.join(lib).is_file(),
            "{} is missing",
            lib_dir.join(lib).display()
        );
    }
}

impl Setup {
    fn new() -> Setup {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .canonicalize()
            .unwrap();
        // target/<profile>/deps/c_programs-<hash>: the libraries go in target/<profile>.
        let exe = std::env::current_exe().unwrap();
        let lib_dir = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
        build_libraries(&root, &lib_dir);
        let work = lib_dir.join(format!("c-tests-{}", std::process::id()));
        std::fs::create_dir_all(&work).unwrap();
        let valgrind = which("valgrind");
        Setup {
            root,
            lib_dir,
            work,
            valgrind,
        }
    }

    /// Compiles `sources` (relative to the repository, or absolute) into `name`, linked `link`-ly;
    /// `cxx` compiles C++.
    fn compile(
        &self,
        sources: &[&str],
        name: &str,
        link: Link,
        cxx: bool,
    ) -> Result<PathBuf, String> {
        let out = self.work.join(format!("{name}-{}", link.name()));
        let mut cmd = Command::new(if cxx { "g++" } else { "cc" });
        cmd.args(if cxx { ["-std=c++11"] } else { ["-std=c99"] })
            .args(["-Wall", "-Wextra", "-Werror", "-pedantic", "-g", "-pthread"])
            .arg("-I")
            .arg(self.root.join("include"))
            .arg("-I")
            .arg(self.root.join("tests/c"));
        for s in sources {
            cmd.arg(self.root.join(s));
        }
        match link {
            Link::Static => {
                cmd.arg(self.lib_dir.join("libcscmeasures.a"));
            }
            Link::Shared => {
                cmd.arg("-L")
                    .arg(&self.lib_dir)
                    .arg("-lcscmeasures")
                    .arg(format!("-Wl,-rpath,{}", self.lib_dir.display()));
            }
        }
        cmd.args(["-lpthread", "-ldl", "-lm", "-o"]).arg(&out);
        let o = cmd
            .output()
            .map_err(|e| format!("running the compiler: {e}"))?;
        if !o.status.success() {
            return Err(format!(
                "compiling {name} ({}) failed:\n{}",
                link.name(),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        Ok(out)
    }

    /// Runs a program plainly, or under valgrind (then also returns valgrind's summary).
    fn run(&self, exe: &Path, args: &[String], valgrind: bool) -> Result<(String, String), String> {
        let mut cmd = match (&self.valgrind, valgrind) {
            (Some(v), true) => {
                let mut c = Command::new(v);
                c.args([
                    "--error-exitcode=1",
                    "--leak-check=full",
                    "--errors-for-leak-kinds=definite,indirect",
                ])
                .arg(exe);
                c
            }
            _ => Command::new(exe),
        };
        let o = cmd
            .args(args)
            .output()
            .map_err(|e| format!("running {}: {e}", exe.display()))?;
        let stdout = String::from_utf8(o.stdout).map_err(|e| format!("stdout: {e}"))?;
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        let what = format!(
            "{}{} {}",
            if valgrind { "valgrind " } else { "" },
            exe.file_name().unwrap().to_string_lossy(),
            args.join(" ")
        );
        if !o.status.success() {
            let tail: Vec<&str> = stderr.lines().rev().take(60).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(format!(
                "{what} failed ({}):\n{}",
                o.status,
                tail.join("\n")
            ));
        }
        let summary = if valgrind {
            valgrind_summary(&stderr)
        } else {
            String::new()
        };
        Ok((stdout, format!("{what}: ok{summary}")))
    }
}

/// The error-path program printed each path (and with `load` the failed load); with
/// `no_possible_loss`, valgrind found nothing even possibly lost (the last error message is a
/// thread's own buffer, not an interned copy).
fn check_errors(
    out: &str,
    summary: &str,
    no_possible_loss: bool,
    load: bool,
) -> Result<(), String> {
    let mut paths = vec![
        "invalid date: ",
        "null argument: ",
        "invalid request: ",
        "invalid option: ",
        "long value: ",
        "threads: each its own",
        "names: ",
        "cleared: \"\"",
    ];
    if load {
        paths.push("io: ");
    }
    for path in paths {
        if !out.lines().any(|l| l.starts_with(path)) {
            return Err(format!("test_errors printed no {path:?} line:\n{out}"));
        }
    }
    if no_possible_loss
        && !summary.contains("possibly lost: 0 bytes in 0 blocks")
        && !summary.contains("All heap blocks were freed")
    {
        return Err(format!(
            "valgrind finds memory possibly lost after the error paths: {summary}"
        ));
    }
    Ok(())
}

/// Valgrind's verdict in one line: errors and the leak kinds.
fn valgrind_summary(stderr: &str) -> String {
    let mut s = String::new();
    for key in [
        "ERROR SUMMARY:",
        "definitely lost:",
        "indirectly lost:",
        "possibly lost:",
        "still reachable:",
        "All heap blocks were freed",
    ] {
        if let Some(line) = stderr.lines().find(|l| l.contains(key)) {
            let text = line.split("== ").nth(1).unwrap_or(line).trim();
            let text = text.split(" (suppressed").next().unwrap_or(text);
            let _ = write!(s, "; {text}");
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// What the C programs print (see tests/c/common.h).

fn unescape(s: &str) -> Option<String> {
    if s == "\\N" {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('\\') => out.push('\\'),
                other => panic!("bad escape \\{other:?} in {s:?}"),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn fields(line: &str) -> Vec<Option<String>> {
    line.split('\t').skip(1).map(unescape).collect()
}

/// A result as the C API gave it, or as the core's result says it should be.
#[derive(Debug, PartialEq, Default)]
struct CResult {
    head: Vec<Option<String>>,
    numerator: Option<u64>,
    denominator: Option<u64>,
    value: Option<f64>,
    excluded: Vec<(String, u64)>,
    warnings: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
    json: Value,
}

/// A day as C prints it; `Option` because every field of a line may be absent.
#[allow(clippy::unnecessary_wraps)]
fn iso(d: Day) -> Option<String> {
    Some(d.to_string())
}

impl CResult {
    fn of(tag: &str, r: &MeasureResult) -> CResult {
        let s = |x: &str| Some(x.to_owned());
        CResult {
            head: vec![
                s(tag),
                s(r.id.as_str()),
                s(r.id.title()),
                s(r.unit.as_str()),
                s(r.id.polarity().as_str()),
                iso(r.period.start()),
                iso(r.period.end()),
            ],
            numerator: r.numerator,
            denominator: r.denominator,
            value: r.value,
            excluded: r
                .excluded
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), *v))
                .collect(),
            warnings: r.warnings.iter().map(|w| w.as_str().to_owned()).collect(),
            rows: r
                .rows
                .iter()
                .map(|x| {
                    vec![
                        s(&x.child),
                        x.record.and_then(iso),
                        s(if x.in_denominator { "1" } else { "0" }),
                        s(if x.in_numerator { "1" } else { "0" }),
                        x.value.map(|v| v.to_string()),
                        x.reason.map(|x| x.as_str().to_owned()),
                    ]
                })
                .collect(),
            json: csc_api::render::json::result(r),
        }
    }

    fn id(&self) -> &str {
        self.head[1].as_deref().unwrap_or("?")
    }

    /// The first difference from `want`, for a message.
    fn diff(&self, want: &CResult) -> Option<String> {
        if self == want {
            return None;
        }
        if self.head != want.head {
            return Some(format!("head {:?} != {:?}", self.head, want.head));
        }
        if (self.numerator, self.denominator) != (want.numerator, want.denominator)
            || self.value.map(f64::to_bits) != want.value.map(f64::to_bits)
        {
            return Some(format!(
                "numbers {:?}/{:?} = {:?}, want {:?}/{:?} = {:?}",
                self.numerator,
                self.denominator,
                self.value,
                want.numerator,
                want.denominator,
                want.value
            ));
        }
        if self.excluded != want.excluded {
            return Some(format!(
                "excluded {:?} != {:?}",
                self.excluded, want.excluded
            ));
        }
        if self.warnings != want.warnings {
            return Some(format!(
                "warnings {:?} != {:?}",
                self.warnings, want.warnings
            ));
        }
        if self.rows != want.rows {
            let i = self
                .rows
                .iter()
                .zip(&want.rows)
                .position(|(a, b)| a != b)
                .unwrap_or(self.rows.len().min(want.rows.len()));
            return Some(format!(
                "rows differ at {i} of {} (want {}): {:?} != {:?}",
                self.rows.len(),
                want.rows.len(),
                self.rows.get(i),
                want.rows.get(i)
            ));
        }
        Some(format!("json {} != {}", self.json, want.json))
    }
}

fn num<T: std::str::FromStr>(s: Option<&String>) -> Option<T>
where
    T::Err: std::fmt::Debug,
{
    s.map(|s| s.parse().unwrap())
}

/// Every line of a program's output, with the result blocks gathered.
#[derive(Default)]
struct Dump {
    lines: Vec<(String, Vec<Option<String>>)>,
    results: Vec<CResult>,
}

fn parse_dump(out: &str) -> Dump {
    let mut d = Dump::default();
    let mut cur: Option<CResult> = None;
    for line in out.lines() {
        let kind = line.split('\t').next().unwrap_or("");
        let f = fields(line);
        match (kind, cur.as_mut()) {
            ("result", None) => {
                cur = Some(CResult {
                    head: f,
                    ..CResult::default()
                });
            }
            ("numbers", Some(c)) => {
                c.numerator = num(f[0].as_ref());
                c.denominator = num(f[1].as_ref());
                c.value = num(f[2].as_ref());
            }
            ("excluded", Some(c)) => c.excluded.push((
                f[0].clone().unwrap(),
                f[1].as_ref().unwrap().parse().unwrap(),
            )),
            ("warning", Some(c)) => c.warnings.push(f[0].clone().unwrap()),
            ("row", Some(c)) => c.rows.push(f),
            ("json", Some(c)) => c.json = serde_json::from_str(f[0].as_ref().unwrap()).unwrap(),
            ("end", Some(_)) => d.results.push(cur.take().unwrap()),
            (_, None) => d.lines.push((kind.to_owned(), f)),
            (k, Some(_)) => panic!("unexpected {k:?} line inside a result"),
        }
    }
    assert!(cur.is_none(), "an unfinished result block");
    d
}

impl Dump {
    fn get(&self, kind: &str) -> Vec<&Vec<Option<String>>> {
        self.lines
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, f)| f)
            .collect()
    }

    fn one(&self, kind: &str) -> &Vec<Option<String>> {
        let v = self.get(kind);
        assert_eq!(v.len(), 1, "one {kind} line");
        v[0]
    }
}

fn issue_fields(ds: &Dataset) -> Vec<Vec<Option<String>>> {
    ds.issues()
        .iter()
        .map(|i| {
            let loc = i.location.as_ref();
            vec![
                Some(i.code.as_str().to_owned()),
                Some(i.code.severity().as_str().to_owned()),
                i.child.as_deref().map(str::to_owned),
                i.record.and_then(iso),
                Some(i.message.clone()),
                loc.and_then(|l| l.file.as_deref()).map(str::to_owned),
                loc.and_then(|l| l.line).map(|n| n.to_string()),
                loc.and_then(|l| l.path.as_deref()).map(str::to_owned),
                loc.and_then(|l| l.column.as_deref()).map(str::to_owned),
                loc.and_then(|l| l.value.clone()),
            ]
        })
        .collect()
}

/// The JSON entry point's response against the request layer's on the dataset Rust loaded: the
/// same request, run on `ds` and rendered in the one shape (what the CLI prints).
fn check_response(request: &str, ds: &Dataset, response: &Path) -> Vec<String> {
    let req = csc_api::Request::from_json(request).unwrap();
    let resp = csc_api::run(ds, &req.query).unwrap();
    let want = csc_api::render::json::response(&resp, ds.issues());
    let got: Value = serde_json::from_str(&std::fs::read_to_string(response).unwrap()).unwrap();
    if got == want {
        return Vec::new();
    }
    let keys: Vec<String> = ["period", "measures", "data_quality", "records"]
        .iter()
        .filter(|k| got[**k] != want[**k])
        .map(|k| format!("csc_compute_json: \"{k}\" differs"))
        .collect();
    if keys.is_empty() {
        vec![format!(
            "csc_compute_json: the response has other fields: {:?}",
            got.as_object().map(|m| m.keys().collect::<Vec<_>>())
        )]
    } else {
        keys
    }
}

/// Compares a `test_dump` run with the core on `ds`; `response` is the file the program wrote.
fn check_dump(out: &str, ds: &Dataset, response: &Path) -> Result<String, String> {
    let d = parse_dump(out);
    let mut errs = Vec::new();
    let s = ds.summary();
    let want: Vec<Option<String>> = [
        s.children,
        s.cin_episodes,
        s.assessments,
        s.section47s,
        s.cp_plans,
        s.care_episodes,
        s.periods_of_care,
        s.placements,
        s.issues,
    ]
    .iter()
    .map(|n| Some(n.to_string()))
    .collect();
    if *d.one("summary") != want {
        errs.push(format!("summary {:?} != {want:?}", d.one("summary")));
    }
    let issues: Vec<Vec<Option<String>>> = d.get("issue").into_iter().cloned().collect();
    let want_issues = issue_fields(ds);
    if issues != want_issues {
        let i = issues.iter().zip(&want_issues).position(|(a, b)| a != b);
        errs.push(format!(
            "load report: {} entries (want {}), first difference at {i:?}",
            issues.len(),
            want_issues.len()
        ));
    }
    let year: i32 = d.one("year")[0].as_ref().unwrap().parse().unwrap();
    if Some(year) != ds.latest_collection_year() {
        errs.push(format!("latest year {year}"));
    }
    let fy = Period::financial_year(year).unwrap();
    let mut changed = Options::default();
    for f in d.get("option") {
        changed
            .set(f[0].as_deref().unwrap(), f[1].as_deref().unwrap())
            .unwrap();
    }
    let mut want_results = Vec::new();
    for (tag, o) in [("default", Options::default()), ("options", changed)] {
        for &id in MeasureId::ALL {
            want_results.push(CResult::of(tag, &compute(ds, id, fy, &o)));
        }
    }
    if d.results.len() != want_results.len() {
        errs.push(format!(
            "{} results, want {}",
            d.results.len(),
            want_results.len()
        ));
    }
    for (got, want) in d.results.iter().zip(&want_results) {
        if let Some(e) = got.diff(want) {
            errs.push(format!("{} ({:?}): {e}", want.id(), want.head[0]));
        }
    }
    for f in d.get("window") {
        let id: MeasureId = f[0].as_deref().unwrap().parse().unwrap();
        let w = window(id, year).unwrap();
        if (f[1].clone(), f[2].clone()) != (iso(w.start()), iso(w.end())) {
            errs.push(format!("window of {id}: {f:?}"));
        }
    }
    if d.get("window").len() != MeasureId::ALL.len() {
        errs.push("a window line per measure".into());
    }
    errs.extend(check_response(
        d.one("request")[0].as_deref().unwrap(),
        ds,
        response,
    ));
    if *d.one("done") != [Some("0".to_owned())] {
        errs.push("the program's own checks failed".into());
    }
    if errs.is_empty() {
        Ok(format!(
            "{} results, {} rows, {} load-report entries and the JSON response equal the core's",
            d.results.len(),
            d.results.iter().map(|r| r.rows.len()).sum::<usize>(),
            want_issues.len()
        ))
    } else {
        Err(errs.join("\n"))
    }
}

/// What `test_api` printed: the error of a request with a year and a start (status 108, with the
/// message the request layer gives on every surface) and the catalogue (every measure, option
/// and table, as the core declares them).
fn check_api(out: &str) -> Result<String, String> {
    let d = parse_dump(out);
    let mut errs = Vec::new();
    let want =
        csc_api::PeriodSpec::from_parts(Some(2024), Some("2023-04-01"), Some("2024-03-31"), None)
            .unwrap_err();
    let f = d.one("period_error");
    let (last, resp) = (f[0].clone().unwrap(), f[1].clone().unwrap());
    if last != want.message() {
        errs.push(format!(
            "the last error {last:?} is not the request layer's {:?}",
            want.message()
        ));
    }
    let resp: Value = serde_json::from_str(&resp).map_err(|e| e.to_string())?;
    let want_json = serde_json::json!({"error": {"code": 108, "kind": "invalid_request", "message": want.message()}});
    if resp != want_json {
        errs.push(format!("the error object {resp} is not {want_json}"));
    }
    // The series request: the response is the request layer's, and its long table holds one row
    // per measure and quarter with the extras spread into columns.
    let s = d.one("series");
    let (request, got) = (s[0].clone().unwrap(), s[1].clone().unwrap());
    let req = csc_api::Request::from_json(&request).map_err(|e| e.to_string())?;
    let loaded = csc_api::load(&req.inputs, &|_| {}).map_err(|e| e.to_string())?;
    let resp = csc_api::run(&loaded.dataset, &req.query).map_err(|e| e.to_string())?;
    let want = csc_api::render::json::response(&resp, loaded.dataset.issues());
    let got: Value = serde_json::from_str(&got).map_err(|e| e.to_string())?;
    if got != want {
        errs.push("the series response differs from the request layer's".into());
    }
    let rows = got["rows"].as_array().map_or(0, Vec::len);
    if rows != 8 || got["rows"][1]["bands.same_day"].as_u64().is_none() {
        errs.push(format!(
            "the series response has {rows} rows, not 8 with bands"
        ));
    }
    let catalog: Value =
        serde_json::from_str(d.one("catalog")[0].as_deref().unwrap()).map_err(|e| e.to_string())?;
    let list = |k: &str, f: &dyn Fn(&Value) -> String| -> Vec<String> {
        catalog[k]
            .as_array()
            .map(|a| a.iter().map(f).collect())
            .unwrap_or_default()
    };
    let ids = list("measures", &|m| m["id"].as_str().unwrap_or("?").to_owned());
    let want_ids: Vec<String> = MeasureId::ALL
        .iter()
        .map(|m| m.as_str().to_owned())
        .collect();
    if ids != want_ids {
        errs.push(format!("catalogue measures {ids:?} != {want_ids:?}"));
    }
    let keys = list("options", &|o| o["key"].as_str().unwrap_or("?").to_owned());
    let want_keys: Vec<String> = csc_measures::measure::options::OPTIONS
        .iter()
        .map(|d| d.key.to_owned())
        .collect();
    if keys != want_keys {
        errs.push(format!("catalogue options {keys:?} != {want_keys:?}"));
    }
    let tables = list("tables", &|t| {
        let cols: Vec<&str> = t["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| f["column"].as_str().unwrap_or("?"))
            .collect();
        format!(
            "{}/{}: {}",
            t["family"].as_str().unwrap_or("?"),
            t["name"].as_str().unwrap_or("?"),
            cols.join(",")
        )
    });
    let want_tables: Vec<String> = csc_measures::schema::TABLES
        .iter()
        .map(|t| {
            let cols: Vec<&str> = t.fields.iter().map(|f| f.column).collect();
            format!("{}/{}: {}", t.family.as_str(), t.name, cols.join(","))
        })
        .collect();
    if tables != want_tables {
        errs.push(format!("catalogue tables {tables:?} != {want_tables:?}"));
    }
    if errs.is_empty() {
        Ok(format!(
            "a malformed request is 108 with the request layer's message; the catalogue lists {} measures, {} options and {} tables",
            ids.len(),
            keys.len(),
            tables.len()
        ))
    } else {
        Err(errs.join("\n"))
    }
}

// ---------------------------------------------------------------------------------------------
// Golden cases (the core's own loader and comparison), as scripts for test_golden: every row of
// every table as (column, value) pairs made from the table schema, so no table is known here.

/// Escapes a script field as the C programs print text: `\t`, `\n`, `\r`, `\\`.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

/// The NULL of a script field.
const NULL: &str = "\\N";

/// One script line: the step, then its fields, each escaped already.
fn line(out: &mut String, step: &str, fields: &[String]) {
    out.push_str(step);
    for f in fields {
        out.push('\t');
        out.push_str(f);
    }
    out.push('\n');
}

fn d(x: Day) -> String {
    x.get().to_string()
}

/// A field's value as the pairs of a row: dates ISO, flags 1/0, counts as numbers, blanks NULL,
/// sets as one pair per value (none when empty).
fn field_texts(v: FieldRef<'_>) -> Vec<String> {
    let blank = || vec![NULL.to_owned()];
    match v {
        FieldRef::Text("") => blank(),
        FieldRef::Text(s) => vec![escape(s)],
        FieldRef::Day(x) => vec![x.to_string()],
        FieldRef::Date(x) => x.map_or_else(blank, |x| vec![x.to_string()]),
        FieldRef::Flag(b) => b.map_or_else(blank, |b| vec![if b { "1" } else { "0" }.to_owned()]),
        FieldRef::Count(n) => n.map_or_else(blank, |n| vec![n.to_string()]),
        FieldRef::Texts(v) => v.iter().map(|s| escape(s)).collect(),
        FieldRef::Days(v) => v.iter().map(ToString::to_string).collect(),
    }
}

/// Writes a `row` line per row of every table of a return.
struct ScriptRows<'a> {
    out: &'a mut String,
    rows: usize,
}

impl VisitRows for ScriptRows<'_> {
    fn rows<R: Record>(&mut self, rows: &[R]) {
        let table = R::SCHEMA;
        for r in rows {
            let mut fields = vec![escape(table.name)];
            for (i, f) in table.fields.iter().enumerate() {
                for v in field_texts(r.get(i)) {
                    fields.push(escape(f.column));
                    fields.push(v);
                }
            }
            line(self.out, "row", &fields);
            self.rows += 1;
        }
    }
}

/// The script lines that begin a return and add its rows.
fn script_return(out: &mut String, kind: ReturnKind, src: &ReturnSource) -> Result<(), String> {
    if !src.files.is_empty() || src.reference_date.is_some() || src.tables.is_some() {
        return Err(format!(
            "a golden {} return with files, a reference date or the tables it holds: the builder cannot say that",
            kind.as_str()
        ));
    }
    let step = match kind {
        ReturnKind::Cin => "begin_cin",
        ReturnKind::Ssda903 => "begin_ssda903",
    };
    line(out, step, &[src.collection_year.unwrap_or(0).to_string()]);
    Ok(())
}

/// The core's answer to a golden case, built as the core's own golden test builds it.
fn core_case(id: MeasureId, c: &golden::Case) -> Result<MeasureResult, String> {
    let ds = c.dataset().map_err(|e| e.to_string())?;
    let o = c.options().map_err(|e| e.to_string())?;
    Ok(compute(&ds, id, c.period()?, &o))
}

/// Is the JSON value `got` the expected `want`: numbers within 1e-9, objects key by key?
fn json_close(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Number(_), Value::Number(_)) => got
            .as_f64()
            .zip(want.as_f64())
            .is_some_and(|(g, w)| (g - w).abs() <= 1e-9),
        (Value::Object(g), Value::Object(w)) => {
            g.len() == w.len()
                && w.iter()
                    .all(|(k, wv)| g.get(k).is_some_and(|gv| json_close(gv, wv)))
        }
        _ => got == want,
    }
}

/// The golden expectations against what C printed (the same checks as
/// `csc_measures::golden::compare`, on the C API's numbers, rows and JSON).
fn check_expect(e: &golden::Expect, got: &CResult) -> Vec<String> {
    let mut errs = Vec::new();
    if let Some(u) = &e.unit {
        if got.head.get(3).and_then(Option::as_deref) != Some(u.as_str()) {
            errs.push(format!("unit: want {u}, got {:?}", got.head.get(3)));
        }
    }
    let null = |f: &str| e.null.iter().any(|n| n == f);
    for (name, want, have) in [
        ("numerator", e.numerator, got.numerator),
        ("denominator", e.denominator, got.denominator),
    ] {
        if null(name) && have.is_some() {
            errs.push(format!("{name}: want null, got {have:?}"));
        } else if want.is_some() && want != have {
            errs.push(format!("{name}: want {want:?}, got {have:?}"));
        }
    }
    if null("value") && got.value.is_some() {
        errs.push(format!("value: want null, got {:?}", got.value));
    }
    if let Some(v) = e.value {
        if got.value.is_none_or(|g| (g - v).abs() > 1e-9) {
            errs.push(format!("value: want {v}, got {:?}", got.value));
        }
    }
    let excluded: BTreeMap<String, u64> = got.excluded.iter().cloned().collect();
    if excluded != e.excluded {
        errs.push(format!("excluded: want {:?}, got {excluded:?}", e.excluded));
    }
    if let Some(w) = &e.warnings {
        if got.warnings != *w {
            errs.push(format!("warnings: want {w:?}, got {:?}", got.warnings));
        }
    }
    if let Some(rows) = &e.rows {
        let want: Vec<Vec<Option<String>>> = rows
            .iter()
            .map(|r| {
                vec![
                    Some(r.child.clone()),
                    r.record.and_then(iso),
                    Some(if r.in_denominator { "1" } else { "0" }.to_owned()),
                    Some(if r.in_numerator { "1" } else { "0" }.to_owned()),
                    r.value.map(|v| v.to_string()),
                    r.reason.clone(),
                ]
            })
            .collect();
        if got.rows != want {
            errs.push(format!("rows:\n  want {want:?}\n  got  {:?}", got.rows));
        }
    }
    let extras = &got.json["extras"];
    if let Some(b) = &e.bands {
        let have: BTreeMap<String, u64> = extras["bands"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, n)| n.as_u64() > Some(0))
            .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
            .collect();
        let want: BTreeMap<String, u64> = b
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (k.clone(), *n))
            .collect();
        if have != want {
            errs.push(format!("bands: want {want:?}, got {have:?}"));
        }
    }
    if let Some(q) = &e.quartiles {
        for (k, v) in q {
            let have = extras["quartiles"][k].as_f64();
            if have.is_none_or(|h| (h - v).abs() > 1e-9) {
                errs.push(format!("quartile {k}: want {v}, got {have:?}"));
            }
        }
    }
    for (k, want) in &e.extras {
        match extras.get(k) {
            Some(have) if json_close(have, want) => {}
            have => errs.push(format!("extra {k}: want {want}, got {have:?}")),
        }
    }
    for k in &e.null_extras {
        if extras.get(k) != Some(&Value::Null) {
            errs.push(format!("extra {k}: want null, got {:?}", extras.get(k)));
        }
    }
    errs
}

struct Golden {
    script: String,
    /// (measure, case, the core's result)
    cases: Vec<(MeasureId, golden::Case, CResult)>,
    rows: usize,
}

fn golden() -> Golden {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut g = Golden {
        script: String::new(),
        cases: Vec::new(),
        rows: 0,
    };
    for path in files {
        let file: golden::File = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let id: MeasureId = file.measure.parse().unwrap();
        for c in file.cases {
            let name = format!("{id}/{}", g.cases.len());
            line(&mut g.script, "case", &[escape(&name)]);
            let mut rows = ScriptRows {
                out: &mut g.script,
                rows: 0,
            };
            for r in &c.cin {
                script_return(rows.out, ReturnKind::Cin, &r.source)
                    .unwrap_or_else(|e| panic!("{name} ({}): {e}", c.name));
                r.visit(&mut rows);
            }
            for r in &c.ssda903 {
                script_return(rows.out, ReturnKind::Ssda903, &r.source)
                    .unwrap_or_else(|e| panic!("{name} ({}): {e}", c.name));
                r.visit(&mut rows);
            }
            g.rows += rows.rows;
            for (k, v) in c.option_strings() {
                line(&mut g.script, "option", &[escape(&k), escape(&v)]);
            }
            for (y, t) in &c.population {
                line(&mut g.script, "population", &[escape(y), t.to_string()]);
            }
            let p = c
                .period()
                .unwrap_or_else(|e| panic!("{name} ({}): {e}", c.name));
            line(
                &mut g.script,
                "compute",
                &[id.as_str().to_owned(), d(p.start()), d(p.end())],
            );
            let core = core_case(id, &c).unwrap_or_else(|e| panic!("{name} ({}): {e}", c.name));
            // The core meets the case (its own test says so too); C must give the core's answer.
            let errs = golden::compare(&c, &core);
            assert!(errs.is_empty(), "{name} ({}): the core: {errs:?}", c.name);
            let want = CResult::of(&name, &core);
            g.cases.push((id, c, want));
        }
    }
    g
}

fn check_golden(out: &str, g: &Golden) -> Result<String, String> {
    let d = parse_dump(out);
    let mut errs: Vec<String> = d.get("error").iter().map(|f| format!("{f:?}")).collect();
    if d.results.len() != g.cases.len() {
        errs.push(format!(
            "{} results for {} cases",
            d.results.len(),
            g.cases.len()
        ));
    }
    for (got, (id, case, want)) in d.results.iter().zip(&g.cases) {
        if let Some(e) = got.diff(want) {
            errs.push(format!("{id} / {}: differs from the core: {e}", case.name));
        }
        for e in check_expect(&case.expect, got) {
            errs.push(format!("{id} / {} ({}): {e}", case.name, case.spec));
        }
    }
    if errs.is_empty() {
        let measures: std::collections::BTreeSet<_> = g.cases.iter().map(|c| c.0).collect();
        Ok(format!(
            "{} golden cases over {} measures ({} rows through csc_builder_add_row) match",
            g.cases.len(),
            measures.len(),
            g.rows
        ))
    } else {
        Err(errs.join("\n"))
    }
}

// ---------------------------------------------------------------------------------------------
// Returns as files, and the scorecard.

/// Writes a small synthetic authority as real returns; returns the `--cin`/`--ssda903` arguments
/// (some as `YEAR=PATH`, some with the year left to be derived).
fn write_returns(dir: &Path) -> (Vec<String>, Vec<String>) {
    let synthetic = csc_synth::generate(&csc_synth::Config {
        children: 400,
        first_year: 2022,
        last_year: 2024,
        seed: 9,
    });
    let (mut cin, mut ssda) = (Vec::new(), Vec::new());
    for (c, s) in synthetic.cin.iter().zip(&synthetic.ssda903) {
        let year = c.source.collection_year.unwrap();
        let ydir = dir.join(year.to_string());
        std::fs::create_dir_all(ydir.join("ssda903")).unwrap();
        let cin_path = ydir.join("cin.xml");
        let f = std::fs::File::create(&cin_path).unwrap();
        csc_returns::cin::write_xml(c, std::io::BufWriter::new(f)).unwrap();
        csc_returns::ssda903::write_csv(s, &ydir.join("ssda903")).unwrap();
        let named = year != 2023;
        let arg = |p: &Path| {
            if named {
                format!("{year}={}", p.display())
            } else {
                p.display().to_string()
            }
        };
        cin.push(arg(&cin_path));
        ssda.push(arg(&ydir.join("ssda903")));
    }
    (cin, ssda)
}

fn load_rust(cin: &[String], ssda: &[String]) -> Dataset {
    let mut inputs = csc_api::Inputs::default();
    for s in cin {
        inputs
            .returns
            .push(csc_api::Input::parse(ReturnKind::Cin, s).unwrap());
    }
    for s in ssda {
        inputs
            .returns
            .push(csc_api::Input::parse(ReturnKind::Ssda903, s).unwrap());
    }
    csc_api::load(&inputs, &|_| {}).unwrap().dataset
}

fn check_scorecard(out: &str, ds: &Dataset, year: Option<i32>) -> Result<String, String> {
    let card = Scorecard::new(ds, year, &Options::default()).unwrap();
    let mut errs = Vec::new();
    let head = format!("Scorecard for {}-{:02}", card.year - 1, card.year % 100);
    if !out.starts_with(&head) {
        errs.push(format!("the first line is not {head:?}"));
    }
    let rows: Vec<Vec<&str>> = out
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|w| w.parse::<MeasureId>().is_ok())
        })
        .map(|l| l.split_whitespace().collect())
        .collect();
    if rows.len() != card.lines.len() {
        errs.push(format!(
            "{} measure lines, want {}",
            rows.len(),
            card.lines.len()
        ));
    }
    for (got, l) in rows.iter().zip(&card.lines) {
        let r = &l.current;
        let opt = |n: Option<u64>| n.map_or_else(|| "-".to_owned(), |n| n.to_string());
        let want = [
            r.id.as_str().to_owned(),
            value_text(r),
            format!("{}/{}", opt(r.numerator), opt(r.denominator)),
            r.unit.as_str().to_owned(),
        ];
        let n = got.len();
        let have = [
            got[0].to_owned(),
            got[1..n - 2].join(" "),
            got[n - 2].to_owned(),
            got[n - 1].to_owned(),
        ];
        if have != want {
            errs.push(format!("{have:?} != {want:?}"));
        }
    }
    let issues = format!("{} data-quality entries", ds.issues().len());
    if !out.contains(&issues) {
        errs.push(format!("no line {issues:?}"));
    }
    if errs.is_empty() {
        Ok(format!(
            "{} lines equal the core's Scorecard for {}",
            rows.len(),
            card.year
        ))
    } else {
        Err(errs.join("\n"))
    }
}

// ---------------------------------------------------------------------------------------------

/// The first complete C program (a fenced C block with `main`) of bindings/c/README.md.
fn readme_program() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    readme
        .split("```c\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .find(|b| b.contains("int main"))
        .expect("a C program in bindings/c/README.md")
        .to_owned()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_owned()).collect()
}

#[test]
#[allow(clippy::too_many_lines)] // one list of every check, run in parallel
fn c_programs_agree_with_the_core() {
    let t0 = Instant::now();
    let setup = Setup::new();
    let report = Mutex::new(Vec::<String>::new());
    let failures = Mutex::new(Vec::<String>::new());
    let note = |step: &str, started: Instant, outcome: Result<String, String>| {
        let secs = started.elapsed().as_secs_f64();
        match outcome {
            Ok(msg) => report
                .lock()
                .unwrap()
                .push(format!("[{secs:5.1}s] {step}: {msg}")),
            Err(e) => failures.lock().unwrap().push(format!("{step}: {e}")),
        }
    };
    if setup.valgrind.is_none() {
        report
            .lock()
            .unwrap()
            .push("note: valgrind is not installed; the programs ran without it".into());
    }

    // Compile every program, static and shared, in parallel.
    let readme_c = setup.work.join("readme_example.c");
    std::fs::write(&readme_c, readme_program()).unwrap();
    let readme_c = readme_c.display().to_string();
    let programs: [(&str, Vec<&str>, bool); 9] = [
        (
            "test_api",
            vec!["tests/c/test_api.c", "tests/c/common.c"],
            false,
        ),
        (
            "test_errors",
            vec!["tests/c/test_errors.c", "tests/c/common.c"],
            false,
        ),
        (
            "test_dump",
            vec!["tests/c/test_dump.c", "tests/c/common.c"],
            false,
        ),
        (
            "test_golden",
            vec!["tests/c/test_golden.c", "tests/c/common.c"],
            false,
        ),
        (
            "test_threads",
            vec!["tests/c/test_threads.c", "tests/c/common.c"],
            false,
        ),
        (
            "test_arrow",
            vec!["tests/c/test_arrow.c", "tests/c/common.c"],
            false,
        ),
        ("test_header", vec!["tests/c/test_header.cpp"], true),
        ("scorecard", vec!["examples/c/scorecard.c"], false),
        ("readme", vec![readme_c.as_str()], false),
    ];
    let started = Instant::now();
    let built: Mutex<BTreeMap<(String, &str), PathBuf>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|sc| {
        for (name, sources, cxx) in &programs {
            for link in [Link::Static, Link::Shared] {
                let (setup, built, failures) = (&setup, &built, &failures);
                sc.spawn(move || match setup.compile(sources, name, link, *cxx) {
                    Ok(p) => {
                        built
                            .lock()
                            .unwrap()
                            .insert(((*name).to_owned(), link.name()), p);
                    }
                    Err(e) => failures.lock().unwrap().push(e),
                });
            }
        }
    });
    note(
        "compile",
        started,
        Ok(format!(
            "{} programs, static and shared, C99 and C++11 with -Wall -Wextra -Werror -pedantic",
            programs.len()
        )),
    );
    let failed = failures.lock().unwrap().clone();
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
    let built = built.into_inner().unwrap();
    let exe = |name: &str, link: Link| built[&(name.to_owned(), link.name())].clone();
    let work = setup.work.clone();

    let golden = golden();
    let script = work.join("golden.tsv");
    std::fs::write(&script, &golden.script).unwrap();
    let returns_dir = work.join("returns");
    let (cin, ssda) = write_returns(&returns_dir);
    let mut load_args = vec!["load".to_owned()];
    for c in &cin {
        load_args.extend(["--cin".to_owned(), c.clone()]);
    }
    for c in &ssda {
        load_args.extend(["--ssda903".to_owned(), c.clone()]);
    }
    let files_ds = load_rust(&cin, &ssda);
    let sample = csc_synth::dataset(&csc_synth::Config {
        children: 2000,
        ..csc_synth::Config::default()
    })
    .unwrap();
    let small = csc_synth::dataset(&csc_synth::Config {
        children: 300,
        ..csc_synth::Config::default()
    })
    .unwrap();
    let vg = setup.valgrind.is_some();

    std::thread::scope(|sc| {
        let (setup, note, exe) = (&setup, &note, &exe);
        let (golden, script, work, sample, small, files_ds) =
            (&golden, &script, &work, &sample, &small, &files_ds);
        let (load_args, cin, ssda) = (&load_args, &cin, &ssda);
        // Misuse and conventions, both links; valgrind on the static one.
        sc.spawn(move || {
            for (link, v) in [(Link::Shared, false), (Link::Static, vg)] {
                let t = Instant::now();
                let r = setup
                    .run(&exe("test_api", link), &[], v)
                    .and_then(|(out, m)| check_api(&out).map(|c| format!("{m}\n    {c}")));
                note(&format!("api ({})", link.name()), t, r);
            }
        });
        // The error paths, both links, under valgrind: nothing even possibly lost after them
        // (the last error message lives in a buffer its thread owns); then with a failed load
        // from files, which starts the worker threads (only definite and indirect losses count).
        sc.spawn(move || {
            for (link, args) in [
                (Link::Shared, vec![]),
                (Link::Static, vec![]),
                (Link::Static, vec!["load".to_owned()]),
            ] {
                let t = Instant::now();
                let strict = args.is_empty();
                let r = setup
                    .run(&exe("test_errors", link), &args, vg)
                    .and_then(|(out, m)| check_errors(&out, &m, vg && strict, !strict).map(|()| m));
                note(
                    &format!(
                        "error paths ({}{})",
                        link.name(),
                        if strict { "" } else { ", load" }
                    ),
                    t,
                    r,
                );
            }
        });
        // Arrow C streams, both links; valgrind on the static one.
        sc.spawn(move || {
            for (link, v) in [(Link::Shared, false), (Link::Static, vg)] {
                let t = Instant::now();
                let r = setup
                    .run(&exe("test_arrow", link), &[], v)
                    .map(|(out, m)| format!("{m}\n    {}", out.trim()));
                note(&format!("arrow ({})", link.name()), t, r);
            }
        });
        // The built-in sample, every number, both links; then a smaller one under valgrind.
        sc.spawn(move || {
            for (link, v, children, ds) in [
                (Link::Static, false, 2000, sample),
                (Link::Shared, false, 2000, sample),
                (Link::Shared, vg, 300, small),
            ] {
                let t = Instant::now();
                let resp = work.join(format!("response-{}-{children}-{v}.json", link.name()));
                let args = vec![
                    resp.display().to_string(),
                    "sample".into(),
                    children.to_string(),
                    "42".into(),
                ];
                let r = setup
                    .run(&exe("test_dump", link), &args, v)
                    .and_then(|(out, m)| {
                        check_dump(&out, ds, &resp).map(|c| format!("{m}\n    {c}"))
                    });
                note(&format!("sample of {children} ({})", link.name()), t, r);
            }
        });
        // Returns written as files and loaded with csc_dataset_load.
        sc.spawn(move || {
            let t = Instant::now();
            let resp = work.join("response-files.json");
            let mut args = vec![resp.display().to_string()];
            args.extend(load_args.iter().cloned());
            let r = setup
                .run(&exe("test_dump", Link::Static), &args, vg)
                .and_then(|(out, m)| {
                    check_dump(&out, files_ds, &resp).map(|c| format!("{m}\n    {c}"))
                });
            note("returns as files (static)", t, r);
        });
        // Golden cases through the builder.
        sc.spawn(move || {
            for (link, v) in [(Link::Shared, false), (Link::Static, vg)] {
                let t = Instant::now();
                let args = vec![script.display().to_string()];
                let r = setup
                    .run(&exe("test_golden", link), &args, v)
                    .and_then(|(out, m)| {
                        check_golden(&out, golden).map(|c| format!("{m}\n    {c}"))
                    });
                note(&format!("golden ({})", link.name()), t, r);
            }
        });
        // Threads.
        sc.spawn(move || {
            for (link, v, args) in [
                (Link::Shared, false, s(&["2000", "42", "4", "3"])),
                (Link::Static, vg, s(&["300", "42", "3", "1"])),
            ] {
                let t = Instant::now();
                let r = setup
                    .run(&exe("test_threads", link), &args, v)
                    .map(|(out, m)| format!("{m}\n    {}", out.trim()));
                note(&format!("threads ({})", link.name()), t, r);
            }
        });
        // C++ and the scorecard example.
        sc.spawn(move || {
            for link in [Link::Static, Link::Shared] {
                let t = Instant::now();
                let r = setup
                    .run(&exe("test_header", link), &[], false)
                    .map(|(_, m)| m);
                note(&format!("C++ ({})", link.name()), t, r);
            }
            let t = Instant::now();
            let r = setup
                .run(&exe("scorecard", Link::Shared), &[], false)
                .and_then(|(out, m)| {
                    check_scorecard(&out, sample, None).map(|c| format!("{m}\n    {c}"))
                });
            note("scorecard on the sample", t, r);
            let t = Instant::now();
            let r = setup
                .run(&exe("readme", Link::Static), &[], false)
                .and_then(|(out, m)| {
                    let v: Value = serde_json::from_str(out.trim()).map_err(|e| e.to_string())?;
                    let id = &v["measures"][0]["id"];
                    if id == "assessments_45wd" {
                        Ok(m)
                    } else {
                        Err(format!("printed {out}"))
                    }
                });
            note("the README's C example", t, r);
            let t = Instant::now();
            let mut args = Vec::new();
            for c in cin {
                args.extend(["--cin".to_owned(), c.clone()]);
            }
            for c in ssda {
                args.extend(["--ssda903".to_owned(), c.clone()]);
            }
            args.extend(["--year".to_owned(), "2023".to_owned()]);
            let r = setup
                .run(&exe("scorecard", Link::Static), &args, vg)
                .and_then(|(out, m)| {
                    check_scorecard(&out, files_ds, Some(2023)).map(|c| format!("{m}\n    {c}"))
                });
            note("scorecard on files, --year 2023", t, r);
        });
    });

    let report = report.into_inner().unwrap();
    let failures = failures.into_inner().unwrap();
    eprintln!(
        "{}\n[{:5.1}s] total",
        report.join("\n"),
        t0.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    if std::env::var_os("CSC_KEEP_C_TESTS").is_none() {
        let _ = std::fs::remove_dir_all(&setup.work);
    }
}
