"""csc_measures: the statutory performance measures of English children's social care.

Computed from the child-level CIN census and SSDA903 returns by one Rust core, through the same
request layer as the ``csc-measures`` command and the C ABI (the same numbers, and the same
errors)::

    import csc_measures as csc

    ds = csc.sample()                          # or csc.load(cin=[...], ssda903=[...])
                                               # or csc.from_frames({2024: {"Episodes": df, ...}})
    res = ds.compute(year=2024)                # every measure, 2023-04-01 to 2024-03-31
    res.to_pandas()                            # one row per measure
    res.records("assessments_45wd").to_pandas()  # the assessments behind one measure
    ds.compute("referrals", series="rolling:12", start="2023-04-01", end="2024-03-31")
    ds.report().to_markdown()                  # the scorecard
    csc.measures(), csc.options(), csc.schema()  # the catalogues

Errors are :class:`CscError` subclasses that are also ``ValueError`` or ``OSError``, each with the
C ABI's ``code`` and a ``kind``.
"""

from ._errors import CscError, CscIOError, InputError, OptionError, PeriodError, RequestError
from ._api import (
    Dataset,
    Measure,
    Results,
    Scorecard,
    from_frames,
    load,
    measures,
    options,
    sample,
    sample_tables,
    schema,
    working_days,
)
from ._native import __version__
from ._table import Table

#: Every option key ``Dataset.compute`` takes, in the specification's order (from the options'
#: declarations: :func:`options`).
OPTION_KEYS: tuple[str, ...] = tuple(str(row["key"]) for row in options())

__all__ = [
    "OPTION_KEYS",
    "CscError",
    "CscIOError",
    "Dataset",
    "InputError",
    "Measure",
    "OptionError",
    "PeriodError",
    "RequestError",
    "Results",
    "Scorecard",
    "Table",
    "__version__",
    "from_frames",
    "load",
    "measures",
    "options",
    "sample",
    "sample_tables",
    "schema",
    "working_days",
]
