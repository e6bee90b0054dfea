"""How every non-HTTP Azure trigger runs a handler.

The worker passes one native object (a queue message, a blob, an Event Grid event)
or, with ``cardinality="many"``, a list of them. Azure has no per-record failure
report: a function either succeeds or raises, and the platform then retries the
whole invocation its own way (queue dequeue count, Service Bus abandon, the
function's retry policy). So:

* one record: the handler runs and its exception propagates untouched;
* several records: :func:`sdk._batch.run_batch` runs each (or hands the whole list
  to a ``list[...]`` handler), logs every failure, and the first failure is raised
  once all were attempted. Records that succeeded run again on the retry: Azure
  batches are at-least-once.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from adapters._batch import lazy
from adapters._trigger import Trigger
from sdk import Context, Event, Function
from sdk._batch import Record, run_batch
from sdk.errors import MALFORMED, malformed

__all__ = ["RecordsTrigger"]


class RecordsTrigger(Trigger):
    """A trigger whose payload is a sequence of native records.

    Subclasses say how to split the payload (:meth:`items`), what is shared by the
    records of one delivery and worth working out once (:meth:`shared`), and how one
    record becomes an event (:meth:`event`).
    """

    def items(self, raw: Any) -> Sequence[Any]:
        return [raw]

    def shared(self, raw: Any) -> Any:
        return None

    def event(self, item: Any, index: int, shared: Any) -> Event[Any]:
        raise NotImplementedError

    def group(self, item: Any) -> Hashable | None:
        """Records of one group must be handled in order (a Service Bus session)."""
        return None

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        shared = self.shared(raw)
        return [self.event(item, index, shared) for index, item in enumerate(self.items(raw))]

    def invoke(self, fn: Function[Any], raw: Any, context: Context, **options: Any) -> Any:
        try:
            items = self.items(raw)
            shared = self.shared(raw)
            if len(items) == 1 and not fn.batch:
                event = self.event(items[0], 0, shared)
            else:
                records = [self._record(item, index, shared)
                           for index, item in enumerate(items)]
        except MALFORMED as exc:  # a malformed object: EventDecodeError, never a TypeError
            raise malformed(self.name, exc, raw) from None
        if len(items) == 1 and not fn.batch:
            return fn.call(event, context)
        outcome = run_batch(fn, records, context, trigger=self.name)
        error = outcome.first_error
        if error is not None:
            raise error
        return None

    def _record(self, item: Any, index: int, shared: Any) -> Record:
        def build(item: Any) -> list[Event[Any]]:
            return [self.event(item, index, shared)]

        return Record(index, lazy(self.name, build, item), group=self.group(item),
                      label=f"{self.name}[{index}]")
