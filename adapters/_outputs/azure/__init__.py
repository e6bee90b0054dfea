"""Azure outputs: the drivers behind ``sdk.destination`` / ``sdk.bucket`` addresses
``azure-queue://``, ``servicebus://``, ``eventhubs://``, ``eventgrid://`` and
``azure-blob://`` (docs/outputs.md has each field mapping).

Nothing here is imported until the first send or bucket call on such an address
(the scheme tables in ``sdk._outputs._address`` name these classes as strings),
and each module imports its client library only when it builds its first client.
"""

from __future__ import annotations
