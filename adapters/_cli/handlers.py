"""Importing ``MODULE:HANDLER`` and watching the handler for its own failures.

``MODULE`` is a dotted module name (found from the current directory, as
``python -m`` would) or a path to a ``.py`` file; ``HANDLER`` an attribute of it,
an ``@sdk.function``, a plain function, or an adapter entry point that wraps one
(``examples.quickstart.aws:handler``).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from sdk import Function
from sdk.errors import ConfigurationError

from .command import BadInput

__all__ = ["WatchedHandler", "import_module", "load_handler"]

_USAGE = "expected MODULE:HANDLER, e.g. examples.quickstart.handler:handle"


def import_module(spec: str) -> ModuleType:
    """Import a dotted module name or a ``.py`` file; :class:`BadInput` when it fails."""
    is_path = spec.endswith(".py") or "/" in spec or os.sep in spec
    try:
        return _import_path(Path(spec)) if is_path else _import_dotted(spec)
    except BadInput:
        raise
    except Exception as exc:  # the module's own code failed: show it with --traceback
        raise BadInput(f"importing {spec} failed: {type(exc).__name__}: {exc}") from exc


def _import_dotted(name: str) -> ModuleType:
    cwd = os.getcwd()
    if cwd not in sys.path:  # the console script does not put it there; python -m does
        sys.path.insert(0, cwd)
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(f"{exc.name}.")):
            raise BadInput(f"no module named {name} (from {cwd})") from None
        raise


def _import_path(path: Path) -> ModuleType:
    if not path.is_file():
        raise BadInput(f"no such file: {path}")
    directory = str(path.resolve().parent)
    if directory not in sys.path:  # so the file can import its siblings
        sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise BadInput(f"cannot import {path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # pydantic resolves forward references through it
    spec.loader.exec_module(module)
    return module


def _attribute(module: ModuleType, spec: str, path: str) -> Any:
    target: Any = module
    for part in path.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise BadInput(f"{spec} has no attribute {path}") from None
    return target


class WatchedHandler:
    """The handler as a :class:`~sdk.Function` whose own exceptions are recorded.

    Adapters turn a failing HTTP handler into a 500 response and a failing batch
    record into a ``batchItemFailures`` entry; ``errors`` still tells the CLI that
    the handler itself raised (exit code 1), as opposed to bad input. It is kept
    per thread: ``polyfn serve`` runs requests at once, each in one worker thread
    (an async handler runs in that thread too, under ``asyncio.run``).
    """

    def __init__(self, target: Callable[..., Any]) -> None:
        self.function: Function[Any] = Function(target)  # a new one: never patch the user's
        self._local = threading.local()
        self.function.fn = self._watch(self.function.fn)

    @property
    def errors(self) -> list[BaseException]:
        """What the handler raised in this thread since the list was last cleared."""
        errors: list[BaseException] | None = getattr(self._local, "errors", None)
        if errors is None:
            errors = self._local.errors = []
        return errors

    def _watch(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        watched_handler = self
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def watched_async(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await fn(*args, **kwargs)
                except Exception as exc:
                    watched_handler.errors.append(exc)
                    raise
            return watched_async

        @functools.wraps(fn)
        def watched(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                watched_handler.errors.append(exc)
                raise
        return watched


def load_handler(spec: str) -> WatchedHandler:
    """Import ``MODULE:HANDLER``; :class:`BadInput` for anything wrong with it."""
    module_spec, sep, attr = spec.rpartition(":")
    if not sep or not module_spec or not attr:
        raise BadInput(f"bad handler {spec!r}: {_USAGE}")
    target = _attribute(import_module(module_spec), module_spec, attr)
    wrapped = getattr(target, "__wrapped__", None)
    if isinstance(wrapped, Function):  # an adapter entry point: run the handler it wraps
        target = wrapped
    if not callable(target):
        raise BadInput(f"{spec} is a {type(target).__name__}, not a function")
    try:
        return WatchedHandler(target)
    except ConfigurationError as exc:
        raise BadInput(f"{spec}: {exc}") from None
