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


# Each pandas dtype for the fields it can mean, through Arrow (pyarrow installed) and through the
# columns' Python values (as without pyarrow): every variant gives the dataset of the frames of
# text, as a file's text would.


@pytest.fixture(params=["arrow", "values"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "values":
        import csc_measures._api as api

        monkeypatch.setattr(api, "_pyarrow", lambda: None)
    return str(request.param)


def text_frames() -> dict[str, pd.DataFrame]:
    obj = dict(dtype=object)
    return {
        "Header": pd.DataFrame({
            "CHILD": ["7", "8", "9"], "SEX": ["1", "2", "1"],
            "DOB": ["01/01/2010", "02/03/2011", "03/04/2020"], "ETHNIC": ["WBRI"] * 3,
            "MOTHER": ["1", None, "0"], "MC_DOB": [None] * 3,
        }, **obj),
        "Episodes": pd.DataFrame({
            "CHILD": ["7", "8", "9"], "DECOM": ["01/01/2022", "01/09/2022", "01/06/2022"],
            "RNE": ["S"] * 3, "LS": ["C2"] * 3, "CIN": ["N1"] * 3, "PLACE": ["U1", "U4", "U1"],
            "DEC": [None] * 3, "REC": [None] * 3,
        }, **obj),
        "OC2": pd.DataFrame({
            "CHILD": ["7", "8", "9"], "DOB": ["01/01/2010", "02/03/2011", "03/04/2020"],
            "SDQ_SCORE": ["12", None, "7"], "CONVICTED": ["1", "0", "0"],
            "HEALTH_CHECK": ["1", None, "0"], "IMMUNISATIONS": ["1", "1", "0"],
        }, **obj),
    }


def fingerprint(frames: dict[str, Any]) -> Any:
    ds = csc.from_frames(ssda903={2024: frames})
    res = ds.compute(year=2024)
    report = sorted((r["code"], r["column"], r["value"], r["line"]) for r in ds.load_report)
    return ds.summary(), report, res.to_dict()["measures"], res.records().to_pylist()


NA3 = [None, None, None]
TS = pd.to_datetime(["2022-01-01", "2022-09-01", "2022-06-01"])
#: (table, column, values): each a dtype a column of that field may come as.
VARIANTS: list[tuple[str, str, Any]] = [
    # Identifiers: text of any dtype, whole numbers, floats holding whole numbers, categories.
    ("Episodes", "CHILD", pd.array(["7", "8", "9"], dtype="string")),
    ("Episodes", "CHILD", pd.Series(["7", "8", "9"], dtype="str")),
    ("Episodes", "CHILD", pd.array([7, 8, 9], dtype="Int64")),
    ("Episodes", "CHILD", [7, 8, 9]),
    ("Episodes", "CHILD", [7.0, 8.0, 9.0]),
    ("Episodes", "CHILD", pd.Categorical(["7", "8", "9"])),
    ("Header", "CHILD", pd.array([7, 8, 9], dtype="int64")),
    # Dates: datetime64 of any unit, date objects, text dtypes, a time of day, UTC, fixed offsets.
    ("Episodes", "DECOM", TS),
    ("Episodes", "DECOM", TS.astype("datetime64[s]")),
    ("Episodes", "DECOM", [d.date() for d in TS]),
    ("Episodes", "DECOM", pd.array(["2022-01-01", "2022-09-01", "2022-06-01"], dtype="string")),
    ("Episodes", "DECOM", TS + pd.Timedelta(hours=14, minutes=30)),
    ("Episodes", "DECOM", TS.tz_localize("UTC")),
    ("Episodes", "DECOM", (TS + pd.Timedelta(minutes=30)).tz_localize(dt.timezone(dt.timedelta(hours=1)))),
    ("Header", "DOB", pd.to_datetime(["2010-01-01", "2011-03-02", "2020-04-03"])),
    # Blank columns of every dtype.
    ("Episodes", "DEC", [float("nan")] * 3),
    ("Episodes", "DEC", pd.Series(NA3, dtype=object)),
    ("Episodes", "DEC", pd.to_datetime(pd.Series(NA3, dtype=object))),
    ("Episodes", "DEC", pd.array(NA3, dtype="Int64")),
    ("Episodes", "DEC", pd.array(NA3, dtype="boolean")),
    ("Episodes", "REC", pd.array(NA3, dtype="string")),
    ("Episodes", "REC", [float("nan")] * 3),
    ("Header", "MC_DOB", [float("nan")] * 3),
    ("Header", "MC_DOB", pd.to_datetime(pd.Series(NA3, dtype=object))),
    # Codes: whole numbers, nullable or made float by a blank.
    ("Header", "SEX", [1, 2, 1]),
    ("Header", "SEX", pd.array([1, 2, 1], dtype="Int64")),
    ("Header", "MOTHER", [1.0, float("nan"), 0.0]),
    ("Header", "MOTHER", pd.array([1, None, 0], dtype="Int64")),
    # Flags: bool, nullable boolean, whole numbers, floats.
    ("OC2", "CONVICTED", [True, False, False]),
    ("OC2", "CONVICTED", [1, 0, 0]),
    ("OC2", "HEALTH_CHECK", pd.array([True, None, False], dtype="boolean")),
    ("OC2", "HEALTH_CHECK", pd.Series([True, None, False], dtype=object)),
    ("OC2", "HEALTH_CHECK", [1.0, float("nan"), 0.0]),
    ("OC2", "HEALTH_CHECK", pd.array([1, None, 0], dtype="Int64")),
    # Scores and counts: whole numbers, nullable or float.
    ("OC2", "SDQ_SCORE", pd.array([12, None, 7], dtype="Int64")),
    ("OC2", "SDQ_SCORE", [12.0, float("nan"), 7.0]),
]


@pytest.fixture(scope="module")
def text_fingerprint() -> Any:
    return fingerprint(text_frames())


def test_the_text_frames_read_every_field(text_fingerprint: Any) -> None:
    summary, report, measures, records = text_fingerprint
    assert (summary["care_episodes"], report) == (3, [])
    by_id = {m["id"]: m for m in measures}
    # The OC2 flags and scores are read: the health measures count them.
    assert by_id["sdq_average"]["value"] is not None
    assert by_id["immunisations"]["numerator"] >= 1
    assert {r["child"] for r in records} == {"7", "8", "9"}


@pytest.mark.parametrize(
    ("table", "column", "values"), VARIANTS,
    ids=[f"{t}.{c}-{getattr(v, 'dtype', type(v).__name__)}-{k}" for k, (t, c, v) in enumerate(VARIANTS)],
)
def test_each_dtype_reads_as_the_text_it_stands_for(
    path: str, text_fingerprint: Any, table: str, column: str, values: Any
) -> None:
    frames = text_frames()
    frames[table] = frames[table].assign(**{column: values})
    assert fingerprint(frames) == text_fingerprint


def test_a_code_with_a_fraction_is_an_unreadable_value(path: str) -> None:
    frames = text_frames()
    frames["Header"] = frames["Header"].assign(SEX=[1.0, 2.5, float("nan")])
    ds = csc.from_frames(ssda903={2024: frames})
    (entry,) = ds.load_report.to_pylist()
    assert (entry["code"], entry["file"], entry["line"], entry["column"], entry["value"]) == (
        "unreadable_value", "2024/Header", 2, "SEX", "2.5",
    )
    assert entry["child"] == "8" and "is not a code" in entry["message"]


def test_a_named_time_zone_is_refused_without_pyarrow_too(path: str) -> None:
    frames = text_frames()
    frames["Episodes"] = frames["Episodes"].assign(DECOM=TS.tz_localize("Europe/London"))
    with pytest.raises(csc.InputError, match=r"column DECOM of table Episodes .*named time zone"):
        csc.from_frames(ssda903={2024: frames})


def test_a_number_for_a_date_is_refused_by_its_column(path: str) -> None:
    frames = text_frames()
    frames["Episodes"] = frames["Episodes"].assign(DEC=pd.array([None, 3, None], dtype="Int64"))
    with pytest.raises(csc.InputError, match="column DEC of table Episodes is Int64: expected dates"):
        csc.from_frames(ssda903={2024: frames})


def test_mixed_values_in_an_object_column_read_as_their_text() -> None:
    # pyarrow refuses a column of text and numbers; such a column goes over as its values.
    frames = text_frames()
    frames["Episodes"] = frames["Episodes"].assign(CHILD=pd.Series(["7", 8, 9.0], dtype=object))
    assert fingerprint(frames) == fingerprint(text_frames())


def test_a_dict_of_lists_is_a_table() -> None:
    got = fingerprint({name: {c: df[c].tolist() for c in df.columns} for name, df in text_frames().items()})
    assert got == fingerprint(text_frames())
    with pytest.raises(csc.InputError, match="table Episodes: column DECOM, row 2: a .*Decimal"):
        import decimal

        csc.from_frames(ssda903={2024: {"Episodes": {
            "CHILD": ["A", "B"], "DECOM": ["2023-05-01", decimal.Decimal("1")]}}})
    with pytest.raises(csc.InputError, match="table Episodes: column DECOM has 1 values where"):
        csc.from_frames(ssda903={2024: {"Episodes": {"CHILD": ["A", "B"], "DECOM": ["2023-05-01"]}}})


def test_a_named_index_is_a_column(path: str, text_fingerprint: Any) -> None:
    frames = text_frames()
    frames["Episodes"] = frames["Episodes"].set_index("CHILD")
    assert fingerprint(frames) == text_fingerprint


def test_counts_come_back_signed() -> None:
    res = csc.sample(children=300, seed=3).compute(year=2024)
    df = res.to_pandas()
    for col in ("numerator", "denominator"):
        assert str(df[col].dtype) == "Int64"
        filled = df[col].fillna(-1)
        assert (filled >= -1).all() and (filled == -1).sum() == df[col].isna().sum()
    assert df["denominator"].isna().any()  # so that fillna(-1) had something to fill
    assert str(res.to_arrow().schema.field("numerator").type) == "int64"
    assert res.to_polars()["numerator"].dtype == pl.Int64


def test_polars_and_pyarrow_types_read_as_the_text_they_stand_for(text_fingerprint: Any) -> None:
    frames = text_frames()
    plain = {name: {c: df[c].tolist() for c in df.columns} for name, df in frames.items()}
    ts = [dt.datetime(2022, 1, 1, 9), dt.datetime(2022, 9, 1, 23, 59), dt.datetime(2022, 6, 1)]
    polars_frames = {
        "Header": pl.DataFrame(plain["Header"]).with_columns(
            pl.col("CHILD").cast(pl.Int64), pl.col("SEX").cast(pl.Int32),
            pl.col("DOB").str.to_date("%d/%m/%Y"),
            # polars keeps NaN apart from null: both are blank.
            pl.Series("MOTHER", [1.0, float("nan"), 0.0]), pl.Series("MC_DOB", [None] * 3),
        ),
        "Episodes": pl.DataFrame(plain["Episodes"]).with_columns(
            pl.Series("DECOM", ts), pl.Series("DEC", [None] * 3, dtype=pl.Int64),
        ),
        "OC2": pl.DataFrame(plain["OC2"]).with_columns(
            pl.Series("CONVICTED", [True, False, False]),
            pl.Series("SDQ_SCORE", [12, None, 7], dtype=pl.UInt8),
        ),
    }
    assert fingerprint(polars_frames) == text_fingerprint
    arrow_frames = {
        "Header": pa.table({**plain["Header"], "CHILD": pa.array([7, 8, 9], pa.int32()),
                            "MC_DOB": pa.nulls(3)}),
        "Episodes": pa.table({**plain["Episodes"], "DECOM": pa.array(
                                  [t.replace(tzinfo=dt.timezone(dt.timedelta(hours=1))) for t in ts],
                                  pa.timestamp("ms", "+01:00")),
                              "DEC": pa.nulls(3, pa.date32()), "REC": pa.nulls(3)}),
        "OC2": pa.table({**plain["OC2"], "HEALTH_CHECK": pa.array([True, None, False]),
                         "SDQ_SCORE": pa.array([12.0, None, 7.0])}),
    }
    assert fingerprint(arrow_frames) == text_fingerprint


def test_of_two_columns_of_one_name_the_first_is_read(path: str, text_fingerprint: Any) -> None:
    frames = text_frames()
    ep = frames["Episodes"]
    frames["Episodes"] = pd.concat([ep, ep[["DECOM"]].assign(DECOM="not a date")], axis=1)
    assert list(frames["Episodes"].columns).count("DECOM") == 2
    assert fingerprint(frames) == text_fingerprint


def test_ids_read_as_numbers_lose_their_leading_zeros_and_dtype_str_keeps_them(path: str) -> None:
    csv = "CHILD,DECOM\n0012,01/05/2023\n0013,01/06/2023\n"
    for kwargs, want in (({}, {"12", "13"}), ({"dtype": {"CHILD": str}}, {"0012", "0013"})):
        episodes = pd.read_csv(io.StringIO(csv), **kwargs)
        res = csc.from_frames(ssda903={2024: {"Episodes": episodes}}).compute("cla_at_end", year=2024)
        assert {r["child"] for r in res.records()} == want
