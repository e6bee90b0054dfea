"""Finding which provider and trigger a raw payload came from.

Provider modules are imported lazily and only as far as needed: ``--provider aws``
imports ``adapters.aws`` alone, and auto-detection stops at the first match. A
provider whose library is not installed (or whose adapter is incomplete) is
skipped by auto-detection and named in the error when nothing matched.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from adapters import PROVIDERS
from adapters._trigger import Trigger
from sdk.errors import UnsupportedEventError, describe_keys

from .command import BadInput

__all__ = ["AUTO", "CHOICES", "Match", "Unavailable", "load", "resolve"]

AUTO = "auto"
#: The values ``--provider`` accepts.
CHOICES: tuple[str, ...] = (AUTO, *PROVIDERS)
#: What every provider module must define to be usable here.
_API = ("TRIGGERS", "detect", "decode")


class Unavailable(Exception):
    """A provider module cannot be used in this environment (the message says why)."""

    def __init__(self, provider: str, reason: str) -> None:
        self.provider = provider
        super().__init__(f"provider {provider} is not available: {reason}")


@dataclass(frozen=True)
class Match:
    """The provider and trigger a payload belongs to."""

    provider: str
    module: ModuleType
    trigger: Trigger


def load(provider: str) -> ModuleType:
    """Import the adapter module of ``provider``; :class:`Unavailable` if it can't be used."""
    name = PROVIDERS[provider]
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise Unavailable(provider, f"{exc} (pip install 'polyfn[{provider}]')") from exc
    missing = [attr for attr in _API if not hasattr(module, attr)]
    if missing:
        raise Unavailable(provider, f"{name} does not define {', '.join(missing)}")
    return module


def resolve(raw: Any, provider: str = AUTO) -> Match:
    """The first provider (in :data:`adapters.PROVIDERS` order) whose ``detect``
    recognises ``raw``; :class:`BadInput` naming the providers tried and the
    payload's top-level keys when none does."""
    names = list(PROVIDERS) if provider == AUTO else [provider]
    tried: list[str] = []
    unavailable: list[Unavailable] = []
    for name in names:
        try:
            module = load(name)
        except Unavailable as exc:
            unavailable.append(exc)
            continue
        tried.append(name)
        try:
            return Match(name, module, module.detect(raw))
        except UnsupportedEventError:
            continue
    raise BadInput(_no_match(raw, tried, unavailable))


def _no_match(raw: Any, tried: list[str], unavailable: list[Unavailable]) -> str:
    if not tried:  # one provider asked for (or none importable): say why
        return "; ".join(str(exc) for exc in unavailable)
    message = (f"no trigger matches a payload with {describe_keys(raw)} "
               f"(providers tried: {', '.join(tried)}")
    if unavailable:
        message += f"; not available: {', '.join(exc.provider for exc in unavailable)}"
    return message + ")"
