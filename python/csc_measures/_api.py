"""The Python face of the request layer: loading, computing, the scorecard, the catalogues.

Every function here is a thin layer over ``csc_measures._native``: it turns Python arguments
(paths, dates, frames, keyword options, a population) into the native call's plain ones and wraps
what comes back. The native module hands them to the same request layer as the CLI and the C ABI,
so the same mistake raises the same error, with the same kind, code and message. Nothing is
computed in Python.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Optional, Union

from . import _native as _ext
from ._table import Table

if TYPE_CHECKING:  # pragma: no cover
    import pandas  # type: ignore[import-untyped]
    import polars
    import pyarrow  # type: ignore[import-untyped]

__all__ = [
    "Dataset",
    "Measure",
    "Results",
    "Scorecard",
    "from_frames",
    "load",
    "measures",
    "options",
    "sample",
    "sample_tables",
    "schema",
    "working_days",
]

PathLike = Union[str, "os.PathLike[str]"]
#: A return on disk: a path, ``"2024=path"``, or ``(2024, path)``.
ReturnPath = Union[PathLike, "tuple[int, PathLike]"]
DateLike = Union[date, str]


def _iso(d: DateLike, what: str) -> str:
    """A date as the native side takes it: a ``datetime.date`` (or ``datetime``: its date) as ISO
    text; a string as it is, for the one native parser of dates people type (``YYYY-MM-DD`` or
    ``DD/MM/YYYY``), whose error names the value and both forms."""
    if isinstance(d, date):  # datetime.datetime too: its date
        return date(d.year, d.month, d.day).isoformat()
    if isinstance(d, str):
        return d
    raise TypeError(
        f"{what} must be a datetime.date or a date string (YYYY-MM-DD or DD/MM/YYYY), "
        f"not {type(d).__name__}"
    )


def _option_value(key: str, v: object) -> str:
    if isinstance(v, bool):
        raise TypeError(f"option {key}: {v!r} is not a value it takes")
    if isinstance(v, Mapping):  # adoption_thresholds={"a1": 400}
        return ",".join(f"{k}:{x}" for k, x in v.items())
    return str(v)


def _options(options: Mapping[str, object]) -> list[tuple[str, str]]:
    return [(k, _option_value(k, v)) for k, v in options.items()]


def _measure_ids(measures: Union[None, str, Iterable[str]]) -> Optional[list[str]]:
    # Ids, or comma-separated lists of them: the request layer splits and checks them.
    if measures is None:
        return None
    if isinstance(measures, str):
        return [measures]
    return [str(m) for m in measures]


#: A population input: ``{2023: 63051, ...}`` (mid-year to estimate), a table with the columns
#: ``year`` and ``population`` (pandas, polars, pyarrow), or the path of such a CSV file.
Population = Union[Mapping[Any, Any], "os.PathLike[str]", str, Any]


def _population(population: Optional[Population]) -> Optional[object]:
    if population is None:
        return None
    if isinstance(population, (str, os.PathLike)):
        return os.fspath(population)
    if isinstance(population, Mapping):
        return [(str(y), str(t)) for y, t in population.items()]
    table: object = _frame(population)
    return table


@dataclass(frozen=True)
class Measure:
    """One result: a row of :class:`Results` (one measure over one period), with its drill-down."""

    id: str
    title: str
    unit: str
    polarity: str
    period_start: date
    period_end: date
    numerator: Optional[int]
    denominator: Optional[int]
    value: Optional[float]
    #: The value in words when it is ``None``: ``"no data loaded for this period"`` when the
    #: returns loaded do not cover the period (spec 3.1), ``"none in the denominator"`` for a
    #: ratio over nothing; else ``None``.
    note: Optional[str]
    excluded: dict[str, int]
    warnings: list[str]
    extras: dict[str, Any]
    options: dict[str, Any]
    _results: Results = field(repr=False, compare=False)
    _index: int = field(repr=False, compare=False)

    def records(self) -> Table:
        """One row per record this result looked at: ``measure``, ``period_start``,
        ``period_end``, ``child``, ``record``, ``in_denominator``, ``in_numerator``, ``value``,
        ``reason``, then ``start`` and ``end``, the dates that check ``value`` by hand.

        What ``record``, ``value``, ``start`` and ``end`` hold depends on the measure, and the
        table says it: :attr:`rows_doc` (``per``, ``record``, ``value``, ``start``, ``end``; a
        date the measure leaves empty is ``None``), the catalogue :func:`measures`, and each
        field's metadata ``csc_measures.doc`` in ``records().to_arrow().schema``. For
        ``adoption_a1`` a row is an adopted episode, ``record`` the adoption date, ``start`` the
        date the child entered care, ``end`` the date they moved in, and ``value`` is
        ``(end - start).days``; for ``assessments_45wd`` ``value`` is the working days from
        ``start`` to ``end`` (:func:`working_days`)."""
        return Table(self._results._native.records_at(self._index))

    @property
    def rows_doc(self) -> dict[str, Optional[str]]:
        """What one drill-down row of this measure is and what its columns hold: ``per``,
        ``record``, ``value``, ``start`` and ``end`` (``None`` when the measure leaves that date
        empty), as the catalogue :func:`measures` gives them."""
        return _rows_doc(self.id)


class Results:
    """Measures over a period, or over each period of a series: one row per measure and period,
    ``records()`` for the rows behind them.

    A table: ``to_pandas()``, ``to_polars()``, ``to_arrow()`` and ``__arrow_c_stream__`` give one
    row per result with the columns ``id``, ``title``, ``unit``, ``polarity``, ``period_start``,
    ``period_end``, ``numerator``, ``denominator``, ``value``, ``excluded``, ``warnings``,
    ``extras`` and ``options``. ``to_dict()`` and ``to_json()`` are the CLI's
    ``compute --format json``. ``results["assessments_45wd"]`` is one :class:`Measure` (for a
    series, index by position or iterate: a measure has one result per period).
    """

    __slots__ = ("_native", "_cache")
    _native: _ext.Results
    _cache: Optional[Table]

    def __init__(self, native: _ext.Results) -> None:
        object.__setattr__(self, "_native", native)
        object.__setattr__(self, "_cache", None)

    @property
    def _table(self) -> Table:
        # Made on first use, so that computing costs no more than the core does; two threads that
        # race here make the same immutable table.
        t = self._cache
        if t is None:
            t = Table(self._native.table())
            object.__setattr__(self, "_cache", t)
        return t

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("csc_measures.Results are immutable")

    @property
    def period_start(self) -> date:
        """The first day of the (first) period."""
        return date.fromisoformat(self._native.period_start)

    @property
    def period_end(self) -> date:
        """The last day (inclusive) of the (last) period."""
        return date.fromisoformat(self._native.period_end)

    @property
    def series(self) -> Optional[str]:
        """The series (``rolling:12``, ``month_end``, ``fytd``, ``quarters``, ``years``), or
        ``None`` for one period."""
        return self._native.series

    @property
    def periods(self) -> list[tuple[date, date]]:
        """Every period, in order, as ``(start, end)``."""
        return [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in self._native.periods()]

    @property
    def ids(self) -> list[str]:
        """The measure id of each result, in order (period by period, each in the registry's
        order)."""
        return self._native.ids()

    def __len__(self) -> int:
        return len(self._native)

    def __iter__(self) -> Iterator[Measure]:
        return iter(self._measures())

    def __getitem__(self, key: Union[str, int]) -> Measure:
        ms = self._measures()
        if isinstance(key, int):
            return ms[key]
        found = [m for m in ms if m.id == key]
        if len(found) == 1:
            return found[0]
        if found:
            raise KeyError(
                f"{key!r} has {len(found)} results, one per period of the series: "
                "index them by position, iterate the results, or use to_pandas()"
            )
        raise KeyError(f"{key!r} is not among these results: {', '.join(dict.fromkeys(self.ids))}")

    def __contains__(self, key: object) -> bool:
        return key in self.ids

    def _measures(self) -> list[Measure]:
        return [
            Measure(**row, _results=self, _index=k)
            for k, row in enumerate(self._table.to_pylist())
        ]

    def table(self) -> Table:
        """One row per result."""
        return self._table

    def records(self, measures: Union[None, str, Iterable[str]] = None) -> Table:
        """The drill-down: one row per record each result looked at (``measure``,
        ``period_start``, ``period_end``, ``child``, ``record``, ``in_denominator``,
        ``in_numerator``, ``value``, ``reason``, then ``start`` and ``end``, the dates that check
        ``value`` by hand), for the given measures (default all).

        ``record``, ``value``, ``start`` and ``end`` change meaning per measure: see
        :attr:`Measure.rows_doc`, the catalogue :func:`measures` (``row``, ``row_record``,
        ``row_value``, ``row_start``, ``row_end``), or the schema metadata ``csc_measures.rows``
        of ``records().to_arrow()`` (JSON, by measure id)."""
        return Table(self._native.records(_measure_ids(measures)))

    def to_json(self, records: bool = False) -> str:
        """The JSON of ``csc-measures compute --format json``: period, measures, data_quality (and
        series and periods for a series); with ``records=True`` the drill-down rows too, as the C
        ABI's JSON entry gives them."""
        return self._native.to_json(records)

    def to_dict(self, records: bool = False) -> dict[str, Any]:
        """``to_json()`` as Python objects."""
        out: dict[str, Any] = json.loads(self._native.to_json(records))
        return out

    def to_text(self) -> str:
        """The aligned columns of ``csc-measures compute``."""
        return self._native.to_text()

    def to_pandas(self) -> pandas.DataFrame:
        """One row per result, as a pandas DataFrame; ``note`` gives the value in words when it
        is null: "no data loaded for this period" where the returns loaded do not cover the
        period (spec 3.1), "none in the denominator" for a ratio over nothing."""
        return self._table.to_pandas()

    def to_polars(self) -> polars.DataFrame:
        """One row per result, as a polars DataFrame."""
        return self._table.to_polars()

    def to_arrow(self) -> pyarrow.Table:
        """One row per result, as a pyarrow Table."""
        return self._table.to_arrow()

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """The Arrow PyCapsule interface: one row per result."""
        return self._table.__arrow_c_stream__(requested_schema)

    def __repr__(self) -> str:
        return self._native.to_text()

    def _repr_html_(self) -> str:
        return self._native.to_html()


