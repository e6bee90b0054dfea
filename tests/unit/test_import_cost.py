"""Cold-start guards: modules that ``import sdk`` and a first HTTP invocation must not
load. Each one costs a Lambda cold start milliseconds (``logging`` with ``traceback``,
``threading``, ``string`` and ``weakref`` about 7 ms under ``-X importtime``;
``asyncio`` about 30 ms; ``inspect`` brings ``ast``, ``dis`` and ``tokenize``), and
none of them is needed until a handler does something that needs it: Azure logging,
an async handler, a ``Decimal``, a base64 body. ``tests/unit/test_imports.py`` checks
provider libraries and pydantic; this file checks the standard library.
"""

from __future__ import annotations

import pytest

from tests.support.imports import loaded_by

#: Never loaded by ``import sdk`` / ``import adapters.aws`` and the first invocation
#: of an untyped handler for an HTTP API request with a JSON body.
AVOIDED = frozenset({
    "logging",        # sdk._log: only on Azure, where the worker reads logging records
    "traceback",      # sdk._log formats stacks itself (no source re-parsing)
    "linecache",
    "decimal",        # sdk._jsonform: a Decimal exists only once decimal is imported
    "base64",         # only for binary data and base64 bodies
    "asyncio",        # only for async handlers
    "inspect",        # sdk._function reads plain functions' code objects
    "ast", "dis", "tokenize",
    "dataclasses",    # the non-HTTP AWS triggers load on first use
    "threading",
})

_HTTP_INVOCATION = """
import adapters.aws
from sdk import Response

def handle(request):
    data = request.json()
    return Response({"method": request.method, "path": request.path,
                     "agent": request.headers.get("user-agent"),
                     "page": request.query.get("page"), "name": data["name"]}, status=201)

handler = adapters.aws.lambda_handler(handle)
event = {
    "version": "2.0", "routeKey": "POST /orders", "rawPath": "/orders",
    "rawQueryString": "page=2&sort=desc",
    "headers": {"content-type": "application/json", "user-agent": "curl/8.5.0",
                "x-forwarded-for": "203.0.113.7"},
    "requestContext": {"http": {"method": "POST", "path": "/orders",
                                "sourceIp": "203.0.113.7"},
                       "requestId": "JKJaXmPLvHcESHA=", "stage": "$default",
                       "timeEpoch": 1710324930000},
    "body": '{"name": "Ada", "quantity": 3}', "isBase64Encoded": False,
}
assert handler(event, None)["statusCode"] == 201
"""


def _avoided(loaded: set[str]) -> set[str]:
    return {name for name in loaded if name.split(".")[0] in AVOIDED}


@pytest.mark.parametrize("code", ["import sdk", "import adapters.aws", _HTTP_INVOCATION],
                         ids=["import sdk", "import adapters.aws", "aws http invocation"])
def test_cold_start_loads_none_of_the_avoidable_modules(code: str) -> None:
    assert _avoided(loaded_by(code)) == set()


def test_what_is_avoided_still_works_when_needed() -> None:
    # Each lazily imported module is loaded by the path that needs it.
    code = (
        "import datetime, decimal, sdk\n"
        "from sdk._jsonform import dumps\n"
        "assert dumps({'d': decimal.Decimal('1.5'), 'n': decimal.Decimal('2'),\n"
        "              't': datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc),\n"
        "              'b': b'hi'}) == "
        "'{\"d\":1.5,\"n\":2,\"t\":\"2024-01-02T00:00:00Z\",\"b\":\"aGk=\"}'\n"
        "sdk.Logger('azure', 'r-1').info('hello')\n"
    )
    loaded = loaded_by(code)
    assert {"base64", "logging"} <= {name.split(".")[0] for name in loaded}


def test_a_failure_line_loads_no_traceback() -> None:
    code = (
        "import io, sys, sdk\n"
        "out, sys.stdout = sys.stdout, io.StringIO()\n"
        "try:\n"
        "    raise ValueError('boom')\n"
        "except ValueError as exc:\n"
        "    sdk.Logger('aws', 'r-1').exception('handler failed', exc)\n"
        "line, sys.stdout = sys.stdout.getvalue(), out\n"
        "assert 'ValueError: boom' in line\n"
    )
    assert not {"traceback", "linecache"} & {name.split(".")[0] for name in loaded_by(code)}


