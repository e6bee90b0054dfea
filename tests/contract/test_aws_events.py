"""Every AWS event and integration sample decodes with its fields right.

EventBridge (S3 object events, schedules, custom events), CloudWatch Logs
subscriptions, Firehose transformations, AppSync batches and every
request/response integration. Expectations are read from each payload by the
rules the provider documents, not by calling the adapter's helpers.
"""

from __future__ import annotations

import base64
import json
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest

import adapters.aws as aws
from sdk import Event, Schedule, StorageEvent
from tests.support.samples import folder_trigger, load, params


def folder(path: Path) -> str:
    return path.parent.name


def trigger_name(path: Path) -> str:
    return folder_trigger(path)


def utc(text: str) -> datetime:
    """ISO 8601 as AWS writes it (``Z`` or ``+0000``) read by hand."""
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    elif text[-5] in "+-" and ":" not in text[-5:]:
        text = text[:-2] + ":" + text[-2:]
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=timezone.utc)


def only(raw: Any) -> Event[Any]:
    events = aws.decode(raw)
    assert len(events) == 1
    return events[0]


# -- EventBridge ------------------------------------------------------------------------

#: the S3 detail-types in the samples, and the uniform operation each one means
S3_OPERATION = {"Object Created": "created", "Object Deleted": "deleted",
                "Object Restore Completed": "restored"}


def check_envelope(event: Event[Any], raw: dict[str, Any]) -> None:
    assert (event.id, event.source, event.type) == (raw["id"], raw["source"], raw["detail-type"])
    assert event.time == utc(raw["time"])
    assert event.attributes["account"] == raw["account"]
    assert event.attributes["region"] == raw["region"]
    assert event.attributes["resources"].split(",") == raw["resources"]
    assert event.data == raw["detail"]
    assert event.raw is raw
    assert type(event.native).__name__.endswith("Event")
    json.dumps(event.to_dict())


@pytest.mark.parametrize("path", params("aws/s3-eventbridge/*.json"))
def test_s3_through_eventbridge(path: Path) -> None:
    raw = load(path)
    event = only(raw)
    detail, obj = raw["detail"], raw["detail"]["object"]
    assert isinstance(event, StorageEvent)
    check_envelope(event, raw)
    assert event.bucket == detail["bucket"]["name"]
    assert event.key == unquote_plus(obj["key"]) == event.subject
    assert event.operation == S3_OPERATION[raw["detail-type"]]
    assert (event.size, event.etag) == (obj.get("size"), obj.get("etag"))
    assert event.version == obj.get("version-id")
    assert event.content_type is None  # S3 does not send it
    assert event.attributes.get("reason") == detail.get("reason")
    assert event.attributes.get("deletion_type") == detail.get("deletion-type")
    assert event.attributes["sequencer"] == obj["sequencer"]
    assert event.native.detail.object.key == event.key


@pytest.mark.parametrize("path", params("aws/scheduled/*.json"))
def test_scheduled_event(path: Path) -> None:
    raw = load(path)
    event = only(raw)
    assert isinstance(event, Schedule)
    check_envelope(event, raw)
    assert event.schedule == raw["resources"][0].split(":rule/")[1]
    assert event.scheduled_time == utc(raw["time"])
    assert event.past_due is None


@pytest.mark.parametrize("path", params("aws/eventbridge/*.json"))
def test_custom_eventbridge_event(path: Path) -> None:
    raw = load(path)
    event = only(raw)
    assert type(event) is Event
    check_envelope(event, raw)
    assert event.attributes.get("replay_name") == raw.get("replay-name")


# -- CloudWatch Logs --------------------------------------------------------------------

