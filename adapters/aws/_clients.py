"""boto3 clients for outputs: created on first use, once per process, shared.

boto3 clients are thread-safe once built, sessions are not
(https://docs.aws.amazon.com/boto3/latest/guide/clients.html#multithreading-or-multiprocessing-with-clients),
so clients are built under a lock, from boto3's default session. Region, credentials and
endpoint come from boto3's own chain (``AWS_REGION``/``AWS_DEFAULT_REGION``,
``AWS_ENDPOINT_URL[_<SERVICE>]``, the role Lambda gives the function); the
cache key holds the endpoint and region variables so a process that changes
them (a test against an emulator) gets a client that honours them.
"""

from __future__ import annotations

import os
import threading
from importlib import import_module
from typing import Any

from sdk.errors import PublishError, StorageError

__all__ = ["client", "error_code", "publish_error", "storage_error"]

boto3: Any = import_module("boto3")  # ImportError -> "pip install 'polyfn[aws]'"
_exceptions: Any = import_module("botocore.exceptions")

_lock = threading.Lock()
_clients: dict[tuple[str, str | None, str | None, str | None], Any] = {}


def client(service: str, region: str | None = None) -> Any:
    """The shared client for ``service`` (in ``region``, else boto3's default)."""
    env = os.environ
    key = (service, region or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
           env.get("AWS_ENDPOINT_URL"), env.get(f"AWS_ENDPOINT_URL_{service.upper()}"))
    found = _clients.get(key)
    if found is None:
        with _lock:
            found = _clients.get(key)
            if found is None:
                found = _clients[key] = _shared_session().client(service, region_name=key[1])
    return found


def _shared_session() -> Any:
    """boto3's default session (the one ``boto3.client`` uses): a function that also
    calls boto3 itself loads the service models once, not once per session."""
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    return boto3.DEFAULT_SESSION


def error_code(exc: BaseException) -> str | None:
    """The AWS error code of a botocore error (``None`` for other exceptions)."""
    if isinstance(exc, _exceptions.ClientError):
        return str(exc.response.get("Error", {}).get("Code") or "ClientError")
    if isinstance(exc, _exceptions.BotoCoreError):
        return type(exc).__name__  # NoCredentialsError, EndpointConnectionError...
    return None


def publish_error(address: str, provider: str, exc: BaseException) -> PublishError:
    """``exc`` as a ``PublishError``; the text is botocore's, which names the
    operation and the error, never the message body."""
    code = error_code(exc) or type(exc).__name__
    detail = exc.response.get("Error", {}).get("Message", "") if isinstance(
        exc, _exceptions.ClientError) else str(exc)
    return PublishError(address, provider, code, str(detail)[:300])


def storage_error(address: str, exc: BaseException, key: str | None) -> StorageError:
    code = error_code(exc) or type(exc).__name__
    return StorageError(address, "aws.s3", code, key)


#: The exception classes a driver catches around a call.
ERRORS: tuple[type[BaseException], ...] = (_exceptions.ClientError, _exceptions.BotoCoreError)
