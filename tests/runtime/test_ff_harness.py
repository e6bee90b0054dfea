"""Tests of the functions-framework harness (tests/support/ff_server.py) itself.

They run tiny function modules written into a temporary directory (not project code)
under the real ``python -m functions_framework`` server and pin down what
functions-framework does with each input shape Google Cloud can send.
"""

from __future__ import annotations

import base64
import json
import socket
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

try:
    from tests.support import ff_server as ffs
except ModuleNotFoundError:  # project root not on sys.path (no pytest `pythonpath = ["."]`)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.support import ff_server as ffs

pytestmark = pytest.mark.runtime

FUNCTIONS = textwrap.dedent(
    '''
    """Throw-away functions for the harness tests."""
    import base64
    import json
    import os
    import sys

    import sdk  # the project root must be importable (PYTHONPATH)


    def echo(request):
        print(f"echo-stdout {request.method} {request.path}")
        print("echo-stderr", file=sys.stderr)
        body = {
            "method": request.method,
            "path": request.path,
            "query": request.args.to_dict(),
            "header": request.headers.get("X-Test-Header"),
            "content_type": request.content_type,
            "body": request.get_data(as_text=True),
            "cwd": os.getcwd(),
            "sdk_path": list(sdk.__path__),
        }
        return body, 201, {"X-Echo": "yes"}


    def boom(request):
        raise RuntimeError("kaboom-internal-detail")


    def record(cloud_event):
        data = cloud_event.data
        if isinstance(data, bytes):
            data = {"__bytes_b64__": base64.b64encode(data).decode("ascii")}
        line = {"attributes": dict(cloud_event.get_attributes()), "data": data}
        with open(os.environ["CE_RECORD_FILE"], "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\\n")
    '''
)