def log_document(raw: dict[str, Any]) -> dict[str, Any]:
    packed = base64.b64decode(raw["awslogs"]["data"])
    # gzip for log-group subscriptions; zlib in the account-level policy sample
    wbits = 16 + zlib.MAX_WBITS if packed[:2] == b"\x1f\x8b" else zlib.MAX_WBITS
    return json.loads(zlib.decompress(packed, wbits))  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", params("aws/cloudwatch-logs/*.json"))
def test_cloudwatch_logs_one_event_per_log_record(path: Path) -> None:
    raw = load(path)
    document = log_document(raw)
    events = aws.decode(raw)
    assert len(events) == len(document["logEvents"]) > 0
    for event, record in zip(events, document["logEvents"], strict=True):
        assert event.trigger == "aws.cloudwatch.logs"
        assert (event.id, event.data) == (record["id"], record["message"])
        assert event.time == ms(record["timestamp"])
        assert (event.source, event.subject) == (document["logGroup"], document["logStream"])
        assert event.type == document["messageType"]
        attributes = event.attributes
        assert attributes["owner"] == document["owner"]
        assert attributes["subscription_filters"] == ",".join(document["subscriptionFilters"])
        assert attributes.get("policy_level") == document.get("policyLevel")
        assert event.raw is raw
        assert event.native.parse_logs_data().log_group == document["logGroup"]


# -- Firehose and AppSync batches -------------------------------------------------------

@pytest.mark.parametrize("path", params("aws/kinesis-firehose/*.json"))
def test_firehose_one_event_per_record(path: Path) -> None:
    raw = load(path)
    events = aws.decode(raw)
    assert len(events) == len(raw["records"])
    for event, record in zip(events, raw["records"], strict=True):
        assert event.trigger == "aws.kinesis.firehose"
        assert event.id == record["recordId"]
        assert event.source == raw["deliveryStreamArn"]
        assert event.time == ms(record["approximateArrivalTimestamp"])
        content = base64.b64decode(record["data"])
        assert event.payload_bytes_or_text() == content
        expected = json.loads(content) if content.lstrip()[:1] in (b"{", b"[") else content.decode()
        assert event.data == expected
        meta = record.get("kinesisRecordMetadata", {})
        assert event.attributes.get("partition_key") == meta.get("partitionKey")
        assert event.attributes.get("shard_id") == meta.get("shardId")
        assert event.attributes["invocation_id"] == raw["invocationId"]


@pytest.mark.parametrize("path", params("aws/appsync/appSyncBatchEvent.json"))
def test_appsync_batch_one_event_per_item(path: Path) -> None:
    raw = load(path)
    events = aws.decode(raw)
    assert len(events) == len(raw) > 1
    for event, item in zip(events, raw, strict=True):
        assert event.trigger == "aws.appsync.batch"
        assert event.data == item["arguments"]
        assert event.type == f"{item['info']['parentTypeName']}.{item['info']['fieldName']}"
        assert event.raw is item
        assert event.native.arguments == item["arguments"]


# -- request/response integrations ------------------------------------------------------

def _rc(raw: dict[str, Any], key: str) -> Any:
    return raw.get("requestContext", {}).get(key)


def _graphql(raw: dict[str, Any]) -> str:
    info = raw.get("info") or raw
    return f"{info.get('parentTypeName') or info['typeName']}.{info['fieldName']}"


#: folder -> payload -> the (id, source, type, subject, data) the event must carry,
#: read from the provider's documentation of each payload
EXPECTED: dict[str, Any] = {
    "apigw-authorizer": lambda r: (
        _rc(r, "requestId"), r.get("methodArn") or r.get("routeArn"), r["type"],
        r.get("routeKey") or r.get("path") or _rc(r, "routeKey"), r),
    "apigw-websocket": lambda r: (
        _rc(r, "requestId"), _rc(r, "domainName"), _rc(r, "eventType"), _rc(r, "routeKey"),
        r.get("body")),
    "appsync": lambda r: (
        (_rc(r, "requestId"), _rc(r, "apiId"), None, _rc(r, "operationName"), r)
        if "authorizationToken" in r else (None, None, _graphql(r), None, r["arguments"])),
    "appsync-events": lambda r: (
        None, r["info"]["channelNamespace"]["name"], r["info"]["operation"],
        r["info"]["channel"]["path"], r),
    "bedrock-agent": lambda r: (None, r["agent"]["id"], r["actionGroup"], r["apiPath"], r),
    "cloudformation-custom-resource": lambda r: (
        r["RequestId"], r["StackId"], r["RequestType"], r["LogicalResourceId"], r),
    "cloudwatch-alarm": lambda r: (
        None, r["source"], r["alarmData"]["state"]["value"], r["alarmData"]["alarmName"],
        r["alarmData"]),
    "cloudwatch-dashboard": lambda r: (
        None, r["widgetContext"]["dashboardName"], None, r["widgetContext"]["widgetId"], r),
    "codedeploy": lambda r: (r["LifecycleEventHookExecutionId"], None, None,
                             r["DeploymentId"], r),
    "codepipeline": lambda r: (r["CodePipeline.job"]["id"], None, None, None,
                               r["CodePipeline.job"]),
    "cognito-userpool": lambda r: (None, r["userPoolId"], r["triggerSource"], r["userName"], r),
    "config-rule": lambda r: (None, r["configRuleArn"], None, r["configRuleName"], r),
    "connect": lambda r: (
        r["Details"]["ContactData"]["ContactId"], r["Details"]["ContactData"]["InstanceARN"],
        r["Name"], None, r["Details"]),
    "connect-outbound-campaigns": lambda r: (
        None, r["InvocationMetadata"]["CampaignContext"]["CampaignId"], None,
        r["InvocationMetadata"]["CampaignContext"]["ActionId"], r),
    "s3-batch": lambda r: (r["invocationId"], r["job"]["id"], None, r["tasks"][0]["s3Key"], r),
    "s3-object-lambda": lambda r: (
        r["xAmzRequestId"], r["configuration"]["accessPointArn"], "GetObject",
        r["userRequest"]["url"], r),
    "secrets-manager-rotation": lambda r: (
        r["ClientRequestToken"], r["SecretId"], r["Step"], None, r),
    "ses": lambda r: (
        r["Records"][0]["ses"]["mail"]["messageId"], "aws:ses", None, None, r["Records"][0]["ses"]),
    "transfer-family": lambda r: (None, r["serverId"], None, r["username"], r),
}

#: folder -> the powertools data class behind event.native (None: there is none)
NATIVE = {
    "apigw-authorizer": None,  # three classes: see test_apigw_authorizer_native
    "apigw-websocket": "APIGatewayWebSocketEvent",
    "appsync": None,  # resolver or authorizer: see test_appsync_native
    "appsync-events": "AppSyncResolverEventsEvent", "bedrock-agent": "BedrockAgentEvent",
    "cloudformation-custom-resource": "CloudFormationCustomResourceEvent",
    "cloudwatch-alarm": "CloudWatchAlarmEvent",
    "cloudwatch-dashboard": "CloudWatchDashboardCustomWidgetEvent",
    "codedeploy": "CodeDeployLifecycleHookEvent", "codepipeline": "CodePipelineJobEvent",
    "cognito-userpool": None,  # one class per trigger source: see test_cognito_native
    "config-rule": "AWSConfigRuleEvent", "connect": "ConnectContactFlowEvent",
    "connect-outbound-campaigns": "dict",  # powertools has none: native is raw
    "s3-batch": "S3BatchOperationEvent", "s3-object-lambda": "S3ObjectLambdaEvent",
    "secrets-manager-rotation": "SecretsManagerEvent", "ses": "SESEvent",
    "transfer-family": "TransferFamilyAuthorizer",
}

INTEGRATION_SAMPLES = [
    p for name in EXPECTED for p in params(f"aws/{name}/*.json")
    if p.values[0] is None or p.values[0].name != "appSyncBatchEvent.json"
]


@pytest.mark.parametrize("path", INTEGRATION_SAMPLES)
def test_integration_fields(path: Path) -> None:
    raw = load(path)
    event = only(raw)
    assert type(event) is Event
    assert (event.provider, event.trigger) == ("aws", trigger_name(path))
    assert (event.id, event.source, event.type, event.subject, event.data) == \
        EXPECTED[folder(path)](raw)
    assert event.raw is raw
    expected_native = NATIVE[folder(path)]
    if expected_native:
        assert type(event.native).__name__ == expected_native
    json.dumps(event.to_dict())


@pytest.mark.parametrize("path", params("aws/cognito-userpool/*.json"))
def test_cognito_data_is_the_payload_itself_and_native_is_per_trigger_source(path: Path) -> None:
    raw = load(path)
    event = only(raw)
    assert event.data is raw  # fill data["response"] and return it
    prefix = raw["triggerSource"].split("_")[0]
    expected = {"TokenGeneration": "PreTokenGenerationTriggerEvent"}.get(
        prefix, f"{prefix}TriggerEvent")
    if "scopes" in raw["request"]:
        expected = "PreTokenGenerationV2TriggerEvent"
    assert type(event.native).__name__ == expected
    assert event.attributes["client_id"] == raw["callerContext"]["clientId"]


@pytest.mark.parametrize("path", params("aws/apigw-authorizer/*.json"))
def test_apigw_authorizer_native(path: Path) -> None:
    raw = load(path)
    expected = ("APIGatewayAuthorizerTokenEvent" if raw["type"] == "TOKEN"
                else "APIGatewayAuthorizerEventV2" if "routeArn" in raw
                else "APIGatewayAuthorizerRequestEvent")
    event = only(raw)
    assert type(event.native).__name__ == expected
    epoch = _rc(raw, "requestTimeEpoch") or _rc(raw, "timeEpoch")
    assert event.time == (ms(epoch) if epoch else None)


@pytest.mark.parametrize("path", params("aws/appsync/*.json"))
def test_appsync_native(path: Path) -> None:
    raw = load(path)
    expected = ("AppSyncAuthorizerEvent" if isinstance(raw, dict) and "authorizationToken" in raw
                else "AppSyncResolverEvent")
    assert all(type(e.native).__name__ == expected for e in aws.decode(raw))


@pytest.mark.parametrize("path", params("aws/cloudwatch-alarm/*.json"))
def test_cloudwatch_alarm_time_and_attributes(path: Path) -> None:
    raw = load(path)
    event = only(raw)
    assert event.time == utc(raw["time"])
    assert event.attributes == {"alarm_arn": raw["alarmArn"], "account": raw["accountId"],
                                "region": raw["region"]}


@pytest.mark.parametrize("path", params("aws/ses/*.json"))
def test_ses_time(path: Path) -> None:
    raw = load(path)
    assert only(raw).time == utc(raw["Records"][0]["ses"]["mail"]["timestamp"])


@pytest.mark.parametrize("path", params("aws/apigw-websocket/*.json"))
def test_websocket_time_and_connection(path: Path) -> None:
    raw = load(path)
    event = only(raw)
    assert event.time == ms(raw["requestContext"]["requestTimeEpoch"])
    assert event.attributes["connection_id"] == raw["requestContext"]["connectionId"]
    assert event.attributes["stage"] == raw["requestContext"]["stage"]
