"""One-event AWS deliveries: an S3 put notification, an SNS notification, an
EventBridge event.

Every side reads the same fields and keeps them (``box[0] = reads``), over a new
event and a new awslambdaric ``LambdaContext`` per call (``benchmarks._aws``):

* S3: bucket name, object key (form-decoded, as S3 sends keys), size.
* SNS: message id, subject, topic ARN, the JSON message parsed.
* EventBridge: ``detail-type``, ``source``, one ``detail`` member.

polyfn runs ``lambda_handler(handle)(event, context)``; the peer is the powertools
data class its docs use (``S3Event``, ``SNSEvent``, ``EventBridgeEvent``); the floor
is plain dict access.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

from ._aws import Box, fresh, powertools
from ._core import Impl, Scenario, Target, need

__all__ = ["EVENTBRIDGE", "EVENTBRIDGE_EVENT", "S3", "S3_EVENT", "SCENARIOS", "SNS", "SNS_EVENT"]

#: An S3 ObjectCreated:Put notification (the S3 user guide's event structure).
S3_EVENT: dict[str, Any] = {"Records": [{
    "eventVersion": "2.1",
    "eventSource": "aws:s3",
    "awsRegion": "eu-west-1",
    "eventTime": "2024-03-13T10:15:30.123Z",
    "eventName": "ObjectCreated:Put",
    "userIdentity": {"principalId": "AWS:AIDAINPONIXQXHT3IKHL2"},
    "requestParameters": {"sourceIPAddress": "203.0.113.7"},
    "responseElements": {
        "x-amz-request-id": "C3D13FE58DE4C810",
        "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
    "s3": {
        "s3SchemaVersion": "1.0",
        "configurationId": "orders-uploaded",
        "bucket": {"name": "orders-inbox", "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                   "arn": "arn:aws:s3:::orders-inbox"},
        "object": {"key": "2024/03/order+1001.json", "size": 1024,
                   "eTag": "d41d8cd98f00b204e9800998ecf8427e",
                   "versionId": "096fKKXTRTtl3on89fVO.nfljtsv6qko",
                   "sequencer": "0055AED6DCD90281E5"},
    },
}]}

_TOPIC = "arn:aws:sns:eu-west-1:123456789012:orders"

#: An SNS notification delivered to Lambda (the Lambda developer guide's example).
SNS_EVENT: dict[str, Any] = {"Records": [{
    "EventVersion": "1.0",
    "EventSubscriptionArn": f"{_TOPIC}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
    "EventSource": "aws:sns",
    "Sns": {
        "SignatureVersion": "1",
        "Timestamp": "2024-03-13T10:15:30.123Z",
        "Signature": "tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j...65r==",
        "SigningCertUrl": "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000.pem",
        "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
        "Message": json.dumps({"order_id": 1001, "sku": "SKU-1", "quantity": 3}),
        "MessageAttributes": {"tenant": {"Type": "String", "Value": "acme"}},
        "Type": "Notification",
        "UnsubscribeUrl": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe",
        "TopicArn": _TOPIC,
        "Subject": "order placed",
    },
}]}

#: A custom EventBridge event (the EventBridge user guide's envelope).
EVENTBRIDGE_EVENT: dict[str, Any] = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "Order Placed",
    "source": "com.example.orders",
    "account": "123456789012",
    "time": "2024-03-13T10:15:30Z",
    "region": "eu-west-1",
    "resources": ["arn:aws:events:eu-west-1:123456789012:rule/orders"],
    "detail": {"order_id": 1001, "sku": "SKU-1", "quantity": 3,
               "customer": {"id": "c-42", "tier": "gold"}},
}


def _polyfn(event: dict[str, Any], reads: Callable[[Any], Any]
            ) -> Callable[[], Callable[[], Any]]:
    def setup() -> Callable[[], Any]:
        aws = need("adapters.aws")
        box: Box = [None]

        def handle(uniform: Any) -> None:
            box[0] = reads(uniform)

        return fresh(aws.lambda_handler(handle), event, box)

    return setup


def _handler(event: dict[str, Any], reader: Callable[[], Reader]
             ) -> Callable[[], Callable[[], Any]]:
    def setup() -> Callable[[], Any]:
        box: Box = [None]
        read_all = reader()  # the peer's classes looked up once, not per call
        return fresh(lambda raw, context: read_all(raw, box), event, box)

    return setup


Reader = Callable[[dict[str, Any], Box], None]


def _floor(read_all: Reader) -> Callable[[], Reader]:
    return lambda: read_all


# -- S3 -------------------------------------------------------------------------

def _s3_powertools() -> Reader:
    S3Event = powertools("data_classes").S3Event

    def read_all(raw: dict[str, Any], box: Box) -> None:
        for record in S3Event(raw).records:
            obj = record.s3.get_object
            box[0] = (record.s3.bucket.name, unquote_plus(obj.key), obj.size)

    return read_all


def _s3_floor(raw: dict[str, Any], box: Box) -> None:
    for record in raw["Records"]:
        s3 = record["s3"]
        obj = s3["object"]
        box[0] = (s3["bucket"]["name"], unquote_plus(obj["key"]), obj.get("size"))


# -- SNS ------------------------------------------------------------------------

def _sns_powertools() -> Reader:
    SNSEvent = powertools("data_classes").SNSEvent

    def read_all(raw: dict[str, Any], box: Box) -> None:
        for record in SNSEvent(raw).records:
            sns = record.sns
            box[0] = (sns.message_id, sns.subject, sns.topic_arn, json.loads(sns.message))

    return read_all


def _sns_floor(raw: dict[str, Any], box: Box) -> None:
    for record in raw["Records"]:
        sns = record["Sns"]
        box[0] = (sns["MessageId"], sns.get("Subject"), sns["TopicArn"],
                  json.loads(sns["Message"]))


# -- EventBridge ----------------------------------------------------------------

def _eb_powertools() -> Reader:
    EventBridgeEvent = powertools("data_classes").EventBridgeEvent

    def read_all(raw: dict[str, Any], box: Box) -> None:
        event = EventBridgeEvent(raw)
        box[0] = (event.detail_type, event.source, event.detail["order_id"])

    return read_all


def _eb_floor(raw: dict[str, Any], box: Box) -> None:
    box[0] = (raw["detail-type"], raw["source"], raw["detail"]["order_id"])


def _scenario(name: str, title: str, event: dict[str, Any], reads: Callable[[Any], Any],
              peer: Callable[[], Reader], floor: Reader) -> Scenario:
    return Scenario(
        name=name, title=title, polyfn=Impl("polyfn", _polyfn(event, reads)),
        peers=(Impl("powertools-dataclass", _handler(event, peer)),),
        floor=Impl("raw-dict", _handler(event, _floor(floor))),
        targets=(Target("powertools-dataclass", ratio=0.8), Target("floor", ratio=2.0)),
    )


SCENARIOS = (
    _scenario("s3.put", "S3 put notification -> handler (bucket, key, size)", S3_EVENT,
              lambda e: (e.bucket, e.key, e.size), _s3_powertools, _s3_floor),
    _scenario("sns.notification", "SNS notification -> handler (id, subject, topic, JSON)",
              SNS_EVENT, lambda e: (e.id, e.subject, e.source, e.data),
              _sns_powertools, _sns_floor),
    _scenario("eventbridge.event", "EventBridge event -> handler (type, source, detail)",
              EVENTBRIDGE_EVENT, lambda e: (e.type, e.source, e.data["order_id"]),
              _eb_powertools, _eb_floor),
)
#: The scenarios by name, for ``python -m benchmarks.instructions aws_records:S3``.
S3, SNS, EVENTBRIDGE = SCENARIOS
