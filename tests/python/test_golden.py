"""The golden corpus (tests/golden/*.toml) through Python: each case's records become frames
(pyarrow, pandas and polars) by the schema catalogue (``csc.schema()``: a table's rows and each
field's column), with its population and options, and every expectation is checked as the Rust
runner checks it (crates/csc-measures/src/golden.rs, ``compare``). Nothing here knows a table: a
table or field added to the schema is run here as it is added to the corpus."""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import csc_measures as csc

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GOLDEN = Path(__file__).resolve().parents[2] / "tests" / "golden"

# The kinds of field whose Rust type is a required `Day`: serde's default (1970-01-01) when a case
# leaves them out.
REQUIRED_DAYS = {"required_date", "parent_key"}


class Family:
    """The tables of one return, by the name the corpus gives their rows (the return's field)."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.tables: dict[str, str] = {}
        self.fields: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for r in rows:
            self.tables[r["rows"]] = r["table"]
            self.fields[r["rows"]].append((r["field"], r["column"], r["kind"]))


def _families() -> dict[str, Family]:
    schema = csc.schema().to_pylist()
    return {
        kind: Family([r for r in schema if r["family"] == kind]) for kind in ("cin", "ssda903")
    }


FAMILIES = _families()


def _cases() -> list[Any]:
    out = []
    for path in sorted(GOLDEN.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for k, case in enumerate(data["case"]):
            out.append(pytest.param(data["measure"], case, id=f"{path.stem}[{k}]"))
    return out


def _rows(records: list[dict[str, Any]], fields: list[tuple[str, str, str]], table: str) -> list[dict[str, Any]]:
    """The records as rows of the table's columns (every column; `None` where a record is blank)."""
    known = {f for f, _, _ in fields}
    rows = []
    for rec in records:
        unknown = set(rec) - known
        assert not unknown, f"{table}: no column for the fields {sorted(unknown)}"
        row = {}
        for field, column, kind in fields:
            value = rec.get(field)
            if value is None and kind in REQUIRED_DAYS:
                value = "1970-01-01"
            row[column] = value
        rows.append(row)
    return rows


def _frame(columns: list[str], rows: list[dict[str, Any]], lib: str) -> Any:
    if lib == "pyarrow":
        import pyarrow

        if not rows:
            return pyarrow.table({c: pyarrow.nulls(0) for c in columns})
        return pyarrow.Table.from_pylist(rows)
    if lib == "pandas":
        import pandas

        return pandas.DataFrame(rows, columns=columns)
    import polars

    if not rows:
        return polars.DataFrame({c: [] for c in columns})
    return polars.DataFrame(rows)


def _tables(ret: dict[str, Any], kind: str, lib: str) -> dict[str, Any]:
    """Every table of the return's family (those without records empty, as a return built in code
    holds every table), and the CIN census header when the case gives a reference date."""
    family = FAMILIES[kind]
    unknown = set(ret) - set(family.tables) - {"source"}
    assert not unknown, f"{kind}: no table holds {sorted(unknown)}"
    tables: dict[str, Any] = {}
    for rows_key, name in family.tables.items():
        fields = family.fields[rows_key]
        rows = _rows(ret.get(rows_key, []), fields, name)
        tables[name] = _frame([c for _, c, _ in fields], rows, lib)
    ref = ret.get("source", {}).get("reference_date")
    if kind == "cin" and ref is not None:
        tables["Header"] = _frame(["ReferenceDate"], [{"ReferenceDate": ref}], lib)
    return tables


def _dataset(case: dict[str, Any], lib: str) -> csc.Dataset:
    given: dict[str, list[Any]] = {}
    for kind in ("cin", "ssda903"):
        given[kind] = []
        for ret in case.get(kind, []):
            source = ret.get("source", {})
            assert set(source) <= {"collection_year", "reference_date"}, source
            tables = _tables(ret, kind, lib)
            year = source.get("collection_year")
            given[kind].append(tables if year is None else (year, tables))
    return csc.from_frames(cin=given["cin"], ssda903=given["ssda903"])


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _extra_is(got: Any, want: Any) -> bool:
    """golden.rs's ``extra_is``: a whole number or a number within 1e-9, a flag, an object of
    counts or of rates (the same labels, each number within 1e-9, nulls null), or quartiles (each
    given one equal)."""
    if isinstance(got, dict):
        if not isinstance(want, dict):
            return False
        if set(got) == {"p25", "median", "p75"}:
            return all(want.get(k) == got[k] for k in ("p25", "median", "p75"))
        return len(got) == len(want) and all(
            (n is None and k in want and want[k] is None)
            or (_is_number(n) and _is_number(want.get(k)) and _close(float(n), float(want[k])))
            for k, n in got.items()
        )
    if isinstance(got, bool):
        return isinstance(want, bool) and got == want
    if _is_number(got):
        return _is_number(want) and _close(float(got), float(want))
    return False


