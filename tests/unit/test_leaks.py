"""Nothing from the payload leaks: a marker value planted in payloads of every kind
never appears in polyfn's errors, problem+json bodies or log lines (stdout, stderr
and Python logging), and ``Change[Model]`` fails with DataValidationError like
every other kind."""

from __future__ import annotations

import datetime
import json
import logging
import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field

import sdk
from adapters.aws import lambda_handler
from adapters.testing import aws, azure, batch, gcp, lambda_context
from sdk import Change, DataValidationError, Message

MARK = "SECRET-7f3a"
#: Each field fails in a way whose pydantic message quotes the input.
BAD = {"id": MARK, "kind": MARK, "day": MARK, "shape": {"type": MARK}, "link": MARK}


class Square(BaseModel):
    type: Literal["square"]


class Circle(BaseModel):
    type: Literal["circle"]


class Order(BaseModel):
    id: uuid.UUID
    kind: Literal["a", "b"]
    day: datetime.date
    shape: Annotated[Square | Circle, Field(discriminator="type")]
    link: datetime.timedelta


@pytest.fixture
def logs(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
         ) -> Callable[[], str]:
    caplog.set_level(logging.DEBUG)

    def read() -> str:
        out, err = capsys.readouterr()
        return out + err + "\n".join(r.getMessage() for r in caplog.records)

    return read


def _no_mark(*texts: Any) -> None:
    for text in texts:
        assert MARK not in str(text)


# -------------------------------------------------------------- the messages


def test_validation_messages_quote_no_input() -> None:
    fn = sdk.function(_typed(Message[Order]))
    event = Message(provider="aws", trigger="aws.sqs", id="m", data=BAD)
    with pytest.raises(DataValidationError) as info:
        fn.prepare(event)
    errors = info.value.errors
    assert {tuple(e["loc"]) for e in errors} == {("id",), ("kind",), ("day",), ("shape",),
                                                  ("link",)}
    assert {e["type"] for e in errors} == {"uuid_parsing", "literal_error", "union_tag_invalid",
                                           "date_from_datetime_parsing", "time_delta_parsing"}
    _no_mark(info.value, errors)
    by_type = {e["type"]: e["msg"] for e in errors}
    assert by_type["uuid_parsing"] == "Input should be a valid UUID"
    assert by_type["literal_error"] == "Input should be 'a' or 'b'"  # the schema's values stay
    assert "'circle'" in by_type["union_tag_invalid"] and "[hidden]" in by_type["union_tag_invalid"]
    assert all(set(e) == {"loc", "type", "msg"} for e in errors)  # no input, no ctx


def test_a_validators_own_text_is_kept() -> None:
    from pydantic import field_validator

    class Checked(BaseModel):
        n: int

        @field_validator("n")
        @classmethod
        def positive(cls, value: int) -> int:
            if value <= 0:
                raise ValueError("must be positive")
            return value

    fn = sdk.function(_typed(Message[Checked]))
    with pytest.raises(DataValidationError) as info:
        fn.prepare(Message(provider="aws", trigger="aws.sqs", data={"n": -1}))
    assert info.value.errors[0]["msg"] == "Value error, must be positive"


def _typed(annotation: Any) -> Callable[..., Any]:
    def handle(event, context=None):  # type: ignore[no-untyped-def]
        return None

    handle.__annotations__ = {"event": annotation}
    return handle


# ----------------------------------------------------------------- Change[Model]


@pytest.mark.parametrize("image", ["new", "old"])
def test_change_images_fail_with_data_validation_error(image: str) -> None:
    fn = sdk.function(_typed(Change[Order]))
    good = {"id": str(uuid.uuid4()), "kind": "a", "day": "2024-05-01",
            "shape": {"type": "square"}, "link": "PT1S"}
    images = {"new": good, "old": good, image: BAD}
    event = Change(operation="update", table="orders", provider="aws",
                   trigger="aws.dynamodb.stream", id="c-1", data=good, **images)
    with pytest.raises(DataValidationError) as info:
        fn.prepare(event)
    assert info.value.trigger == "aws.dynamodb.stream" and info.value.model == "Order"
    assert {tuple(e["loc"]) for e in info.value.errors} == {
        (image, "id"), (image, "kind"), (image, "day"), (image, "shape"), (image, "link")}
    _no_mark(info.value, info.value.errors)


