"""``polyfn event`` and ``polyfn invoke``: output, exit codes and one-line errors.

Most cases call ``main(argv)`` in-process; a few run ``python -m adapters.cli`` to
check what a shell sees (exit status, stdout/stderr split).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from adapters.cli import main
from tests.support.samples import PROJECT_ROOT, SAMPLES, load, params, requires_samples

APIGW_V2 = SAMPLES / "aws" / "apigw-v2" / "apiGatewayProxyV2Event.json"
APIGW_V2_GET = SAMPLES / "aws" / "apigw-v2" / "apiGatewayProxyV2Event_GET.json"
SQS = SAMPLES / "aws" / "sqs" / "sqsEvent.json"
QUICKSTART = "examples.quickstart.handler:handle"
SECRET = "s3cr3t-value-never-printed"

HANDLERS = textwrap.dedent('''
    import sdk
    from sdk import HTTPRequest, Message, Response

    @sdk.function
    def echo(request: HTTPRequest) -> Response:
        return Response({"path": request.path}, status=201, cookies=["a=1", "b=2"])

    @sdk.function
    def boom(request: HTTPRequest) -> None:
        raise RuntimeError("kaboom")

    @sdk.function
    def picky(message: Message) -> None:
        if isinstance(message.data, dict):
            raise ValueError("no dicts please")

    def plain(event):
        return None

    not_callable = 42
''')


def polyfn(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "adapters.cli", *args], cwd=PROJECT_ROOT,
                          input=stdin.decode() if stdin is not None else None,
                          capture_output=True, text=True, timeout=60)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def handlers(tmp_path: Path) -> Path:
    path = tmp_path / "cli_handlers.py"
    path.write_text(HANDLERS, encoding="utf-8")
    return path


# -- polyfn event ----------------------------------------------------------------

@requires_samples
@pytest.mark.parametrize("path", params("aws/apigw-v2/*.json") + params("aws/alb/*.json"))
def test_event_prints_the_uniform_http_request(path: Path, capsys: pytest.CaptureFixture[str]
                                               ) -> None:
    assert main(["event", str(path)]) == 0
    (event,) = json_lines(capsys.readouterr().out)
    raw = load(path)
    assert event["kind"] == "http"
    assert event["provider"] == "aws"
    assert event["method"] == (raw.get("httpMethod")
                               or raw["requestContext"]["http"]["method"])
    assert "raw" not in event


@requires_samples
def test_event_prints_one_line_per_record_of_a_batch(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["event", str(SQS), "--provider", "aws"]) == 0
    events = json_lines(capsys.readouterr().out)
    assert [e["id"] for e in events] == [r["messageId"] for r in load(SQS)["Records"]]
    assert {e["trigger"] for e in events} == {"aws.sqs"}


@requires_samples
def test_event_reads_stdin_with_a_bom() -> None:
    result = polyfn("event", "-", stdin=b"\xef\xbb\xbf" + APIGW_V2.read_bytes())
    assert result.returncode == 0, result.stderr
    (event,) = json_lines(result.stdout)
    assert event["trigger"] == "aws.apigw.v2"
    assert result.stderr == ""


@requires_samples
def test_event_reads_stdin_in_process(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SQS.read_bytes())))
    assert main(["event", "-"]) == 0
    assert len(json_lines(capsys.readouterr().out)) == len(load(SQS)["Records"])


def test_bad_json_exits_2_with_one_line_and_no_values() -> None:
    result = polyfn("event", "-", stdin=f'{{"token": "{SECRET}",'.encode())
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "not valid JSON" in line and "line 1" in line
    assert SECRET not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("content", [b"", b"  \n", b"\xff\xfe{}"])
def test_empty_or_undecodable_input_exits_2(content: bytes, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "payload.json"
    path.write_bytes(content)
    assert main(["event", str(path)]) == 2
    one_error_line(capsys.readouterr().err)


def test_unknown_payload_exits_2_naming_keys_and_providers_not_values() -> None:
    payload = {"mystery": SECRET, "shape": {"nested": SECRET}}
    result = polyfn("event", "-", stdin=json.dumps(payload).encode())
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "[mystery, shape]" in line
    assert "aws" in line
    assert SECRET not in result.stderr


def test_explicit_provider_only_tries_that_provider(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    path = tmp_path / "payload.json"
    path.write_text('{"mystery": 1}')
    assert main(["event", str(path), "--provider", "aws"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "providers tried: aws)" in line


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = polyfn("event", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "cannot read" in one_error_line(result.stderr)


@requires_samples
def test_malformed_payload_of_a_known_trigger_exits_2(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    raw = load(APIGW_V2)
    raw.update(body=f"!!{SECRET}!!", isBase64Encoded=True)
    path = tmp_path / "bad-body.json"
    path.write_text(json.dumps(raw))
    assert main(["event", str(path)]) == 2
    err = capsys.readouterr().err
    line = one_error_line(err)
    assert "aws.apigw.v2" in line and "body" in line
    assert SECRET not in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["event", "x.json", "--provider", "nimbus"]) == 2
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    commands = out.partition("commands:")[2].split()
    assert "event" in commands and "invoke" in commands
    assert "serve" in commands and "samples" in commands


# -- polyfn invoke ---------------------------------------------------------------

@requires_samples
def test_invoke_http_handler_prints_the_api_gateway_response(
        handlers: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invoke", f"{handlers}:echo", "--event", str(APIGW_V2)]) == 0
    response = json.loads(capsys.readouterr().out)
    assert response["statusCode"] == 201
    assert response["cookies"] == ["a=1", "b=2"]
    assert json.loads(response["body"]) == {"path": load(APIGW_V2)["rawPath"]}


@requires_samples
def test_invoke_dotted_module_keeps_handler_logs_off_stdout() -> None:
    result = polyfn("invoke", QUICKSTART, "--event", str(APIGW_V2_GET))
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)  # stdout holds the response alone
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["message"] == "Hello, world!"
    assert json.loads(result.stderr.splitlines()[0])["message"] == "greeted"


@requires_samples
def test_invoke_lambda_entry_point_runs_the_handler_it_wraps(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invoke", "examples.quickstart.aws:handler", "--event", str(APIGW_V2_GET)]) == 0
    assert json.loads(capsys.readouterr().out)["statusCode"] == 200


@requires_samples
def test_invoke_raising_handler_exits_1_with_one_line_and_no_traceback(handlers: Path) -> None:
    result = polyfn("invoke", f"{handlers}:boom", "--event", str(APIGW_V2))
    assert result.returncode == 1
    assert json.loads(result.stdout)["statusCode"] == 500  # what API Gateway would return
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: RuntimeError: kaboom"]
    assert "Traceback" not in result.stderr


@requires_samples
def test_invoke_traceback_flag_prints_the_traceback(handlers: Path) -> None:
    result = polyfn("invoke", f"{handlers}:boom", "--event", str(APIGW_V2), "--traceback")
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "kaboom" in result.stderr


@requires_samples
def test_invoke_batch_reports_partial_failures_and_exits_1(
        handlers: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invoke", f"{handlers}:picky", "--event", str(SQS)]) == 1
    captured = capsys.readouterr()
    failed = [r["messageId"] for r in load(SQS)["Records"] if r["body"].startswith("{")]
    assert json.loads(captured.out) == {
        "batchItemFailures": [{"itemIdentifier": i} for i in failed]}
    assert "error: ValueError: no dicts please" in captured.err


@requires_samples
@pytest.mark.parametrize("spec, message", [
    ("no_colon", "expected MODULE:HANDLER"),
    ("polyfn_no_such_module:handle", "no module named polyfn_no_such_module"),
    ("examples.quickstart.handler:nope", "has no attribute nope"),
    ("{handlers}:not_callable", "not a function"),
    ("{missing}:handle", "no such file"),
    ("{handlers}:boom", "takes http events, but aws.sqs delivers message events"),
])
def test_invoke_bad_handler_exits_2(spec: str, message: str, handlers: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    spec = spec.format(handlers=handlers, missing=tmp_path / "missing.py")
    assert main(["invoke", spec, "--event", str(SQS)]) == 2
    assert message in one_error_line(capsys.readouterr().err)


def test_invoke_handler_module_that_fails_to_import_exits_2(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("raise ImportError('missing dependency')\n")
    event = tmp_path / "event.json"  # a payload the AWS adapter knows
    event.write_text(json.dumps({"version": "2.0", "rawPath": "/", "requestContext": {}}))
    result = polyfn("invoke", f"{tmp_path / 'broken.py'}:handle", "--event", str(event))
    assert result.returncode == 2
    assert "importing" in one_error_line(result.stderr)
    assert "ImportError: missing dependency" in result.stderr


CLOUDEVENT = {"specversion": "1.0", "id": "ce-1", "source": "/orders", "type": "com.example.made",
              "datacontenttype": "application/json", "data": {"order": 7}}


def test_invoke_other_providers_through_their_trigger_with_a_context(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ce_handlers.py").write_text(textwrap.dedent('''
        import sdk
        from sdk import Context, Event

        @sdk.function
        def show(event: Event, context: Context):
            return {"type": event.type, "data": event.data, "provider": context.provider,
                    "request_id": bool(context.request_id)}
    '''))
    event = tmp_path / "cloudevent.json"
    event.write_text(json.dumps(CLOUDEVENT))
    code = main(["invoke", f"{tmp_path / 'ce_handlers.py'}:show", "--event", str(event),
                 "--provider", "cloudevents"])
    assert code == 0, capsys.readouterr().err
    response = json.loads(capsys.readouterr().out)
    assert json.loads(response["body"]) == {"type": "com.example.made", "data": {"order": 7},
                                            "provider": "cloudevents", "request_id": True}


def test_event_survives_a_reader_that_stops_early(tmp_path: Path) -> None:
    record = {"messageId": "m", "receiptHandle": "h", "body": "x" * 200, "attributes": {},
              "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
              "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q", "awsRegion": "us-east-1"}
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"Records": [record] * 3000}))  # far more than a pipe buffer
    process = subprocess.Popen([sys.executable, "-m", "adapters.cli", "event", str(path)],
                               cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(b'{"kind":"message"')
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b""


@requires_samples
@pytest.mark.parametrize("kind, code", [("StorageEvent", 0), ("Message", 2)])
def test_invoke_checks_the_kind_a_generic_trigger_decodes_to(
        kind: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Event Grid is a trigger of generic kind; a blob-created event decodes to storage.
    (tmp_path / "kinds.py").write_text(textwrap.dedent(f'''
        import sdk
        from sdk import {kind}

        @sdk.function
        def handle(event: {kind}) -> None:
            assert event.kind == "storage"
    '''))
    event = SAMPLES / "azure" / "blob-eventgrid" / "StorageBlobCreatedEvent.json"
    assert main(["invoke", f"{tmp_path / 'kinds.py'}:handle", "--event", str(event)]) == code
    if code:
        assert "takes message events" in one_error_line(capsys.readouterr().err)


@requires_samples
@pytest.mark.parametrize("provider", ["auto", "aws"])
def test_event_imports_only_the_providers_it_needs(provider: str) -> None:
    script = textwrap.dedent(f'''
        import contextlib, io, json, sys
        from adapters.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["event", {str(APIGW_V2)!r}, "--provider", {provider!r}])
        print(json.dumps([code, sorted(m for m in sys.modules if m.startswith("adapters."))]))
    ''')
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60, check=True)
    code, modules = json.loads(result.stdout)
    assert code == 0
    assert "adapters.aws" in modules
    assert not {m for m in modules if m.split(".")[1] in ("azure", "gcp", "cloudevents")}


def test_import_failure_traceback_only_on_request(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import polyfn_missing_dependency\n")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"version": "2.0", "rawPath": "/", "requestContext": {}}))
    args = ["invoke", f"{tmp_path / 'broken.py'}:handle", "--event", str(event)]
    quiet, loud = polyfn(*args), polyfn(*args, "--traceback")
    assert quiet.returncode == loud.returncode == 2
    assert "ModuleNotFoundError" in one_error_line(quiet.stderr)
    assert "Traceback (most recent call last)" in loud.stderr
