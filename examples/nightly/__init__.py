"""Nightly: a scheduled job (``handler.py``) and its per-cloud entry points.

``aws.py`` (Lambda, EventBridge schedule), ``main.py`` (Google Cloud, Cloud Scheduler
over HTTP) and ``function_app.py`` (Azure Functions, timer trigger) are shims of a few
lines; see README.md.
"""
