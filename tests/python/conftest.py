"""Shared fixtures: the repository, the CLI binary (built once) and the built-in sample.

When ``$CSC_MEASURES_WHEEL`` names a wheel (scripts/python-test sets it to the one it built and
installed), the session refuses to start unless ``csc_measures`` and its native module are that
wheel's, installed in this environment: not the sources' ``python/csc_measures`` with a native
module left there by an earlier ``maturin develop``.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import re
import subprocess
import sysconfig
import zipfile
from pathlib import Path
from typing import Any, Callable

import pytest

import csc_measures as csc
from csc_measures import _native

ROOT = Path(__file__).resolve().parents[2]


def installed_from_wheel(wheel: Path) -> None:
    """Raises unless the imported ``csc_measures`` lives in this environment's site-packages and
    its native module is byte for byte the one in ``wheel`` (by the sha256 of its RECORD)."""
    site = {Path(sysconfig.get_path(k)).resolve() for k in ("purelib", "platlib")}
    package = Path(csc.__file__).resolve().parent
    if package.parent not in site:
        raise RuntimeError(
            f"csc_measures was imported from {package}, not from the installed wheel {wheel} "
            f"(site-packages: {sorted(map(str, site))})"
        )
    native = Path(str(_native.__file__)).resolve()
    with zipfile.ZipFile(wheel) as z:
        record = next(n for n in z.namelist() if n.endswith(".dist-info/RECORD"))
        rows = list(csv.reader(z.read(record).decode().splitlines()))
    want = next((row[1] for row in rows if row[0] == f"csc_measures/{native.name}"), None)
    digest = base64.urlsafe_b64encode(hashlib.sha256(native.read_bytes()).digest()).rstrip(b"=")
    if want != f"sha256={digest.decode()}":
        raise RuntimeError(f"the native module {native} is not the one in {wheel}")


if os.environ.get("CSC_MEASURES_WHEEL"):
    installed_from_wheel(Path(os.environ["CSC_MEASURES_WHEEL"]))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def cli_exe() -> str:
    """The Rust binary `csc-measures`: $CSC_MEASURES_CLI, or built here with
    `cargo build -q -p csc-cli`."""
    exe = os.environ.get("CSC_MEASURES_CLI")
    if not exe:
        subprocess.run(["cargo", "build", "-q", "-p", "csc-cli"], cwd=ROOT, check=True)
        exe = str(ROOT / "target" / "debug" / "csc-measures")
    return exe


@pytest.fixture(scope="session")
def cli(cli_exe: str) -> Callable[..., str]:
    """Runs the `csc-measures` CLI (`cli_exe`) and returns its standard output."""
    exe = cli_exe

    def run(*args: str) -> str:
        done = subprocess.run(
            [exe, *args], cwd=ROOT, check=True, capture_output=True, text=True
        )
        return done.stdout

    return run


@pytest.fixture(scope="session")
def cli_error(cli_exe: str) -> Callable[..., tuple[str, str]]:
    """Runs the CLI on arguments it refuses; returns the kind and message of the error it prints
    (`csc-measures: error [KIND]: MESSAGE`)."""
    exe = cli_exe

    def run(*args: str) -> tuple[str, str]:
        done = subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode != 0, f"the CLI accepted {args}"
        line = done.stderr.strip().splitlines()[-1]
        m = re.fullmatch(r"csc-measures: error \[(\w+)\]: (.*)", line)
        assert m, line
        return m.group(1), m.group(2)

    return run


@pytest.fixture(scope="session")
def cli_json(cli: Callable[..., str]) -> Callable[..., Any]:
    def run(*args: str) -> Any:
        return json.loads(cli(*args))

    return run


@pytest.fixture(scope="session")
def sample() -> csc.Dataset:
    return csc.sample()