class Scorecard:
    """The scorecard of ``csc-measures report``: every measure for a year (or any period) with the
    value over the same dates a year earlier and the direction of travel (adoption measures over
    the three years to the period's end); :attr:`reason` says which period and why."""

    __slots__ = ("_native", "_table")
    _native: _ext.Scorecard
    _table: Table

    def __init__(self, native: _ext.Scorecard) -> None:
        object.__setattr__(self, "_native", native)
        object.__setattr__(self, "_table", Table(native.table()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a csc_measures.Scorecard is immutable")

    @property
    def year(self) -> int:
        """The financial year, ending 31 March (for another period, the one its end falls in)."""
        return self._native.year

    @property
    def period(self) -> tuple[date, date]:
        """The report's period, first and last day."""
        a, b = self._native.period
        return date.fromisoformat(a), date.fromisoformat(b)

    @property
    def period_name(self) -> str:
        """``"2023-24"`` for a financial year, else ``"2023-10-01 to 2024-09-30"``."""
        return self._native.period_name

    @property
    def reason(self) -> str:
        """Why the report covers this period: the year or period asked for, or the latest
        collection year loaded, with the collection years of each return loaded, and which kind of
        return covers none of it (its measures say "no data loaded for this period")."""
        return self._native.reason

    def table(self) -> Table:
        """One row per measure: value, numerator, denominator, threshold, previous year, direction."""
        return self._table

    def to_text(self) -> str:
        """The CLI's terminal table."""
        return self._native.to_text()

    def to_markdown(self) -> str:
        """Markdown, for a report."""
        return self._native.to_markdown()

    def to_html(self) -> str:
        """One self-contained HTML page for a panel, as ``csc-measures report --format html``:
        sections, trends, comparators, data quality; prints to A4. Save it with
        ``pathlib.Path("scorecard.html").write_text(card.to_html())``."""
        return self._native.to_html()

    def to_json(self) -> str:
        """The JSON of ``csc-measures report --format json``."""
        return self._native.to_json()

    def to_dict(self) -> dict[str, Any]:
        """``to_json()`` as Python objects."""
        out: dict[str, Any] = json.loads(self._native.to_json())
        return out

    def to_pandas(self) -> pandas.DataFrame:
        """One row per measure, as a pandas DataFrame; ``note`` says "no data loaded for this
        period" where the returns do not cover a measure's period (its value is null)."""
        return self._table.to_pandas()

    def to_polars(self) -> polars.DataFrame:
        """One row per measure, as a polars DataFrame."""
        return self._table.to_polars()

    def to_arrow(self) -> pyarrow.Table:
        """One row per measure, as a pyarrow Table."""
        return self._table.to_arrow()

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """The Arrow PyCapsule interface: one row per measure."""
        return self._table.__arrow_c_stream__(requested_schema)

    def __repr__(self) -> str:
        return self._native.to_text()

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self._native.to_text())}</pre>"


