"""Hypothesis profiles for the property and fuzz suites.

* ``quick`` (the local default): a few hundred payloads per entry point, seconds,
  fresh seeds every run.
* ``ci`` (``POLYFN_FUZZ_PROFILE=ci``, which ``.ci/run`` sets): the full count
  (``tests/property/test_entry_points_fuzz.py`` checks that at least 100,000
  mutated payloads went through the entry points), **derandomized**: the same
  payloads on every run (with the hypothesis version the dev extra pins; each fuzz
  test's seed is pinned in ``CI_SEEDS``, so editing a test's body keeps its set), so
  CI gates on a known set and a red CI run is a regression, not a new find.
* ``explore`` (``POLYFN_FUZZ_PROFILE=explore``): the ci count with fresh seeds every
  run: how new inputs are found (run it before a release, or in a loop overnight;
  ``--hypothesis-seed=N`` replays one). A find becomes a regression test.

On failure hypothesis prints the falsifying example, the ``@reproduce_failure``
blob (``print_blob``) and the seed. The pytest header names the profile.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("POLYFN_FUZZ_PROFILE") or "quick"

_COMMON = {"deadline": None, "print_blob": True, "derandomize": False,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much]}
settings.register_profile("quick", **_COMMON)
settings.register_profile("ci", **{**_COMMON, "derandomize": True, "database": None})
settings.register_profile("explore", **_COMMON)
settings.load_profile(PROFILE if PROFILE in ("quick", "ci", "explore") else "quick")
#: Whether this run drives the full count (``ci`` and ``explore``).
FULL = PROFILE in ("ci", "explore")


def pytest_report_header() -> str:
    return (f"polyfn fuzz profile: {PROFILE} (POLYFN_FUZZ_PROFILE=quick|ci|explore); replay a "
            "failure with the @reproduce_failure blob or --hypothesis-seed it prints")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many payloads the fuzz suite drove, under which profile."""
    module = sys.modules.get("tests.property.test_entry_points_fuzz")
    if module is not None and module.COUNT["payloads"]:
        terminalreporter.write_line(f"fuzz: {module.COUNT['payloads']} payloads through the "
                                    f"entry points (profile {PROFILE})")
