"""Issue 11, Azure, Google Cloud and CloudEvents: the bad inputs the issue names get
polyfn's own errors and answers (400/415/422 problem+json on HTTP), and a
camelCase ``specVersion`` is refused saying why."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

import adapters.azure as azure
import adapters.cloudevents as cloudevents
import adapters.gcp as gcp
import sdk
from adapters.testing import gcp as gcp_inputs
from sdk import Event, HTTPRequest, Message
from sdk.errors import EventDecodeError, UnsupportedEventError
from tests.support import azure_inputs as ai
from tests.support.mutate import DEEP, deep

DEEP_TEXT = "[" * DEEP + "]" * DEEP


@sdk.function
def read(event: Event) -> None:
    event.to_dict()


@sdk.function
def body(request: HTTPRequest) -> Any:
    return {"data": request.json()}


# -- specVersion in camelCase: refused, saying why -------------------------------------------

@pytest.mark.parametrize("spelling", ["specVersion", "SpecVersion", "SPECVERSION"])
def test_camel_case_specversion_is_refused_with_the_reason(spelling: str) -> None:
    raw = {spelling: "1.0", "id": "1", "source": "//s", "type": "t", "data": {}}
    for module in (cloudevents, gcp):
        with pytest.raises(UnsupportedEventError) as caught:
            module.decode(raw)
        assert f"CloudEvents attribute names are lower-case: {spelling!r} is not " \
               "'specversion'" in str(caught.value)


def test_binary_mode_header_names_are_case_insensitive() -> None:
    message = cloudevents.HTTPMessage({"Ce-SpecVersion": "1.0", "Ce-Id": "1", "Ce-Source": "//s",
                                       "Ce-Type": "t", "Content-Type": "text/plain"}, b"hi")
    (event,) = cloudevents.decode(message)
    assert (event.id, event.data) == ("1", "hi")


# -- JSON 5,000 deep ------------------------------------------------------------------------------

def test_deep_data_in_a_gcp_legacy_event_is_a_decode_error() -> None:
    """functions-framework's conversion copies the payload: RecursionError before."""
    raw = {"context": {"eventId": "1", "timestamp": "2024-05-01T12:00:00Z",
                       "eventType": "google.storage.object.finalize",
                       "resource": {"service": "storage.googleapis.com",
                                    "name": "projects/_/buckets/b/objects/o",
                                    "type": "storage#object"}},
           "data": deep("dict")}
    with pytest.raises(EventDecodeError, match=r"^gcp\.background: payload is nested too "
                                               r"deeply \(RecursionError\)"):
        gcp.decode(raw)


def test_deep_data_in_a_cloudevent_has_no_json_form() -> None:
    raw = {"specversion": "1.0", "id": "1", "source": "//s", "type": "t", "data": deep()}
    (event,) = cloudevents.decode(raw)
    with pytest.raises(EventDecodeError, match=r"^cloudevents: payload is nested too deeply"):
        event.to_dict()


def test_deep_json_bodies_answer_400_on_every_http_entry_point() -> None:
    request = gcp_inputs.http_request("POST", "/", DEEP_TEXT,
                                      headers={"content-type": "application/json"})
    response = gcp.http_function(body)(request)
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    azure_request = ai.http_request("POST", "https://app.azurewebsites.net/api/x",
                                    headers={"content-type": "application/json"},
                                    body=DEEP_TEXT)
    answer = azure.bind(body)(azure_request)
    assert answer.status_code == 400 and answer.mimetype == "application/problem+json"
    assert "nested too deeply" in json.loads(answer.get_body())["detail"]


def test_a_deep_pubsub_push_body_is_a_400_for_a_message_handler() -> None:
    @sdk.function
    def handle(message: Message) -> None:
        message.to_dict()

    push = gcp_inputs.pubsub_push({"id": 1})
    push["message"]["attributes"] = deep("dict")
    request = gcp_inputs.http_request("POST", "/", _deep_json(push),
                                      headers={"content-type": "application/json"})
    response = gcp.http_function(handle)(request)
    assert response.status_code == 400


def _deep_json(push: dict[str, Any]) -> str:
    """json.dumps cannot write 5,000 levels: the attributes go in as text."""
    shallow = dict(push, message=dict(push["message"], attributes={}))
    text = json.dumps(shallow)
    return text.replace('"attributes": {}', '"attributes": ' + '{"a":' * DEEP + "1" + "}" * DEEP)


def test_a_deep_pubsub_message_id_is_a_decode_error_not_a_crash_in_the_log_line() -> None:
    """CI's fuzz found it: a nested ``messageId`` became the event id, and the
    failure line for a model handler recursed turning it into text."""
    from cloudevents.http import CloudEvent

    @sdk.function
    def handle(message: Message) -> None:
        message.to_dict()

    data = {"message": {"data": "e30=", "messageId": deep()},
            "subscription": "projects/p/subscriptions/s"}
    event = CloudEvent({"type": "google.cloud.pubsub.topic.v1.messagePublished",
                        "source": "//pubsub.googleapis.com/projects/p/topics/t", "id": "1"}, data)
    with pytest.raises(EventDecodeError, match=r"^gcp\.pubsub: message\.messageId must be a "
                                               r"string \(keys: message\.messageId\)$"):
        gcp.cloudevent_function(handle)(event)


