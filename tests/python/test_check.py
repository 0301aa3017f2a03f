"""Nothing loads silently empty, from Python too: ISO dates in an SSDA903 CSV are read; a table
whose every row is skipped is an entry of the load report (and an error in strict mode); a return
given the wrong year gets the likely year; a CIN census's dates are judged against its end."""

from __future__ import annotations

from pathlib import Path

import pytest

import csc_measures as csc

EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)


def folder(tmp_path: Path, rows: str) -> Path:
    d = tmp_path / "903"
    d.mkdir()
    (d / "episodes.csv").write_text(f"{EPISODES}\n{rows}", encoding="utf-8")
    return d


def codes(ds: csc.Dataset) -> list[str]:
    return [r["code"] for r in ds.load_report.to_pylist()]


def test_iso_dates_load_every_row(tmp_path: Path) -> None:
    d = folder(
        tmp_path,
        "A,2023-04-10,S,C2,N1,U1,PR1,,,,,,\nB,2023-05-01,S,C2,N1,U1,PR1,2023-06-01,E11,,,,\n",
    )
    ds = csc.load(ssda903=[(2024, d)])
    assert ds.summary()["care_episodes"] == 2
    assert codes(ds) == []


def test_a_table_that_loads_nothing_says_why(tmp_path: Path) -> None:
    d = folder(tmp_path, "A,2023-04-10 00:00:00,S,C2,N1,U1,PR1,,,,,,\n")
    ds = csc.load(ssda903=[(2024, d)])
    assert ds.summary()["care_episodes"] == 0
    assert codes(ds) == ["unreadable_date", "all_rows_skipped"]
    entry = ds.load_report.to_pylist()[1]
    assert entry["message"].startswith("every one of the 1 Episodes rows of ")
    assert (entry["line"], entry["column"], entry["value"]) == (2, "DECOM", "2023-04-10 00:00:00")
    with pytest.raises(csc.InputError) as err:
        csc.load(ssda903=[(2024, d)], strict=True)
    assert (err.value.kind, err.value.column) == ("data_quality", "DECOM")


def test_a_return_given_the_wrong_year_names_the_likely_one(tmp_path: Path) -> None:
    d = folder(
        tmp_path,
        "A,01/03/2023,S,C2,N1,U1,PR1,,,,,,\nB,01/05/2023,S,C2,N1,U1,PR1,,,,,,\n"
        "C,01/06/2023,S,C2,N1,U1,PR1,,,,,,\n",
    )
    report = csc.load(ssda903=[(2023, d)]).load_report.to_pylist()
    hints = [r for r in report if r["code"] == "likely_wrong_year"]
    assert len(hints) == 1 and "probably the 2024 return" in hints[0]["message"]
    assert "likely_wrong_year" not in codes(csc.load(ssda903=[(2024, d)]))


def test_census_dates_after_its_reference_date(tmp_path: Path) -> None:
    xml = tmp_path / "cin.xml"
    xml.write_text(
        "<Message><Header><CollectionDetails><Year>2023</Year><ReferenceDate>2022-07-21</ReferenceDate>"
        "</CollectionDetails></Header><Children><Child><LAchildID>A</LAchildID>"
        "<CINdetails><CINreferralDate>2027-01-03</CINreferralDate></CINdetails></Child></Children></Message>",
        encoding="utf-8",
    )
    report = csc.load(cin=xml).load_report.to_pylist()
    assert [r["code"] for r in report] == ["date_after_return_end"]
    assert report[0]["path"] == "Message/Children/Child[1]/CINdetails[1]"
