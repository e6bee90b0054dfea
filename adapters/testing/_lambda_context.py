"""A stand-in for the Lambda runtime's context object, for local invocations."""

from __future__ import annotations

import os
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FakeLambdaContext"]

_ACCOUNT = "000000000000"  # no real account: this never left the machine


def _function_name(name: str) -> str:
    # Lambda function names: letters, digits, hyphens and underscores.
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "polyfn-local"


@dataclass
class FakeLambdaContext:
    """The attributes of awslambdaric's ``LambdaContext`` that handlers read.

    https://docs.aws.amazon.com/lambda/latest/dg/python-context.html
    """

    function_name: str = "polyfn-local"
    timeout_s: float = 3.0  # Lambda's default timeout
    memory_limit_in_mb: str = "128"
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    identity: Any = None
    client_context: Any = None
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self.function_name = _function_name(self.function_name)
        self._deadline = time.monotonic() + self.timeout_s

    @property
    def invoked_function_arn(self) -> str:
        region = os.environ.get("AWS_REGION") or "us-east-1"
        return f"arn:aws:lambda:{region}:{_ACCOUNT}:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"{time.strftime('%Y/%m/%d')}/[{self.function_version}]local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))
