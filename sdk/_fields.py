"""The one sentinel and the one way an event works a field out on first read.

``UNSET`` marks a value not worked out yet (``None`` is a real value: no data, no
client address). A *lazy field* is a property over a slot: while the slot holds
``UNSET``, the first read calls the class's reader method and keeps its answer in
the slot; the field stays settable like any other. A view over a provider's
payload (``V2Request``, ``AzureRequest``...) leaves a slot ``UNSET`` and overrides
the reader; an event built from keywords fills the slot and never reads.

The getters are generated from source once per field (as ``dataclasses`` does
for ``__init__``): one frame, the slot and the reader named in the code, so a
lazy field costs what the hand-written property it replaces cost.

A *field group* (``field_group``) is the same idea for several fields a view reads
from its payload at once: one loader call, the first time any of them is read,
its values kept together in one slot; each field's getter is generated the same
way (one frame: the slot, the loader and the field's index named in the code).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, cast, overload

from .errors import MALFORMED, malformed

__all__ = ["UNSET", "FieldGroup", "Lazy", "field_group", "lazy"]

V = TypeVar("V")


class _Unset:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


#: A value not worked out yet (``None`` is a value): the one sentinel of the model.
UNSET: Any = _Unset()


class Lazy(Generic[V]):
    """The type of a lazy field, for type checkers: reads give ``V``, writes take it.
    At run time a lazy field is a plain ``property``."""

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Lazy[V]: ...
    @overload
    def __get__(self, obj: object, owner: type[Any]) -> V: ...
    def __get__(self, obj: Any, owner: Any) -> Any:  # pragma: no cover - typing only
        raise NotImplementedError

    def __set__(self, obj: Any, value: V) -> None:  # pragma: no cover - typing only
        raise NotImplementedError


class _Kept:
    """A callable value kept in the slot of a field that takes factories: a callable
    there is called on read, so the value worked out is wrapped (``native`` may be
    a callable object), and calling the wrapper gives the value."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self) -> Any:
        return self.value


# A payload of the wrong shape read on first use raises EventDecodeError naming
# the field (an HTTP trigger answers 400), never a TypeError inside the handler.
_GETTER = """\
def get(self):
    value = self.{slot}
    if value is UNSET:
        try:
            value = self.{reader}()
        except MALFORMED as exc:
            raise malformed(self.trigger, exc, keys=[{key!r}]) from None
        self.{slot} = {kept}
{factory}    return value
def set_(self, value):
    self.{slot} = value
"""

#: ``factories=True``: a zero-argument callable in the slot is called on first read.
_FACTORY = """\
    elif callable(value):
        if value.__class__ is _Kept:
            return value.value
        try:
            value = value()
        except MALFORMED as exc:
            raise malformed(self.trigger, exc, keys=[{key!r}]) from None
        self.{slot} = _Kept(value) if callable(value) else value
"""


def lazy(slot: str, reader: Callable[[Any], V], *, factories: bool = False,
         key: str | None = None) -> Lazy[V]:
    """A field kept in ``slot`` and worked out by ``reader`` while it is ``UNSET``.

    ``reader`` is called by name, so a subclass overriding it changes the field;
    its docstring is the field's. With ``factories`` the slot may also hold a
    zero-argument callable an adapter gave, called (once) on first read; a value
    worked out that is itself callable is kept as it is (``_Kept``).
    """
    name = reader.__name__
    key = key or slot.lstrip("_")  # what a malformed payload's error names
    source = _GETTER.format(slot=slot, reader=name, key=key,
                            kept="_Kept(value) if callable(value) else value" if factories
                            else "value",
                            factory=_FACTORY.format(slot=slot, key=key) if factories else "")
    namespace: dict[str, Any] = {"UNSET": UNSET, "MALFORMED": MALFORMED, "malformed": malformed,
                                 "_Kept": _Kept}
    exec(source, namespace)  # our own template; the names come from class bodies
    get, set_ = namespace["get"], namespace["set_"]
    get.__lazy__ = True  # a declared kind's constructor stores None as UNSET (sdk/_event.py)
    get.__qualname__ = set_.__qualname__ = f"{reader.__qualname__.rpartition('.')[0]}.{slot}"
    return cast("Lazy[V]", property(get, set_, doc=reader.__doc__))


# A field group's loaded values, its fields' getters and setters: one frame on every
# read, the group's loader called in it (no helper frame) the first time any of its
# fields is read.
_LOAD = """\
    values = self.{cache}
    if values is UNSET:
        try:
            values = load(self)
        except MALFORMED as exc:
            raise malformed(self.trigger, exc, self.raw) from None
        self.{cache} = values
"""
_GROUP = "def values(self):\n" + _LOAD + "    return values\n"
_GROUP_FIELD = "def get(self):\n" + _LOAD + """\
    return values[{index}]
def set_(self, value):
    values = group_values(self)
    if values.__class__ is not list:
        values = list(values)
        self.{cache} = values
    values[{index}] = value
"""


class FieldGroup:
    """Several fields a view reads from its payload together (``field_group``)."""

    __slots__ = ("_cache", "_namespace", "values")

    def __init__(self, load: Callable[[Any], Sequence[Any]], cache: str) -> None:
        self._cache = cache
        self._namespace: dict[str, Any] = {"UNSET": UNSET, "MALFORMED": MALFORMED,
                                           "malformed": malformed, "load": load}
        exec(_GROUP.format(cache=cache), self._namespace)  # our own template
        #: ``values(view)``: the group's values, loaded on first use; for a view's own
        #: methods (a plain call, cheaper than reading a field, a property).
        self.values: Callable[[Any], Sequence[Any]] = self._namespace.pop("values")
        self._namespace["group_values"] = self.values

    def __call__(self, index: int) -> Any:
        """The field holding the group's ``index``-th value: a property."""
        exec(_GROUP_FIELD.format(cache=self._cache, index=int(index)), self._namespace)
        get, set_ = self._namespace.pop("get"), self._namespace.pop("set_")
        get.__qualname__ = set_.__qualname__ = f"{self._cache}[{index}]"
        return property(get, set_)


def field_group(load: Callable[[Any], Sequence[Any]], cache: str) -> FieldGroup:
    """``field = field_group(load, "_slot")``; then ``name = field(i)`` in the class
    body makes ``name`` the ``i``-th value of ``load(view)`` (a tuple or a list),
    kept in ``view._slot`` (which the view's ``__init__`` sets to ``UNSET``);
    ``field.values(view)`` is the whole sequence.

    ``load`` is called once, on the first read or write of any of the fields; a
    payload of the wrong shape raises EventDecodeError naming ``view.raw``'s keys.
    A write keeps the other values (a tuple becomes a list then)."""
    return FieldGroup(load, cache)
