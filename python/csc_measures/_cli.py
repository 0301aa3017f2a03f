"""The ``csc-measures`` command of the wheel: ``pip install`` puts it on the environment's ``PATH``
(``[project.scripts]`` in ``pyproject.toml``), and ``python -m csc_measures`` runs it too.

It is the Rust binary's own code, ``csc_cli::run`` in the native module, run in this process: the
same arguments give the same standard output, standard error and exit status as the binary built
with ``cargo install --path crates/csc-cli`` (``tests/python/test_install.py`` compares them).
"""

from __future__ import annotations

import signal
import sys
from typing import NoReturn

from . import _native


def main() -> NoReturn:
    """Runs ``csc-measures`` with this process's arguments and exits with its status."""
    # Python turns Ctrl-C into KeyboardInterrupt, which it only raises when the native call
    # returns; the default action stops the command at once, as it stops the binary.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # The command writes to the file descriptors; anything Python buffered goes first.
    sys.stdout.flush()
    sys.stderr.flush()
    # The name the binary is installed under, whatever launched this process: clap's usage and
    # help messages show it.
    sys.exit(_native.cli(["csc-measures", *sys.argv[1:]]))
