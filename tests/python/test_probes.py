"""The probe suite against the Python module: every case of ``tests/probes/cases.py`` with a
``py`` entry is run in a child interpreter under ``prlimit --as=<bytes> --cpu=<s>``, asserting:

* the interpreter survives (exit 0 after printing its verdict: no abort, no signal);
* an error, when the case wants one, is a ``CscError`` with a message naming something, and no
  error when the case wants none;
* every data line of each file named in ``rows`` is loaded or reported: ``Dataset.files`` gives
  the file's ``rows`` equal to its data lines, and each skipped row has a ``skipped`` entry of
  ``Dataset.load_report`` on its own line.

Skipped (with the reason) where ``prlimit`` is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "probes"))
import cases as probe_cases  # noqa: E402

PRLIMIT = shutil.which("prlimit")

CHILD = r"""
import json, sys
import csc_measures as c
spec = json.loads(sys.argv[1])
out = {}
try:
    if "sample" in spec:
        ds = c.sample(**spec["sample"])
    else:
        load = spec["load"]
        ds = c.load(cin=load.get("cin"), ssda903=load.get("ssda903"), strict=spec.get("strict", False))
    out["files"] = ds.files
    report = ds.load_report.to_pylist()
    out["report"] = [{k: r[k] for k in ("severity", "file", "line", "message")} for r in report]
except c.CscError as e:
    out["error"] = {"type": type(e).__name__, "message": str(e), "code": e.code}
print(json.dumps(out))
print("host survived")
"""


def _subst(v: Any, d: str) -> Any:
    if isinstance(v, str):
        return v.replace("{D}", d)
    if isinstance(v, list):
        return [_subst(x, d) for x in v]
    if isinstance(v, dict):
        return {k: _subst(x, d) for k, x in v.items()}
    return v


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    root = tmp_path_factory.mktemp("probes")
    made = probe_cases.cases(str(root))
    yield root, made
    subprocess.run(["chmod", "-R", "u+rwX", str(root)], check=False)


def _py_case_names() -> list[str]:
    # The names only: the files are written by the fixture, once, into a temporary folder.
    import tempfile

    with tempfile.TemporaryDirectory() as t:
        try:
            names = [c["name"] for c in probe_cases.cases(t) if "py" in c]
        finally:
            subprocess.run(["chmod", "-R", "u+rwX", t], check=False)
    return names


@pytest.mark.skipif(PRLIMIT is None, reason="prlimit (util-linux) is not installed")
@pytest.mark.parametrize("name", _py_case_names())
def test_probe(name: str, written: tuple[Path, list[dict[str, Any]]]) -> None:
    root, made = written
    case = next(c for c in made if c["name"] == name)
    if case["skip_as_root"] and os.geteuid() == 0:
        pytest.skip("running as root, who reads anything")
    d = str(root / name)
    spec = _subst(case["py"], d)
    assert PRLIMIT is not None
    p = subprocess.run(
        [PRLIMIT, f"--as={case['as_bytes']}", f"--cpu={case['cpu_s']}", "--", sys.executable, "-c", CHILD, json.dumps(spec)],
        capture_output=True,
        timeout=120,
    )
    stdout = p.stdout.decode(errors="replace")
    stderr = p.stderr.decode(errors="replace")
    assert p.returncode == 0 and stdout.endswith("host survived\n"), (
        f"{case['about']}: the interpreter did not survive (exit {p.returncode}); stderr {stderr[-2000:]!r}"
    )
    out = json.loads(stdout.splitlines()[0])
    want_error = spec.get("error")
    if want_error is True:
        assert "error" in out, f"{case['about']}: no error raised; files {out.get('files')}"
    if want_error is False:
        assert "error" not in out, f"{case['about']}: raised {out.get('error')}"
    if "error" in out:
        assert len(out["error"]["message"]) >= 8, out["error"]
        assert out["error"]["code"] >= 100, out["error"]
        return
    for fname, lines in (spec.get("rows") or {}).items():
        files = [f for f in out["files"] if str(f["path"]).endswith(fname)]
        assert files, f"{case['about']}: no file {fname} in {out['files']}"
        f = files[0]
        assert f["rows"] == lines, f"{case['about']}: {f['rows']} rows read for {lines} data lines: {f}"
        skipped_lines = {
            r["line"] for r in out["report"] if r["severity"] == "skipped" and r["file"] == f["path"] and r["line"] is not None
        }
        assert len(skipped_lines) == f["skipped"], (
            f"{case['about']}: {f['skipped']} rows skipped, {len(skipped_lines)} lines reported: {out['report']}"
        )


def test_every_defect_of_the_report_has_a_case() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as t:
        try:
            made = probe_cases.cases(t)
        finally:
            subprocess.run(["chmod", "-R", "u+rwX", t], check=False)
    abouts = " ".join(c["about"] for c in made)
    # D19 is the Rust API alone (Calendar::with_holidays), tested beside it.
    for n in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21]:
        assert f"D{n}:" in abouts or f"D{n} " in abouts, f"no probe case for D{n}"
    assert sum(1 for c in made if "py" in c) >= 10
