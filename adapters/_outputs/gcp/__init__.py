"""Google Cloud outputs: the drivers behind ``sdk.destination("pubsub://...")`` and
``sdk.bucket("gs://...")`` (docs/outputs.md has each field mapping).

Nothing here is imported until the first send or bucket call on such an address,
and the client libraries only then.
"""

from __future__ import annotations
