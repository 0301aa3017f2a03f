"""csc_measures: the statutory performance measures of English children's social care.

Computed from the child-level CIN census and SSDA903 returns by one Rust core (the same numbers as
the ``csc-measures`` command)::

    import csc_measures as csc

    ds = csc.sample()                          # or csc.load(cin=[...], ssda903=[...])
                                               # or csc.from_frames({2024: {"Episodes": df, ...}})
    res = ds.compute(year=2024)                # every measure, 2023-04-01 to 2024-03-31
    res.to_pandas()                            # one row per measure
    res.records("assessments_45wd").to_pandas()  # the assessments behind one measure
    ds.report().to_markdown()                  # the scorecard

Errors are :class:`CscError` subclasses that are also ``ValueError`` or ``OSError``, each with the
C ABI's ``code`` and a ``kind``.
"""

from ._errors import CscError, CscIOError, InputError, OptionError, PeriodError
from ._api import (
    Dataset,
    Measure,
    Results,
    Scorecard,
    from_frames,
    load,
    measures,
    sample,
    sample_tables,
    working_days,
)
from ._native import __version__, option_keys as _option_keys
from ._table import Table

#: Every option key ``Dataset.compute`` takes, in the specification's order.
OPTION_KEYS: tuple[str, ...] = tuple(_option_keys())

__all__ = [
    "OPTION_KEYS",
    "CscError",
    "CscIOError",
    "Dataset",
    "InputError",
    "Measure",
    "OptionError",
    "PeriodError",
    "Results",
    "Scorecard",
    "Table",
    "__version__",
    "from_frames",
    "load",
    "measures",
    "sample",
    "sample_tables",
    "working_days",
]
