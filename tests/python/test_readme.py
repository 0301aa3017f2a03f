"""The README's Python example runs as written: on the built-in sample, and on real-format returns.

The second run takes the README's code as it stands and swaps only its `ds = ...` statement for a
`csc.load(...)` of the public sample returns kept beside the repository (`../shared/peer-data`):
files made by other projects, messy as real ones are. It skips when they are absent.
"""

from __future__ import annotations

import ast
import contextlib
import io
import pathlib

import pytest

import csc_measures as csc

ROOT = pathlib.Path(__file__).resolve().parents[2]
PEER = ROOT.parent / "shared" / "peer-data"


def readme_python() -> str:
    """The README's first Python block, after as many empty lines as precede it there, so that a
    traceback names the README's own line."""
    head, fence, rest = (ROOT / "README.md").read_text(encoding="utf-8").partition("```python\n")
    assert fence, "the README has a Python example"
    return "\n" * (head.count("\n") + 1) + rest.split("```")[0]


def run(code: str, globals_: dict[str, object]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), globals_)
    return out.getvalue()


def test_readme_python_example_runs(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # It writes scorecard.html where it runs: here, a scratch folder.
    monkeypatch.chdir(tmp_path)
    text = run(readme_python(), {})
    assert "assessments_45wd" in text
    assert "| referrals |" in text
    page = (tmp_path / "scorecard.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Target 85.0%" in page


def with_dataset(code: str, load: str) -> str:
    """`code` with its one top-level `ds = ...` statement (all its lines) replaced by `load`."""
    assigns = [
        node
        for node in ast.parse(code).body
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", None) for t in node.targets] == ["ds"]
    ]
    assert len(assigns) == 1, "the README's example makes its dataset in one `ds = ...`"
    node = assigns[0]
    assert node.end_lineno is not None
    lines = code.splitlines()
    lines[node.lineno - 1 : node.end_lineno] = [load]
    return "\n".join(lines) + "\n"


# (CIN census files, SSDA903 folders or files), relative to the peer data.
PEER_RETURNS = {
    # A hand-made CIN census for 2023-24, and five years of one authority's SSDA903 (2017-2021).
    "cin2024-demand-model": (
        ["cin-validator-fake/CIN_Census_2024.xml"],
        [f"cs-demand-model/{year}" for year in range(2017, 2022)],
    ),
    # The validators' fakes: 332 children's referrals, and a 2017-18 SSDA903 as CSV tables.
    "validators-csv": (["cin-validator-fake/fake_CIN_data.xml"], ["ssda903-validator-fake"]),
    # The same SSDA903 return as its XML file.
    "validators-xml": (
        ["cin-validator-fake/fake_CIN_data.xml"],
        ["ssda903-validator-fake/fake_903.xml"],
    ),
    # An SSDA903 return alone, as an authority checking its looked-after children might start.
    "ssda903-only": ([], ["ssda903-validator-fake/fake_903.xml"]),
}


@pytest.mark.parametrize("name", sorted(PEER_RETURNS))
def test_readme_python_example_runs_on_real_returns(
    name: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cin, ssda903 = PEER_RETURNS[name]
    paths = [PEER / p for p in [*cin, *ssda903]]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        pytest.skip(f"peer data absent: {', '.join(missing)}")
    cin_paths, ssda903_paths = [str(PEER / p) for p in cin], [str(PEER / p) for p in ssda903]
    load = f"ds = csc.load(cin={cin_paths!r}, ssda903={ssda903_paths!r})"
    code = with_dataset(readme_python(), load)
    assert load in code and "csc.sample()" not in code
    monkeypatch.chdir(tmp_path)
    scope: dict[str, object] = {}
    text = run(code, scope)
    # It ran on these returns, to its last line, and wrote its page.
    ds = scope["ds"]
    assert isinstance(ds, csc.Dataset)
    read = [str(f["path"]) for f in ds.files]
    assert all(any(r.startswith(str(p)) for r in read) for p in paths), read
    assert "assessments_45wd" in text and "| referrals |" in text
    assert (tmp_path / "scorecard.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
