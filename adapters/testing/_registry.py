"""The sample table: one :class:`Sample` per payload shape polyfn decodes, shared by
``adapters.testing`` and ``polyfn samples``.

Each provider's public module (``adapters.testing.aws``...) lists its ``SAMPLES``; a
test checks that together they reach every trigger of every provider's
``TRIGGERS``. A sample's options are its factory's keyword parameters.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from adapters import PROVIDERS as _ADAPTERS

__all__ = ["PROVIDERS", "Option", "Sample", "find", "options", "samples"]

#: Providers with samples: every provider, in ``adapters.PROVIDERS`` order.
PROVIDERS: tuple[str, ...] = tuple(_ADAPTERS)


@dataclass(frozen=True)
class Sample:
    """One sample payload and what it must decode to."""

    name: str  #: unique dotted name, ``aws.sqs``: what ``polyfn samples`` takes
    build: Callable[..., Any]  #: the factory (public in ``adapters.testing.<provider>``)
    kind: str  #: the uniform kind its events have
    summary: str  #: one line for listings
    trigger: str = ""  #: the ``TRIGGERS`` entry that detects it ('' -> ``name``)
    event_trigger: str = ""  #: the decoded events' ``trigger`` ('' -> ``trigger``)
    wire: bool = True  #: a JSON payload; False: an SDK object (see :attr:`note`)
    note: str = ""  #: for objects: where the real thing comes from

    @property
    def provider(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def short(self) -> str:
        return self.name.split(".", 1)[1]

    @property
    def detected_by(self) -> str:
        return self.trigger or self.name

    @property
    def events_trigger(self) -> str:
        return self.event_trigger or self.detected_by

    @property
    def factory_path(self) -> str:
        """Where users find the factory: ``adapters.testing.aws.sqs``."""
        return f"adapters.testing.{self.provider}.{self.build.__name__}"


@dataclass(frozen=True)
class Option:
    """One keyword of a factory: its name, type (as written) and default."""

    name: str
    hint: Any  #: the resolved type, which :meth:`parse` follows
    annotation: str  #: the type as the factory writes it, for listings
    default: Any

    def parse(self, text: str) -> Any:
        """The value ``--set name=text`` gives, by the parameter's type."""
        return _parse(self.hint, text)


def samples(provider: str) -> tuple[Sample, ...]:
    """A provider's samples (imports ``adapters.testing.<provider>``; ImportError when its
    library is not installed)."""
    if provider not in PROVIDERS:
        raise LookupError(_unknown("provider", provider, PROVIDERS))
    module = importlib.import_module(f"adapters.testing.{provider}")
    return tuple(module.SAMPLES)


def find(name: str, provider: str | None = None) -> Sample:
    """The sample named ``name``: dotted (``aws.sqs``), or short (``sqs``, ``apigw-v2``)
    when ``provider`` is given; a ``TRIGGERS`` name with no sample of that name
    (``gcp.cloudevent.structured``) gives the first sample it detects.
    :class:`LookupError` (one line) when there is none."""
    name = name.strip().replace("-", ".").lower()
    if provider is None:
        provider = name.split(".", 1)[0]
    table = {sample.name: sample for sample in samples(provider)}
    full = name if name.startswith(f"{provider}.") else f"{provider}.{name}"
    detected = [s for s in table.values() if s.detected_by == full]
    if full not in table and detected:  # a trigger name with no sample of its own name
        return detected[0]
    if full not in table:
        raise LookupError(_unknown(f"{provider} sample", name, [s.short for s in table.values()],
                                   hint=f"`polyfn samples {provider}` lists them"))
    return table[full]


def options(sample: Sample) -> list[Option]:
    """The factory's parameters that have defaults, in order."""
    hints = typing.get_type_hints(sample.build)
    return [Option(p.name, hints.get(p.name, Any), str(p.annotation), p.default)
            for p in inspect.signature(sample.build).parameters.values()
            if p.default is not inspect.Parameter.empty]


def _unknown(what: str, name: str, known: Any, hint: str = "") -> str:
    close = difflib.get_close_matches(name.split(".")[-1] if "." in name else name,
                                      list(known), n=3)
    message = f"unknown {what} {name!r}"
    if close:
        message += f" (did you mean {', '.join(close)}?)"
    elif not hint:
        message += f"; choose from {', '.join(known)}"
    return f"{message}; {hint}" if hint else message


# -- --set values ----------------------------------------------------------------------

def _members(hint: Any) -> tuple[Any, ...]:
    """The types a hint allows (``int | None`` -> ``(int, NoneType)``)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


def _is_structured(member: Any) -> bool:
    origin = typing.get_origin(member) or member
    return member is Any or (isinstance(origin, type) and not issubclass(origin, (str, bytes))
                             and hasattr(origin, "__iter__"))


def _parse(hint: Any, text: str) -> Any:
    from datetime import datetime

    members = _members(hint)
    if text == "null" and type(None) in members:
        return None
    for member, parse in ((bool, _bool), (int, int), (float, float), (datetime, _time)):
        if member in members:
            return parse(text)
    if any(_is_structured(m) for m in members):
        import json

        try:
            return json.loads(text)
        except ValueError:
            return text  # not JSON: the text itself
    return text


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise ValueError(f"expected true or false, not {text!r}")


def _time(text: str) -> Any:
    from datetime import datetime, timezone

    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
