"""A CloudEvents HTTP sink for ``sdk.destination``: any ``http(s)://`` URL, such as
Knative's ``K_SINK`` (https://knative.dev/docs/eventing/custom-event-source/sinkbinding/).

Events go in binary mode (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md#31-binary-content-mode):
the ``cloudevents`` library builds the ``ce-*`` headers, the body is the data's
bytes with its ``Content-Type``, and urllib3 (one pool per process, thread-safe)
POSTs it; any 2xx is accepted. Mapping: ``id`` (a new UUID when not given),
``type`` (default ``polyfn.message``), ``source`` (default ``/polyfn/sink``),
``subject``; ``attributes`` are extension attributes and must already be valid
extension names (``a-z0-9``, so they arrive under the same name); ``key`` is the
``partitionkey`` extension (CloudEvents partitioning extension); the trace
context goes as the ``traceparent``/``tracestate`` extensions (distributed
tracing extension).
"""

from __future__ import annotations

import re
import threading
import uuid
from importlib import import_module
from typing import Any

from sdk._outputs import Limits, Outcome, OutgoingMessage
from sdk._outputs._address import Address
from sdk.errors import PublishError

__all__ = ["Sink"]

_conversion: Any = import_module("cloudevents.conversion")
_http: Any = import_module("cloudevents.http")
urllib3: Any = import_module("urllib3")

_NAME = re.compile(r"[a-z0-9]{1,64}")
_RESERVED = frozenset({"specversion", "id", "source", "type", "subject", "time",
                       "datacontenttype", "dataschema", "data", "partitionkey"})

_lock = threading.Lock()
_pool: Any = None


def _http_pool() -> Any:
    global _pool
    if _pool is None:
        with _lock:
            if _pool is None:
                _pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(30.0))
    return _pool


class Sink:
    provider = "cloudevents.http"
    # No protocol limit: brokers set their own (they answer 413, reported as the code).
    limits = Limits(message_bytes=64 * 1024 * 1024)
    carries = frozenset({"attributes", "key", "id", "type", "source", "subject"})

    def __init__(self, address: Address) -> None:
        self.text = address.text

    def prepare(self, message: OutgoingMessage) -> tuple[tuple[dict[str, str], bytes], int]:
        bad = [k for k in message.attributes if not _NAME.fullmatch(k) or k in _RESERVED]
        if bad:
            raise PublishError(self.text, self.provider, "polyfn.InvalidAttribute",
                               f"not CloudEvents extension names: {', '.join(sorted(bad))}")
        attributes: dict[str, str] = {
            "id": message.id or str(uuid.uuid4()), "type": message.type or "polyfn.message",
            "source": message.source or "/polyfn/sink", "datacontenttype": message.content_type,
            **message.attributes, **message.trace}
        if message.subject:
            attributes["subject"] = message.subject
        if message.key:
            attributes["partitionkey"] = message.key
        event = _http.CloudEvent(attributes, message.body)
        headers, body = _conversion.to_binary(event, data_marshaller=lambda data: data)
        return (headers, body), len(body)

    def send(self, entry: tuple[dict[str, str], bytes]) -> str:
        headers, body = entry
        try:
            response = _http_pool().request("POST", self.text, body=body, headers=headers)
        except urllib3.exceptions.HTTPError as exc:
            raise PublishError(self.text, self.provider, type(exc).__name__) from None
        if not 200 <= response.status < 300:
            raise PublishError(self.text, self.provider, f"HTTP {response.status}")
        return headers["ce-id"]

    def send_batch(self, entries: list[Any]) -> list[Outcome]:
        raise NotImplementedError  # batch_items is 1: Destination sends one at a time
