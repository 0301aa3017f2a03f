"""from_frames on frames as analysts make them: every public SSDA903 CSV file of the peer data
(`../shared/peer-data`, not part of the repository; skipped when absent) read with plain
``pd.read_csv(path)``, ``pl.read_csv(path)`` and ``pyarrow.csv.read_csv(path)`` (no dtype), and with
pandas when pyarrow cannot be imported, gives exactly what ``load`` gives of the same files.

What is compared: the summary counts, the collection years, each table's rows and skipped rows,
every load report entry (code, severity, child, record, message, column, value, and its line),
and every measure's results with their records for each collection year loaded. What differs by
design is only where an entry points: a file's label is its path and its line counts the header
row, a frame's label is ``YEAR/Table`` and its line is the 1-based row; so a file's line ``n`` is
a frame's row ``n - 1`` (in the ``line`` column and in messages that cite another row's line).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import polars as pl
import pytest

import csc_measures as csc

ROOT = Path(__file__).resolve().parents[2]
PEER = Path(os.environ.get("CSC_PEER_DATA", ROOT.parent / "shared" / "peer-data"))

#: Each case: its name and the (collection year, folder) pairs `load` is given. The years are the
#: returns' own, the ones `load` reads them as without a year (a test checks it): the
#: cs-demand-model folders are named by the year their return starts in (`2017` holds the year to
#: 31 March 2018), and the liia-tools episodes run to 2022-23.
CASES: dict[str, list[tuple[int, str]]] = {
    "cs-demand-model": [(y + 1, f"cs-demand-model/{y}") for y in range(2017, 2022)],
    "ssda903-validator-fake": [(2018, "ssda903-validator-fake")],
    "liia-tools": [(2023, "liia-tools")],
}

def pyarrow_read_csv(path: str) -> Any:
    import pyarrow.csv  # imported here: the test without pyarrow imports this module

    return pyarrow.csv.read_csv(path)


READERS: dict[str, Callable[[str], Any]] = {
    "pandas": pd.read_csv,
    "polars": pl.read_csv,
    "pyarrow": pyarrow_read_csv,
}

needs_peer = pytest.mark.skipif(
    not (PEER / "cs-demand-model").is_dir(), reason=f"no peer data at {PEER}"
)


def loaded(case: str) -> csc.Dataset:
    return csc.load(ssda903=[(y, str(PEER / d)) for y, d in CASES[case]])


def frames_of(case: str, ds: csc.Dataset, read: Callable[[str], Any]) -> dict[int, dict[str, Any]]:
    """Every file `load` read for `case`, read again by `read`, named as `load` recognised it
    (the liia-tools episodes file has no table's name), by collection year."""
    years = {str(PEER / d): y for y, d in CASES[case]}
    out: dict[int, dict[str, Any]] = {}
    for f in ds.files:
        year = years[str(Path(f["path"]).parent)]
        out.setdefault(year, {})[f["table"]] = read(f["path"])
    assert sorted(out) == sorted(years.values())
    return out


def shifted(message: str) -> str:
    """A file's message with each line it cites made the frame's row (one less)."""
    return re.sub(r"\bline (\d+)", lambda m: f"line {int(m.group(1)) - 1}", message)


def comparable(ds: csc.Dataset, from_files: bool) -> dict[str, Any]:
    """Everything of `ds` that must be equal between `load` and `from_frames` (see the module
    docs), as JSON-able values."""
    report = []
    for r in ds.load_report:
        line = r["line"]
        report.append({
            "code": r["code"], "severity": r["severity"], "child": r["child"],
            "record": str(r["record"]),
            "message": shifted(r["message"]) if from_files else r["message"],
            "column": r["column"], "value": r["value"],
            "line": (line - 1 if from_files else line) if line is not None else None,
        })
    years = ds.collection_years["ssda903"]
    results = {}
    for y in years:
        res = ds.compute(year=y)
        results[str(y)] = {
            "measures": json.loads(res.to_json())["measures"],
            "records": [{k: str(v) for k, v in r.items()} for r in res.records()],
        }
    return {
        "summary": ds.summary(),
        "years": ds.collection_years,
        "files": sorted([f["table"], f["rows"], f["skipped"]] for f in ds.files),
        "report": sorted(report, key=lambda r: json.dumps(r, sort_keys=True)),
        "results": results,
    }


@pytest.fixture(scope="module")
def want() -> dict[str, tuple[csc.Dataset, dict[str, Any]]]:
    out = {}
    for case in CASES:
        ds = loaded(case)
        out[case] = (ds, comparable(ds, from_files=True))
    return out


@needs_peer
@pytest.mark.parametrize("lib", list(READERS))
@pytest.mark.parametrize("case", list(CASES))
def test_plain_read_csv_frames_give_what_load_gives(
    want: dict[str, tuple[csc.Dataset, dict[str, Any]]], case: str, lib: str
) -> None:
    ds, expected = want[case]
    assert expected["summary"]["care_episodes"] > 0
    frames = frames_of(case, ds, READERS[lib])
    got = comparable(csc.from_frames(ssda903=frames), from_files=False)
    for part in ("summary", "years", "files", "report", "results"):
        assert got[part] == expected[part], (case, lib, part)


@needs_peer
@pytest.mark.parametrize("case", list(CASES))
def test_the_years_are_the_returns_own(case: str) -> None:
    for year, folder in CASES[case]:
        assert csc.load(ssda903=str(PEER / folder)).collection_years["ssda903"] == [year]


@needs_peer
def test_the_files_are_read_as_analysts_get_them(
    want: dict[str, tuple[csc.Dataset, dict[str, Any]]],
) -> None:
    # The cases the issue names: ids read as numbers, MC_DOB blank in most years (float64 NaN
    # in pandas, null text in polars, the null type in pyarrow), ISO dates that pyarrow makes
    # timestamps.
    path = PEER / "cs-demand-model" / "2018" / "header.csv"
    header = pd.read_csv(path)
    assert str(header["CHILD"].dtype) == "int64" and str(header["MC_DOB"].dtype) == "float64"
    polars_header = pl.read_csv(path)
    assert polars_header["CHILD"].dtype == pl.Int64
    assert polars_header["MC_DOB"].null_count() == polars_header.height
    assert str(pyarrow_read_csv(str(path)).schema.field("MC_DOB").type) == "null"
    (liia,) = [f["path"] for f in want["liia-tools"][0].files]
    assert str(pyarrow_read_csv(liia).schema.field("DECOM").type).startswith(("timestamp", "date"))


#: Run in a fresh interpreter where pyarrow cannot be imported: prints what `comparable` gives
#: for plain `pd.read_csv` frames of each case.
NO_PYARROW = textwrap.dedent(
    """
    import json, sys
    sys.modules["pyarrow"] = None  # import pyarrow now raises ImportError
    import pandas as pd
    try:
        import pyarrow
    except ImportError:
        pass
    else:
        raise SystemExit("pyarrow is importable")
    sys.path.insert(0, sys.argv[1])
    import csc_measures
    import csc_measures._api as api
    import test_frames_peer as t
    assert api._pyarrow() is None
    out = {}
    for case in t.CASES:
        ds = t.loaded(case)
        frames = t.frames_of(case, ds, pd.read_csv)
        # The frames go over as their columns' values, not through Arrow.
        assert all(isinstance(api._frame(f), dict) for y in frames.values() for f in y.values())
        out[case] = t.comparable(csc_measures.from_frames(ssda903=frames), from_files=False)
    print(json.dumps(out))
    """
)


@needs_peer
def test_pandas_without_pyarrow_gives_the_same(
    want: dict[str, tuple[csc.Dataset, dict[str, Any]]],
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", NO_PYARROW, str(Path(__file__).parent)],
        capture_output=True, text=True, env={**os.environ, "CSC_PEER_DATA": str(PEER)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout)
    for case, (_, expected) in want.items():
        for part in ("summary", "years", "files", "report", "results"):
            assert got[case][part] == expected[part], (case, part)
