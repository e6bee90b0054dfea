"""Where an Azure address connects, by the Functions conventions for bindings.

An address names its entity and, optionally, the app setting that holds the
connection (``azure-queue://orders?connection=Storage``), the way a binding's
``connection`` property does
(https://learn.microsoft.com/azure/azure-functions/functions-reference#connections):

* the setting holds a connection string (``UseDevelopmentStorage=true`` and
  ``UseDevelopmentEmulator=true`` included: the client libraries read them), or
* it is a *setting collection* for an identity-based connection:
  ``<NAME>__serviceUri`` / ``<NAME>__queueServiceUri`` / ``<NAME>__blobServiceUri``
  / ``<NAME>__accountName`` for Storage, ``<NAME>__fullyQualifiedNamespace`` for
  Service Bus and Event Hubs, used with azure-identity's ``DefaultAzureCredential``.

Without ``connection=`` each kind reads its Functions default (``AzureWebJobsStorage``,
``AzureWebJobsServiceBus``). An address with a path
(``servicebus://ns.servicebus.windows.net/orders``) names a host and the entity on
it, and connects there with ``DefaultAzureCredential``. Loopback hosts use
``http`` (emulators), others ``https``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar
from urllib.parse import parse_qs

from sdk._outputs._address import Address
from sdk.errors import ConfigurationError

__all__ = ["Connection", "Service", "cached", "credential", "endpoint_url", "option", "resolve"]

T = TypeVar("T")

_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


class Service(NamedTuple):
    """How one kind finds its connection: the Functions default setting, the
    identity-based members it accepts (in order), and how an ``accountName``
    becomes a URL (Storage only)."""

    default_setting: str | None
    uri_members: tuple[str, ...]
    account_url: str = ""  # e.g. "https://{}.queue.core.windows.net"


class Connection(NamedTuple):
    """``entity`` (queue, container, hub, topic path) and either a connection
    string or an endpoint URL to use with a credential."""

    entity: str
    connection_string: str | None = None
    endpoint: str | None = None


def option(address: Address, name: str) -> str | None:
    """A query parameter of the address (the last value), or None."""
    values = parse_qs(address.query).get(name)
    return values[-1] if values else None


def endpoint_url(host: str) -> str:
    """``https://HOST``, or ``http://HOST`` for a loopback host (an emulator)."""
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    return f"{'http' if name.lower() in _LOOPBACK else 'https'}://{host}"


def resolve(address: Address, service: Service) -> Connection:
    """The :class:`Connection` of ``address``; ConfigurationError naming the
    settings it looked for (names only: values are secrets)."""
    netloc, path = address.netloc, address.path.strip("/")
    if path:  # scheme://HOST/ENTITY: that host, with a credential
        return Connection(path, endpoint=endpoint_url(netloc))
    entity = netloc
    if not entity:
        raise ConfigurationError(f"{address.text!r} names no entity")
    setting = option(address, "connection") or service.default_setting
    if setting is None:
        raise ConfigurationError(f"{address.kind}://{entity} needs ?connection=SETTING "
                                 "(an app setting) or a namespace host")
    value = os.environ.get(setting)
    if value:
        return Connection(entity, connection_string=value)
    for member in service.uri_members:
        uri = os.environ.get(f"{setting}__{member}")
        if uri:
            return Connection(entity, endpoint=_member_url(member, uri, service))
    looked = ", ".join([setting, *(f"{setting}__{m}" for m in service.uri_members)])
    raise ConfigurationError(f"{address.kind}://{entity}: no connection; set one of {looked}")


def _member_url(member: str, value: str, service: Service) -> str:
    if member == "accountName":
        return service.account_url.format(value)
    if member == "fullyQualifiedNamespace":
        return value  # the clients take the bare namespace host
    return value.rstrip("/")


_credential: Any = None
_lock = threading.RLock()  # credential() may run inside cached()


def credential() -> Any:
    """One ``DefaultAzureCredential`` per process (azure-identity is optional)."""
    global _credential
    with _lock:
        if _credential is None:
            try:
                from azure.identity import DefaultAzureCredential
            except ImportError:
                raise ConfigurationError("an identity-based Azure connection needs "
                                         "azure-identity: pip install azure-identity") from None
            _credential = DefaultAzureCredential()
        return _credential


_clients: dict[tuple[Any, ...], Any] = {}


def cached(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """The client for ``key``, built once per process and reused (thread-safe)."""
    found = _clients.get(key)
    if found is None:
        with _lock:
            found = _clients.get(key)
            if found is None:
                found = _clients[key] = build()
    return found
