"""Triggers made from data: a :class:`Spec` row says how to recognise one service's
payload and where the event's attributes come from; :func:`trigger` makes the
:class:`Integration` trigger that reads it. The rows are in ``_integrations``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from adapters._time import maybe_time
from adapters._trigger import Trigger
from sdk import Context, Event, Function
from sdk.adapter import Payload
from sdk.errors import EventDecodeError

from ._native import epoch_ms, powertools

__all__ = ["Field", "Integration", "Path", "Raw", "Spec", "first", "get", "run_all", "trigger"]

Raw = dict[str, Any]
Path = tuple[str | int, ...]
#: where a value comes from: a key path into the payload, or a function of it
Field = Path | Callable[[Raw], Any] | None

_RETURNED = "The handler's return value is the response, unchanged."


@dataclass(frozen=True)
class Spec:
    """How to recognise and read one service's payload."""

    name: str
    keys: tuple[str, ...]  # all present at the top level
    where: Callable[[Raw], bool] | None = None  # one cheap extra check where keys overlap
    id: Field = None
    source: Field = None
    type: Field = None
    subject: Field = None
    time: Field = None  # epoch milliseconds or ISO 8601 text
    data: Field = None  # None: the payload itself
    payload: Callable[[Raw], Payload | None] | None = None  # undecoded data, where there is one
    attributes: tuple[tuple[str, Path], ...] = ()
    native: str | Callable[[Raw], str | None] | None = None  # powertools data class
    semantics: str = _RETURNED


def get(value: Any, path: Path) -> Any:
    """The value at ``path`` (keys and list indexes), ``None`` where any step is missing."""
    for step in path:
        if isinstance(step, int):
            in_range = isinstance(value, list) and -len(value) <= step < len(value)
            value = value[step] if in_range else None
        else:
            value = value.get(step) if isinstance(value, dict) else None
        if value is None:
            return None
    return value


def first(*paths: Path) -> Callable[[Raw], Any]:
    """The first of several paths that is present (variants of one payload differ)."""
    return lambda raw: next((v for v in (get(raw, p) for p in paths) if v is not None), None)


def _field(raw: Raw, field: Field) -> Any:
    if field is None:
        return None
    return field(raw) if callable(field) else get(raw, field)


def _time(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return epoch_ms(value)
    return maybe_time(value)


class Integration(Trigger):
    """A request/response trigger read by its :class:`Spec`: one generic event,
    and the handler's return value goes back unchanged."""

    spec: ClassVar[Spec]

    def matches(self, raw: Any) -> bool:
        spec = self.spec
        return (isinstance(raw, dict) and all(key in raw for key in spec.keys)
                and (spec.where is None or spec.where(raw)))

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        if not isinstance(raw, dict):
            raise EventDecodeError(self.name, "the payload must be a JSON object")
        spec = self.spec
        payload = spec.payload(raw) if spec.payload else None
        content: dict[str, Any] = (
            {"payload": payload} if payload is not None
            else {"data": raw if spec.data is None else _field(raw, spec.data)})
        return [Event(
            provider="aws", trigger=self.name, id=self._text(raw, spec.id, "id"),
            source=self._text(raw, spec.source, "source"),
            type=self._text(raw, spec.type, "type"),
            subject=self._text(raw, spec.subject, "subject"),
            time=_time(_field(raw, spec.time)),
            attributes={name: str(value) for name, path in spec.attributes
                        if isinstance(value := get(raw, path), (str, int)) and value != ""},
            raw=raw, native=self._native(raw), **content,
        )]

    def _text(self, raw: Raw, field: Field, what: str) -> str | None:
        value = _field(raw, field)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        where = ".".join(map(str, field)) if isinstance(field, tuple) else what
        raise EventDecodeError(self.name, f"the {what} field must be a string", keys=[where])

    def _native(self, raw: Raw) -> Callable[[], Any] | None:
        native = self.spec.native
        name = native(raw) if callable(native) else native
        return powertools(name, raw) if name else None


def trigger(spec: Spec) -> Integration:
    """The trigger for one row: a subclass named after it, so ``name`` stays a class
    attribute as on every other trigger."""
    title = "".join(part.capitalize() for part in spec.name.split(".")[1:])
    cls = type(title, (Integration,), {"name": spec.name, "spec": spec,
                                       "semantics": spec.semantics})
    return cast(type[Integration], cls)()


def run_all(fn: Function[Any], events: Sequence[Event[Any]], context: Context,
            trigger: str) -> Any:
    """Run a handler over several events, the runner's ``FAIL_FAST`` policy: a
    ``list[...]`` handler gets them all at once and its result is returned; any
    other runs once per event, in order, and the list of results is returned. The
    first failure stops the run and propagates: the provider retries."""
    from sdk.adapter import FAIL_FAST, Record, run_batch  # not on the cold HTTP path

    records = [Record(event.id, [event]) for event in events]
    outcome = run_batch(fn, records, context, trigger=trigger, policy=FAIL_FAST)
    return outcome.answer if fn.batch else outcome.results
