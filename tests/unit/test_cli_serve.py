"""``polyfn serve`` before and beside its server: every bad option is exit code 2
with one line, a missing ``serve`` extra is named, the WSGI app refuses events of a
kind the handler does not take with 415 (as the CloudEvents apps do), and the
handler's failures are recorded per request thread.

The server itself, under load and slow clients: ``tests/runtime/test_serve_limits.py``.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
from typing import Any

import pytest
from werkzeug.test import Client

from adapters._cli._local import EventLog, dev_app
from adapters._cli.handlers import WatchedHandler, load_handler
from adapters._cli.options import size
from adapters.cli import main
from sdk import HTTPRequest
from tests.support.imports import loaded_by, top_level
from tests.support.samples import PROJECT_ROOT
from tests.unit.test_cloudevents_apps import SERVERS, binary

HANDLER = "tests.runtime.serve_handlers:handler"


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err and "usage:" not in err
    return lines[0]


@pytest.mark.parametrize(("argv", "expected"), [
    (["--port", "99999"], "the port must be 0-65535, not 99999"),
    (["--port", "abc"], "the port must be a whole number"),
    (["--port", "-1"], "the port must be 0-65535"),
    (["--threads", "0"], "argument --threads: the value must be at least 1"),
    (["--timeout", "soon"], "argument --timeout: the value must be a whole number"),
    (["--max-body", "5XB"], "argument --max-body: expected a size like 6MiB"),
    (["--max-body", "0"], "the size must be at least 1 byte"),
    (["--verbose"], "unrecognized arguments: --verbose"),
    (["--host", "a" * 64 + ".example"], "cannot listen on"),  # a label too long: no DNS
    (["--host", "bad\x00host"], "cannot listen on"),
    (["--host", "192.0.2.1"], "cannot listen on 192.0.2.1:"),  # TEST-NET: not this machine's
], ids=["port-range", "port-text", "port-negative", "threads", "timeout", "max-body-unit",
        "max-body-zero", "unknown-option", "host-label", "host-nul", "host-not-local"])
def test_a_bad_option_is_exit_code_2_with_one_line(
        capsys: pytest.CaptureFixture[str], argv: list[str], expected: str) -> None:
    assert main(["serve", HANDLER, "--port", "0", *argv]) == 2
    assert expected in one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize(("spec", "expected"), [
    ("no_colon", "bad handler 'no_colon': expected MODULE:HANDLER"),
    ("no_such_module_here:handle", "no module named no_such_module_here"),
    ("tests.runtime.serve_handlers:missing", "has no attribute missing"),
    ("tests.runtime.serve_handlers:Order.model_fields", "is a dict, not a function"),
])
def test_a_bad_handler_spec_is_exit_code_2_with_one_line(
        capsys: pytest.CaptureFixture[str], spec: str, expected: str) -> None:
    assert main(["serve", spec, "--port", "0"]) == 2
    assert expected in one_error_line(capsys.readouterr().err)


def test_usage_errors_are_one_line_naming_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line == ("error: polyfn serve: the following arguments are required: "
                    "MODULE:HANDLER (see polyfn serve --help)")
    assert main([]) == 2
    assert "(see polyfn --help)" in one_error_line(capsys.readouterr().err)


def test_a_port_in_use_is_exit_code_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["serve", HANDLER, "--port", str(port)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"error: cannot listen on 127.0.0.1:{port}: ")


@pytest.mark.parametrize("missing", ["waitress", "werkzeug"])
def test_without_the_serve_extra_one_line_names_it(missing: str) -> None:
    # None in sys.modules is how Python spells "not installed" for an import.
    code = (f"import sys; sys.modules[{missing!r}] = None\n"
            "from adapters.cli import main\n"
            f"sys.exit(main(['serve', {HANDLER!r}, '--port', '0']))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (f"error: polyfn serve needs {missing}: "
                                           "pip install 'polyfn[serve]'")


def test_the_cli_loads_no_server_library_until_it_serves() -> None:
    loaded = top_level(loaded_by("from adapters.cli import build_parser\n"
                                 "build_parser().parse_args(['serve', 'm:h'])"))
    assert not loaded & {"waitress", "werkzeug", "flask", "pydantic"}


@pytest.mark.parametrize(("text", "expected"), [
    ("6MiB", 6 * 1024 * 1024), ("512KiB", 512 * 1024), ("1048576", 1048576), ("1g", 1 << 30),
    ("10 MB", 10 * 1024 * 1024),
])
def test_sizes_read_as_binary_units(text: str, expected: int) -> None:
    assert size(text) == expected


# -- the kind the handler takes: 415 everywhere ----------------------------------------

def _app(spec: str) -> Client:
    return Client(dev_app(load_handler(spec), EventLog(write=lambda line: None)))


def test_a_plain_request_to_a_handler_of_no_http_kind_is_415() -> None:
    response = _app("tests.runtime.serve_handlers:storage_only").get("/file")
    assert response.status_code == 415
    assert response.content_type == "application/problem+json"
    assert json.loads(response.data)["detail"] == (
        "storage_only takes storage events, but local.http delivers http events")


def test_a_raw_payload_of_another_kind_is_415_from_the_dev_app() -> None:
    from adapters.testing import aws

    response = _app("tests.runtime.serve_handlers:http_only").post(
        "/_polyfn/invoke", data=json.dumps(aws.sqs({"id": 1})))
    assert response.status_code == 415
    assert "aws.sqs delivers message events" in json.loads(response.data)["detail"]


@pytest.mark.parametrize("serve", SERVERS)
def test_the_cloudevents_apps_refuse_a_cloudevent_to_an_http_handler_with_415(
        serve: Any) -> None:
    ran: list[Any] = []

    def http_only(request: HTTPRequest[Any]) -> None:
        ran.append(request)

    headers, body = binary({"type": "com.example.t", "source": "/s", "id": "e-1",
                            "specversion": "1.0"}, {"secret": "s3cr3t"})
    status, answer_headers, answer = serve(http_only, headers, body)
    assert status == 415 and ran == []
    assert answer_headers["content-type"] == "application/problem+json"
    doc = json.loads(answer)
    assert "takes http events" in doc["detail"] and "s3cr3t" not in doc["detail"]


# -- per-thread failures -------------------------------------------------------------

def test_the_handlers_failures_are_recorded_per_thread() -> None:
    def handle(event: Any) -> None:
        if event == "fail":
            raise ValueError("boom")

    watched = WatchedHandler(handle)
    seen: dict[str, list[BaseException]] = {}
    both_ran = threading.Barrier(2)

    def run(name: str) -> None:
        with contextlib.suppress(ValueError):
            watched.function.fn(name)
        both_ran.wait(timeout=10)
        seen[name] = list(watched.errors)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("fail", "ok")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert [type(e) for e in seen["fail"]] == [ValueError] and seen["ok"] == []
