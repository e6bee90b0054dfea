"""The Lambda context's deadline: the runtime client's own, or counted down."""

from __future__ import annotations

import time

import pytest

from adapters.aws._context import lambda_context

LambdaContext = pytest.importorskip("awslambdaric.lambda_context").LambdaContext


def test_the_runtime_clients_deadline_is_the_one_lambda_sent() -> None:
    deadline = int(time.time() * 1000) + 30_000
    raw = LambdaContext("req-1", None, None, deadline,
                        "arn:aws:lambda:eu-west-1:123456789012:function:orders")
    context = lambda_context(raw)
    assert context._deadline_at() == deadline  # the lease's read: no fill
    assert context.deadline is not None
    assert context.deadline.timestamp() * 1000 == pytest.approx(deadline, abs=1)
    assert 29_000 < (context.remaining_ms() or 0) <= 30_000
    assert context.request_id == "req-1" and context.region == "eu-west-1"


def test_a_passed_deadline_stays_where_it_was() -> None:
    deadline = int(time.time() * 1000) - 5_000
    context = lambda_context(LambdaContext("req-2", None, None, deadline))
    assert context._deadline_at() == deadline
    assert context.remaining_ms() == 0


class _Countdown:
    """A context object with only the documented method (a test double, a wrapper)."""

    aws_request_id = "req-3"

    def get_remaining_time_in_millis(self) -> int:
        return 12_000


def test_any_other_context_object_is_counted_down() -> None:
    before = time.time() * 1000
    deadline = lambda_context(_Countdown())._deadline_at()
    assert deadline is not None
    assert before + 12_000 <= deadline <= time.time() * 1000 + 12_000
