"""Uploads: a storage-event handler (``handler.py``) and its per-cloud entry points.

``aws.py`` (Lambda, S3 notifications), ``main.py`` (Google Cloud, Cloud Storage via
Eventarc) and ``function_app.py`` (Azure Functions, blob events via Event Grid) are
shims of a few lines; see README.md.
"""
