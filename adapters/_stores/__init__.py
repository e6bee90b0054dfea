"""Stores that belong to no cloud (Redis), used by provider-neutral features such as
``@sdk.idempotent``. Cloud-specific stores live in their provider's package
(``adapters.aws._idempotency`` ...). Each module imports its client library only
when a store is first used.
"""
