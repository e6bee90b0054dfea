"""The uniform event: CloudEvents-aligned attributes plus lazily decoded data."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypedDict, TypeVar

from ._data import Payload, decode_payload
from ._fields import UNSET, lazy
from ._jsonform import iso, jsonable, loads
from .errors import MALFORMED, EventDecodeError, malformed

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["UNSET", "Event", "EventAttributes", "T", "declared"]

T = TypeVar("T")
M = TypeVar("M")
F = TypeVar("F")


class _Identity(TypedDict):
    provider: str
    trigger: str


class EventAttributes(_Identity, total=False):
    """Event's attributes, declared once: their names, types and order (``provider``
    and ``trigger`` required, the others optional). Every constructor is generated
    from this (``Event``'s and each kind's, ``_write_init``), and a kind's declared
    ``__init__`` takes them as ``**event: Unpack[EventAttributes]``."""

    id: str | None
    source: str | None
    type: str | None
    subject: str | None
    #: aware UTC; or a zero-argument callable converting the provider's form on first read
    time: datetime | Callable[[], datetime | None] | None
    #: the decoded data; not given: decoded from ``payload`` on first read
    data: Any
    #: the undecoded payload (str, bytes, or a callable giving them)
    payload: Payload | None
    data_content_type: str | None
    attributes: Mapping[str, str] | None
    #: the provider's payload as received
    raw: Any
    #: a zero-argument callable building the provider's own typed view
    native: Callable[[], Any] | None


#: Event's attributes in their declared order (derived: see EventAttributes).
_ATTRIBUTES = tuple(EventAttributes.__annotations__)
#: An optional attribute's default is ``None``; ``data``'s is UNSET (``None`` is data).
_ATTRIBUTE_DEFAULTS: dict[str, Any] = {
    name: UNSET if name == "data" else None
    for name in _ATTRIBUTES if name not in EventAttributes.__required_keys__}
#: Attributes kept in ``_<name>``: behind a property (``time``, ``data``, ``native``)
#: or, the payload, not public.
_PRIVATE = frozenset({"time", "data", "payload", "native"})
#: The value a constructor keeps of an attribute, when it is not the one given.
_KEPT = {"data": "data if data is not UNSET or payload is not None else None",
         "attributes": "attributes if attributes is not None else {}",
         "native": "UNSET if native is None else native"}  # None: read it (``raw``)
#: The lines of a generated ``__init__`` keeping the attributes.
_ATTRIBUTE_STORES = [f"    self.{'_' if name in _PRIVATE else ''}{name} = {_KEPT.get(name, name)}"
                     for name in _ATTRIBUTES]
#: Their annotations, as text (``help()`` shows a generated constructor's signature).
_ATTRIBUTE_HINTS = {name: getattr(hint, "__forward_arg__", hint)
                    for name, hint in EventAttributes.__annotations__.items()}


def declared(init: F) -> F:
    """Marks a kind's ``__init__`` as a declaration: its keyword-only parameters
    (names, annotations, defaults; no default = required) are the kind's fields in
    the JSON form's order, and :class:`Event` writes the body (see ``_write_init``)."""
    init.__declared__ = True  # type: ignore[attr-defined]
    return init


def _write_init(cls: type, declaration: Any) -> Callable[..., None]:
    """The ``__init__`` a ``@declared`` one stands for, generated once per class from
    source (as ``dataclasses`` does): the kind's fields are set, then Event's
    attributes (in their slots: ``_time`` for the property ``time``...). One frame,
    no ``**kwargs`` dict: a forwarding ``super().__init__(**attributes)`` doubled
    the cost of a message."""
    code = declaration.__code__
    names = code.co_varnames[1:1 + code.co_kwonlyargcount]
    # A kind may change an attribute's default (``Change``: ``payload`` UNSET).
    defaults = {**(declaration.__kwdefaults__ or {}), **_ATTRIBUTE_DEFAULTS,
                **getattr(cls, "_attribute_defaults", {})}
    params = [f"{name}=_d_{name}" if name in defaults else name
              for name in (*names, *_ATTRIBUTES)]
    namespace: dict[str, Any] = {f"_d_{name}": value for name, value in defaults.items()}
    namespace["UNSET"] = UNSET
    body = [_store(cls, name) for name in names]
    body += _ATTRIBUTE_STORES
    if hasattr(cls, "_post_init"):  # a kind's own touch to its fields (HTTPRequest),
        body.append("    self._post_init()")  # once the attributes (trigger...) are set
    source = f"def __init__(self, *, {', '.join(params)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)  # our own template; the names come from a class's signature
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = declaration.__doc__
    init.__annotations__ = {**{name: declaration.__annotations__.get(name, Any) for name in names},
                            **_ATTRIBUTE_HINTS, "return": None}
    return init


