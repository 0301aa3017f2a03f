"""The wheel's ``csc-measures`` command (``python -m csc_measures``) when its reader goes away: the
same quiet end with status 0 as the Rust binary (issue 16, D12), never a panic in the interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--sample-children", "300"],
        ["report", "--sample-children", "300", "--format", "markdown"],
        ["compute", "--measure", "list"],
        ["workdays", "2024-03-28", "2024-04-02"],
        ["options"],
    ],
)
def test_a_closed_standard_output_ends_the_command_quietly(args: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "csc_measures", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            timeout=300,
            check=False,
        )
    finally:
        os.close(write)
    err = done.stderr.decode("utf-8", "replace")
    assert "panicked" not in err, err
    assert done.returncode == 0, err
    assert err == "", err
