"""AWS Lambda: ``handler = lambda_handler(handle)`` serves every supported trigger.

``import adapters.aws`` loads no Azure or Google code, no powertools and (for
untyped handlers) no pydantic: Lambda cold starts pay for every import. Only the
HTTP triggers load with the package; a payload that names its sender in one
field (SQS, SNS, Kinesis, DynamoDB Streams, S3, EventBridge) loads that trigger's
module alone (``_routes``), and the other modules load the first time a payload
is none of these (or ``TRIGGERS`` is read).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from adapters._http import HTTPTrigger
from adapters._tracing import invoke as _invoke
from adapters._trigger import DEFAULT_CONCURRENCY, Trigger, check_concurrency
from adapters._trigger import detect as _detect
from sdk import Context, Event, as_function

from . import _routes
from ._context import lambda_context
from ._http import ALB, APIGatewayV1, APIGatewayV2, FunctionURL, VPCLattice

__all__ = [
    "ALB", "PROVIDER", "TRIGGERS", "APIGatewayV1", "APIGatewayV2", "FunctionURL", "VPCLattice",
    "decode", "detect", "lambda_context", "lambda_handler",
]

PROVIDER = "aws"

#: The HTTP triggers, first in detection order.
_HTTP: tuple[Trigger, ...] = (
    APIGatewayV2(),
    FunctionURL(),
    APIGatewayV1(),
    ALB(),
    VPCLattice(),
)
_rest: list[tuple[Trigger, ...]] = []
#: ``lambda_handler``'s options when none is given: the defaults of ``invoke``.
_DEFAULT_OPTIONS = {"partial_failures": True, "unwrap": False, "concurrency": DEFAULT_CONCURRENCY}


def _others() -> tuple[Trigger, ...]:
    """Every other trigger, in detection order (imported on first call)."""
    if not _rest:
        from ._firehose import KinesisFirehose
        from ._integrations import AppSyncBatch
        from ._integrations import triggers as _integrations
        from ._kafka import Kafka
        from ._logs import CloudWatchLogs
        from ._mq import MQ

        sqs, sns, kinesis, dynamodb, s3, s3_eventbridge, scheduled, eventbridge = (
            _routes.instance(where) for where in _routes.ROUTED)  # the instances ``route`` answers
        _rest.append((
            sqs,
            sns,
            kinesis,
            dynamodb,
            s3,
            Kafka(),
            MQ(),
            s3_eventbridge,
            scheduled,
            eventbridge,
            CloudWatchLogs(),
            KinesisFirehose(),
            AppSyncBatch(),
            *_integrations(),
        ))
    return _rest[0]


if TYPE_CHECKING:
    #: Every AWS trigger, in the order detection tries them (predicates do not overlap).
    TRIGGERS: tuple[Trigger, ...]


def __getattr__(name: str) -> Any:
    if name == "TRIGGERS":  # PEP 562: built on first read, like the triggers it holds
        return _HTTP + _others()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def detect(raw: Any) -> Trigger:
    """The trigger that produced ``raw``; :class:`UnsupportedEventError` if none."""
    routed = _routes.route(raw)  # only where no HTTP trigger could match
    if routed is not None:
        return routed
    if not (isinstance(raw, dict) and "Records" in raw):  # no HTTP payload has Records
        for trigger in _HTTP:  # TRIGGERS' order, without loading the rest for HTTP
            if trigger.matches(raw):
                return trigger
    return _detect(PROVIDER, _others(), raw)


def decode(raw: Any, context: Context | None = None) -> list[Event[Any]]:
    """The uniform events in an AWS payload (the translation alone)."""
    return detect(raw).decoded(raw, context)


def lambda_handler(handle: Callable[..., Any], *, partial_failures: bool = True,
                   unwrap: bool = False, concurrency: int = DEFAULT_CONCURRENCY
                   ) -> Callable[[Any, Any], Any]:
    """A Lambda handler running ``handle`` for any supported trigger.

    ``partial_failures=False`` makes any failed record of a batch fail the whole
    invocation, for event source mappings without ``ReportBatchItemFailures``.
    ``unwrap=True`` turns SQS bodies holding SNS or S3 notifications into those
    events. ``concurrency`` bounds how many records an async handler runs at once.
    See docs/batches.md.
    """
    fn = as_function(handle)
    options = {"partial_failures": partial_failures, "unwrap": unwrap,
               "concurrency": check_concurrency(concurrency)}
    if options == _DEFAULT_OPTIONS:
        # Every trigger's invoke has these defaults: passed as none, a delivery
        # makes no keyword dicts through the tracing wrapper (~4.5k instructions).
        options = {}

    #: The HTTP trigger of the last request: a function behind an API is called by
    #: one, so it is tried first. The HTTP predicates exclude one another (and come
    #: first in detection), so a match is what detection would answer.
    last: list[Trigger | None] = [None]

    def handler(event: Any, context: Any) -> Any:
        trigger = last[0]
        if trigger is None or not trigger.matches(event):
            trigger = detect(event)
        ctx = lambda_context(context)
        if isinstance(trigger, HTTPTrigger):  # options are for records: no dict per request
            last[0] = trigger
            return _invoke(trigger, fn, event, ctx)
        if options:
            return _invoke(trigger, fn, event, ctx, **options)
        return _invoke(trigger, fn, event, ctx)

    handler.__wrapped__ = fn  # type: ignore[attr-defined]
    handler.__name__ = getattr(fn, "__name__", "handler")
    return handler
