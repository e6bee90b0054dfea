"""A handler's data model, validated with pydantic: one validator per model, built once.

``Function`` (a ``Message[Order]`` handler) and ``Event.parse`` validate through it.
It reads an event through the few members :class:`Validated` names, so this
module sits below the event (``sdk/_event.py`` imports it, not the other way).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._fields import UNSET
from .errors import ConfigurationError, DataValidationError

if TYPE_CHECKING:
    from typing import Protocol

    class Validated(Protocol):
        """What a validator reads of an :class:`~sdk.Event`."""

        _data: Any
        _payload: Any

        @property
        def trigger(self) -> str: ...
        @property
        def data(self) -> Any: ...
        def payload_bytes_or_text(self) -> bytes | str: ...

__all__ = ["Validator", "validator"]

_SCALAR_MODELS = (str, bytes)


class Validator:
    """A pydantic validator for one model, built once."""

    __slots__ = ("_error", "_json", "_python", "name", "parse_json")

    def __init__(self, model: Any) -> None:
        try:
            import pydantic
        except ImportError:  # pragma: no cover - depends on the install
            raise ConfigurationError(
                "handlers that declare a data model need pydantic: pip install 'polyfn[pydantic]'"
            ) from None
        self.name = getattr(model, "__name__", repr(model))
        self._error: Any = pydantic.ValidationError  # looked up once, not per event
        if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
            self._python: Callable[[Any], Any] = model.model_validate
            self._json: Callable[[str | bytes], Any] = model.model_validate_json
            if model.__pydantic_complete__:
                # What those two call, without their Python layer (argument checks for
                # options polyfn does not pass): a quarter of a small model's time.
                # A model still missing a forward reference keeps the methods, which
                # complete it on first use.
                schema = model.__pydantic_validator__
                self._python, self._json = schema.validate_python, schema.validate_json
        else:
            adapter: Any = pydantic.TypeAdapter(model)
            self._python = adapter.validate_python
            self._json = adapter.validate_json
        # A text payload is text for a str model, not a JSON document.
        self.parse_json = model not in _SCALAR_MODELS

    def validate(self, event: Validated) -> Any:
        try:
            if self.parse_json and event._data is UNSET:  # has_undecoded_payload
                payload = event._payload
                if payload.__class__ is not str and payload.__class__ is not bytes:
                    payload = event.payload_bytes_or_text()  # a str or bytes is itself
                return self._json(payload)
            return self._python(event.data)
        except self._error as exc:
            raise self.failure(event, exc) from None

    def validate_image(self, event: Validated, image: str, value: Any) -> Any:
        """A ``Change``'s ``new`` or ``old`` image validated into the model; errors are
        located under the image's name (``new.price``)."""
        try:
            return self._python(value)
        except self._error as exc:
            raise self.failure(event, exc, (image,)) from None

    def failure(self, event: Validated, exc: Any, prefix: tuple[str, ...] = ()
                ) -> DataValidationError:
        """The DataValidationError for pydantic's ``exc``: locations, types and
        messages, never the input values (:mod:`sdk._model_errors`)."""
        from ._model_errors import safe_errors

        errors = safe_errors(exc, prefix)
        unparseable = any(e.get("type") == "json_invalid" for e in errors)
        return DataValidationError(event.trigger, self.name, errors, unparseable=unparseable)


_VALIDATORS: dict[Any, Validator] = {}


def validator(model: Any) -> Validator:
    """The validator for ``model``, built once per model: handlers declaring it and
    ``Event.parse`` share one. A model that cannot be a dict key (an ``Annotated``
    with unhashable metadata) gets a validator of its own."""
    try:
        found = _VALIDATORS.get(model)
    except TypeError:
        return Validator(model)
    if found is None:
        found = _VALIDATORS[model] = Validator(model)
    return found
