"""Issue 11, the CLI: bad documents exit 2 with one line, and payloads holding lone
surrogates print (as the JSON escapes they were sent as) instead of crashing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.testing import aws
from tests.support.mutate import DEEP


def run(argv: list[str], capsysbinary: pytest.CaptureFixture[bytes]) -> tuple[int, bytes, bytes]:
    code = main(argv)
    out, err = capsysbinary.readouterr()
    return code, out, err


def test_a_document_5000_deep_exits_2_with_one_line(
        tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * DEEP + "]" * DEEP)
    for argv in (["event", str(path)],
                 ["invoke", "tests.support.fuzz_handlers:untyped", "--event", str(path)]):
        code, out, err = run(argv, capsysbinary)
        assert (code, out) == (2, b"")
        assert err.decode() == f"error: {path} is nested too deeply to parse\n"


def test_lone_surrogates_print_as_json_escapes(
        tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sqs.json"
    raw = aws.sqs("x")
    raw["Records"][0]["body"] = "caf\u00e9 \ud800"
    path.write_text(json.dumps(raw))  # json writes the surrogate as the escape \ud800
    # A real stdout: strict UTF-8, as a terminal or a pipe has it.
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr("sys.stdout", stdout)
    assert main(["event", str(path)]) == 0
    stdout.flush()
    line = stdout.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
    assert json.loads(line)["data"] == "caf\u00e9 \ud800"
