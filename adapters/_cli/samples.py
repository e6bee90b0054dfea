"""``polyfn samples [PROVIDER [TRIGGER]] [--set field=value ...] [--list]``.

Prints a provider payload for one trigger, built by the same factories as
``adapters.testing`` (``adapters/testing/<provider>.py``), or lists what there is:

* no argument: every provider and its samples;
* ``PROVIDER``: that provider's samples;
* ``PROVIDER TRIGGER`` (``aws sqs``, ``aws aws.sqs``, ``aws apigw-v2``; or just
  ``aws.sqs``): the payload as JSON on stdout; with ``--list``, its fields and
  defaults. ``--set field=value`` (repeatable) sets a field: numbers and booleans
  by the field's type, JSON where the field takes data (``--set body='{"id": 1}'``),
  text otherwise.

Triggers whose input is an object, not JSON (Azure's HttpRequest, QueueMessage,
ServiceBusMessage, EventHubEvent, InputStream, TimerRequest; functions-framework's
flask request and CloudEvent; a binary-mode CloudEvent request) have no payload to
print: the command says so in one line (exit code 2) and names the
``adapters.testing`` factory that builds the object for tests. Event Grid and Cosmos DB
are JSON and print.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

from adapters.testing import PROVIDERS, Option, Sample, find, options, samples

from .command import EXIT_OK, BadInput
from .output import one_line

__all__ = ["SamplesCommand"]

_INDENT = "  "
_EPILOG = """\
examples:
  polyfn samples                          list every provider's triggers
  polyfn samples aws sqs --list           the fields of an SQS sample and their defaults
  polyfn samples aws sqs --set body='{"id": 1}' > sqs.json
  polyfn samples gcp pubsub --set data='{"id": 1}' | polyfn event -
Triggers whose input is an object, not JSON (Azure HTTP, queue, Service Bus, Event
Hubs, blob and timer; functions-framework's flask request and CloudEvent; binary-mode
CloudEvents) print one line naming the adapters.testing factory that builds the object
(exit code 2). In tests, the same factories are adapters.testing.<provider>.<name>(...).
"""


class SamplesCommand:
    name = "samples"
    help = "print sample provider payloads for every trigger, or list them"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = _EPILOG
        parser.add_argument("provider", nargs="?", metavar="PROVIDER",
                            help=f"one of {', '.join(PROVIDERS)} (or a dotted name: aws.sqs)")
        parser.add_argument("trigger", nargs="?", metavar="TRIGGER",
                            help="a trigger: dotted (aws.sqs) or short (sqs)")
        parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                            dest="fields", help="set a field of the payload (repeatable)")
        parser.add_argument("--list", action="store_true",
                            help="list the samples, or TRIGGER's fields and defaults")

    def run(self, args: argparse.Namespace) -> int:
        sample = _selected(args.provider, args.trigger)
        if sample is None:
            if args.fields:
                raise BadInput("--set needs a TRIGGER: polyfn samples PROVIDER TRIGGER --set ...")
            print("\n".join(_listing([args.provider] if args.provider else list(PROVIDERS))))
        elif args.list:
            print("\n".join(_describe(sample)))
        else:
            print(json.dumps(_build(sample, args.fields), indent=2, ensure_ascii=False))
        return EXIT_OK


def _selected(provider: str | None, trigger: str | None) -> Sample | None:
    """The sample asked for, ``None`` for a listing; :class:`BadInput` if unknown."""
    if provider is None:
        return None
    name = provider.lower()
    try:
        if trigger is not None:
            return find(trigger, _provider(name))
        if "." in name:  # `polyfn samples aws.sqs`
            return find(name, _provider(name.split(".", 1)[0]))
        samples(_provider(name))
        return None
    except LookupError as exc:
        raise BadInput(str(exc)) from None
    except ImportError as exc:
        raise BadInput(f"provider {name} is not available: {exc} "
                       f"(pip install 'polyfn[{name}]')") from None


def _provider(name: str) -> str:
    if name not in PROVIDERS:
        raise LookupError(f"unknown provider {name!r}; choose from {', '.join(PROVIDERS)}")
    return name


def _listing(providers: list[str]) -> list[str]:
    lines: list[str] = []
    for provider in providers:
        try:
            table = samples(provider)
        except ImportError as exc:
            lines.append(f"{provider}: not available ({exc}; pip install 'polyfn[{provider}]')")
            continue
        lines.append(f"{provider}  (polyfn samples {provider} TRIGGER [--set FIELD=VALUE]...)")
        width = max(len(sample.short) for sample in table)
        for sample in table:
            where = "" if sample.wire else f"  [object: {sample.factory_path}]"
            lines.append(f"{_INDENT}{sample.short:<{width}}  {sample.kind:<8}  "
                         f"{sample.summary}{where}")
    return lines


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    try:
        return json.dumps(value, ensure_ascii=False)
    except TypeError:
        return repr(value)


def _describe(sample: Sample) -> list[str]:
    found = options(sample)
    lines = [f"{sample.name}  ({sample.kind}): {sample.summary}",
             f"factory: {sample.factory_path}(...)"]
    if not sample.wire:
        lines.append(f"not JSON: {sample.note}")
    lines.append("fields (--set FIELD=VALUE):")
    width = max((len(o.name) for o in found), default=0)
    lines += [f"{_INDENT}{o.name:<{width}}  {o.annotation}  = {_shown(o.default)}"
              for o in found]
    return lines


def _build(sample: Sample, assignments: list[str]) -> Any:
    if not sample.wire:
        raise BadInput(f"{sample.name} has no JSON payload: {sample.note}; in tests build it "
                       f"with {sample.factory_path}(...)")
    fields = _fields(options(sample), assignments, sample.name)
    try:
        return sample.build(**fields)
    except (TypeError, ValueError, KeyError) as exc:
        raise BadInput(f"{sample.name}: {one_line(str(exc))}") from None


def _fields(known: list[Option], assignments: list[str], name: str) -> dict[str, Any]:
    by_name = {option.name: option for option in known}
    fields: dict[str, Any] = {}
    for assignment in assignments:
        key, sep, text = assignment.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise BadInput(f"--set takes FIELD=VALUE, not {assignment!r}")
        option = by_name.get(key)
        if option is None:
            raise BadInput(f"{name} has no field {key!r}; fields: {', '.join(by_name)}")
        try:
            fields[key] = option.parse(text)
        except ValueError as exc:
            raise BadInput(f"--set {key}: {one_line(str(exc))}") from None
    return fields
