"""Assemble one cloud's deploy folder: ``python -m examples.quickstart.stage gcp``.

Each cloud builds from a folder whose root holds its entry point: ``main.py`` for
Google Cloud, ``function_app.py`` + ``host.json`` for Azure, the ``CodeUri`` of
``template.yaml`` for AWS. The folder (``build/quickstart-<cloud>/``) gets that, the
``examples`` package the entry points import, the cloud's ``requirements.txt`` and
``wheels/`` with polyfn's own wheel, which ``requirements.txt`` finds through
``--find-links`` while polyfn is not on PyPI.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["CLOUDS", "ROOT", "stage"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
#: The quickstart package as every cloud deploys it.
PACKAGE = ("__init__.py", "handler.py")
#: cloud -> (its entry point inside the package, files its build expects at the root)
CLOUDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "aws": (("aws.py",), ()),  # Handler: examples.quickstart.aws.handler
    "gcp": ((), ("main.py",)),
    "azure": ((), ("function_app.py", "host.json")),
}
_MARKER = ".polyfn-stage"  # a folder this script made, and may empty again


def _fresh(out: Path) -> None:
    if out.exists():
        if any(out.iterdir()) and not (out / _MARKER).exists():
            raise SystemExit(f"refusing to empty {out}: it was not made by this script")
        shutil.rmtree(out)
    (out / "examples" / "quickstart").mkdir(parents=True)
    (out / _MARKER).touch()


def build_wheel(wheels: Path) -> None:
    """polyfn's wheel, built from this checkout (pure Python: any platform)."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--wheel-dir", str(wheels), str(ROOT)], check=True)


def stage(cloud: str, out: Path | None = None, *, wheel: bool = True) -> Path:
    """Make ``out`` (default ``build/quickstart-<cloud>``) the deploy folder of ``cloud``."""
    out = out or ROOT / "build" / f"quickstart-{cloud}"
    _fresh(out)
    shutil.copy2(ROOT / "examples" / "__init__.py", out / "examples")
    in_package, at_root = CLOUDS[cloud]
    for name in (*PACKAGE, *in_package):
        shutil.copy2(HERE / name, out / "examples" / "quickstart")
    for name in at_root:
        shutil.copy2(HERE / name, out)
    shutil.copy2(HERE / f"requirements-{cloud}.txt", out / "requirements.txt")
    if wheel:
        build_wheel(out / "wheels")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m examples.quickstart.stage",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("cloud", choices=sorted(CLOUDS))
    parser.add_argument("--out", type=Path, help="default: build/quickstart-CLOUD")
    parser.add_argument("--no-wheel", action="store_true",
                        help="skip building polyfn's wheel (polyfn comes from PyPI)")
    args = parser.parse_args(argv)
    print(stage(args.cloud, args.out, wheel=not args.no_wheel))
    return 0


if __name__ == "__main__":
    sys.exit(main())
