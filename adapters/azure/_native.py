"""Lazy access to azure.functions, and the value conversions every Azure trigger shares.

``azure.functions`` imports werkzeug (~120 ms): the Python worker has it loaded
before any function runs, but ``import adapters.azure`` and decoding raw Event Grid
JSON must not pay for it. Triggers therefore recognise native objects through
:func:`native_type`, which only looks at modules already imported: an object
cannot be an instance of a class whose module was never loaded.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from datetime import datetime
from types import ModuleType
from typing import Any

from adapters._time import utc

__all__ = [
    "azure_functions", "is_native", "is_native_list", "maybe_utc", "native_type", "properties",
    "stringify", "utc",
]

_MODULE = "azure.functions"


def native_type(name: str) -> type | None:
    """``azure.functions.<name>`` if azure.functions is already imported, else None."""
    module = sys.modules.get(_MODULE)
    return getattr(module, name, None) if module is not None else None


def is_native(raw: Any, name: str) -> bool:
    cls = native_type(name)
    return cls is not None and isinstance(raw, cls)


def is_native_list(raw: Any, name: str) -> bool:
    """A non-empty list of ``azure.functions.<name>`` (a trigger with cardinality many)."""
    cls = native_type(name)
    return (cls is not None and isinstance(raw, list) and bool(raw)
            and all(isinstance(item, cls) for item in raw))


def azure_functions() -> ModuleType:
    """azure.functions itself, imported on first use (building a response)."""
    return sys.modules.get(_MODULE) or importlib.import_module(_MODULE)


def maybe_utc(value: Any) -> datetime | None:
    """:func:`utc` for a datetime, ``None`` for anything else (a field not sent)."""
    return utc(value) if isinstance(value, datetime) else None


def stringify(value: Any) -> str:
    """An attribute value: strings as they are, anything else as its JSON text."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return utc(value).isoformat().replace("+00:00", "Z")
    from sdk.adapter import dumps

    try:
        return dumps(value)
    except (TypeError, ValueError):
        return str(value)


def properties(values: Mapping[str, Any] | None) -> dict[str, str]:
    """User properties (Service Bus application properties, Event Hubs properties) as
    ``str -> str`` attributes; a non-string value becomes its JSON text."""
    if not values:
        return {}
    return {str(key): stringify(value) for key, value in values.items()}
