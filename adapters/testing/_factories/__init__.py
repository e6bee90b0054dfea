"""The payload factories, one module per provider family; ``adapters.testing.<provider>``
re-exports them publicly with the sample table."""
