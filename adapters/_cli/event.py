"""``polyfn event FILE``: the uniform events in a provider payload, as JSON lines."""

from __future__ import annotations

import argparse
from typing import Any

from sdk.adapter import dumps
from sdk.errors import EventDecodeError, describe_keys

from .command import EXIT_OK, BadInput
from .inputs import read_json
from .output import json_text
from .providers import AUTO, CHOICES, Match, resolve

__all__ = ["EventCommand", "add_provider_option", "event_lines"]


def add_provider_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--provider", choices=CHOICES, default=AUTO,
        help="whose payload FILE is (default: auto, the first provider that recognises it)",
    )


def event_lines(match: Match, raw: Any) -> list[str]:
    """One JSON line per uniform event; :class:`BadInput` when the payload is malformed.

    Every event is rendered before anything is printed, so a bad record in a batch
    leaves no partial output.
    """
    try:
        return [dumps(event.to_dict()) for event in match.module.decode(raw)]
    except EventDecodeError as exc:  # names the trigger and keys, never values
        raise BadInput(str(exc)) from None
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise BadInput(f"{match.trigger.name}: malformed payload ({type(exc).__name__}) "
                       f"with {describe_keys(raw)}") from exc


class EventCommand:
    name = "event"
    help = "print the uniform events a provider payload decodes to, one JSON line each"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help="the payload as JSON ('-': stdin)")
        add_provider_option(parser)

    def run(self, args: argparse.Namespace) -> int:
        raw = read_json(args.file)
        lines = event_lines(resolve(raw, args.provider), raw)
        for line in lines:
            print(json_text(line))
        return EXIT_OK
