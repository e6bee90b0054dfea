"""The ``polyfn`` command line.

::

    polyfn event FILE [--provider auto|aws|azure|gcp|cloudevents]
    polyfn invoke MODULE:HANDLER --event FILE [--provider ...] [--traceback]
    polyfn serve MODULE:HANDLER [--port 8080] [--host 127.0.0.1] [--threads 8]
                 [--timeout 30] [--max-body 6MiB]
    polyfn run MODULE:HANDLER --source ADDRESS [--batch-size N] [--batching-window S]
               [--concurrency N] [--visibility-timeout S] [--max-dequeue N] [--timeout S]
               [--unwrap] [--exit-when-idle S]
    polyfn samples [PROVIDER [TRIGGER]] [--set FIELD=VALUE ...] [--list]

Exit codes: 0 ok, 1 the handler failed (one ``error: <Type>: <message>`` line on
stderr), 2 bad input (unreadable file, bad JSON, unknown trigger, bad
``MODULE:HANDLER``, a bad option: one line on stderr, never a traceback). Messages name keys,
never payload values.

A subcommand is a :class:`~adapters._cli.command.Command` listed in
:data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from sdk import __version__

from ._cli.command import EXIT_BAD_INPUT, EXIT_OK, BadInput, Command
from ._cli.event import EventCommand
from ._cli.invoke import InvokeCommand
from ._cli.options import OneLineParser
from ._cli.output import one_line
from ._cli.run import RunCommand
from ._cli.samples import SamplesCommand
from ._cli.serve import ServeCommand

__all__ = ["COMMANDS", "build_parser", "main"]

#: Every subcommand, in ``--help`` order.
COMMANDS: tuple[Command, ...] = (EventCommand(), InvokeCommand(), ServeCommand(),
                                 RunCommand(), SamplesCommand())


def build_parser(commands: tuple[Command, ...] = COMMANDS) -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="polyfn",
        description="Write a serverless handler once; run it on any cloud.",
    )
    parser.add_argument("--version", action="version", version=f"polyfn {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in commands:
        child = sub.add_parser(command.name, help=command.help, description=command.help)
        command.configure(child)
        child.set_defaults(command=command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``polyfn`` with ``argv`` (default: the process arguments); the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help/--version (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    try:
        code: int = args.command.run(args)
    except BrokenPipeError:  # `polyfn event ... | head`: the reader has what it wanted
        _silence_stdout()
        return EXIT_OK
    except BadInput as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        cause = exc.__cause__
        if getattr(args, "traceback", False) and cause is not None:
            traceback.print_exception(type(cause), cause, cause.__traceback__, file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null so flushing it at exit raises no second BrokenPipeError
    (https://docs.python.org/3/library/signal.html#note-on-sigpipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests, embedding)
        pass


if __name__ == "__main__":
    sys.exit(main())
