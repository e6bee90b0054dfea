"""What a piece of code imports, seen from a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.support.samples import PROJECT_ROOT

__all__ = ["loaded_by", "top_level"]


def loaded_by(code: str) -> set[str]:
    """Modules (full dotted names) that ``code`` loads in a fresh interpreter; the
    script itself imports nothing before taking the first snapshot."""
    script = (
        "import sys\n"
        "before = set(sys.modules)\n"
        f"{code}\n"
        "print(repr(sorted(set(sys.modules) - before)))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, check=True,
                         capture_output=True, text=True, timeout=60)
    return set(ast.literal_eval(out.stdout.strip().splitlines()[-1]))


def top_level(modules: set[str]) -> set[str]:
    """The top-level packages of ``modules``."""
    return {name.split(".")[0] for name in modules}
