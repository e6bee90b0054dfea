"""EventBridge, CloudWatch Logs, Firehose, AppSync batches and the integration table:
operation mapping, key decoding, malformed payloads, and what goes back to AWS."""

from __future__ import annotations

import base64
import copy
import gzip
import json
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import adapters.aws as aws
import sdk
from adapters.aws import lambda_handler
from adapters.aws._events import S3_OPERATIONS
from sdk import BatchFailedError, Event, EventDecodeError, ResponseEncodeError, StorageEvent
from sdk.errors import UnsupportedEventError
from tests.support.samples import SAMPLES, folder_trigger, params, requires_samples


def sample(rel: str) -> Any:
    return json.loads((SAMPLES / "aws" / rel).read_text(encoding="utf-8-sig"))


def envelope(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "version": "0", "id": "e-1", "detail-type": "Object Created", "source": "aws.s3",
        "account": "111122223333", "time": "2024-05-01T10:00:00Z", "region": "eu-west-1",
        "resources": ["arn:aws:s3:::bucket"],
        "detail": {"version": "0", "bucket": {"name": "bucket"},
                   "object": {"key": "a.txt", "size": 3, "etag": "x", "sequencer": "01"}},
    }
    raw.update(changes)
    return raw


# -- S3 through EventBridge -------------------------------------------------------------

@pytest.mark.parametrize(("detail_type", "operation"), [
    ("Object Created", "created"), ("Object Deleted", "deleted"),
    ("Object Restore Initiated", "restore_started"), ("Object Restore Completed", "restored"),
    ("Object Restore Expired", "archived"), ("Object Storage Class Changed", "archived"),
    ("Object Access Tier Changed", "archived"), ("Object Tags Added", "metadata_updated"),
    ("Object Tags Deleted", "metadata_updated"), ("Object ACL Updated", "metadata_updated"),
])
def test_s3_detail_type_maps_to_operation_and_stays_in_type(detail_type: str,
                                                            operation: str) -> None:
    (event,) = aws.decode(envelope(**{"detail-type": detail_type}))
    assert isinstance(event, StorageEvent)
    assert (event.operation, event.type) == (operation, detail_type)


def test_s3_operations_are_uniform_names() -> None:
    assert set(S3_OPERATIONS.values()) <= StorageEvent.OPERATIONS


def test_unknown_s3_detail_type_has_no_operation_rather_than_a_guess() -> None:
    (event,) = aws.decode(envelope(**{"detail-type": "Object Frobnicated"}))
    assert isinstance(event, StorageEvent)
    assert (event.operation, event.type) == (None, "Object Frobnicated")


@pytest.mark.parametrize(("sent", "key"), [
    ("red+flower.jpg", "red flower.jpg"),
    ("year%3D2024/c%2B%2B+%281%29.txt", "year=2024/c++ (1).txt"),
    ("plain/key.txt", "plain/key.txt"),
    ("caf%C3%A9.txt", "café.txt"),
])
def test_s3_keys_are_url_decoded_form_style(sent: str, key: str) -> None:
    raw = envelope()
    raw["detail"]["object"]["key"] = sent
    (event,) = aws.decode(raw)
    assert isinstance(event, StorageEvent)
    assert event.key == event.subject == key


def test_s3_optional_fields_absent_are_none() -> None:
    raw = envelope(**{"detail-type": "Object Deleted"})
    raw["detail"]["object"] = {"key": "a.txt", "sequencer": "02"}
    (event,) = aws.decode(raw)
    assert isinstance(event, StorageEvent)
    assert (event.size, event.etag, event.version) == (None, None, None)


def test_cloudtrail_s3_events_are_plain_eventbridge_events() -> None:
    raw = envelope(**{"detail-type": "AWS API Call via CloudTrail",
                      "detail": {"eventSource": "s3.amazonaws.com", "eventName": "PutObject"}})
    assert aws.detect(raw).name == "aws.eventbridge"


@pytest.mark.parametrize(("change", "keys"), [
    ({"bucket": "not-an-object"}, ("detail.bucket", "detail.object")),
    ({"bucket": {}}, ("detail.bucket.name", "detail.object.key")),
    ({"object": {"key": 7}}, ("detail.object.key",)),
    ({"object": {"key": "k", "size": "12"}}, ("detail.object.size",)),
])
def test_malformed_s3_detail_names_keys_not_values(change: dict[str, Any],
                                                   keys: tuple[str, ...]) -> None:
    raw = envelope()
    raw["detail"].update(change)
    with pytest.raises(EventDecodeError) as info:
        aws.decode(raw)
    assert info.value.trigger == "aws.s3.eventbridge"
    assert info.value.keys == keys
    assert "not-an-object" not in str(info.value)


