"""AWS Lambda entry point: set the function's handler to ``examples.uploads.aws.handler``.

S3 invokes the function asynchronously: a handler exception makes Lambda retry the
event twice, then send it to the on-failure destination (template.yaml).
"""

from __future__ import annotations

from adapters.aws import lambda_handler

from .handler import handle

handler = lambda_handler(handle)
