"""The Google Cloud context, filled in on first read, is the one built eagerly."""

from __future__ import annotations

import pytest

from adapters.gcp import gcp_context
from sdk import Context


def test_the_context_reads_the_environment_when_first_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("K_SERVICE", "orders")
    monkeypatch.setenv("K_REVISION", "orders-00001")
    monkeypatch.setenv("FUNCTION_REGION", "europe-west1")
    monkeypatch.setenv("FUNCTION_MEMORY_MB", "256")
    context = gcp_context(request_id="r-1", trace="t" * 32, span="0" * 16, sampled=True,
                          attempt=2, raw="request")
    monkeypatch.setenv("K_SERVICE", "later")  # read on first use, not at the call
    eager = Context(provider="gcp", request_id="r-1", function_name="later",
                    function_version="orders-00001", region="europe-west1", memory_mb=256,
                    cold_start=context.cold_start, trace_id="t" * 32, attempt=2,
                    raw="request", span_id="0" * 16, trace_sampled=True)
    assert context.to_dict() == eager.to_dict()
    assert (context.span_id, context.trace_sampled, context.raw) == ("0" * 16, True, "request")
    assert isinstance(context, Context) and context.logger._request_id == "r-1"