class Dataset:
    """Validated case records of one local authority, over one or more collection years.

    Made by :func:`load` (files), :func:`from_frames` (pandas, polars or pyarrow tables) or
    :func:`sample` (the built-in synthetic local authority). Immutable and safe to share between
    threads; computing releases the GIL.
    """

    __slots__ = ("_native",)
    _native: _ext.Dataset

    def __init__(self, native: _ext.Dataset) -> None:
        object.__setattr__(self, "_native", native)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a csc_measures.Dataset is immutable")

    @property
    def load_report(self) -> Table:
        """Every data-quality entry of the load and the merge: ``code``, ``severity``, ``child``,
        ``record``, ``message``, ``file``, ``line``, ``path``, ``column``, ``value``."""
        return Table(self._native.load_report())

    @property
    def files(self) -> list[dict[str, Any]]:
        """What each file (or table of a frame) held: ``path`` (for a frame its label,
        ``2024/Episodes``), ``table``, ``rows``, ``skipped``; empty for the sample."""
        return self._native.files()

    @property
    def collection_years(self) -> dict[str, list[int]]:
        """The collection years loaded, per return (``cin``, ``ssda903``)."""
        return {k: self._native.collection_years(k) for k in ("cin", "ssda903")}

    @property
    def description(self) -> str:
        """Where the dataset came from."""
        return self._native.description

    def summary(self) -> dict[str, int]:
        """Counts: children, CIN episodes, assessments, section 47 enquiries, CP plans, care
        episodes, periods of care, placements, data-quality issues."""
        return self._native.summary()

    def care_episodes(self, year: Optional[int] = None) -> Table:
        """The cleaned care episodes, one row each after the repairs of the merge (short breaks
        included), by child then episode: ``child``, ``decom``, ``dec``, ``rne``, ``ls``,
        ``cin``, ``place``, ``place_provider``, ``urn``, ``pl_post``, ``rec``,
        ``reason_place_change``, then what the library derived: ``short_break``,
        ``closed_by_repair``, ``period_of_care`` and ``placement`` (numbered from 1 within the
        child; null for short breaks), ``new_placement`` and ``placement_start``. With ``year``,
        only the episodes overlapping that financial year (ending 31 March). The same rows as
        ``csc-measures tables --table care_episodes``; each field's metadata
        ``csc_measures.doc`` says what it holds."""
        return Table(self._native.cleaned_table("care_episodes", year))

    def periods_of_care(self, year: Optional[int] = None) -> Table:
        """The periods of care (short breaks removed), by child then start: ``child``,
        ``period_of_care`` (from 1 within the child), ``start``, ``end`` (null while open),
        ``history_truncated``, ``rec`` (of its last episode), ``episodes``, ``placements``. With
        ``year``, only those overlapping that financial year."""
        return Table(self._native.cleaned_table("periods_of_care", year))

    def placements(self, year: Optional[int] = None) -> Table:
        """The placements, by child then start: ``child``, ``period_of_care``, ``placement``
        (from 1 within the child), ``start``, ``end`` (null while open), the ``place``,
        ``place_provider``, ``urn`` and ``pl_post`` of the episode that starts it, and
        ``episodes``. With ``year``, only those overlapping that financial year. Filter it on a
        child to check a ``stability_3plus_placements`` row: its ``start`` and ``end`` are the
        first and last placement starts counted."""
        return Table(self._native.cleaned_table("placements", year))

    def compute(
        self,
        measures: Union[None, str, Iterable[str]] = None,
        *,
        year: Optional[int] = None,
        start: Optional[DateLike] = None,
        end: Optional[DateLike] = None,
        series: Optional[str] = None,
        population: Optional[Population] = None,
        **options: object,
    ) -> Results:
        """Computes measures over a period, or over each period of a series.

        ``measures``: ids (a list, or one id or several separated by commas; default every
        measure). The period is the financial year ending 31 March ``year``, or ``start`` to
        ``end`` inclusive (dates, or strings as ``"2019-10-01"`` or ``"01/10/2019"``), else the
        latest collection year loaded (as the CLI). A date string in another form (``"01-10-2019"``,
        ``"01/10/19"``) raises :class:`InputError` naming it and the two forms. ``series`` with ``start`` and ``end`` gives one period per step over their
        months: ``rolling:N`` (the N months to each month-end), ``month_end`` (each month),
        ``fytd`` (the financial year to each month-end), ``quarters``, ``years``; the result is
        one long table, one row per measure and period. A year with a start or an end, or a start
        without an end, raises :class:`RequestError`.

        ``population``: the ONS mid-year estimates of children aged 0 to 17, for the rates per
        10,000 that some measures carry in their ``extras``: ``{2023: 63051, ...}``, a table with
        the columns ``year`` and ``population``, or the path of such a CSV file.

        ``options``: keyword options, ``key=value`` for every measure that reads the key (a dict
        for ``adoption_thresholds``, e.g. ``{"a1": 400}``); ``measure.key`` options, for one
        measure, go in a dict: ``**{"cpp_repeat_2y.unit": "children"}``. The options:

{options}
        """
        return Results(
            self._native.compute(
                _measure_ids(measures),
                year,
                None if start is None else _iso(start, "start"),
                None if end is None else _iso(end, "end"),
                series,
                _options(options),
                _population(population),
            )
        )

    def series(
        self,
        measures: Union[None, str, Iterable[str]] = None,
        *,
        kind: str = "rolling:12",
        start: Optional[DateLike] = None,
        end: Optional[DateLike] = None,
        population: Optional[Population] = None,
        **options: object,
    ) -> Table:
        """Measures over a series of periods, as one long table ready for a data frame.

        One row per measure and period: ``measure``, ``unit``, ``period_start``,
        ``period_end``, ``numerator``, ``denominator``, ``value``, ``warnings``, then the
        exclusions (``excluded.<reason>``) and the extras flattened into columns
        (``bands.same_day``, ``quartiles.median``, ``rate_per_10000``, ...), null where a measure
        lacks one or a period has no data. ``kind``: ``rolling:N`` (the N months to each
        month-end; default ``rolling:12``), ``month_end`` (each month: the month-end snapshots of
        the "at end" counts), ``fytd`` (the financial year to each month-end), ``quarters``,
        ``years``; over the months from ``start`` to ``end`` (dates, date strings as for
        :meth:`compute`, or months as ``"YYYY-MM"`` or ``"MM/YYYY"``),
        by default the 24 months to 31 March of the latest collection year loaded.
        ``measures``, ``population`` and ``options`` as for :meth:`compute`. The same table as
        ``csc-measures series`` and the ``"rows"`` of the C ABI's JSON response.

        >>> import csc_measures as csc
        >>> t = csc.sample(children=300).series("referrals", start="2023-04", end="2024-03")
        >>> t.num_rows
        12
        """
        return Table(
            self._native.compute(
                _measure_ids(measures),
                None,
                None if start is None else _iso(start, "start"),
                None if end is None else _iso(end, "end"),
                kind,
                _options(options),
                _population(population),
            ).series_table()
        )

    def report(
        self,
        year: Optional[int] = None,
        population: Optional[Population] = None,
        *,
        start: Optional[DateLike] = None,
        end: Optional[DateLike] = None,
        month_end: Union[None, str, date] = None,
        window: Optional[int] = None,
        trend_months: int = 24,
        published: Union[None, PathLike, Iterable[PathLike]] = None,
        la: Optional[str] = None,
        neighbours: Union[None, str, Iterable[str]] = None,
        records: bool = False,
        targets: Optional[Mapping[str, float]] = None,
        **options: object,
    ) -> Scorecard:
        """The scorecard for the financial year ending 31 March ``year`` (default: the latest
        collection year loaded), or for any period, as ``csc-measures report``; ``population`` and
        ``options`` as for :meth:`compute`.

        Any period: ``start`` and ``end`` (dates, or strings as ``"2023-10-01"`` or
        ``"01/10/2023"``), or ``month_end`` (``"2024-09"``, ``"09/2024"`` or a date of that month)
        with a rolling ``window`` of months (default 12): the window's months to that month's last
        day. Every measure is computed over the period, the adoption measures (A1, A10, A2, A3)
        over the three years to its end, and the previous value over the same dates a year
        earlier. The scorecard says which period it covers and why (:attr:`Scorecard.reason`): by
        default the latest collection year loaded, with the years of each return loaded; a measure
        the returns do not cover reads "no data loaded for this period", never 0.

        ``trend_months``: each indicator's trend, the measure over its window ending at each of
        that many month-ends to 31 March (0: none). ``published``: DfE's local-authority tables
        (explore-education-statistics CSV files such as C2 and D3) for England, regional and
        statistical-neighbour comparators; ``la``: the authority's DfE code (``"807"`` or
        ``"E06000003"``), whose own published figures are reconciled with the computed ones;
        ``neighbours``: its statistical neighbours' codes. ``records``: keep the records behind
        each number for :meth:`Scorecard.to_html` (child identifiers included). ``targets``:
        local targets by measure id, in the measure's terms (``{"assessments_45wd": 85}``); the
        report says whether each is met.
        """
        paths = [] if published is None else (
            [os.fspath(published)] if isinstance(published, (str, os.PathLike)) else [os.fspath(p) for p in published]
        )
        codes = [] if neighbours is None else (
            [c.strip() for c in neighbours.split(",")] if isinstance(neighbours, str) else [str(c) for c in neighbours]
        )
        if isinstance(month_end, date):
            month_end = _iso(month_end, "month_end")
        return Scorecard(
            self._native.report(
                year,
                _options(options),
                _population(population),
                trend_months,
                paths,
                la,
                codes,
                records,
                [f"{k}={v}" for k, v in (targets or {}).items()],
                None if start is None else _iso(start, "start"),
                None if end is None else _iso(end, "end"),
                month_end,
                window,
            )
        )

    def __repr__(self) -> str:
        return repr(self._native)