@pytest.mark.parametrize("value", [deep(), deep("dict"), {"a": 1}, [1]])
def test_cloudevent_library_objects_get_the_attribute_checks_of_the_json_form(value: Any
                                                                              ) -> None:
    """The ``cloudevents`` library takes any value for any attribute; the CloudEvents
    type system has no objects or arrays, and the required ones are strings."""
    from cloudevents.http import CloudEvent

    event = CloudEvent({"type": "t", "source": "//s", "id": "1", "subject": value}, {})
    with pytest.raises(EventDecodeError, match=r"attribute values are strings, numbers or "
                                               r"booleans.*\(keys: subject\)$"):
        gcp.decode(event)
    nameless = CloudEvent({"type": "t", "source": "//s", "id": "1"}, {})
    nameless._attributes["id"] = value  # the library's own check only wants it present
    with pytest.raises(EventDecodeError, match=r"required attributes.*\(keys: id\)$"):
        gcp.decode(nameless)


def test_a_record_whose_key_is_not_text_is_named_by_its_position() -> None:
    from sdk.adapter import Record

    record = Record(deep(), [], position="3")
    assert record.label == "3"


@pytest.mark.parametrize("sequencer", [deep(), deep("dict"), 7])
def test_an_s3_record_is_named_by_its_text_ids_only(sequencer: Any,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The failure line names an S3 record by request id and sequencer; a sequencer
    that is not text is left out of the label (formatting one 5,000 deep was a
    RecursionError out of the entry point)."""
    import adapters.aws as aws
    from adapters.testing import aws as aws_inputs

    raw = aws_inputs.s3("k", bucket="b")
    raw["Records"][0]["s3"]["object"]["sequencer"] = sequencer
    request_id = raw["Records"][0]["responseElements"]["x-amz-request-id"]

    @sdk.function
    def fail(event: Event) -> None:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):  # S3 invokes asynchronously: a failure raises
        aws.lambda_handler(fail)(raw, None)
    assert f'"record":"{request_id}/None"' in capsys.readouterr().out


# -- headers: NUL bytes, values that are lists, lone surrogates -----------------------------------

def _wsgi(app: Any, headers: dict[str, str], payload: bytes) -> tuple[int, str, bytes]:
    environ = {"REQUEST_METHOD": "POST", "wsgi.input": io.BytesIO(payload),
               "CONTENT_LENGTH": str(len(payload)), "PATH_INFO": "/"}
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        seen["status"] = int(status.split()[0])
        seen["type"] = dict(response_headers).get("Content-Type", "")

    answer = b"".join(app(environ, start_response))
    return seen["status"], seen["type"], answer


def test_nul_bytes_in_binary_mode_headers() -> None:
    app = cloudevents.wsgi_app(read)
    headers = {"ce-specversion": "1.0", "ce-id": "a\x00b", "ce-source": "//s", "ce-type": "t",
               "ce-x\x00y": "v", "content-type": "application/json"}
    status, _, _ = _wsgi(app, headers, b"{}")
    assert status == 204
    headers["ce-time"] = "2024-05-01T12:00:00Z\x00"
    status, content_type, answer = _wsgi(app, headers, b"{}")
    assert status == 400 and content_type == "application/problem+json"
    assert json.loads(answer)["detail"].startswith("cloudevents.http: time is not")


def test_a_lone_surrogate_in_an_event_id_still_gets_its_answer() -> None:
    """The 500/400 answer names the event id; one holding "\\ud800" made the answer
    itself fail to encode (UnicodeEncodeError) before."""
    @sdk.function
    def fails(event: Event) -> None:
        raise RuntimeError("boom")

    batch = [{"specversion": "1.0", "id": f"x{i}\ud800", "source": "//s", "type": "t"}
             for i in range(2)]
    answer = cloudevents.detect(batch).invoke(fails, batch, _context())
    assert answer["status"] == 500
    assert json.loads(answer["body"])["failed"] == ["x0\ud800", "x1\ud800"]


def _context() -> Any:
    from sdk import Context

    return Context(provider="cloudevents", request_id="r-1")


@pytest.mark.parametrize("value", [["a"], [["a"]], {"a": 1}, 7, None])
def test_azure_event_grid_fields_of_the_wrong_type(value: Any) -> None:
    raw = {"id": "1", "eventType": "Microsoft.Storage.BlobCreated", "subject":
           "/blobServices/default/containers/c/blobs/b", "eventTime": "2024-05-01T12:00:00Z",
           "dataVersion": "1", "data": {"url": "https://a.blob.core.windows.net/c/b"},
           "topic": "/subscriptions/x/resourceGroups/g/providers/Microsoft.Storage/"
                    "storageAccounts/a"}
    for key in ("subject", "eventTime", "data", "topic"):
        item = dict(raw, **{key: value})
        try:
            for event in azure.decode(item):
                event.to_dict()
        except (EventDecodeError, UnsupportedEventError) as exc:
            assert str(exc).startswith("azure")
