"""``eventgrid://TOPIC_HOST[/api/events][?schema=cloudevents|eventgrid][&key=SETTING]``:
an Event Grid topic, in the schema the topic was created with (CloudEvents 1.0 by
default). ``key=SETTING`` names the app setting holding the topic's access key
(as the output binding's ``topicKeySetting`` does), ``sas=SETTING`` a SAS token;
with neither, azure-identity's ``DefaultAzureCredential``.

The inverse of the Event Grid triggers (``adapters/azure/_eventgrid.py``):

============  ==========================  =========================================
polyfn        CloudEvents schema          Event Grid schema
============  ==========================  =========================================
data          ``data`` (JSON value, text  ``data`` (JSON value or text; bytes are
              or ``data_base64``)         refused: the schema has no binary form)
content type  ``datacontenttype``         -
id            ``id`` (a UUID if not set)  ``id`` (a UUID if not set)
type          ``type`` (required)         ``eventType`` (required)
source        ``source`` (required)       - (Event Grid sets ``topic``)
subject       ``subject``                 ``subject`` (required)
attributes    extension attributes        only ``data_version`` -> ``dataVersion``
trace         ``traceparent`` extension   -
============  ==========================  =========================================

Limit: 1 MiB per event and per request
(https://learn.microsoft.com/azure/event-grid/quotas-limits).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from typing import Any

from azure.core.credentials import AzureKeyCredential, AzureSasCredential
from azure.core.exceptions import AzureError
from azure.core.messaging import CloudEvent
from azure.eventgrid import EventGridEvent, EventGridPublisherClient

from sdk._data import is_json_type
from sdk._outputs._address import Address
from sdk._outputs._driver import Limits, Outcome
from sdk._outputs._message import OutgoingMessage
from sdk.errors import ConfigurationError, PublishError

from ._connection import cached, credential, endpoint_url, option
from ._errors import publish_error

__all__ = ["EventGrid"]

MiB = 1024 * 1024
#: CloudEvents extension names: lower-case letters and digits
#: (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md#attribute-naming-convention).
_EXTENSION = re.compile(r"[a-z0-9]+")
_CREDENTIALS = (("key", AzureKeyCredential), ("sas", AzureSasCredential))
#: Overhead of an event's JSON envelope beyond its data and fields (an estimate).
_ENVELOPE = 200


def _credential(address: Address) -> Any:
    for name, cls in _CREDENTIALS:
        setting = option(address, name)
        if setting:
            value = os.environ.get(setting)
            if not value:
                raise ConfigurationError(f"{address.text}: the app setting {setting} is not set")
            return cls(value)
    return credential()


class EventGrid:
    """Driver for one Event Grid topic."""

    provider = "azure.eventgrid"
    limits = Limits(message_bytes=MiB, batch_items=1000, batch_bytes=MiB)
    #: Event Grid refuses the whole array for one bad event: resend one by one.
    split_codes = frozenset({"BadRequest", "InputJsonInvalid"})

    def __init__(self, address: Address) -> None:
        self.address = address.text
        self.parsed = address
        schema = (option(address, "schema") or "cloudevents").lower()
        if schema not in ("cloudevents", "eventgrid"):
            raise ConfigurationError(f"{address.text}: schema must be cloudevents or eventgrid")
        self.cloudevents = schema == "cloudevents"
        self.endpoint = endpoint_url(address.netloc) + (address.path or "/api/events")
        self.carries = frozenset({"attributes", "id", "type", "subject"}
                                 | ({"source"} if self.cloudevents else set()))

    def client(self) -> Any:
        return cached(("azure.eventgrid", self.endpoint, self.parsed.query),
                      lambda: EventGridPublisherClient(self.endpoint, _credential(self.parsed)))

    def refuse(self, code: str, detail: str) -> PublishError:
        return PublishError(self.address, self.provider, code, detail)

    def prepare(self, message: OutgoingMessage) -> tuple[Any, int]:
        event = self._cloudevent(message) if self.cloudevents else self._eventgrid(message)
        fields = (message.type, message.source, message.subject, message.id)
        size = (len(message.body) * (4 if message.binary else 3) // 3 + _ENVELOPE
                + sum(len(f.encode()) for f in fields if f)
                + sum(len(k) + len(v.encode()) for k, v in message.attributes.items()))
        return event, size

    def _data(self, message: OutgoingMessage) -> Any:
        """The JSON value of ``data`` (text as a JSON string), or bytes."""
        if message.binary:
            return message.body
        text = message.body.decode("utf-8")
        return json.loads(text) if is_json_type(message.content_type) else text

    def _cloudevent(self, message: OutgoingMessage) -> CloudEvent[Any]:
        if not message.type or not message.source:
            raise self.refuse("polyfn.MissingField", "a CloudEvent needs type and source")
        extensions = {**message.attributes, **message.trace}
        bad = sorted(k for k in extensions if not _EXTENSION.fullmatch(k))
        if bad:
            raise self.refuse("polyfn.InvalidAttribute", "CloudEvents extension names are "
                              f"lower-case letters and digits: {', '.join(bad)}")
        return CloudEvent(message.source, message.type, id=message.id or str(uuid.uuid4()),
                          subject=message.subject, data=self._data(message),
                          datacontenttype=message.content_type, extensions=extensions or None)

    def _eventgrid(self, message: OutgoingMessage) -> EventGridEvent:
        if not message.type or not message.subject:
            raise self.refuse("polyfn.MissingField", "an Event Grid event needs type and subject")
        if message.binary:
            raise self.refuse("polyfn.InvalidData", "the Event Grid schema carries JSON or "
                              "text data, not bytes (use schema=cloudevents)")
        extra = sorted(k for k in message.attributes if k != "data_version")
        if extra:
            raise self.refuse("polyfn.UnsupportedField", "the Event Grid schema carries only "
                              f"the data_version attribute, not {', '.join(extra)}")
        return EventGridEvent(message.subject, message.type, self._data(message),
                              message.attributes.get("data_version", ""),
                              id=message.id or str(uuid.uuid4()))

    def send(self, entry: Any) -> str:
        (outcome,) = self.send_batch([entry])
        return str(outcome.id)

    def send_batch(self, entries: list[Any]) -> list[Outcome]:
        """One POST of all entries: Event Grid accepts or rejects the array whole."""
        try:
            self.client().send(entries)
        except AzureError as exc:
            raise publish_error(self.address, self.provider, exc) from None
        return [Outcome(id=str(entry.id)) for entry in entries]