def test_resources_must_be_a_list_of_arns() -> None:
    with pytest.raises(EventDecodeError) as info:
        aws.decode(envelope(source="aws.ec2", resources="arn:secret"))
    assert info.value.keys == ("resources",)
    assert "secret" not in str(info.value)


# -- schedules and other EventBridge events ----------------------------------------------

def schedule(**changes: Any) -> dict[str, Any]:
    raw = {"id": "s-1", "detail-type": "Scheduled Event", "source": "aws.events",
           "account": "1", "time": "2024-05-01T10:00:00Z", "region": "eu-west-1",
           "resources": ["arn:aws:events:eu-west-1:1:rule/nightly"], "detail": {}}
    raw.update(changes)
    return raw


def test_schedule_without_version_is_a_schedule() -> None:
    (event,) = aws.decode(schedule())
    assert isinstance(event, sdk.Schedule)
    assert event.schedule == "nightly"
    assert event.scheduled_time == datetime(2024, 5, 1, 10, tzinfo=timezone.utc)
    assert event.past_due is None


@pytest.mark.parametrize(("arn", "name"), [
    ("arn:aws:events:eu-west-1:1:rule/custom-bus/nightly", "nightly"),
    ("arn:aws:scheduler:eu-west-1:1:schedule/default/hourly", "hourly"),
])
def test_schedule_name_is_the_last_part_of_the_arn(arn: str, name: str) -> None:
    (event,) = aws.decode(schedule(resources=[arn]))
    assert isinstance(event, sdk.Schedule)
    assert event.schedule == name


def test_scheduler_input_shaped_as_an_envelope_is_a_schedule() -> None:
    (event,) = aws.decode(schedule(source="aws.scheduler", resources=[]))
    assert isinstance(event, sdk.Schedule)
    assert event.schedule is None


def test_a_custom_event_calling_itself_scheduled_is_not_a_schedule() -> None:
    assert aws.detect(schedule(source="my.app")).name == "aws.eventbridge"


def test_an_envelope_with_a_malformed_source_fails_in_decode_not_in_detection() -> None:
    raw = schedule(source={"not": "text"})
    assert aws.detect(raw).name == "aws.eventbridge"
    with pytest.raises(EventDecodeError) as info:
        aws.decode(raw)
    assert info.value.keys == ("source",)


# -- CloudWatch Logs --------------------------------------------------------------------

def logs(document: dict[str, Any], compress: Any = gzip.compress) -> dict[str, Any]:
    packed = compress(json.dumps(document).encode())
    return {"awslogs": {"data": base64.b64encode(packed).decode()}}


LOG_DOCUMENT = {
    "messageType": "DATA_MESSAGE", "owner": "1", "logGroup": "/aws/lambda/app",
    "logStream": "2024/05/01/[$LATEST]abc", "subscriptionFilters": ["a", "b"],
    "logEvents": [
        {"id": "1", "timestamp": 1714557600000, "message": '{"level": "ERROR", "n": 1}'},
        {"id": "2", "timestamp": 1714557600001, "message": "plain text line"},
    ],
}


@pytest.mark.parametrize("compress", [gzip.compress, zlib.compress])
def test_log_records_decode_json_lines_and_text(compress: Any) -> None:
    first, second = aws.decode(logs(LOG_DOCUMENT, compress))
    assert first.data == {"level": "ERROR", "n": 1}
    assert second.data == "plain text line"
    assert first.time == datetime(2024, 5, 1, 10, tzinfo=timezone.utc)
    assert first.attributes["subscription_filters"] == "a,b"
    assert "policy_level" not in first.attributes


def test_control_messages_call_no_handler() -> None:
    control = {**LOG_DOCUMENT, "messageType": "CONTROL_MESSAGE",
               "logEvents": [{"id": "", "timestamp": 0, "message": "CWL CONTROL MESSAGE"}]}
    calls: list[Any] = []
    assert aws.decode(logs(control)) == []
    assert lambda_handler(calls.append)(logs(control), None) is None
    assert calls == []


