"""What an import loads: every cold start pays for it (tests assert modules, not ms)."""

from __future__ import annotations

import pytest

import sdk
from tests.support.imports import loaded_by, top_level

PROVIDER_LIBS = {"azure", "flask", "werkzeug", "functions_framework", "aws_lambda_powertools",
                 "cloudevents", "google"}


def loaded_after(code: str) -> set[str]:
    """Top-level packages loaded by ``code`` in a fresh interpreter."""
    return top_level(loaded_by(code))


def test_import_sdk_loads_no_provider_library_and_no_pydantic() -> None:
    loaded = loaded_after("import sdk")
    assert not loaded & (PROVIDER_LIBS | {"pydantic", "pydantic_core"})


@pytest.mark.parametrize("call", ["", "adapters.aws.lambda_handler(lambda event: None)"])
def test_import_adapters_aws_stays_light(call: str) -> None:
    loaded = loaded_after(f"import adapters.aws\n{call}")
    assert not loaded & (PROVIDER_LIBS | {"pydantic", "pydantic_core"})


def test_aws_http_invocation_of_an_untyped_handler_stays_light() -> None:
    code = (
        "import adapters.aws, sdk\n"
        "h = adapters.aws.lambda_handler(lambda request: {'ok': request.path})\n"
        "ev = {'version': '2.0', 'rawPath': '/x', 'rawQueryString': '', 'headers': {},\n"
        "      'requestContext': {'http': {'method': 'GET'}, 'stage': '$default'}}\n"
        "assert h(ev, None)['statusCode'] == 200\n"
    )
    assert not loaded_after(code) & (PROVIDER_LIBS | {"pydantic", "pydantic_core"})


def test_a_declared_model_loads_pydantic_at_decoration() -> None:
    code = (
        "import sdk\n"
        "from pydantic import BaseModel\n"
        "class M(BaseModel):\n    a: int\n"
        "@sdk.function\n"
        "def h(e: sdk.Message[M]): pass\n"
    )
    loaded = loaded_after(code)
    assert "pydantic" in loaded
    assert not loaded & PROVIDER_LIBS


def test_exported_members() -> None:
    public = {name for name in dir(sdk) if not name.startswith("_")}
    assert set(sdk.__all__) - {"__version__"} <= public
    for name in sdk.__all__:
        assert getattr(sdk, name) is not None
    # Every public class and function defined in the package is exported.
    defined = {name for name in public
               if getattr(getattr(sdk, name), "__module__", "").startswith("sdk")}
    assert defined - set(sdk.__all__) <= {"errors"}


def test_adapters_cloudevents_loads_no_google_table_until_a_google_type_arrives() -> None:
    """cloudevents/ is engine-neutral: Google's types live in adapters.gcp, imported
    on the first ``google.`` event (adapters.cloudevents._types.PROVIDER_TYPES)."""
    neutral = loaded_by("import adapters.cloudevents\n"
                        "adapters.cloudevents.decode({'specversion': '1.0', 'id': '1', "
                        "'source': 's', 'type': 'com.example.thing'})")
    assert not {m for m in neutral if m.startswith("adapters.gcp")}
    google = loaded_by("import adapters.cloudevents\n"
                       "[e] = adapters.cloudevents.decode({'specversion': '1.0', 'id': '1', "
                       "'source': 's', 'type': 'google.cloud.storage.object.v1.finalized', "
                       "'data': {'bucket': 'b', 'name': 'n'}})\n"
                       "assert e.trigger == 'gcp.storage', e.trigger")
    assert "adapters.gcp._events" in google


def test_gcp_trace_lines_off_google_cloud_load_no_http_client() -> None:
    """The metadata lookup (urllib) is for Cloud Run only, on the first traced line;
    logging a request line (redaction included) loads nothing more."""
    code = (
        "import os\n"
        "for name in ('K_SERVICE', 'GOOGLE_CLOUD_PROJECT', 'GCP_PROJECT', 'GCLOUD_PROJECT'):\n"
        "    os.environ.pop(name, None)\n"
        "import adapters.gcp, sdk\n"
        "sdk.Context(provider='gcp', trace_id='t').logger.info('x', headers={'cookie': 'c'})\n"
    )
    loaded = loaded_by(code)
    assert "urllib.request" not in loaded and "http.client" not in loaded