def test_change_validation_through_dynamodb_streams(logs: Callable[[], str]) -> None:
    handler = lambda_handler(_typed(Change[Order]))
    good = {"pk": "k-0", "id": str(uuid.uuid4()), "kind": "a", "day": "2024-05-01",
            "shape": {"type": "square"}, "link": "PT1S"}
    delivery = batch(aws.dynamodb_stream(new=good),
                                 aws.dynamodb_stream(new={"pk": "k-1", **BAD}))
    result = handler(delivery, lambda_context())
    sequence = delivery["Records"][1]["dynamodb"]["SequenceNumber"]
    assert result == {"batchItemFailures": [{"itemIdentifier": sequence}]}
    text = logs()
    assert '"error_type":"DataValidationError"' in text
    _no_mark(text)


# ------------------------------------------------------ every kind, every path


def test_http_problem_bodies_and_logs(logs: Callable[[], str]) -> None:
    handler = lambda_handler(_typed(sdk.HTTPRequest[Order]))
    for payload in (aws.apigw_v2("POST", "/o", BAD), aws.apigw_v1("POST", "/o", BAD),
                    aws.alb("POST", "/o", BAD), aws.function_url("POST", "/o", BAD),
                    aws.vpc_lattice("POST", "/o", BAD)):
        response = handler(payload, lambda_context())
        assert response["statusCode"] == 422
        problem = json.loads(response["body"])
        assert {e["type"] for e in problem["errors"]} >= {"uuid_parsing", "union_tag_invalid"}
        _no_mark(response)
    _no_mark(logs())


def test_gcp_http_problem_body(logs: Callable[[], str]) -> None:
    from adapters.gcp import http_function

    function = http_function(_typed(sdk.HTTPRequest[Order]))
    response = function(gcp.http_request("POST", "/o", BAD))
    assert response.status_code == 422
    _no_mark(response.get_data(as_text=True), logs())


@pytest.mark.parametrize("make", [
    lambda: aws.sqs(BAD), lambda: aws.kinesis(BAD), lambda: aws.kafka(BAD),
    lambda: aws.sns(BAD), lambda: aws.mq(BAD), lambda: aws.kinesis_firehose(BAD),
    lambda: aws.eventbridge(BAD),
], ids=["sqs", "kinesis", "kafka", "sns", "mq", "firehose", "eventbridge"])
def test_aws_record_failures(make: Callable[[], Any], logs: Callable[[], str]) -> None:
    handler = lambda_handler(_typed(sdk.Event[Order]))
    try:
        result = handler(make(), lambda_context())
    except Exception as exc:  # triggers without partial failure reporting raise
        _no_mark(exc, repr(exc), exc.__cause__)
    else:
        _no_mark(result)
    _no_mark(logs())


def test_azure_queue_and_service_bus(logs: Callable[[], str]) -> None:
    from adapters.azure import bind

    function = bind(_typed(Message[Order]), "msg", name="orders")
    for message in (azure.queue_message(BAD), azure.servicebus_message(BAD),
                    [azure.servicebus_message(BAD), azure.servicebus_message(BAD)]):
        with pytest.raises(DataValidationError) as info:
            function(message)
        _no_mark(info.value, info.value.errors)
    _no_mark(logs())


