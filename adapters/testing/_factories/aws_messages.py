"""AWS queues and streams: SQS, SNS, Kinesis, DynamoDB Streams, S3 notifications,
Kafka, Amazon MQ and Firehose, one record each (combine several with
:func:`adapters.testing.batch`).

Formats: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html, ``with-sns``,
``with-kinesis``, ``with-ddb``, ``with-s3``, ``with-msk``, ``with-mq`` and
https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html.
A payload given as ``str`` is sent as is, ``bytes`` as they are, any other value as
compact JSON.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote_plus

from ._common import ACCOUNT, DEFAULT_TIME, REGION, as_text, b64, epoch_ms, iso, new_id

__all__ = ["dynamodb_stream", "kafka", "kinesis", "kinesis_firehose", "mq", "s3", "sns", "sqs"]

_DEFAULT = '{"message": "hello"}'


def _sequence() -> str:
    """A fresh 56-digit sequence number (Kinesis, DynamoDB: records are reported by it)."""
    return ("49" + str(uuid.uuid4().int)).ljust(56, "0")[:56]


def sqs(body: Any = _DEFAULT, *, queue: str = "polyfn-queue", message_id: str | None = None,
        attributes: Mapping[str, str] | None = None, receive_count: int = 1,
        group_id: str | None = None, time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """An SQS delivery of one message; ``group_id`` makes it a FIFO queue's."""
    text = as_text(body)
    sent = str(epoch_ms(time))
    system = {"ApproximateReceiveCount": str(receive_count), "SentTimestamp": sent,
              "SenderId": "AIDAIENQZJOLO23YVJ4VO", "ApproximateFirstReceiveTimestamp": sent}
    if group_id is not None:
        queue = queue if queue.endswith(".fifo") else f"{queue}.fifo"
        system.update(MessageGroupId=group_id, MessageDeduplicationId=new_id(),
                      SequenceNumber=_sequence()[:20])
    return {"Records": [{
        "messageId": message_id or new_id(), "receiptHandle": f"AQEB{uuid.uuid4().hex}",
        "body": text, "attributes": system,
        "messageAttributes": {name: {"stringValue": value, "stringListValues": [],
                                     "binaryListValues": [], "dataType": "String"}
                              for name, value in (attributes or {}).items()},
        "md5OfBody": hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest(),
        "eventSource": "aws:sqs", "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue}",
        "awsRegion": REGION,
    }]}


def sns(message: Any = _DEFAULT, *, topic: str = "polyfn-topic", subject: str | None = None,
        attributes: Mapping[str, str] | None = None, message_id: str | None = None,
        time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """An SNS notification delivered to Lambda."""
    arn = f"arn:aws:sns:{REGION}:{ACCOUNT}:{topic}"
    return {"Records": [{
        "EventVersion": "1.0", "EventSubscriptionArn": f"{arn}:{new_id()}",
        "EventSource": "aws:sns",
        "Sns": {
            "SignatureVersion": "1", "Timestamp": iso(time), "Signature": "EXAMPLE",
            "SigningCertUrl": f"https://sns.{REGION}.amazonaws.com/SimpleNotificationService.pem",
            "MessageId": message_id or new_id(), "Message": as_text(message),
            "MessageAttributes": {name: {"Type": "String", "Value": value}
                                  for name, value in (attributes or {}).items()},
            "Type": "Notification",
            "UnsubscribeUrl": f"https://sns.{REGION}.amazonaws.com/?Action=Unsubscribe",
            "TopicArn": arn, "Subject": subject,
        },
    }]}


def kinesis(data: Any = _DEFAULT, *, stream: str = "polyfn-stream",
            partition_key: str = "key-1", sequence_number: str | None = None,
            shard: str = "shardId-000000000000", time: datetime = DEFAULT_TIME
            ) -> dict[str, Any]:
    """A Kinesis Data Streams record."""
    sequence = sequence_number or _sequence()
    return {"Records": [{
        "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": partition_key,
                    "sequenceNumber": sequence, "data": b64(data),
                    "approximateArrivalTimestamp": epoch_ms(time) / 1000},
        "eventSource": "aws:kinesis", "eventVersion": "1.0", "eventID": f"{shard}:{sequence}",
        "eventName": "aws:kinesis:record", "awsRegion": REGION,
        "invokeIdentityArn": f"arn:aws:iam::{ACCOUNT}:role/polyfn-role",
        "eventSourceARN": f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{stream}",
    }]}


