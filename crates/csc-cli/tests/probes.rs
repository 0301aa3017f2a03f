//! The probe suite against the `csc-measures` command: every case of `tests/probes/cases.py`
//! (hostile and careless inputs written at test time: the defects of issue 16 and our own), each
//! run under `prlimit --as=<bytes> --cpu=<s>`, asserting for each run:
//!
//! * the exit status is one the case allows, and always 0 or 1: never a panic (101), an abort
//!   (134), a kill (137) or any signal;
//! * the words the case names appear in stdout or stderr (the file, the line, the value), and the
//!   ones it forbids do not; the output stays under the case's bound;
//! * for a `check --format json` run with `rows`: each file's `rows` equals its data lines and
//!   each skipped row has a `skipped` entry on its own line, so every row is loaded or reported;
//! * with `max_rss_kb`, the peak resident memory (from `/usr/bin/time`) stays under it;
//! * a run still going after a minute of wall-clock time (blocked on a FIFO, say) is killed, and
//!   fails as a signal.
//!
//! The cases are written by `python3 tests/probes/cases.py`; without `python3` or `prlimit` the
//! test says so on stderr and passes without running. Every failing case is listed at the end.

use std::io::Read as _;
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Writes the cases under `dir` and returns the manifest, or `None` (with a note) when python3 is
/// missing.
fn write_cases(dir: &Path) -> Option<Vec<Value>> {
    let Some(python) = which("python3") else {
        eprintln!("probes: python3 is not installed; the probe cases were not written or run");
        return None;
    };
    let out = Command::new(python)
        .arg(root().join("tests/probes/cases.py"))
        .arg(dir)
        .output()
        .expect("running tests/probes/cases.py");
    assert!(
        out.status.success(),
        "tests/probes/cases.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("the manifest is JSON");
    Some(v.as_array().expect("a list of cases").clone())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn subst(s: &str, dir: &Path) -> String {
    s.replace("{D}", &dir.display().to_string())
}

fn strings(v: &Value, key: &str, dir: &Path) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| subst(s, dir))
                .collect()
        })
        .unwrap_or_default()
}

/// The wall-clock time a run may take before it is killed (and fails: a signal).
const WALL_LIMIT: Duration = Duration::from_mins(1);

/// What one run gave.
struct Outcome {
    code: Option<i32>,
    signal: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    max_rss_kb: Option<u64>,
    user_s: Option<f64>,
    secs: f64,
}

/// Runs the binary with `args` under the limits; stdout closed at once when `closed`; peak RSS
/// and user CPU time through `/usr/bin/time` when `rss`.
fn run(prlimit: &Path, limits: (u64, u64), args: &[String], closed: bool, rss: bool) -> Outcome {
    let rss_file = std::env::temp_dir().join(format!(
        "csc-probe-rss-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let mut cmd = Command::new(prlimit);
    cmd.arg(format!("--as={}", limits.0))
        .arg(format!("--cpu={}", limits.1))
        .arg("--");
    let time =
        which("time").or_else(|| Some(PathBuf::from("/usr/bin/time")).filter(|p| p.is_file()));
    if let (true, Some(time)) = (rss, &time) {
        cmd.arg(time)
            .arg("-f")
            .arg("%M %U")
            .arg("-o")
            .arg(&rss_file);
    }
    cmd.arg(env!("CARGO_BIN_EXE_csc-measures")).args(args);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let t = Instant::now();
    let mut child = cmd.spawn().expect("spawning prlimit");
    // A run blocked without using CPU (a FIFO opened, say) is killed after WALL_LIMIT.
    let pid = child.id().to_string();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if done_rx.recv_timeout(WALL_LIMIT).is_err() {
            let _ = Command::new("kill").arg("-KILL").arg(&pid).status();
        }
    });
    let mut stdout = Vec::new();
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err_pipe.read_to_end(&mut b);
        b
    });
    if closed {
        drop(out_pipe);
    } else {
        let _ = out_pipe.read_to_end(&mut stdout);
    }
    let status = child.wait().expect("waiting for the run");
    let _ = done_tx.send(());
    let _ = watchdog.join();
    let stderr = err_reader.join().unwrap();
    let measured = if rss && time.is_some() {
        std::fs::read_to_string(&rss_file).ok()
    } else {
        None
    };
    let last = measured
        .as_deref()
        .and_then(|s| s.lines().last())
        .unwrap_or("");
    let mut fields = last.split_whitespace();
    let max_rss_kb = fields.next().and_then(|f| f.parse().ok());
    let user_s = fields.next().and_then(|f| f.parse().ok());
    let _ = std::fs::remove_file(&rss_file);
    Outcome {
        code: status.code(),
        signal: status.signal(),
        stdout,
        stderr,
        max_rss_kb,
        user_s,
        secs: t.elapsed().as_secs_f64(),
    }
}

/// `must` entries hold alternatives separated by ` || `.
fn has_any(text: &str, entry: &str) -> bool {
    entry.split(" || ").any(|alt| text.contains(alt))
}