@pytest.mark.parametrize(("data", "problem"), [
    ("!!not base64!!", "is not base64"),
    (base64.b64encode(b"not compressed").decode(), "is not gzip or zlib compressed"),
    (base64.b64encode(gzip.compress(b"not json", mtime=0)).decode(), "does not hold JSON"),
    (base64.b64encode(gzip.compress(b"\xff\xfe", mtime=0)).decode(), "does not hold JSON"),
    (base64.b64encode(gzip.compress(b"[1, 2]", mtime=0)).decode(), "JSON object"),
    (None, "base64 string"),
])
def test_malformed_log_data_names_the_key(data: Any, problem: str) -> None:
    with pytest.raises(EventDecodeError) as info:
        aws.decode({"awslogs": {"data": data}})
    assert info.value.keys == ("awslogs.data",)
    assert problem in str(info.value)
    assert "not json" not in str(info.value)


def test_log_events_must_be_records_with_a_message() -> None:
    with pytest.raises(EventDecodeError) as info:
        aws.decode(logs({**LOG_DOCUMENT, "logEvents": [{"id": "1"}]}))
    assert info.value.keys == ("awslogs.data.logEvents",)


def test_logs_handler_runs_per_record_or_once_for_a_list() -> None:
    seen: list[Any] = []
    assert lambda_handler(lambda e: seen.append(e.id))(logs(LOG_DOCUMENT), None) is None
    assert seen == ["1", "2"]

    def whole(events: list[Event[Any]]) -> None:
        seen.append([e.id for e in events])

    lambda_handler(whole)(logs(LOG_DOCUMENT), None)
    assert seen[-1] == ["1", "2"]


def test_a_failing_log_record_fails_the_delivery() -> None:
    def handle(event: Event[Any]) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        lambda_handler(handle)(logs(LOG_DOCUMENT), None)


# -- Firehose ---------------------------------------------------------------------------

def firehose(*datas: bytes) -> dict[str, Any]:
    return {"invocationId": "inv", "deliveryStreamArn": "arn:aws:firehose:r:1:deliverystream/d",
            "region": "r", "records": [
                {"recordId": f"r{i}", "approximateArrivalTimestamp": 1,
                 "data": base64.b64encode(d).decode()} for i, d in enumerate(datas)]}


def answers(response: dict[str, Any]) -> list[tuple[str, str, bytes]]:
    return [(a["recordId"], a["result"], base64.b64decode(a["data"]))
            for a in response["records"]]


def test_firehose_answers_every_record_with_the_handler_result() -> None:
    results = {"r0": {"n": 1}, "r1": "text\n", "r2": b"\x00\x01", "r3": None}
    response = lambda_handler(lambda e: results[e.id])(firehose(b"a", b"b", b"c", b"d"), None)
    assert answers(response) == [("r0", "Ok", b'{"n":1}'), ("r1", "Ok", b"text\n"),
                                 ("r2", "Ok", b"\x00\x01"), ("r3", "Ok", b"d")]


def test_firehose_answer_dicts_drop_and_partition() -> None:
    partition = {"result": "Ok", "metadata": {"partitionKeys": {"day": "1"}}}
    results = {"r0": {"result": "Dropped"}, "r1": partition}
    response = lambda_handler(lambda e: results[e.id])(firehose(b"a", b"b"), None)
    assert response["records"] == [
        {"recordId": "r0", "result": "Dropped", "data": base64.b64encode(b"a").decode()},
        {"recordId": "r1", "result": "Ok", "metadata": {"partitionKeys": {"day": "1"}},
         "data": base64.b64encode(b"b").decode()},
    ]


def test_a_json_record_with_a_result_key_is_data_not_an_answer() -> None:
    record = {"result": "Ok", "score": 3}
    response = lambda_handler(lambda e: record)(firehose(b"a"), None)
    assert answers(response) == [("r0", "Ok", json.dumps(record, separators=(",", ":")).encode())]


def fail_on(record_ids: set[str]) -> Any:
    def handle(event: Event[Any]) -> bytes:
        if event.id in record_ids:
            raise ValueError("bad record")
        return b"ok"
    return handle


def test_firehose_failed_records_are_processing_failed_not_lost() -> None:
    response = lambda_handler(fail_on({"r1"}))(firehose(b"a", b"b"), None)
    assert answers(response) == [("r0", "Ok", b"ok"), ("r1", "ProcessingFailed", b"b")]


