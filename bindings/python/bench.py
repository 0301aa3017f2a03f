"""Benchmarks of the Python module (not timed tests): run with the package installed,

    .venv/bin/python bindings/python/bench.py

1. Computing every measure from Python against the request layer on the same dataset, timed
   inside Rust (`_native.core_compute_seconds`, which runs the same query): the overhead of the
   Python layer (target: at most 10%).
2. Loading a pandas DataFrame of a million care episodes with `from_frames` (pandas to Arrow through
   pyarrow, Arrow to records in Rust, the multi-year merge and periods of care), then computing.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import pandas as pd

import csc_measures as csc
from csc_measures import _native


def best(f, repeat: int) -> float:
    """The median of `repeat` timings of `f()`, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def compute_overhead(children: int, repeat: int) -> None:
    t = time.perf_counter()
    ds = csc.sample(children=children)
    built = time.perf_counter() - t
    s = ds.summary()
    print(f"sample: {children} children -> {s['cin_episodes']} CIN episodes, "
          f"{s['assessments']} assessments, {s['care_episodes']} care episodes (built in {built:.2f} s)")
    ds.compute(year=2024)  # warm up
    # Interleaved rounds, the fastest round of each: the machine's noise is not the module's cost.
    py, core = [], []
    for _ in range(9):
        py.append(best(lambda: ds.compute(year=2024), repeat))
        core.append(_native.core_compute_seconds(ds._native, None, 2024, repeat) / repeat)
    p, c = min(py), min(core)
    print(f"  compute, all 19 measures: Python {p * 1e3:.3f} ms, Rust core {c * 1e3:.3f} ms, "
          f"overhead {100 * (p - c) / c:+.1f}%")
    full = best(lambda: ds.compute(year=2024).to_pandas(), max(3, repeat // 10))
    print(f"  compute + to_pandas(): {full * 1e3:.3f} ms")


def episodes_frame(n: int, seed: int = 1) -> pd.DataFrame:
    """`n` care episodes of `n // 5` children, five consecutive episodes each, in 2019-2024."""
    rng = np.random.default_rng(seed)
    per_child = 5
    kids = n // per_child
    child = np.repeat(np.char.add("C", np.char.zfill(np.arange(kids).astype(str), 8)), per_child)
    start = np.datetime64("2018-04-01") + rng.integers(0, 365 * 4, kids).astype("timedelta64[D]")
    gaps = rng.integers(20, 200, (kids, per_child)).cumsum(axis=1) - 20
    decom = (start[:, None] + gaps.astype("timedelta64[D]")).ravel()
    dec = np.roll(decom, -1).astype("datetime64[D]")
    last = (np.arange(n) % per_child) == per_child - 1
    dec_s = pd.Series(dec, dtype="datetime64[s]")
    dec_s[last] = pd.NaT
    place = rng.choice(np.array(["U1", "U3", "U4", "K2", "R1"]), n)
    return pd.DataFrame({
        "CHILD": child,
        "DECOM": pd.Series(decom, dtype="datetime64[s]"),
        "RNE": np.where(np.arange(n) % per_child == 0, "S", "P"),
        "LS": rng.choice(np.array(["C2", "E1", "J2"]), n),
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": "PR1",
        "DEC": dec_s,
        "REC": np.where(last, "", "X1"),
        "REASON_PLACE_CHANGE": "CARPL",
        "HOME_POST": "AB1",
        "PL_POST": "CD2",
        "URN": "SC123456",
    })


def million_episodes(n: int) -> None:
    import pyarrow as pa

    df = episodes_frame(n)
    t = time.perf_counter()
    arrow = pa.Table.from_pandas(df, preserve_index=False)
    to_arrow = time.perf_counter() - t
    t = time.perf_counter()
    ds = csc.from_frames(ssda903={2024: {"Episodes": df}})
    load = time.perf_counter() - t
    t = time.perf_counter()
    csc.from_frames(ssda903={2024: {"Episodes": arrow}})
    load_arrow = time.perf_counter() - t
    s = ds.summary()
    print(f"from_frames, pandas DataFrame of {len(df):,} episodes ({s['children']:,} children, "
          f"{s['periods_of_care']:,} periods of care): {load:.2f} s "
          f"(of which pandas to Arrow in pyarrow {to_arrow:.2f} s; from a pyarrow table {load_arrow:.2f} s)")
    t = time.perf_counter()
    res = ds.compute(["cla_at_end", "stability_3plus_placements", "stability_long_term"], year=2024)
    took = time.perf_counter() - t
    print(f"  compute the CLA measures on it: {took:.3f} s (cla_at_end = {res['cla_at_end'].value:.0f})")


def main() -> None:
    print(f"csc_measures {csc.__version__}, Python {sys.version.split()[0]}")
    compute_overhead(children=2_000, repeat=200)
    compute_overhead(children=50_000, repeat=20)
    million_episodes(1_000_000)


if __name__ == "__main__":
    main()
