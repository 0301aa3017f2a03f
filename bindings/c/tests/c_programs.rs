//! The C programs of `tests/c` and `examples/c`, compiled with `cc -std=c99 -Wall -Wextra -Werror
//! -pedantic` (and the header once as C++11) against `include/csc_measures.h` and both the static
//! and the shared library, run, and compared with the core's own results:
//!
//! * `test_api`: the conventions and every documented misuse status (self-checking);
//! * `test_dump`: every number the C API gives on the built-in sample and on returns written as
//!   files, against `compute` in Rust; the `csc_compute_json` response against
//!   `csc_measures::json::response` (what the CLI prints);
//! * `test_golden`: every case of `tests/golden/*.toml`, its records added through the builder
//!   API, against the golden expectations and the core;
//! * `test_threads`: many threads computing from one dataset (self-checking);
//! * `test_header.cpp`: the header as C++;
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

use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::records::{
    Ad1, Assessment, CareEpisode, CinChild, CinEpisode, CinReturn, CpPlan, Header, PlacedAdoption,
    ReturnKind, Section47, Ssda903Return,
};
use csc_measures::report::{Scorecard, value_text, window};
use csc_measures::result::Reason;
use csc_measures::{Dataset, DatasetBuilder, Day, MeasureResult, Period};
use serde::Deserialize;
use serde_json::{Value, json};

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
                s(r.id.unit().as_str()),
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
            json: csc_measures::json::result(r),
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

fn set_options(o: &mut Options, pairs: &serde_json::Map<String, Value>) {
    for (k, v) in pairs {
        let v = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        o.set(k, &v).unwrap();
    }
}

