"""The package's surface: errors with codes and kinds, options, periods, working days, tables to
pandas, polars and pyarrow, immutability, threads."""

from __future__ import annotations

import datetime as dt
import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import csc_measures as csc
from csc_measures import _native


def test_public_names() -> None:
    assert set(csc.__all__) <= set(dir(csc))
    assert "_native" not in csc.__all__
    assert csc.__version__ == _native.__version__
    assert csc.OPTION_KEYS == (
        "working_days", "assessment_clock", "assessment_limit_wd", "icpc_limit_wd",
        "previous_plans", "unit", "adoption_thresholds", "a3_months",
    )
    # Rust pyclasses carry a Py prefix in Rust only; their Python names do not.
    assert [c.__name__ for c in (_native.Dataset, _native.Results, _native.Table)] == [
        "Dataset", "Results", "Table",
    ]


def test_exception_classes() -> None:
    assert issubclass(csc.InputError, csc.CscError) and issubclass(csc.InputError, ValueError)
    assert issubclass(csc.OptionError, ValueError) and issubclass(csc.PeriodError, ValueError)
    assert issubclass(csc.CscIOError, OSError) and issubclass(csc.CscError, Exception)
    e = csc.OptionError("x", code=106, kind="invalid_option")
    back = pickle.loads(pickle.dumps(e))
    assert (type(back), back.code, back.kind, str(back)) == (csc.OptionError, 106, "invalid_option", "x")


def test_unknown_measure(sample: csc.Dataset) -> None:
    with pytest.raises(csc.OptionError, match="unknown measure \"assessments\"") as e:
        sample.compute("assessments")
    assert (e.value.code, e.value.kind) == (105, "unknown_measure")
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"assessment_limit": 40}, "unknown option \"assessment_limit\""),
        ({"working_days": "excel"}, "working_days=\"excel\" is not a convention"),
        ({"assessment_limit_wd": "forty"}, "is not a whole number"),
        ({"adoption_thresholds": {"a9": 1}}, "adoption_thresholds"),
    ],
)
def test_bad_options(sample: csc.Dataset, options: dict[str, object], match: str) -> None:
    with pytest.raises(csc.OptionError, match=match) as e:
        sample.compute(**options)
    assert (e.value.code, e.value.kind) == (106, "invalid_option")


def test_options_change_results(sample: csc.Dataset) -> None:
    base = sample.compute("assessments_45wd", year=2024)["assessments_45wd"]
    tight = sample.compute("assessments_45wd", year=2024, assessment_limit_wd=20)["assessments_45wd"]
    assert tight.options["assessment_limit_wd"] == 20
    assert tight.numerator is not None and base.numerator is not None
    assert tight.numerator < base.numerator
    a1 = sample.compute("adoption_a1", year=2024, adoption_thresholds={"a1": 300})["adoption_a1"]
    assert a1.extras["threshold"] == 300


def test_periods(sample: csc.Dataset) -> None:
    by_dates = sample.compute("referrals", start=dt.date(2023, 4, 1), end="2024-03-31")
    by_year = sample.compute("referrals", year=2024)
    assert by_dates.to_dict() == by_year.to_dict()
    assert by_dates.period_end == dt.date(2024, 3, 31)
    with pytest.raises(csc.PeriodError, match="not both") as e:
        sample.compute(year=2024, start="2023-04-01", end="2024-03-31")
    assert (e.value.code, e.value.kind) == (101, "invalid_period")
    with pytest.raises(csc.PeriodError, match="both start and end"):
        sample.compute(start="2023-04-01")
    with pytest.raises(csc.PeriodError):
        sample.compute(start="2024-04-01", end="2024-03-31")
    with pytest.raises(csc.InputError, match="2024-02-30") as bad:
        sample.compute(start="2024-02-30", end="2024-03-31")
    assert (bad.value.code, bad.value.kind) == (100, "invalid_date")
    with pytest.raises(TypeError):
        sample.compute(start=20240401, end="2024-03-31")  # type: ignore[arg-type]
    with pytest.raises(csc.PeriodError, match="no collection year"):
        csc.from_frames(ssda903={"Episodes": pa.table({"CHILD": ["A"], "DECOM": pa.nulls(1)})}).compute()


