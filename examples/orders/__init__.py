"""Orders: a queue/topic consumer (``handler.py``) and its per-cloud entry points.

``aws.py`` (Lambda, SQS), ``main.py`` (Google Cloud, Pub/Sub) and ``function_app.py``
(Azure Functions, Service Bus) are shims of a few lines; see README.md.
"""
