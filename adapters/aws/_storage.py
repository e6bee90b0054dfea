"""``s3://BUCKET`` (or ``arn:aws:s3:::BUCKET``) for ``sdk.bucket`` and ``StorageEvent.read``.

PutObject / GetObject / HeadObject / DeleteObject / ListObjectsV2
(https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html).
``open`` returns botocore's ``StreamingBody`` (an ``io.IOBase``): it reads from
the connection as the caller reads, never the whole object at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from sdk._outputs._address import Address
from sdk.errors import ConfigurationError, NotFound

from ._clients import ERRORS, client, error_code, storage_error

__all__ = ["S3"]

#: Error codes that mean "no such object/bucket" (HeadObject has no body: "404").
_MISSING = frozenset({"NoSuchKey", "NoSuchBucket", "NotFound", "404"})


class S3:
    provider = "aws.s3"

    def __init__(self, address: Address) -> None:
        self.text = address.text
        self.name = (address.text.split(":", 5)[5] if address.text.startswith("arn:")
                     else address.netloc)
        if address.path.strip("/"):
            raise ConfigurationError("an s3:// address names a bucket only, not a key prefix")

    def _call(self, method: str, key: str | None, **kwargs: Any) -> Any:
        try:
            return getattr(client("s3"), method)(Bucket=self.name, **kwargs)
        except ERRORS as exc:
            if error_code(exc) in _MISSING:
                raise NotFound(self.text, self.provider, str(error_code(exc)), key) from None
            raise storage_error(self.text, exc, key) from None

    def write(self, key: str, data: bytes, content_type: str | None,
              metadata: dict[str, str] | None) -> None:
        extra: dict[str, Any] = {"ContentType": content_type} if content_type else {}
        if metadata:
            extra["Metadata"] = metadata
        self._call("put_object", key, Key=key, Body=data, **extra)

    def read(self, key: str) -> bytes:
        body = self.open(key)
        try:
            return bytes(body.read())
        finally:
            body.close()

    def open(self, key: str) -> IO[bytes]:
        body: IO[bytes] = self._call("get_object", key, Key=key)["Body"]
        return body

    def exists(self, key: str) -> bool:
        try:
            self._call("head_object", key, Key=key)
        except NotFound:
            return False
        return True

    def delete(self, key: str) -> None:
        self._call("delete_object", key, Key=key)

    def list(self, prefix: str) -> Iterator[str]:
        token: dict[str, str] = {}
        while True:
            page = self._call("list_objects_v2", None, Prefix=prefix, **token)
            for item in page.get("Contents", ()):
                yield str(item["Key"])
            if not page.get("IsTruncated"):
                return
            token = {"ContinuationToken": page["NextContinuationToken"]}