def test_gcp_cloudevents(logs: Callable[[], str]) -> None:
    from adapters.gcp import cloudevent_function
    from adapters.gcp._cloudevent import cloudevent_object

    function = cloudevent_function(_typed(Message[Order]))
    structured = gcp.pubsub(BAD)
    attributes = {k: v for k, v in structured.items() if k != "data"}
    with pytest.raises(DataValidationError) as info:
        function(cloudevent_object(attributes, structured["data"]))
    _no_mark(info.value, info.value.errors)
    text = logs()
    assert "DataValidationError" in text
    _no_mark(text)


def test_cloudevents_app_problem_body(logs: Callable[[], str]) -> None:
    from werkzeug.test import Client

    from adapters.cloudevents import wsgi_app

    client = Client(wsgi_app(_typed(Message[Order])))
    response = client.post("/", json=gcp.pubsub(BAD),
                           headers={"Content-Type": "application/cloudevents+json"})
    assert response.status_code == 422
    _no_mark(response.get_data(as_text=True), logs())


def test_malformed_payloads_name_keys_not_values(logs: Callable[[], str]) -> None:
    """Decode errors (not validation) on values that carry the marker."""
    handler = lambda_handler(_typed(sdk.HTTPRequest[Order]))
    payload = aws.apigw_v2("POST", "/o", "x")
    payload.update(body=f"!!{MARK}!!", isBase64Encoded=True)
    response = handler(payload, lambda_context())
    assert response["statusCode"] == 400
    _no_mark(response)
    records = lambda_handler(_typed(Message[Order]))
    stream = aws.kinesis(BAD)
    stream["Records"][0]["kinesis"]["data"] = f"{MARK}!!"
    try:
        records(stream, lambda_context())
    except Exception as exc:
        _no_mark(exc, exc.__cause__)
    _no_mark(logs())


def test_decode_errors_repeat_no_header_or_payload_text(logs: Callable[[], str]) -> None:
    """A charset the client made up, and a payload its decoder chokes on."""
    def handle(request: sdk.HTTPRequest[Any]) -> str:
        return request.text()

    handler = lambda_handler(handle)
    for charset in (MARK, f"utf\x00{MARK}"):
        payload = aws.apigw_v2("POST", "/o", "body",
                               headers={"content-type": f"text/plain; charset={charset}"})
        response = handler(payload, lambda_context())
        assert response["statusCode"] == 400
        _no_mark(response)
    latin = aws.apigw_v2("POST", "/o", "x", headers={"content-type": "text/plain"})
    latin.update(body=__import__("base64").b64encode(b"\xff" + MARK.encode()).decode(),
                 isBase64Encoded=True)
    response = handler(latin, lambda_context())
    assert response["statusCode"] == 400 and "utf-8" in response["body"]
    _no_mark(response, logs())


def test_undecodable_payload_names_the_error_type_only() -> None:
    def payload() -> bytes:
        raise ValueError(f"cannot parse {MARK}")

    event = Message(provider="aws", trigger="aws.kinesis", payload=payload)
    with pytest.raises(sdk.EventDecodeError) as info:
        event.payload_bytes_or_text()
    assert str(info.value) == "aws.kinesis: payload cannot be decoded (ValueError) (keys: data)"


def test_a_library_validators_reason_is_cut() -> None:
    """pydantic's EmailStr raises ``value is not a valid email address: {reason}``,
    and email-validator's reasons quote the offending characters."""
    from pydantic import field_validator
    from pydantic_core import PydanticCustomError

    class Contact(BaseModel):
        email: str

        @field_validator("email")
        @classmethod
        def check(cls, value: str) -> str:
            raise PydanticCustomError("value_error", "value is not a valid email address: "
                                      "{reason}", {"reason": f"bad characters in {value}"})

    fn = sdk.function(_typed(Message[Contact]))
    with pytest.raises(DataValidationError) as info:
        fn.prepare(Message(provider="aws", trigger="aws.sqs", data={"email": MARK}))
    assert info.value.errors == [{"type": "value_error", "loc": ("email",),
                                  "msg": "value is not a valid email address"}]
