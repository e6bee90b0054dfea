"""The ``@sdk.idempotent`` stores (``sdk.store`` resolves their schemes, in
``sdk/_idempotency/_stores.py``): ``dynamodb``, ``azure_table``, ``firestore`` and
``redis``, one module each. They live here, not in their provider's package, so a
function that keeps its idempotency records on another cloud loads no trigger
decoders; each module imports its client library only when a store is first used.
"""
