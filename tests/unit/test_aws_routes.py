"""``adapters.aws._routes``: a payload named by one field is detected without
importing the other trigger modules, and always as full detection detects it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import adapters.aws as aws
from adapters._trigger import detect as full_detection
from adapters.aws._routes import route
from tests.support.samples import HAVE_SAMPLES, SKIP_REASON, load, sample_files


def _full(raw: Any) -> str | None:
    try:
        return full_detection("aws", aws.TRIGGERS, raw).name
    except Exception:
        return None


def _routed(raw: Any) -> str | None:
    trigger = route(raw)
    return None if trigger is None else trigger.name


@pytest.mark.skipif(not HAVE_SAMPLES, reason=SKIP_REASON)
@pytest.mark.parametrize("path", sample_files("aws/**/*.json"), ids=lambda p: p.parent.name
                         + "/" + p.name)
def test_a_routed_sample_is_what_full_detection_says(path: Path) -> None:
    raw = load(path)
    routed = _routed(raw)
    assert routed is None or routed == _full(raw)
    assert aws.detect(raw).name == _full(raw)


_RECORD = {"eventSource": "aws:kinesis", "kinesis": {"data": ""}}


@pytest.mark.parametrize("raw", [
    # Two sender fields: detection order decides (SQS, then SNS, then the rest).
    {"Records": [{**_RECORD, "EventSource": "aws:sns", "Sns": {}}]},
    {"Records": [{"eventSource": "aws:sqs", "EventSource": "aws:sns", "body": ""}]},
    {"Records": [{"eventSource": "aws:dynamodb"}]},
    {"Records": [{"eventSource": "aws:s3"}]},
    {"Records": [{"eventSource": ["aws:sqs"]}]},
    {"Records": [{"eventSource": "aws:ses"}]},
    {"Records": ["aws:sqs"]},
    {"Records": []},
    {"Records": "aws:sqs"},
    # An envelope carrying a key an earlier trigger reads is left to full detection.
    {"detail-type": "x", "source": "y", "eventSource": "aws:rmq", "rmqMessagesByQueue": {}},
    {"detail-type": "x", "source": "y", "httpMethod": "GET", "requestContext": {}},
    {"detail-type": "Scheduled Event", "source": "aws.events", "resources": []},
    {"detail-type": "Object Created", "source": "aws.s3",
     "detail": {"bucket": {}, "object": {}}},
    {"detail-type": "Object Created", "source": "aws.s3", "detail": {}},
    {"detail-type": 3, "source": None},
], ids=repr)
def test_routing_never_disagrees_with_detection_order(raw: dict[str, Any]) -> None:
    routed = _routed(raw)
    assert routed is None or routed == _full(raw)


def test_sns_before_kinesis_as_in_detection_order() -> None:
    raw = {"Records": [{**_RECORD, "EventSource": "aws:sns", "Sns": {}}]}
    assert _routed(raw) == _full(raw) == "aws.sns"


def test_routed_triggers_are_the_instances_of_TRIGGERS() -> None:
    raw = {"Records": [{"eventSource": "aws:sqs", "body": "", "messageId": "m"}]}
    assert aws.detect(raw) in aws.TRIGGERS
