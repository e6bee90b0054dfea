"""Outputs without a server: addresses, encoding, refusals before sending, imports."""

from __future__ import annotations

import pytest

import sdk
from sdk._outputs._address import BUCKETS, DESTINATIONS, parse
from sdk._outputs._message import outgoing
from tests.support.imports import loaded_by, top_level


@pytest.mark.parametrize(("address", "kind", "name"), [
    ("sqs://orders", "sqs", "orders"),
    ("sqs://orders.fifo", "sqs", "orders.fifo"),
    ("https://sqs.eu-west-1.amazonaws.com/123456789012/orders", "sqs", None),
    ("https://eu-west-1.queue.amazonaws.com/123456789012/orders", "sqs", None),
    ("arn:aws:sqs:eu-west-1:123456789012:orders", "sqs", None),
    ("arn:aws:sns:eu-west-1:123456789012:events", "sns", None),
    ("eventbridge://default", "eventbridge", "default"),
    ("arn:aws:events:eu-west-1:123456789012:event-bus/shop", "eventbridge", None),
    ("kinesis://clicks", "kinesis", "clicks"),
    ("arn:aws:kinesis:eu-west-1:123456789012:stream/clicks", "kinesis", None),
    ("http://broker-ingress.knative-eventing.svc.cluster.local/ns/default", "http", None),
    ("https://example.com/events", "https", None),
])
def test_destination_addresses(address: str, kind: str, name: str | None) -> None:
    parsed = parse(address, DESTINATIONS)
    assert parsed.kind == kind and str(parsed) == address
    if name is not None:
        assert parsed.name == name


@pytest.mark.parametrize("address", ["orders", "", "ftp://x", "arn:aws:lambda:r:1:function:f",
                                     "s3://bucket"])
def test_unknown_destination_addresses_say_what_is_expected(address: str) -> None:
    with pytest.raises(sdk.ConfigurationError, match=r"sqs://|ARN|non-empty"):
        sdk.destination(address)


def test_bucket_addresses() -> None:
    assert parse("s3://uploads", BUCKETS).name == "uploads"
    assert parse("arn:aws:s3:::uploads", BUCKETS).kind == "s3"
    with pytest.raises(sdk.ConfigurationError):
        sdk.bucket("sqs://orders")


@pytest.mark.parametrize(("data", "body", "content_type", "binary"), [
    ({"a": "ü"}, '{"a":"ü"}'.encode(), "application/json", False),
    ([1, 2], b"[1,2]", "application/json", False),
    (7, b"7", "application/json", False),
    ("hi", b"hi", "text/plain; charset=utf-8", False),
    (b"\x00", b"\x00", "application/octet-stream", True),
    (bytearray(b"\x01"), b"\x01", "application/octet-stream", True),
])
def test_encoding(data: object, body: bytes, content_type: str, binary: bool) -> None:
    message = outgoing(data)
    assert (message.body, message.content_type, message.binary) == (body, content_type, binary)
    assert outgoing(data, content_type="x/y").content_type == "x/y"


def test_a_pydantic_model_is_sent_as_json() -> None:
    from pydantic import BaseModel

    class Order(BaseModel):
        id: str

    assert outgoing(Order(id="7")).body == b'{"id":"7"}'


def test_bad_fields_are_refused_naming_the_field_not_the_value() -> None:
    with pytest.raises(sdk.PublishError) as info:
        sdk.destination("sqs://q").send({"secret": "v"}, attributes={"n": 1})  # type: ignore[dict-item]
    assert info.value.code == "polyfn.InvalidData" and "attributes.n" in str(info.value)
    assert "secret" not in str(info.value)
    with pytest.raises(sdk.PublishError, match=r"polyfn\.InvalidData"):
        sdk.destination("sqs://q").send(object())


def test_errors_are_exported_and_shaped() -> None:
    assert issubclass(sdk.PublishError, sdk.PolyfnError)
    assert issubclass(sdk.NotFound, sdk.StorageError) and issubclass(sdk.NotFound, LookupError)
    error = sdk.PublishError("sqs://q", "aws.sqs", "AccessDenied", "no")
    assert str(error) == "aws.sqs sqs://q: AccessDenied: no"


def test_a_storage_event_from_elsewhere_says_it_cannot_be_read() -> None:
    event = sdk.StorageEvent(bucket=None, key="k", operation="created", provider="local",
                             trigger="local.storage")
    with pytest.raises(sdk.ConfigurationError, match="names no bucket"):
        event.read()


def test_destination_and_bucket_load_no_provider_library_until_used() -> None:
    loaded = top_level(loaded_by(
        "import sdk\nd = sdk.destination('sqs://q')\nb = sdk.bucket('s3://b')\n"
        "d2 = sdk.destination('https://example.com/')\n"))
    assert not loaded & {"boto3", "botocore", "urllib3", "cloudevents", "azure", "google",
                          "asyncio"}


def test_a_missing_provider_library_names_the_extra() -> None:
    code = ("import sys\nsys.modules['boto3'] = None\nimport sdk\n"
            "try:\n    sdk.destination('sqs://q').send({'a': 1})\n"
            "except sdk.ConfigurationError as e:\n    print('ERR', e)\n")
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.startswith("ERR") and "pip install 'polyfn[aws]'" in out


def test_import_adapters_aws_loads_no_boto3() -> None:
    loaded = top_level(loaded_by("import adapters.aws\nimport adapters.cloudevents\n"))
    assert not loaded & {"boto3", "botocore", "urllib3"}


@pytest.mark.parametrize(("address", "data", "limit"), [
    ("kinesis://clicks", b"x" * (1024 * 1024), 1024 * 1024),
    ("sqs://orders", "x" * (1024 * 1024 + 1), 1024 * 1024),
    ("arn:aws:sns:us-east-1:123456789012:t", "x" * (256 * 1024 + 1), 256 * 1024),
])
def test_size_limits_are_checked_before_sending(address: str, data: object, limit: int) -> None:
    # No endpoint is configured: reaching the network would fail differently.
    pattern = rf"polyfn\.TooLarge: \d+ bytes > the limit of {limit}"
    with pytest.raises(sdk.PublishError, match=pattern):
        sdk.destination(address).send(data)


def test_send_many_of_nothing_sends_nothing() -> None:
    result = sdk.destination("sqs://orders").send_many([])
    assert result.ok and len(result) == 0 and result.ids == []


def test_the_same_address_gives_the_same_destination_and_bucket() -> None:
    assert sdk.destination("sqs://same") is sdk.destination("sqs://same")
    assert sdk.bucket("s3://same") is sdk.bucket("s3://same")
    assert sdk.destination("sqs://same") is not sdk.destination("sqs://other")


def test_a_bucket_write_of_data_that_cannot_be_encoded_is_a_storage_error() -> None:
    with pytest.raises(sdk.StorageError, match=r"polyfn\.InvalidData"):
        sdk.bucket("s3://b").write("k", object())
