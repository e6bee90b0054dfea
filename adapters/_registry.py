"""Every trigger of every provider, described: what docs/triggers.md is generated from.

For the docs, the CLI and tests only: it imports every provider's adapter, so no
provider entry point imports it. What it reads is the adapters' own: each
provider's ``TRIGGERS`` (name, kind, batch, semantics), the kinds' ``_fields`` and
the CloudEvent type table (``adapters.cloudevents._types``: ``DECODERS`` and what
each decoder declares it makes with ``@produces``). The one thing kept here is
which triggers send their events through that table (:data:`_ROUTING`).

``python -m adapters._registry`` prints the Markdown, ``--write`` writes
docs/triggers.md and ``--check`` exits 1 when that file is out of date.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters import PROVIDERS
from adapters._trigger import Trigger
from sdk import Change, Event, HTTPRequest, Message, Schedule, StorageEvent

__all__ = ["BASE_FIELDS", "DOC", "REGENERATE", "Route", "TriggerInfo", "all_triggers",
           "describe", "main", "render", "routes"]

#: The generated file, and the command that regenerates it.
DOC = Path(__file__).resolve().parents[1] / "docs" / "triggers.md"
REGENERATE = "python -m adapters._registry --write"

#: What every event has, whatever its kind: the keys of its JSON form before the
#: kind's own fields (``kind``, ``provider``, ``trigger``, CloudEvents attributes, data).
BASE_FIELDS: tuple[str, ...] = tuple(Event(provider="", trigger="", data=None).to_dict())

#: The uniform kinds, in the order the design lists them.
_KINDS: tuple[type[Event[Any]], ...] = (HTTPRequest, Message, StorageEvent, Schedule, Change,
                                         Event)

_TITLES = {"aws": "AWS Lambda", "azure": "Azure Functions",
           "gcp": "Google Cloud Functions and Cloud Run functions",
           "cloudevents": "CloudEvents engines: Knative, Dapr, Eventarc, Event Grid"}


@dataclass(frozen=True)
class Route:
    """One row of the CloudEvent type table: a type (or a prefix ending in ``.``)
    and the trigger and kind its decoder declares."""

    type: str
    trigger: str
    kind: str
    fields: tuple[str, ...]

    @property
    def is_prefix(self) -> bool:
        return self.type.endswith(".")


@dataclass(frozen=True)
class TriggerInfo:
    """One trigger as the docs describe it.

    ``fields`` are the kind's own (every event also has :data:`BASE_FIELDS`).
    ``routes`` is set for a trigger that decodes each event by its CloudEvent type:
    what each registered type becomes; ``fallback`` the trigger name(s) an event
    of an unclaimed type gets (as a generic ``event``).
    """

    provider: str
    name: str
    kind: str
    fields: tuple[str, ...]
    batch: bool
    semantics: str
    routes: tuple[Route, ...] = ()
    fallback: tuple[str, ...] = ()

    @property
    def by_type(self) -> bool:
        """Decodes by CloudEvent type through the whole table (not one fixed type)."""
        return bool(self.fallback)

    @property
    def all_fields(self) -> tuple[str, ...]:
        return BASE_FIELDS + self.fields


@dataclass(frozen=True)
class _Routing:
    types: tuple[str, ...] | None  # the registered types it can deliver; None: any
    fallback: tuple[str, ...]  # trigger names of an unclaimed type


def _routing() -> dict[type[Trigger], _Routing]:
    """The triggers whose events go through the CloudEvent type table (``decode_parts``).

    Every provider module is imported by then (:func:`all_triggers`).
    """
    from adapters.azure._eventgrid import EventGrid, EventGridCloudEvents
    from adapters.cloudevents._triggers import GENERIC_TRIGGER, HTTP, Batch, Structured
    from adapters.gcp._cloudevent import TRIGGER, CloudEvent, StructuredCloudEvent
    from adapters.gcp._legacy import MESSAGE_PUBLISHED, Background, PubSubPush

    return {
        CloudEvent: _Routing(None, (TRIGGER,)),
        StructuredCloudEvent: _Routing(None, (TRIGGER,)),
        # functions-framework converts the 1st-gen event; one it cannot convert
        # keeps the trigger's own name.
        Background: _Routing(None, (TRIGGER, Background.name)),
        PubSubPush: _Routing((MESSAGE_PUBLISHED,), ()),
        EventGrid: _Routing(None, (EventGrid.name,)),
        EventGridCloudEvents: _Routing(None, (EventGridCloudEvents.name,)),
        Structured: _Routing(None, (GENERIC_TRIGGER,)),
        Batch: _Routing(None, (GENERIC_TRIGGER,)),
        HTTP: _Routing(None, (GENERIC_TRIGGER,)),
    }


def all_triggers() -> dict[str, tuple[Trigger, ...]]:
    """Provider -> its ``TRIGGERS``, in :data:`adapters.PROVIDERS` order (each
    provider's module imported here, which also registers its CloudEvent types)."""
    out: dict[str, tuple[Trigger, ...]] = {}
    for provider, module in PROVIDERS.items():
        triggers: tuple[Trigger, ...] = importlib.import_module(module).TRIGGERS
        out[provider] = triggers
    return out


def routes() -> tuple[Route, ...]:
    """The CloudEvent type table, sorted by type: every registered type whose decoder
    declares what it makes (``@produces``)."""
    all_triggers()
    from adapters.cloudevents._types import DECODERS, PRODUCES, load_provider_types

    load_provider_types()

    out: list[Route] = []
    for ce_type in sorted(DECODERS, key=lambda key: (key.casefold(), key)):
        declared = PRODUCES.get(DECODERS[ce_type])
        if declared is not None:
            trigger, kind = declared
            out.append(Route(ce_type, trigger, kind.kind, kind._fields))
    return tuple(out)


def describe() -> list[TriggerInfo]:
    """Every trigger of every provider, in provider then detection order."""
    table = routes()
    routing = _routing()
    infos: list[TriggerInfo] = []
    for provider, triggers in all_triggers().items():
        for trigger in triggers:
            kind = trigger.kind
            rule = routing.get(type(trigger))
            chosen: tuple[Route, ...] = ()
            if rule is not None:
                chosen = tuple(r for r in table if rule.types is None or r.type in rule.types)
            infos.append(TriggerInfo(
                provider=provider, name=trigger.name, kind=kind.kind, fields=kind._fields,
                batch=trigger.batch, semantics=trigger.semantics, routes=chosen,
                fallback=rule.fallback if rule is not None else (),
            ))
    return infos


# -- Markdown --------------------------------------------------------------------------

def _code(names: Sequence[str]) -> str:
    return ", ".join(f"`{name}`" for name in names) or "—"


def _cell(text: str) -> str:
    """Table-cell text: ``|`` would end the cell, ``<`` start an HTML tag."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "\\<")


def _kind_cell(info: TriggerInfo) -> str:
    if info.by_type:
        return (f"by [CloudEvent type](#cloudevent-types); other types `event` as "
                f"{' or '.join(f'`{name}`' for name in info.fallback)}")
    if info.routes:  # one fixed type
        kinds = sorted({(r.kind, r.trigger) for r in info.routes})
        return "; ".join(f"`{kind}` as `{trigger}`" for kind, trigger in kinds)
    return f"`{info.kind}`"


def _fields_cell(info: TriggerInfo) -> str:
    if info.by_type:
        return "per type"
    if info.routes:
        return _code(info.routes[0].fields)
    return _code(info.fields)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _intro() -> list[str]:
    kinds = ", ".join(f"`{cls.kind}` (`{cls.__name__}`)" for cls in _KINDS)
    return [
        "# Triggers",
        "",
        f"<!-- Generated by adapters/_registry.py; do not edit. Regenerate: {REGENERATE} -->",
        "",
        "Every trigger polyfn recognises, per provider, in the order of the provider's "
        "`TRIGGERS` tuple. This file is generated from the adapters' own registry "
        "(`adapters/_registry.py`: each trigger's `name`, `kind`, `batch` and `semantics`, "
        "the kinds' fields and the CloudEvent type table); do not edit it by hand. After "
        f"changing a trigger, regenerate it with `{REGENERATE}`; "
        "`tests/unit/test_triggers_doc.py` fails while it is out of date.",
        "",
        f"* **kind**: the uniform kind a handler annotates: {kinds}.",
        "* **fields**: what the kind adds to the attributes every event has: "
        f"{_code(BASE_FIELDS)}.",
        "* **batch**: a delivery holds several records, handled one by one, and failures "
        "are reported per record where the provider allows it (docs/batches.md). On AWS, "
        "when every record fails, or any fails with `lambda_handler(handle, "
        "partial_failures=False)`, the invocation fails and the whole batch is retried.",
        "* **response & retry**: what the provider does with the handler's result or "
        "failure.",
    ]


def _provider_section(provider: str, infos: Sequence[TriggerInfo]) -> list[str]:
    title = _TITLES.get(provider)
    heading = f"## {title} (`{provider}`)" if title else f"## `{provider}`"
    rows = [[f"`{info.name}`", _kind_cell(info), _fields_cell(info),
             "yes" if info.batch else "no", _cell(info.semantics)] for info in infos]
    return ["", heading, "",
            *_table(("trigger", "kind", "fields", "batch", "response & retry"), rows)]


def _types_section(table: Sequence[Route], infos: Sequence[TriggerInfo]) -> list[str]:
    users = [info.name for info in infos if info.by_type]
    rows = [[f"`{r.type}*`" if r.is_prefix else f"`{r.type}`", f"`{r.trigger}`",
             f"`{r.kind}`", _code(r.fields)] for r in table]
    return [
        "", "## CloudEvent types", "",
        f"{_code(users)} decode each event by its CloudEvent `type` through one table "
        "(`adapters/cloudevents/_types.py`), so a type becomes the same trigger and kind "
        "whichever provider delivers it (`provider` stays the adapter's). A type ending in "
        "`.*` is a prefix; an exact type beats a prefix and a longer prefix a shorter one. "
        "A type no decoder claims becomes a generic `event` under the trigger named in the "
        "delivering trigger's row.",
        "",
        "Attribute names are matched as the CloudEvents spec spells them: lower-case "
        "letters and digits (`specversion`, `datacontenttype`). A JSON document spelling "
        "one in camelCase (`specVersion`) is refused, not read as a CloudEvent: the spec "
        "defines no such attribute, the `cloudevents` SDKs refuse it too, and guessing "
        "would hide a sender's bug; the `UnsupportedEventError` says which key is "
        "misspelled. (Binary-mode `ce-*` HTTP headers are case-insensitive, as every HTTP "
        "header name is.)",
        "",
        *_table(("CloudEvent type", "trigger", "kind", "fields"), rows),
    ]


def render() -> str:
    """docs/triggers.md: deterministic (no timestamps; providers, triggers in order)."""
    infos = describe()
    lines = _intro()
    for provider in all_triggers():
        lines += _provider_section(provider, [i for i in infos if i.provider == provider])
    lines += _types_section(routes(), infos)
    return "\n".join(lines) + "\n"


def _write(text: str) -> int:
    DOC.write_text(text, encoding="utf-8", newline="\n")
    return 0


def _check(text: str) -> int:
    if DOC.is_file() and DOC.read_text(encoding="utf-8") == text:
        return 0
    sys.stderr.write(f"{DOC} is out of date: run {REGENERATE}\n")
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """``[--write | --check]``: print the Markdown, write it to docs/triggers.md, or
    exit 1 when that file differs from it."""
    args = list(sys.argv[1:] if argv is None else argv)
    actions: dict[str, Callable[[str], int]] = {"--write": _write, "--check": _check}
    if len(args) > 1 or (args and args[0] not in actions):
        sys.stderr.write("usage: python -m adapters._registry [--write | --check]\n")
        return 2
    text = render()
    if not args:
        sys.stdout.write(text)
        return 0
    return actions[args[0]](text)


if __name__ == "__main__":
    sys.exit(main())