/// The JSON entry point's response against the CLI's object (`json::response`) and the records.
fn check_response(request: &Value, ds: &Dataset, fy: Period, response: &Path) -> Vec<String> {
    let mut o = Options::default();
    if let Some(m) = request["options"].as_object() {
        set_options(&mut o, m);
    }
    let results: Vec<MeasureResult> = MeasureId::ALL
        .iter()
        .map(|&id| compute(ds, id, fy, &o))
        .collect();
    let mut want = csc_measures::json::response(fy, &results, ds.issues());
    let records: Vec<Value> = results
        .iter()
        .flat_map(|r| {
            r.rows.iter().map(|x| {
                json!({"measure": r.id.as_str(), "child": x.child.as_str(),
                       "record": x.record.map(|d| d.to_string()), "in_denominator": x.in_denominator,
                       "in_numerator": x.in_numerator, "value": x.value,
                       "reason": x.reason.map(Reason::as_str)})
            })
        })
        .collect();
    want["records"] = Value::Array(records);
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
    let request: Value = serde_json::from_str(d.one("request")[0].as_ref().unwrap()).unwrap();
    errs.extend(check_response(&request, ds, fy, response));
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

// ---------------------------------------------------------------------------------------------
// Golden cases, as scripts for test_golden.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldenFile {
    measure: String,
    #[serde(rename = "case")]
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[allow(dead_code)] // read by the core's golden test
    spec: String,
    year: Option<i32>,
    start: Option<Day>,
    end: Option<Day>,
    #[serde(default)]
    options: BTreeMap<String, toml::Value>,
    #[serde(default)]
    cin: Vec<CinReturn>,
    #[serde(default)]
    ssda903: Vec<Ssda903Return>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    numerator: Option<u64>,
    denominator: Option<u64>,
    value: Option<f64>,
    #[serde(default)]
    null: Vec<String>,
    #[serde(default)]
    excluded: BTreeMap<String, u64>,
    warnings: Option<Vec<String>>,
    rows: Option<Vec<GoldenRow>>,
    bands: Option<BTreeMap<String, u64>>,
    quartiles: Option<BTreeMap<String, f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldenRow {
    child: String,
    record: Option<Day>,
    #[serde(default)]
    in_denominator: bool,
    #[serde(default)]
    in_numerator: bool,
    value: Option<i64>,
    reason: Option<String>,
}

fn option_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One script line: the step, then its fields (blank for absent).
fn line(out: &mut String, step: &str, fields: &[String]) {
    out.push_str(step);
    for f in fields {
        assert!(
            !f.contains(['\t', '\n', ',']) || step == "option",
            "{f:?} cannot go in a script"
        );
        out.push('\t');
        out.push_str(f);
    }
    out.push('\n');
}

fn d(x: Day) -> String {
    x.get().to_string()
}
fn od(x: Option<Day>) -> String {
    x.map(d).unwrap_or_default()
}
fn ob(x: Option<bool>) -> String {
    x.map(|b| if b { "1" } else { "0" }.to_owned())
        .unwrap_or_default()
}
fn list<T: ToString>(v: &[T]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The script lines that add `ret` through the builder. Every field is written: the
/// destructuring is exhaustive, so a new field of a record fails to compile here.
#[allow(clippy::too_many_lines)] // a line per field of every record
fn script_cin(out: &mut String, ret: &CinReturn) -> Result<(), String> {
    let src = &ret.source;
    if !src.files.is_empty() || src.reference_date.is_some() {
        return Err(
            "a golden CIN return with files or a reference date: the builder API cannot say that"
                .into(),
        );
    }
    line(
        out,
        "begin_cin",
        &[src.collection_year.unwrap_or(0).to_string()],
    );
    for c in &ret.children {
        let CinChild {
            child,
            upn,
            birth_date,
            expected_birth_date,
            death_date,
            sex,
            ethnicity,
            disabilities,
            origin: _,
        } = c;
        line(
            out,
            "cin_child",
            &[
                child.to_string(),
                upn.to_string(),
                od(*birth_date),
                od(*expected_birth_date),
                od(*death_date),
                sex.to_string(),
                ethnicity.to_string(),
                list(disabilities),
            ],
        );
    }
    for e in &ret.episodes {
        let CinEpisode {
            child,
            referral_date,
            referral_source,
            primary_need,
            closure_date,
            reason_for_closure,
            referral_nfa,
            initial_cpc_date,
            origin: _,
        } = e;
        line(
            out,
            "cin_episode",
            &[
                child.to_string(),
                d(*referral_date),
                referral_source.to_string(),
                primary_need.to_string(),
                od(*closure_date),
                reason_for_closure.to_string(),
                ob(*referral_nfa),
                od(*initial_cpc_date),
            ],
        );
    }
    for a in &ret.assessments {
        let Assessment {
            child,
            episode_referral_date,
            start_date,
            internal_review_date,
            authorisation_date,
            factors,
            origin: _,
        } = a;
        line(
            out,
            "assessment",
            &[
                child.to_string(),
                d(*episode_referral_date),
                od(*start_date),
                od(*internal_review_date),
                od(*authorisation_date),
                list(factors),
            ],
        );
    }
    for s in &ret.section47s {
        let Section47 {
            child,
            episode_referral_date,
            start_date,
            icpc_target_date,
            icpc_date,
            icpc_not_required,
            origin: _,
        } = s;
        line(
            out,
            "section47",
            &[
                child.to_string(),
                d(*episode_referral_date),
                od(*start_date),
                od(*icpc_target_date),
                od(*icpc_date),
                ob(*icpc_not_required),
            ],
        );
    }
    for p in &ret.plans {
        let CpPlan {
            child,
            episode_referral_date,
            start_date,
            end_date,
            initial_category,
            latest_category,
            previous_plans,
            review_dates,
            origin: _,
        } = p;
        let reviews: Vec<String> = review_dates.iter().map(|x| d(*x)).collect();
        line(
            out,
            "cp_plan",
            &[
                child.to_string(),
                d(*episode_referral_date),
                od(*start_date),
                od(*end_date),
                initial_category.to_string(),
                latest_category.to_string(),
                previous_plans.map(|n| n.to_string()).unwrap_or_default(),
                reviews.join(","),
            ],
        );
    }
    Ok(())
}

#[allow(clippy::too_many_lines)] // a line per field of every record
fn script_ssda903(out: &mut String, ret: &Ssda903Return) -> Result<(), String> {
    let src = &ret.source;
    if !src.files.is_empty() || src.reference_date.is_some() || !ret.other.is_empty() {
        return Err(
            "a golden SSDA903 return with files or other tables: the builder API cannot say that"
                .into(),
        );
    }
    line(
        out,
        "begin_ssda903",
        &[src.collection_year.unwrap_or(0).to_string()],
    );
    for h in &ret.headers {
        let Header {
            child,
            sex,
            dob,
            ethnic,
            upn,
            mother,
            mc_dob,
            origin: _,
        } = h;
        line(
            out,
            "header",
            &[
                child.to_string(),
                sex.to_string(),
                od(*dob),
                ethnic.to_string(),
                upn.to_string(),
                mother.to_string(),
                od(*mc_dob),
            ],
        );
    }
    for e in &ret.episodes {
        let CareEpisode {
            child,
            decom,
            rne,
            ls,
            cin,
            place,
            place_provider,
            dec,
            rec,
            reason_place_change,
            home_post,
            pl_post,
            urn,
            origin: _,
        } = e;
        line(
            out,
            "care_episode",
            &[
                child.to_string(),
                d(*decom),
                rne.to_string(),
                ls.to_string(),
                cin.to_string(),
                place.to_string(),
                place_provider.to_string(),
                od(*dec),
                rec.to_string(),
                reason_place_change.to_string(),
                home_post.to_string(),
                pl_post.to_string(),
                urn.to_string(),
            ],
        );
    }
    for a in &ret.ad1 {
        let Ad1 {
            child,
            dob,
            date_int,
            date_match,
            foster_care,
            nb_adoptr,
            sex_adoptr,
            ls_adoptr,
            origin: _,
        } = a;
        line(
            out,
            "ad1",
            &[
                child.to_string(),
                od(*dob),
                od(*date_int),
                od(*date_match),
                foster_care.to_string(),
                nb_adoptr.to_string(),
                sex_adoptr.to_string(),
                ls_adoptr.to_string(),
            ],
        );
    }
    for p in &ret.placed_adoption {
        let PlacedAdoption {
            child,
            dob,
            date_placed,
            date_placed_ceased,
            reason_placed_ceased,
            origin: _,
        } = p;
        line(
            out,
            "placed_adoption",
            &[
                child.to_string(),
                od(*dob),
                od(*date_placed),
                od(*date_placed_ceased),
                reason_placed_ceased.to_string(),
            ],
        );
    }
    Ok(())
}

fn case_period(c: &Case) -> Period {
    match (c.year, c.start, c.end) {
        (Some(y), None, None) => Period::financial_year(y).unwrap(),
        (None, Some(s), Some(e)) => Period::new(s, e).unwrap(),
        _ => panic!("case {:?}: give either year or start and end", c.name),
    }
}

/// The core's answer to a golden case, built as the core's own golden test builds it.
fn core_case(id: MeasureId, c: &Case) -> MeasureResult {
    let mut b = DatasetBuilder::new();
    for r in &c.cin {
        b.add_cin(r.clone());
    }
    for r in &c.ssda903 {
        b.add_ssda903(r.clone());
    }
    let ds = b.build().unwrap();
    let mut o = Options::default();
    for (k, v) in &c.options {
        o.set(k, &option_text(v)).unwrap();
    }
    compute(&ds, id, case_period(c), &o)
}

/// The golden expectations against what C printed.
fn check_expect(e: &Expect, got: &CResult) -> Vec<String> {
    let mut errs = Vec::new();
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
    if let Some(b) = &e.bands {
        let have: BTreeMap<String, u64> = got.json["extras"]["bands"]
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
            let have = got.json["extras"]["quartiles"][k].as_f64();
            if have.is_none_or(|h| (h - v).abs() > 1e-9) {
                errs.push(format!("quartile {k}: want {v}, got {have:?}"));
            }
        }
    }
    errs
}

struct Golden {
    script: String,
    /// (measure, case name, expectations, the core's result)
    cases: Vec<(MeasureId, String, Expect, CResult)>,
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
    };
    for path in files {
        let file: GoldenFile = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let id: MeasureId = file.measure.parse().unwrap();
        for c in file.cases {
            let name = format!("{id}/{}", g.cases.len());
            line(&mut g.script, "case", std::slice::from_ref(&name));
            for r in &c.cin {
                script_cin(&mut g.script, r).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            for r in &c.ssda903 {
                script_ssda903(&mut g.script, r).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            for (k, v) in &c.options {
                line(&mut g.script, "option", &[k.clone(), option_text(v)]);
            }
            let p = case_period(&c);
            line(
                &mut g.script,
                "compute",
                &[id.as_str().to_owned(), d(p.start()), d(p.end())],
            );
            let want = CResult::of(&name, &core_case(id, &c));
            g.cases.push((id, c.name, c.expect, want));
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
    for (got, (id, name, expect, want)) in d.results.iter().zip(&g.cases) {
        if let Some(e) = got.diff(want) {
            errs.push(format!("{id} / {name}: differs from the core: {e}"));
        }
        for e in check_expect(expect, got) {
            errs.push(format!("{id} / {name}: {e}"));
        }
    }
    if errs.is_empty() {
        let measures: std::collections::BTreeSet<_> = g.cases.iter().map(|c| c.0).collect();
        Ok(format!(
            "{} golden cases over {} measures, through the builder API, match",
            g.cases.len(),
            measures.len()
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
    let mut inputs = Vec::new();
    for s in cin {
        inputs.push(csc_returns::load::Input::parse(ReturnKind::Cin, s).unwrap());
    }
    for s in ssda {
        inputs.push(csc_returns::load::Input::parse(ReturnKind::Ssda903, s).unwrap());
    }
    csc_returns::load::load(&inputs, false, &mut |_| {})
        .unwrap()
        .dataset
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
            r.id.unit().as_str().to_owned(),
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
    let programs: [(&str, Vec<&str>, bool); 7] = [
        (
            "test_api",
            vec!["tests/c/test_api.c", "tests/c/common.c"],
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
    let sample = csc_synth::dataset(&csc_synth::Config::default()).unwrap();
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
                let r = setup.run(&exe("test_api", link), &[], v).map(|(_, m)| m);
                note(&format!("api ({})", link.name()), t, r);
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
