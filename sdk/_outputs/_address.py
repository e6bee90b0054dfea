"""Addresses: which driver serves an address string, found without importing it.

An address is configuration (``ORDERS=sqs://orders``), so it names its kind in
the string itself: a scheme (``sqs://``, ``s3://``...), an ARN (its service field
says which), or an ``http(s)://`` URL (a CloudEvents sink, unless its host is a
provider's endpoint listed in :data:`HOSTS`).

The scheme tables map a kind to ``"module:Class"``, imported on first use by the
one address parser, :mod:`sdk._address` (shared with ``sdk.store``): ``sdk`` stays
free of provider code, and each adapter package owns the mapping of the uniform
message onto its provider, the inverse of its decoders. docs/outputs.md has the
table of address forms and field mappings.
"""

from __future__ import annotations

from .. import _address
from .._address import Address, driver_class

__all__ = ["ARN_SERVICES", "BUCKETS", "DESTINATIONS", "HOSTS", "Address", "driver_class",
           "parse"]

#: Destination kind -> its driver. Azure and GCP rows follow the AWS ones.
DESTINATIONS: dict[str, str] = {
    "sqs": "adapters.aws._outputs:SQS",
    "sns": "adapters.aws._outputs:SNS",
    "eventbridge": "adapters.aws._outputs_streams:EventBridge",
    "kinesis": "adapters.aws._outputs_streams:Kinesis",
    "http": "adapters.cloudevents._sink:Sink",
    "https": "adapters.cloudevents._sink:Sink",
    # Azure and GCP destinations (adapters/_outputs/: no trigger decoders imported):
    "azure-queue": "adapters._outputs.azure._queue:StorageQueue",
    "servicebus": "adapters._outputs.azure._servicebus:ServiceBus",
    "eventhubs": "adapters._outputs.azure._eventhubs:EventHubs",
    "eventgrid": "adapters._outputs.azure._eventgrid:EventGrid",
    "pubsub": "adapters._outputs.gcp._pubsub:PubSub",
}

#: Bucket kind -> its driver.
BUCKETS: dict[str, str] = {
    "s3": "adapters.aws._storage:S3",
    # Azure and GCP buckets:
    "azure-blob": "adapters._outputs.azure._blob:BlobContainer",
    "gs": "adapters._outputs.gcp._gcs:GCS",
}

#: ARN service field -> kind (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
ARN_SERVICES: dict[str, str] = {
    "sqs": "sqs", "sns": "sns", "events": "eventbridge", "kinesis": "kinesis", "s3": "s3",
}

#: ``https://`` host suffix -> kind, for provider endpoints written as URLs
#: (an SQS queue URL); every other http(s) URL is a CloudEvents sink.
HOSTS: dict[str, str] = {
    ".amazonaws.com": "sqs",  # only when the host also starts with "sqs." or holds ".queue."
}


def _host_kind(scheme: str, netloc: str) -> str | None:
    if scheme not in ("http", "https"):
        return None
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    for suffix, kind in HOSTS.items():
        if host.endswith(suffix) and (kind != "sqs" or host.startswith("sqs.")
                                      or ".queue." in f".{host}"):
            return kind
    return None


def parse(text: str, table: dict[str, str]) -> Address:
    """The :class:`Address` of ``text``; ``ConfigurationError`` names what was
    expected when no driver in ``table`` serves it."""
    return _address.parse(text, table, arn_services=ARN_SERVICES, host_kind=_host_kind)

