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
        "previous_plans", "unit", "adoption_thresholds", "a3_months", "icpc_sources",
        "factor_unit", "stability_2y_cohort", "cla_first_review_wd", "sdq_ages",
        "missing_types", "missing_scope", "care_leaver_ages",
    )
    # Rust pyclasses carry a Py prefix in Rust only; their Python names do not.
    assert [c.__name__ for c in (_native.Dataset, _native.Results, _native.Table)] == [
        "Dataset", "Results", "Table",
    ]


def test_exception_classes() -> None:
    assert issubclass(csc.InputError, csc.CscError) and issubclass(csc.InputError, ValueError)
    assert issubclass(csc.OptionError, ValueError) and issubclass(csc.PeriodError, ValueError)
    assert issubclass(csc.RequestError, csc.CscError) and issubclass(csc.RequestError, ValueError)
    assert issubclass(csc.CscIOError, OSError) and issubclass(csc.CscError, Exception)
    e = csc.OptionError("x", code=106, kind="invalid_option")
    back = pickle.loads(pickle.dumps(e))
    assert (type(back), back.code, back.kind, str(back)) == (csc.OptionError, 106, "invalid_option", "x")


def test_every_error_kind_raises_its_own_class() -> None:
    kinds = _native.error_kinds()
    # Every kind of the core (ErrorKind::ALL), in code order, codes never reused.
    assert [code for _, code, _ in kinds] == list(range(100, 100 + len(kinds)))
    assert ("invalid_request", 108, "RequestError") in kinds
    for kind, code, name in kinds:
        cls = getattr(csc, name)
        # A kind that falls through to the base class is a kind the binding does not map yet.
        assert cls is not csc.CscError and issubclass(cls, csc.CscError), kind
        with pytest.raises(csc.CscError) as e:
            _native.raise_error(kind, "the message")
        assert type(e.value) is cls, kind
        assert (e.value.kind, e.value.code, str(e.value)) == (kind, code, "the message")
    with pytest.raises(ValueError, match="no error kind"):
        _native.raise_error("nope", "x")


def test_unknown_measure(sample: csc.Dataset) -> None:
    with pytest.raises(csc.OptionError, match="unknown measure \"assessments\"") as e:
        sample.compute("assessments")
    assert (e.value.code, e.value.kind) == (105, "unknown_measure")
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"assessment_limit": 40}, "unknown option \"assessment_limit\""),
        ({"working_days": "excel"}, "working_days=\"excel\" is not a value it takes"),
        ({"assessment_limit_wd": "forty"}, r"not a value it takes \(a whole number from 0 to 1000\)"),
        ({"referrals.unit": "children"}, "referrals does not read unit"),
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
    with pytest.raises(csc.RequestError, match="not both") as e:
        sample.compute(year=2024, start="2023-04-01", end="2024-03-31")
    assert (e.value.code, e.value.kind) == (108, "invalid_request")
    assert isinstance(e.value, ValueError)
    with pytest.raises(csc.RequestError, match="a start needs an end"):
        sample.compute(start="2023-04-01")
    with pytest.raises(csc.RequestError, match="a series needs a start and an end"):
        sample.compute(series="quarters", start="2023-04-01")
    # A series with neither runs over the 24 months to the latest collection year's 31 March.
    assert len(sample.compute("referrals", series="quarters")) == 8
    with pytest.raises(csc.PeriodError):
        sample.compute(start="2024-04-01", end="2024-03-31")
    with pytest.raises(csc.InputError, match="2024-02-30") as bad:
        sample.compute(start="2024-02-30", end="2024-03-31")
    assert (bad.value.code, bad.value.kind) == (100, "invalid_date")
    with pytest.raises(TypeError):
        sample.compute(start=20240401, end="2024-03-31")  # type: ignore[arg-type]
    with pytest.raises(csc.PeriodError, match="no collection year"):
        csc.from_frames(ssda903={"Episodes": pa.table({"CHILD": ["A"], "DECOM": pa.nulls(1)})}).compute()