def _return_paths(kind: str, paths: Union[None, ReturnPath, Iterable[ReturnPath]]) -> list[tuple[str, str, Optional[int]]]:
    if paths is None:
        return []
    if isinstance(paths, (str, os.PathLike)) or (
        isinstance(paths, tuple) and len(paths) == 2 and isinstance(paths[0], int)
    ):
        items: list[Any] = [paths]
    else:
        items = list(paths)
    out: list[tuple[str, str, Optional[int]]] = []
    for p in items:
        if isinstance(p, tuple):
            year, path = p
            out.append((kind, os.fspath(path), int(year)))
        else:
            out.append((kind, os.fspath(p), None))
    return out


def load(
    cin: Union[None, ReturnPath, Iterable[ReturnPath]] = None,
    ssda903: Union[None, ReturnPath, Iterable[ReturnPath]] = None,
    *,
    tables: Union[None, ReturnPath, Iterable[ReturnPath]] = None,
    strict: bool = False,
) -> Dataset:
    """Reads returns from files and merges them (one return per collection year).

    ``cin``: CIN census XML files; ``ssda903``: SSDA903 folders of CSV tables, or XML files;
    ``tables``: Parquet or Arrow IPC files, one per table named by its table (``Episodes.parquet``),
    or folders of them, any number of collection years in a ``year`` column (as ``csc-measures
    synth --format parquet`` writes them; the README's "Parquet and Arrow IPC tables"). Each is
    a path (``str`` or ``os.PathLike``), ``"2024=path"``, or ``(2024, path)`` to give its collection
    year (for ``tables``: only that year's rows). Lenient by default: problems become entries of ``Dataset.load_report``; ``strict=True``
    raises :class:`InputError` at the first. With no return at all it raises
    :class:`RequestError` (:func:`sample` is the built-in sample).
    """
    inputs = (
        _return_paths("cin", cin)
        + _return_paths("ssda903", ssda903)
        + _return_paths("tables", tables)
    )
    return Dataset(_ext.load(inputs, strict))


