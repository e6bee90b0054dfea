"""The one lazy-field mechanism (``sdk/_fields.py``) and the one sentinel."""

from __future__ import annotations

import ast
import pathlib
from typing import Any

import pytest

from sdk import HTTPRequest, Message
from sdk.adapter import UNSET, field_group, lazy

ROOT = pathlib.Path(__file__).resolve().parents[2]


class _Probe:
    __slots__ = ("_colour", "_when", "reads")

    def __init__(self, colour: Any = UNSET, when: Any = UNSET) -> None:
        self._colour, self._when, self.reads = colour, when, 0

    def _read_colour(self) -> str:
        """The colour, read once."""
        self.reads += 1
        return "blue"

    colour = lazy("_colour", _read_colour)

    def _read_when(self) -> int | None:
        return None

    when = lazy("_when", _read_when, factories=True)


class _Red(_Probe):
    __slots__ = ()

    def _read_colour(self) -> str:
        self.reads += 1
        return "red"


def test_a_lazy_field_reads_once_and_keeps_the_answer() -> None:
    probe = _Probe()
    assert (probe.colour, probe.colour, probe.reads) == ("blue", "blue", 1)
    assert _Probe.colour.__doc__ == "The colour, read once."


def test_a_subclass_reader_changes_the_field() -> None:
    assert _Red().colour == "red"


def test_a_given_value_is_never_read_and_a_field_is_settable() -> None:
    probe = _Probe("green")
    assert (probe.colour, probe.reads) == ("green", 0)
    probe.colour = "grey"
    assert (probe.colour, probe.reads) == ("grey", 0)


def test_none_is_a_value_not_unset() -> None:
    probe = _Probe(None)
    assert (probe.colour, probe.reads) == (None, 0)
    assert not UNSET and repr(UNSET) == "UNSET"


def test_factories_are_called_once_only_when_asked_for() -> None:
    calls: list[int] = []
    probe = _Probe(when=lambda: calls.append(1) or 7)
    assert (probe.when, probe.when, calls) == (7, 7, [1])
    assert callable(_Probe(colour=len).colour)  # no factories: a callable is a value


def test_a_field_group_reads_its_fields_together_once() -> None:
    loads: list[int] = []

    def load(view: Any) -> list[Any]:
        loads.append(1)
        return ["a", "b"]

    field = field_group(load, "_group")

    class View:
        __slots__ = ("_group",)
        first, second = field(0), field(1)

        def __init__(self) -> None:
            self._group = UNSET

    view = View()
    assert (view.first, view.second, loads) == ("a", "b", [1])
    view.second = "c"
    assert (view.second, loads) == ("c", [1])


class _Grouped:
    """A view whose loader returns a tuple, as ``AzureRequest``'s URL fields do."""

    __slots__ = ("_group", "loads", "raw", "trigger")
    _field = field_group(lambda view: view._load(), "_group")
    first, second, third = _field(0), _field(1), _field(2)

    def __init__(self, raw: Any) -> None:
        self._group, self.loads, self.raw, self.trigger = UNSET, 0, raw, "test.trigger"

    def _load(self) -> tuple[Any, ...]:
        self.loads += 1
        return self.raw["a"], self.raw["b"], self.raw["c"]


def test_a_field_group_write_first_loads_the_rest_once_and_keeps_it() -> None:
    view = _Grouped({"a": 1, "b": 2, "c": 3})
    view.second = 20  # before any read: the others are loaded, then this one replaced
    view.third = 30
    assert (view.first, view.second, view.third, view.loads) == (1, 20, 30, 1)
    assert _Grouped({"a": 1, "b": 2, "c": 3}).third == 3


def test_a_field_group_over_a_malformed_payload_raises_a_decode_error() -> None:
    from sdk.errors import EventDecodeError

    for touch in (lambda view: view.first, lambda view: setattr(view, "third", 0)):
        with pytest.raises(EventDecodeError, match="malformed") as caught:
            touch(_Grouped({"a": 1, "c": 3}))  # no "b": a KeyError while loading
        assert (caught.value.trigger, caught.value.keys) == ("test.trigger", ("a", "c"))


def test_http_request_fields_are_lazy_fields_over_the_one_sentinel() -> None:
    request = HTTPRequest(method="get", path="/", provider="aws", trigger="t")
    assert (request.headers, request.query, request.cookies, request.source_ip,
            request.root_path) == ({}, {}, {}, None, "")
    assert request.payload_bytes_or_text() == b""  # the body is the payload
    request.cookies = {"a": "1"}
    assert request.cookies == {"a": "1"}


def test_a_message_time_factory_is_called_on_first_read() -> None:
    message = Message(provider="aws", trigger="t", time=lambda: None)
    assert message.time is None