def _attribute(value: Any) -> dict[str, Any]:
    """A Python value as a DynamoDB AttributeValue."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, float, Decimal)):
        return {"N": str(value)}
    if isinstance(value, (bytes, bytearray)):
        return {"B": b64(bytes(value))}
    if isinstance(value, Mapping):
        return {"M": {str(k): _attribute(v) for k, v in value.items()}}
    if isinstance(value, (set, frozenset)):
        items = sorted(value, key=str)
        tag = "NS" if all(isinstance(i, (int, float, Decimal)) for i in items) else "SS"
        return {tag: [str(i) for i in items]}
    if isinstance(value, (list, tuple)):
        return {"L": [_attribute(v) for v in value]}
    return {"S": str(value)}


def _image(item: Mapping[str, Any]) -> dict[str, Any]:
    return {str(name): _attribute(value) for name, value in item.items()}


#: (old image present, new image present) -> eventName
_STREAM_EVENTS = {(False, True): "INSERT", (True, True): "MODIFY", (True, False): "REMOVE"}


def dynamodb_stream(new: Mapping[str, Any] | None = None, old: Mapping[str, Any] | None = None,
                    *, keys: Mapping[str, Any] | None = None, table: str = "polyfn-table",
                    sequence_number: str | None = None, time: datetime = DEFAULT_TIME
                    ) -> dict[str, Any]:
    """A DynamoDB Streams record (NEW_AND_OLD_IMAGES): ``new`` only is an insert,
    both an update, ``old`` only a removal; neither gives a sample insert."""
    keys = dict(keys) if keys is not None else {"id": "item-1"}
    if new is None and old is None:
        new = {**keys, "message": "hello"}
    record: dict[str, Any] = {"ApproximateCreationDateTime": epoch_ms(time) // 1000,
                              "Keys": _image(keys)}
    if new is not None:
        record["NewImage"] = _image(new)
    if old is not None:
        record["OldImage"] = _image(old)
    record.update(SequenceNumber=sequence_number or _sequence()[:21], SizeBytes=128,
                  StreamViewType="NEW_AND_OLD_IMAGES")
    return {"Records": [{
        "eventID": uuid.uuid4().hex,
        "eventName": _STREAM_EVENTS[(old is not None, new is not None)],
        "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": REGION,
        "dynamodb": record,
        "eventSourceARN": (f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}/stream/"
                           "2024-05-01T12:00:00.000"),
    }]}


def s3(key: str = "uploads/hello.txt", *, bucket: str = "polyfn-bucket",
       event_name: str = "ObjectCreated:Put", size: int = 1024,
       etag: str = "d41d8cd98f00b204e9800998ecf8427e", version_id: str | None = None,
       time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """An S3 event notification (keys are URL-encoded, as S3 sends them)."""
    obj: dict[str, Any] = {"key": quote_plus(key, safe="/")}
    if not event_name.startswith(("ObjectRemoved", "LifecycleExpiration")):
        obj.update(size=size, eTag=etag)
    if version_id is not None:
        obj["versionId"] = version_id
    obj["sequencer"] = "0A1B2C3D4E5F678901"
    return {"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": REGION,
        "eventTime": iso(time), "eventName": event_name,
        "userIdentity": {"principalId": "AWS:AIDAINPONIXQXHT3IKHL2"},
        "requestParameters": {"sourceIPAddress": "203.0.113.10"},
        "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810",
                             "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S"},
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "polyfn-notification",
               "bucket": {"name": bucket, "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                          "arn": f"arn:aws:s3:::{bucket}"},
               "object": obj},
    }]}


def kafka(value: Any = _DEFAULT, *, topic: str = "polyfn-topic", partition: int = 0,
          offset: int | None = None, key: str | None = "key-1",
          headers: Mapping[str, str] | None = None, self_managed: bool = False,
          time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """An MSK (or, ``self_managed``, Apache Kafka) record; ``value=None`` is a tombstone."""
    record = {
        "topic": topic, "partition": partition,
        "offset": offset if offset is not None else uuid.uuid4().int % 10**9,
        "timestamp": epoch_ms(time), "timestampType": "CREATE_TIME",
        "key": None if key is None else b64(key),
        "value": None if value is None else b64(value),
        "headers": [{name: list(text.encode("utf-8"))} for name, text in (headers or {}).items()],
    }
    event: dict[str, Any] = {"eventSource": "aws:SelfManagedKafka" if self_managed
                             else "aws:kafka"}
    if not self_managed:
        event["eventSourceArn"] = (f"arn:aws:kafka:{REGION}:{ACCOUNT}:cluster/polyfn-cluster/"
                                   "abcd1234-abcd-cafe-abab-9876543210ab-4")
    event["bootstrapServers"] = "b-1.polyfn-cluster.kafka.us-east-1.amazonaws.com:9092"
    event["records"] = {f"{topic}-{partition}": [record]}
    return event


def _activemq(data: Any, queue: str, message_id: str,
              properties: Mapping[str, str], time: datetime) -> dict[str, Any]:
    ms = epoch_ms(time)
    return {"eventSource": "aws:amq",
            "eventSourceArn": f"arn:aws:mq:{REGION}:{ACCOUNT}:broker:polyfn-broker:b-1234",
            "messages": [{
                "messageID": message_id, "messageType": "jms/text-message", "deliveryMode": 1,
                "replyTo": None, "type": None, "expiration": "60000", "priority": 1,
                "correlationId": new_id(), "redelivered": False,
                "destination": {"physicalName": queue}, "data": b64(data),
                "timestamp": ms, "brokerInTime": ms, "brokerOutTime": ms + 1,
                "properties": dict(properties)}]}


def _rabbitmq(data: Any, queue: str, message_id: str,
              properties: Mapping[str, str], time: datetime) -> dict[str, Any]:
    body = b64(data)
    return {"eventSource": "aws:rmq",
            "eventSourceArn": f"arn:aws:mq:{REGION}:{ACCOUNT}:broker:polyfn-broker:b-1234",
            "rmqMessagesByQueue": {f"{queue}::/": [{
                "basicProperties": {
                    "contentType": "text/plain", "contentEncoding": None,
                    "headers": dict(properties), "deliveryMode": 1, "priority": 0,
                    "correlationId": new_id(), "replyTo": None, "expiration": "60000",
                    "messageId": message_id, "timestamp": time.strftime("%b %d, %Y, %I:%M:%S %p"),
                    "type": None, "userId": "AIDACKCEVSQ6C2EXAMPLE", "appId": None,
                    "clusterId": None, "bodySize": len(body) * 3 // 4},
                "redelivered": False, "data": body}]}}


#: broker -> builder of its delivery
_BROKERS = {"activemq": _activemq, "rabbitmq": _rabbitmq}


def mq(data: Any = _DEFAULT, *, broker: str = "activemq", queue: str = "polyfn-queue",
       message_id: str | None = None, properties: Mapping[str, str] | None = None,
       time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """An Amazon MQ delivery of one message; ``broker`` is ``activemq`` or ``rabbitmq``."""
    build = _BROKERS.get(broker)
    if build is None:
        raise ValueError(f"broker must be one of {', '.join(_BROKERS)}, not {broker!r}")
    return build(data, queue, message_id or f"ID:b-1234-{new_id()}", properties or {}, time)


def kinesis_firehose(data: Any = _DEFAULT, *, stream: str = "polyfn-delivery",
                     record_id: str | None = None, time: datetime = DEFAULT_TIME
                     ) -> dict[str, Any]:
    """A Firehose data-transformation invocation with one record."""
    return {"invocationId": new_id(),
            "deliveryStreamArn": f"arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/{stream}",
            "region": REGION,
            "records": [{"recordId": record_id or f"49{uuid.uuid4().int}"[:56],
                         "approximateArrivalTimestamp": epoch_ms(time), "data": b64(data)}]}
