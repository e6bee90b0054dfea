"""Azure client exceptions -> polyfn's PublishError / StorageError / NotFound.

The code is the service's own (``QueueNotFound``, ``BlobNotFound``,
``AuthenticationFailed``: the ``x-ms-error-code`` azure-core keeps as
``error_code``), else the exception's class name (``MessagingEntityNotFoundError``,
``ServiceRequestError`` for a connection that failed). The detail is the first
line of the service's message, which never quotes what was sent.
"""

from __future__ import annotations

from sdk.errors import NotFound, PublishError, StorageError

__all__ = ["code_of", "detail_of", "publish_error", "storage_error"]

#: Storage error codes that mean "the object (or its container) is not there".
_NOT_FOUND = frozenset({"BlobNotFound", "ContainerNotFound", "ResourceNotFound"})


def code_of(exc: BaseException) -> str:
    code = getattr(exc, "error_code", None)
    return str(getattr(code, "value", code)) if code else type(exc).__name__


def detail_of(exc: BaseException) -> str:
    text = str(getattr(exc, "message", None) or exc).strip().splitlines()
    return text[0][:200] if text else ""


def publish_error(address: str, provider: str, exc: BaseException) -> PublishError:
    return PublishError(address, provider, code_of(exc), detail_of(exc))


def storage_error(address: str, provider: str, exc: BaseException,
                  key: str | None) -> StorageError:
    code = code_of(exc)
    cls = NotFound if code in _NOT_FOUND or type(exc).__name__ == "ResourceNotFoundError" \
        else StorageError
    return cls(address, provider, code, key, detail_of(exc))
