"""Test apps, one per framework, that answer the same routes the same way:

* ``/echo`` (any path not routed otherwise, any method): JSON of what the app saw
  — method, route path, the URL the framework built, root path, query (every
  value), headers (every value), cookies, body (base64), client, server, scheme,
  and ``url_for`` of the ``/items/{id}`` route;
* ``/items/{item_id}`` (GET only: a POST is the framework's own 405);
* ``/form`` (POST multipart or urlencoded: fields and files with sizes);
* ``/cookies`` (several Set-Cookie), ``/binary`` (PNG bytes), ``/stream``
  (chunked), ``/background`` (a task run after the response), ``/boom`` (raises),
  ``/state`` (the lifespan's state, ASGI apps with lifespan only).

The frameworks are imported when an app is built, so collecting tests stays cheap.
"""

# No ``from __future__ import annotations``: FastAPI reads the endpoints'
# annotations at run time, and their types are imported inside the builders.
import base64
from collections.abc import Iterator
from typing import Any

PNG = bytes(range(256)) * 4  # not UTF-8: must travel as base64
BACKGROUND: list[str] = []
COOKIES = ["session=abc; Path=/; HttpOnly", "theme=dark; Path=/",
           "seen=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/"]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def fastapi_app(echo_all: bool = True) -> Any:
    """``echo_all=False`` leaves the catch-all echo out, so unknown paths are the
    framework's 404 and a wrong method its 405."""
    from contextlib import asynccontextmanager

    from fastapi import BackgroundTasks, FastAPI, Request
    from fastapi.responses import JSONResponse, Response, StreamingResponse
    from starlette.datastructures import UploadFile  # what request.form() gives

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield {"started": "yes", "pool": object()}

    app = FastAPI(lifespan=lifespan)

    @app.get("/items/{item_id}", name="item")
    async def item(item_id: int, request: Request) -> dict[str, Any]:
        return {"item_id": item_id, "url": str(request.url_for("item", item_id=item_id))}

    @app.post("/form")
    async def form(request: Request) -> dict[str, Any]:
        data = await request.form()
        fields: dict[str, list[Any]] = {}
        for name, value in data.multi_items():
            if isinstance(value, str):
                fields.setdefault(name, []).append(value)
            else:
                assert isinstance(value, UploadFile)
                content = await value.read()
                fields.setdefault(name, []).append(
                    {"filename": value.filename, "size": len(content), "sha": _b64(content[:8])})
        return {"fields": fields}

    @app.get("/cookies")
    async def cookies() -> Response:
        response = Response("ok", media_type="text/plain")
        for cookie in COOKIES:
            response.headers.append("set-cookie", cookie)
        return response

    @app.get("/binary")
    async def binary() -> Response:
        return Response(PNG, media_type="image/png")

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def chunks() -> Any:
            for i in range(5):
                yield f"chunk{i};".encode()
        return StreamingResponse(chunks(), media_type="text/plain")

    @app.get("/background")
    async def background(tasks: BackgroundTasks) -> dict[str, str]:
        async def later() -> None:
            import asyncio

            await asyncio.sleep(0.01)
            BACKGROUND.append("done")
        tasks.add_task(later)
        return {"queued": "yes"}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret detail")

    @app.get("/state")
    async def state(request: Request) -> dict[str, Any]:
        return {"started": request.state.started, "pool": id(request.state.pool)}

    async def echo(request: Request) -> JSONResponse:
        body = await request.body()
        return JSONResponse(_asgi_echo(request.scope, body, str(request.url),
                                       str(request.url_for("item", item_id=7))))

    if echo_all:
        app.add_api_route("/{rest:path}", echo, methods=["GET", "POST", "PUT", "PATCH",
                                                         "DELETE", "OPTIONS", "HEAD"])
    return app


def _asgi_echo(scope: dict[str, Any], body: bytes, url: str, item_url: str) -> dict[str, Any]:
    from urllib.parse import parse_qsl

    headers: dict[str, list[str]] = {}
    for name, value in scope["headers"]:
        headers.setdefault(name.decode("latin-1"), []).append(value.decode("latin-1"))
    query: dict[str, list[str]] = {}
    for name, value in parse_qsl(scope["query_string"].decode(), keep_blank_values=True):
        query.setdefault(name, []).append(value)
    root = scope.get("root_path", "")
    path = scope["path"]
    route = path[len(root):] if root and path.startswith(root) else path
    return {"method": scope["method"], "route": route or "/", "root_path": root, "url": url,
            "query": query, "headers": headers, "body": _b64(body),
            "client": scope["client"][0] if scope.get("client") else None,
            "server": list(scope["server"]) if scope.get("server") else None,
            "scheme": scope["scheme"], "item_url": item_url}


