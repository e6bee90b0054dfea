"""Tests of the Lambda Runtime API harness, driving the real ``awslambdaric``.

Handlers are tiny modules written into ``tmp_path``; no project code is involved.
"""

from __future__ import annotations

import sys
import textwrap
import time
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:  # `tests` is not a package: make `tests.support` importable
    sys.path.insert(0, str(_ROOT))

from tests.support.lambda_rapi import (  # noqa: E402
    API_PREFIX,
    InvocationTimeoutError,
    LambdaRuntime,
    RuntimeExitedError,
)

pytestmark = pytest.mark.runtime


def _write_module(directory: Path, name: str, source: str) -> None:
    (directory / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")


def test_handler_result_is_posted_as_the_response(tmp_path: Path) -> None:
    _write_module(
        tmp_path,
        "echo_fn",
        """
        def handler(event, context):
            print("handling", event["name"])
            return {"greeting": "hello " + event["name"], "items": [1, 2.5, None, True]}
        """,
    )
    with LambdaRuntime("echo_fn.handler", cwd=tmp_path) as runtime:
        result = runtime.invoke({"name": "lambda"}, request_id="req-echo-1")

        assert result.status == "response"
        assert result.ok
        assert result.request_id == "req-echo-1"
        assert result.body == {"greeting": "hello lambda", "items": [1, 2.5, None, True]}
        assert result.error_type is None
        assert result.header("Content-Type") == "application/json"
        assert "handling lambda" in runtime.stdout
        assert runtime.init_error is None

        paths = [(r.method, r.path) for r in runtime.requests]
        assert paths[:2] == [
            ("GET", f"{API_PREFIX}/invocation/next"),
            ("POST", f"{API_PREFIX}/invocation/req-echo-1/response"),
        ]


def test_handler_exception_is_posted_as_an_error_document(tmp_path: Path) -> None:
    _write_module(
        tmp_path,
        "failing_fn",
        """
        def handler(event, context):
            raise ValueError("bad value: " + str(event["n"]))
        """,
    )
    with LambdaRuntime("failing_fn.handler", cwd=tmp_path) as runtime:
        result = runtime.invoke({"n": 42})

        assert result.status == "error"
        assert not result.ok
        assert result.body["errorType"] == "ValueError"
        assert result.body["errorMessage"] == "bad value: 42"
        assert result.body["requestId"] == result.request_id
        stack = result.body["stackTrace"]
        assert isinstance(stack, list)
        assert stack
        assert all(isinstance(frame, str) for frame in stack)
        assert "failing_fn.py" in stack[-1]
        assert 'raise ValueError("bad value: " + str(event["n"]))' in stack[-1]
        # The native client reports the type only in the body and in the X-Ray
        # cause; it does not send Lambda-Runtime-Function-Error-Type here.
        assert result.error_type is None
        assert '"type": "ValueError"' in (
            result.header("Lambda-Runtime-Function-XRay-Error-Cause") or ""
        )
        # The error is logged to stdout (CloudWatch), lines joined with "\r".
        assert "[ERROR] ValueError: bad value: 42\rTraceback" in runtime.stdout
        # The process survives a handler error and serves the next invocation.
        assert runtime.invoke({"n": 1}).body["errorMessage"] == "bad value: 1"
        assert runtime.returncode is None


def test_context_reflects_the_invocation_headers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "host-profile")  # must not leak into the runtime
    _write_module(
        tmp_path,
        "context_fn",
        """
        import os

        def handler(event, context):
            return {
                "aws_request_id": context.aws_request_id,
                "remaining_ms": context.get_remaining_time_in_millis(),
                "invoked_function_arn": context.invoked_function_arn,
                "memory_limit_in_mb": context.memory_limit_in_mb,
                "function_name": context.function_name,
                "function_version": context.function_version,
                "log_group_name": context.log_group_name,
                "custom": context.client_context.custom,
                "region": os.environ.get("AWS_REGION"),
                "task_root": os.environ.get("LAMBDA_TASK_ROOT"),
                "profile": os.environ.get("AWS_PROFILE"),
                "setting": os.environ.get("POLYFN_SETTING"),
            }
        """,
    )
    with LambdaRuntime(
        "context_fn.handler",
        cwd=tmp_path,
        memory_mb=256,
        function_name="ctx-fn",
        env={"POLYFN_SETTING": "on"},
    ) as runtime:
        before = time.monotonic()
        result = runtime.invoke(
            {},
            request_id="ctx-request-7",
            deadline_ms_from_now=10_000,
            client_context={"custom": {"tenant": "acme"}},
        )
        elapsed_ms = (time.monotonic() - before) * 1000

    assert result.status == "response", result.body
    body = result.body
    assert body["aws_request_id"] == "ctx-request-7"
    assert 10_000 - elapsed_ms - 50 <= body["remaining_ms"] <= 10_000
    assert body["invoked_function_arn"] == runtime.function_arn
    assert body["invoked_function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:ctx-fn"
    # awslambdaric reads the memory size from the environment: it is a string.
    assert body["memory_limit_in_mb"] == "256"
    assert body["function_name"] == "ctx-fn"
    assert body["function_version"] == "$LATEST"
    assert body["log_group_name"] == "/aws/lambda/ctx-fn"
    assert body["custom"] == {"tenant": "acme"}
    assert body["region"] == "us-east-1"
    assert body["task_root"] == str(tmp_path.resolve())
    assert body["profile"] is None
    assert body["setting"] == "on"


def test_bytes_result_is_returned_raw(tmp_path: Path) -> None:
    _write_module(
        tmp_path,
        "bytes_fn",
        """
        def handler(event, context):
            return b"\\x00\\xffnot json"
        """,
    )
    with LambdaRuntime("bytes_fn.handler", cwd=tmp_path) as runtime:
        result = runtime.invoke(None)

    assert result.status == "response"
    assert result.body == b"\x00\xffnot json"
    assert result.header("Content-Type") == "application/unknown"


def test_unanswered_invocation_times_out_and_close_is_prompt(tmp_path: Path) -> None:
    _write_module(
        tmp_path,
        "slow_fn",
        """
        import time

        def handler(event, context):
            time.sleep(60)
        """,
    )
    runtime = LambdaRuntime("slow_fn.handler", cwd=tmp_path)
    started = time.monotonic()
    with runtime, pytest.raises(InvocationTimeoutError):
        runtime.invoke({}, timeout=0.5)
    assert time.monotonic() - started < 5
    assert runtime.returncode is not None  # the sleeping runtime was terminated


def test_consecutive_invocations_reuse_the_process(tmp_path: Path) -> None:
    _write_module(
        tmp_path,
        "counter_fn",
        """
        import os

        INIT_COUNT = 0
        INIT_COUNT += 1
        CALLS = 0

        def handler(event, context):
            global CALLS
            CALLS += 1
            return {"calls": CALLS, "inits": INIT_COUNT, "pid": os.getpid()}
        """,
    )
    with LambdaRuntime("counter_fn.handler", cwd=tmp_path) as runtime:
        runtime.wait_ready()
        first = runtime.invoke({"i": 1})
        second = runtime.invoke({"i": 2})

        assert first.body["calls"] == 1
        assert second.body["calls"] == 2
        assert first.body["inits"] == second.body["inits"] == 1
        assert first.body["pid"] == second.body["pid"] == runtime.pid
        # The native client keeps one HTTP/1.1 connection alive for the whole loop.
        assert len({r.client_port for r in runtime.requests}) == 1
        # (A third GET, the runtime waiting again, may or may not have arrived yet.)
        assert [r.method for r in runtime.requests][:4] == ["GET", "POST", "GET", "POST"]


def test_import_failure_posts_init_error_and_exits(tmp_path: Path) -> None:
    _write_module(
        tmp_path,
        "broken_fn",
        """
        import module_that_does_not_exist_xyz

        def handler(event, context):
            return "unreachable"
        """,
    )
    with LambdaRuntime("broken_fn.handler", cwd=tmp_path) as runtime:
        init_error = runtime.wait_for_init_error()
        assert runtime.wait_exit() == 1

        assert init_error.error_type == "Runtime.ImportModuleError"
        assert init_error.body["errorType"] == "Runtime.ImportModuleError"
        assert init_error.body["errorMessage"] == (
            "Unable to import module 'broken_fn': No module named 'module_that_does_not_exist_xyz'"
        )
        assert init_error.body["stackTrace"] == []
        assert runtime.init_error == init_error
        # It never asked for an invocation; invoking now reports the dead process.
        assert [(r.method, r.path) for r in runtime.requests] == [
            ("POST", f"{API_PREFIX}/init/error")
        ]
        with pytest.raises(RuntimeExitedError) as excinfo:
            runtime.invoke({}, timeout=5)
        assert excinfo.value.returncode == 1
        assert "[ERROR] Runtime.ImportModuleError" in runtime.stdout


def test_exception_at_import_posts_its_own_type_as_init_error(tmp_path: Path) -> None:
    _write_module(
        tmp_path,
        "raising_fn",
        """
        raise RuntimeError("missing configuration")

        def handler(event, context):
            return "unreachable"
        """,
    )
    with LambdaRuntime("raising_fn.handler", cwd=tmp_path) as runtime:
        init_error = runtime.wait_for_init_error()
        assert runtime.wait_exit() == 1

    assert init_error.error_type == "RuntimeError"
    assert init_error.body["errorType"] == "RuntimeError"
    assert init_error.body["errorMessage"] == "missing configuration"
    assert "raising_fn.py" in init_error.body["stackTrace"][-1]
    assert "[ERROR] RuntimeError: missing configuration" in runtime.stdout
