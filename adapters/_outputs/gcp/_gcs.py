"""``gs://BUCKET``: a Cloud Storage bucket.

Content type and metadata are the object's own (``contentType``, ``metadata``),
which the storage CloudEvents report back. ``open`` pins the generation it
found, so a stream never mixes two versions of an object that is replaced while
it is read (``PreconditionFailed`` instead), and reads in 4 MiB ranges.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from importlib import import_module
from typing import IO, Any

from google.api_core.exceptions import GoogleAPIError, NotFound

from sdk._outputs._address import Address
from sdk.errors import ConfigurationError, StorageError
from sdk.errors import NotFound as PolyfnNotFound

from ._clients import cached, code_of, detail_of

__all__ = ["GCS"]

storage: Any = import_module("google.cloud.storage")  # untyped; ImportError names the extra

_RANGE = 4 * 1024 * 1024


class _Reader(io.RawIOBase):
    """A ``BlobReader`` whose errors are polyfn's."""

    def __init__(self, reader: Any, fail: Any) -> None:
        self._reader = reader
        self._fail = fail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._reader.read(len(buffer))
        except GoogleAPIError as exc:
            raise self._fail(exc) from None
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._reader.close()
        super().close()


class GCS:
    """Driver for one bucket."""

    provider = "gcp.storage"

    def __init__(self, address: Address) -> None:
        self.address = address.text
        self.name = address.netloc
        if not self.name or address.path.strip("/"):
            raise ConfigurationError(f"{address.text}: expected gs://BUCKET")

    def bucket(self) -> Any:
        client = cached("storage", "STORAGE_EMULATOR_HOST", storage.Client)
        return client.bucket(self.name)

    def _error(self, exc: BaseException, key: str | None) -> StorageError:
        cls = PolyfnNotFound if isinstance(exc, NotFound) else StorageError
        return cls(self.address, self.provider, code_of(exc), key, detail_of(exc))

    def write(self, key: str, data: bytes, content_type: str | None,
              metadata: dict[str, str] | None) -> None:
        blob = self.bucket().blob(key)
        blob.metadata = metadata
        try:
            blob.upload_from_string(data, content_type=content_type)
        except GoogleAPIError as exc:
            raise self._error(exc, key) from None

    def read(self, key: str) -> bytes:
        try:
            return bytes(self.bucket().blob(key).download_as_bytes())
        except GoogleAPIError as exc:
            raise self._error(exc, key) from None

    def open(self, key: str) -> IO[bytes]:
        try:
            blob = self.bucket().get_blob(key)
            if blob is None:
                raise PolyfnNotFound(self.address, self.provider, "NotFound", key)
            reader = blob.open("rb", chunk_size=_RANGE, if_generation_match=blob.generation)
        except GoogleAPIError as exc:
            raise self._error(exc, key) from None
        return io.BufferedReader(_Reader(reader, lambda exc: self._error(exc, key)))

    def exists(self, key: str) -> bool:
        try:
            return bool(self.bucket().blob(key).exists())
        except GoogleAPIError as exc:
            raise self._error(exc, key) from None

    def delete(self, key: str) -> None:
        try:
            self.bucket().blob(key).delete()
        except NotFound:
            pass  # deleting a missing object is not an error (sdk.Bucket.delete)
        except GoogleAPIError as exc:
            raise self._error(exc, key) from None

    def list(self, prefix: str) -> Iterator[str]:
        client = self.bucket().client
        try:
            for blob in client.list_blobs(self.name, prefix=prefix or None):
                yield blob.name
        except GoogleAPIError as exc:
            raise self._error(exc, None) from None