def test_working_days() -> None:
    assert csc.working_days("2024-03-28", "2024-04-02") == 1
    assert csc.working_days(dt.date(2024, 3, 28), dt.date(2024, 4, 2), "busday_count") == 1
    assert csc.working_days("2024-03-28", "2024-03-28") == 0
    assert csc.working_days("2023-04-01", "2024-03-31") == 250
    with pytest.raises(csc.PeriodError, match="is before"):
        csc.working_days("2024-04-02", "2024-03-28")
    with pytest.raises(csc.OptionError):
        csc.working_days("2024-03-28", "2024-04-02", "excel")


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(csc.CscIOError) as e:
        csc.load(ssda903=[tmp_path / "nowhere"])
    assert (e.value.code, e.value.kind) == (107, "io") and isinstance(e.value, OSError)
    with pytest.raises(csc.InputError, match="four digits"):
        csc.load(cin=["24=cin.xml"])
    bad = tmp_path / "cin.xml"
    bad.write_text("<Message><Children><Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers>"
                   "<CINdetails><CINreferralDate>2023-02-30</CINreferralDate></CINdetails></Child></Children></Message>")
    lenient = csc.load(cin=(2023, bad))
    assert [r["code"] for r in lenient.load_report] == ["unreadable_date"]
    with pytest.raises(csc.InputError) as strict:
        csc.load(cin=(2023, bad), strict=True)
    assert (strict.value.code, strict.value.kind, strict.value.column) == (104, "data_quality", "CINreferralDate")


def test_results_are_tables(sample: csc.Dataset) -> None:
    res = sample.compute(year=2024)
    ids = [m["id"] for m in csc.measures()]
    assert res.ids == ids and len(res) == len(ids) and "cin_at_end" in res
    cols = ["id", "title", "unit", "polarity", "period_start", "period_end", "numerator",
            "denominator", "value", "excluded", "warnings", "extras", "options"]
    df = res.to_pandas()
    assert list(df.columns) == cols and len(df) == len(ids)
    assert str(df["numerator"].dtype) == "UInt64" and str(df["value"].dtype) == "float64"
    assert pd.api.types.is_datetime64_any_dtype(df["period_start"])
    assert df.set_index("id").loc["referrals", "denominator"] is pd.NA
    polars_df = res.to_polars()
    assert polars_df.columns == cols and polars_df["period_end"].dtype == pl.Date
    table = res.to_arrow()
    assert table.column_names == cols and table.schema.field("period_start").type == pa.date32()
    assert pa.table(res).equals(table)  # through __arrow_c_stream__
    assert pl.DataFrame(res).equals(polars_df)
    m = res["assessments_45wd"]
    assert m == res[2] and m.unit == "assessments" and "bands" in m.extras
    records = m.records()
    assert records.column_names == ["measure", "child", "record", "in_denominator",
                                    "in_numerator", "value", "reason"]
    assert sum(r["in_numerator"] for r in records) == m.numerator
    assert len(res.records()) == sum(len(x.records()) for x in res)
    rdf = records.to_pandas()
    assert str(rdf["value"].dtype) == "Int64" and rdf["in_numerator"].dtype == bool
    assert records.to_polars().height == len(records) == records.to_arrow().num_rows
    with pytest.raises(KeyError):
        res["nope"]


def test_load_report_and_summary(sample: csc.Dataset) -> None:
    report = sample.load_report
    assert report.column_names == ["code", "severity", "child", "record", "message", "file",
                                   "line", "path", "column", "value"]
    assert len(report) == sample.summary()["issues"] > 0
    assert report.to_pandas()["line"].dtype == "UInt64"
    assert sample.summary()["children"] > 0
    assert "synthetic sample" in sample.description


def test_reprs(sample: csc.Dataset) -> None:
    res = sample.compute(year=2024)
    assert "assessments_45wd" in repr(res) and "2023-04-01" in repr(res)
    assert res._repr_html_().startswith("<table>") and "adoption_a1" in res._repr_html_()
    assert "children" in repr(sample)
    rec = res.records("referrals")
    assert "more rows" in repr(rec) and "<td>" in rec._repr_html_()
    card = sample.report()
    assert repr(card) == card.to_text() and "<table>" in card._repr_html_()
    assert len(card.to_pandas()) == len(csc.measures())
    from csc_measures._table import html_table

    assert "<td>&lt;b&gt;</td>" in html_table(["a"], [["<b>"]])


def test_immutable(sample: csc.Dataset) -> None:
    res = sample.compute(year=2024)
    for obj in (sample, res, res.table(), sample.report()):
        with pytest.raises(AttributeError):
            obj.anything = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        res._native.period_start = "x"  # type: ignore[misc]
    with pytest.raises(Exception):
        res["referrals"].value = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        _native.Dataset()  # type: ignore[call-arg]


def test_threads_share_a_dataset(sample: csc.Dataset) -> None:
    want = sample.compute(year=2024).to_json()
    years = [2021, 2022, 2023, 2024] * 4
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda y: sample.compute(year=y).to_json(), years))
    assert got[3] == want and got[7] == want
    assert len(set(got)) == 4
