"""``python -m csc_measures ARGS``: the ``csc-measures`` command (see ``csc_measures._cli``)."""

from ._cli import main

if __name__ == "__main__":
    main()
