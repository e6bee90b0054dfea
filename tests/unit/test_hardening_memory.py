"""Issue 11, bounded memory: a CloudWatch Logs gzip bomb is refused with the memory
it takes bounded by the cap (measured with tracemalloc), the cap is configurable,
and real deliveries still decode."""

from __future__ import annotations

import base64
import gzip
import json
import tracemalloc
import zlib
from typing import Any

import pytest

import sdk
from adapters.aws import decode, lambda_handler
from adapters.aws._logs import DEFAULT_MAX_BYTES, MAX_BYTES_ENV
from adapters.testing import aws
from sdk import Event
from sdk.errors import EventDecodeError

MIB = 1024 * 1024


def bomb(mebibytes: int = 190) -> bytes:
    """Gzip of ``mebibytes`` MiB of zeros, built in 1 MiB steps (~190 KiB for 190 MiB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * MIB
    return b"".join(packer.compress(chunk) for _ in range(mebibytes)) + packer.flush()


def delivery(packed: bytes) -> dict[str, Any]:
    return {"awslogs": {"data": base64.b64encode(packed).decode("ascii")}}


def peak_while(call: Any) -> tuple[int, BaseException | None]:
    """Peak bytes allocated while ``call()`` runs, and what it raised."""
    tracemalloc.start()
    raised: BaseException | None = None
    try:
        call()
    except Exception as exc:
        raised = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, raised


@pytest.fixture(scope="module")
def big() -> dict[str, Any]:
    packed = bomb()
    assert len(packed) < 300 * 1024  # a few hundred KiB on the wire
    return delivery(packed)


def test_a_gzip_bomb_is_refused_within_the_default_cap(big: dict[str, Any],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    peak, raised = peak_while(lambda: decode(big))
    assert isinstance(raised, EventDecodeError)
    assert str(raised) == ("aws.cloudwatch.logs: data decompresses to more than "
                           f"{DEFAULT_MAX_BYTES} bytes (the cap: {MAX_BYTES_ENV}) "
                           "(keys: awslogs.data)")
    # The cap plus one step of the stream and the input: never the 190 MiB.
    assert peak < DEFAULT_MAX_BYTES + 8 * MIB, peak


def test_the_cap_is_configurable(big: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_BYTES_ENV, str(MIB))
    peak, raised = peak_while(lambda: decode(big))
    assert isinstance(raised, EventDecodeError) and f"more than {MIB} bytes" in str(raised)
    assert peak < 4 * MIB, peak


def test_a_bomb_fails_the_lambda_invocation_as_bad_input(big: dict[str, Any]) -> None:
    @sdk.function
    def handle(event: Event) -> None:
        raise AssertionError("never called")

    with pytest.raises(EventDecodeError, match="decompresses to more than"):
        lambda_handler(handle)(big, None)


def test_deliveries_under_the_cap_still_decode(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = aws.cloudwatch_logs(["one", "two"])
    events = decode(raw)
    assert [e.data for e in events] == ["one", "two"]
    document = json.loads(gzip.decompress(base64.b64decode(raw["awslogs"]["data"])))
    size = len(json.dumps(document).encode())
    monkeypatch.setenv(MAX_BYTES_ENV, str(size + 64))
    assert len(decode(raw)) == 2
    monkeypatch.setenv(MAX_BYTES_ENV, "not a number")  # ignored: the default applies
    assert len(decode(raw)) == 2


@pytest.mark.parametrize("packed", [b"", b"not gzip", gzip.compress(b'{"a": 1}', mtime=0)[:-10],
                                    zlib.compress(b"[1, 2")])
def test_broken_streams_are_decode_errors(packed: bytes) -> None:
    with pytest.raises(EventDecodeError, match=r"^aws\.cloudwatch\.logs: data "):
        decode(delivery(packed))
