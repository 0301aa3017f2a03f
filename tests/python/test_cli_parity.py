"""Python gives the CLI's numbers: every measure, the whole JSON, the scorecard, file loads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

import csc_measures as csc


def test_every_measure_equals_the_cli_json(
    sample: csc.Dataset, cli_json: Callable[..., Any]
) -> None:
    want = cli_json("compute", "--year", "2024", "--format", "json")
    got = sample.compute(year=2024).to_dict()
    assert [m["id"] for m in got["measures"]] == [m["id"] for m in want["measures"]]
    for g, w in zip(got["measures"], want["measures"]):
        assert g == w, g["id"]
    assert got == want


def test_to_json_is_the_cli_output_byte_for_byte(
    sample: csc.Dataset, cli: Callable[..., str]
) -> None:
    assert sample.compute(year=2024).to_json() + "\n" == cli(
        "compute", "--year", "2024", "--format", "json"
    )


def test_default_period_is_the_latest_collection_year(
    sample: csc.Dataset, cli_json: Callable[..., Any]
) -> None:
    res = sample.compute()
    assert res.to_dict() == cli_json("compute", "--format", "json")
    assert (str(res.period_start), str(res.period_end)) == ("2023-04-01", "2024-03-31")


def test_options_and_periods_match_the_cli(
    sample: csc.Dataset, cli_json: Callable[..., Any]
) -> None:
    want = cli_json(
        "compute", "--start", "2022-07-01", "--end", "2023-06-30",
        "--measure", "assessments_45wd", "--measure", "icpc_15wd,cpp_repeat_2y",
        "--option", "working_days=networkdays", "--option", "assessment_limit_wd=40",
        "--option", "unit=children", "--format", "json",
    )
    got = sample.compute(
        ["assessments_45wd", "icpc_15wd", "cpp_repeat_2y"],
        start="2022-07-01", end="2023-06-30",
        working_days="networkdays", assessment_limit_wd=40, unit="children",
    )
    assert got.to_dict() == want


def test_the_scorecard_equals_the_cli_report(
    sample: csc.Dataset, cli: Callable[..., str]
) -> None:
    card = sample.report()
    assert card.to_dict() == json.loads(cli("report", "--format", "json"))
    assert card.to_markdown() == cli("report", "--format", "markdown")
    assert card.year == 2024
    assert [r["id"] for r in card.table()] == [m["id"] for m in csc.measures()]


def test_every_measure_id_is_in_python_the_cli_and_the_golden_corpus(
    cli: Callable[..., str], root: Path
) -> None:
    ids = [m["id"] for m in csc.measures()]
    cli_ids = [line.split()[0] for line in cli("compute", "--measure", "list").splitlines()]
    assert ids == cli_ids
    golden = sorted(p.stem for p in (root / "tests" / "golden").glob("*.toml"))
    assert golden == sorted(ids)


def test_loading_files_equals_the_cli_on_the_same_files(
    tmp_path: Path, cli: Callable[..., str], cli_json: Callable[..., Any]
) -> None:
    cli("synth", "--out", str(tmp_path), "--children", "300", "--years", "2022-2024", "--seed", "7")
    args = []
    for y in (2022, 2023, 2024):
        args += ["--cin", f"{y}={tmp_path / str(y) / 'cin.xml'}"]
        args += ["--ssda903", f"{y}={tmp_path / str(y) / 'ssda903'}"]
    want = cli_json("compute", *args, "--format", "json")
    # The same returns three ways: "YEAR=path" strings, (year, Path) tuples, PathLike.
    by_string = csc.load(
        cin=[f"{y}={tmp_path / str(y) / 'cin.xml'}" for y in (2022, 2023, 2024)],
        ssda903=[f"{y}={tmp_path / str(y) / 'ssda903'}" for y in (2022, 2023, 2024)],
    )
    by_tuple = csc.load(
        cin=[(y, tmp_path / str(y) / "cin.xml") for y in (2022, 2023, 2024)],
        ssda903=[(y, tmp_path / str(y) / "ssda903") for y in (2022, 2023, 2024)],
    )
    for ds in (by_string, by_tuple):
        assert ds.compute().to_dict() == want
        assert ds.collection_years == {"cin": [2022, 2023, 2024], "ssda903": [2022, 2023, 2024]}
    assert {f["table"] for f in by_tuple.files} >= {"CIN census", "Episodes", "Header"}
    check = cli_json("check", *args, "--format", "json")
    report = by_tuple.load_report.to_pylist()
    assert len(report) == len(check["data_quality"])
    for got, w in zip(report, check["data_quality"]):
        got = dict(got, record=None if got["record"] is None else got["record"].isoformat())
        assert got == w
    # Without years, collection years come from the files (ReferenceDate, latest DECOM).
    plain = csc.load(cin=tmp_path / "2024" / "cin.xml", ssda903=tmp_path / "2024" / "ssda903")
    assert plain.collection_years == {"cin": [2024], "ssda903": [2024]}


@pytest.mark.parametrize("children", [0, 50])
def test_sample_sizes_match_the_cli(
    children: int, cli_json: Callable[..., Any]
) -> None:
    want = cli_json("compute", "--sample-children", str(children), "--seed", "3", "--format", "json")
    assert csc.sample(children=children, seed=3).compute().to_dict() == want
