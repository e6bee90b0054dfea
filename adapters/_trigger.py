"""The shape every trigger has, and detection over a provider's ordered tuple.

A trigger is one event-source family of one provider: a cheap ``matches(raw)``
that never overlaps another trigger's, ``decode(raw, context)`` into uniform
events, and ``encode(result, raw)`` into what the provider expects back.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import Any, ClassVar

from sdk import Context, Event, Function
from sdk.adapter import DEFAULT_CONCURRENCY
from sdk.errors import MALFORMED, ConfigurationError, UnsupportedEventError, malformed

__all__ = ["DEFAULT_CONCURRENCY", "Trigger", "TriggerModules", "check_concurrency", "detect"]


class Trigger:
    """Base of every trigger. Subclasses set the class attributes and override."""

    #: dotted trigger name, ``aws.apigw.v2``; the sample folder is the same with dashes
    name: ClassVar[str]
    #: the uniform kind it decodes to (its ``kind`` string names it in docs)
    kind: ClassVar[type[Event[Any]]] = Event
    #: records are handled one by one and failures reported per record
    batch: ClassVar[bool] = False
    #: what the provider does with the handler's outcome, for docs/triggers.md
    semantics: ClassVar[str] = ""

    def matches(self, raw: Any) -> bool:
        raise NotImplementedError

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        raise NotImplementedError

    def decoded(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        """``decode``, where a payload of the wrong shape at any level raises
        :class:`EventDecodeError` naming the trigger and the payload's keys (never
        a TypeError, KeyError... from inside a decoder). Entry points decode through
        it; the handler's own exceptions never pass here."""
        try:
            return self.decode(raw, context)
        except MALFORMED as exc:
            raise malformed(self.name, exc, raw) from None

    def encode(self, result: Any, raw: Any) -> Any:
        """Default: the handler's result goes back to the provider unchanged."""
        return result

    def invoke(self, fn: Function[Any], raw: Any, context: Context, **options: Any) -> Any:
        """Run ``fn`` for this payload the way the provider expects.

        Default (request/response and single-event triggers): each decoded event in
        turn, the last result encoded. A failure propagates, so the provider records
        it and retries the whole delivery; nothing is swallowed.
        """
        result: Any = None
        for event in self.decoded(raw, context):
            result = fn.call(event, context)
        return self.encode(result, raw)

    def __repr__(self) -> str:
        return f"<trigger {self.name}>"


class TriggerModules:
    """A provider package's triggers, each module imported when its trigger is first
    asked for, one instance per trigger class per process (a function serving one
    trigger loads one trigger module)."""

    __slots__ = ("_made", "_package")

    def __init__(self, package: str) -> None:
        self._package = package
        self._made: dict[str, Trigger] = {}

    def get(self, module: str, name: str) -> Trigger:
        """The instance of trigger class ``name`` of ``module`` (relative to the package)."""
        trigger = self._made.get(name)
        if trigger is None:
            trigger = self._made[name] = self.cls(module, name)()
        return trigger

    def cls(self, module: str, name: str) -> type[Trigger]:
        """Trigger class ``name`` of ``module``, the module imported."""
        found: type[Trigger] = getattr(import_module(module, self._package), name)
        return found


def detect(provider: str, triggers: Sequence[Trigger], raw: Any) -> Trigger:
    """The one trigger of ``triggers`` that matches ``raw``.

    Raises :class:`UnsupportedEventError` naming the provider and the payload's
    top-level keys (never its values).
    """
    for trigger in triggers:
        try:
            if trigger.matches(raw):
                return trigger
        except MALFORMED as exc:  # a predicate must not fail; if one does, say whose
            raise malformed(trigger.name, exc, raw) from None
    raise UnsupportedEventError(provider, raw, detail=_hint(raw))


def _hint(raw: Any) -> str | None:
    """Why a payload that looks like a known shape is not one (on failure only).

    CloudEvents attribute names are lower-case letters and digits
    (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md#naming-conventions),
    and the JSON format's members are those names: ``specVersion`` is not
    ``specversion``, so such a document is refused, saying so (not read as a
    CloudEvent: docs/triggers.md, "CloudEvent types").
    """
    if not isinstance(raw, dict) or "specversion" in raw:
        return None
    spelled = sorted(k for k in raw if isinstance(k, str) and k.lower() == "specversion")
    if not spelled:
        return None
    return (f"CloudEvents attribute names are lower-case: {spelled[0]!r} is not "
            "'specversion', so this is not a CloudEvent")


def check_concurrency(concurrency: int) -> int:
    """Validate the async concurrency bound once, when the entry point is built
    (here, not with the batch runner, which a cold HTTP start never loads)."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ConfigurationError(f"concurrency must be a positive int, not {concurrency!r}")
    return concurrency
