"""Fields of an event that is a view over its provider payload, read together on
first use.

A view (``V2Request``, ``SQSMessage``...) sets what every handler reads and leaves
the rest to a *group*: a function reading several fields from the payload at once,
run the first time any of them is read, its values kept in one list slot. Each
field stays settable, as on any event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sdk.errors import MALFORMED, malformed

__all__ = ["field_group"]


def field_group(load: Callable[[Any], list[Any]], cache: str) -> Callable[[int], Any]:
    """``field = field_group(load, "_slot")``; then ``name = field(i)`` in the class
    body makes ``name`` the ``i``-th value of ``load(view)``, kept in ``view._slot``
    (which the view's ``__init__`` sets to ``None``)."""

    def values(view: Any) -> list[Any]:
        found: list[Any] | None = getattr(view, cache)
        if found is None:
            try:
                found = load(view)
            except MALFORMED as exc:  # read inside the handler: an EventDecodeError
                raise malformed(view.trigger, exc, view.raw) from None
            setattr(view, cache, found)
        return found

    def field(index: int) -> Any:
        def get(view: Any) -> Any:
            return values(view)[index]

        def set_(view: Any, value: Any) -> None:
            values(view)[index] = value

        return property(get, set_)

    return field
