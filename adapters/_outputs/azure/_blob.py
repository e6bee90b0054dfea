"""``azure-blob://CONTAINER[?connection=SETTING]`` or
``azure-blob://ACCOUNT.blob.core.windows.net/CONTAINER``: a Blob Storage container.

Content type and metadata are the blob's own properties, which the blob trigger
(``Properties.ContentType``, ``Metadata``) and Event Grid blob events report back.
Downloads are ranged (4 MiB per request instead of azure-storage-blob's 32 MiB
first get), so :meth:`open` holds one range in memory, never the whole blob.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any

from azure.core.exceptions import AzureError, ResourceNotFoundError
from azure.storage.blob import ContainerClient, ContentSettings

from sdk._outputs._address import Address

from ._connection import Service, cached, credential, resolve
from ._errors import storage_error

__all__ = ["BlobContainer"]

STORAGE = Service("AzureWebJobsStorage", ("blobServiceUri", "serviceUri", "accountName"),
                  "https://{}.blob.core.windows.net")
_RANGE = 4 * 1024 * 1024
_SIZES: dict[str, Any] = {"max_single_get_size": _RANGE, "max_chunk_get_size": _RANGE}


class _Download(io.RawIOBase):
    """A ``StorageStreamDownloader``'s ranges (``chunks()``) as a raw binary stream:
    one range in memory at a time."""

    def __init__(self, downloader: Any, fail: Any) -> None:
        self._chunks = downloader.chunks()
        self._left = memoryview(b"")
        self._fail = fail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._left:
            try:
                self._left = memoryview(next(self._chunks, b""))
            except AzureError as exc:
                raise self._fail(exc) from None
        count = min(len(buffer), len(self._left))
        buffer[:count] = self._left[:count]
        self._left = self._left[count:]
        return count


class BlobContainer:
    """Driver for one container."""

    provider = "azure.blob"

    def __init__(self, address: Address) -> None:
        self.address = address.text
        self.connection = resolve(address, STORAGE)

    def client(self) -> Any:
        return cached(("azure.blob", self.connection), self._build)

    def _build(self) -> Any:
        c = self.connection
        if c.connection_string:
            return ContainerClient.from_connection_string(c.connection_string, c.entity,
                                                          **_SIZES)
        return ContainerClient(str(c.endpoint), c.entity, credential=credential(), **_SIZES)

    def _error(self, exc: BaseException, key: str | None) -> Exception:
        return storage_error(self.address, self.provider, exc, key)

    def write(self, key: str, data: bytes, content_type: str | None,
              metadata: dict[str, str] | None) -> None:
        try:
            self.client().upload_blob(key, data, overwrite=True, metadata=metadata,
                                      content_settings=ContentSettings(content_type=content_type))
        except AzureError as exc:
            raise self._error(exc, key) from None

    def read(self, key: str) -> bytes:
        try:
            return bytes(self.client().download_blob(key).readall())
        except AzureError as exc:
            raise self._error(exc, key) from None

    def open(self, key: str) -> IO[bytes]:
        try:  # the first range is fetched here: a missing blob fails now, not on read
            downloader = self.client().download_blob(key)
        except AzureError as exc:
            raise self._error(exc, key) from None
        return io.BufferedReader(_Download(downloader, lambda exc: self._error(exc, key)))

    def exists(self, key: str) -> bool:
        try:
            return bool(self.client().get_blob_client(key).exists())
        except AzureError as exc:
            raise self._error(exc, key) from None

    def delete(self, key: str) -> None:
        try:
            self.client().delete_blob(key)
        except ResourceNotFoundError:
            pass  # deleting a missing object is not an error (sdk.Bucket.delete)
        except AzureError as exc:
            raise self._error(exc, key) from None

    def list(self, prefix: str) -> Iterator[str]:
        try:
            yield from self.client().list_blob_names(name_starts_with=prefix or None)
        except AzureError as exc:
            raise self._error(exc, None) from None
