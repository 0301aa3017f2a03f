//! The probe suite against the C library: every case of `tests/probes/cases.py` that has a
//! `request` is handed to `csc_compute_json` by the host program `tests/probes/probe.c` (linked
//! with the shared library), run under `prlimit --as=<bytes> --cpu=<s>`, asserting:
//!
//! * the host survives: it exits 0 after printing "host survived" (no abort, no signal, whatever
//!   the request holds);
//! * the status is one the case allows, never `CSC_STATUS_PANIC`; a failure has a message that
//!   says something, and the words the case names appear in the message or response;
//! * the response stays under the case's bound.
//!
//! Without `python3`, `prlimit` or a C compiler the test says so on stderr and passes without
//! running. The library is built first by `cargo build -p csc-measures-c`, as in `c_programs.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// `target/<profile>` beside this test's executable, with the libraries built in it.
fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let lib_dir = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
    let profile = lib_dir.file_name().and_then(|n| n.to_str()).unwrap();
    let profile = if profile == "debug" { "dev" } else { profile };
    let parent = lib_dir.parent().unwrap();
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(["build", "-p", "csc-measures-c", "--profile", profile])
        .current_dir(root());
    if parent.join("CACHEDIR.TAG").is_file() {
        cmd.arg("--target-dir").arg(parent);
    } else {
        let triple = parent.file_name().and_then(|n| n.to_str()).unwrap();
        cmd.args(["--target", triple])
            .arg("--target-dir")
            .arg(parent.parent().unwrap());
    }
    assert!(
        cmd.status().expect("running cargo").success(),
        "cargo build -p csc-measures-c failed"
    );
    lib_dir
}

fn subst(v: &Value, dir: &str) -> Value {
    match v {
        Value::String(s) => Value::String(s.replace("{D}", dir)),
        Value::Array(a) => Value::Array(a.iter().map(|x| subst(x, dir)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.replace("{D}", dir), subst(x, dir)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Runs one case's request; `Err` says what was wrong.
fn check_case(prlimit: &Path, probe: &Path, case: &Value, dir: &Path) -> Result<String, String> {
    let spec = &case["request"];
    let d = dir.display().to_string();
    let request = subst(&spec["request"], &d);
    std::fs::create_dir_all(dir).unwrap();
    let req_file = dir.join("request.json");
    std::fs::write(&req_file, request.to_string()).unwrap();
    let out = Command::new(prlimit)
        .arg(format!("--as={}", case["as_bytes"].as_u64().unwrap()))
        .arg(format!("--cpu={}", case["cpu_s"].as_u64().unwrap()))
        .arg("--")
        .arg(probe)
        .arg(&req_file)
        .output()
        .map_err(|e| format!("running the probe: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let shown = |s: &str| format!("{:?}", s.chars().take(1500).collect::<String>());
    let what = format!("csc_compute_json({})", shown(&request.to_string()));
    if !out.status.success() || !stdout.ends_with("host survived\n") {
        return Err(format!(
            "{what}: the host did not survive ({}); stdout {} stderr {}",
            out.status,
            shown(&stdout),
            shown(&stderr)
        ));
    }
    let status: u32 = stdout
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("{what}: no status line in {}", shown(&stdout)))?;
    let allowed: Vec<u64> = spec["status"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    if status == 4 || !allowed.contains(&u64::from(status)) {
        return Err(format!(
            "{what}: status {status}, want one of {allowed:?}; {}",
            shown(&stdout)
        ));
    }
    let message = stdout
        .lines()
        .find_map(|l| l.strip_prefix("message "))
        .unwrap_or("");
    if status != 0 && message.trim().len() < 8 {
        return Err(format!(
            "{what}: status {status} with the message {message:?}"
        ));
    }
    let words = |key: &str| -> Vec<String> {
        spec.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(|s| s.replace("{D}", &d))
                    .collect()
            })
            .unwrap_or_default()
    };
    for m in words("must") {
        if !m.split(" || ").any(|alt| stdout.contains(alt)) {
            return Err(format!("{what}: lacks {m:?}: {}", shown(&stdout)));
        }
    }
    for m in words("must_not") {
        if stdout.contains(&m) {
            return Err(format!("{what}: holds {m:?}: {}", shown(&stdout)));
        }
    }
    if let Some(max) = spec.get("max_output").and_then(Value::as_u64) {
        if stdout.len() as u64 > max {
            return Err(format!(
                "{what}: {} bytes of output, more than {max}",
                stdout.len()
            ));
        }
    }
    Ok(format!("status {status}"))
}

#[test]
fn hostile_requests_against_the_c_library() {
    let (Some(prlimit), Some(python), Some(cc)) = (which("prlimit"), which("python3"), which("cc"))
    else {
        eprintln!("probes: prlimit, python3 or cc is missing; the C probe suite did not run");
        return;
    };
    let lib = lib_dir();
    let work = lib.join(format!("c-probes-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let probe = work.join("probe");
    let o = Command::new(cc)
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I"])
        .arg(root().join("include"))
        .arg(root().join("tests/probes/probe.c"))
        .arg("-L")
        .arg(&lib)
        .arg("-lcscmeasures")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&probe)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "compiling probe.c: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let cases_dir = work.join("cases");
    let out = Command::new(python)
        .arg(root().join("tests/probes/cases.py"))
        .arg(&cases_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cases: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in cases.iter().filter(|c| c.get("request").is_some()) {
        let name = case["name"].as_str().unwrap();
        if root_user && case["skip_as_root"].as_bool().unwrap_or(false) {
            eprintln!("{name}: skipped (running as root, who reads anything)");
            continue;
        }
        ran += 1;
        match check_case(&prlimit, &probe, case, &cases_dir.join(name)) {
            Ok(s) => eprintln!("{name}: {s}"),
            Err(e) => failures.push(format!("{name} ({}): {e}", case["about"].as_str().unwrap())),
        }
    }
    let _ = Command::new("chmod")
        .arg("-R")
        .arg("u+rwX")
        .arg(&work)
        .status();
    eprintln!("probes: {ran} requests through csc_compute_json");
    assert!(ran >= 15, "only {ran} cases have a request");
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&work);
    }
    assert!(
        failures.is_empty(),
        "{} probe requests failed (in {}):\n\n{}",
        failures.len(),
        work.display(),
        failures.join("\n\n")
    );
}
