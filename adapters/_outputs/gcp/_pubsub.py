"""``pubsub://projects/PROJECT/topics/TOPIC`` or ``pubsub://TOPIC`` (the project
from ``GOOGLE_CLOUD_PROJECT`` or google.auth's default): a Pub/Sub topic.

The inverse of the Pub/Sub decoder (``gcp.pubsub``, the messagePublished
CloudEvent Eventarc and push subscriptions deliver):

==============  ===============================================================
polyfn          PubsubMessage
==============  ===============================================================
data            ``data`` (bytes)
content type    the ``content-type`` attribute (Pub/Sub has no content type; the
                decoder moves it back to ``data_content_type``, as the
                knative-gcp Pub/Sub binding of CloudEvents does)
attributes      ``attributes``
key             ``orderingKey`` (order holds on subscriptions with message
                ordering on; the publisher enables ordering)
trace context   ``traceparent`` / ``tracestate`` attributes
==============  ===============================================================

The message id is the server's (``publish`` returns it). Limits
(https://cloud.google.com/pubsub/quotas#resource_limits): 10 MB per message (data
and attributes), 100 attributes, keys up to 256 bytes and values up to 1024 bytes,
ordering keys up to 1024 bytes; the ``goog`` prefix is Google's.
"""

from __future__ import annotations

import os
from concurrent.futures import TimeoutError as FutureTimeout
from importlib import import_module
from typing import Any

from google.api_core.exceptions import GoogleAPIError

from sdk._outputs._address import Address
from sdk._outputs._driver import Limits, Outcome
from sdk._outputs._message import OutgoingMessage
from sdk.errors import ConfigurationError, PublishError

from ._clients import cached, code_of, detail_of

__all__ = ["CONTENT_TYPE", "PubSub"]

# Untyped libraries; an ImportError here names the extra (sdk._outputs._address).
pubsub_v1: Any = import_module("google.cloud.pubsub_v1")
_ClientPublishError: Any = import_module("google.cloud.pubsub_v1.publisher.exceptions").PublishError

CONTENT_TYPE = "content-type"
MB = 1000 * 1000
_TIMEOUT = 60.0  # seconds for a publish to be acknowledged
_ERRORS = (GoogleAPIError, _ClientPublishError, FutureTimeout, RuntimeError, ValueError)


def _publisher() -> Any:
    options = pubsub_v1.types.PublisherOptions(enable_message_ordering=True)
    return pubsub_v1.PublisherClient(publisher_options=options)


def _project() -> str:
    project = os.environ.get("GOOGLE_CLOUD_PROJECT") or os.environ.get("GCLOUD_PROJECT")
    if project:
        return project
    import google.auth

    try:
        _, project = google.auth.default()
    except google.auth.exceptions.DefaultCredentialsError:
        project = None
    if not project:
        raise ConfigurationError("pubsub://TOPIC needs a project: set GOOGLE_CLOUD_PROJECT "
                                 "or write pubsub://projects/PROJECT/topics/TOPIC")
    return str(project)


class PubSub:
    """Driver for one topic."""

    provider = "gcp.pubsub"
    limits = Limits(message_bytes=10 * MB, batch_items=1000, batch_bytes=10 * MB)
    carries = frozenset({"attributes", "key"})

    def __init__(self, address: Address) -> None:
        self.address = address.text
        name = address.name
        parts = name.split("/")
        if len(parts) == 4 and parts[0] == "projects" and parts[2] == "topics" and all(parts):
            self._topic: str | None = name
        elif name and "/" not in name:
            self._topic = None
            self._short = name
        else:
            raise ConfigurationError(f"{address.text}: expected pubsub://projects/PROJECT/"
                                     "topics/TOPIC or pubsub://TOPIC")

    @property
    def topic(self) -> str:
        if self._topic is None:
            self._topic = f"projects/{_project()}/topics/{self._short}"
        return self._topic

    def client(self) -> Any:
        return cached("pubsub", "PUBSUB_EMULATOR_HOST", _publisher)

    def refuse(self, code: str, detail: str) -> PublishError:
        return PublishError(self.address, self.provider, code, detail)

    def prepare(self, message: OutgoingMessage) -> tuple[dict[str, Any], int]:
        attributes = {**message.attributes, **message.trace, CONTENT_TYPE: message.content_type}
        self._check(attributes, message.key)
        size = len(message.body) + sum(len(k.encode()) + len(v.encode())
                                       for k, v in attributes.items())
        return {"data": message.body, "ordering_key": message.key or "",
                "attributes": attributes}, size + len((message.key or "").encode())

    def _check(self, attributes: dict[str, str], key: str | None) -> None:
        if len(attributes) > 100:
            raise self.refuse("polyfn.TooManyAttributes",
                              f"{len(attributes)} attributes (with polyfn's) > 100")
        bad = sorted(k for k, v in attributes.items() if not k or k.startswith("goog")
                     or len(k.encode()) > 256 or len(v.encode()) > 1024)
        if bad:
            raise self.refuse("polyfn.InvalidAttribute", "attribute keys are 1-256 bytes "
                              "not starting with goog, values up to 1024 bytes: "
                              + ", ".join(k[:64] for k in bad))
        if key is not None and len(key.encode()) > 1024:
            raise self.refuse("polyfn.InvalidKey", "an ordering key has at most 1024 bytes")

    def _publish(self, entry: dict[str, Any]) -> Any:
        return self.client().publish(self.topic, entry["data"], ordering_key=entry[
            "ordering_key"], **entry["attributes"])

    def _result(self, future: Any, entry: dict[str, Any]) -> Outcome:
        try:
            return Outcome(id=str(future.result(timeout=_TIMEOUT)))
        except _ERRORS as exc:
            if entry["ordering_key"]:  # a failed publish pauses its key: let later ones go
                self.client().resume_publish(self.topic, entry["ordering_key"])
            return Outcome(code=code_of(exc), detail=detail_of(exc))

    def send(self, entry: dict[str, Any]) -> str:
        (outcome,) = self.send_batch([entry])
        if outcome.code is not None:
            raise self.refuse(outcome.code, outcome.detail)
        return str(outcome.id)

    def send_batch(self, entries: list[dict[str, Any]]) -> list[Outcome]:
        """Every entry is handed to the client (which batches them per request),
        then each future is awaited: one result per message."""
        futures = []
        for entry in entries:
            try:
                futures.append(self._publish(entry))
            except _ERRORS as exc:
                futures.append(exc)
        return [Outcome(code=code_of(f), detail=detail_of(f)) if isinstance(f, BaseException)
                else self._result(f, entry) for f, entry in zip(futures, entries, strict=True)]