Frame = Any
Tables = Mapping[str, Frame]


def _pyarrow() -> Any:
    """pyarrow, or ``None`` when it is not installed (or cannot be imported)."""
    try:
        import pyarrow
    except ImportError:
        return None
    return pyarrow


def _pandas_columns(df: Any) -> dict[str, list[Any]]:
    """A pandas frame as a dict of column name to a list of Python values, each missing value
    (``NaN``, ``None``, ``NaT``, ``pd.NA``) ``None``: what the native side takes without pyarrow.
    Named index levels come first, as pyarrow exports them; of two columns of one name, the first
    is kept (the one the native side would read)."""
    out: dict[str, list[Any]] = {}
    index = df.index
    names = [n for n in getattr(index, "names", []) if n is not None]
    levels = [(str(n), index.get_level_values(n)) for n in names if n not in df.columns]
    for name, series in [*levels, *((str(n), df.iloc[:, k]) for k, n in enumerate(df.columns))]:
        if name in out:
            continue
        values = series.tolist()
        missing = series.isna()
        if missing.any():
            values = [None if m else v for v, m in zip(values, missing.tolist())]
        out[name] = values
    return out


def _frame(obj: Frame) -> Frame:
    """What the native side reads of one table: an object with ``__arrow_c_stream__`` (pyarrow,
    polars, pandas through pyarrow), or a dict of column name to values (pandas without pyarrow,
    or a dict given as it is). Every rule of reading the values is the native side's."""
    module = type(obj).__module__.split(".")[0]
    if module == "polars":
        import polars

        if not hasattr(obj, "__arrow_c_stream__") and hasattr(obj, "collect"):
            obj = obj.collect()  # a LazyFrame
        # polars exports an all-null column with a buffer that its Null type does not have, which
        # the Arrow C data interface (and the arrow crate reading it) refuses: send it as text.
        nulls = [name for name, dtype in obj.schema.items() if dtype == polars.Null]
        if nulls:
            obj = obj.with_columns(polars.col(nulls).cast(polars.String))
    elif module == "pandas" and hasattr(obj, "columns") and hasattr(obj, "iloc"):
        pyarrow = _pyarrow()
        if pyarrow is None or not obj.columns.is_unique:
            # Without pyarrow; or with two columns of one name, which pyarrow refuses and of
            # which the first is read, as of an Arrow table's columns naming one field.
            return _pandas_columns(obj)
        try:
            # What pandas' own __arrow_c_stream__ does (pandas >= 2.2), for older pandas too.
            return pyarrow.Table.from_pandas(obj)
        except (pyarrow.ArrowTypeError, pyarrow.ArrowInvalid):
            # A column of mixed Python values (text and numbers), which pyarrow refuses: the
            # values themselves, read as the native side reads them without pyarrow.
            return _pandas_columns(obj)
    return obj


