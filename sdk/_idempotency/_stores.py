"""``sdk.store(address)``: an idempotency store from an address, its driver loaded lazily.

The pattern of ``sdk.destination`` (``sdk/_outputs/_address.py``, fsspec's
``known_implementations``): a scheme table of dotted driver names, imported on
first use. Only the driver of the scheme asked for is imported, and its client
library only when the store is first used, so ``import sdk`` stays free of every
provider library. The address is parsed here rather than by the outputs' parser:
importing that one loads the whole outputs package (and dataclasses, inspect),
milliseconds of every idempotent function's cold start.
Addresses (docs/idempotency.md has every option):

==========================================  =========================================  ==========
address                                     store                                      extra
==========================================  =========================================  ==========
``memory://`` / ``memory://NAME``           this process (tests, local runs)           --
``dynamodb://TABLE?region=..``              DynamoDB conditional writes (boto3)        ``aws``
``azure-table://TABLE?connection=SETTING``  Azure Table Storage with ETags              ``azure``
``firestore://COLLECTION?project=..``       Firestore create/update preconditions      ``gcp``
``redis://HOST:PORT/DB`` / ``rediss://``    Redis ``SET NX PX`` and Lua compare-and-set ``redis``
==========================================  =========================================  ==========
"""

from __future__ import annotations

import threading
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigurationError
from ._record import Store

__all__ = ["SCHEMES", "StoreAddress", "option", "public_name", "register_store", "require",
           "store"]

#: scheme -> "module:Class"; the class has ``from_address(address: Address)``.
SCHEMES: dict[str, str] = {
    "memory": "sdk._idempotency._memory:MemoryStore",
    "dynamodb": "adapters._stores.dynamodb:DynamoDBStore",
    "azure-table": "adapters._stores.azure_table:TableStore",
    "firestore": "adapters._stores.firestore:FirestoreStore",
    "redis": "adapters._stores.redis:RedisStore",
    "rediss": "adapters._stores.redis:RedisStore",
}


def register_store(scheme: str, driver: str) -> None:
    """Make ``scheme://...`` addresses build ``driver`` (``"package.module:Class"``)."""
    if ":" not in driver:
        raise ConfigurationError(f"a store driver is 'module:Class', not {driver!r}")
    SCHEMES[scheme.lower()] = driver


class StoreAddress:
    """A parsed store address: ``kind`` (the scheme), the ``text`` as configured and
    its URL parts; ``name`` is netloc + path without slashes (a table, a collection)."""

    __slots__ = ("kind", "netloc", "path", "query", "text")

    def __init__(self, kind: str, text: str, netloc: str, path: str, query: str) -> None:
        self.kind, self.text, self.netloc, self.path, self.query = (kind, text, netloc, path,
                                                                    query)

    @property
    def name(self) -> str:
        return f"{self.netloc}{self.path}".strip("/")

    def __str__(self) -> str:
        return self.text


def store(address: str) -> Store:
    """The idempotency store at ``address`` (module docstring); ConfigurationError
    for an unknown scheme or a missing client library, naming the extra."""
    parsed = parse(address)
    built: Store = _driver(parsed.kind).from_address(parsed)
    return built


def parse(text: str) -> StoreAddress:
    if not isinstance(text, str) or "://" not in text:
        raise ConfigurationError(f"an idempotency store address looks like "
                                 f"'dynamodb://table', not {text!r}")
    url = urlsplit(text.strip())
    kind = url.scheme.lower()
    if kind not in SCHEMES:
        known = ", ".join(f"{s}://" for s in sorted(SCHEMES))
        raise ConfigurationError(f"unknown idempotency store scheme {url.scheme!r}; "
                                 f"known: {known}")
    return StoreAddress(kind, text.strip(), url.netloc, url.path, url.query)


_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def _driver(kind: str) -> Any:
    """The driver class for ``kind``, imported once."""
    spec = SCHEMES[kind]
    found = _loaded.get(spec)
    if found is None:
        with _lock:
            module, _, name = spec.partition(":")
            found = _loaded[spec] = getattr(import_module(module), name)
    return found


def option(address: StoreAddress, name: str, default: str | None = None) -> str | None:
    """The query option ``name`` of an address (the last one given)."""
    from urllib.parse import parse_qsl

    found = default
    for key, value in parse_qsl(address.query, keep_blank_values=True):
        if key == name:
            found = value
    return found


def require(module: str, extra: str, address: StoreAddress) -> None:
    """ConfigurationError unless ``module`` can be imported (checked, not imported)."""
    from importlib.util import find_spec

    try:
        found = find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise ConfigurationError(f"{address.kind}:// idempotency stores need {module}: "
                                 f"pip install 'polyfn[{extra}]'")


def public_name(address: StoreAddress) -> str:
    """The address without credentials or options, for messages and logs."""
    host = address.netloc.rpartition("@")[2]
    return f"{address.kind}://{host}{address.path}"
