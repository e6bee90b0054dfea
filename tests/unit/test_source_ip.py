"""``source_ip`` is what the platform measured, never the client-written left-most
``X-Forwarded-For`` entry; the dev server's request lines keep query names only."""

from __future__ import annotations

from typing import Any

import pytest

import adapters.testing
from adapters import aws as aws_adapter
from adapters._http import forwarded_client
from adapters.testing import aws, azure, gcp

SPOOF = "198.51.100.66"
CLIENT = "203.0.113.7"
XFF = f"{SPOOF}, {CLIENT}"


@pytest.fixture(autouse=True)
def _one_hop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLYFN_FORWARDED_HOPS", raising=False)


@pytest.mark.parametrize(("values", "expected"), [
    (None, None), ("", None), (" , ", None),
    ("203.0.113.7", CLIENT),
    (XFF, CLIENT),
    ([SPOOF, CLIENT], CLIENT),  # one value per header line: the last line is the newest
    (f"{SPOOF}, {CLIENT}:51234", CLIENT),  # App Service / ALB client port
    ("[2001:db8::1]:443", "2001:db8::1"),
    ("2001:db8::1", "2001:db8::1"),
])
def test_the_rule(values: Any, expected: str | None) -> None:
    assert forwarded_client(values) == expected


def test_trusted_hops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYFN_FORWARDED_HOPS", "2")  # a load balancer in front appends too
    assert forwarded_client(f"{SPOOF}, {CLIENT}, 10.0.0.9") == CLIENT
    assert forwarded_client(CLIENT) == CLIENT  # fewer entries than hops: the oldest
    monkeypatch.setenv("POLYFN_FORWARDED_HOPS", "nonsense")
    assert forwarded_client(f"{SPOOF}, {CLIENT}") == CLIENT


def _aws(payload: dict[str, Any]) -> Any:
    (event,) = aws_adapter.decode(payload)
    return event.source_ip


def test_api_gateway_and_function_urls_use_the_measured_field() -> None:
    spoofed = {"x-forwarded-for": f"{SPOOF}, 10.1.1.1"}
    assert _aws(aws.apigw_v1(headers=spoofed, source_ip=CLIENT)) == CLIENT
    assert _aws(aws.apigw_v2(headers=spoofed, source_ip=CLIENT)) == CLIENT
    assert _aws(aws.function_url(headers=spoofed, source_ip=CLIENT)) == CLIENT


def test_alb_and_lattice_take_the_entry_they_appended() -> None:
    for factory in (aws.alb, aws.vpc_lattice):
        assert _aws(factory(headers={"x-forwarded-for": XFF})) == CLIENT
    multi = aws.alb(multi_value=True, headers=[("x-forwarded-for", SPOOF),
                                               ("x-forwarded-for", CLIENT)])
    assert _aws(multi) == CLIENT


def test_azure_takes_the_front_ends_entry() -> None:
    from adapters.azure import decode

    (event,) = decode(azure.http_request(headers=[("X-Forwarded-For", f"{SPOOF}, {CLIENT}:443"),
                                                  ("X-Azure-ClientIP", SPOOF),
                                                  ("X-Client-IP", SPOOF)]))
    assert event.source_ip == CLIENT


def test_gcp_takes_the_front_ends_entry_not_remote_addr() -> None:
    from adapters.gcp import decode

    (event,) = decode(gcp.http_request(headers={"X-Forwarded-For": XFF}))
    assert event.source_ip == CLIENT


# --------------------------------------------------------------- dev server line


def _served(url: str, monkeypatch: pytest.MonkeyPatch, redact: str | None) -> str:
    from werkzeug.test import Client

    from adapters._cli._local import _app
    from adapters._cli._local._log import EventLog
    from adapters._cli.handlers import WatchedHandler

    if redact is None:
        monkeypatch.delenv("POLYFN_LOG_REDACT", raising=False)
    else:
        monkeypatch.setenv("POLYFN_LOG_REDACT", redact)
    lines: list[str] = []
    app = _app.dev_app(WatchedHandler(lambda request: {"ok": True}), EventLog(lines.append))
    assert Client(app).get(url).status_code == 200
    (line,) = lines
    return line


def test_dev_server_logs_query_names_only(monkeypatch: pytest.MonkeyPatch) -> None:
    line = _served("/orders?token=s3cr3t&page=2&flag", monkeypatch, None)
    assert "s3cr3t" not in line
    assert "GET /orders?token=[redacted]&page=[redacted]&flag -> 200" in line


def test_dev_server_switch_logs_the_query(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "/orders?token=s3cr3t" in _served("/orders?token=s3cr3t", monkeypatch, "0")


def test_samples_keep_their_measured_addresses() -> None:
    """Every provider HTTP sample: a measured field wins over any header."""
    for name in ("aws.apigw.v1", "aws.apigw.v2", "aws.function.url"):
        payload = adapters.testing.payload(name)
        rc = payload["requestContext"]
        measured = (rc.get("identity") or {}).get("sourceIp") or rc["http"]["sourceIp"]
        payload.setdefault("headers", {})["x-forwarded-for"] = SPOOF
        if "multiValueHeaders" in payload:
            payload["multiValueHeaders"]["x-forwarded-for"] = [SPOOF]
        assert _aws(payload) == measured != SPOOF
