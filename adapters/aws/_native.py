"""Lazy access to powertools' typed views of AWS payloads (``event.native``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

__all__ = ["epoch_ms", "powertools"]

_DATA_CLASSES = "aws_lambda_powertools.utilities.data_classes"


def powertools(class_name: str, raw: Any) -> Callable[[], Any]:
    """A factory building ``aws_lambda_powertools...data_classes.<class_name>(raw)``.

    powertools is imported only when a handler reads ``event.native``: it costs
    about 100 ms of cold start that untyped handlers never pay. A dotted name,
    ``"cognito_user_pool_event.PreSignUpTriggerEvent"``, names a class of a
    submodule that the package does not re-export.
    """
    submodule, _, class_name = class_name.rpartition(".")

    def build() -> Any:
        try:
            module = importlib.import_module(
                f"{_DATA_CLASSES}.{submodule}" if submodule else _DATA_CLASSES)
        except ImportError:  # pragma: no cover - depends on the install
            raise ImportError(
                "event.native on AWS needs aws-lambda-powertools: pip install 'polyfn[aws]'"
            ) from None
        return getattr(module, class_name)(raw)

    return build


def epoch_ms(value: Any) -> datetime | None:
    """An aware UTC datetime from epoch milliseconds (int or numeric string)."""
    if value is None or value == "":
        return None
    try:
        return datetime.fromtimestamp(float(value) / 1000, tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):  # OSError: out of range
        return None
