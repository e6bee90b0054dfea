"""AWS Lambda's tracing table: one row per trigger family.

The parent: an HTTP request's W3C ``traceparent``, else the Lambda runtime's
X-Ray context ``_X_AMZN_TRACE_ID``
(https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime)
when it is sampled (with passive tracing it is not: an unsampled parent would
drop every span under the default parent-based sampler). A record's producer:
its W3C ``traceparent`` message attribute (what ``sdk.destination(...).send``
writes), else SQS's ``AWSTraceHeader`` system attribute
(https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sqs.html).
"""

from __future__ import annotations

from typing import Any

from sdk import Context
from sdk.adapter import getenv

from ._carrier import Carrier, Headers, from_attributes, traceparent

__all__ = ["CARRIERS", "DEFAULT", "parents"]


def _xray() -> Headers | None:
    header = getenv("_X_AMZN_TRACE_ID")
    if not header or "Sampled=1" not in header:
        return None
    return {"X-Amzn-Trace-Id": header}


def _headers(raw: Any) -> dict[str, str]:
    headers = raw.get("headers") or {}
    return {str(k).lower(): v if isinstance(v, str) else str(v[0]) if v else ""
            for k, v in headers.items()}


def parents(raw: Any, context: Context, row: Carrier) -> list[Headers | None]:
    """The invocation's parent candidates, in order."""
    if row.faas == "http" and isinstance(raw, dict):
        headers = _headers(raw)
        return [traceparent(headers.get("traceparent"), headers.get("tracestate")), _xray()]
    return [_xray()]


def _http(raw: Any) -> dict[str, Any]:
    http = (raw.get("requestContext") or {}).get("http") or {}
    route = raw.get("resource") or raw.get("routeKey", "").partition(" ")[2] or None
    return {"http.request.method": raw.get("httpMethod") or http.get("method")
            or raw.get("method"),
            "http.route": route, "url.path": raw.get("rawPath") or raw.get("path")}


def _status(result: Any) -> int | None:
    status = result.get("statusCode") if isinstance(result, dict) else None
    return status if isinstance(status, int) else None


def _arn_name(arn: Any) -> str | None:
    return arn.rsplit(":", 1)[-1].rsplit("/", 1)[-1] or None if isinstance(arn, str) else None


def _table(arn: Any) -> str | None:
    """``arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL`` -> ``NAME``."""
    return arn.partition(":table/")[2].partition("/")[0] or None if isinstance(arn, str) else None


def _records(source: str, name: Any = _arn_name) -> Any:
    """The ``Records`` delivery's destination (``source`` names the ARN field) and count."""

    def describe(raw: Any) -> dict[str, Any]:
        records = raw["Records"]
        return {"messaging.destination.name": name(records[0].get(source)),
                "messaging.batch.message_count": len(records) if len(records) > 1 else None}

    return describe


def _sqs_item(item: Any) -> Headers | None:
    attributes = item.get("messageAttributes") or {}
    w3c = {k: v.get("stringValue") for k, v in attributes.items()
           if k in ("traceparent", "tracestate") and isinstance(v, dict)}
    found = traceparent(w3c.get("traceparent"), w3c.get("tracestate"))
    if found is None:
        header = (item.get("attributes") or {}).get("AWSTraceHeader")
        found = {"X-Amzn-Trace-Id": header} if isinstance(header, str) and header else None
    return found


def _sqs_record(event: Any) -> Headers | None:
    raw = getattr(event, "raw", None)
    return _sqs_item(raw) if isinstance(raw, dict) and "messageId" in raw else None


def _sns_item(raw: Any) -> Headers | None:
    attributes = raw["Sns"].get("MessageAttributes") or {}
    return from_attributes({k: v.get("Value") for k, v in attributes.items()
                            if isinstance(v, dict)})


def _only(read: Any) -> Any:
    """The producer carrier of a delivery holding exactly one record."""

    def single(raw: Any) -> Headers | None:
        records = raw["Records"]
        return read(records[0]) if len(records) == 1 else None

    return single


def _sns_event(event: Any) -> Headers | None:
    raw = getattr(event, "raw", None)
    return _sns_item(raw) if isinstance(raw, dict) and "Sns" in raw else from_attributes(
        getattr(event, "attributes", None))


def _mq(raw: Any) -> dict[str, Any]:
    return {"messaging.system": "rabbitmq" if "rmqMessagesByQueue" in raw else "activemq"}


def _kafka(raw: Any) -> dict[str, Any]:
    topics = {str(key).rsplit("-", 1)[0] for key in raw.get("records") or {}}
    count = sum(len(items) for items in (raw.get("records") or {}).values())
    return {"messaging.destination.name": topics.pop() if len(topics) == 1 else None,
            "messaging.batch.message_count": count if count > 1 else None}


_HTTP = Carrier("http", describe=_http, status=_status)

#: Trigger name -> its row (every other trigger: ``DEFAULT``).
CARRIERS: dict[str, Carrier] = {
    "aws.apigw.v2": _HTTP, "aws.function.url": _HTTP, "aws.apigw.v1": _HTTP,
    "aws.alb": _HTTP, "aws.vpc.lattice": _HTTP,
    "aws.sqs": Carrier("pubsub", system="aws_sqs", describe=_records("eventSourceARN"),
                       record=_sqs_record, single=_only(_sqs_item)),
    "aws.sns": Carrier("pubsub", system="aws.sns", describe=lambda raw: {
        "messaging.destination.name": _arn_name(raw["Records"][0]["Sns"].get("TopicArn"))},
        record=_sns_event, single=_only(_sns_item)),
    # Kinesis and EventBridge have no messaging.system in the registry (docs/tracing.md)
    "aws.kinesis": Carrier("pubsub", describe=_records("eventSourceARN")),
    "aws.dynamodb.stream": Carrier("datasource",
                                     describe=_records("eventSourceARN", _table)),
    "aws.s3": Carrier("datasource"),
    "aws.s3.eventbridge": Carrier("datasource"),
    "aws.kafka": Carrier("pubsub", system="kafka", describe=_kafka),
    "aws.mq": Carrier("pubsub", describe=_mq),
    "aws.scheduled": Carrier("timer"),
    "aws.eventbridge": Carrier("pubsub"),
}
DEFAULT = Carrier("other")