def _tables(tables: Tables) -> list[tuple[str, object]]:
    if not isinstance(tables, Mapping):
        raise TypeError(
            f"a return's tables are a dict of table name to frame, not {type(tables).__name__}"
        )
    return [(str(name), _frame(frame)) for name, frame in tables.items()]


def _is_by_year(m: Mapping[Any, Any]) -> bool:
    return bool(m) and all(isinstance(k, int) and not isinstance(k, bool) for k in m)


def _returns(kind: Optional[str], given: Any, year: Optional[int]) -> list[tuple[Optional[str], Optional[int], list[tuple[str, object]]]]:
    if given is None:
        return []
    if isinstance(given, Mapping):
        if _is_by_year(given):
            if year is not None:
                raise TypeError("give year= or tables by year, not both")
            return [(kind, int(y), _tables(t)) for y, t in given.items()]
        return [(kind, year, _tables(given))]
    if isinstance(given, Sequence) and not isinstance(given, (str, bytes)):
        out: list[tuple[Optional[str], Optional[int], list[tuple[str, object]]]] = []
        for item in given:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], int):
                out.append((kind, int(item[0]), _tables(item[1])))
            else:
                out.extend(_returns(kind, item, year))
        return out
    raise TypeError(
        "give tables as {name: frame}, {year: {name: frame}}, or a list of those or of (year, {name: frame})"
    )


