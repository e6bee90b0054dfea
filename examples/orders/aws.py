"""AWS Lambda entry point: set the function's handler to ``examples.orders.aws.handler``.

The SQS event source mapping in template.yaml has ``ReportBatchItemFailures`` on, so
the default ``partial_failures=True`` returns only the failed messages to the queue.
"""

from __future__ import annotations

from adapters.aws import lambda_handler

from .handler import handle

handler = lambda_handler(handle)
