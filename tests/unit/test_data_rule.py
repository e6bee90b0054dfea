"""The one decoding rule for data, and lazy decoding."""

from __future__ import annotations

import pytest

from sdk import Event, EventDecodeError, Message
from sdk._data import decode_payload, is_json_type


@pytest.mark.parametrize(
    ("payload", "ctype", "expected"),
    [
        (b'{"a": 1}', None, {"a": 1}),
        (b"  [1, 2]", None, [1, 2]),
        ('{"a": 1}', None, {"a": 1}),
        (b"42", None, "42"),  # a scalar is JSON only when the content type says so
        (b"42", "application/json", 42),
        (b'"text"', "application/cloudevents+json; charset=utf-8", "text"),
        (b"hello", None, "hello"),
        (b"{not json", None, "{not json"),  # looks like JSON, is not: text, not lost
        (b"{not json", "application/json", "{not json"),
        (b"\xff\xfe\x00", None, b"\xff\xfe\x00"),
        (b"", None, ""),
        ("plain", "text/plain", "plain"),
        (b"abc", "application/octet-stream", b"abc"),  # declared binary stays bytes
        (b"abc", "image/png", b"abc"),
        ("abc", "application/octet-stream", "abc"),  # text given stays text
        (b'{"a": 1}', "application/octet-stream", {"a": 1}),  # JSON objects still parse
        (b"\r\n\t {\"a\": 1}", None, {"a": 1}),  # leading whitespace of any kind
        (" \t\n[1]", None, [1]),  # text too
        (b"   ", None, "   "),
        (b"  plain", None, "  plain"),
        (b"abc", "IMAGE/PNG; q=1", b"abc"),  # parameters and case ignored
        (b"abc", "Application/Octet-Stream ", b"abc"),
    ],
)
def test_decode_payload(payload: bytes | str, ctype: str | None, expected: object) -> None:
    assert decode_payload(payload, ctype) == expected


@pytest.mark.parametrize(
    ("ctype", "is_json"),
    [("application/json", True), ("APPLICATION/JSON; charset=utf-8", True),
     ("application/vnd.api+json", True), ("text/json", True), ("text/plain", False),
     ("application/jsonl", False), (None, False), ("", False)],
)
def test_is_json_type(ctype: str | None, is_json: bool) -> None:
    assert is_json_type(ctype) is is_json


def test_content_type_decisions_are_the_same_from_the_table() -> None:
    # The second call answers from the table of types seen: the same answer.
    for ctype in ("application/json", "application/pdf", "text/plain; charset=utf-8"):
        first = [decode_payload(b"abc", ctype), is_json_type(ctype)]
        assert [decode_payload(b"abc", ctype), is_json_type(ctype)] == first


def test_the_table_of_content_types_stays_bounded() -> None:
    from sdk import _data

    for n in range(_data._KNOWN_MAX + 50):
        assert is_json_type(f"application/x-{n}+json")
    assert len(_data._KNOWN) <= _data._KNOWN_MAX
    assert is_json_type("application/x-99999+json")  # past the bound: still answered


def test_data_is_decoded_lazily_and_once() -> None:
    calls = []

    def payload() -> bytes:
        calls.append(1)
        return b'{"n": 1}'

    event = Message(provider="aws", trigger="aws.sqs", payload=payload)
    assert calls == []
    assert event.data == {"n": 1}
    assert event.data == {"n": 1}
    assert calls == [1]


def test_malformed_lazy_payload_fails_when_read_naming_the_trigger() -> None:
    def payload() -> bytes:
        raise ValueError("Incorrect padding")

    event = Message(provider="aws", trigger="aws.kinesis", payload=payload)  # no error yet
    with pytest.raises(EventDecodeError, match=r"^aws\.kinesis: payload cannot be decoded"):
        _ = event.data


def test_no_payload_means_no_data() -> None:
    assert Event(provider="local", trigger="local").data is None


def test_explicit_data_is_kept() -> None:
    assert Event(provider="local", trigger="local", data=[1, 2]).data == [1, 2]