def test_firehose_all_failed_or_partial_off_fails_the_invocation() -> None:
    with pytest.raises(BatchFailedError) as info:
        lambda_handler(fail_on({"r0", "r1"}))(firehose(b"a", b"b"), None)
    assert isinstance(info.value.__cause__, ValueError)
    with pytest.raises(BatchFailedError):
        lambda_handler(fail_on({"r1"}), partial_failures=False)(firehose(b"a", b"b"), None)
    with pytest.raises(ValueError):  # one record: its own exception
        lambda_handler(fail_on({"r0"}))(firehose(b"a"), None)


def test_firehose_list_handler_returns_one_result_per_event() -> None:
    def upper(events: list[Event[Any]]) -> list[str]:
        return [e.data.upper() for e in events]

    def nothing(events: list[Event[Any]]) -> None:
        return None

    def too_few(events: list[Event[Any]]) -> list[str]:
        return ["one"]

    response = lambda_handler(upper)(firehose(b"a", b"b"), None)
    assert answers(response) == [("r0", "Ok", b"A"), ("r1", "Ok", b"B")]
    assert answers(lambda_handler(nothing)(firehose(b"a"), None)) == [("r0", "Ok", b"a")]
    with pytest.raises(ResponseEncodeError):
        lambda_handler(too_few)(firehose(b"a", b"b"), None)


def test_firehose_malformed_records_name_keys() -> None:
    raw = firehose(b"a")
    del raw["records"][0]["data"]
    with pytest.raises(EventDecodeError) as info:
        aws.decode(raw)
    assert info.value.keys == ("records[0].recordId", "records[0].data")
    bad = firehose(b"a")
    bad["records"][0]["data"] = "@@@"
    (event,) = aws.decode(bad)
    with pytest.raises(EventDecodeError):  # lazily: when read
        _ = event.data


# -- AppSync batch ----------------------------------------------------------------------

@requires_samples
def test_appsync_batch_answers_a_list_in_item_order() -> None:
    raw = sample("appsync/appSyncBatchEvent.json")
    response = lambda_handler(lambda e: {"id": e.data["user_id"]})(raw, None)
    assert response == [{"id": item["arguments"]["user_id"]} for item in raw]

    def whole(events: list[Event[Any]]) -> list[str]:
        return [e.data["user_id"] for e in events]

    assert lambda_handler(whole)(raw, None) == ["1", "2"]


# -- the integration table: responses pass through ---------------------------------------

@requires_samples
def test_cognito_handler_fills_the_response_and_returns_the_event() -> None:
    raw = sample("cognito-userpool/cognitoPreSignUpEvent.json")

    def handle(event: Event[Any]) -> Any:
        event.data["response"]["autoConfirmUser"] = True
        return event.raw

    response = lambda_handler(handle)(copy.deepcopy(raw), None)
    assert response == {**raw, "response": {"autoConfirmUser": True}}


@pytest.mark.parametrize("rel", [
    "apigw-authorizer/apiGatewayAuthorizerTokenEvent.json",
    "apigw-authorizer/apiGatewayAuthorizerV2Event.json",
    "bedrock-agent/bedrockAgentEvent.json",
    "cloudformation-custom-resource/cloudformationCustomResourceCreate.json",
    "secrets-manager-rotation/secretsManagerEvent.json",
    "transfer-family/transfer-family-base.json",
])
@requires_samples
def test_integration_responses_pass_through_unchanged(rel: str) -> None:
    answer = {"principalId": "u", "nested": {"list": [1, 2]}}
    response = lambda_handler(lambda event: answer)(sample(rel), None)
    assert response is answer


@requires_samples
def test_websocket_message_body_is_data_and_base64_is_lazy() -> None:
    raw = sample("apigw-websocket/websocket-api-connect-request.json")
    raw["requestContext"]["eventType"] = "MESSAGE"
    (event,) = aws.decode({**raw, "body": '{"action": "send"}'})
    assert event.data == {"action": "send"}
    (event,) = aws.decode({**raw, "body": base64.b64encode(b"hi").decode(),
                           "isBase64Encoded": True})
    assert event.data == "hi"
    (event,) = aws.decode({**raw, "body": "@@", "isBase64Encoded": True})
    with pytest.raises(EventDecodeError):
        _ = event.data


