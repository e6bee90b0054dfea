"""Base64 bodies, the one rule: strict decoding, and the same errors everywhere.

Providers mark data as base64 in their own ways (API Gateway's
``isBase64Encoded``, SQS-less streams' ``data``, Kafka values, MQ messages,
CloudWatch Logs' ``awslogs.data``, a CloudEvent's ``data_base64``, Firestore's
``bytesValue``); all of them decode here. Strict: text with characters outside
the alphabet is an error, not silently skipped (``validate=True``), so a
corrupted body fails its record instead of becoming other bytes.

A module of its own: an HTTP cold start that never meets a base64 body does not
import :mod:`base64` (``adapters._http.b64_body`` imports this on first decode).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

__all__ = ["b64_bytes"]


def b64_bytes(text: Any) -> bytes:
    """The bytes ``text`` encodes: :class:`TypeError` for anything but text,
    :class:`ValueError` for text that is not strict base64."""
    if not isinstance(text, str):
        raise TypeError("base64 data must be a string")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ValueError(str(exc)) from None
