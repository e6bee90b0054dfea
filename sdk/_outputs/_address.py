"""Addresses: which driver serves an address string, found without importing it.

An address is configuration (``ORDERS=sqs://orders``), so it names its kind in
the string itself: a scheme (``sqs://``, ``s3://``...), an ARN (its service field
says which), or an ``http(s)://`` URL (a CloudEvents sink, unless its host is a
provider's endpoint listed in :data:`HOSTS`).

The scheme tables map a kind to ``"module:Class"``, imported on first use (the
pattern of fsspec's ``known_implementations``): ``sdk`` stays free of provider
code, and each adapter package owns the mapping of the uniform message onto its
provider, the inverse of its decoders. docs/outputs.md has the table of address
forms and field mappings.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigurationError

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


@dataclass(frozen=True)
class Address:
    """A parsed address: ``kind`` (the table key), the ``text`` as configured, and
    its URL parts (``netloc``, ``path``, ``query``; an ARN keeps all in ``text``)."""

    kind: str
    text: str
    netloc: str = ""
    path: str = ""
    query: str = ""

    @property
    def name(self) -> str:
        """``netloc`` + ``path`` without the leading/trailing slashes."""
        return f"{self.netloc}{self.path}".strip("/")

    def __str__(self) -> str:
        return self.text


def _host_kind(netloc: str) -> str | None:
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    for suffix, kind in HOSTS.items():
        if host.endswith(suffix) and (kind != "sqs" or host.startswith("sqs.")
                                      or ".queue." in f".{host}"):
            return kind
    return None


def parse(text: str, table: dict[str, str]) -> Address:
    """The :class:`Address` of ``text``; ``ConfigurationError`` names what was
    expected when no driver in ``table`` serves it."""
    if not isinstance(text, str) or not text.strip():
        raise ConfigurationError("an address must be a non-empty string, e.g. 'sqs://orders'")
    text = text.strip()
    if text.startswith("arn:"):
        parts = text.split(":", 5)
        kind = ARN_SERVICES.get(parts[2]) if len(parts) == 6 else None
        if kind in table:
            return Address(kind, text)
        raise ConfigurationError(f"no driver for ARN service {parts[2] if len(parts) > 2 else ''!r}"
                                 f" (known: {', '.join(sorted(ARN_SERVICES))})")
    url = urlsplit(text)
    kind = url.scheme.lower()
    if kind in ("http", "https"):
        kind = _host_kind(url.netloc) or kind
    if not url.scheme or "://" not in text or kind not in table:
        raise ConfigurationError(
            f"unknown address scheme {url.scheme or text!r}: expected one of "
            f"{', '.join(f'{k}://' for k in sorted(table))} or an ARN")
    return Address(kind, text, url.netloc, url.path, url.query)


_lock = threading.Lock()
_loaded: dict[str, Any] = {}
#: pyproject.toml's provider extras, named in the error for a missing library.
_EXTRAS = ("aws", "azure", "gcp", "cloudevents")


def driver_class(kind: str, table: dict[str, str]) -> Any:
    """The driver class for ``kind``, imported once. A missing provider library
    raises ``ConfigurationError`` naming the extra that installs it."""
    spec = table[kind]
    found = _loaded.get(spec)
    if found is not None:
        return found
    with _lock:
        module, _, name = spec.partition(":")
        try:
            found = getattr(import_module(module), name)
        except ImportError as exc:
            # The provider segment: adapters.aws._outputs, adapters._outputs.gcp._pubsub.
            parts = module.split(".")
            extra = next((p for p in parts if p in _EXTRAS), parts[min(1, len(parts) - 1)])
            raise ConfigurationError(
                f"{kind}:// needs {exc.name or 'a provider library'}: "
                f"pip install 'polyfn[{extra}]'") from exc
        _loaded[spec] = found
    return found
