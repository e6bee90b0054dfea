"""React to objects created in or deleted from a bucket, written once for every cloud.

S3, Blob Storage and Cloud Storage events all arrive as a :class:`~sdk.StorageEvent`:
``bucket`` (the S3 or Cloud Storage bucket, the Azure container), ``key``,
``operation`` (``created``, ``deleted``...) and, when the provider sends them,
``size`` and ``content_type``. This handler logs what happened: put your own work
(thumbnails, indexing, clean-up) in its place. An exception makes the cloud deliver
the event again.

With ``UPLOADS_CHECKSUMS=1`` the handler also reads each created object from the
cloud the event came from (``event.open()``, streamed, never whole in memory) and
logs its SHA-256; an object deleted before it could be read is logged, not retried.
"""

from __future__ import annotations

import hashlib
import os

import sdk
from sdk import Context, StorageEvent


@sdk.function
def handle(event: StorageEvent, context: Context) -> None:
    log = context.logger.bind(bucket=event.bucket, key=event.key)
    if event.operation == "created":
        log.info("object created", size=event.size, content_type=event.content_type)
        if os.environ.get("UPLOADS_CHECKSUMS") == "1":
            _checksum(event, log)
    elif event.operation == "deleted":
        log.info("object deleted")
    else:  # a change the trigger was not set up for; the provider's name is in `type`
        log.warning("object changed", operation=event.operation, type=event.type)


def _checksum(event: StorageEvent, log: sdk.Logger) -> None:
    digest, length = hashlib.sha256(), 0
    try:
        with event.open() as stream:
            for chunk in iter(lambda: stream.read(1 << 16), b""):
                digest.update(chunk)
                length += len(chunk)
    except sdk.NotFound:  # deleted since the event was sent: nothing left to read
        log.info("object already gone")
        return
    log.info("object read", sha256=digest.hexdigest(), bytes=length)