@pytest.mark.parametrize("name", ["BODY", "_BASE64", "_NOT_GIVEN", "_Unset"])
def test_one_sentinel_in_the_model_and_the_views(name: str) -> None:
    """Sentinels other than UNSET are gone from the model and the event views."""
    for path in [*ROOT.glob("sdk/*.py"), *ROOT.glob("adapters/**/*.py")]:
        tree = ast.parse(path.read_text())
        assigned = {target.id for node in ast.walk(tree)
                    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.ClassDef))
                    for target in (getattr(node, "targets", None)
                                   or [getattr(node, "target", node)])
                    if isinstance(target, ast.Name)}
        classes = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
        if path.name != "_fields.py":
            assert name not in assigned | classes, f"{path.relative_to(ROOT)} defines {name}"


def test_a_declared_kind_gets_its_fields_and_constructor_from_one_signature() -> None:
    from sdk import Change, StorageEvent

    assert Message._fields == ("queue", "topic", "delivery_count", "ordering_key",
                               "partition", "sequence")
    message = Message(queue="q", provider="aws", trigger="t", payload='{"a": 1}')
    assert (message.queue, message.topic, message.data) == ("q", None, {"a": 1})
    assert list(message.to_dict())[8:14] == list(Message._fields)
    with pytest.raises(TypeError, match="key"):
        StorageEvent(bucket="b", operation="created", provider="aws", trigger="t")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="colour"):
        Message(colour="red", provider="aws", trigger="t")  # type: ignore[call-arg]
    # Change's one difference: data is new/old unless data or a payload was given.
    assert Change(operation="insert", new={"x": 1}, provider="p", trigger="t").data == {"x": 1}
    assert Change(operation="delete", old={"x": 1}, provider="p", trigger="t").data == {"x": 1}
    assert Change(operation="insert", new={"x": 1}, payload=None,
                  provider="p", trigger="t").data is None


def test_a_declared_field_needs_a_slot() -> None:
    from sdk.adapter import declared

    with pytest.raises(TypeError, match="colour"):
        class Painted(Message[Any]):
            __slots__ = ()

            @declared
            def __init__(self, *, colour: str = "", **event: Any) -> None:
                """Generated."""


def test_events_attributes_are_declared_once_and_every_constructor_takes_them() -> None:
    """EventAttributes is the one list: Event's and every kind's constructor take its
    keywords in its order (provider and trigger required), its slots hold them, and
    the class annotates (for type checkers) every one a handler reads as a plain
    attribute: no name of one that is not in the other."""
    import inspect

    from sdk import Change, Event, Schedule, StorageEvent
    from sdk._event import EventAttributes

    names = list(EventAttributes.__annotations__)
    assert names[:2] == ["provider", "trigger"] and len(names) == 13
    assert EventAttributes.__required_keys__ == {"provider", "trigger"}
    for kind in (Event, Message, HTTPRequest, StorageEvent, Schedule, Change):
        parameters = inspect.signature(kind).parameters
        assert list(parameters)[-len(names):] == names, kind
        assert [p.default is inspect.Parameter.empty for p in parameters.values()][-13:-11] \
            == [True, True]
    properties = {n for n in names if isinstance(getattr(Event, n, None), property)}
    assert properties == {"time", "data", "native"}
    plain = {n for n, hint in Event.__annotations__.items()
             if not n.startswith("_") and not hint.startswith("ClassVar")}
    assert plain == set(names) - properties - {"payload"}
    assert set(Event.__slots__) == plain | {f"_{n}" for n in (*properties, "payload")}
    event = Event(provider="p", trigger="t", **{n: f"<{n}>" for n in plain - {"provider",
                                                                        "trigger"}})
    assert [getattr(event, n) for n in sorted(plain - {"provider", "trigger"})] == [
        f"<{n}>" for n in sorted(plain - {"provider", "trigger"})]


def test_native_is_a_lazy_field_and_a_callable_view_is_kept_as_it_is() -> None:
    """``native``: ``raw`` when no view was given, a factory called once, a view that
    is itself callable returned (never called) on every read, and a view class
    building it from its payload in ``_read_native``."""
    from sdk import Event

    raw = {"k": 1}
    assert Event(provider="p", trigger="t", raw=raw).native is raw
    calls: list[int] = []

    class View:
        def __call__(self) -> str:
            return "called"

    view = View()
    event = Event(provider="p", trigger="t", native=lambda: calls.append(1) or view)
    assert event.native is view and event.native is view and calls == [1]

    class Built(Event[Any]):
        __slots__ = ()

        def _read_native(self) -> Any:
            calls.append(2)
            return ("built", self.raw)

    built = Built(provider="p", trigger="t", raw=raw)
    assert built.native == ("built", raw) and built.native == ("built", raw)
    assert calls == [1, 2]
    assert isinstance(Event.__dict__["native"], property)
