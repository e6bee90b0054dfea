"""``sdk.destination(address)``: send messages to a queue, topic, bus, stream or sink.

The driver is imported and built on first send; its client is created once per
process (the serverless practice: a warm invocation reuses the connection).
``send_async`` runs the blocking client in the loop's default thread pool
(``asyncio.to_thread``): boto3 and most official clients are synchronous, their
async twins are separate stacks with their own import cost and pools, and a
thread keeps one client, one connection pool and one code path for both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..errors import PublishError
from ._address import DESTINATIONS, Address, driver_class, parse
from ._driver import DestinationDriver, Outcome
from ._message import OutgoingMessage, outgoing
from ._value import Value

__all__ = ["Destination", "ItemResult", "Outgoing", "SendResult", "destination"]


class Outgoing(Value):
    """One item of :meth:`Destination.send_many` with its own fields (a plain value
    is an item with ``data`` only)."""

    __slots__ = (
        "attributes",
        "content_type",
        "data",
        "id",
        "key",
        "source",
        "subject",
        "type",
    )

    def __init__(self, data: Any, attributes: Mapping[str, str] | None = None,
                 key: str | None = None, id: str | None = None, type: str | None = None,
                 source: str | None = None, subject: str | None = None,
                 content_type: str | None = None) -> None:
        self.data, self.attributes, self.key, self.id = data, attributes, key, id
        self.type, self.source, self.subject = type, source, subject
        self.content_type = content_type


class ItemResult(Value):
    """Item ``index`` of a ``send_many``: its message ``id``, or the ``error``."""

    __slots__ = ("error", "id", "index")

    def __init__(self, index: int, id: str | None, error: PublishError | None = None) -> None:
        self.index, self.id, self.error = index, id, error

    @property
    def ok(self) -> bool:
        return self.error is None


class SendResult(Value):
    """Per-item results of ``send_many``, in the order given: nothing is dropped."""

    __slots__ = ("items",)

    def __init__(self, items: list[ItemResult] | None = None) -> None:
        self.items: list[ItemResult] = [] if items is None else items

    def __iter__(self) -> Iterator[ItemResult]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items)

    @property
    def ids(self) -> list[str | None]:
        return [item.id for item in self.items]

    @property
    def failed(self) -> list[ItemResult]:
        return [item for item in self.items if not item.ok]

    def raise_for_failures(self) -> None:
        """Raise ``PublishError`` (code of the first failure) when any item failed."""
        failed = self.failed
        if failed:
            first = failed[0].error
            assert first is not None
            indexes = ", ".join(str(item.index) for item in failed[:20])
            raise PublishError(first.destination, first.provider, first.code,
                               f"{len(failed)} of {len(self.items)} failed (items {indexes})")


class Destination:
    """A message destination; build it with :func:`destination`."""

    __slots__ = ("_driver", "address", "parsed")

    def __init__(self, address: str) -> None:
        self.parsed: Address = parse(address, DESTINATIONS)
        self.address = self.parsed.text
        self._driver: DestinationDriver | None = None

    def __repr__(self) -> str:
        return f"Destination({self.address!r})"

    @property
    def driver(self) -> DestinationDriver:
        """The provider driver (built on first use)."""
        driver = self._driver
        if driver is None:
            driver = self._driver = driver_class(self.parsed.kind, DESTINATIONS)(self.parsed)
        return driver

    def _refuse(self, code: str, detail: str) -> PublishError:
        return PublishError(self.address, self.driver.provider, code, detail)

    def _prepare(self, message: OutgoingMessage) -> tuple[Any, int]:
        driver = self.driver
        extra = [name for name in message.given() if name not in driver.carries]
        if extra:
            raise self._refuse("polyfn.UnsupportedField",
                               f"{driver.provider} cannot carry {', '.join(extra)}")
        entry, size = driver.prepare(message)
        if size > driver.limits.message_bytes:
            raise self._refuse("polyfn.TooLarge",
                               f"{size} bytes > the limit of {driver.limits.message_bytes}")
        return entry, size

    def _outgoing(self, data: Any, fields: Mapping[str, Any]) -> OutgoingMessage:
        try:
            return outgoing(data, **fields)
        except (TypeError, ValueError) as exc:
            raise self._refuse("polyfn.InvalidData", str(exc)) from None

    def send(self, data: Any, *, attributes: Mapping[str, str] | None = None,
             key: str | None = None, id: str | None = None, type: str | None = None,
             source: str | None = None, subject: str | None = None,
             content_type: str | None = None) -> str:
        """Send one message; returns the provider's message id."""
        message = self._outgoing(data, {
            "attributes": attributes, "key": key, "id": id, "type": type, "source": source,
            "subject": subject, "content_type": content_type})
        entry, _ = self._prepare(message)
        return self.driver.send(entry)

    def send_many(self, items: Iterable[Any]) -> SendResult:
        """Send many, batched to the provider's limits; one result per item."""
        results: list[ItemResult | None] = []
        ready: list[tuple[int, Any, int]] = []
        for index, item in enumerate(items):
            results.append(None)
            try:
                entry, size = self._prepare(self._item(item))
            except PublishError as exc:
                results[index] = ItemResult(index, None, exc)
                continue
            ready.append((index, entry, size))
        for chunk in self._chunks(ready):
            for index, result in zip((i for i, _, _ in chunk), self._send_chunk(chunk),
                                     strict=True):
                results[index] = result
        return SendResult([r for r in results if r is not None])

    def _item(self, item: Any) -> OutgoingMessage:
        if isinstance(item, Outgoing):
            fields = {name: getattr(item, name) for name in (
                "attributes", "key", "id", "type", "source", "subject", "content_type")}
            return self._outgoing(item.data, fields)
        return self._outgoing(item, {})

    def _chunks(self, ready: list[tuple[int, Any, int]]) -> Iterator[list[tuple[int, Any, int]]]:
        limits = self.driver.limits
        most = limits.batch_bytes or limits.batch_items * limits.message_bytes
        chunk: list[tuple[int, Any, int]] = []
        total = 0
        for item in ready:
            if chunk and (len(chunk) >= limits.batch_items or total + item[2] > most):
                yield chunk
                chunk, total = [], 0
            chunk.append(item)
            total += item[2]
        if chunk:
            yield chunk

    def _send_chunk(self, chunk: list[tuple[int, Any, int]]) -> list[ItemResult]:
        driver = self.driver
        try:
            if driver.limits.batch_items == 1:
                outcomes = [Outcome(id=driver.send(chunk[0][1]))]
            else:
                outcomes = driver.send_batch([entry for _, entry, _ in chunk])
        except PublishError as exc:
            if len(chunk) > 1 and exc.code in getattr(driver, "split_codes", ()):
                # The provider refused the whole batch for what one entry holds:
                # send one by one, so only that entry fails.
                return [result for item in chunk for result in self._send_chunk([item])]
            return [ItemResult(index, None, exc) for index, _, _ in chunk]
        # A provider answer that skips an entry must not lose it.
        outcomes = [*outcomes[:len(chunk)],
                    *[Outcome(code="polyfn.NoResult")] * (len(chunk) - len(outcomes))]
        return [ItemResult(index, o.id, None if o.code is None else PublishError(
            self.address, driver.provider, o.code, o.detail))
            for (index, _, _), o in zip(chunk, outcomes, strict=True)]

    async def send_async(self, data: Any, **fields: Any) -> str:
        """:meth:`send` in a worker thread, so the event loop keeps running."""
        import asyncio  # here: an import costs cold starts, and a running loop has it

        return await asyncio.to_thread(self.send, data, **fields)

    async def send_many_async(self, items: Iterable[Any]) -> SendResult:
        """:meth:`send_many` in a worker thread."""
        import asyncio

        return await asyncio.to_thread(self.send_many, list(items))


#: address -> its Destination: a handler may call ``sdk.destination(...)`` on every
#: invocation and still reuse the driver (and what it looked up, a queue URL).
_DESTINATIONS: dict[str, Destination] = {}


def destination(address: str) -> Destination:
    """The destination at ``address`` (``sqs://orders``, an SNS topic ARN,
    ``eventbridge://bus``, ``kinesis://stream``, an ``https://`` CloudEvents sink...).
    Nothing is imported or connected until the first send; the same address gives
    the same (thread-safe) object."""
    found = _DESTINATIONS.get(address) if isinstance(address, str) else None
    if found is None:
        found = Destination(address)
        if len(_DESTINATIONS) >= 256:  # a process names a handful: stay bounded
            _DESTINATIONS.clear()
        _DESTINATIONS[address] = found
    return found
