"""``sdk.store(address)``: an idempotency store from an address, its driver loaded lazily.

Only the driver of the scheme asked for is imported, and its client library only
when the store is first used, so ``import sdk`` stays free of every provider
library. Addresses (docs/idempotency.md has every option):

==========================================  =========================================  ==========
address                                     store                                      extra
==========================================  =========================================  ==========
``memory://`` / ``memory://NAME``           this process (tests, local runs)           --
``dynamodb://TABLE?region=..&endpoint=..``  DynamoDB conditional writes (boto3)        ``aws``
``azure-table://TABLE?connection=SETTING``  Azure Table Storage with ETags              ``azure``
``firestore://COLLECTION?project=..``       Firestore create/update preconditions      ``gcp``
``redis://HOST:PORT/DB`` / ``rediss://``    Redis ``SET NX PX`` and Lua compare-and-set ``redis``
==========================================  =========================================  ==========
"""

from __future__ import annotations

import importlib
from urllib.parse import SplitResult, urlsplit

from ..errors import ConfigurationError
from ._record import Store

__all__ = ["SCHEMES", "register_store", "store"]

#: scheme -> "module:Class"; the class has ``from_address(address, parts)``.
SCHEMES: dict[str, str] = {
    "memory": "sdk._idempotency._memory:MemoryStore",
    "dynamodb": "adapters.aws._idempotency:DynamoDBStore",
    "azure-table": "adapters.azure._idempotency:TableStore",
    "firestore": "adapters.gcp._idempotency:FirestoreStore",
    "redis": "adapters._stores.redis:RedisStore",
    "rediss": "adapters._stores.redis:RedisStore",
}


def register_store(scheme: str, driver: str) -> None:
    """Make ``scheme://...`` addresses build ``driver`` (``"package.module:Class"``)."""
    if ":" not in driver:
        raise ConfigurationError(f"a store driver is 'module:Class', not {driver!r}")
    SCHEMES[scheme.lower()] = driver


def store(address: str) -> Store:
    """The idempotency store at ``address`` (module docstring); ConfigurationError
    for an unknown scheme or a missing client library, naming the extra."""
    if not isinstance(address, str) or "://" not in address:
        raise ConfigurationError(f"an idempotency store address looks like "
                                 f"'dynamodb://table', not {address!r}")
    parts = urlsplit(address)
    driver = SCHEMES.get(parts.scheme.lower())
    if driver is None:
        known = ", ".join(f"{s}://" for s in sorted(SCHEMES))
        raise ConfigurationError(f"unknown idempotency store scheme {parts.scheme!r}; "
                                 f"known: {known}")
    module, _, name = driver.partition(":")
    cls = getattr(importlib.import_module(module), name)
    built: Store = cls.from_address(address, parts)
    return built


def option(parts: SplitResult, name: str, default: str | None = None) -> str | None:
    """The query option ``name`` of an address (the last one given)."""
    from urllib.parse import parse_qsl

    found = default
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == name:
            found = value
    return found


def require(module: str, extra: str, address: str) -> None:
    """ConfigurationError unless ``module`` can be imported (checked, not imported)."""
    from importlib.util import find_spec

    try:
        found = find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        scheme = address.partition("://")[0]
        raise ConfigurationError(f"{scheme}:// idempotency stores need {module}: "
                                 f"pip install 'polyfn[{extra}]'")


def public_name(parts: SplitResult) -> str:
    """The address without credentials or options, for messages and logs."""
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}"