def test_a_series_is_one_long_table(sample: csc.Dataset) -> None:
    res = sample.compute(
        ["referrals", "cin_at_end"], series="quarters", start="2023-04-01", end="2024-03-31"
    )
    assert res.series == "quarters" and len(res) == 8
    assert res.periods[0] == (dt.date(2023, 4, 1), dt.date(2023, 6, 30))
    assert (res.period_start, res.period_end) == (dt.date(2023, 4, 1), dt.date(2024, 3, 31))
    df = res.to_pandas()
    assert list(df["id"]) == ["referrals", "cin_at_end"] * 4
    assert df["period_end"].dt.month.tolist() == [6, 6, 9, 9, 12, 12, 3, 3]
    # Each quarter's result is what a query for that quarter alone gives.
    q3 = sample.compute("referrals", start="2023-10-01", end="2023-12-31")["referrals"]
    assert res[4].numerator == q3.numerator and res[4].period_start == dt.date(2023, 10, 1)
    assert res[4].records().to_pylist() == q3.records().to_pylist()
    assert sum(m.numerator or 0 for m in res if m.id == "referrals") == sample.compute(
        "referrals", year=2024)["referrals"].numerator
    with pytest.raises(KeyError, match="one per period"):
        res["referrals"]
    records = res.records("referrals").to_pandas()
    assert records["period_end"].nunique() == 4
    j = res.to_dict()
    assert j["series"] == "quarters" and len(j["periods"]) == 4 and len(j["measures"]) == 8
    assert "Series quarters: 4 periods" in repr(res) and "Series quarters" in res._repr_html_()
    with pytest.raises(csc.RequestError, match="is not one of rolling:N"):
        sample.compute(series="weekly", start="2023-04-01", end="2024-03-31")


def test_series_is_a_long_table_of_compute_period_by_period(sample: csc.Dataset) -> None:
    t = sample.series(["referrals", "assessments_45wd", "cla_at_end"], start="2023-04", end="2024-03")
    df = t.to_pandas()
    assert len(df) == 36
    assert list(df.columns[:8]) == [
        "measure", "unit", "period_start", "period_end", "numerator", "denominator", "value", "warnings",
    ]
    assert {"bands.same_day", "bands.61+", "quartiles.median", "rate_per_10000"} <= set(df.columns)
    # Each row is what compute gives for its window alone (rolling 12 months to each month-end).
    for got in df.to_dict("records"):
        one = sample.compute(got["measure"], start=got["period_start"], end=got["period_end"])
        m = one[got["measure"]]
        assert (got["numerator"], got["value"]) == (m.numerator, m.value), got
        if got["measure"] == "assessments_45wd":
            assert got["bands.same_day"] == m.extras["bands"]["same_day"]
        else:
            assert pd.isna(got["bands.same_day"])
    # Month-end snapshots of an "at end" count; quarters and the default 24 months.
    snap = sample.series("cla_at_end", kind="month_end", start="2024-01", end="2024-03").to_pylist()
    assert [r["period_end"] for r in snap] == [dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 3, 31)]
    assert snap[2]["value"] == sample.compute("cla_at_end", year=2024)["cla_at_end"].value
    assert sample.series("referrals").num_rows == 24
    assert sample.series("referrals", kind="years", start="2019-04", end="2024-03").num_rows == 5
    pl_df = sample.series("referrals", kind="quarters", start="2023-04", end="2024-03").to_polars()
    assert pl_df["value"].sum() == sample.compute("referrals", year=2024)["referrals"].value
    with pytest.raises(csc.RequestError, match="a series needs a start and an end"):
        sample.series("referrals", start="2023-04")