/// Checks that every data line of each named file is loaded or reported, from `check --format
/// json` output.
fn check_rows(json: &Value, rows: &serde_json::Map<String, Value>) -> Result<(), String> {
    let files = json["files"].as_array().ok_or("no `files` in the JSON")?;
    let dq = json["data_quality"].as_array().ok_or("no `data_quality`")?;
    for (name, want) in rows {
        let want = want.as_u64().unwrap();
        let file = files
            .iter()
            .find(|f| {
                f["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with(name.as_str()))
            })
            .ok_or_else(|| format!("no file {name} among {files:?}"))?;
        let path = file["path"].as_str().unwrap();
        let read = file["rows"].as_u64().unwrap_or(0);
        let skipped = file["skipped"].as_u64().unwrap_or(0);
        if read != want {
            return Err(format!(
                "{name}: {read} rows read for {want} data lines (skipped {skipped})"
            ));
        }
        let mut lines: Vec<u64> = dq
            .iter()
            .filter(|e| e["severity"] == "skipped" && e["file"].as_str() == Some(path))
            .filter_map(|e| e["line"].as_u64())
            .collect();
        lines.sort_unstable();
        lines.dedup();
        if lines.len() as u64 != skipped {
            return Err(format!(
                "{name}: {skipped} rows skipped but {} lines have a `skipped` entry ({lines:?})",
                lines.len()
            ));
        }
    }
    Ok(())
}

/// The cells of a CSV file that a spreadsheet would take as a formula.
fn formula_cells(text: &str) -> Vec<String> {
    text.lines()
        .flat_map(|l| l.split(','))
        .map(|c| c.trim_matches('"'))
        .filter(|c| c.starts_with(['=', '+', '-', '@']))
        .map(str::to_owned)
        .collect()
}

/// The first 1500 characters of `s`, quoted and escaped.
fn shown(s: &str) -> String {
    let s: String = s.chars().take(1500).collect();
    format!("{s:?}")
}

/// The words a run's output must hold and must not, and its size.
fn check_words(r: &Value, dir: &Path, what: &str, o: &Outcome) -> Result<(), String> {
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let both = format!("{stdout}\n{stderr}");
    for m in strings(r, "must", dir) {
        if !has_any(&both, &m) {
            return Err(format!(
                "{what}: the output lacks {m:?}; stdout {} stderr {}",
                shown(&stdout),
                shown(&stderr)
            ));
        }
    }
    for m in strings(r, "must_not", dir) {
        if both.contains(&m) {
            return Err(format!(
                "{what}: the output holds {m:?}; stdout {} stderr {}",
                shown(&stdout),
                shown(&stderr)
            ));
        }
    }
    if let Some(max) = r.get("max_output").and_then(Value::as_u64) {
        let n = (o.stdout.len() + o.stderr.len()) as u64;
        if n > max {
            return Err(format!("{what}: {n} bytes of output, more than {max}"));
        }
    }
    Ok(())
}

/// Runs one CLI run of a case; `Err` says what was wrong.
fn check_run(prlimit: &Path, case: &Value, r: &Value, dir: &Path) -> Result<f64, String> {
    let limits = (
        case["as_bytes"].as_u64().unwrap(),
        case["cpu_s"].as_u64().unwrap(),
    );
    let args = strings(r, "args", dir);
    let closed = r["stdout_closed"].as_bool().unwrap_or(false);
    let rss = r.get("max_rss_kb").and_then(Value::as_u64);
    let scale = r.get("scale");
    let o = run(
        prlimit,
        limits,
        &args,
        closed,
        rss.is_some() || scale.is_some(),
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let what = format!("`csc-measures {}`", args.join(" "));
    let allowed: Vec<i64> = r["rc"].as_array().map_or_else(
        || vec![0, 1],
        |a| a.iter().filter_map(Value::as_i64).collect(),
    );
    match (o.code, o.signal) {
        // 2 only where the case allows it: the command-line parser refusing a value.
        (Some(c), _) if allowed.contains(&i64::from(c)) && (0..=2).contains(&c) => {}
        (code, signal) => {
            return Err(format!(
                "{what}: exit {code:?} signal {signal:?}, want one of {allowed:?}; stderr {}",
                shown(&stderr)
            ));
        }
    }
    check_words(r, dir, &what, &o)?;
    if let (Some(max), Some(got)) = (rss, o.max_rss_kb)
        && got > max
    {
        return Err(format!("{what}: peak RSS {got} KB, more than {max} KB"));
    }
    if let Some(scale) = scale {
        let small = run(prlimit, limits, &strings(scale, "args", dir), false, true);
        let max_ratio = scale["max_ratio"].as_f64().unwrap();
        if let (Some(big), Some(small)) = (o.user_s, small.user_s) {
            let ratio = big / small.max(0.05);
            if ratio > max_ratio {
                return Err(format!(
                    "{what}: {big:.2} s of CPU against {small:.2} s for a quarter of the input \
                     (ratio {ratio:.1}, more than {max_ratio})"
                ));
            }
        }
    }
    if let Some(rows) = r.get("rows").and_then(Value::as_object) {
        let json: Value = serde_json::from_slice(&o.stdout)
            .map_err(|e| format!("{what}: stdout is not JSON ({e}): {}", shown(&stdout)))?;
        check_rows(&json, rows).map_err(|e| format!("{what}: {e}"))?;
    }
    if let Some(loaded) = r.get("loaded").and_then(Value::as_object) {
        let json: Value = serde_json::from_slice(&o.stdout)
            .map_err(|e| format!("{what}: stdout is not JSON ({e})"))?;
        for (k, want) in loaded {
            if &json["loaded"][k] != want {
                return Err(format!(
                    "{what}: loaded {k} is {}, want {want}",
                    json["loaded"][k]
                ));
            }
        }
    }
    if let Some(file) = r.get("records_file").and_then(Value::as_str) {
        let text = std::fs::read_to_string(subst(file, dir))
            .map_err(|e| format!("{what}: reading the records file: {e}"))?;
        let cells = formula_cells(&text);
        if !cells.is_empty() {
            return Err(format!(
                "{what}: cells a spreadsheet runs as formulas: {cells:?}"
            ));
        }
    }
    Ok(o.secs)
}

#[test]
fn formula_cells_are_found() {
    assert_eq!(
        formula_cells("child,value\n=1+1,2\n\"@SUM(1)\",3\n'=1,4\n"),
        vec!["=1+1", "@SUM(1)"]
    );
    assert!(has_any("a b", "x || b"));
    assert!(!has_any("a b", "x || y"));
}

#[test]
fn rows_are_loaded_or_reported() {
    let json = serde_json::json!({
        "files": [{"path": "/x/episodes.csv", "rows": 3, "skipped": 1}],
        "data_quality": [{"severity": "skipped", "file": "/x/episodes.csv", "line": 3}],
    });
    let rows = |n: u64| serde_json::json!({"episodes.csv": n});
    assert!(check_rows(&json, rows(3).as_object().unwrap()).is_ok());
    assert!(check_rows(&json, rows(4).as_object().unwrap()).is_err());
    let unreported = serde_json::json!({
        "files": [{"path": "/x/episodes.csv", "rows": 3, "skipped": 2}],
        "data_quality": [{"severity": "skipped", "file": "/x/episodes.csv", "line": 3}],
    });
    assert!(check_rows(&unreported, rows(3).as_object().unwrap()).is_err());
}

#[test]
fn hostile_inputs_against_the_command() {
    let Some(prlimit) = which("prlimit") else {
        eprintln!("probes: prlimit (util-linux) is not installed; the probe suite did not run");
        return;
    };
    let base = std::env::temp_dir().join(format!("csc-probes-cli-{}", std::process::id()));
    let Some(cases) = write_cases(&base) else {
        return;
    };
    let root_user = is_root();
    let t0 = Instant::now();
    let failures = Mutex::new(Vec::<String>::new());
    let report = Mutex::new(Vec::<String>::new());
    let next = Mutex::new(0_usize);
    std::thread::scope(|sc| {
        for _ in 0..2 {
            sc.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    let Some(case) = cases.get(i) else { break };
                    let name = case["name"].as_str().unwrap();
                    let dir = base.join(name);
                    if root_user && case["skip_as_root"].as_bool().unwrap_or(false) {
                        report.lock().unwrap().push(format!(
                            "{name}: skipped (running as root, who reads anything)"
                        ));
                        continue;
                    }
                    let runs = case["runs"].as_array().cloned().unwrap_or_default();
                    for r in &runs {
                        match check_run(&prlimit, case, r, &dir) {
                            Ok(secs) => report.lock().unwrap().push(format!(
                                "{name}: ok in {secs:.2} s: {}",
                                strings(r, "args", &dir)
                                    .join(" ")
                                    .chars()
                                    .take(100)
                                    .collect::<String>()
                            )),
                            Err(e) => failures
                                .lock()
                                .unwrap()
                                .push(format!("{name} ({}): {e}", case["about"].as_str().unwrap())),
                        }
                    }
                }
            });
        }
    });
    let elapsed = t0.elapsed();
    for line in report.lock().unwrap().iter() {
        eprintln!("{line}");
    }
    eprintln!(
        "probes: {} cases in {:.1} s",
        cases.len(),
        elapsed.as_secs_f64()
    );
    // Files made unreadable must be readable again to be removed.
    let _ = Command::new("chmod")
        .arg("-R")
        .arg("u+rwX")
        .arg(&base)
        .status();
    let failed = failures.into_inner().unwrap();
    if failed.is_empty() {
        let _ = std::fs::remove_dir_all(&base);
    }
    assert!(
        elapsed < Duration::from_mins(5),
        "the probe suite took {elapsed:?}"
    );
    assert!(
        failed.is_empty(),
        "{} probe runs failed (cases in {}):\n\n{}",
        failed.len(),
        base.display(),
        failed.join("\n\n")
    );
}
