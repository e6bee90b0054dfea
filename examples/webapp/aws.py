"""AWS Lambda entry point: set the function's handler to ``examples.webapp.aws.handler``.

One function serves every route: API Gateway HTTP API sends ``ANY /{proxy+}`` here
(template.yaml); a function URL or an ALB target works the same way.
"""

from __future__ import annotations

from adapters.aws import lambda_handler

from .handler import handle

handler = lambda_handler(handle)