def test_population_as_a_dict_a_table_or_a_file(sample: csc.Dataset, tmp_path: Path) -> None:
    want = sample.compute("referrals", year=2024, population={2023: 63051})["referrals"]
    rate = want.extras["rate_per_10000"]
    assert want.numerator is not None
    assert rate == 10000.0 * want.numerator / 63051
    assert (want.extras["population"], want.extras["population_year"]) == (63051, 2023)
    frames = [
        pd.DataFrame({"year": [2023, 2024], "population": [63051, 63420]}),
        pl.DataFrame({"Year": ["2023"], "Population": [63051.0]}),
        pa.table({"year": [2023], "population": [63051]}),
    ]
    csv = tmp_path / "population.csv"
    csv.write_text("area,year,population\nE1,2023,63051\n")
    for given in [*frames, csv, str(csv), {"2023": "63051"}]:
        got = sample.compute("referrals", year=2024, population=given)["referrals"]
        assert got.extras["rate_per_10000"] == rate, type(given)
    # Without an input the sample's own estimate is used; returns without one give no rate.
    own = sample.compute("referrals", year=2024)["referrals"]
    assert (own.extras["population"], own.extras["population_year"]) == (63000, 2023)
    bare = csc.from_frames({2024: csc.sample_tables(children=300)["cin"][2024]})
    none = bare.compute("referrals", year=2024)["referrals"]
    assert none.extras["rate_per_10000"] is None and "population_missing" not in none.warnings
    card = sample.report(population={2023: 63051})
    assert card.year == 2024
    with pytest.raises(csc.InputError, match="population_conflict"):
        sample.compute(population=pd.DataFrame({"year": [2023, 2023], "population": [1, 2]}))
    with pytest.raises(csc.InputError, match="lacks the columns year and population"):
        sample.compute(population=pd.DataFrame({"mid_year": [2023], "total": [1]}))
    with pytest.raises(csc.InputError, match="population_invalid"):
        sample.compute(population={2023: -5})
    with pytest.raises(csc.RequestError, match="is not a population"):
        sample.compute(population=63051)  # type: ignore[arg-type]


def test_nothing_to_load_and_too_large_a_sample() -> None:
    with pytest.raises(csc.RequestError, match="load was given no returns"):
        csc.load()
    with pytest.raises(csc.RequestError, match="from_frames was given no returns"):
        csc.from_frames(cin=[])
    with pytest.raises(csc.RequestError, match="more than the 5000000") as e:
        csc.sample(children=10**10)
    assert e.value.code == 108
    with pytest.raises(csc.RequestError):
        csc.sample_tables(children=5_000_001)


def test_catalogues_come_from_the_declarations() -> None:
    m = {r["id"]: r for r in csc.measures()}
    assert m["adoption_a1"]["window"] == "years:3" and m["referrals"]["window"] == "year"
    assert m["assessments_45wd"]["source"] == "cin" and m["cla_at_end"]["source"] == "ssda903"
    assert "assessment_limit_wd" in m["assessments_45wd"]["options"]
    opts = {r["key"]: r for r in csc.options()}
    assert tuple(opts) == csc.OPTION_KEYS
    assert opts["unit"]["read_by"] == ["cpp_second_or_subsequent", "cpp_repeat_2y"]
    assert opts["working_days"]["default"] == "after_start"
    for key, o in opts.items():
        assert key in (csc.Dataset.compute.__doc__ or ""), key
        assert all(key in m[r]["options"] for r in o["read_by"])
    schema = csc.schema().to_pylist()
    assert {r["table"] for r in schema if r["family"] == "ssda903"} == {
        "Header", "Episodes", "AD1", "PlacedAdoption", "Reviews", "UASC", "OC2", "OC3",
        "PrevPerm", "Missing", "SWEpisodes",
    }
    decom = next(r for r in schema if r["table"] == "Episodes" and r["field"] == "decom")
    assert (decom["column"], decom["kind"], decom["rows"]) == ("DECOM", "required_date", "episodes")
    assert any(r["table"] == "CINPlanDates" for r in schema)


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
            "denominator", "value", "note", "excluded", "warnings", "extras", "options"]
    df = res.to_pandas()
    assert list(df.columns) == cols and len(df) == len(ids)
    assert str(df["numerator"].dtype) == "Int64" and str(df["value"].dtype) == "float64"
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
    assert records.column_names == ["measure", "period_start", "period_end", "child", "record",
                                    "in_denominator", "in_numerator", "value", "reason",
                                    "start", "end"]
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
    assert report.to_pandas()["line"].dtype == "Int64"
    assert sample.summary()["children"] > 0
    assert "synthetic sample" in sample.description


