"""Readable drill-down rows and the cleaned care tables from Python: every measure says what its
rows hold (the catalogue, ``Measure.rows_doc``, the Arrow metadata), the rows carry the dates that
check ``value`` by hand, and the cleaned care episodes, periods of care and placements are tables
equal to the CLI's ``tables`` CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any, Callable

import pyarrow as pa
import pytest

import csc_measures as csc

ROW_COLUMNS = ["row", "row_record", "row_value", "row_start", "row_end"]


@pytest.fixture(scope="module")
def ds() -> csc.Dataset:
    return csc.sample(2000)


def test_the_catalogue_says_what_every_row_holds() -> None:
    cat = csc.measures().to_pydict()
    assert list(cat)[-5:] == ROW_COLUMNS
    assert len(cat["id"]) == 54
    for i, mid in enumerate(cat["id"]):
        for col in ROW_COLUMNS[:3]:
            assert cat[col][i], f"{mid}: {col} is empty"
    at = cat["id"].index("adoption_a1")
    assert cat["row"][at] == "adopted episode"
    assert cat["row_start"][at].startswith("entered care")
    assert cat["row_end"][at].startswith("moved in")
    assert cat["row_start"][cat["id"].index("referrals")] is None


def test_results_records_carry_their_meaning(ds: csc.Dataset) -> None:
    res = ds.compute(year=2024, measures=["adoption_a1", "assessments_45wd"])
    a1 = res["adoption_a1"]
    assert a1.rows_doc["record"] == "adoption `DEC`"
    assert a1.rows_doc["start"] is not None and a1.rows_doc["end"] is not None
    records = a1.records().to_arrow()
    assert records.column_names[-2:] == ["start", "end"]
    assert records.schema.field("start").type == pa.date32()
    meta = records.schema.field("start").metadata
    assert meta[b"csc_measures.doc"].decode() == a1.rows_doc["start"]
    both = res.records().to_arrow()
    rows = json.loads(both.schema.metadata[b"csc_measures.rows"])
    assert list(rows) == ["assessments_45wd", "adoption_a1"]
    assert rows["assessments_45wd"]["end"] == "`AssessmentAuthorisationDate`"
    assert b"differs by measure" in both.schema.field("value").metadata[b"csc_measures.doc"]


def test_a1_value_is_moved_in_minus_entered_care(ds: csc.Dataset) -> None:
    rows = ds.compute(year=2024, measures="adoption_a1")["adoption_a1"].records().to_pydict()
    checked = 0
    for den, value, start, end in zip(
        rows["in_denominator"], rows["value"], rows["start"], rows["end"]
    ):
        if den:
            assert isinstance(start, date) and isinstance(end, date)
            assert value == (end - start).days
            checked += 1
    assert checked > 0


def test_assessment_value_is_working_days_from_start_to_end(ds: csc.Dataset) -> None:
    m = ds.compute(year=2024, measures="assessments_45wd")["assessments_45wd"]
    rows = m.records().to_pydict()
    checked = 0
    for value, start, end in zip(rows["value"], rows["start"], rows["end"]):
        if value is not None:
            assert value == csc.working_days(start, end)
            checked += 1
    assert checked == m.denominator


TABLES = {
    "care_episodes": ["child", "decom", "dec", "rne", "ls", "cin", "place", "place_provider",
                      "urn", "pl_post", "rec", "reason_place_change", "short_break",
                      "closed_by_repair", "period_of_care", "new_placement", "placement",
                      "placement_start"],
    "periods_of_care": ["child", "period_of_care", "start", "end", "history_truncated", "rec",
                        "episodes", "placements"],
    "placements": ["child", "period_of_care", "placement", "start", "end", "place",
                   "place_provider", "urn", "pl_post", "episodes"],
}


def _csv_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v.isoformat() if isinstance(v, date) else str(v)


@pytest.mark.parametrize("name", list(TABLES))
def test_cleaned_tables_equal_the_cli_csv(
    ds: csc.Dataset, cli: Callable[..., str], name: str
) -> None:
    table = getattr(ds, name)()
    assert table.column_names == TABLES[name]
    assert len(table) == ds.summary()[name]
    schema = table.to_arrow().schema
    assert all(b"csc_measures.doc" in (f.metadata or {}) for f in schema)
    data = table.to_pydict()
    out = cli("tables", "--table", name, "--sample-children", "2000", "--seed", "42")
    lines = list(csv.reader(io.StringIO(out)))
    assert lines[0] == TABLES[name]
    assert len(lines) - 1 == len(table)
    for i, line in enumerate(lines[1:]):
        assert line == [_csv_text(data[c][i]) for c in TABLES[name]], i
    year = getattr(ds, name)(year=2024)
    assert 0 < len(year) < len(table)
    for s, e in zip(*(year.to_pydict()[c] for c in
                      (("decom", "dec") if name == "care_episodes" else ("start", "end")))):
        assert s <= date(2024, 3, 31) and (e is None or e > date(2023, 4, 1))


def test_placements_check_a_stability_row(ds: csc.Dataset) -> None:
    m = ds.compute(year=2024, measures="stability_3plus_placements")["stability_3plus_placements"]
    rows = m.records().to_pydict()
    placements = ds.placements(year=2024).to_pydict()
    checked = 0
    for child, value, start, end in zip(rows["child"], rows["value"], rows["start"], rows["end"]):
        starts = [s for c, s in zip(placements["child"], placements["start"]) if c == child]
        assert value == len(starts)
        assert (start, end) == (starts[0], starts[-1])
        checked += 1
    assert checked == m.denominator and checked > 0


def test_cleaned_table_errors_name_the_value(ds: csc.Dataset) -> None:
    with pytest.raises(csc.RequestError, match="episodes"):
        ds._native.cleaned_table("episodes")
    with pytest.raises(csc.PeriodError, match="99999"):
        ds.placements(year=99999)
