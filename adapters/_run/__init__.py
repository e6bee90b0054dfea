"""``polyfn run``: a handler fed by a real queue or subscription, as its platform
feeds it (docs/local.md).

One module per event source, each standing in for its platform's poller:

==============  ===================================================================
address kind    source
==============  ===================================================================
``sqs``         :mod:`.sqs`: Lambda's SQS event source mapping
``pubsub``      :mod:`.pubsub`: an Eventarc Pub/Sub trigger (pull subscription)
``azure-queue`` :mod:`.azure_queue`: the Functions host's queue trigger
==============  ===================================================================

Addresses are the outputs' (``sdk.destination``: docs/outputs.md), so the
parsing, connection settings and the drivers' clients are shared; a source module
(and its provider library) is imported only when an address names it.
"""

from __future__ import annotations

from importlib import import_module

from sdk.errors import ConfigurationError

from ._source import Options, Source, SourceError, destination

__all__ = ["SOURCES", "Options", "Source", "SourceError", "open_source"]

#: Address kind -> ``"module:Class"`` of its source.
SOURCES: dict[str, str] = {
    "sqs": "adapters._run.sqs:SQSSource",
    "pubsub": "adapters._run.pubsub:PubSubSource",
    "azure-queue": "adapters._run.azure_queue:StorageQueueSource",
}


def open_source(address: str, options: Options) -> Source:
    """The source for ``address`` (not yet connected): :class:`SourceError` for an
    address no source reads or a provider library that is not installed."""
    try:
        kind = destination(address).parsed.kind
        spec = SOURCES.get(kind)
        if spec is None:
            raise SourceError(f"polyfn run cannot read {kind} addresses; it reads "
                              f"{', '.join(f'{k}://' for k in SOURCES)}")
        module, _, name = spec.partition(":")
        cls = getattr(import_module(module), name)
        source: Source = cls(address, options)
    except ConfigurationError as exc:
        raise SourceError(str(exc)) from None
    except ImportError as exc:
        extra = {"sqs": "aws", "pubsub": "gcp"}.get(kind, "azure")
        raise SourceError(f"{address}: needs {exc.name or 'a provider library'}: "
                          f"pip install 'polyfn[{extra}]'") from None
    return source
