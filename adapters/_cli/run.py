"""``polyfn run MODULE:HANDLER --source ADDRESS``: a handler fed by a real queue or
subscription, with its platform's batching, retry and dead-letter rules
(``adapters/_run``; docs/local.md).

Bad options, an address no source reads, a missing provider library or a broker
that does not answer are exit code 2 with one line. SIGINT/SIGTERM stop it
gracefully: no new receives, unstarted messages handed back, running invocations
finished and settled; a second signal exits at once (what was in flight stays
with the broker and is delivered again after its timeout). The summary line goes
to stderr; exit code 0 after a graceful stop.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from .command import EXIT_OK, BadInput
from .handlers import load_handler
from .options import positive_int
from .signals import STOPPING, handling_signals

__all__ = ["RunCommand"]

_EPILOG = """\
sources (the addresses of sdk.destination, docs/outputs.md):
  sqs://NAME, a queue URL or ARN     as Lambda's SQS event source mapping
  pubsub://projects/P/subscriptions/S (or pubsub://S)
                                     as an Eventarc Pub/Sub trigger
  azure-queue://NAME[?connection=SETTING][&encoding=none]
                                     as the Functions host's queue trigger
Emulators are found through each library's own settings: AWS_ENDPOINT_URL,
PUBSUB_EMULATOR_HOST, AzureWebJobsStorage. Handler logs go to stdout (JSON lines),
the progress line and the summary to stderr.
"""


def seconds(text: str) -> float:
    """A number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, not {text!r}") from None
    if not 0 <= value <= 86_400:
        raise argparse.ArgumentTypeError(f"seconds must be 0-86400, not {text}")
    return value


def whole_seconds(text: str) -> int:
    value = seconds(text)
    if value != int(value):
        raise argparse.ArgumentTypeError(f"expected whole seconds, not {text}")
    return int(value)


class RunCommand:
    name = "run"
    help = "run a handler on a real queue or subscription, as its platform would"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = _EPILOG
        add = parser.add_argument
        add("handler", metavar="MODULE:HANDLER",
            help="dotted module or .py file, and the handler in it")
        add("--source", required=True, metavar="ADDRESS", help="the queue or subscription")
        add("--batch-size", type=positive_int, metavar="N",
            help="SQS: records per invocation (default 10; above 10 needs a window); "
                 "Azure: messages fetched at once (default 16)")
        add("--batching-window", type=seconds, default=0.0, metavar="SECONDS",
            help="SQS: gather records for up to this long (default 0)")
        add("--concurrency", type=positive_int, default=1, metavar="N",
            help="invocations at once (default 1)")
        add("--visibility-timeout", type=whole_seconds, metavar="SECONDS",
            help="SQS: for received messages (default: the queue's); Azure: before a "
                 "failed message is visible again (host.json visibilityTimeout, default 0); "
                 "Pub/Sub: the ack deadline of pulled messages (default: the subscription's)")
        add("--max-dequeue", type=positive_int, metavar="N",
            help="Azure: deliveries before a message moves to <queue>-poison "
                 "(host.json maxDequeueCount, default 5)")
        add("--timeout", type=seconds, default=30.0, metavar="SECONDS",
            help="the function's timeout: a longer invocation fails (default 30)")
        add("--unwrap", action="store_true",
            help="SQS: bodies holding SNS or S3 notifications become those events")
        add("--exit-when-idle", type=seconds, metavar="SECONDS",
            help="stop after this long without a message (scripts, tests)")

    def run(self, args: argparse.Namespace) -> int:
        from adapters._run import Options, SourceError, open_source
        from adapters._run._loop import Loop
        from adapters._run._progress import Progress

        options = Options(batch_size=args.batch_size, batching_window=args.batching_window,
                          visibility_timeout=args.visibility_timeout,
                          max_dequeue=args.max_dequeue, timeout=args.timeout or 30.0,
                          unwrap=args.unwrap)
        handler = load_handler(args.handler)
        try:
            source = open_source(args.source, options)
            source.open(handler.function)
        except SourceError as exc:
            raise BadInput(str(exc)) from None
        progress = Progress(source.address)
        loop = Loop(source, progress, concurrency=args.concurrency, idle=args.exit_when_idle)
        _say(f"polyfn run: {args.handler} on {source.address}; Ctrl-C to stop")
        progress.start()
        with _signals_stop(loop):
            loop.run()
        progress.finish(loop.reason)
        return EXIT_OK


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextmanager
def _signals_stop(loop: Any) -> Iterator[None]:
    """The first SIGINT/SIGTERM stops the loop gracefully, a second exits now."""
    def stop(signum: int, frame: FrameType | None) -> None:
        if loop.stopping.is_set():
            _say("polyfn run: stopped at once; in-flight messages return after their timeout")
            os._exit(130)
        _say(f"polyfn run: {STOPPING.get(signum, 'signal')}: finishing in-flight work")
        loop.stop(STOPPING.get(signum, "stopped"))

    with handling_signals(stop):
        yield
