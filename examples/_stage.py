"""Assemble one cloud's deploy folder for an example: ``python -m examples._stage <name> gcp``.

Each cloud builds from a folder whose root holds its entry point: ``main.py`` for
Google Cloud, ``function_app.py`` + ``host.json`` for Azure, the ``CodeUri`` of
``template.yaml`` for AWS. The folder (``build/<name>-<cloud>/``) gets that, the
``examples.<name>`` package the entry points import, the cloud's
``requirements.txt`` and ``wheels/`` with polyfn's own wheel, which
``requirements.txt`` finds through ``--find-links`` while polyfn is not on PyPI.
One tool for every example (no example carries a copy): the example is named on
the command line, or given as its folder to :func:`stage`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["CLOUDS", "ROOT", "examples", "main", "stage"]

ROOT = Path(__file__).resolve().parents[1]
#: An example's package as every cloud deploys it.
PACKAGE = ("__init__.py", "handler.py")
#: cloud -> (its entry point inside the package, files its build expects at the root)
CLOUDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "aws": (("aws.py",), ()),  # Handler: examples.<name>.aws.handler
    "gcp": ((), ("main.py",)),
    "azure": ((), ("function_app.py", "host.json")),
}
_MARKER = ".polyfn-stage"  # a folder this script made, and may empty again


def _fresh(out: Path, name: str) -> None:
    if out.exists():
        if any(out.iterdir()) and not (out / _MARKER).exists():
            raise SystemExit(f"refusing to empty {out}: it was not made by this script")
        shutil.rmtree(out)
    (out / "examples" / name).mkdir(parents=True)
    (out / _MARKER).touch()


def build_wheel(wheels: Path) -> None:
    """polyfn's wheel, built from this checkout (pure Python: any platform)."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--wheel-dir", str(wheels), str(ROOT)], check=True)


def stage(example: Path, cloud: str, out: Path | None = None, *, wheel: bool = True) -> Path:
    """Make ``out`` (default ``build/<name>-<cloud>``) the deploy folder of ``cloud``
    for the example in folder ``example``."""
    name = example.name
    out = out or ROOT / "build" / f"{name}-{cloud}"
    _fresh(out, name)
    shutil.copy2(ROOT / "examples" / "__init__.py", out / "examples")
    in_package, at_root = CLOUDS[cloud]
    for file in (*PACKAGE, *in_package):
        shutil.copy2(example / file, out / "examples" / name)
    for file in at_root:
        shutil.copy2(example / file, out)
    shutil.copy2(example / f"requirements-{cloud}.txt", out / "requirements.txt")
    if wheel:
        build_wheel(out / "wheels")
    return out


def examples() -> list[str]:
    """The examples' names: the folders of ``examples/`` with a ``handler.py``."""
    return sorted(p.parent.name for p in (ROOT / "examples").glob("*/handler.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m examples._stage",
                                     description="Assemble one cloud's deploy folder.")
    parser.add_argument("example", choices=examples())
    parser.add_argument("cloud", choices=sorted(CLOUDS))
    parser.add_argument("--out", type=Path, help="default: build/EXAMPLE-CLOUD")
    parser.add_argument("--no-wheel", action="store_true",
                        help="skip building polyfn's wheel (polyfn comes from PyPI)")
    args = parser.parse_args(argv)
    example = ROOT / "examples" / args.example
    print(stage(example, args.cloud, args.out, wheel=not args.no_wheel))
    return 0


if __name__ == "__main__":
    sys.exit(main())
