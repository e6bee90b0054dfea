"""AWS Lambda entry point: set the function's handler to ``examples.quickstart.aws.handler``."""

from __future__ import annotations

from adapters.aws import lambda_handler

from .handler import handle

handler = lambda_handler(handle)
