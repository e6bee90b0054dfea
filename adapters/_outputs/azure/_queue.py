"""``azure-queue://QUEUE[?connection=SETTING][&encoding=none]``: Queue Storage.

The inverse of the queue trigger (``adapters/azure/_queue.py``): the trigger hands
the function the message body, Base64-decoded by default (host.json
``extensions.queues.messageEncoding``, default ``base64``:
https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue#hostjson-settings),
so the body is sent Base64-encoded; ``encoding=none`` sends it as text for apps
that set ``messageEncoding: none`` (bytes that are not UTF-8 are refused then).
Queue Storage carries the body only: no attributes, key, id or type, so a message
setting one is refused before sending rather than dropped. The 64 KiB limit
applies to the message as stored, after Base64
(https://learn.microsoft.com/rest/api/storageservices/put-message).
"""

from __future__ import annotations

import base64
from typing import Any

from azure.core.exceptions import AzureError
from azure.storage.queue import QueueClient

from sdk._outputs._address import Address
from sdk._outputs._driver import Limits, Outcome
from sdk._outputs._message import OutgoingMessage
from sdk.errors import ConfigurationError, PublishError

from ._connection import Service, cached, credential, option, resolve
from ._errors import publish_error

__all__ = ["StorageQueue"]

STORAGE = Service("AzureWebJobsStorage", ("queueServiceUri", "serviceUri", "accountName"),
                  "https://{}.queue.core.windows.net")
_ENCODINGS = ("base64", "none")


class StorageQueue:
    """Driver for one Storage queue."""

    provider = "azure.queue"
    limits = Limits(message_bytes=64 * 1024)
    carries: frozenset[str] = frozenset()

    def __init__(self, address: Address) -> None:
        self.address = address.text
        self.connection = resolve(address, STORAGE)
        encoding = (option(address, "encoding") or "base64").lower()
        if encoding not in _ENCODINGS:
            raise ConfigurationError(f"{address.text}: encoding must be base64 or none")
        self.base64 = encoding == "base64"

    def client(self) -> Any:
        return cached(("azure.queue", self.connection), self._build)

    def _build(self) -> Any:
        c = self.connection
        if c.connection_string:
            return QueueClient.from_connection_string(c.connection_string, c.entity)
        return QueueClient(str(c.endpoint), c.entity, credential=credential())

    def prepare(self, message: OutgoingMessage) -> tuple[str, int]:
        if self.base64:
            text = base64.b64encode(message.body).decode("ascii")
        else:
            try:
                text = message.body.decode("utf-8")
            except UnicodeDecodeError:
                raise PublishError(self.address, self.provider, "polyfn.InvalidData",
                                   "encoding=none carries text only, not binary data") from None
        return text, len(text.encode("utf-8"))

    def send(self, entry: str) -> str:
        try:
            sent = self.client().send_message(entry)
        except AzureError as exc:
            raise publish_error(self.address, self.provider, exc) from None
        return str(sent.id)

    def send_batch(self, entries: list[str]) -> list[Outcome]:
        """Queue Storage has no batch call (``limits.batch_items`` is 1)."""
        return [Outcome(id=self.send(entry)) for entry in entries]