def from_frames(
    tables: Optional[Mapping[Any, Any]] = None,
    /,
    *,
    cin: Any = None,
    ssda903: Any = None,
    year: Optional[int] = None,
    strict: bool = False,
) -> Dataset:
    """Builds a dataset from pandas, polars or pyarrow tables with the returns' own table and
    column names.

    The shapes, all of which take several years naturally::

        from_frames({"Header": h, "Episodes": e, "CINdetails": c, ...}, year=2024)
        from_frames({2023: {"Episodes": e23, ...}, 2024: {"Episodes": e24, ...}})
        from_frames(ssda903={2023: {...}, 2024: {...}}, cin=[(2024, {"CINdetails": c, ...})])

    A dict of tables may mix SSDA903 tables (``Header``, ``Episodes``, ``AD1``, ``PlacedAdoption``,
    ``Reviews``, ``UASC``, ``OC2``, ``OC3``, ``PrevPerm``, ``Missing``, ``SWEpisodes``) and CIN
    census tables (``Child``, ``CINdetails``, ``Assessments``, ``Section47``,
    ``ChildProtectionPlans``, ``CINPlanDates``; the child may also come split, as the sector's
    Python tools hold it, over ``ChildIdentifiers``, ``ChildCharacteristics`` and
    ``Disabilities``); ``cin=`` and ``ssda903=`` say which return the tables are (and an empty dict
    there is a return with no rows, which still counts as a loaded year). :func:`schema` lists
    every table with its columns. Nested CIN tables name their episode by its ``CINreferralDate``
    column, or by a ``CINdetailsID`` that the ``CINdetails`` table also has.

    Date columns may be dates, timestamps (naive, UTC or a fixed offset), or text as
    ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (and a blank date column that pandas read as float NaN is
    blank). Identifiers and codes may be text or numbers; flags booleans, 1 and 0, or text; counts
    whole numbers or text. A missing required column raises :class:`InputError` naming the table
    and the column. Rows follow the file readers' rules: an unreadable date skips its row (or
    blanks a date of birth), an unreadable flag or score is unknown, each with an entry in
    ``load_report`` naming the table, the 1-based row, the column and the value; ``strict=True``
    raises at the first instead.

    Frames as analysts make them are read as they are: plain ``pd.read_csv(path)``,
    ``pl.read_csv(path)`` or ``pyarrow.csv.read_csv(path)``, without ``dtype=``, give the same
    dataset as :func:`load` of the same files. What each column type means:

    * a column whose every value is missing (``NaN``, ``None``, ``NaT``, ``pd.NA``, polars
      ``Null``), of any dtype, is blank, whatever the field (pandas reads a blank ``MC_DOB`` as
      float64 NaN);
    * text (``object``, ``str``, ``string``, ``category``): any field, read as a file's text;
    * whole numbers (``int64``, nullable ``Int64``) and floats: identifiers, codes, flags (1 and
      0) and counts; a float holding a whole number (``7.0``, in a float column pandas made because
      a value was blank) reads as that number (``7``). A float with a fraction (``2.5``) in a code
      column is an ``unreadable_value`` entry naming the table, row, column and value, and the code
      is read as blank; in a date column any number is an unreadable date;
    * ``bool``: flags (``True`` is 1), and text fields as ``true``/``false``;
    * dates (``datetime.date`` objects, ``date32``) and date-times (``datetime64``,
      ``Timestamp``): date fields. A time of day is dropped: the date is the one on the value's own
      clock (naive, UTC or a fixed offset); a named time zone (``Europe/London``) is an
      :class:`InputError`, as its date depends on a time-zone database: convert the column to
      dates first;
    * numbers for identifiers lose their leading zeros (``0012`` is read as ``12``): when a
      return's ids have them, read with ``dtype=str`` or ``dtype={"CHILD": str}``.

    Tables are read through the Arrow PyCapsule interface (``__arrow_c_stream__``): pyarrow
    tables, polars frames, and pandas frames through pyarrow when it is installed. pyarrow is
    optional: without it, a pandas frame is handed over as its columns' Python values, read by the
    same rules; so is a column of mixed values (text and numbers) that pyarrow refuses. A table may
    also be a plain ``dict`` of column name to list of values (``str``, ``int``, ``float``,
    ``bool``, ``datetime.date``, ``datetime.datetime``, lists of these, ``None``).
    """
    returns = _returns(None, tables, year) + _returns("cin", cin, year) + _returns(
        "ssda903", ssda903, year
    )
    return Dataset(_ext.from_tables(returns, strict))


