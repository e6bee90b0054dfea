"""Assemble one cloud's deploy folder: ``python -m examples.webapp.stage gcp``.

The packaging is the same for every example: see ``examples/_stage.py``.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

from examples._stage import CLOUDS, ROOT
from examples._stage import main as _main
from examples._stage import stage as _stage

__all__ = ["CLOUDS", "ROOT", "main", "stage"]

HERE = Path(__file__).resolve().parent
stage = partial(_stage, HERE)
main = partial(_main, HERE)

if __name__ == "__main__":
    sys.exit(main())
