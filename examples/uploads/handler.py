"""React to objects created in or deleted from a bucket, written once for every cloud.

S3, Blob Storage and Cloud Storage events all arrive as a :class:`~sdk.StorageEvent`:
``bucket`` (the S3 or Cloud Storage bucket, the Azure container), ``key``,
``operation`` (``created``, ``deleted``...) and, when the provider sends them,
``size`` and ``content_type``. This handler logs what happened: put your own work
(thumbnails, indexing, clean-up) in its place. An exception makes the cloud deliver
the event again.
"""

from __future__ import annotations

import sdk
from sdk import Context, StorageEvent


@sdk.function
def handle(event: StorageEvent, context: Context) -> None:
    log = context.logger.bind(bucket=event.bucket, key=event.key)
    if event.operation == "created":
        log.info("object created", size=event.size, content_type=event.content_type)
    elif event.operation == "deleted":
        log.info("object deleted")
    else:  # a change the trigger was not set up for; the provider's name is in `type`
        log.warning("object changed", operation=event.operation, type=event.type)