def sample(children: int = 40000, seed: int = 42) -> Dataset:
    """The built-in synthetic local authority (collection years 2019-2024), as the CLI's sample; more
    than 5,000,000 children is a :class:`RequestError`."""
    return Dataset(_ext.sample(children, seed))


def sample_tables(children: int = 40000, seed: int = 42) -> dict[str, dict[int, dict[str, Table]]]:
    """The sample's returns as tables, ``{"cin": {year: {name: Table}}, "ssda903": {...}}``, with
    the returns' table and column names (every table of :func:`schema`, and the CIN census
    ``Header`` with its ``ReferenceDate``): what ``from_frames(cin=..., ssda903=...)`` takes back."""
    out: dict[str, dict[int, dict[str, Table]]] = {"cin": {}, "ssda903": {}}
    for kind, year, tables in _ext.sample_tables(children, seed):
        out[kind][int(year or 0)] = {name: Table(t) for name, t in tables}
    return out


def measures() -> Table:
    """The catalogue of measures, from their declarations: ``id``, ``title``, ``unit``,
    ``polarity``, ``value_kind``, ``source`` (the return it reads), ``window`` (the period a
    scorecard uses: ``year``, or ``years:3`` for the three years to 31 March), ``options`` (the
    keys it reads), then what one drill-down row is (``row``) and what its ``record``, ``value``,
    ``start`` and ``end`` hold (``row_record``, ``row_value``, ``row_start``, ``row_end``; null
    when the measure leaves that date empty)."""
    return Table(_ext.measures())


def _rows_doc(measure: str) -> dict[str, Optional[str]]:
    """``per``, ``record``, ``value``, ``start``, ``end`` of one measure's drill-down rows."""
    cat = _ext.measures().to_pydict()
    i = cat["id"].index(measure)
    return {
        "per": cat["row"][i],
        "record": cat["row_record"][i],
        "value": cat["row_value"][i],
        "start": cat["row_start"][i],
        "end": cat["row_end"][i],
    }


def options() -> Table:
    """The catalogue of options, from their declarations: ``key``, ``doc``, ``values``,
    ``default`` and ``read_by`` (the measures that read it)."""
    return Table(_ext.options())


def schema() -> Table:
    """The tables of the returns, one row per field, from the schema: ``table`` (its name in
    :func:`from_frames`), ``family`` (``cin``, ``ssda903``), ``rows`` (the return's field that holds
    its rows), ``aliases``, ``field`` (the field's name in the library), ``column`` (the column in
    frames and CSV files), ``xml`` (its XML path), ``kind`` (``child``, ``date``, ``code``,
    ``flag``, ``count``, ...) and ``doc``."""
    return Table(_ext.schema())


def working_days(a: DateLike, b: DateLike, convention: str = "after_start") -> int:
    """Working days from ``a`` to ``b`` under the England and Wales calendar.

    ``after_start`` (default) counts days ``d`` with ``a < d <= b``; ``networkdays`` is Excel's
    NETWORKDAYS minus one; ``busday_count`` counts ``a <= d < b`` as numpy. ``b`` before ``a`` is a
    :class:`PeriodError`.
    """
    return _ext.working_days(_iso(a, "a"), _iso(b, "b"), convention)


def _options_doc() -> str:
    """The options of :meth:`Dataset.compute`, from the catalogue, as reST bullets."""
    lines = []
    for row in options():
        readers = ", ".join(row["read_by"])
        lines.append(
            f"        * ``{row['key']}`` (default ``{row['default']}``): {row['doc']}. "
            f"Values: {row['values']}. Read by {readers}."
        )
    return "\n".join(lines)


# The docs of compute list the options from their declarations, as the CLI's help does.
Dataset.compute.__doc__ = (Dataset.compute.__doc__ or "").replace("{options}", _options_doc())
