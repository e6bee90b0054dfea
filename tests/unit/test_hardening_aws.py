"""Issue 11, AWS: each bad input the issue names gets polyfn's own answer.

Wrong types, huge numbers, lone surrogates, NUL bytes, header values that are
``[]`` or nested lists, bad base64, JSON 5,000 deep, strings where lists are
expected; Kafka headers in Java's signed bytes and Firehose records from MSK are
valid input and decode. Through ``adapters.aws.decode`` and ``lambda_handler`` as
Lambda calls it.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

import sdk
from adapters.aws import decode, lambda_handler
from adapters.testing import aws
from sdk import Event, HTTPRequest, Message, testing
from sdk.errors import BatchFailedError, EventDecodeError, UnsupportedEventError
from tests.support.mutate import deep

HUGE = (float("inf"), 10**400, -(10**400), float("nan"))


def problem(answer: dict[str, Any]) -> dict[str, Any]:
    content_type = (answer.get("headers") or {}).get("Content-Type") or (
        answer.get("multiValueHeaders") or {}).get("Content-Type", [None])[0]
    assert content_type == "application/problem+json"
    return json.loads(answer["body"])  # type: ignore[no-any-return]


@sdk.function
def echo(request: HTTPRequest) -> dict[str, Any]:
    return {"headers": request.headers.to_dict(), "x": request.headers.get_all("x"),
            "data": request.data if not isinstance(request.data, bytes) else None}


@sdk.function
def read(event: Event) -> None:
    event.to_dict()


# -- huge numbers in timestamps and sizes -------------------------------------------------

@pytest.mark.parametrize("huge", HUGE)
def test_huge_timestamps_are_no_time(huge: Any) -> None:
    sqs = aws.sqs({"id": 1})
    sqs["Records"][0]["attributes"]["SentTimestamp"] = huge
    kinesis = aws.kinesis({"id": 1})
    kinesis["Records"][0]["kinesis"]["approximateArrivalTimestamp"] = huge
    http = aws.apigw_v2("GET", "/")
    http["requestContext"]["timeEpoch"] = huge
    for raw in (sqs, kinesis, http):
        (event,) = decode(raw)
        assert event.time is None  # a field the provider sent unreadably is unknown
        event.to_dict()


@pytest.mark.parametrize("huge", HUGE)
def test_huge_sizes_decode_or_fail_clearly(huge: Any) -> None:
    raw = aws.s3("a.txt")
    raw["Records"][0]["s3"]["object"]["size"] = huge
    (event,) = decode(raw)
    assert event.size is None or event.size == huge or event.size != event.size  # NaN
    event.to_dict()
    try:
        lambda_handler(read)(raw, None)
    except (EventDecodeError, BatchFailedError) as exc:  # never a bare ValueError
        assert isinstance(exc.__cause__ or exc, EventDecodeError)


def test_an_int_past_4300_digits_in_a_header_is_a_400() -> None:
    raw = aws.apigw_v1("GET", "/")
    raw["multiValueHeaders"] = {"x": [10**5000]}
    answer = lambda_handler(echo)(raw, None)
    assert answer["statusCode"] == 400
    assert problem(answer)["detail"].startswith("aws.apigw.v1: headers must map names to text")


# -- lone surrogates and NUL bytes ---------------------------------------------------------

def test_lone_surrogate_in_a_body_is_a_400() -> None:
    raw = aws.apigw_v2("POST", "/", "x")
    raw["body"] = "{\"a\": \"\ud800\"}"
    answer = lambda_handler(echo)(raw, None)
    assert answer["statusCode"] == 400
    assert problem(answer)["detail"] == ("aws.apigw.v2: body is not valid Unicode text "
                                        "(keys: body)")


def test_lone_surrogates_in_keys_and_header_values_pass_as_text() -> None:
    raw = aws.apigw_v2("GET", "/")
    raw["headers"] = {"x": "\ud800", "k\ud800": "v"}
    answer = lambda_handler(echo)(raw, None)
    assert answer["statusCode"] == 200


def test_nul_bytes_in_header_names_and_values_are_kept() -> None:
    raw = aws.apigw_v1("GET", "/")
    raw["multiValueHeaders"] = {"x": ["a\x00b"], "n\x00m": ["v"]}
    raw["headers"] = {}
    answer = lambda_handler(echo)(raw, None)
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"])["x"] == ["a\x00b"]


# -- header values that are [] or nested lists (IndexError -> 500 before) ------------------

def test_a_header_sent_with_no_values_is_absent() -> None:
    raw = aws.apigw_v1("GET", "/")
    raw["multiValueHeaders"] = {"x": [], "y": ["1"]}
    answer = lambda_handler(echo)(raw, None)
    assert answer["statusCode"] == 200
    body = json.loads(answer["body"])
    assert body["x"] == [] and "x" not in body["headers"]
    (event,) = decode(raw)
    with pytest.raises(KeyError):
        event.headers["x"]  # a mapping's own KeyError, never an IndexError


@pytest.mark.parametrize("value", [[["a"]], [{"a": 1}], {"a": "b"}, [[]]])
def test_nested_header_values_are_a_400(value: Any) -> None:
    raw = aws.apigw_v1("GET", "/")
    raw["multiValueHeaders"] = {"x": value}
    answer = lambda_handler(echo)(raw, None)
    assert answer["statusCode"] == 400
    assert "headers" in problem(answer)["detail"]


@pytest.mark.parametrize("headers", ["text", 7, ["a", "b"]])
def test_headers_that_are_no_object_are_a_400(headers: Any) -> None:
    for raw in (aws.apigw_v1("GET", "/"), aws.alb("GET", "/"), aws.vpc_lattice("GET", "/")):
        raw["headers"] = headers
        raw.pop("multiValueHeaders", None)
        answer = lambda_handler(echo)(raw, None)
        assert answer["statusCode"] == 400, raw


# -- wrong types at every level --------------------------------------------------------------

@pytest.mark.parametrize("wrong", [None, 1, "x", [], {}, [1], True])
def test_wrong_types_in_a_record_are_decode_errors(wrong: Any) -> None:
    for build, path in ((lambda: aws.sqs({"id": 1}), ("Records", 0, "attributes")),
                        (lambda: aws.sqs({"id": 1}), ("Records", 0, "messageAttributes")),
                        (lambda: aws.kinesis({"id": 1}), ("Records", 0, "kinesis")),
                        (lambda: aws.dynamodb_stream({"id": 1}), ("Records", 0, "dynamodb")),
                        (lambda: aws.s3("a"), ("Records", 0, "s3")),
                        (lambda: aws.sns({"id": 1}), ("Records", 0, "Sns")),
                        (lambda: aws.eventbridge({"id": 1}), ("detail",))):
        raw = build()
        parent = raw
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = wrong
        try:
            for event in decode(raw):
                event.to_dict()
        except (EventDecodeError, UnsupportedEventError):
            pass
        try:
            lambda_handler(read)(raw, None)
        except (EventDecodeError, UnsupportedEventError, BatchFailedError) as exc:
            cause = exc.__cause__ or exc
            assert isinstance(cause, (EventDecodeError, UnsupportedEventError)), path


@pytest.mark.parametrize("records", [None, 5, "abc", {"a": 1}])
def test_records_that_are_no_list(records: Any) -> None:
    raw = aws.sqs({"id": 1})
    raw["Records"] = records
    with pytest.raises((EventDecodeError, UnsupportedEventError)):
        decode(raw)


# -- invalid base64 ---------------------------------------------------------------------------

def test_invalid_base64_body_is_a_400() -> None:
    raw = aws.apigw_v2("POST", "/", "x")
    raw.update(body="!!not base64!!", isBase64Encoded=True)
    answer = lambda_handler(echo)(raw, None)
    assert answer["statusCode"] == 400
    assert "base64" in problem(answer)["detail"]


@pytest.mark.parametrize("handler", ["record", "list"])
def test_invalid_base64_fails_its_record_alone(handler: str) -> None:
    """Kinesis and Kafka: the malformed record is reported, the others handled, the
    same for a per-record and a list[Message] handler (which never gets it)."""
    seen: list[Any] = []

    @sdk.function
    def one(message: Message) -> None:
        seen.append(message.data)

    @sdk.function
    def whole(messages: list[Message]) -> None:
        seen.extend(m.data for m in messages)

    fn = one if handler == "record" else whole
    kinesis = testing.batch(aws.kinesis({"id": 1}), aws.kinesis({"id": 2}))
    kinesis["Records"][1]["kinesis"]["data"] = "!!!"
    bad = kinesis["Records"][1]["kinesis"]["sequenceNumber"]
    answer = lambda_handler(fn)(kinesis, None)
    assert answer == {"batchItemFailures": [{"itemIdentifier": bad}]}
    assert seen == [{"id": 1}]
    del seen[:]

    kafka = aws.kafka({"id": 1})
    (items,) = kafka["records"].values()
    items.append(dict(items[0], offset=items[0]["offset"] + 1))
    items.append(dict(items[0], offset=items[0]["offset"] + 2, value="!!!"))
    answer = lambda_handler(fn)(kafka, None)
    assert answer == {"batchItemFailures": [{"itemIdentifier": {
        "partition": f"{items[0]['topic']}-{items[0]['partition']}",
        "offset": items[0]["offset"] + 2}}]}
    assert seen == [{"id": 1}, {"id": 1}]


# -- 5,000 deep --------------------------------------------------------------------------------

def test_json_5000_deep_in_a_body_is_a_400() -> None:
    raw = aws.apigw_v2("POST", "/", "x")
    raw["body"] = "[" * 5000 + "]" * 5000
    answer = lambda_handler(echo)(raw, None)
    assert answer["statusCode"] == 400
    assert problem(answer)["detail"] == ("aws.apigw.v2: data is nested too deeply to decode "
                                        "(keys: data)")


def test_a_5000_deep_value_has_no_json_form() -> None:
    (event,) = decode(aws.eventbridge(deep("dict")))
    with pytest.raises(EventDecodeError, match=r"^aws\.eventbridge: payload is nested too "
                                               r"deeply \(RecursionError\) \(keys: data\)"):
        event.to_dict()
    (message,) = decode(aws.sqs("[" * 5000 + "]" * 5000))
    with pytest.raises(EventDecodeError, match="nested too deeply"):
        _ = message.data


# -- strings where lists are expected, never iterated per character -----------------------------

def test_mq_messages_as_a_string_is_refused_at_once() -> None:
    raw = aws.mq({"id": 1})
    raw["messages"] = "x" * 1_000_000
    started = time.perf_counter()
    with pytest.raises(EventDecodeError, match=r"^aws\.mq: messages must be a list"):
        decode(raw)
    assert time.perf_counter() - started < 0.5
    rabbit = aws.mq({"id": 1}, broker="rabbitmq")
    (name,) = rabbit["rmqMessagesByQueue"]
    rabbit["rmqMessagesByQueue"][name] = "x" * 1_000_000
    with pytest.raises(EventDecodeError, match="rmqMessagesByQueue must be"):
        decode(rabbit)


def test_alb_multi_value_query_as_a_string_is_a_400() -> None:
    raw = aws.alb("GET", "/", query={"a": ["1", "2"]}, multi_value=True)
    raw["multiValueQueryStringParameters"] = {"a": "x" * 1_000_000}
    started = time.perf_counter()
    answer = lambda_handler(echo)(raw, None)
    assert time.perf_counter() - started < 0.5
    assert answer["statusCode"] == 400
    assert "multiValueQueryStringParameters" in problem(answer)["detail"]


# -- valid input that used to fail ------------------------------------------------------------

def test_kafka_headers_in_java_signed_bytes_decode() -> None:
    raw = aws.kafka({"id": 1})
    (items,) = raw["records"].values()
    # "é" is C3 A9: Java's signed bytes are -61, -87; unsigned bytes still read.
    items[0]["headers"] = [{"note": [-61, -87]}, {"plain": [104, 105]}, {"hi": [195, 169]}]
    (message,) = decode(raw)
    assert message.attributes == {"note": "é", "plain": "hi", "hi": "é"}


@pytest.mark.parametrize("value", [[300], [-129], ["a"], [True], "bytes", [[1]]])
def test_kafka_header_values_that_are_no_bytes_fail_the_record(value: Any) -> None:
    raw = aws.kafka({"id": 1})
    (items,) = raw["records"].values()
    items[0]["headers"] = [{"h": value}]
    with pytest.raises(EventDecodeError, match=r"^aws\.kafka: "):
        decode(raw)


def _firehose_msk(values: list[bytes]) -> dict[str, Any]:
    return {
        "invocationId": "inv-1", "deliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:"
        "deliverystream/msk-stream", "sourceMSKArn": "arn:aws:kafka:us-east-1:123456789012:"
        "cluster/orders/abc", "region": "us-east-1",
        "records": [{"recordId": f"r{i}", "approximateArrivalTimestamp": 1716369573887,
                     "mskRecordMetadata": {"offset": str(i), "partitionId": "1",
                                           "approximateArrivalTimestamp": 1716369573887},
                     "kafkaRecordValue": base64.b64encode(v).decode()}
                    for i, v in enumerate(values)],
    }


def test_firehose_records_from_msk_decode_and_answer_in_kind() -> None:
    raw = _firehose_msk([b'{"id": 1}', b"plain"])
    events = decode(raw)
    assert [e.data for e in events] == [{"id": 1}, "plain"]
    assert events[0].attributes["source_msk_arn"].endswith("cluster/orders/abc")
    assert (events[1].attributes["offset"], events[1].attributes["partition"]) == ("1", "1")

    @sdk.function
    def upper(event: Event) -> Any:
        return None if isinstance(event.data, dict) else event.data.upper()

    answer = lambda_handler(upper)(raw, None)
    assert answer == {"records": [
        {"recordId": "r0", "result": "Ok", "kafkaRecordValue": raw["records"][0][
            "kafkaRecordValue"]},
        {"recordId": "r1", "result": "Ok", "kafkaRecordValue": base64.b64encode(b"PLAIN")
         .decode()}]}
    assert all("data" not in record for record in answer["records"])
