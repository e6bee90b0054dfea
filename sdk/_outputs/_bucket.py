"""``sdk.bucket(address)``: objects in S3, Cloud Storage or Azure Blob containers.

``write`` takes bytes, text or a JSON-able value (encoded as ``send`` encodes
data); ``read`` returns bytes; ``open`` a binary stream that reads as it goes (no
whole object in memory); a missing object raises :class:`~sdk.errors.NotFound`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import IO, Any

from ..errors import ConfigurationError, StorageError
from ._address import BUCKETS, Address, driver_class, parse
from ._driver import BucketDriver
from ._message import _encode

__all__ = ["STORAGE_SCHEMES", "Bucket", "bucket", "event_bucket"]

#: A storage event's trigger family -> the bucket scheme of its cloud. An event
#: names its bucket (container) and key; the cloud comes from its trigger.
STORAGE_SCHEMES: dict[str, str] = {"aws": "s3", "azure": "azure-blob", "gcp": "gs"}


class Bucket:
    """A bucket (or container); build it with :func:`bucket`."""

    __slots__ = ("_driver", "address", "parsed")

    def __init__(self, address: str) -> None:
        self.parsed: Address = parse(address, BUCKETS)
        self.address = self.parsed.text
        self._driver: BucketDriver | None = None

    def __repr__(self) -> str:
        return f"Bucket({self.address!r})"

    @property
    def driver(self) -> BucketDriver:
        driver = self._driver
        if driver is None:
            driver = self._driver = driver_class(self.parsed.kind, BUCKETS)(self.parsed)
        return driver

    def write(self, key: str, data: Any, content_type: str | None = None,
              metadata: Mapping[str, str] | None = None) -> None:
        """Write (create or replace) the object ``key``."""
        try:
            body, mime, _ = _encode(data, content_type)
        except (TypeError, ValueError) as exc:
            raise StorageError(self.address, self.driver.provider, "polyfn.InvalidData", key,
                               str(exc)) from None
        self.driver.write(key, body, mime, dict(metadata) if metadata else None)

    def read(self, key: str) -> bytes:
        """The object's bytes (``NotFound`` when missing)."""
        return self.driver.read(key)

    def open(self, key: str) -> IO[bytes]:
        """A readable binary stream of the object; close it (or use ``with``)."""
        return self.driver.open(key)

    def exists(self, key: str) -> bool:
        return self.driver.exists(key)

    def delete(self, key: str) -> None:
        """Delete the object (deleting a missing object is not an error)."""
        self.driver.delete(key)

    def list(self, prefix: str = "") -> Iterator[str]:
        """The keys starting with ``prefix``, in the provider's (lexicographic) order."""
        return self.driver.list(prefix)


#: address -> its Bucket (one driver per bucket, however often it is asked for).
_BUCKETS: dict[str, Bucket] = {}


def bucket(address: str) -> Bucket:
    """The bucket at ``address`` (``s3://name``, ...). Nothing is imported or
    connected until the first call; the same address gives the same object."""
    found = _BUCKETS.get(address) if isinstance(address, str) else None
    if found is None:
        found = Bucket(address)
        if len(_BUCKETS) >= 256:
            _BUCKETS.clear()
        _BUCKETS[address] = found
    return found


def event_bucket(trigger: str, name: str | None) -> Bucket:
    """The bucket a storage event came from."""
    scheme = STORAGE_SCHEMES.get(trigger.split(".", 1)[0])
    if scheme is None or not name:
        raise ConfigurationError(f"{trigger}: the event names no bucket polyfn can read")
    return bucket(f"{scheme}://{name}")