def test_the_wsgi_bridge_costs_no_asyncio_or_threading() -> None:
    # A Flask app on Lambda needs no event loop: sdk.wsgi must not bring one.
    code = ("import sdk\n"
            "h = sdk.wsgi(lambda env, start: [start('200 OK', []) and b''])\n")
    assert not {"asyncio", "threading", "sdk._asgi"} & loaded_by(code)


#: What polyfn's own part of a first send (address, message encoding) and of a
#: store must not bring. The driver's client library is not counted: a call written
#: by hand with boto3 loads it too (boto3 itself loads dataclasses and threading).
OUTPUT_AVOIDED = frozenset({"asyncio", "dataclasses", "inspect", "ast", "dis", "tokenize",
                            "threading", "concurrent"})


@pytest.mark.parametrize("code", [
    "import sdk\nsdk.destination('sqs://q')\nsdk.bucket('s3://b')\n"
    "from sdk._outputs._message import outgoing\noutgoing({'a': 1}, attributes={'t': 'a'})\n",
    "import sdk._outputs\nsdk._outputs.destination('pubsub://p/t')\n",
], ids=["sqs destination, message encoded", "import sdk._outputs"])
def test_a_first_send_loads_no_dataclasses_asyncio_or_threading(code: str) -> None:
    # Issue 13: the first send costs <= 5 ms more than the provider SDK by hand, so
    # the neutral core imports only what every path needs (asyncio for send_async).
    loaded = loaded_by(code)
    assert {name.split(".")[0] for name in loaded} & OUTPUT_AVOIDED == set()
    assert "sdk._address" in loaded  # the one address parser


def test_a_store_loads_the_one_address_parser_not_the_outputs() -> None:
    # The idempotency cache keeps a lock (threading); the rest holds for stores too.
    loaded = loaded_by("import sdk\nsdk.store('memory://')\n")
    assert "sdk._address" in loaded
    assert not {name for name in loaded if name.startswith("sdk._outputs")}
    assert {name.split(".")[0] for name in loaded} & OUTPUT_AVOIDED == {"threading"}


#: A first delivery of each routed family (``adapters/aws/_routes.py``) loads its
#: own trigger module and none of the others, nor what only they need.
_FIRST_RECORDS = {
    "aws.sqs": ("{'Records': [{'eventSource': 'aws:sqs', 'messageId': 'm', 'body': '{}',"
                " 'attributes': {'SentTimestamp': '1'}, 'messageAttributes': {}}]}", "_sqs"),
    "aws.s3": ("{'Records': [{'eventSource': 'aws:s3', 'eventName': 'ObjectCreated:Put',"
               " 's3': {'bucket': {'name': 'b'}, 'object': {'key': 'k.json', 'size': 1}}}]}",
               "_s3"),
    "aws.dynamodb.stream": (
        "{'Records': [{'eventSource': 'aws:dynamodb', 'eventName': 'INSERT', 'dynamodb':"
        " {'Keys': {'k': {'S': 'a'}}, 'NewImage': {'k': {'S': 'a'}, 'n': {'N': '1'}},"
        " 'SequenceNumber': '1'}}]}", "_dynamodb"),
    "aws.eventbridge": ("{'detail-type': 'x', 'source': 'y', 'id': '1', 'detail': {}}",
                        "_events"),
}
_TRIGGER_MODULES = {"_sqs", "_sns", "_s3", "_kinesis", "_dynamodb", "_events", "_kafka", "_mq",
                    "_logs", "_firehose", "_integrations", "_spec"}
RECORDS_AVOIDED = AVOIDED | {"zlib", "gzip", "urllib", "ipaddress"}


@pytest.mark.parametrize("trigger", sorted(_FIRST_RECORDS))
def test_a_first_delivery_loads_only_its_trigger_module(trigger: str) -> None:
    event, module = _FIRST_RECORDS[trigger]
    loaded = loaded_by("import adapters.aws\n"
                       f"assert adapters.aws.detect({event}).name == {trigger!r}\n"
                       f"adapters.aws.lambda_handler(lambda event: None)({event}, None)\n")
    aws_modules = {name.rpartition(".")[2] for name in loaded
                   if name.startswith("adapters.aws.")}
    assert aws_modules & _TRIGGER_MODULES == {module}
    assert {name for name in loaded if name.split(".")[0] in RECORDS_AVOIDED} == set()
