"""``sdk.store(address)``: an idempotency store from an address, its driver loaded lazily.

The one address parser of ``sdk.destination`` (:mod:`sdk._address`, fsspec's
``known_implementations``) over this feature's table of dotted driver names,
imported on first use. Only the driver of the scheme asked for is imported, and
its client library only when the store is first used, so ``import sdk`` stays
free of every provider library (and of the outputs package).
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

from typing import Any

from .._address import Address, driver_class
from .._address import parse as parse_address
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


#: A parsed store address (:class:`sdk._address.Address`, as for destinations): ``kind``
#: (the scheme), the ``text`` as configured, its URL parts; ``name`` is netloc +
#: path without slashes (a table, a collection).
StoreAddress = Address


def store(address: str) -> Store:
    """The idempotency store at ``address`` (module docstring); ConfigurationError
    for an unknown scheme or a missing client library, naming the extra."""
    parsed = parse(address)
    built: Store = _driver(parsed.kind).from_address(parsed)
    return built


def parse(text: str) -> StoreAddress:
    return parse_address(text, SCHEMES, what="idempotency store address",
                         example="dynamodb://table")


def _driver(kind: str) -> Any:
    """The driver class for ``kind``, imported once."""
    return driver_class(kind, SCHEMES)


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
