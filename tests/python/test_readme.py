"""The README's Python example runs as written."""

import contextlib
import io
import pathlib

import pytest


def test_readme_python_example_runs(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # It writes scorecard.html where it runs: here, a scratch folder.
    monkeypatch.chdir(tmp_path)
    readme = pathlib.Path(__file__).resolve().parents[2] / "README.md"
    blocks = readme.read_text(encoding="utf-8").split("```python\n")[1:]
    assert blocks, "the README has a Python example"
    code = blocks[0].split("```")[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    text = out.getvalue()
    assert "assessments_45wd" in text
    assert "| referrals |" in text
    page = (tmp_path / "scorecard.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Target 85.0%" in page
