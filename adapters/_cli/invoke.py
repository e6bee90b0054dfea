"""``polyfn invoke MODULE:HANDLER --event FILE``: run a handler as its provider would.

AWS payloads go through ``adapters.aws.lambda_handler`` with a stand-in Lambda
context; other providers' through ``detect(raw).invoke(fn, raw, context)``. The
provider-shaped response is printed as JSON on stdout; the handler's logs go to
stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from adapters.testing._lambda_context import FakeLambdaContext
from sdk import Context, Function
from sdk.errors import ConfigurationError, EventDecodeError, UnsupportedEventError

from .command import EXIT_HANDLER_ERROR, EXIT_OK, BadInput, WrongKind
from .event import add_provider_option
from .handlers import WatchedHandler, load_handler
from .inputs import read_json
from .output import handler_output, json_text, one_line, response_json
from .providers import Match, resolve

__all__ = ["RUNNERS", "InvokeCommand", "check_kind", "run_trigger"]

#: Runs ``fn`` on ``raw`` the way one provider does, returning its native response.
Runner = Callable[[Match, Function[Any], Any], Any]

#: Exceptions that mean the input (payload or handler choice) is wrong, not the handler.
_BAD_INPUT = (ConfigurationError, EventDecodeError, UnsupportedEventError)


def run_lambda(match: Match, fn: Function[Any], raw: Any) -> Any:
    """As the Lambda runtime does: the module's ``lambda_handler(fn)(event, context)``."""
    return match.module.lambda_handler(fn)(raw, FakeLambdaContext(function_name=fn.name))


def run_trigger(match: Match, fn: Function[Any], raw: Any) -> Any:
    """The generic path: the detected trigger's ``invoke`` with a fresh Context."""
    context = Context(provider=match.provider, request_id=str(uuid.uuid4()),
                      function_name=fn.name)
    return match.trigger.invoke(fn, raw, context)


#: Providers whose entry point does more than ``trigger.invoke`` (context building).
RUNNERS: dict[str, Runner] = {"aws": run_lambda}


def check_kind(match: Match, fn: Function[Any], raw: Any) -> None:
    """:class:`WrongKind` when the payload's events are not the kind ``fn`` takes.

    A trigger of generic kind (Event Grid, structured CloudEvents) may decode to a
    specific one (a blob event is a ``StorageEvent``): those are decoded to see.
    """
    kind = match.trigger.kind
    if issubclass(kind, fn.kind):
        return
    delivered = kind.kind
    if issubclass(fn.kind, kind):
        try:
            events = match.trigger.decoded(raw)
        except EventDecodeError:
            return  # the provider's own path answers a malformed payload
        wrong = [event.kind for event in events if not fn.accepts(event)]
        if not wrong:
            return
        delivered = wrong[0]
    raise WrongKind(f"{fn.name} takes {fn.kind.kind} events, but {match.trigger.name} "
                   f"delivers {delivered} events")


def _failures(handler: WatchedHandler) -> list[BaseException]:
    """What the handler raised, less malformed-input errors (the provider answers
    those itself: 400 on HTTP, a retry elsewhere)."""
    return [e for e in handler.errors if not isinstance(e, EventDecodeError)]


def _report(failures: list[BaseException], show_traceback: bool) -> int:
    exc = failures[0]
    more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
    print(f"error: {type(exc).__name__}: {one_line(str(exc))}{more}", file=sys.stderr)
    if show_traceback:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    return EXIT_HANDLER_ERROR


class InvokeCommand:
    name = "invoke"
    help = "run a handler on a provider payload and print the provider's response"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("handler", metavar="MODULE:HANDLER",
                            help="dotted module or .py file, and the handler in it")
        parser.add_argument("--event", required=True, metavar="FILE",
                            help="the provider payload as JSON ('-': stdin)")
        add_provider_option(parser)
        parser.add_argument("--traceback", action="store_true",
                            help="print the traceback of a failure")

    def run(self, args: argparse.Namespace) -> int:
        raw = read_json(args.event)
        match = resolve(raw, args.provider)
        handler = load_handler(args.handler)
        check_kind(match, handler.function, raw)
        return self._invoke(match, handler, raw, args.traceback)

    def _invoke(self, match: Match, handler: WatchedHandler, raw: Any, show: bool) -> int:
        runner = RUNNERS.get(match.provider, run_trigger)
        try:
            with handler_output():
                response = runner(match, handler.function, raw)
        except Exception as exc:
            failures = _failures(handler)
            if failures:  # the whole invocation failed because the handler did
                return _report(failures, show)
            if isinstance(exc, _BAD_INPUT):
                raise BadInput(str(exc)) from exc
            return _report([exc], show)
        print(json_text(json.dumps(response_json(response), indent=2, ensure_ascii=False)))
        failures = _failures(handler)  # answered anyway: a 500, a partial batch failure
        return _report(failures, show) if failures else EXIT_OK
