"""Where the provider-written sample payloads are, and how to read them.

The samples are not copied into the project: they are read from the folder named
by ``POLYFN_SAMPLES`` (default ``../shared/samples`` beside the checkout). Outside
that layout, tests that need them skip with a visible reason (``make test`` on a
bare checkout passes, its summary listing the skips); ``.ci/run`` fails when the
folder is missing and sets ``POLYFN_REQUIRE_SAMPLES=1``, which makes importing
this module fail, so CI never skips them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = Path(os.environ.get("POLYFN_SAMPLES") or PROJECT_ROOT.parent / "shared" / "samples")
HAVE_SAMPLES = SAMPLES.is_dir()
SKIP_REASON = f"sample payloads not found at {SAMPLES} (set POLYFN_SAMPLES)"

if not HAVE_SAMPLES and os.environ.get("POLYFN_REQUIRE_SAMPLES"):
    # CI sets this: a missing folder must fail the run, never skip the contract tests.
    raise RuntimeError(SKIP_REASON)

requires_samples = pytest.mark.skipif(not HAVE_SAMPLES, reason=SKIP_REASON)


def sample_files(pattern: str = "**/*.json") -> list[Path]:
    """Sample files matching ``pattern`` (relative to the samples folder), sorted.

    Licenses and SOURCES.md are not samples. Without the folder: ``[]`` while
    pytest collects (``params`` turns that into one visible skip), and inside a
    running test a skip with the reason.
    """
    if not HAVE_SAMPLES:
        _skip_inside_a_test()
        return []
    return sorted(
        p for p in SAMPLES.glob(pattern)
        if p.is_file() and "licenses" not in p.relative_to(SAMPLES).parts and p.suffix == ".json"
    )


def sample_id(path: Path) -> str:
    return path.relative_to(SAMPLES).as_posix()


def params(pattern: str) -> list[Any]:
    """``pytest.param`` per sample file, ids relative to the samples folder.

    With no samples folder this yields one skipped param, so the skip is visible.
    """
    files = sample_files(pattern)
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_REASON), id="no-samples")]
    return [pytest.param(p, id=sample_id(p)) for p in files]


#: A value inherited from a pytest that started this one (a test running pytest).
_OUTER_TEST = os.environ.get("PYTEST_CURRENT_TEST")


def _skip_inside_a_test() -> None:
    """Skip the running test for want of the samples folder. pytest sets
    ``PYTEST_CURRENT_TEST`` while a test runs, never while it collects (this module
    is imported while test modules are collected)."""
    current = os.environ.get("PYTEST_CURRENT_TEST")
    if current and current != _OUTER_TEST:
        pytest.skip(SKIP_REASON)


def load(path: Path) -> Any:
    """Parse a sample as the providers send it (a UTF-8 BOM is tolerated); without
    the samples folder, a test loading one skips with the reason."""
    if not HAVE_SAMPLES and path.is_relative_to(SAMPLES):
        _skip_inside_a_test()
    return json.loads(path.read_bytes().decode("utf-8-sig"))


#: Sample files whose trigger is not their folder's name: AppSync's shapes share
#: one folder, and each has a trigger name of its own.
FILE_TRIGGERS: dict[str, str] = {
    "aws/appsync/appSyncAuthorizerEvent.json": "aws.appsync.authorizer",
    "aws/appsync/appSyncBatchEvent.json": "aws.appsync.batch",
}


def folder_trigger(path: Path) -> str:
    """The trigger a sample file is expected to be detected as: its folder's name
    (``aws/apigw-v2`` -> ``aws.apigw.v2``) unless :data:`FILE_TRIGGERS` says."""
    rel = sample_id(path)
    return FILE_TRIGGERS.get(rel) or rel.rsplit("/", 1)[0].replace("/", ".").replace("-", ".")
