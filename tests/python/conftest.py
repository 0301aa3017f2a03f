"""Shared fixtures: the repository, the CLI binary (built once) and the built-in sample."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any, Callable

import pytest

import csc_measures as csc

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def cli() -> Callable[..., str]:
    """Runs the `csc-measures` CLI (built here with `cargo build -q -p csc-cli`, or taken from
    $CSC_MEASURES_CLI) and returns its standard output."""
    exe = os.environ.get("CSC_MEASURES_CLI")
    if not exe:
        subprocess.run(["cargo", "build", "-q", "-p", "csc-cli"], cwd=ROOT, check=True)
        exe = str(ROOT / "target" / "debug" / "csc-measures")

    def run(*args: str) -> str:
        done = subprocess.run(
            [exe, *args], cwd=ROOT, check=True, capture_output=True, text=True
        )
        return done.stdout

    return run


@pytest.fixture(scope="session")
def cli_error(cli: Callable[..., str]) -> Callable[..., tuple[str, str]]:
    """Runs the CLI on arguments it refuses; returns the kind and message of the error it prints
    (`csc-measures: error [KIND]: MESSAGE`)."""
    exe = os.environ.get("CSC_MEASURES_CLI") or str(ROOT / "target" / "debug" / "csc-measures")

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
