"""Outputs: messages to queues/topics/streams/sinks, and objects in buckets.

Provider-neutral: addresses, the message encoding, errors and batching live
here; each provider's driver lives in its adapter package and is imported on
first use (see ``_address.DESTINATIONS``/``BUCKETS`` and ``_driver``).
"""

from __future__ import annotations

from ._bucket import Bucket, bucket, event_bucket
from ._destination import Destination, ItemResult, Outgoing, SendResult, destination
from ._driver import Limits, Outcome
from ._message import OutgoingMessage

__all__ = ["Bucket", "Destination", "ItemResult", "Limits", "Outcome", "Outgoing",
           "OutgoingMessage", "SendResult", "bucket", "destination", "event_bucket"]
