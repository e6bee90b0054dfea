"""moto's server: SQS, SNS, EventBridge, Kinesis, S3, DynamoDB on one port.

``moto_server`` (session) starts it once; ``aws`` (per test) resets its state
(``POST /moto-api/reset``) and points boto3 at it through its standard switches
(``AWS_ENDPOINT_URL``, region, any credentials), so the code under test reads
no polyfn-only setting.
"""

from __future__ import annotations

import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._base import Server, serve

__all__ = ["Moto", "aws", "moto_server"]


class Moto(Server):
    name = "moto"
    hint = "pip install -e '.[dev]' (moto's lean extras, flask, flask-cors)"

    def command(self) -> list[str]:
        # moto's own server, with DynamoDB's conditional writes atomic (_moto_serial.py)
        return [sys.executable, str(Path(__file__).with_name("_moto_serial.py")), self.host,
                str(self.port)]

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass


@pytest.fixture(scope="session")
def moto_server() -> Iterator[Moto]:
    yield from serve(Moto)


@pytest.fixture
def aws(moto_server: Moto, monkeypatch: pytest.MonkeyPatch) -> Moto:
    """moto, empty, with boto3's environment pointing at it."""
    moto_server.reset()
    for name, value in {"AWS_ENDPOINT_URL": moto_server.url, "AWS_DEFAULT_REGION": "us-east-1",
                        "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return moto_server
