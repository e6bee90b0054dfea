"""One address parser: configuration strings that name a provider driver.

Destinations and buckets (``sdk.destination``/``sdk.bucket``, sdk/_outputs) and
idempotency stores (``sdk.store``, sdk/_idempotency) are configured by an address
(``ORDERS=sqs://orders``, ``dynamodb://table``) whose scheme picks a driver from a
table of ``"module:Class"`` names, imported on first use (the pattern of fsspec's
``known_implementations``): ``sdk`` stays free of provider code. Each feature owns
its tables; this module owns the parsing and the lazy import.

Small on purpose: a cold start that only sends one message or checks one key
loads this module, so it imports no dataclasses, inspect, threading or asyncio
(tests/unit/test_import_cost.py keeps it so). ``urllib.parse`` is loaded by every
provider client anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigurationError

__all__ = ["Address", "driver_class", "parse"]

#: pyproject.toml's extras, named in the error for a missing library when the
#: driver's module path holds one (adapters.aws._outputs, adapters._outputs.gcp._pubsub).
EXTRAS = ("aws", "azure", "gcp", "cloudevents", "redis")


class Address:
    """A parsed address: ``kind`` (the table key), the ``text`` as configured, and
    its URL parts (``netloc``, ``path``, ``query``; an ARN keeps all in ``text``).
    Compared and hashed by value; treat it as immutable."""

    __slots__ = ("kind", "netloc", "path", "query", "text")

    def __init__(self, kind: str, text: str, netloc: str = "", path: str = "",
                 query: str = "") -> None:
        self.kind, self.text, self.netloc, self.path, self.query = (kind, text, netloc, path,
                                                                    query)

    @property
    def name(self) -> str:
        """``netloc`` + ``path`` without the leading/trailing slashes."""
        return f"{self.netloc}{self.path}".strip("/")

    def _key(self) -> tuple[str, ...]:
        return (self.kind, self.text, self.netloc, self.path, self.query)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Address) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Address(kind={self.kind!r}, text={self.text!r})"

    def __str__(self) -> str:
        return self.text


def _unknown(scheme: str, table: Mapping[str, str], what: str, arns: bool) -> ConfigurationError:
    known = ", ".join(f"{k}://" for k in sorted(table))
    return ConfigurationError(f"unknown {what} scheme {scheme!r}: expected one of {known}"
                              + (" or an ARN" if arns else ""))


def _arn(text: str, table: Mapping[str, str], services: Mapping[str, str]) -> Address:
    parts = text.split(":", 5)
    kind = services.get(parts[2]) if len(parts) == 6 else None
    if kind is not None and kind in table:
        return Address(kind, text)
    raise ConfigurationError(f"no driver for ARN service {parts[2] if len(parts) > 2 else ''!r}"
                             f" (known: {', '.join(sorted(services))})")


def parse(text: str, table: Mapping[str, str], *, what: str = "address",
          example: str = "sqs://orders", arn_services: Mapping[str, str] | None = None,
          host_kind: Callable[[str, str], str | None] | None = None) -> Address:
    """The :class:`Address` of ``text`` whose kind is a key of ``table``.

    ``arn_services`` maps an ARN's service field to a kind (ARNs are refused
    without it); ``host_kind(scheme, netloc)`` may name another kind for a URL
    (an SQS queue URL is ``https://``). ``ConfigurationError`` names what is known,
    never the address's credentials."""
    if not isinstance(text, str) or not text.strip():
        raise ConfigurationError(f"an {what} must be a non-empty string, e.g. {example!r}")
    text = text.strip()
    if arn_services is not None and text.startswith("arn:"):
        return _arn(text, table, arn_services)
    url = urlsplit(text)
    kind = url.scheme.lower()
    if host_kind is not None:
        kind = host_kind(kind, url.netloc) or kind
    if not url.scheme or "://" not in text or kind not in table:
        raise _unknown(url.scheme or text, table, what,
                       arn_services is not None)
    return Address(kind, text, url.netloc, url.path, url.query)


#: "module:Class" -> the class. No lock: the import system serialises imports of a
#: module, and two threads racing here store the same class.
_loaded: dict[str, Any] = {}


def driver_class(kind: str, table: Mapping[str, str]) -> Any:
    """The driver class for ``kind``, imported once. A missing provider library
    raises ``ConfigurationError`` naming the extra that installs it."""
    spec = table[kind]
    found = _loaded.get(spec)
    if found is None:
        module, _, name = spec.partition(":")
        try:
            found = getattr(import_module(module), name)
        except ImportError as exc:
            extra = next((p for p in module.split(".") if p in EXTRAS), None)
            hint = f": pip install 'polyfn[{extra}]'" if extra else ""
            raise ConfigurationError(
                f"{kind}:// needs {exc.name or 'a provider library'}{hint}") from exc
        _loaded[spec] = found
    return found
