"""``python -m examples.demo`` runs the quickstart through all three clouds' shims."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support.samples import PROJECT_ROOT

#: section title -> (the native response's status field, the provider's name)
SECTIONS = {"AWS Lambda": ("statusCode", "aws"), "Google Cloud Functions": ("status", "gcp"),
            "Azure Functions": ("status_code", "azure")}


@pytest.fixture(scope="module")
def output() -> str:
    result = subprocess.run([sys.executable, "-m", "examples.demo"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def sections(output: str) -> dict[str, str]:
    parts = re.split(r"^═══ (.+?) · .*$", output, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_cloud_has_a_section(output: str) -> None:
    assert list(sections(output)) == list(SECTIONS)


@pytest.mark.parametrize("cloud", SECTIONS)
def test_each_cloud_answers_200_twice_then_400(output: str, cloud: str) -> None:
    text = sections(output)[cloud]
    status_field, provider = SECTIONS[cloud]
    statuses = re.findall(rf"│ {status_field} +(\d{{3}})$", text, flags=re.M)
    assert statuses == ["200", "200", "400"]
    assert text.count("application/problem+json") == 1
    assert text.count(f'"provider": "{provider}"') == 2  # the greeting bodies


@pytest.mark.parametrize("cloud", SECTIONS)
def test_each_section_shows_the_uniform_request(output: str, cloud: str) -> None:
    text = sections(output)[cloud]
    assert len(re.findall(r"^kind +http +│", text, flags=re.M)) == 3
    assert len(re.findall(r"^method +POST +│", text, flags=re.M)) == 2


def test_every_line_fits_an_80_column_terminal(output: str) -> None:
    wide = [line for line in output.splitlines() if len(line) > 80]
    assert wide == []


def test_the_two_columns_line_up(output: str) -> None:
    table = [line for line in output.splitlines() if "│" in line]
    assert table and {line.index("│") for line in table} == {37}


def test_the_message_handler_runs_on_every_cloud_and_loses_nothing(output: str) -> None:
    messages = output.split("═══ Messages:", 1)[1]
    lines = {cloud: [line for line in part.splitlines()[1:] if line.startswith("m-")]
             for cloud, part in (p.split(" · ", 1) for p in messages.split("── ")[1:])}
    assert set(lines) == set(SECTIONS)
    expected_ok = {"AWS Lambda": "deleted", "Google Cloud Functions": "204: acknowledged",
                   "Azure Functions": "completed"}
    for cloud, rows in lines.items():
        assert [row.split()[0] for row in rows] == ["m-1", "m-2", "m-3"]
        assert rows[0].endswith(expected_ok[cloud])
        # The model failure and the rejection each fail their own message only.
        assert "DataValidationError" in rows[1] or cloud == "AWS Lambda"
        assert all(expected_ok[cloud] not in row for row in rows[1:])
    assert ('{"batchItemFailures": [{"itemIdentifier": "m-2"}, {"itemIdentifier": "m-3"}]}'
            in messages)
