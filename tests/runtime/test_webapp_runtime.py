"""examples/webapp (FastAPI through sdk.asgi) under real runtimes: awslambdaric with
the loopback Runtime API, the real functions-framework server, and ``polyfn serve``;
and lifespan shutdown when the Lambda runtime is sent SIGTERM."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.testing import aws
from examples._stage import stage
from tests.support import ff_server as ffs
from tests.support.lambda_rapi import LambdaRuntime
from tests.support.samples import PROJECT_ROOT

pytestmark = pytest.mark.runtime
TARGETS = Path(__file__).resolve().parent / "aws_targets"
NOTE = {"text": "hello from polyfn"}
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def lambda_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LambdaRuntime]:
    folder = stage(PROJECT_ROOT / "examples" / "webapp", "aws",
                   tmp_path_factory.mktemp("aws") / "webapp-aws", wheel=False)
    with LambdaRuntime("examples.webapp.aws.handler", cwd=folder,
                       function_name="webapp") as runtime:
        yield runtime


def _body(result: dict[str, Any]) -> bytes:
    body = result["body"]
    return base64.b64decode(body) if result["isBase64Encoded"] else body.encode()


def test_fastapi_on_the_real_lambda_runtime_under_a_stage(lambda_runtime: LambdaRuntime) -> None:
    saved = lambda_runtime.invoke(aws.apigw_v2("POST", "/notes/first", NOTE, stage="prod"))
    out = saved.body
    assert out["statusCode"] == 201, out
    host = aws.apigw_v2()["headers"]["host"]
    assert json.loads(out["body"]) == {"name": "first",
                                       "url": f"https://{host}/prod/notes/first"}
    assert [c.split(";")[0] for c in out["cookies"]] == ["last_note=first", "notes_saved=1"]
    # The lifespan state outlives the invocation: the next one finds the note.
    got = lambda_runtime.invoke(aws.apigw_v1("GET", "/notes/first/download")).body
    assert got["isBase64Encoded"] is True and _body(got) == NOTE["text"].encode("utf-16")
    missing = lambda_runtime.invoke(aws.alb("GET", "/notes/nope")).body
    assert missing["statusCode"] == 404  # FastAPI's own 404, through the ALB format
    assert json.loads(missing["body"]) == {"detail": "no note named 'nope'"}
    index = json.loads(lambda_runtime.invoke(aws.function_url("GET", "/")).body["body"])
    assert index["provider"] == "aws" and index["notes"].endswith("/notes")


def test_lifespan_shuts_down_when_the_runtime_is_terminated() -> None:
    runtime = LambdaRuntime("webapp_lifespan.handler", cwd=TARGETS, function_name="lifespan")
    with runtime:
        first = runtime.invoke(aws.apigw_v2("GET", "/state", stage="v1")).body
        second = runtime.invoke(aws.apigw_v2("GET", "/state", stage="v1")).body
        assert json.loads(first["body"]) == json.loads(second["body"]) == {
            "started": 2, "root": "/v1"}
    # close() sent SIGTERM, as Lambda does before ending an environment with extensions.
    lines = [line for line in runtime.stdout.splitlines() if line.startswith("lifespan")]
    assert lines == ["lifespan startup", "lifespan shutdown"]


@pytest.fixture(scope="module")
def functions_framework(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = stage(PROJECT_ROOT / "examples" / "webapp", "gcp",
                   tmp_path_factory.mktemp("gcp") / "webapp-gcp", wheel=False)
    with ffs.FunctionsFramework(folder / "main.py", "http", signature_type="http",
                                cwd=folder) as ff:
        yield ff


def test_fastapi_on_the_real_functions_framework(functions_framework: Any) -> None:
    ff = functions_framework
    saved = ff.post("/notes/first", json.dumps(NOTE).encode(), JSON)
    assert saved.status == 201
    assert json.loads(saved.body)["url"].endswith("/notes/first")
    status, headers, body = ff.get("/notes/first/download")
    assert status == 200 and body == NOTE["text"].encode("utf-16")
    assert headers["content-type"] == "application/octet-stream"
    assert ff.post("/notes/first", b"not json", JSON).status == 422  # FastAPI's own
    assert json.loads(ff.get("/")[2])["provider"] == "gcp"


@pytest.fixture(scope="module")
def polyfn_serve() -> Iterator[str]:
    port = ffs.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "examples.webapp.handler:handle",
         "--port", str(port)], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                ffs.http_request("GET", url + "/notes", timeout=1)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("polyfn serve did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def test_fastapi_under_polyfn_serve(polyfn_serve: str) -> None:
    saved = ffs.http_request("POST", polyfn_serve + "/notes/local", json.dumps(NOTE), JSON)
    assert saved.status == 201
    assert json.loads(saved.body)["url"] == f"{polyfn_serve}/notes/local"  # plain http
    got = ffs.http_request("GET", polyfn_serve + "/notes/local")
    assert got.json() == {"name": "local", "text": NOTE["text"]}
    assert ffs.http_request("DELETE", polyfn_serve + "/notes/local").status == 405
