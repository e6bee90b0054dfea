"""The samples rule (``tests/support/samples.py``): without the samples folder a test
that needs them skips with the reason, unless ``POLYFN_REQUIRE_SAMPLES`` is set (as
``.ci/run`` sets it), when the run fails. Checked on real tests in a pytest of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.samples import PROJECT_ROOT

#: One test parametrized over samples (params) and one reading them in its body.
TESTS = ["tests/contract/test_aws_http.py",
         "tests/contract/test_gcp_cloudevents.py::test_legacy_samples_are_not_cloudevents"]
REASON = "sample payloads not found at"


def _pytest(tmp_path: str, require: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLYFN_")}
    env["POLYFN_SAMPLES"] = os.path.join(tmp_path, "no-samples-here")
    if require:
        env["POLYFN_REQUIRE_SAMPLES"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           *TESTS], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_without_samples_the_tests_skip_with_the_reason(tmp_path: pytest.TempPathFactory) -> None:
    done = _pytest(str(tmp_path), require=False)
    assert done.returncode == 0, done.stdout
    summary = done.stdout.strip().splitlines()[-1]
    assert "skipped" in summary and "failed" not in summary and "error" not in summary
    skips = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skips and all(REASON in line for line in skips)
    assert any("tests/contract/test_aws_http.py" in line for line in skips)  # params
    # The test reading samples in its body skips where the rule raises it.
    assert any("tests/support/samples.py" in line for line in skips)


def test_when_samples_are_required_their_absence_fails_the_run(
        tmp_path: pytest.TempPathFactory) -> None:
    done = _pytest(str(tmp_path), require=True)
    assert done.returncode != 0
    assert REASON in done.stdout and "skipped" not in done.stdout.splitlines()[-1]
