"""AWS Lambda entry point: set the function's handler to ``examples.nightly.aws.handler``.

The EventBridge rule in template.yaml invokes it asynchronously: a handler exception
makes Lambda retry the run (twice by default).
"""

from __future__ import annotations

from adapters.aws import lambda_handler

from .handler import handle

handler = lambda_handler(handle)
