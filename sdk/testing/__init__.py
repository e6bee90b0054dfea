"""Compatibility name for :mod:`adapters.testing`, where the test helpers live.

The payload factories build provider payloads, so they belong beside the adapters
(and the CLI's ``polyfn samples``), and ``sdk`` imports nothing from ``adapters``
(``tests/unit/test_layers.py`` checks it statically). This module keeps the old
spelling working: ``from sdk.testing import aws, batch, context`` and
``sdk.testing.event(...)`` give the very objects of ``adapters.testing``, looked
up on first use. New code imports ``adapters.testing``.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "PROVIDERS", "Option", "Sample", "aws", "azure", "batch", "cloudevents", "context", "event",
    "events", "find", "gcp", "lambda_context", "options", "payload", "samples",
]

#: The package every name here comes from, named as text: ``sdk`` holds no import
#: of ``adapters``; the user who reaches for test helpers has both installed.
HOME = "adapters.testing"


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(HOME), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
