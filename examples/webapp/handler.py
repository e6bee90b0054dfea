"""A FastAPI app, served on every cloud through ``sdk.asgi``.

The app is plain FastAPI: run it under uvicorn locally if you like. ``handle`` is
the polyfn HTTP handler each cloud's entry point wraps (``aws.py``,
``function_app.py``, ``main.py``). Its routes are the same everywhere; behind an
API Gateway stage or the Azure ``/api`` prefix, ``url_for`` still builds the URL
the client used (``root_path``).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request, Response
from pydantic import BaseModel

import sdk

# No ``from __future__ import annotations``: FastAPI reads these at run time.


class Note(BaseModel):
    text: str


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
    # Runs once per process, on its first request (docs/webapps.md): a real app
    # opens its database pool here and closes it after the yield.
    yield {"notes": {}}


app = FastAPI(title="polyfn webapp", lifespan=lifespan)


@app.get("/")
async def index(request: Request) -> dict[str, Any]:
    return {"notes": str(request.url_for("list_notes")),
            "provider": request.scope["polyfn.context"].provider}


@app.get("/notes", name="list_notes")
async def list_notes(request: Request) -> dict[str, Any]:
    return {"notes": request.state.notes}


@app.post("/notes/{name}", status_code=201)
async def save_note(name: str, note: Note, request: Request, response: Response
                    ) -> dict[str, Any]:
    request.state.notes[name] = note.text
    response.set_cookie("last_note", name, httponly=True)
    response.set_cookie("notes_saved", str(len(request.state.notes)))
    return {"name": name, "url": str(request.url_for("get_note", name=name))}


@app.get("/notes/{name}", name="get_note")
async def get_note(name: str, request: Request) -> dict[str, str]:
    if name not in request.state.notes:
        raise HTTPException(404, f"no note named {name!r}")
    return {"name": name, "text": request.state.notes[name]}


@app.get("/notes/{name}/download")
async def download(name: str, request: Request) -> Response:
    text = request.state.notes.get(name)
    if text is None:
        raise HTTPException(404, f"no note named {name!r}")
    return Response(text.encode("utf-16"), media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}.txt"'})


handle = sdk.asgi(app)
