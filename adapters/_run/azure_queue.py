"""Azure Queue Storage as the Functions host's queue trigger polls it.

https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger
and the host.json ``extensions.queues`` settings
(https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue#hostjson-settings):

* the host fetches up to ``batchSize`` messages (16) at once, each invisible for
  its 10-minute lease, and runs one invocation per message (concurrently, up to
  ``--concurrency``);
* the body is Base64 text by default (``messageEncoding``; ``?encoding=none`` on
  the address reads it as sent), handed to the function as the worker builds a
  ``func.QueueMessage`` (azure.functions' own converter, with the dequeue count,
  times and pop receipt as trigger metadata) through ``adapters.azure.bind``;
* success deletes the message; a failure makes it visible again after
  ``visibilityTimeout`` (0 by default: ``--visibility-timeout``), and the failure
  of its ``maxDequeueCount``-th delivery (5; ``--max-dequeue``) copies it, as
  stored, to ``<queue>-poison`` (created if missing) and deletes it.
"""

from __future__ import annotations

import contextlib
from typing import Any

from adapters._base64 import b64_bytes
from sdk import Function

from ._source import Batch, Options, SourceError, Tally, call_with_timeout, destination

__all__ = ["StorageQueueSource"]

_LEASE = 600  # seconds a fetched message stays invisible (the host's 10-minute lease)
_BATCH = 16  # host.json batchSize default
_MAX_DEQUEUE = 5  # host.json maxDequeueCount default


class StorageQueueSource:
    provider = "azure"

    def __init__(self, address: str, options: Options) -> None:
        self.address = address
        self.options = options
        self.driver: Any = destination(address).driver
        if self.driver.provider != "azure.queue":
            raise SourceError(f"{address}: not a Storage queue")
        self.max_dequeue = options.max_dequeue or _MAX_DEQUEUE
        self.retry_after = options.visibility_timeout or 0
        self.name = self.driver.connection.entity
        self.function: Any = None

    def open(self, function: Function[Any]) -> None:
        if self.options.batching_window:
            raise SourceError("--batching-window is Lambda's; the queue trigger takes none")
        from azure.core.exceptions import AzureError

        from adapters.azure import bind

        try:
            self.queue = self.driver.client()
            self.queue.get_queue_properties()
            self.poison = self._poison_client()
        except AzureError as exc:
            raise SourceError(f"{self.address}: {type(exc).__name__}: "
                              f"{str(exc).splitlines()[0][:200]}") from None
        self.function = bind(function, "msg", queue=self.name,
                             name=_function_name(function.name))

    def _poison_client(self) -> Any:
        from azure.core.exceptions import ResourceExistsError
        from azure.storage.queue import QueueClient

        from adapters._outputs.azure._connection import credential

        c, name = self.driver.connection, f"{self.name}-poison"
        poison = (QueueClient.from_connection_string(c.connection_string, name)
                  if c.connection_string else QueueClient(c.endpoint, name,
                                                          credential=credential()))
        with contextlib.suppress(ResourceExistsError):  # the host creates it on first use
            poison.create_queue()
        return poison

    def receive(self, slots: int) -> list[Batch]:
        """One single-message batch per message (the host invokes once for each)."""
        from azure.core.exceptions import AzureError

        count = min(slots, self.options.batch_size or _BATCH, 32)  # 32: the service's maximum
        try:
            pages = self.queue.receive_messages(messages_per_page=count,
                                                visibility_timeout=_LEASE, max_messages=count)
            got = list(pages)
        except AzureError as exc:
            raise SourceError(f"{self.address}: {type(exc).__name__}") from None
        return [Batch([m]) for m in got]

    def process(self, batch: Batch) -> Tally:
        (message,) = batch.messages
        tally = Tally(redelivered=int(message.dequeue_count > 1))
        ok, _ = call_with_timeout(lambda: self._invoke(message), self.options.timeout)
        if ok:
            self.queue.delete_message(message)
            tally.processed = 1
            return tally
        tally.failed = 1
        if message.dequeue_count >= self.max_dequeue:
            self.poison.send_message(message.content)  # as stored: the host copies it
            self.queue.delete_message(message)
            tally.dead_lettered = 1
        else:
            self.queue.update_message(message, visibility_timeout=self.retry_after)
            tally.retried = 1
        return tally

    def _invoke(self, message: Any) -> None:
        from adapters.testing.azure import queue_message

        native = queue_message(self._body(message.content), id=message.id,
                               dequeue_count=message.dequeue_count,
                               insertion_time=message.inserted_on,
                               expiration_time=message.expires_on,
                               next_visible_time=message.next_visible_on,
                               pop_receipt=message.pop_receipt)
        self.function(native)

    def _body(self, content: str) -> str | bytes:
        """The body the host hands over: Base64-decoded unless ``encoding=none``;
        text when it is UTF-8, else bytes. Bad Base64 fails the delivery, as it
        does on the host."""
        if not self.driver.base64:
            return content
        try:
            raw = b64_bytes(content)
        except ValueError:
            raise ValueError("the message is not Base64 (messageEncoding base64)") from None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw

    def release(self, batch: Batch) -> None:
        for message in batch.messages:
            self.queue.update_message(message, visibility_timeout=0)


def _function_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in name)
    return cleaned if cleaned[:1].isalpha() else f"fn_{cleaned}"