@pytest.mark.parametrize(("trigger_source", "native"), [
    ("UserMigration_Authentication", "UserMigrationTriggerEvent"),
    ("CreateAuthChallenge_Authentication", "CreateAuthChallengeTriggerEvent"),
    ("VerifyAuthChallengeResponse_Authentication", "VerifyAuthChallengeResponseTriggerEvent"),
    ("PostAuthentication_Authentication", "PostAuthenticationTriggerEvent"),
    ("CustomSMSSender_SignUp", "CustomSMSSenderTriggerEvent"),
    ("SomethingNew_Later", "dict"),
])
def test_cognito_native_class_per_trigger_source(trigger_source: str, native: str) -> None:
    raw = {"version": "1", "triggerSource": trigger_source, "region": "r", "userPoolId": "p",
           "userName": "u", "callerContext": {}, "request": {}, "response": {}}
    (event,) = aws.decode(raw)
    assert (event.trigger, event.type) == ("aws.cognito.userpool", trigger_source)
    assert type(event.native).__name__ == native


def test_a_field_of_the_wrong_type_names_its_key() -> None:
    raw = {"triggerSource": {"secret": "value"}, "userPoolId": "p"}
    with pytest.raises(EventDecodeError) as info:
        aws.decode(raw)
    assert (info.value.trigger, info.value.keys) == ("aws.cognito.userpool", ("triggerSource",))
    assert "secret" not in str(info.value)


def test_ses_with_several_records_is_not_silently_truncated() -> None:
    record = {"eventSource": "aws:ses", "ses": {"mail": {}, "receipt": {}}}
    with pytest.raises(UnsupportedEventError):
        aws.detect({"Records": [record, record]})


@pytest.mark.parametrize("raw", [None, "text", 3, [], [1], {}, {"awslogs": "x"},
                                 {"detail-type": "x"}, [{"arguments": {}}]])
def test_no_trigger_matches_or_fails_on_odd_payloads(raw: Any) -> None:
    assert [t.name for t in aws.TRIGGERS if t.matches(raw)] == []


# -- detection over every sample ---------------------------------------------------------

@pytest.mark.parametrize("path", params("aws/**/*.json"))
def test_every_aws_sample_matches_at_most_one_trigger(path: Path) -> None:
    raw = json.loads(path.read_bytes().decode("utf-8-sig"))
    assert len([t for t in aws.TRIGGERS if t.matches(raw)]) <= 1


@pytest.mark.parametrize("path", params("aws/**/*.json"))
def test_every_aws_sample_is_detected_as_its_folder(path: Path) -> None:
    raw = json.loads(path.read_bytes().decode("utf-8-sig"))
    assert aws.detect(raw).name == folder_trigger(path)


# -- fuzz: predicates never raise, decoding fails only with EventDecodeError -------------

MINE = {"aws.s3.eventbridge", "aws.scheduled", "aws.eventbridge", "aws.cloudwatch.logs",
        "aws.kinesis.firehose"} | {t.name for t in aws.TRIGGERS
                                   if type(t).__module__.endswith(("_spec", "_integrations"))}
#: every key a predicate of these triggers looks at, so random payloads reach them
KEYS = ["detail-type", "source", "detail", "resources", "time", "id", "awslogs", "data",
        "records", "deliveryStreamArn", "recordId", "type", "methodArn", "routeArn",
        "requestContext", "connectionId", "arguments", "info", "fieldName", "channelNamespace",
        "authorizationToken", "triggerSource", "userPoolId", "Records", "eventSource", "Name",
        "Details", "RequestType", "ResponseURL", "StackId", "body", "isBase64Encoded", "bucket",
        "object", "key", "size", "logEvents", "message"]
SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(
    ["aws.s3", "aws.events", "Scheduled Event", "TOKEN", "REQUEST", "aws:ses", "ContactFlowEvent"])
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5), max_leaves=12)


@given(JSON)
@settings(max_examples=400, deadline=None)
def test_random_payloads_never_break_predicates_or_decoding(raw: Any) -> None:
    # Overlap is checked on real payloads above: random mixes of several services'
    # keys may well satisfy two predicates, but must never crash either.
    for trigger in (t for t in aws.TRIGGERS if t.name in MINE and t.matches(raw)):
        try:
            for event in trigger.decode(raw):
                json.dumps(event.to_dict())
        except EventDecodeError:
            pass


