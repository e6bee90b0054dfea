"""Bad input never escapes as a bare traceback.

For arbitrary JSON, built from the keys providers really send so that predicates
fire, every provider's ``detect`` either names one trigger or raises
``UnsupportedEventError``; a detected payload decodes, or raises
``EventDecodeError``; and reading each event's JSON form does the same. Never a
KeyError, TypeError or AttributeError from inside an adapter.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdk.errors import EventDecodeError, UnsupportedEventError

KEYS = [
    "Records", "records", "eventSource", "eventSourceARN", "body", "httpMethod", "version",
    "rawPath", "requestContext", "headers", "multiValueHeaders", "isBase64Encoded",
    "queryStringParameters", "detail-type", "detail", "source", "awslogs", "data",
    "messageId", "Sns", "s3", "dynamodb", "kinesis", "Type", "Message", "eventType",
    "context", "resource", "specversion", "type", "id", "message", "subscription",
    "eventName", "bucket", "object", "key", "elb", "http", "method", "raw_path", "path",
    "triggerSource", "userPoolId", "RequestType", "ResponseURL", "deliveryStreamArn",
    "invocationId", "eventTime", "subject", "dataVersion", "data_base64", "topic", "time",
    "receiptHandle", "attributes", "messageAttributes", "stage", "domainName", "cookies",
]
SOURCES = ["aws:sqs", "aws:sns", "aws:s3", "aws:kinesis", "aws:dynamodb", "aws:kafka",
           "aws:SelfManagedKafka", "aws:amq", "aws:rmq", "aws.events", "Scheduled Event"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from(SOURCES),
                    st.text(max_size=12), st.sampled_from(["2.0", "1.0", "$default", "GET"]))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)),
    max_leaves=25,
)
payloads = st.one_of(st.dictionaries(st.sampled_from(KEYS), values, max_size=8),
                     st.lists(st.dictionaries(st.sampled_from(KEYS), values, max_size=6),
                              max_size=3))


@pytest.mark.parametrize("provider", ["aws", "azure", "gcp", "cloudevents"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=payloads)
def test_bad_input_is_a_clear_error(provider: str, raw: Any) -> None:
    module = importlib.import_module(f"adapters.{provider}")
    try:
        trigger = module.detect(raw)
    except UnsupportedEventError as exc:
        assert str(exc).startswith(f"{provider}: ")
        return
    try:
        for event in trigger.decode(raw):
            event.to_dict()
    except EventDecodeError:
        pass