def _store(cls: type, name: str) -> str:
    """The line of a generated ``__init__`` keeping field ``name``: in its slot, or
    for a property in ``_<name>`` (a lazy field's ``None`` meaning: read it)."""
    field = getattr(cls, name, None)
    if not isinstance(field, property):
        return f"    self.{name} = {name}"
    if getattr(field.fget, "__lazy__", False):
        return f"    self._{name} = UNSET if {name} is None else {name}"
    return f"    self._{name} = {name}"


def _slot_of(cls: type, name: str) -> str:
    return f"_{name}" if isinstance(getattr(cls, name, None), property) else name


def _too_deep(trigger: str) -> EventDecodeError:
    """JSON data nested deeper than Python's parser recurses (5,000 ``[``)."""
    return EventDecodeError(trigger, "data is nested too deeply to decode", keys=["data"])


class Event(Generic[T]):
    """Any event. Subclasses add the fields of one kind.

    ``data`` is decoded on first access from the payload the adapter gave; a
    malformed payload raises :class:`~sdk.errors.EventDecodeError` then, not before.
    ``raw`` is the provider's payload as received; ``native`` the provider's own
    typed view of it, built on first access.
    """

    kind: ClassVar[str] = "event"
    #: The kind's own fields in the JSON form's order: a ``@declared`` ``__init__``'s
    #: keyword-only parameters.
    _fields: ClassVar[tuple[str, ...]] = ()

    __slots__ = tuple(f"_{name}" if name in _PRIVATE else name for name in _ATTRIBUTES)
    # The attributes as a handler reads them, for type checkers (the constructor's
    # keywords are EventAttributes; ``time``, ``data`` and ``native`` are properties).
    provider: str
    trigger: str
    id: str | None
    source: str | None
    type: str | None
    subject: str | None
    data_content_type: str | None
    attributes: Mapping[str, str]
    raw: Any
    _time: datetime | Callable[[], datetime | None] | None
    _data: Any
    _payload: Payload | None
    _native: Any

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declaration = cls.__dict__.get("__init__")
        if getattr(declaration, "__declared__", False):
            code = declaration.__code__  # type: ignore[union-attr]
            names = code.co_varnames[1:1 + code.co_kwonlyargcount]
            if "_fields" not in cls.__dict__:  # the JSON form's, unless the kind says
                cls._fields = names
            slots = cls.__dict__.get("__slots__", ())
            missing = {name for name in names if _slot_of(cls, name) not in slots}
            if missing:  # a field is a slot of the class declaring it
                raise TypeError(f"{cls.__name__}: fields without a slot: {sorted(missing)}")
            cls.__init__ = _write_init(cls, declaration)  # type: ignore[method-assign]

    @declared
    def __init__(self, **event: Unpack[EventAttributes]) -> None:
        """The body is generated from :class:`EventAttributes` (``_write_init``)."""

    def _read_time(self) -> datetime | None:
        """When it happened (aware UTC), if the provider says. An adapter may give a
        zero-argument callable instead, converting the provider's form on first read;
        an event that is a view over its payload leaves it ``UNSET`` and converts it
        in ``_read_time`` on first read."""
        return None

    time = lazy("_time", _read_time, factories=True)

    # -- data -------------------------------------------------------------------
    @property
    def data(self) -> T:
        data = self._data
        if data is UNSET:
            payload = self._payload
            if (payload.__class__ is str and (payload[:1] == "{" or payload[:1] == "[")
                    and self.data_content_type is None):
                # decode_payload's answer for JSON-looking text of no declared type,
                # without its checks: a message body, once per record of a batch.
                try:
                    data = loads(payload)
                except ValueError:
                    data = payload
                except RecursionError:
                    raise _too_deep(self.trigger) from None
                self._data = data
            else:
                payload = self.payload_bytes_or_text()
                try:
                    data = decode_payload(payload, self.data_content_type)
                except RecursionError:  # JSON nested deeper than Python can hold
                    raise _too_deep(self.trigger) from None
                self._data = data
        return data  # type: ignore[no-any-return]

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value

    def payload_bytes_or_text(self) -> bytes | str:
        """The undecoded payload (base64 already undone). A ``str`` or ``bytes``
        payload is returned as it is, by every kind (``Function`` relies on it)."""
        payload = self._payload
        if payload is None:
            return b""
        if callable(payload):
            try:
                payload = payload()
            except EventDecodeError:
                raise
            except MALFORMED as exc:  # its text may quote the payload: the type only
                raise EventDecodeError(self.trigger, f"payload cannot be decoded "
                                       f"({type(exc).__name__})", keys=["data"]) from None
            self._payload = payload
        return payload

    @property
    def has_undecoded_payload(self) -> bool:
        """True while ``data`` has not been decoded from a payload yet."""
        return self._data is UNSET

    def parse(self, model: builtins.type[M]) -> M:
        """The payload validated into ``model``, as a ``Message[Model]`` handler gets it.

        For handlers that take a model only sometimes (a POST body, not a GET):
        :class:`~sdk.errors.DataValidationError` when it does not fit, which an HTTP
        adapter answers with 400 (not JSON) or 422 (does not match) problem+json.
        """
        from ._validator import validator

        return validator(model).validate(self)  # type: ignore[no-any-return]

    # -- provider view ----------------------------------------------------------
    def _read_native(self) -> Any:
        """The provider's own typed view (powertools data class, azure.functions object,
        CloudEvent, flask request), built on first access; ``raw`` when there is none.
        An adapter gives a zero-argument callable building it; a view over its payload
        leaves it ``UNSET`` and builds it in ``_read_native``."""
        return self.raw

    native = lazy("_native", _read_native, factories=True)

    # -- JSON form --------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON form (DESIGN.md): attributes, the kind's fields, then data.

        A field that has no JSON form (nested deeper than Python recurses, read
        lazily from a malformed payload) raises :class:`EventDecodeError` naming it.
        """
        out: dict[str, Any] = {
            "kind": self.kind,
            "provider": self.provider,
            "trigger": self.trigger,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "subject": self.subject,
            "time": None,
        }
        name = "time"
        try:
            out["time"] = iso(self.time)
            for name in self._fields:
                out[name] = jsonable(getattr(self, name))
            name = "data"
            self._data_to_dict(out)
            name = "attributes"
            out["data_content_type"] = self.data_content_type
            out["attributes"] = dict(self.attributes)
        except MALFORMED as exc:
            raise malformed(self.trigger, exc, keys=[name]) from None
        return out

    def _data_to_dict(self, out: dict[str, Any]) -> None:
        data = self.data
        if isinstance(data, (bytes, bytearray)):
            import base64  # binary data only: cold starts pay for imports

            out["data_base64"] = base64.b64encode(data).decode("ascii")
        else:
            out["data"] = jsonable(data)

    def to_cloudevent(self) -> dict[str, Any]:
        """This event as a CloudEvents 1.0 structured JSON dict (defaults for missing
        ``id``/``source``/``type`` and attribute-name rules: ``sdk/_cloudevent.py``)."""
        from ._cloudevent import to_cloudevent

        return to_cloudevent(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.trigger} id={self.id!r}>"


Event.__init__ = _write_init(Event, Event.__init__)  # type: ignore[method-assign]
