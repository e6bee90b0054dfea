"""Provider adapters: one sub-package per target (aws, azure, gcp, cloudevents).

Importing ``adapters`` loads nothing; import the provider you run on.
"""

from __future__ import annotations

#: Provider name -> module holding its ``TRIGGERS``, ``detect`` and ``decode``.
PROVIDERS: dict[str, str] = {
    "aws": "adapters.aws",
    "azure": "adapters.azure",
    "gcp": "adapters.gcp",
    "cloudevents": "adapters.cloudevents",
}

__all__ = ["PROVIDERS"]
