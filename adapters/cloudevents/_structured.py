"""Structured-mode CloudEvents: one JSON object holding attributes and data.

JSON format: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md
(``data`` is a JSON value when ``datacontenttype`` is JSON or absent, else the
payload as a string; binary payloads travel as ``data_base64``). CloudEvents 0.3
(``datacontentencoding: base64``) is read too, as the ``cloudevents`` library does.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from adapters._http import b64_body
from adapters._time import parse_time
from sdk.adapter import is_json_type
from sdk.errors import EventDecodeError

from ._types import CloudEventParts

__all__ = ["REQUIRED", "SPEC_VERSIONS", "check_attributes", "from_structured"]

#: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md#required-attributes
REQUIRED = ("id", "source", "specversion", "type")
SPEC_VERSIONS = frozenset({"1.0", "0.3"})
#: What an attribute value may be: the CloudEvents type system's Boolean, Integer,
#: String, Binary, URI and Timestamp (a JSON object or array is none of them).
_SCALARS = (str, int, float, bool, bytes, datetime)


def check_attributes(attributes: Mapping[str, Any], trigger: str) -> datetime | None:
    """The event's ``time``, after checking the attributes: :class:`EventDecodeError`
    naming every required attribute missing or empty, every attribute whose value
    is not a scalar (an object or an array), or a malformed ``time``."""
    missing = [name for name in REQUIRED
               if not isinstance(attributes.get(name), str) or not attributes[name]]
    if missing:
        raise EventDecodeError(trigger, "not a valid CloudEvent: required attributes are "
                               "missing, empty or not strings", keys=missing)
    nested = [str(name) for name, value in attributes.items()
              if value is not None and not isinstance(value, _SCALARS)]
    if nested:
        raise EventDecodeError(trigger, "not a valid CloudEvent: attribute values are "
                               "strings, numbers or booleans, not objects or arrays",
                               keys=nested)
    if attributes["specversion"] not in SPEC_VERSIONS:
        raise EventDecodeError(trigger, "unsupported specversion (polyfn reads 1.0 and 0.3)",
                               keys=["specversion"])
    time = attributes.get("time")
    if time is None or time == "":
        return None
    try:
        return parse_time(time)
    except ValueError:
        raise EventDecodeError(trigger, "time is not an RFC 3339 timestamp",
                               keys=["time"]) from None


def from_structured(obj: Any, *, provider: str, trigger: str, raw: Any = None,
                    where: str | None = None) -> CloudEventParts:
    """The parts of one structured CloudEvent (a JSON object already parsed).

    ``where`` names the container trigger in errors (``cloudevents.batch``).
    """
    where = where or trigger
    if not isinstance(obj, dict):
        raise EventDecodeError(where, f"a structured CloudEvent is a JSON object, "
                               f"not a {type(obj).__name__}")
    attributes = {k: v for k, v in obj.items() if k not in ("data", "data_base64")}
    common: dict[str, Any] = {"provider": provider, "trigger": trigger,
                              "raw": obj if raw is None else raw,
                              "time": check_attributes(attributes, where)}
    if "data_base64" in obj:
        if "data" in obj:
            raise EventDecodeError(where, "a CloudEvent carries data or data_base64, not both",
                                   keys=["data", "data_base64"])
        encoded = obj["data_base64"]
        if not isinstance(encoded, str):
            raise EventDecodeError(where, "data_base64 must be a string", keys=["data_base64"])
        return CloudEventParts(attributes, payload=b64_body(encoded), **common)
    data = obj.get("data")
    if isinstance(data, str):
        if _base64_03(attributes):
            return CloudEventParts(attributes, payload=b64_body(data), **common)
        content_type = attributes.get("datacontenttype")
        if content_type and not is_json_type(str(content_type)):
            # Not JSON: the string is the payload itself, decoded by the common rule.
            return CloudEventParts(attributes, payload=data, **common)
    return CloudEventParts(attributes, data, **common)


def _base64_03(attributes: Mapping[str, Any]) -> bool:
    encoding = attributes.get("datacontentencoding")
    return (attributes.get("specversion") == "0.3" and isinstance(encoding, str)
            and encoding.lower() == "base64")