# -- Amazon Lex V2 (added by the docs/architecture.md checklist) -------------------------

def test_lex_v2_code_hook_decodes_to_an_event_naming_bot_intent_and_session() -> None:
    from adapters.testing import aws as factories

    raw = factories.lex_v2("Book a room", intent="BookHotel", source="FulfillmentCodeHook",
                           slots={"City": "Lisbon"})
    assert aws.detect(raw).name == "aws.lex.v2"
    [event] = aws.decode(raw)
    assert type(event) is Event and event.kind == "event"
    assert (event.trigger, event.source, event.type, event.subject) == (
        "aws.lex.v2", "BOT1234567", "FulfillmentCodeHook", "BookHotel")
    assert event.id == raw["sessionState"]["originatingRequestId"]
    assert event.attributes == {"session_id": "123456789012345", "input_mode": "Text",
                                "locale_id": "en_US", "bot_alias_id": "TSTALIASID"}
    assert event.data["sessionState"]["intent"]["slots"]["City"]["value"][
        "interpretedValue"] == "Lisbon"


def test_lex_v2_answer_is_the_handlers_return_value_unchanged() -> None:
    from adapters.testing import aws as factories

    def handle(event: Event[Any]) -> dict[str, Any]:
        intent = event.data["sessionState"]["intent"]
        return {"sessionState": {"dialogAction": {"type": "Close"},
                                 "intent": {**intent, "state": "Fulfilled"}},
                "messages": [{"contentType": "PlainText", "content": "Booked."}]}

    answer = lambda_handler(handle)(factories.lex_v2(), None)
    assert answer["sessionState"]["dialogAction"] == {"type": "Close"}
    assert answer["sessionState"]["intent"]["state"] == "Fulfilled"


def test_lex_v2_is_not_taken_for_lex_v1_or_a_bedrock_agent() -> None:
    from adapters.testing import aws as factories

    v1 = {"messageVersion": "1.0", "invocationSource": "DialogCodeHook", "userId": "u",
          "bot": {"name": "b", "alias": "$LATEST", "version": "$LATEST"},
          "currentIntent": {"name": "BookHotel", "slots": {}}, "sessionAttributes": {}}
    assert not any(t.name == "aws.lex.v2" for t in aws.TRIGGERS if t.matches(v1))
    agent = factories.bedrock_agent()
    assert aws.detect(agent).name == "aws.bedrock.agent"


def test_lex_v2_with_a_malformed_intent_name_fails_by_key() -> None:
    from adapters.testing import aws as factories

    raw = factories.lex_v2()
    raw["sessionState"]["intent"]["name"] = ["not", "text"]
    with pytest.raises(EventDecodeError) as caught:
        aws.decode(raw)
    assert list(caught.value.keys) == ["sessionState.intent.name"]


def test_s3_operation_and_sns_topic_read_through_small_remembered_tables() -> None:
    """An S3 event name's operation and an SNS topic name are worked out once per
    text value and kept in a bounded table: the same answers as without it, for
    names seen again, names never seen, and values that are not text."""
    from adapters.aws._records import remembered
    from adapters.aws._s3 import S3Object
    from adapters.aws._sns import SNSMessage

    table: dict[Any, str] = {}
    for n in range(100):
        assert remembered(table, repr, f"k{n}") == repr(f"k{n}")
    assert len(table) == 64 and remembered(table, repr, ["k"]) == "['k']" and len(table) == 64

    def s3(name: Any) -> S3Object:
        record = {"eventName": name, "s3": {"bucket": {"name": "b"}, "object": {"key": "k"}}}
        return S3Object(record, "aws.s3", record)

    for _ in range(2):
        assert s3("ObjectCreated:Put").operation == "created"
        assert s3("ObjectRestore:Delete").operation == "archived"
        assert s3(["ObjectCreated:Put"]).operation is None
        assert s3(None).operation is None

    def topic(arn: Any) -> str | None:
        doc = {"Message": "m", "MessageId": "1", "TopicArn": arn}
        return SNSMessage(doc, "aws.sns", doc).topic

    for _ in range(2):
        assert topic("arn:aws:sns:eu-west-1:1:orders") == "orders"
        assert topic({"not": "text"}) is None and topic(None) is None and topic("orders") is None
