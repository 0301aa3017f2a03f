"""Tables: the one shape every result takes in Python.

A :class:`Table` is immutable and holds its data in Arrow, in Rust. It goes to pandas, polars or
pyarrow (each optional) with ``to_pandas()``, ``to_polars()`` and ``to_arrow()``, and any Arrow
library reads it directly through the Arrow PyCapsule interface (``__arrow_c_stream__``):
``pyarrow.table(t)``, ``polars.DataFrame(t)``, ``duckdb.sql("select * from t")``.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, Optional

from . import _native as _ext

if TYPE_CHECKING:  # pragma: no cover
    import pandas  # type: ignore[import-untyped]
    import polars
    import pyarrow  # type: ignore[import-untyped]

__all__ = ["Table"]

#: Rows shown by ``repr`` and the notebook view.
_PREVIEW_ROWS = 20


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (list, tuple)):
        return ", ".join(_cell(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_cell(x)}" for k, x in v.items())
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _clip(s: str, width: int = 40) -> str:
    return s if len(s) <= width else s[: width - 1] + "\u2026"


def text_table(columns: list[str], rows: list[list[Any]]) -> str:
    """Aligned plain-text columns (numbers to the right)."""
    cells = [[_clip(_cell(v)) for v in r] for r in rows]
    numeric = [
        all((isinstance(r[k], (int, float)) and not isinstance(r[k], bool)) or r[k] is None for r in rows)
        and bool(rows)
        for k in range(len(columns))
    ]
    widths = [max([len(c)] + [len(r[k]) for r in cells]) for k, c in enumerate(columns)]

    def line(vals: list[str]) -> str:
        out = []
        for k, v in enumerate(vals):
            out.append(v.rjust(widths[k]) if numeric[k] else v.ljust(widths[k]))
        return "  ".join(out).rstrip()

    return "\n".join([line(columns)] + [line(r) for r in cells])


def html_table(columns: list[str], rows: list[list[Any]], caption: str = "") -> str:
    """An HTML table for notebooks, with escaped cells."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in r) + "</tr>" for r in rows
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Table:
    """An immutable table of results (Arrow data held in Rust)."""

    __slots__ = ("_native",)
    _native: _ext.Table

    def __init__(self, native: _ext.Table) -> None:
        object.__setattr__(self, "_native", native)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a csc_measures.Table is immutable")

    @property
    def num_rows(self) -> int:
        """The number of rows."""
        return self._native.num_rows

    @property
    def column_names(self) -> list[str]:
        """The column names, in order."""
        return self._native.column_names

    @property
    def column_types(self) -> dict[str, str]:
        """Each column's type: ``utf8``, ``json`` (dicts in Python), ``date32``, ``uint64``,
        ``uint32``, ``int64``, ``float64``, ``bool``, ``list<utf8>`` or ``list<date32>``."""
        return dict(zip(self._native.column_names, self._native.column_types))

    def __len__(self) -> int:
        return self._native.num_rows

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """The Arrow PyCapsule interface: the table as an Arrow C stream."""
        return self._native.__arrow_c_stream__(requested_schema)

    def to_pydict(self) -> dict[str, list[Any]]:
        """The columns as lists (dates as ``datetime.date``, JSON columns as dicts)."""
        return self._native.to_pydict()

    def to_pylist(self) -> list[dict[str, Any]]:
        """The rows as dicts."""
        d = self._native.to_pydict()
        names = list(d)
        return [dict(zip(names, vals)) for vals in zip(*(d[n] for n in names))]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.to_pylist())

    def to_arrow(self) -> pyarrow.Table:
        """A ``pyarrow.Table`` (needs pyarrow >= 15)."""
        import pyarrow

        return pyarrow.RecordBatchReader.from_stream(self).read_all()

    def to_polars(self) -> polars.DataFrame:
        """A ``polars.DataFrame`` (read through the Arrow PyCapsule interface; no pyarrow needed)."""
        import polars

        frame = polars.DataFrame(self)
        return frame

    def to_pandas(self) -> pandas.DataFrame:
        """A ``pandas.DataFrame`` (needs pandas; no pyarrow needed).

        Dates become ``datetime64`` columns, counts and line numbers nullable signed integers
        (``Int64``, so ``fillna(-1)`` works),
        flags ``bool`` (``boolean`` when some are missing), and the JSON and list columns hold
        dicts and lists.
        """
        import pandas

        data = self._native.to_pydict()
        types = self._native.column_types
        cols: dict[str, Any] = {}
        for (name, values), kind in zip(data.items(), types):
            if kind == "date32":
                cols[name] = pandas.to_datetime(pandas.Series(values, dtype=object))
            elif kind in ("uint64", "uint32"):
                cols[name] = pandas.array(values, dtype="UInt64")
            elif kind == "int64":
                cols[name] = pandas.array(values, dtype="Int64")
            elif kind == "float64":
                cols[name] = pandas.array(
                    [float("nan") if v is None else v for v in values], dtype="float64"
                )
            elif kind == "bool":
                dtype = "boolean" if any(v is None for v in values) else "bool"
                cols[name] = pandas.array(values, dtype=dtype)
            elif kind in ("json", "list<utf8>", "list<date32>"):
                cols[name] = pandas.Series(values, dtype=object)
            else:
                cols[name] = pandas.Series(values, dtype=object if not values else None)
        return pandas.DataFrame(cols, columns=list(data))

    def head(self, n: int = 5) -> Table:
        """The first ``n`` rows (a view: nothing is copied)."""
        return Table(self._native.slice(0, max(n, 0)))

    def _preview(self) -> tuple[list[str], list[list[Any]]]:
        rows = self.head(_PREVIEW_ROWS).to_pylist()
        names = self.column_names
        return names, [[r[n] for n in names] for r in rows]

    def __repr__(self) -> str:
        names, rows = self._preview()
        more = self.num_rows - len(rows)
        tail = f"\n... {more} more rows" if more > 0 else ""
        head = f"<csc_measures.Table: {self.num_rows} rows x {len(names)} columns>"
        return f"{head}\n{text_table(names, rows)}{tail}"

    def _repr_html_(self) -> str:
        names, rows = self._preview()
        more = self.num_rows - len(rows)
        caption = f"{self.num_rows} rows" + (f" (first {len(rows)} shown)" if more > 0 else "")
        return html_table(names, rows, caption)