@pytest.fixture(scope="module")
def functions_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("ff_functions")
    (directory / "main.py").write_text(FUNCTIONS, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def http_server(functions_dir: Path) -> Iterator[ffs.FunctionsFramework]:
    # cwd is the temp dir: importing ``sdk`` must work through PYTHONPATH alone.
    with ffs.FunctionsFramework(functions_dir / "main.py", "echo", cwd=functions_dir) as ff:
        yield ff


class Recorder:
    """Reads what the ``record`` cloudevent function wrote."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen = 0

    def last(self) -> dict[str, Any]:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == self.seen + 1, "expected exactly one new invocation"
        self.seen = len(lines)
        record: dict[str, Any] = json.loads(lines[-1])
        return record


CEServer = tuple[ffs.FunctionsFramework, Recorder]


@pytest.fixture(scope="module")
def ce_server(functions_dir: Path) -> Iterator[CEServer]:
    record_file = functions_dir / "records.jsonl"
    record_file.touch()
    with ffs.FunctionsFramework(
        functions_dir / "main.py",
        "record",
        signature_type="cloudevent",
        env={"CE_RECORD_FILE": str(record_file)},
    ) as ff:
        yield ff, Recorder(record_file)


# ----------------------------------------------------------------------------- HTTP


def test_http_echo_round_trip(http_server: ffs.FunctionsFramework) -> None:
    assert http_server.url.startswith("http://127.0.0.1:")
    status, headers, body = http_server.post(
        "/some/path?x=1", {"k": "v"}, {"X-Test-Header": "hdr-value"}
    )
    assert status == 201
    assert headers["x-echo"] == "yes"  # header names are lower-cased
    assert headers["content-type"] == "application/json"
    echoed = json.loads(body)
    assert echoed["method"] == "POST"
    assert echoed["path"] == "/some/path"
    assert echoed["query"] == {"x": "1"}
    assert echoed["header"] == "hdr-value"
    assert echoed["content_type"] == "application/json"
    assert json.loads(echoed["body"]) == {"k": "v"}
    assert echoed["sdk_path"] == [str(ffs.PROJECT_ROOT / "sdk")]
    assert Path(echoed["cwd"]).resolve() == http_server.source.parent.resolve()


def test_http_get_and_body_encodings(http_server: ffs.FunctionsFramework) -> None:
    response = http_server.get("/")
    assert response.status == 201
    assert response.json()["method"] == "GET"
    assert response.json()["content_type"] is None

    # An empty POST sends no Content-Type (urllib would add a form-urlencoded one).
    assert http_server.post("/").json()["content_type"] is None
    text = http_server.post("/", "héllo").json()
    assert (text["content_type"], text["body"]) == ("text/plain; charset=utf-8", "héllo")
    raw = http_server.post("/", b"raw", {"Content-Type": "application/x-custom"}).json()
    assert (raw["content_type"], raw["body"]) == ("application/x-custom", "raw")


def test_http_4xx_is_returned_not_raised(http_server: ffs.FunctionsFramework) -> None:
    # functions-framework reserves these two paths for HTTP functions.
    for path in ("/favicon.ico", "/robots.txt"):
        status, _, body = http_server.get(path)
        assert status == 404
        assert b"Not Found" in body


def test_captured_logs(http_server: ffs.FunctionsFramework) -> None:
    http_server.post("/log-me")
    http_server.wait_for_output("echo-stdout POST /log-me", stream="stdout")
    assert "echo-stderr" in http_server.wait_for_output("echo-stderr", stream="stderr")


def test_exception_gives_500_crash(functions_dir: Path) -> None:
    with ffs.FunctionsFramework(functions_dir / "main.py", "boom") as ff:
        status, headers, body = ff.post("/", {"x": 1})
        # functions-framework's crash_handler: str(InternalServerError), status 500 and
        # X-Google-Status: crash.  The exception text never reaches the client...
        assert status == 500
        assert headers["x-google-status"] == "crash"
        assert body == (
            b"500 Internal Server Error: The server encountered an internal error and was"
            b" unable to complete your request. Either the server is overloaded or there"
            b" is an error in the application."
        )
        assert b"kaboom" not in body
        # ...it is logged (Flask's app.logger) with the traceback on stderr.
        stderr = ff.wait_for_output("kaboom-internal-detail", stream="stderr")
        assert "ERROR in app: Exception on / [POST]" in stderr
        assert "RuntimeError: kaboom-internal-detail" in stderr


# ----------------------------------------------------------------------- CloudEvents


def test_binary_cloudevent(ce_server: CEServer) -> None:
    ff, recorder = ce_server
    attributes = {
        "id": "bin-1",
        "type": "com.example.binary",
        "source": "//example/source",
        "subject": "things/1",
        "time": "2024-01-02T03:04:05Z",
        "myext": "ext-value",
    }
    status, _, body = ff.send_binary_cloudevent(attributes, {"a": 1})
    assert (status, body) == (200, b"OK")
    record = recorder.last()
    assert record["attributes"] == {
        **attributes,
        "specversion": "1.0",
        "datacontenttype": "application/json",  # from the Content-Type header
    }
    assert record["data"] == {"a": 1}


def test_binary_cloudevent_bytes_data(ce_server: CEServer) -> None:
    ff, recorder = ce_server
    assert ff.send_binary_cloudevent({"id": "bin-2"}, b"\x00\xff").status == 200
    record = recorder.last()
    assert record["attributes"]["datacontenttype"] == "application/octet-stream"
    assert record["data"] == {"__bytes_b64__": base64.b64encode(b"\x00\xff").decode()}


def test_structured_cloudevent(ce_server: CEServer) -> None:
    ff, recorder = ce_server
    attributes = {
        "id": "str-1",
        "type": "com.example.structured",
        "source": "//example/source",
        "subject": "things/2",
        "time": "2024-01-02T03:04:05Z",
    }
    assert ff.send_structured_cloudevent(attributes, {"b": [1, 2]}).status == 200
    record = recorder.last()
    # No datacontenttype: the cloudevents library does not add one in structured mode.
    assert record["attributes"] == {**attributes, "specversion": "1.0"}
    assert record["data"] == {"b": [1, 2]}

    # bytes travel as data_base64 and arrive as bytes again.
    assert ff.send_structured_cloudevent({"id": "str-2"}, b"\x01\x02").status == 200
    assert recorder.last()["data"] == {"__bytes_b64__": "AQI="}


def test_legacy_pubsub_background_event_is_converted(
    ce_server: CEServer,
) -> None:
    ff, recorder = ce_server
    message = ffs.pubsub_message({"hello": "world"}, {"attr": "1"}, message_id="legacy-1")
    event = ffs.pubsub_background_event(
        message, "projects/p/topics/t", timestamp="2024-05-06T07:08:09.123Z"
    )
    assert event["context"]["eventType"] == "google.pubsub.topic.publish"
    assert ff.send_background_event(event).status == 200
    record = recorder.last()
    assert record["attributes"] == {
        "specversion": "1.0",
        "id": "legacy-1",  # context.eventId
        "time": "2024-05-06T07:08:09.123Z",  # context.timestamp
        "type": "google.cloud.pubsub.topic.v1.messagePublished",
        "source": "//pubsub.googleapis.com/projects/p/topics/t",  # no subject
        "datacontenttype": "application/json",
    }
    # data becomes {"message": ...} with messageId/publishTime copied from the context.
    assert record["data"] == {
        "message": {
            "@type": ffs.PUBSUB_MESSAGE_TYPE,
            "data": message["data"],
            "attributes": {"attr": "1"},
            "messageId": "legacy-1",
            "publishTime": "2024-05-06T07:08:09.123Z",
        }
    }
    payload = base64.b64decode(record["data"]["message"]["data"])
    assert json.loads(payload) == {"hello": "world"}


def test_legacy_pubsub_string_resource_is_converted(
    ce_server: CEServer,
) -> None:
    ff, recorder = ce_server
    event = ffs.background_event(
        "providers/cloud.pubsub/eventTypes/topic.publish",
        "projects/p/topics/old",
        {"data": "aGk=", "attributes": {}},
        event_id="legacy-2",
    )
    assert ff.send_background_event(event).status == 200
    record = recorder.last()
    assert record["attributes"]["type"] == "google.cloud.pubsub.topic.v1.messagePublished"
    assert record["attributes"]["source"] == "//pubsub.googleapis.com/projects/p/topics/old"
    assert record["data"]["message"] == {
        "data": "aGk=",
        "attributes": {},
        "messageId": "legacy-2",
        "publishTime": event["context"]["timestamp"],
    }


def test_raw_pubsub_push_is_converted(ce_server: CEServer) -> None:
    ff, recorder = ce_server
    message = ffs.pubsub_message(b"payload", {"k": "v"}, message_id="push-1")
    assert ff.send_pubsub_push(message, "projects/p/subscriptions/s").status == 200
    record = recorder.last()
    assert record["attributes"] == {
        "specversion": "1.0",
        "id": "push-1",  # message.messageId
        "time": message["publishTime"],
        "type": "google.cloud.pubsub.topic.v1.messagePublished",
        # The topic is not in a push body; it is only taken from the URL path.
        "source": "//pubsub.googleapis.com/",
        "datacontenttype": "application/json",
    }
    # The subscription is dropped; the message gains an "@type".
    assert record["data"] == {
        "message": {
            "@type": ffs.PUBSUB_MESSAGE_TYPE,
            "data": base64.b64encode(b"payload").decode(),
            "attributes": {"k": "v"},
            "messageId": "push-1",
            "publishTime": message["publishTime"],
        }
    }


def test_raw_pubsub_push_topic_from_path_and_default_time(
    ce_server: CEServer,
) -> None:
    ff, recorder = ce_server
    message = ffs.pubsub_message("x", message_id="push-2", publish_time=None)
    assert "publishTime" not in message
    response = ff.send_pubsub_push(message, path="/projects/p/topics/t2?token=abc")
    assert response.status == 200
    record = recorder.last()
    assert record["attributes"]["source"] == "//pubsub.googleapis.com/projects/p/topics/t2"
    # Missing publishTime: functions-framework uses the server's utcnow() + "Z".
    time = record["attributes"]["time"]
    assert time.endswith("Z")
    assert record["data"]["message"]["publishTime"] == time
    assert "subject" not in record["attributes"]


def test_unconvertible_body_gives_400(ce_server: CEServer) -> None:
    ff, recorder = ce_server
    status, headers, body = ff.post("/", {"foo": 1})
    assert status == 400
    assert headers["content-type"].startswith("text/html")
    # Flask HTML page that echoes the request headers and body back.
    assert b"parsing CloudEvent failed and converting from background event" in body
    assert b"MissingRequiredFields" in body
    assert b"Unable to find CloudEvent equivalent type" in body

    assert ff.post("/", b"{not json", {"Content-Type": "application/json"}).status == 400
    assert ff.get("/").status == 405  # cloudevent functions only route POST
    assert recorder.path.read_text(encoding="utf-8").count("\n") == recorder.seen


# --------------------------------------------------------------------------- builders


def test_builders_shapes() -> None:
    headers, body = ffs.binary_cloudevent({"id": "1", "type": "t", "source": "s"}, "text")
    assert headers["ce-id"] == "1"
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert body == b"text"  # not JSON-quoted

    headers, body = ffs.structured_cloudevent({"id": "1", "type": "t", "source": "s"}, {"a": 1})
    assert headers["content-type"] == "application/cloudevents+json"
    assert json.loads(body)["data"] == {"a": 1}


# ------------------------------------------------------------------------- lifecycle


def test_startup_failure_reports_stderr(functions_dir: Path) -> None:
    ff = ffs.FunctionsFramework(functions_dir / "main.py", "no_such_function")
    with pytest.raises(ffs.FunctionsFrameworkError) as excinfo:
        ff.start()
    message = str(excinfo.value)
    assert "exited with code" in message
    assert "no_such_function" in message  # functions-framework's MissingTargetException
    assert not ff.running


def test_stop_terminates_the_server(functions_dir: Path) -> None:
    ff = ffs.FunctionsFramework(functions_dir / "main.py", "echo")
    with ff:
        assert ff.running
        host, port = ff.host, ff.port
        assert ff.get("/").status == 201
    assert not ff.running
    assert ff.returncode is not None
    with pytest.raises(OSError), socket.create_connection((host, port), timeout=1):
        pass
    assert "echo-stdout GET /" in ff.stdout  # output stays readable after stop()
    assert ff.stop() == ff.returncode  # idempotent
