"""A Starlette app whose lifespan prints what it does: the runtime tests read it."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import sdk
from adapters.aws import lambda_handler


@asynccontextmanager
async def lifespan(app: Starlette) -> Any:
    print("lifespan startup", flush=True)
    yield {"started": 1}
    print("lifespan shutdown", flush=True)


async def state(request: Request) -> JSONResponse:
    request.state.started += 1  # a copy per request: stays 2
    return JSONResponse({"started": request.state.started, "root": request.scope["root_path"]})


app = Starlette(routes=[Route("/state", state)], lifespan=lifespan)
handler = lambda_handler(sdk.asgi(app))
