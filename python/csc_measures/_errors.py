"""The exceptions of csc_measures.

Every error the library raises is a :class:`CscError`, which also subclasses the builtin exception a
Python caller would expect (``ValueError`` for bad input, options and periods, ``OSError`` for
files). Each carries ``code``, the stable number the C ABI returns for the same error (100 and up,
``ErrorKind::code()`` in Rust), and ``kind``, its snake_case name (``invalid_date``, ...); errors that
come from input also carry where: ``file``, ``line``, ``path``, ``column`` and ``value``.

The native module raises these classes (one conversion in Rust, by kind):

============================================  =================  ====
kind                                          class              code
============================================  =================  ====
``invalid_date``                              InputError         100
``invalid_period``, ``calendar_range``        PeriodError        101, 102
``invalid_input``, ``data_quality``           InputError         103, 104
``unknown_measure``, ``invalid_option``       OptionError        105, 106
``io``                                        CscIOError         107
``invalid_request``                           RequestError       108
============================================  =================  ====

``_native.error_kinds()`` lists every kind of the core with its class, and a test checks that each
has its own class here.
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["CscError", "CscIOError", "InputError", "OptionError", "PeriodError", "RequestError"]


class CscError(Exception):
    """An error of csc_measures, with the stable ``code`` and ``kind`` of its kind."""

    code: int
    kind: str
    message: str
    file: Optional[str]
    line: Optional[int]
    path: Optional[str]
    column: Optional[str]
    value: Optional[str]

    def __init__(
        self,
        message: str,
        *,
        code: int,
        kind: str,
        file: Optional[str] = None,
        line: Optional[int] = None,
        path: Optional[str] = None,
        column: Optional[str] = None,
        value: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.kind = kind
        self.file = file
        self.line = line
        self.path = path
        self.column = column
        self.value = value

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        fields = {
            "code": self.code,
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "column": self.column,
            "value": self.value,
        }
        return (_rebuild, (type(self), self.message, fields))


def _rebuild(cls: type[CscError], message: str, fields: dict[str, object]) -> CscError:
    return cls(message, **fields)  # type: ignore[arg-type]


class InputError(CscError, ValueError):
    """Input the library cannot use: a malformed date, a missing column, a strict load's first
    data-quality problem (kinds ``invalid_input``, ``invalid_date``, ``data_quality``)."""


class OptionError(CscError, ValueError):
    """An unknown measure id, an unknown option, or a value an option does not take (kinds
    ``unknown_measure``, ``invalid_option``)."""


class PeriodError(CscError, ValueError):
    """A period whose end is before its start, an impossible financial year, or no collection year
    to default to (kinds ``invalid_period``, ``calendar_range``)."""


class CscIOError(CscError, OSError):
    """Reading a return's file or folder failed (kind ``io``)."""


class RequestError(CscError, ValueError):
    """A malformed request: arguments that exclude each other (a year with a start or an end), a
    start without an end, a series without both, an unknown series, a sample too large, nothing to
    load (kind ``invalid_request``). The CLI and the C ABI give the same kind, code and message for
    the same mistake."""
