"""The payload factories, one module per provider family; ``sdk.testing.<provider>``
re-exports them publicly with the sample table."""