def starlette_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def item(request: Request) -> Response:
        item_id = int(request.path_params["item_id"])
        return JSONResponse({"item_id": item_id,
                             "url": str(request.url_for("item", item_id=item_id))})

    async def cookies(request: Request) -> Response:
        response = Response("ok", media_type="text/plain")
        for cookie in COOKIES:
            response.headers.append("set-cookie", cookie)
        return response

    async def binary(request: Request) -> Response:
        return Response(PNG, media_type="image/png")

    async def echo(request: Request) -> Response:
        body = await request.body()
        return JSONResponse(_asgi_echo(request.scope, body, str(request.url),
                                       str(request.url_for("item", item_id=7))))

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
    return Starlette(routes=[
        Route("/items/{item_id:int}", item, name="item", methods=["GET"]),
        Route("/cookies", cookies), Route("/binary", binary),
        Route("/{rest:path}", echo, methods=methods),
    ])


def flask_app(echo_all: bool = True) -> Any:
    from flask import Flask, Response, jsonify, request, stream_with_context, url_for

    app = Flask("polyfn_test_webapp")

    @app.get("/items/<int:item_id>")
    def item(item_id: int) -> Any:
        return jsonify(item_id=item_id, url=url_for("item", item_id=item_id, _external=True))

    @app.post("/form")
    def form() -> Any:
        fields: dict[str, list[Any]] = {}
        for name, value in request.form.items(multi=True):
            fields.setdefault(name, []).append(value)
        for name, upload in request.files.items(multi=True):
            content = upload.read()
            fields.setdefault(name, []).append(
                {"filename": upload.filename, "size": len(content), "sha": _b64(content[:8])})
        return jsonify(fields=fields)

    @app.get("/cookies")
    def cookies() -> Any:
        response = Response("ok", mimetype="text/plain")
        for cookie in COOKIES:
            response.headers.add("Set-Cookie", cookie)
        return response

    @app.get("/binary")
    def binary() -> Any:
        return Response(PNG, mimetype="image/png")

    @app.get("/stream")
    def stream() -> Any:
        def chunks() -> Iterator[bytes]:
            for i in range(5):
                yield f"chunk{i};".encode()
        return Response(stream_with_context(chunks()), mimetype="text/plain")

    @app.get("/boom")
    def boom() -> Any:
        raise RuntimeError("secret detail")

    def echo(rest: str) -> Any:
        env = request.environ
        headers: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        query = {k: request.args.getlist(k) for k in request.args}
        root = env.get("SCRIPT_NAME", "")
        return jsonify(method=request.method, route=request.path, root_path=root,
                       url=request.url, query=query, headers=headers,
                       body=_b64(request.get_data()), client=request.remote_addr,
                       server=[env["SERVER_NAME"], int(env["SERVER_PORT"])],
                       scheme=request.scheme,
                       item_url=url_for("item", item_id=7, _external=True))

    if echo_all:
        methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        app.add_url_rule("/", "echo_root", echo, defaults={"rest": ""}, methods=methods)
        app.add_url_rule("/<path:rest>", "echo", echo, methods=methods)
    return app


def django_app() -> Any:
    """A settings-in-code Django project: the echo, item, cookies and binary routes
    (ASGI)."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__,
                           SECRET_KEY="tests-only", MIDDLEWARE=[], USE_TZ=True,
                           INSTALLED_APPS=[], DATABASES={}, LOGGING_CONFIG=None)
        django.setup()
    from django.core.asgi import get_asgi_application

    return get_asgi_application()


def _django_urls() -> list[Any]:
    from django.http import HttpRequest, HttpResponse, JsonResponse
    from django.urls import path, re_path, reverse

    def item(request: HttpRequest, item_id: int) -> JsonResponse:
        return JsonResponse({"item_id": item_id,
                             "url": request.build_absolute_uri(reverse("item", args=[item_id]))})

    def echo(request: HttpRequest, rest: str = "") -> JsonResponse:
        headers: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            headers.setdefault(name.lower(), [value])
        query = {k: request.GET.getlist(k) for k in request.GET}
        return JsonResponse({
            "method": request.method, "route": request.path_info,
            "root_path": request.META.get("SCRIPT_NAME", ""),
            "url": request.build_absolute_uri(), "query": query, "headers": headers,
            "body": _b64(request.body), "client": request.META.get("REMOTE_ADDR"),
            "server": [request.META.get("SERVER_NAME"), int(request.META["SERVER_PORT"])],
            "scheme": request.scheme,
            "item_url": request.build_absolute_uri(reverse("item", args=[7]))})

    def cookies(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("ok", content_type="text/plain")
        for cookie in COOKIES:  # Django writes its own attribute order: names compared
            name, _, rest = cookie.partition("=")
            response.set_cookie(name, rest.partition(";")[0], path="/")
        return response

    def binary(request: HttpRequest) -> HttpResponse:
        return HttpResponse(PNG, content_type="image/png")

    return [path("items/<int:item_id>", item, name="item"), path("cookies", cookies),
            path("binary", binary), re_path(r"^(?P<rest>.*)$", echo)]


def __getattr__(name: str) -> Any:
    if name == "urlpatterns":  # Django's ROOT_URLCONF, built when Django asks
        return _django_urls()
    raise AttributeError(name)
