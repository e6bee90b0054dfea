"""AWS HTTP triggers: API Gateway REST (1.0) and HTTP API (2.0), function URLs,
ALB and VPC Lattice.

Request fields: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
(payload 1.0 and 2.0), https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
(ALB), https://docs.aws.amazon.com/vpc-lattice/latest/ug/lambda-functions.html (Lattice).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from adapters._http import (
    HTTPTrigger,
    QueryPairs,
    b64_body,
    encode_body,
    form_decoded,
    forwarded_client,
    parse_query,
)
from sdk import Context, Event, Function, Headers, HTTPRequest, Query
from sdk.adapter import UNSET, Rendered, field_group, parse_cookie_header
from sdk.errors import EventDecodeError, ResponseEncodeError

from ._native import PayloadView, epoch_ms, powertools

__all__ = ["ALB", "APIGatewayV1", "APIGatewayV2", "FunctionURL", "VPCLattice"]

_HTTP_SEMANTICS = (
    "Returns the handler's Response (or plain value) as the integration response; "
    "bad input answers 400/422 problem+json, a handler error 500 problem+json."
)


def _body(raw: dict[str, Any], b64_key: str = "isBase64Encoded") -> Any:
    body = raw.get("body")
    if body is None or body == "":
        return None
    if not isinstance(body, str):
        raise EventDecodeError("aws.http", "body must be a string", keys=["body"])
    return b64_body(body) if raw.get(b64_key) else body


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _stage(stage: Any) -> dict[str, Any]:
    return {"stage": stage} if stage else {}


def _v1_root(rc: dict[str, Any], path: str) -> str:
    """REST API ``path`` is the resource path; ``requestContext.path`` the one the
    client asked for (``/prod/hello`` on the execute-api domain): what precedes."""
    full = rc.get("path")
    if isinstance(full, str) and full != path and full.endswith(path):
        return full[: len(full) - len(path)].rstrip("/") if path != "/" else full.rstrip("/")
    return ""


class _HTTPTrigger(HTTPTrigger):
    semantics = _HTTP_SEMANTICS
    native_class: ClassVar[str]


class _ViewTrigger(_HTTPTrigger):
    """A trigger whose request is a view over its payload (``view``)."""

    #: The view class, called with (payload, trigger name, native class); set
    #: where the view is defined.
    view: ClassVar[type[_View]]

    def request(self, raw: dict[str, Any]) -> HTTPRequest[Any]:
        return self.view(raw, self.name, self.native_class)

    def event_for(self, fn: Function[Any], raw: Any, context: Context) -> Event[Any]:
        return self.view(raw, self.name, self.native_class)  # ``request``, one call less


def _with_body(out: dict[str, Any], result: Rendered) -> dict[str, Any]:
    """``out`` (status and headers) with the body: text as it is, else base64."""
    text = result.text()  # encode_body's common case, without the call
    body, is_b64 = (text, False) if text is not None else encode_body(result)
    out["body"] = body
    out["isBase64Encoded"] = is_b64
    return out


class APIGatewayV1(_ViewTrigger):
    """API Gateway REST API, Lambda proxy integration (payload format 1.0)."""

    name = "aws.apigw.v1"
    native_class = "APIGatewayProxyEvent"

    def matches(self, raw: Any) -> bool:
        # Bedrock agent events also carry httpMethod, but neither requestContext
        # nor resource; authorizer requests carry methodArn.
        return (isinstance(raw, dict) and "httpMethod" in raw and "requestContext" in raw
                and "methodArn" not in raw and "elb" not in _dict(raw.get("requestContext")))

    def encode(self, result: Rendered, raw: Any) -> dict[str, Any]:
        # REST APIs accept both maps; repeated names and cookies must go in the multi one.
        single: dict[str, str] = {}
        multi: dict[str, list[str]] = {}
        for name, values in result.multi_headers().items():
            if len(values) == 1:
                single[name] = values[0]
            else:
                multi[name] = values
        if result.cookies:
            multi["Set-Cookie"] = list(result.cookies)
        out: dict[str, Any] = {"statusCode": result.status, "headers": single}
        if multi:
            out["multiValueHeaders"] = multi
        return _with_body(out, result)


class APIGatewayV2(_ViewTrigger):
    """API Gateway HTTP API, payload format 2.0."""

    name = "aws.apigw.v2"
    native_class = "APIGatewayProxyEventV2"

    #: Payload 2.0 on a ``*.lambda-url.*`` domain: a function URL, not an HTTP API.
    function_url: ClassVar[bool] = False

    def matches(self, raw: Any) -> bool:
        if not (isinstance(raw, dict) and raw.get("version") == "2.0" and "rawPath" in raw
                and "routeArn" not in raw):
            return False
        rc = raw.get("requestContext")
        domain = rc.get("domainName") if isinstance(rc, dict) else None
        return (isinstance(domain, str) and ".lambda-url." in domain) is self.function_url

    def encode(self, result: Rendered, raw: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"statusCode": result.status, "headers": result.single_headers()}
        if result.cookies:
            out["cookies"] = list(result.cookies)
        return _with_body(out, result)


class FunctionURL(APIGatewayV2):
    """Lambda function URLs (payload 2.0 on a ``*.lambda-url.*`` domain)."""

    name = "aws.function.url"
    native_class = "LambdaFunctionUrlEvent"
    function_url = True


_seldom = field_group(lambda view: view._seldom_fields(), "_less_read")


class _View(HTTPRequest[Any], PayloadView):
    """What the AWS HTTP views over their payload share: the fields built on first
    read (headers, query, client address, cookies, the seldom-read ones, ``time``,
    ``native``), set here as unread; each view's ``__init__`` sets the cheap ones
    (method, path, root path, body, subject) first."""

    __slots__ = ("_less_read", "_native_class")

    id = _seldom(0)
    source = _seldom(1)
    type = _seldom(2)
    attributes = _seldom(3)
    path_params = _seldom(4)

    def __init__(self, raw: dict[str, Any], trigger: str, native_class: str) -> None:
        self._headers = UNSET
        self._query = UNSET
        self._source_ip = UNSET
        self._cookies = UNSET
        self._content_type = UNSET
        self._less_read = UNSET  # id, source, type, attributes, path params
        self.provider = "aws"
        self.trigger = trigger
        self._time = UNSET
        self._data = UNSET
        self._payload = UNSET  # the body
        self.raw = raw
        self._native = UNSET
        self._native_class = native_class

    def _seldom_fields(self) -> list[Any]:
        """The fields that handlers seldom read, from the payload: id, source, type,
        attributes, path params."""
        raise NotImplementedError


class V2Request(_View):
    """An HTTP API 2.0 (or function URL) request read from its payload.

    The cheap fields are set here and every shape is checked (a malformed request
    is a 400 at decode, not an error inside the handler); headers, query, cookies,
    ``time`` and ``native`` are built from the payload on first read: a handler
    pays only for what it reads, as with powertools' data classes.
    """

    __slots__ = ()

    def __init__(self, raw: dict[str, Any], trigger: str, native_class: str) -> None:
        rc = raw.get("requestContext")
        if rc is None:
            rc = {}
        http = rc.get("http")
        if http is None:
            http = {}
        headers = raw.get("headers")
        query = raw.get("rawQueryString")
        if not (headers is None or headers.__class__ is dict) or not (
                query is None or query.__class__ is str):
            raise TypeError("headers or rawQueryString")  # the cookies and the query map
            # are checked when read: a 400 all the same (EventDecodeError in the handler)
        stage = rc.get("stage")
        path = raw.get("rawPath") or http.get("path") or "/"
        # A named stage prefixes rawPath; $default has none (as powertools strips it).
        root = ""
        if stage and stage != "$default" and path.startswith(f"/{stage}"):
            path = path[len(stage) + 1:] or "/"
            root = f"/{stage}"
        self._root_path = root
        self.method = (http.get("method") or "GET").upper()
        self.path = path
        body = raw.get("body")
        if body is None or body == "":
            self._body = None
        elif body.__class__ is str:
            self._body = b64_body(body) if raw.get("isBase64Encoded") else body
        else:
            self._body = _body(raw)  # raises: a body must be a string
        self.subject = path
        _View.__init__(self, raw, trigger, native_class)

    def _seldom_fields(self) -> list[Any]:
        # from the payload whose shapes ``__init__`` checked
        raw = self.raw
        rc = raw.get("requestContext") or {}
        return [rc.get("requestId"), rc.get("domainName") or rc.get("apiId"),
                raw.get("routeKey"), _stage(rc.get("stage")), raw.get("pathParameters") or {}]

    def _read_headers(self) -> Headers:
        # HTTP API joins repeated headers with commas; kept as sent, never split.
        return Headers(self.raw.get("headers"))

    def _read_query(self) -> Query:
        """rawQueryString keeps repeated names apart; the map joins them with commas
        and decodes escapes, so it is used only when it cannot differ from the
        string: nothing escaped and as many names as pairs. Hand-written test
        events often carry only the map, so it is also the fallback."""
        raw = self.raw
        text = raw.get("rawQueryString")
        single = raw.get("queryStringParameters")
        if not (single is None or single.__class__ is dict):
            raise EventDecodeError(self.trigger, "queryStringParameters must be an object",
                                   keys=["queryStringParameters"])
        if text and not (single and "%" not in text and "+" not in text
                         and len(single) == text.count("&") + 1):
            return Query(pairs=QueryPairs(text))
        return Query(single)

    def _read_source_ip(self) -> str | None:
        http = (self.raw.get("requestContext") or {}).get("http") or {}
        return http.get("sourceIp")

    def _read_cookies(self) -> Mapping[str, str]:
        sent = self.raw.get("cookies")
        if not (sent is None or sent.__class__ is list):
            raise EventDecodeError(self.trigger, "cookies must be a list", keys=["cookies"])
        return parse_cookie_header(sent) if sent else super()._read_cookies()

    def _sent_scope(self) -> tuple[dict[str, Any], str, str | None] | None:
        # The web bridges' fields straight from the payload (unless the headers were
        # read, and maybe set, already): the header map, the query as sent, the address.
        raw = self.raw
        headers = raw.get("headers")
        if self._headers is not UNSET or not headers or headers.__class__ is not dict:
            return None
        query = raw.get("rawQueryString")  # ``query_string``, inlined
        if not (query and query.__class__ is str):
            if raw.get("queryStringParameters"):
                return None
            query = ""
        address = self._source_ip
        if address is UNSET:  # ``source_ip`` unread: ``_read_source_ip``, inlined
            address = ((raw.get("requestContext") or {}).get("http") or {}).get("sourceIp")
        return headers, query, address

    def query_string(self) -> str | None:
        # rawQueryString unless a hand-written test event carries only the map.
        text = self.raw.get("rawQueryString")
        if text and text.__class__ is str:
            return text
        return None if self.raw.get("queryStringParameters") else ""

    def _read_cookie_header(self) -> list[str]:
        # Payload 2.0 moves the Cookie header's pairs to ``cookies``, as sent.
        sent = self.raw.get("cookies")
        if sent and sent.__class__ is list:
            return ["; ".join(str(c) for c in sent)]
        return []

    def _epoch_ms(self) -> Any:
        return (self.raw.get("requestContext") or {}).get("timeEpoch")

APIGatewayV2.view = V2Request


class _ProxyRequest(_View):
    """What the REST API (1.0) and ALB views share: the cheap fields and the body
    set at once, the headers (both maps: repeated names are in the multi-value
    one) built on first read."""

    __slots__ = ()

    def __init__(self, raw: dict[str, Any], trigger: str, native_class: str) -> None:
        self.method = raw["httpMethod"].upper()
        self.path = raw.get("path") or "/"
        self._root_path = UNSET
        self._body = _body(raw)
        self.subject = raw.get("path")
        _View.__init__(self, raw, trigger, native_class)

    def _read_headers(self) -> Headers:
        raw = self.raw
        return Headers(raw.get("headers"), raw.get("multiValueHeaders"))


class V1Request(_ProxyRequest):
    """An API Gateway REST API (payload 1.0) request read from its payload."""

    __slots__ = ()

    def _seldom_fields(self) -> list[Any]:
        raw = self.raw
        rc = _dict(raw.get("requestContext"))
        return [rc.get("requestId"), rc.get("domainName") or rc.get("apiId"),
                raw.get("resource"), _stage(rc.get("stage")), raw.get("pathParameters") or {}]

    def _read_query(self) -> Query:
        raw = self.raw
        return Query(raw.get("queryStringParameters"),
                     raw.get("multiValueQueryStringParameters"))

    def _read_source_ip(self) -> str | None:
        rc = _dict(self.raw.get("requestContext"))
        return _dict(rc.get("identity")).get("sourceIp")

    def _read_root_path(self) -> str:
        return _v1_root(_dict(self.raw.get("requestContext")), self.path)

    def _epoch_ms(self) -> Any:
        return _dict(self.raw.get("requestContext")).get("requestTimeEpoch")


APIGatewayV1.view = V1Request


class ALBRequest(_ProxyRequest):
    """An ALB target request read from its payload. The query maps are decoded at
    once (ALB passes them undecoded): a malformed one is a 400 before the handler."""

    __slots__ = ()

    def __init__(self, raw: dict[str, Any], trigger: str, native_class: str) -> None:
        super().__init__(raw, trigger, native_class)
        qs_multi = raw.get("multiValueQueryStringParameters") or {}
        if not (isinstance(qs_multi, dict) and all(isinstance(vs, list)
                                                   for vs in qs_multi.values())):
            # Never iterated otherwise: a string would be a value per character.
            raise EventDecodeError(trigger, "multiValueQueryStringParameters must map "
                                   "names to lists", keys=["multiValueQueryStringParameters"])
        if qs_multi:
            pairs = [(form_decoded(k), form_decoded(v)) for k, vs in qs_multi.items() for v in vs]
        else:
            pairs = [(form_decoded(k), form_decoded(v))
                     for k, v in (raw.get("queryStringParameters") or {}).items()]
        self._query = Query(pairs=pairs)
        self._query._owner = trigger

    def _seldom_fields(self) -> list[Any]:
        return [None, _dict(self.raw["requestContext"]["elb"]).get("targetGroupArn"), None,
                {}, {}]

    def _read_source_ip(self) -> str | None:
        # No measured field: the right-most entry is the one the ALB appended
        # (its default ``append`` mode; https://docs.aws.amazon.com/elasticloadbalancing/latest/application/x-forwarded-headers.html).
        return forwarded_client(self.headers.get_all("x-forwarded-for"))

    def _epoch_ms(self) -> Any:
        return None


class ALB(_ViewTrigger):
    """Application Load Balancer target (single- or multi-value headers mode)."""

    name = "aws.alb"
    native_class = "ALBEvent"
    view = ALBRequest

    def matches(self, raw: Any) -> bool:
        return (isinstance(raw, dict) and "httpMethod" in raw
                and "elb" in _dict(raw.get("requestContext")))

    def encode(self, result: Rendered, raw: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "statusCode": result.status,
            "statusDescription": f"{result.status} {_reason(result.status)}",
        }
        if isinstance(raw, dict) and "multiValueHeaders" in raw:
            # The response must use the mode the request came in.
            multi = result.multi_headers()
            if result.cookies:
                multi["Set-Cookie"] = list(result.cookies)
            out["multiValueHeaders"] = multi
        else:
            out["headers"] = _single_valued(result, self.name, "enable multi-value headers on "
                                            "the target group (lambda.multi_value_headers.enabled)")
        return _with_body(out, result)


class VPCLattice(_HTTPTrigger):
    """VPC Lattice target, event format 1 (snake_case) and 2.0."""

    name = "aws.vpc.lattice"
    native_class = "VPCLatticeEventV2"

    def matches(self, raw: Any) -> bool:
        return isinstance(raw, dict) and "method" in raw and (
            "raw_path" in raw or (raw.get("version") == "2.0" and "path" in raw))

    def request(self, raw: dict[str, Any]) -> HTTPRequest[Any]:
        v1 = "raw_path" in raw
        rc = _dict(raw.get("requestContext"))
        target = raw["raw_path"] if v1 else raw["path"]
        path, _, qs = target.partition("?")
        query_map = raw.get("query_string_parameters" if v1 else "queryStringParameters")
        headers = Headers(raw.get("headers"))
        time_us = rc.get("timeEpoch")
        return HTTPRequest(
            method=raw["method"],
            path=path or "/",
            headers=headers,
            query=Query(pairs=parse_query(qs)) if qs else Query(query_map),
            body=_body(raw, "is_base64_encoded" if v1 else "isBase64Encoded"),
            # The event has no address field; Lattice adds x-forwarded-for itself
            # (https://docs.aws.amazon.com/vpc-lattice/latest/ug/http-targets.html).
            source_ip=forwarded_client(headers.get_all("x-forwarded-for")),
            provider="aws", trigger=self.name, source=rc.get("serviceArn"), subject=path,
            time=epoch_ms(int(time_us) / 1000) if time_us else None,
            raw=raw, native=powertools("VPCLatticeEvent" if v1 else self.native_class, raw),
        )

    def encode(self, result: Rendered, raw: Any) -> dict[str, Any]:
        headers = _single_valued(result, self.name, "VPC Lattice responses carry one value "
                                 "per header name")
        return _with_body({"statusCode": result.status,
                           "statusDescription": f"{result.status} {_reason(result.status)}",
                           "headers": headers}, result)


def _single_valued(result: Rendered, trigger: str, hint: str) -> dict[str, str]:
    """Headers for a response format with one value per name.

    Set-Cookie values cannot be comma-joined (``Expires`` holds a comma), so more
    than one is an error rather than a silently broken cookie.
    """
    headers = result.single_headers()
    if len(result.cookies) > 1:
        raise ResponseEncodeError(trigger, f"cannot send {len(result.cookies)} Set-Cookie "
                                  f"headers: {hint}")
    if result.cookies:
        headers["Set-Cookie"] = result.cookies[0]
    return headers


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
