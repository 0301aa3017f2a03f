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


@pytest.mark.parametrize(
    ("args", "call"),
    [
        (
            ["--year", "2024", "--start", "2023-04-01", "--end", "2024-03-31"],
            {"year": 2024, "start": "2023-04-01", "end": "2024-03-31"},
        ),
        (["--start", "2023-04-01"], {"start": "2023-04-01"}),
        (["--series", "weekly", "--start", "2023-04-01", "--end", "2024-03-31"],
         {"series": "weekly", "start": "2023-04-01", "end": "2024-03-31"}),
        (["--option", "assessment_limit=40"], {"assessment_limit": 40}),
        (["--option", "working_days=excel"], {"working_days": "excel"}),
        (["--option", "referrals.unit=children"], {"referrals.unit": "children"}),
        (["--measure", "assessments"], {"measures": "assessments"}),
        (["--measure", "referrals,nope"], {"measures": ["referrals", "nope"]}),
        (["--start", "2024-02-30", "--end", "2024-03-31"], {"start": "2024-02-30", "end": "2024-03-31"}),
        (["--population", "2023=many"], {"population": {2023: "many"}}),
    ],
    ids=["year-and-dates", "start-alone", "unknown-series", "unknown-option", "bad-value",
         "scoped-option", "unknown-measure", "one-unknown-measure", "impossible-date",
         "bad-population"],
)
def test_the_same_mistake_gives_the_cli_s_kind_code_and_message(
    sample: csc.Dataset,
    cli_error: Callable[..., tuple[str, str]],
    args: list[str],
    call: dict[str, Any],
) -> None:
    kind, message = cli_error("compute", *args)
    with pytest.raises(csc.CscError) as e:
        sample.compute(**call)
    assert (e.value.kind, str(e.value)) == (kind, message)
    assert e.value.code == next(c for k, c, _ in csc._native.error_kinds() if k == kind)


def test_a_year_with_dates_is_a_request_error_as_in_the_cli(
    sample: csc.Dataset, cli_error: Callable[..., tuple[str, str]]
) -> None:
    kind, message = cli_error(
        "compute", "--year", "2024", "--start", "2023-04-01", "--end", "2024-03-31"
    )
    assert kind == "invalid_request"
    with pytest.raises(csc.RequestError) as e:
        sample.compute(year=2024, start="2023-04-01", end="2024-03-31")
    assert (e.value.code, e.value.kind, str(e.value)) == (108, kind, message)


def test_a_series_and_a_population_equal_the_cli(
    sample: csc.Dataset, cli_json: Callable[..., Any]
) -> None:
    want = cli_json(
        "compute", "--series", "rolling:12", "--start", "2023-01-01", "--end", "2024-03-31",
        "--measure", "referrals,cla_at_end", "--population", "2022=60000",
        "--population", "2023=63051", "--format", "json",
    )
    got = sample.compute(
        "referrals,cla_at_end", series="rolling:12", start="2023-01-01", end="2024-03-31",
        population={2022: 60000, 2023: 63051},
    )
    assert got.to_dict() == want
    card = sample.report(population={2023: 63051}, unit="children")
    assert card.to_dict() == cli_json(
        "report", "--population", "2023=63051", "--option", "unit=children", "--format", "json"
    )