@pytest.mark.parametrize("lib", ["pyarrow", "pandas", "polars"])
@pytest.mark.parametrize(("measure", "case"), _cases())
def test_golden_case(measure: str, case: dict[str, Any], lib: str) -> None:
    assert case["spec"], "every case cites its spec section"
    ds = _dataset(case, lib)
    period: dict[str, Any] = (
        {"year": case["year"]} if "year" in case else {"start": case["start"], "end": case["end"]}
    )
    population = case.get("population") or None
    res = ds.compute(measure, **period, population=population, **case.get("options", {}))
    m = res[measure]
    e = case["expect"]
    if "unit" in e:
        assert m.unit == e["unit"]
    null = set(e.get("null", []))
    for name in ("numerator", "denominator", "value"):
        got = getattr(m, name)
        if name in null:
            assert got is None, name
        elif name in e:
            assert got is not None and _close(got, e[name]), (name, got, e[name])
    assert m.excluded == e.get("excluded", {})
    if "warnings" in e:
        assert m.warnings == e["warnings"]
    if "rows" in e:
        want = [
            {
                "child": r["child"],
                "record": r.get("record"),
                "in_denominator": r.get("in_denominator", False),
                "in_numerator": r.get("in_numerator", False),
                "value": r.get("value"),
                "reason": r.get("reason"),
            }
            for r in e["rows"]
        ]
        got_rows = [
            {
                k: (v.isoformat() if k == "record" and v is not None else v)
                for k, v in r.items()
                # The corpus holds the spec 6 columns; `start` and `end` (the dates that check
                # `value` by hand) are tested in test_rows.py.
                if k not in ("measure", "period_start", "period_end", "start", "end")
            }
            for r in m.records()
        ]
        assert got_rows == want
    if "bands" in e:
        got_bands = {k: n for k, n in m.extras["bands"].items() if n}
        assert got_bands == {k: n for k, n in e["bands"].items() if n}
    if "quartiles" in e:
        for k, v in e["quartiles"].items():
            got = m.extras["quartiles"][k]
            assert got is not None and _close(got, v), k
    for k, want in e.get("extras", {}).items():
        assert k in m.extras and _extra_is(m.extras[k], want), (k, m.extras.get(k), want)
    for k in e.get("null_extras", []):
        assert k in m.extras and m.extras[k] is None, (k, m.extras.get(k))


def test_the_corpus_is_all_here() -> None:
    cases = _cases()
    assert len(cases) >= 39
    assert len({p.values[0] for p in cases}) == len(csc.measures())
    # Population and extras cases are run here too.
    assert any("population" in p.values[1] for p in cases)
    assert any("null_extras" in p.values[1]["expect"] for p in cases)


def test_golden_helpers_fail_on_an_unmapped_field_or_table() -> None:
    with pytest.raises(AssertionError, match="no column"):
        _rows([{"child": "A", "no_such_field": 1}], FAMILIES["cin"].fields["episodes"], "CINdetails")
    with pytest.raises(AssertionError, match="no table holds"):
        _tables({"no_such_rows": [{"child": "A"}]}, "ssda903", "pyarrow")


def test_extras_compare_as_the_rust_runner_compares_them() -> None:
    assert _extra_is(5, 5.0) and _extra_is(0.1 + 0.2, 0.3) and not _extra_is(5, True)
    assert _extra_is(True, True) and not _extra_is(True, 1)
    assert _extra_is({"a": 1, "b": 0}, {"b": 0, "a": 1}) and not _extra_is({"a": 1}, {"a": 1, "b": 0})
    assert _extra_is({"p25": 1.0, "median": 2.0, "p75": None}, {"p25": 1.0, "median": 2.0})
    assert not _extra_is(None, 1)
