"""AWS message, stream, storage and change triggers run through ``lambda_handler``:
failure reporting, ordering, unwrapping and value decoding."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

import sdk
from adapters.aws import decode, detect, lambda_handler
from adapters.aws._s3 import operation
from sdk import BatchFailedError, Change, ConfigurationError, Message, StorageEvent
from tests.support.imports import loaded_by, top_level


class Boom(Exception):
    pass


class Order(BaseModel):
    id: int


# -- payload builders (fields as https://docs.aws.amazon.com/lambda/latest/dg/ documents) --
def sqs(*bodies: str, fifo: bool = False) -> dict[str, Any]:
    queue = "orders.fifo" if fifo else "orders"
    return {"Records": [{
        "messageId": f"id-{n}", "receiptHandle": "rh", "body": body,
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1545082649183",
                       **({"MessageGroupId": "g1", "SequenceNumber": str(100 + n)} if fifo
                          else {})},
        "messageAttributes": {}, "md5OfBody": "x", "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:us-east-2:123456789012:{queue}", "awsRegion": "us-east-2",
    } for n, body in enumerate(bodies)]}


def kinesis(*data: str) -> dict[str, Any]:
    return {"Records": [{
        "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "pk", "data": item,
                    "sequenceNumber": f"4959{n}", "approximateArrivalTimestamp": 1545084650.987},
        "eventSource": "aws:kinesis", "eventVersion": "1.0",
        "eventID": f"shardId-000000000006:4959{n}",
        "eventName": "aws:kinesis:record", "awsRegion": "us-east-2",
        "eventSourceARN": "arn:aws:kinesis:us-east-2:123456789012:stream/clicks",
    } for n, item in enumerate(data)]}


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def ddb(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": [{
        "eventID": str(n), "eventVersion": "1.1", "eventName": rec.get("eventName", "INSERT"),
        "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
        "eventSourceARN": ("arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/"
                           "2024-01-01T00:00:00.000"),
        "dynamodb": {"SequenceNumber": f"{100 + n}", "ApproximateCreationDateTime": 1700000000,
                     "StreamViewType": "NEW_AND_OLD_IMAGES",
                     **{k: v for k, v in rec.items() if k != "eventName"}},
    } for n, rec in enumerate(records)]}


def kafka(partitions: dict[str, int]) -> dict[str, Any]:
    return {"eventSource": "aws:kafka", "eventSourceArn": "arn:aws:kafka:us-east-1:1:cluster/c/x",
            "bootstrapServers": "b-1:9092", "records": {
                name: [{"topic": name.rsplit("-", 1)[0], "partition": int(name.rsplit("-", 1)[1]),
                        "offset": 10 + n, "timestamp": 1545084650987,
                        "timestampType": "CREATE_TIME", "key": b64(f"k{n}"),
                        "value": b64(json.dumps({"n": n})), "headers": []}
                       for n in range(count)]
                for name, count in partitions.items()}}


def raising_for(*bad: str) -> Any:
    @sdk.function
    def handle(event: Message[Any]) -> None:
        if event.id in bad:
            raise Boom(event.id)

    return handle


def failures(response: dict[str, Any]) -> list[Any]:
    return [item["itemIdentifier"] for item in response["batchItemFailures"]]


# -- SQS -----------------------------------------------------------------------------
def test_sqs_reports_failed_messages_by_message_id() -> None:
    handler = lambda_handler(raising_for("id-1", "id-3"))
    assert failures(handler(sqs("a", "b", "c", "d"), None)) == ["id-1", "id-3"]
    assert handler(sqs("a"), None) == {"batchItemFailures": []}


def test_fifo_reports_the_first_failure_and_every_later_message_unhandled() -> None:
    seen: list[str] = []

    @sdk.function
    def handle(event: Message[Any]) -> None:
        seen.append(event.id or "")
        if event.id == "id-1":
            raise Boom()

    response = lambda_handler(handle)(sqs("a", "b", "c", "d", fifo=True), None)
    assert seen == ["id-0", "id-1"]
    assert failures(response) == ["id-1", "id-2", "id-3"]


def test_fifo_message_carries_group_and_sequence() -> None:
    (first, _) = decode(sqs("a", "b", fifo=True))
    assert isinstance(first, Message)
    assert (first.ordering_key, first.sequence, first.queue) == ("g1", "100", "orders.fifo")


def test_partial_failures_off_fails_the_invocation_for_any_failure() -> None:
    handler = lambda_handler(raising_for("id-1"), partial_failures=False)
    with pytest.raises(BatchFailedError) as caught:
        handler(sqs("a", "b", "c"), None)
    assert (caught.value.failed, caught.value.total) == (1, 3)
    assert isinstance(caught.value.__cause__, Boom)
    assert "id-1" not in str(caught.value)  # the cause's type, never its text
    assert handler(sqs("a"), None) == {"batchItemFailures": []}


def test_every_record_failing_fails_the_invocation() -> None:
    with pytest.raises(BatchFailedError) as caught:
        lambda_handler(raising_for("id-0", "id-1"))(sqs("a", "b"), None)
    assert (caught.value.failed, caught.value.total) == (2, 2)


def test_a_one_record_batch_raises_the_handlers_own_exception() -> None:
    with pytest.raises(Boom):
        lambda_handler(raising_for("id-0"))(sqs("a"), None)


def test_a_data_validation_error_fails_only_its_record() -> None:
    @sdk.function
    def handle(event: Message[Order]) -> None:
        assert isinstance(event.data, Order)

    response = lambda_handler(handle)(sqs('{"id": 1}', '{"id": "x"}', "{oops"), None)
    assert failures(response) == ["id-1", "id-2"]


def test_a_record_without_message_id_cannot_be_reported_so_the_batch_fails() -> None:
    payload = sqs("a", "b")
    del payload["Records"][1]["messageId"]
    with pytest.raises(BatchFailedError):
        lambda_handler(raising_for())(payload, None)  # record 1 cannot decode


def test_sqs_message_attributes_are_text_binary_stays_base64() -> None:
    payload = sqs("a")
    payload["Records"][0]["messageAttributes"] = {
        "n": {"stringValue": "7", "dataType": "Number.int"},
        "s": {"stringValue": "x", "dataType": "String"},
        "b": {"binaryValue": "AAEC", "dataType": "Binary"},
    }
    (event,) = decode(payload)
    assert dict(event.attributes) == {"n": "7", "s": "x", "b": "AAEC"}


def test_async_handler_through_lambda_handler_with_a_bound() -> None:
    @sdk.function
    async def handle(event: Message[Any]) -> None:
        if event.data == "bad":
            raise Boom()

    response = lambda_handler(handle, concurrency=2)(sqs("a", "bad", "c", "bad"), None)
    assert failures(response) == ["id-1", "id-3"]


def test_list_handler_through_lambda_handler() -> None:
    @sdk.function
    def handle(events: list[Message[Any]]) -> list[str]:
        return [e.id for e in events if e.data == "bad" and e.id]

    assert failures(lambda_handler(handle)(sqs("bad", "ok", "bad"), None)) == ["id-0", "id-2"]


@pytest.mark.parametrize("bound", [0, -1, 1.5, True])
def test_concurrency_must_be_a_positive_int(bound: Any) -> None:
    with pytest.raises(ConfigurationError):
        lambda_handler(raising_for(), concurrency=bound)


# -- unwrapping ----------------------------------------------------------------------
SNS_ENVELOPE = {"Type": "Notification", "MessageId": "sns-1",
                "TopicArn": "arn:aws:sns:us-east-2:123456789012:orders-topic",
                "Subject": "new", "Message": '{"id": 3}', "Timestamp": "2024-01-02T03:04:05.000Z",
                "MessageAttributes": {"kind": {"Type": "String", "Value": "order"}}}


def s3_body(*keys: str) -> str:
    return json.dumps({"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
        "eventTime": "2024-01-02T03:04:05.000Z",
        "s3": {"bucket": {"name": "uploads", "arn": "arn:aws:s3:::uploads"},
               "object": {"key": key, "size": 3, "eTag": "e", "sequencer": "01"}},
    } for key in keys]})


def test_sns_in_sqs_unwraps_to_the_sns_message_but_fails_by_the_sqs_id() -> None:
    seen: list[Message[Any]] = []

    @sdk.function
    def handle(event: Message[Order]) -> None:
        seen.append(event)
        raise Boom()

    payload = sqs(json.dumps(SNS_ENVELOPE), "plain")
    with pytest.raises(BatchFailedError):
        lambda_handler(handle, unwrap=True)(payload, None)  # both fail (plain is not an Order)
    (event,) = seen
    assert (event.id, event.topic, event.subject, event.queue) == (
        "sns-1", "orders-topic", "new", "orders")
    assert event.data == Order(id=3) and dict(event.attributes) == {"kind": "order"}

    @sdk.function
    def fail_sns(event: Message[Any]) -> None:
        if event.topic == "orders-topic":
            raise Boom()

    response = lambda_handler(fail_sns, unwrap=True)(payload, None)
    assert failures(response) == ["id-0"]


def test_without_unwrap_the_envelope_is_the_data() -> None:
    (event, _) = decode(sqs(json.dumps(SNS_ENVELOPE), "x"))
    assert isinstance(event, Message) and event.id == "id-0" and event.data == SNS_ENVELOPE


def test_s3_in_sqs_unwraps_to_storage_events_and_any_failure_reports_the_record() -> None:
    seen: list[str] = []

    @sdk.function
    def handle(event: StorageEvent[Any]) -> None:
        seen.append(event.key or "")
        if event.key == "b c.txt":
            raise Boom()

    payload = sqs(s3_body("a.txt", "b+c.txt", "d.txt"), s3_body("e.txt"))
    response = lambda_handler(handle, unwrap=True)(payload, None)
    assert seen == ["a.txt", "b c.txt", "e.txt"]
    assert failures(response) == ["id-0"]


def test_unwrap_leaves_other_bodies_as_sqs_messages_which_then_fail_not_vanish() -> None:
    @sdk.function
    def handle(event: StorageEvent[Any]) -> None:
        pass

    payload = sqs(s3_body("a.txt"), json.dumps({"Service": "Amazon S3",
                                                "Event": "s3:TestEvent"}))
    assert failures(lambda_handler(handle, unwrap=True)(payload, None)) == ["id-1"]


# -- Kinesis -------------------------------------------------------------------------
def test_kinesis_reports_by_sequence_number_from_the_first_failure_on() -> None:
    seen: list[str] = []

    @sdk.function
    def handle(event: Message[Any]) -> None:
        seen.append(event.data)
        if event.data == "two":
            raise Boom()

    response = lambda_handler(handle)(kinesis(b64("one"), b64("two"), b64("three")), None)
    assert seen == ["one", "two"]
    assert failures(response) == ["49591", "49592"]


def test_kinesis_bad_base64_fails_that_record_when_its_data_is_read() -> None:
    @sdk.function
    def handle(event: Message[Any]) -> None:
        assert event.data

    response = lambda_handler(handle)(kinesis(b64("one"), b64("two"), "!!not base64!!"), None)
    assert failures(response) == ["49592"]
    (_, _, bad) = decode(kinesis(b64("one"), b64("two"), "!!not base64!!"))
    with pytest.raises(sdk.EventDecodeError):
        _ = bad.data


def test_kinesis_malformed_record_fails_alone_and_names_keys() -> None:
    payload = kinesis(b64("one"), b64("two"))
    del payload["Records"][1]["kinesis"]["data"]
    response = lambda_handler(raising_for())(payload, None)
    assert failures(response) == ["49591"]


def test_kinesis_message_fields() -> None:
    (event,) = decode(kinesis(b64('{"a": 1}')))
    assert isinstance(event, Message)
    assert (event.topic, event.partition, event.ordering_key, event.sequence, event.data) == (
        "clicks", "shardId-000000000006", "pk", "49590", {"a": 1})


# -- DynamoDB Streams --------------------------------------------------------------------
def test_dynamodb_values_decode_to_plain_python_without_losing_digits() -> None:
    image = {
        "id": {"N": "12345678901234567890123456789012345678"}, "price": {"N": "19.99"},
        "tiny": {"N": "1E-130"}, "name": {"S": "x"}, "blob": {"B": b64("\x00raw")},
        "tags": {"SS": ["a", "b"]}, "sizes": {"NS": ["1", "2.5"]},
        "blobs": {"BS": [b64("p"), b64("q")]}, "gone": {"NULL": True}, "ok": {"BOOL": False},
        "nested": {"M": {"list": {"L": [{"N": "1"}, {"S": "two"}, {"M": {}}]}}},
    }
    (change,) = decode(ddb({"Keys": {"id": image["id"]}, "NewImage": image}))
    assert isinstance(change, Change)
    new = change.new
    assert new["id"] == 12345678901234567890123456789012345678 and isinstance(new["id"], int)
    assert new["price"] == Decimal("19.99") and new["tiny"] == Decimal("1E-130")
    assert new["blob"] == b"\x00raw" and new["tags"] == {"a", "b"}
    assert new["sizes"] == {1, Decimal("2.5")} and new["blobs"] == {b"p", b"q"}
    assert new["gone"] is None and new["ok"] is False
    assert new["nested"] == {"list": [1, "two", {}]}
    assert change.keys == {"id": 12345678901234567890123456789012345678}
    assert (change.table, change.operation, change.old) == ("Orders", "insert", None)


@pytest.mark.parametrize(("text", "value"), [
    ("007", 7), ("-0", 0), ("-12", -12), ("0", 0), ("1e5", Decimal("1E+5")),
    ("12.50", Decimal("12.50")), ("1_000", Decimal("1000")), (" 1", Decimal("1")),
    ("1" * 4000, int("1" * 4000)),
])
def test_dynamodb_numbers_are_int_only_for_plain_digits(text: str, value: Any) -> None:
    (change,) = decode(ddb({"Keys": {"k": {"S": "1"}}, "NewImage": {
        "n": {"N": text}, "in_list": {"L": [{"N": text}]}, "in_map": {"M": {"n": {"N": text}}}}}))
    new = change.new
    assert new == {"n": value, "in_list": [value], "in_map": {"n": value}}
    assert type(new["n"]) is type(value) and type(new["in_list"][0]) is type(value)
    assert str(new["n"]) == str(value)


@pytest.mark.parametrize("text", ["1" * 5000, "\u00b2", "--5", "1e", "NaN", "Infinity", ""])
def test_dynamodb_numbers_that_are_not_numbers_fail_the_record(text: str) -> None:
    with pytest.raises(sdk.EventDecodeError) as caught:
        decode(ddb({"Keys": {"k": {"S": "1"}}, "NewImage": {"m": {"M": {"n": {"N": text}}}}}))
    assert caught.value.keys == ("dynamodb.NewImage.m",)


def test_dynamodb_tags_with_values_of_another_type_fail_the_record() -> None:
    for bad in ({"S": 1}, {"N": 7}, {"BOOL": "true"}, {"M": []}, {"L": {}}, {"S": "x", "N": "1"}):
        with pytest.raises(sdk.EventDecodeError):
            decode(ddb({"Keys": {"k": {"S": "1"}}, "NewImage": {"v": bad}}))


@pytest.mark.parametrize(("name", "op"), [("INSERT", "insert"), ("MODIFY", "update"),
                                          ("REMOVE", "delete")])
def test_dynamodb_operations(name: str, op: str) -> None:
    (change,) = decode(ddb({"eventName": name, "Keys": {"k": {"S": "1"}},
                            "OldImage": {"k": {"S": "1"}}}))
    assert isinstance(change, Change) and change.operation == op and change.type == name
    assert change.data == {"k": "1"}  # no new image: data is the old one


def test_dynamodb_malformed_value_fails_its_record_naming_the_attribute() -> None:
    bad = {"Keys": {"k": {"S": "2"}}, "NewImage": {"price": {"N": "12abc"}}}
    with pytest.raises(sdk.EventDecodeError) as caught:
        decode(ddb(bad))
    assert caught.value.keys == ("dynamodb.NewImage.price",) and "12abc" not in str(caught.value)
    good = {"Keys": {"k": {"S": "1"}}, "NewImage": {"price": {"N": "1"}}}

    @sdk.function
    def handle(change: Change[Any]) -> None:
        pass

    assert failures(lambda_handler(handle)(ddb(good, bad, good), None)) == ["101", "102"]


def test_dynamodb_old_image_beside_a_new_one_is_decoded_on_first_read() -> None:
    bad_old = {"eventName": "MODIFY", "Keys": {"k": {"S": "1"}},
               "NewImage": {"k": {"S": "1"}}, "OldImage": {"price": {"N": "12abc"}}}
    (change,) = decode(ddb(bad_old))  # decoding the record does not read the old image
    assert change.data == change.new == {"k": "1"}
    with pytest.raises(sdk.EventDecodeError) as caught:
        change.old  # noqa: B018 - the read decodes it
    assert caught.value.keys == ("dynamodb.OldImage.price",) and "12abc" not in str(caught.value)
    good = {"eventName": "MODIFY", "Keys": {"k": {"S": "1"}}, "NewImage": {"n": {"N": "2"}},
            "OldImage": {"n": {"N": "1"}, "l": {"L": [{"S": "x"}]}}}
    (change,) = decode(ddb(good))
    assert change.old == {"n": 1, "l": ["x"]} and change.old is change.old  # decoded once
    change.old = {"n": 0}
    assert change.old == {"n": 0} and change.to_dict()["old"] == {"n": 0}
    (insert,) = decode(ddb({"Keys": {"k": {"S": "1"}}, "NewImage": {"k": {"S": "1"}}}))
    assert insert.old is None
    with pytest.raises(sdk.EventDecodeError) as caught:  # not an object: at decode, as before
        decode(ddb({**good, "OldImage": [1]}))
    assert caught.value.keys == ("dynamodb.OldImage",)


def test_dynamodb_old_image_of_a_delete_is_its_data_and_fails_at_decode() -> None:
    bad = {"eventName": "REMOVE", "Keys": {"k": {"S": "1"}}, "OldImage": {"p": {"N": "x"}}}
    with pytest.raises(sdk.EventDecodeError) as caught:
        decode(ddb(bad))
    assert caught.value.keys == ("dynamodb.OldImage.p",)

    seen: list[Any] = []

    @sdk.function
    def handle(change: Change[Any]) -> None:
        seen.append((change.old, change.data))

    good = {"eventName": "REMOVE", "Keys": {"k": {"S": "1"}}, "OldImage": {"p": {"N": "3"}}}
    assert failures(lambda_handler(handle)(ddb(good, bad, good), None)) == ["101", "102"]
    assert seen == [({"p": 3}, {"p": 3})]


# -- Kafka, MQ, SNS, S3 ----------------------------------------------------------------
def test_kafka_reports_partition_and_offset_and_stops_only_that_partition() -> None:
    seen: list[str] = []

    @sdk.function
    def handle(event: Message[Any]) -> None:
        seen.append(event.id or "")
        if event.id == "orders-0:11":
            raise Boom()

    response = lambda_handler(handle)(kafka({"orders-0": 3, "orders-1": 2}), None)
    assert seen == ["orders-0:10", "orders-0:11", "orders-1:10", "orders-1:11"]
    assert failures(response) == [{"partition": "orders-0", "offset": 11},
                                  {"partition": "orders-0", "offset": 12}]


def test_kafka_headers_and_keys_are_text_where_utf8() -> None:
    payload = kafka({"t-0": 1})
    record = payload["records"]["t-0"][0]
    record["headers"] = [{"a": list(b"one")}, {"bin": [255, 0]}, {"a": list(b"two")}]
    record["key"] = None
    (event,) = decode(payload)
    assert isinstance(event, Message)
    assert dict(event.attributes) == {"a": "one", "bin": base64.b64encode(b"\xff\x00").decode()}
    assert event.ordering_key is None and event.data == {"n": 0}


def test_mq_has_no_partial_response_any_failure_fails_the_batch() -> None:
    payload = {"eventSource": "aws:amq", "eventSourceArn": "arn:aws:mq:us-west-2:1:broker:b:x",
               "messages": [{"messageID": f"ID:{n}", "messageType": "jms/text-message",
                             "data": b64(f"m{n}"), "destination": {"physicalName": "q"},
                             "timestamp": 1598827811958} for n in range(3)]}
    assert lambda_handler(raising_for())(payload, None) is None
    with pytest.raises(BatchFailedError) as caught:
        lambda_handler(raising_for("ID:1"))(payload, None)
    assert (caught.value.failed, caught.value.total) == (1, 3)


def test_rabbitmq_headers_become_text_attributes() -> None:
    payload = {"eventSource": "aws:rmq", "eventSourceArn": "arn:aws:mq:us-west-2:1:broker:b:x",
               "rmqMessagesByQueue": {"pizza::/": [{
                   "basicProperties": {"contentType": "application/json", "messageId": "r1",
                                       "headers": {"h": {"bytes": list(b"v1")}, "n": 10}},
                   "redelivered": False, "data": b64('{"a": 1}')}]}}
    (event,) = decode(payload)
    assert isinstance(event, Message)
    assert (event.id, event.queue, event.data, dict(event.attributes)) == (
        "r1", "pizza", {"a": 1}, {"h": "v1", "n": "10"})


def test_sns_failure_raises_the_handlers_exception_for_lambda_to_retry() -> None:
    payload = {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
                            "Sns": {**SNS_ENVELOPE, "MessageId": "m-1"}}]}
    assert detect(payload).name == "aws.sns"
    with pytest.raises(Boom):
        lambda_handler(raising_for("m-1"))(payload, None)
    assert lambda_handler(raising_for())(payload, None) is None


def test_s3_key_is_form_decoded_and_failures_raise() -> None:
    (doc,) = [json.loads(s3_body("dir/a+b%2Bc%20d%C3%A9.txt"))]
    (event,) = decode(doc)
    assert isinstance(event, StorageEvent)
    assert (event.bucket, event.key, event.operation, event.size) == (
        "uploads", "dir/a b+c dé.txt", "created", 3)

    @sdk.function
    def handle(event: StorageEvent[Any]) -> None:
        raise Boom()

    with pytest.raises(Boom):
        lambda_handler(handle)(doc, None)


@pytest.mark.parametrize(("name", "op"), [
    ("ObjectCreated:Put", "created"), ("ObjectCreated:CompleteMultipartUpload", "created"),
    ("ObjectRemoved:Delete", "deleted"), ("ObjectRemoved:DeleteMarkerCreated", "deleted"),
    ("LifecycleExpiration:Delete", "deleted"),
    ("LifecycleExpiration:DeleteMarkerCreated", "deleted"),
    ("ObjectRestore:Post", "restore_started"), ("ObjectRestore:Completed", "restored"),
    ("ObjectRestore:Delete", "archived"), ("LifecycleTransition", "archived"),
    ("IntelligentTiering", "archived"), ("ObjectTagging:Put", "metadata_updated"),
    ("ObjectTagging:Delete", "metadata_updated"), ("ObjectAcl:Put", "metadata_updated"),
    ("ReducedRedundancyLostObject", "deleted"), ("Replication:OperationFailedReplication", None),
    ("s3:ObjectCreated:Copy", "created"), ("SomethingNew:Put", None),
])
def test_s3_event_names_map_to_operations(name: str, op: str | None) -> None:
    assert operation(name) == op
    assert op is None or op in StorageEvent.OPERATIONS


def test_a_sync_batch_loads_no_powertools_pydantic_or_asyncio() -> None:
    """Cold starts pay for imports: a plain SQS batch needs none of these."""
    payload = json.dumps(sqs("a", "{}"))
    loaded = top_level(loaded_by(
        "import json\n"
        "import adapters.aws\n"
        "h = adapters.aws.lambda_handler(lambda message: message.data)\n"
        f"assert h(json.loads({payload!r}), None) == {{'batchItemFailures': []}}\n"))
    assert "adapters" in loaded
    assert not loaded & {"aws_lambda_powertools", "pydantic", "pydantic_core", "asyncio"}


def test_a_batch_handler_reporting_the_only_record_fails_the_invocation() -> None:
    @sdk.function
    def handle(events: list[Message[Any]]) -> list[Message[Any]]:
        return events

    with pytest.raises(BatchFailedError) as caught:
        lambda_handler(handle)(sqs("a"), None)
    assert (caught.value.failed, caught.value.total) == (1, 1)


def test_a_malformed_message_attribute_fails_its_record_only() -> None:
    """A message attribute with no value fails its record at decode (reported for
    redelivery, never handed to a handler), never the batch; the key is named."""
    payload = sqs('{"n": 1}', '{"n": 2}')
    payload["Records"][1]["messageAttributes"] = {"bad": {"dataType": "String"}}
    seen: list[dict[str, str]] = []

    def handle(message: Message[Any]) -> None:
        seen.append(dict(message.attributes))

    result = lambda_handler(handle)(payload, None)
    assert result == {"batchItemFailures": [
        {"itemIdentifier": payload["Records"][1]["messageId"]}]}
    assert seen == [{}]
    with pytest.raises(sdk.EventDecodeError) as info:
        decode(payload)
    assert "messageAttributes.bad" in str(info.value)

    def batch(messages: list[Message[Any]]) -> None:
        seen.extend(dict(m.attributes) for m in messages)

    seen.clear()
    assert lambda_handler(batch)(payload, None) == result
    assert seen == [{}]  # the list handler never gets the malformed record


#: Triggers with no partial answer (SNS, S3, MQ) and with one (SQS, Kinesis).
_LONE = ["aws.sns", "aws.s3", "aws.mq", "aws.sqs", "aws.kinesis"]


@pytest.mark.parametrize("name", _LONE)
def test_a_one_record_delivery_fails_and_logs_as_a_batch_of_one(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Triggers with no partial answer run a lone record on the runner's one-record
    path, partial ones on the batch path: either way the handler's own exception is
    raised, after one "record failed" line naming the trigger and the record."""
    from adapters.testing import payload

    @sdk.function
    def handle(event: sdk.Event[Any]) -> None:
        raise Boom("not logged as a value")

    with pytest.raises(Boom):
        lambda_handler(handle)(payload(name), None)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()
             if line.startswith("{")]
    assert [(line["message"], line["trigger"]) for line in lines] == [("record failed", name)]
    assert lines[0]["record"]

    @sdk.function
    def fine(event: sdk.Event[Any]) -> str:
        return "ignored by a trigger with no answer"

    answer = lambda_handler(fine)(payload(name), None)
    assert answer in (None, {"batchItemFailures": []})