def test_the_web_bridges_load_on_first_use_and_bring_no_framework() -> None:
    assert not {"sdk._asgi", "sdk._wsgi", "sdk._loop"} & loaded_by("import sdk")
    loaded = loaded_by("import sdk\nsdk.asgi\nsdk.wsgi")
    assert {"sdk._asgi", "sdk._wsgi"} <= loaded
    assert not top_level(loaded) & (PROVIDER_LIBS | {"pydantic", "starlette", "fastapi",
                                                      "django", "mangum"})
    assert "asgi" in dir(sdk) and "wsgi" in dir(sdk)


#: A first invocation of each kind: an HTTP request and an SQS batch.
_FIRST_INVOCATIONS = (
    "import adapters.aws, sdk\n"
    "from adapters.testing import aws\n"
    "h = adapters.aws.lambda_handler(lambda event: None)\n"
    "h(aws.apigw_v2('GET', '/x'), None)\n"
    "h(aws.sqs('x'), None)\n"
)


#: The records' paths outside the runner's call site: a ``list[...]`` handler (the
#: runner's and the ASGI CloudEvents app's), and the events of an ASGI batch; an
#: ASGI app through ``sdk.asgi`` (its route is read only while tracing).
_BATCH_PATHS = (
    "import asyncio, json, adapters.aws, sdk\n"
    "from adapters.testing import aws, cloudevents\n"
    "from adapters.cloudevents import asgi_app\n"
    "def whole(messages: list[sdk.Message]) -> None: pass\n"
    "def one(event: sdk.Event) -> None: pass\n"
    "def every(events: list[sdk.Event]) -> None: pass\n"
    "sqs = aws.sqs('x'); sqs['Records'] += aws.sqs('y')['Records']\n"
    "assert adapters.aws.lambda_handler(whole)(sqs, None) == {'batchItemFailures': []}\n"
    "body = json.dumps(cloudevents.structured_batch({'a': 1}, size=2)).encode()\n"
    "for handle in (every, one):\n"
    "    sent = []\n"
    "    async def receive(): return {'type': 'http.request', 'body': body}\n"
    "    async def send(message): sent.append(message)\n"
    "    scope = {'type': 'http', 'method': 'POST', 'path': '/', 'headers': [\n"
    "        (b'content-type', b'application/cloudevents-batch+json')]}\n"
    "    asyncio.run(asgi_app(handle)(scope, receive, send))\n"
    "    assert sent[0]['status'] == 204, sent\n"
    "async def web(scope, receive, send):\n"
    "    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
    "    await send({'type': 'http.response.body', 'body': b'ok'})\n"
    "bridged = adapters.aws.lambda_handler(sdk.asgi(web, lifespan='off'))\n"
    "assert bridged(aws.apigw_v2('GET', '/x'), None)['statusCode'] == 200\n"
)


@pytest.mark.parametrize("code", ["import sdk", "import adapters.aws", _FIRST_INVOCATIONS,
                                  _BATCH_PATHS])
def test_tracing_off_loads_no_opentelemetry(code: str) -> None:
    """Not imported by the user, OpenTelemetry is never imported (the otel extra is
    installed in the dev environment, so this is what it would load), nor polyfn's
    record spans (``sdk._tracing_records``)."""
    loaded = loaded_by(code)
    assert "opentelemetry" not in top_level(loaded)
    assert not {"sdk._tracing_records", "sdk._tracing_web"} & loaded


def test_opentelemetry_without_a_provider_loads_no_more_of_it() -> None:
    """Imported but with no tracer provider configured (the API's proxy): no span,
    and nothing of the SDK or the propagators loads."""
    loaded = loaded_by("import opentelemetry.trace\n" + _FIRST_INVOCATIONS
                       + "import sdk.tracing\nassert not sdk.tracing.enabled()\n")
    assert not {name for name in loaded
                if name.startswith(("opentelemetry.sdk", "opentelemetry.propagators"))}
