"""Log lines redact credentials and query values by default; POLYFN_LOG_REDACT=0 keeps
them, for local debugging."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from sdk import Context, Headers, HTTPRequest, Query
from sdk._redact import REDACTED, redact_query, redact_url

SECRET = "s3cr3t-value"


def _line(capsys: pytest.CaptureFixture[str], provider: str = "aws", **fields: Any
          ) -> dict[str, Any]:
    Context(provider=provider, request_id="r-1").logger.info("request", **fields)
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    return json.loads(out)  # type: ignore[no-any-return]


def _request() -> HTTPRequest[Any]:
    return HTTPRequest(
        method="GET", path="/orders",
        headers=Headers(pairs=[("Authorization", f"Bearer {SECRET}"), ("Cookie", f"sid={SECRET}"),
                               ("X-Api-Key", SECRET), ("Accept", "text/html")]),
        query=Query(pairs=[("token", SECRET), ("page", "2")]),
        provider="aws", trigger="aws.apigw.v2")


@pytest.fixture(autouse=True)
def _default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLYFN_LOG_REDACT", raising=False)


@pytest.mark.parametrize("provider", ["aws", "gcp", "local"])
def test_headers_and_query_fields_are_redacted(capsys: pytest.CaptureFixture[str],
                                               provider: str) -> None:
    request = _request()
    line = _line(capsys, provider, headers=request.headers, query=request.query,
                 url=f"https://example.com/orders?token={SECRET}&page=2#top",
                 plain={"Authorization": SECRET, "Set-Cookie": f"a={SECRET}", "x": "kept"},
                 x_api_key=SECRET, query_string=f"token={SECRET}&flag")
    assert SECRET not in json.dumps(line)
    assert line["headers"]["authorization"] == REDACTED
    assert line["headers"]["accept"] == "text/html"  # other headers as they are
    assert line["query"] == {"token": [REDACTED], "page": [REDACTED]}  # names kept
    assert line["url"] == f"https://example.com/orders?token={REDACTED}&page={REDACTED}"
    assert line["plain"] == {"Authorization": REDACTED, "Set-Cookie": REDACTED, "x": "kept"}
    assert line["x_api_key"] == REDACTED
    assert line["query_string"] == f"token={REDACTED}&flag"


def test_a_logged_request_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    line = _line(capsys, request=_request())
    text = json.dumps(line)
    assert SECRET not in text
    assert line["request"]["path"] == "/orders" and line["request"]["method"] == "GET"
    assert line["request"]["cookies"] == {"sid": REDACTED}


def test_bound_fields_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    logger = Context(provider="aws", request_id="r").logger.bind(headers={"cookie": SECRET})
    logger.warning("bound")
    assert SECRET not in capsys.readouterr().out


def test_azure_lines_through_logging(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="polyfn")
    Context(provider="azure", request_id="r").logger.info("x", headers=_request().headers)
    (record,) = caplog.records
    assert SECRET not in record.getMessage() and REDACTED in record.getMessage()


@pytest.mark.parametrize("value", ["0", "false", "off", "NO"])
def test_the_switch_turns_it_off(capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("POLYFN_LOG_REDACT", value)
    line = _line(capsys, headers=_request().headers, url=f"/o?token={SECRET}")
    assert line["headers"]["authorization"] == f"Bearer {SECRET}"
    assert line["url"] == f"/o?token={SECRET}"


def test_plain_fields_are_left_alone(capsys: pytest.CaptureFixture[str]) -> None:
    line = _line(capsys, order_id=7, note="token=abc", nested={"a": [1, {"b": "c"}]})
    assert (line["order_id"], line["note"], line["nested"]) == (7, "token=abc",
                                                               {"a": [1, {"b": "c"}]})


def test_query_helpers() -> None:
    assert redact_query("a=1&b=&c") == f"a={REDACTED}&b={REDACTED}&c"
    assert redact_url("/p") == "/p"
    assert redact_url("/p?x=1") == f"/p?x={REDACTED}"


def test_handler_failure_lines_carry_no_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    """A handler that logs the request it got, then fails: neither line has the values."""
    from adapters.aws import lambda_handler
    from adapters.testing import aws, lambda_context

    def handle(request: HTTPRequest[Any], context: Context) -> None:
        context.logger.info("got", headers=request.headers, query=request.query)
        raise RuntimeError("boom")

    payload = aws.apigw_v2("GET", "/o", headers={"authorization": f"Bearer {SECRET}"},
                           query={"token": SECRET})
    response = lambda_handler(handle)(payload, lambda_context())
    assert response["statusCode"] == 500
    out = capsys.readouterr().out
    assert out.count("\n") == 2 and SECRET not in out
