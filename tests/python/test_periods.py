"""Report periods as people give them, dates as ISO or DD/MM/YYYY, the year a report chooses and
why, and "no data loaded for this period" in words where a value would be (issue 14, parts 3 and
7). The validators' returns are in ``../shared/peer-data`` (not part of the repository): the tests
that read them skip when it is absent."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd
import pytest

import csc_measures as csc

ROOT = Path(__file__).resolve().parents[2]
PEER = Path(os.environ.get("CSC_PEER_DATA", ROOT.parent / "shared" / "peer-data"))
CIN_2023 = PEER / "cin-validator-fake" / "fake_CIN_data.xml"
SSDA903_2018 = PEER / "ssda903-validator-fake"
NO_DATA = "no data loaded for this period"

needs_peer = pytest.mark.skipif(
    not (CIN_2023.is_file() and (SSDA903_2018 / "episodes.csv").is_file()),
    reason=f"no peer data at {PEER}",
)


@pytest.fixture(scope="module")
def small() -> csc.Dataset:
    return csc.sample(children=300)


def test_report_takes_start_and_end_as_dates_or_strings(small: csc.Dataset) -> None:
    by_text = small.report(start="01/10/2023", end="2024-09-30", trend_months=0)
    by_date = small.report(start=dt.date(2023, 10, 1), end=dt.date(2024, 9, 30), trend_months=0)
    rolling = small.report(month_end="2024-09", window=12, trend_months=0)
    assert by_text.period == (dt.date(2023, 10, 1), dt.date(2024, 9, 30))
    assert by_text.period_name == "2023-10-01 to 2024-09-30"
    assert by_text.reason.startswith("the period asked for (loaded: CIN census 2019-2024; SSDA903 2019-2024)")
    assert by_text.to_dict() == by_date.to_dict() == rolling.to_dict()
    d = by_text.to_dict()
    assert d["period_name"] == "2023-10-01 to 2024-09-30" and d["year_reason"] == by_text.reason
    df = by_text.to_pandas().set_index("id")
    assert df.loc["referrals", "period_start"] == pd.Timestamp("2023-10-01")
    # The adoption measures: the three years to the period's end.
    assert df.loc["adoption_a1", "period_start"] == pd.Timestamp("2021-10-01")
    # The same numbers as compute over the period.
    one = small.compute("referrals", start="01/10/2023", end="30/09/2024")["referrals"]
    assert df.loc["referrals", "numerator"] == one.numerator
    assert small.report(month_end=dt.date(2024, 9, 30), trend_months=0).period == by_text.period


def test_report_says_which_year_it_chose_and_why(small: csc.Dataset) -> None:
    card = small.report(trend_months=0)
    assert card.year == 2024 and card.period_name == "2023-24"
    assert card.reason == "the latest collection year loaded (CIN census 2019-2024; SSDA903 2019-2024)."
    assert f"Period 2023-24: {card.reason}" in card.to_text()
    assert f"Period 2023-24: {card.reason}" in card.to_markdown()
    assert "Why this period: the latest collection year loaded" in card.to_html()
    assert small.report(2022, trend_months=0).reason.startswith("the year asked for")


def test_report_periods_that_do_not_go_together_are_refused(small: csc.Dataset) -> None:
    with pytest.raises(csc.RequestError, match="not two of them"):
        small.report(2024, start="2023-04-01", end="2024-03-31")
    with pytest.raises(csc.RequestError, match="a start needs an end"):
        small.report(start="2023-04-01")
    with pytest.raises(csc.RequestError, match="give the month-end too"):
        small.report(window=6)
    with pytest.raises(csc.InputError, match='"Sept 2024" is not a month'):
        small.report(month_end="Sept 2024")


def test_dates_are_iso_or_day_month_year_everywhere(small: csc.Dataset) -> None:
    a = small.compute(["referrals", "cla_at_end"], start="01/10/2019", end="31/03/2020")
    b = small.compute(["referrals", "cla_at_end"], start="2019-10-01", end=dt.date(2020, 3, 31))
    assert a.period_start == dt.date(2019, 10, 1)
    assert a.to_dict() == b.to_dict()
    assert csc.working_days("28/03/2024", "02/04/2024") == 1 == csc.working_days("2024-03-28", "2/4/2024")
    t = small.series("referrals", kind="month_end", start="10/2019", end="31/12/2019")
    assert t.num_rows == 3
    for bad in ["01-10-2019", "2019/10/01", "01/10/19", "31/02/2020"]:
        with pytest.raises(csc.InputError) as e:
            small.compute(start=bad, end="2020-03-31")
        msg = str(e.value)
        assert f'start "{bad}" is not a date' in msg, msg
        assert "YYYY-MM-DD (2019-10-01) or DD/MM/YYYY (01/10/2019)" in msg, msg
        assert e.value.kind == "invalid_date"
        with pytest.raises(csc.InputError, match="DD/MM/YYYY"):
            csc.working_days(bad, "2020-03-31")
    with pytest.raises(TypeError, match="YYYY-MM-DD or DD/MM/YYYY"):
        small.compute(start=20191001, end="2020-03-31")  # type: ignore[arg-type]


def test_no_data_is_said_in_words_in_the_data_frames() -> None:
    # The SSDA903 returns alone: every CIN census measure has no data loaded for its period.
    tables = csc.sample_tables(children=300)
    only_903 = csc.from_frames(ssda903=tables["ssda903"])
    res = only_903.compute(year=2024)
    df = res.to_pandas().set_index("id")
    ids = [m["id"] for m in csc.measures() if m["source"] == "cin"]
    assert len(ids) > 20
    assert res["referrals"].note == NO_DATA and res["cla_at_end"].note is None
    for i in ids:
        assert df.loc[i, "note"] == NO_DATA, i
        assert pd.isna(df.loc[i, "value"]) and df.loc[i, "numerator"] is pd.NA, i
    assert pd.isna(df.loc["cla_at_end", "note"]) and df.loc["cla_at_end", "value"] > 0
    assert NO_DATA in res.to_text() and NO_DATA in res._repr_html_()
    card = only_903.report(2024, trend_months=0)
    assert "No CIN census return is loaded" in card.reason
    cdf = card.to_pandas().set_index("id")
    assert (cdf.loc[ids, "note"] == NO_DATA).all()
    assert (cdf.loc[ids, "direction"] == "not_comparable").all()
    assert pd.isna(cdf.loc["cla_at_end", "note"])
    text, md, page = card.to_text(), card.to_markdown(), card.to_html()
    for i in ids:
        assert NO_DATA in next(l for l in text.splitlines() if l.startswith(f"{i} ")), i
        assert NO_DATA in next(l for l in md.splitlines() if l.startswith(f"| {i} |")), i
        row = page.split(f'data-measure="{i}"')[1]
        assert row.split('data-field="value">')[1].startswith(f"{NO_DATA}<"), i


@needs_peer
def test_the_validator_pair_default_report_names_its_year_and_says_no_data() -> None:
    ds = csc.load(cin=str(CIN_2023), ssda903=str(SSDA903_2018))
    card = ds.report(trend_months=0)
    assert card.year == 2023
    assert card.reason.startswith(
        "the latest collection year loaded (CIN census 2023; SSDA903 2018). "
        "No SSDA903 return loaded covers 2022-23: its measures say no data loaded for this period."
    )
    df = card.to_pandas().set_index("id")
    for i in ["cla_at_end", "stability_long_term", "stability_3plus_placements"]:
        assert df.loc[i, "note"] == NO_DATA, i
        assert df.loc[i, "direction"] == "not_comparable", i
        assert pd.isna(df.loc[i, "value"]), i
    line = next(l for l in json.loads(card.to_json())["lines"] if l["id"] == "cla_at_end")
    assert line["display"] == NO_DATA and line["direction"] == "not_comparable"
