"""The golden corpus (tests/golden/*.toml) through Python: each case's records become frames with
the returns' own column names (pyarrow, pandas and polars), and every expectation is checked as the
Rust test checks it (crates/csc-measures/tests/golden.rs)."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import pytest

import csc_measures as csc

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GOLDEN = Path(__file__).resolve().parents[2] / "tests" / "golden"

# Rust record field -> return column, per table. SSDA903 columns are the fields in capitals.
CIN_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "children": ("ChildIdentifiers", {
        "child": "LAchildID", "upn": "UPN", "birth_date": "PersonBirthDate",
        "expected_birth_date": "ExpectedPersonBirthDate", "death_date": "PersonDeathDate",
        "sex": "Sex", "ethnicity": "Ethnicity", "disabilities": "Disability",
    }),
    "episodes": ("CINdetails", {
        "child": "LAchildID", "referral_date": "CINreferralDate",
        "referral_source": "ReferralSource", "primary_need": "PrimaryNeedCode",
        "closure_date": "CINclosureDate", "reason_for_closure": "ReasonForClosure",
        "referral_nfa": "ReferralNFA", "initial_cpc_date": "DateOfInitialCPC",
    }),
    "assessments": ("Assessments", {
        "child": "LAchildID", "episode_referral_date": "CINreferralDate",
        "start_date": "AssessmentActualStartDate",
        "internal_review_date": "AssessmentInternalReviewDate",
        "authorisation_date": "AssessmentAuthorisationDate", "factors": "AssessmentFactors",
    }),
    "section47s": ("Section47", {
        "child": "LAchildID", "episode_referral_date": "CINreferralDate",
        "start_date": "S47ActualStartDate", "icpc_target_date": "InitialCPCtarget",
        "icpc_date": "DateOfInitialCPC", "icpc_not_required": "ICPCnotRequired",
    }),
    "plans": ("ChildProtectionPlans", {
        "child": "LAchildID", "episode_referral_date": "CINreferralDate",
        "start_date": "CPPstartDate", "end_date": "CPPendDate",
        "initial_category": "InitialCategoryOfAbuse", "latest_category": "LatestCategoryOfAbuse",
        "previous_plans": "NumberOfPreviousCPP", "review_dates": "CPPreviewDate",
    }),
}
SSDA903_TABLES: dict[str, tuple[str, list[str]]] = {
    "headers": ("Header", ["child", "sex", "dob", "ethnic", "upn", "mother", "mc_dob"]),
    "episodes": ("Episodes", [
        "child", "decom", "rne", "ls", "cin", "place", "place_provider", "dec", "rec",
        "reason_place_change", "home_post", "pl_post", "urn",
    ]),
    "ad1": ("AD1", [
        "child", "dob", "date_int", "date_match", "foster_care", "nb_adoptr", "sex_adoptr",
        "ls_adoptr",
    ]),
    "placed_adoption": ("PlacedAdoption", [
        "child", "dob", "date_placed", "date_placed_ceased", "reason_placed_ceased",
    ]),
}
# Required `Day` fields of the records: serde's default (1970-01-01) when a case leaves them out.
REQUIRED_DAYS = {"referral_date", "episode_referral_date", "decom"}


def _cases() -> list[Any]:
    out = []
    for path in sorted(GOLDEN.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for k, case in enumerate(data["case"]):
            out.append(pytest.param(data["measure"], case, id=f"{path.stem}[{k}]"))
    return out


def _rows(records: list[dict[str, Any]], mapping: dict[str, str], table: str) -> list[dict[str, Any]]:
    rows = []
    for rec in records:
        unknown = set(rec) - set(mapping)
        assert not unknown, f"{table}: no column for the fields {sorted(unknown)}"
        row = {col: rec.get(field) for field, col in mapping.items()}
        for field in REQUIRED_DAYS & set(mapping):
            if rec.get(field) is None:
                row[mapping[field]] = "1970-01-01"
        rows.append(row)
    return rows


def _frame(rows: list[dict[str, Any]], lib: str) -> Any:
    # Columns that every row leaves empty are dropped: an absent optional column is blank.
    cols = [c for c in rows[0] if any(r[c] is not None for r in rows)]
    rows = [{c: r[c] for c in cols} for r in rows]
    if lib == "pyarrow":
        import pyarrow

        return pyarrow.Table.from_pylist(rows)
    if lib == "pandas":
        import pandas

        return pandas.DataFrame(rows, columns=cols)
    import polars

    return polars.DataFrame(rows)


def _tables(ret: dict[str, Any], lib: str, cin: bool) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for key, records in ret.items():
        if key == "source":
            continue
        assert records, key
        if cin:
            name, mapping = CIN_TABLES[key]
        else:
            name, fields = SSDA903_TABLES[key]
            mapping = {f: f.upper() for f in fields}
        tables[name] = _frame(_rows(records, mapping, name), lib)
    ref = ret.get("source", {}).get("reference_date")
    if cin and ref is not None:
        tables["Header"] = _frame([{"ReferenceDate": ref}], lib)
    return tables


def _dataset(case: dict[str, Any], lib: str) -> csc.Dataset:
    def returns(kind: str) -> list[tuple[Any, dict[str, Any]]]:
        out = []
        for ret in case.get(kind, []):
            source = ret.get("source", {})
            assert set(source) <= {"collection_year", "reference_date"}, source
            out.append((source.get("collection_year"), _tables(ret, lib, kind == "cin")))
        return out

    cin = [t if y is None else (y, t) for y, t in returns("cin")]
    ssda903 = [t if y is None else (y, t) for y, t in returns("ssda903")]
    return csc.from_frames(cin=cin, ssda903=ssda903)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


@pytest.mark.parametrize("lib", ["pyarrow", "pandas", "polars"])
@pytest.mark.parametrize(("measure", "case"), _cases())
def test_golden_case(measure: str, case: dict[str, Any], lib: str) -> None:
    assert case["spec"], "every case cites its spec section"
    ds = _dataset(case, lib)
    period: dict[str, Any] = (
        {"year": case["year"]} if "year" in case else {"start": case["start"], "end": case["end"]}
    )
    res = ds.compute(measure, **period, **case.get("options", {}))
    m = res[measure]
    e = case["expect"]
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
            {k: (v.isoformat() if k == "record" and v is not None else v) for k, v in r.items() if k != "measure"}
            for r in m.records()
        ]
        assert got_rows == want
    if "bands" in e:
        got_bands = {k: n for k, n in m.extras["bands"].items() if n}
        assert got_bands == {k: n for k, n in e["bands"].items() if n}
    if "quartiles" in e:
        for k, v in e["quartiles"].items():
            assert _close(m.extras["quartiles"][k], v), k


def test_the_corpus_is_all_here() -> None:
    cases = _cases()
    assert len(cases) >= 39
    assert len({p.values[0] for p in cases}) == len(csc.measures())


def test_golden_helpers_fail_on_an_unmapped_field() -> None:
    with pytest.raises(AssertionError, match="no column"):
        _rows([{"child": "A", "no_such_field": 1}], CIN_TABLES["episodes"][1], "CINdetails")