def test_reprs(sample: csc.Dataset) -> None:
    res = sample.compute(year=2024)
    assert "assessments_45wd" in repr(res) and "2023-04-01" in repr(res)
    assert res._repr_html_().startswith("<table>") and "adoption_a1" in res._repr_html_()
    assert "children" in repr(sample)
    rec = res.records("referrals")
    assert "more rows" in repr(rec) and "<td>" in rec._repr_html_()
    assert repr(res) == res.to_text() and "Period 2023-04-01 to 2024-03-31" in repr(res)
    card = sample.report()
    assert repr(card) == card.to_text() and card._repr_html_().startswith("<pre>")
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


def test_the_report_as_a_page_for_a_panel(sample: csc.Dataset, root: Path) -> None:
    card = sample.report(2024)
    page = card.to_html()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    lines = card.to_dict()["lines"]
    for line in lines:
        assert page.count(f'data-measure="{line["id"]}"') == 1
        assert len(line["trend"]) == 24 and line["display"]
    assert 'data-role="data-quality"' in page
    # No child identifier unless the records are asked for.
    child = sample.compute("referrals", year=2024)["referrals"].records().to_pylist()[0]["child"]
    assert f">{child}<" not in page
    assert f">{child}<" in sample.report(2024, records=True, trend_months=0).to_html()
    published = root.parent / "shared" / "peer-data" / "dfe-published"
    if not published.is_dir():
        pytest.skip(f"{published} is absent")
    compared = sample.report(2024, published=published, la="807", neighbours="805,806,808", trend_months=0)
    d3 = next(line for line in compared.to_dict()["lines"] if line["id"] == "cpp_second_or_subsequent")
    assert d3["comparison"]["england"]["text"] == "24.7" and d3["comparison"]["own"]["text"] == "26.7"
    assert "England 24.7" in compared.to_html()


def test_load_tables_parquet_and_arrow(tmp_path: Path) -> None:
    """Parquet and Arrow IPC table files (every year in one file per table) load to what the same
    synthetic returns give as XML and CSV; a given year reads that year's rows only."""
    common = ["--children", "1500", "--years", "2022-2024", "--seed", "7"]
    assert _native.cli(["csc-measures", "synth", "--out", str(tmp_path / "ret"), *common]) == 0
    for fmt in ("parquet", "arrow"):
        out = tmp_path / fmt
        assert _native.cli(["csc-measures", "synth", "--out", str(out), *common, "--format", fmt]) == 0
        assert (out / f"Episodes.{fmt}").is_file()
    years = (2022, 2023, 2024)
    returns = csc.load(
        cin=[(y, tmp_path / "ret" / str(y) / "cin.xml") for y in years],
        ssda903=[(y, tmp_path / "ret" / str(y) / "ssda903") for y in years],
    )
    want = returns.compute(year=2024).to_pandas()
    for fmt in ("parquet", "arrow"):
        got = csc.load(tables=tmp_path / fmt)
        assert got.summary() == returns.summary()
        pd.testing.assert_frame_equal(got.compute(year=2024).to_pandas(), want)
    one = csc.load(tables=(2023, tmp_path / "parquet"))
    assert one.compute(year=2023).to_pandas()["numerator"].notna().any()
    assert one.compute(year=2024)["cin_at_end"].note == "no data loaded for this period"
    with pytest.raises(csc.CscIOError):
        csc.load(tables=tmp_path / "nowhere.parquet")
