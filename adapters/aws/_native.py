"""Lazy access to powertools' typed views of AWS payloads (``event.native``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from adapters._time import epoch_ms
from sdk import Event

__all__ = ["PayloadView", "epoch_ms", "native_view", "powertools"]

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


def native_view(class_name: str, raw: Any) -> Any:
    """``powertools(class_name, raw)()``: given as ``partial(native_view, name, raw)``,
    an event's ``native`` costs no closure per event."""
    return powertools(class_name, raw)()


class PayloadView(Event[Any]):
    """What AWS events that are views over their payload (``V2Request``,
    ``SQSMessage``) share: ``time`` from the payload's epoch milliseconds (left
    ``UNSET`` by the view) and ``native`` from powertools' ``_native_class``, both
    converted on first read.
    A base to list beside the kind (``class V2Request(HTTPRequest, PayloadView)``);
    it adds no slot."""

    __slots__ = ()
    _native_class: str

    def _epoch_ms(self) -> Any:
        """The payload's epoch-milliseconds value for ``time``."""
        raise NotImplementedError

    def _read_time(self) -> datetime | None:
        return epoch_ms(self._epoch_ms())

    def _read_native(self) -> Any:
        return powertools(self._native_class, self.raw)()
