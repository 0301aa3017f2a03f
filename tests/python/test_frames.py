"""from_frames: pandas, polars and pyarrow inputs, the sector's dict-of-frames shape, date and id
column types, and the errors that name their table, row, column and value."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import csc_measures as csc

YEARS = (2023, 2024)


@pytest.fixture(scope="module")
def tables() -> dict[str, dict[int, dict[str, csc.Table]]]:
    return csc.sample_tables(children=600, seed=5)


#: The sample comes with its own population estimates and frames do not: both sides are given
#: the same input, so their rates compare too.
POPULATION = {2023: 1000}


@pytest.fixture(scope="module")
def want() -> dict[str, Any]:
    return csc.sample(children=600, seed=5).compute(year=2024, population=POPULATION).to_dict()


def convert(tables: dict[str, dict[int, dict[str, csc.Table]]], lib: str) -> dict[str, Any]:
    def one(t: csc.Table) -> Any:
        return {"table": t, "pyarrow": t.to_arrow, "pandas": t.to_pandas, "polars": t.to_polars}[
            lib
        ]() if lib != "table" else t

    return {k: {y: {n: one(t) for n, t in v.items()} for y, v in d.items()} for k, d in tables.items()}


@pytest.mark.parametrize("lib", ["table", "pyarrow", "pandas", "polars"])
def test_every_library_gives_the_sample_s_results(
    tables: dict[str, Any], want: dict[str, Any], lib: str
) -> None:
    frames = convert(tables, lib)
    ds = csc.from_frames(cin=frames["cin"], ssda903=frames["ssda903"])
    got = ds.compute(year=2024, population=POPULATION).to_dict()
    assert got["measures"] == want["measures"]
    assert got["period"] == want["period"]
    # The merge's data-quality entries are the same, located at the tables instead of files.
    assert [(i["code"], i["child"], i["record"]) for i in got["data_quality"]] == [
        (i["code"], i["child"], i["record"]) for i in want["data_quality"]
    ]


def test_the_sector_dict_of_frames_one_per_year(tables: dict[str, Any], want: dict[str, Any]) -> None:
    frames = convert(tables, "pandas")
    # One dict per year holding both returns' tables, keyed as the sector's tools key them; a
    # dict has one "Header", here the SSDA903 one (the year key gives the CIN census its year).
    by_year = {
        y: {**{n: t for n, t in frames["cin"][y].items() if n != "Header"}, **frames["ssda903"][y]}
        for y in frames["cin"]
    }
    got = csc.from_frames(by_year).compute(year=2024, population=POPULATION).to_dict()
    assert got["measures"] == want["measures"]
    # One year at a time, with year=.
    one = csc.from_frames(by_year[2024], year=2024)
    assert one.collection_years == {"cin": [2024], "ssda903": [2024]}
    # A list of (year, tables).
    listed = csc.from_frames(ssda903=list(frames["ssda903"].items()), cin=list(frames["cin"].items()))
    assert listed.compute(year=2024, population=POPULATION).to_dict()["measures"] == want["measures"]


def test_nested_cin_tables_found_by_cindetailsid(tables: dict[str, Any], want: dict[str, Any]) -> None:
    cin: dict[int, dict[str, Any]] = {}
    for y, t in tables["cin"].items():
        details = t["CINdetails"].to_pandas()
        details["CINdetailsID"] = range(len(details))
        key = details.set_index(["LAchildID", "CINreferralDate"])["CINdetailsID"]
        nested = {}
        for name in ("Assessments", "Section47", "ChildProtectionPlans", "CINPlanDates"):
            df = t[name].to_pandas()
            ids = [key[(c, d)] for c, d in zip(df["LAchildID"], df["CINreferralDate"])]
            nested[name] = df.drop(columns=["CINreferralDate"]).assign(CINdetailsID=ids)
        cin[y] = {"Header": t["Header"], "Child": t["Child"], "CINdetails": details, **nested}
    got = csc.from_frames(cin=cin, ssda903=tables["ssda903"]).compute(year=2024, population=POPULATION).to_dict()
    assert got["measures"] == want["measures"]


def test_the_sample_s_tables_are_every_table_of_the_schema(tables: dict[str, Any]) -> None:
    schema = csc.schema().to_pylist()
    for kind in ("cin", "ssda903"):
        names = list(dict.fromkeys(r["table"] for r in schema if r["family"] == kind))
        for year, t in tables[kind].items():
            # The CIN census also gives its Header (the ReferenceDate), first.
            # The sample's SSDA903 returns hold SWEpisodes from 2023-24 on, as the return did.
            held = [n for n in names if not (n == "SWEpisodes" and year < 2024)]
            want = ["Header", *names] if kind == "cin" else held
            assert list(t) == want, (kind, year)
            for name in want[1:] if kind == "cin" else want:
                cols = [r["column"] for r in schema if r["family"] == kind and r["table"] == name]
                assert t[name].column_names == cols, name
    episodes = tables["ssda903"][2024]["Episodes"]
    assert episodes.column_types["DECOM"] == "date32"
    # Counts come back as Int64 (signed), so that a frame can fill them with -1.
    plans = tables["cin"][2024]["ChildProtectionPlans"].to_pandas()
    assert str(plans["NumberOfPreviousCPP"].dtype) == "Int64"
    assert (plans["NumberOfPreviousCPP"].fillna(-1) >= -1).all()
    assert tables["cin"][2024]["Child"].column_types["Disability"] == "list<utf8>"
    assert tables["ssda903"][2024]["OC2"].column_types["SDQ_SCORE"] == "int64"


def test_a_blank_date_column_that_pandas_reads_as_float_is_blank() -> None:
    # pd.read_csv reads a column with no value at all as float64 NaN: MC_DOB, DEC, ...
    header = pd.read_csv(io.StringIO(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
        "A,1,01/01/2010,WBRI,,,\n"
        "B,2,02/03/2011,WBRI,,,\n"
    ))
    episodes = pd.read_csv(io.StringIO(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        "A,01/05/2023,S,C2,N1,U1,PR1,,,,,,\n"
        "B,01/06/2023,S,C2,N1,U1,PR1,,,,,,\n"
    ))
    assert str(header["MC_DOB"].dtype) == "float64" and str(episodes["DEC"].dtype) == "float64"
    ds = csc.from_frames(ssda903={2024: {"Header": header, "Episodes": episodes}})
    assert [r["code"] for r in ds.load_report] == []
    assert ds.summary()["care_episodes"] == 2
    assert ds.compute("cla_at_end", year=2024)["cla_at_end"].numerator == 2
    # A number in a float date column is an unreadable date: an entry, never an error.
    odd = header.assign(MC_DOB=[float("nan"), 3.0])
    ds = csc.from_frames(ssda903={2024: {"Header": odd, "Episodes": episodes}})
    (entry,) = ds.load_report.to_pylist()
    assert (entry["code"], entry["column"], entry["value"], entry["line"]) == (
        "unreadable_date", "MC_DOB", "3", 2,
    )
    assert ds.summary()["care_episodes"] == 2


def test_every_ssda903_table_is_typed_and_bad_flags_and_scores_are_unknown() -> None:
    oc2 = pd.DataFrame({
        "CHILD": ["A", "B", "C"],
        "DOB": ["01/01/2010"] * 3,
        "SDQ_SCORE": ["12", "41", None],
        "CONVICTED": ["0", "yes", None],
        "HEALTH_CHECK": [1, 1, None],
    })
    reviews = pd.DataFrame({"CHILD": ["A", "A"], "REVIEW": ["01/06/2023", None]})
    ds = csc.from_frames(ssda903={2024: {"OC2": oc2, "Reviews": reviews}})
    report = ds.load_report.to_pylist()
    got = sorted((r["code"], r["column"], r["value"]) for r in report)
    assert got == [
        ("blank_row", None, None),
        ("missing_key_date", "REVIEW", ""),
        ("unknown_code", "CONVICTED", "yes"),
        ("unknown_code", "SDQ_SCORE", "41"),
    ]
    assert {f["table"] for f in ds.files} == {"OC2", "Reviews"}


def test_dates_as_timestamps_iso_or_dmy_text_and_ids_as_numbers() -> None:
    episodes = {
        "CHILD": [7, 7, 8],
        "DECOM": ["2023-05-01", "2023-09-01", "2023-06-01"],
        "RNE": ["S", "P", "S"], "LS": ["C2", "C2", "C2"], "PLACE": ["U1", "U4", "U1"],
        "DEC": [None, None, None], "REC": [None, None, None],
    }
    base = pd.DataFrame(episodes)
    variants = {
        "iso": base,
        "dmy": base.assign(DECOM=["01/05/2023", "1/9/2023", "01/06/2023"]),
        "timestamps": base.assign(DECOM=pd.to_datetime(base["DECOM"])),
        "seconds": base.assign(DECOM=pd.to_datetime(base["DECOM"]).astype("datetime64[s]")),
        "utc": base.assign(DECOM=pd.to_datetime(base["DECOM"]).dt.tz_localize("UTC")),
        "dates": base.assign(DECOM=[dt.date(2023, 5, 1), dt.date(2023, 9, 1), dt.date(2023, 6, 1)]),
        "polars-dates": pl.DataFrame(episodes).with_columns(pl.col("DECOM").str.to_date()),
        "polars-datetime": pl.DataFrame(episodes).with_columns(pl.col("DECOM").str.to_datetime()),
        "polars-lazy": pl.DataFrame(episodes).lazy(),
        "arrow-date64": pa.table({**episodes, "DECOM": pa.array(
            [dt.date(2023, 5, 1), dt.date(2023, 9, 1), dt.date(2023, 6, 1)], pa.date64())}),
        "categorical": base.assign(RNE=base["RNE"].astype("category"), CHILD=base["CHILD"].astype(str)),
        "float-ids": base.assign(CHILD=[7.0, 7.0, 8.0]),
    }
    results = {}
    for name, frame in variants.items():
        ds = csc.from_frames(ssda903={2024: {"Episodes": frame}})
        res = ds.compute(["cla_at_end", "stability_3plus_placements"], year=2024)
        results[name] = (res.to_dict()["measures"], res.records().to_pylist())
        assert ds.summary()["care_episodes"] == 3, name
    first = next(iter(results.values()))
    for name, r in results.items():
        assert r == first, name
    assert {r["child"] for r in first[1]} == {"7", "8"}


def test_a_named_time_zone_is_refused_with_what_to_do() -> None:
    df = pd.DataFrame({"CHILD": ["A"], "DECOM": pd.to_datetime(["2023-05-01"]).tz_localize("Europe/London")})
    with pytest.raises(csc.InputError, match=r"column DECOM of table Episodes .*named time zone") as e:
        csc.from_frames(ssda903={2024: {"Episodes": df}})
    assert e.value.kind == "invalid_input" and e.value.code == 103


def test_a_missing_required_column_names_table_and_column() -> None:
    df = pd.DataFrame({"CHILD": ["A"], "DEC": ["2023-06-01"]})
    with pytest.raises(csc.InputError, match="table Episodes has no column DECOM") as e:
        csc.from_frames(ssda903={2024: {"Episodes": df}})
    assert isinstance(e.value, ValueError)
    assert (e.value.code, e.value.kind) == (103, "invalid_input")
    with pytest.raises(csc.InputError, match="table Assessments has no column CINreferralDate"):
        csc.from_frames(cin={2024: {"Assessments": pd.DataFrame({"LAchildID": ["A"]})}})
    with pytest.raises(csc.InputError, match="table CINdetails has no column LAchildID"):
        csc.from_frames(cin={2024: {"CINdetails": pd.DataFrame({"CINreferralDate": ["2023-05-01"]})}})


def bad_episodes() -> pd.DataFrame:
    return pd.DataFrame({
        "CHILD": ["A", "B", "C"],
        "DECOM": ["01/05/2023", "31/02/2023", "2023-06-01"],
        "RNE": ["S", "S", "S"], "LS": ["C2", "C2", "C2"], "PLACE": ["U1", "U1", "U1"],
    })


def test_a_bad_date_names_table_row_column_and_value() -> None:
    ds = csc.from_frames(ssda903={2024: {"Episodes": bad_episodes()}})
    report = [r for r in ds.load_report if r["code"] == "unreadable_date"]
    assert len(report) == 1
    r = report[0]
    assert (r["file"], r["line"], r["column"], r["value"], r["child"]) == (
        "2024/Episodes", 2, "DECOM", "31/02/2023", "B",
    )
    assert r["severity"] == "skipped"
    assert ds.summary()["care_episodes"] == 2
    with pytest.raises(csc.InputError) as e:
        csc.from_frames(ssda903={2024: {"Episodes": bad_episodes()}}, strict=True)
    err = e.value
    assert (err.code, err.kind) == (104, "data_quality")
    assert (err.file, err.line, err.column, err.value) == ("2024/Episodes", 2, "DECOM", "31/02/2023")
    assert "2024/Episodes:2 column DECOM value \"31/02/2023\"" in str(err)


def test_rows_the_readers_would_skip_are_skipped_and_reported() -> None:
    cin = {
        "CINdetails": pd.DataFrame({
            "LAchildID": ["A", None, "C"],
            "CINreferralDate": ["2023-05-01", "2023-05-02", None],
            "ReferralNFA": ["true", "0", "maybe"],
        }),
        "ChildIdentifiers": pd.DataFrame({"LAchildID": ["A"], "PersonBirthDate": ["2015-13-01"]}),
    }
    ds = csc.from_frames(cin={2024: cin})
    codes = sorted((r["code"], r["column"]) for r in ds.load_report)
    assert codes == [
        ("missing_identifier", "CINreferralDate"),
        ("missing_identifier", "LAchildID"),
        ("unreadable_date", "PersonBirthDate"),
    ]
    assert ds.summary()["cin_episodes"] == 1


def test_what_is_not_a_table_or_a_known_name() -> None:
    with pytest.raises(csc.InputError, match='unknown table "Epsiodes"'):
        csc.from_frames(ssda903={2024: {"Epsiodes": bad_episodes()}})
    with pytest.raises(csc.InputError, match="is not an Arrow table"):
        csc.from_frames({2024: {"Episodes": [{"CHILD": "A"}]}})
    with pytest.raises(csc.InputError, match="collection year of their own"):
        csc.from_frames({"Episodes": bad_episodes(), "Episodes_last": bad_episodes()}, year=2024)
    with pytest.raises(csc.InputError, match='table "CINdetails" is a table of the cin return'):
        csc.from_frames(ssda903={2024: {"CINdetails": bad_episodes()}})
    with pytest.raises(csc.InputError, match="column DECOM of table Episodes is Int64"):
        csc.from_frames(ssda903={2024: {"Episodes": pd.DataFrame({"CHILD": ["A"], "DECOM": [3]})}})
    with pytest.raises(TypeError):
        csc.from_frames(ssda903="Episodes")


def test_an_empty_return_still_counts_as_a_loaded_year() -> None:
    ds = csc.from_frames(cin=[(2023, {}), (2024, {"CINdetails": pd.DataFrame({
        "LAchildID": ["A"], "CINreferralDate": ["2023-06-01"]})})])
    assert ds.collection_years["cin"] == [2023, 2024]
    res = ds.compute("re_referrals_12m", year=2024)
    assert "insufficient_history" not in res["re_referrals_12m"].warnings
