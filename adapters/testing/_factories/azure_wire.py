"""How the Azure Functions host hands a trigger to the Python worker, reproduced.

Builders assemble what the host sends over gRPC for one invocation (the payload
and the trigger metadata) as ``azure.functions.meta.Datum`` objects, exactly as
the worker's ``Datum.from_typed_data`` makes them, then call the converter the
worker picks for the binding type (from azure.functions' binding registry). No
azure.functions constructor is called directly, so every accessor of the result
reads the metadata through the library's own parsing.

Host side: ``GrpcMessageConversionExtensions.ToRpc`` in azure-functions-host
(https://github.com/Azure/azure-functions-host/blob/dev/src/WebJobs.Script.Grpc/MessageExtensions/GrpcMessageConversionExtensions.cs):
``string`` -> ``string``, ``byte[]`` -> ``bytes``, ``string[]`` ->
``collection_string`` (null and empty entries dropped), ``long[]`` ->
``collection_sint64``, anything else -> ``json`` (Newtonsoft, ``Formatting.None``),
so a ``DateTime`` arrives as a JSON string literal. Null metadata is not sent.
Newtonsoft writes a ``DateTimeOffset`` with ``+00:00``, a UTC ``DateTime`` with
``Z`` and an Unspecified one (``DateTimeOffset.DateTime``) with no suffix, which
the library turns into a *naive* datetime holding UTC wall-clock time.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from azure.functions import meta

from ._common import as_text, utc

__all__ = [
    "Metadata",
    "body_datum",
    "bytes_datum",
    "converter_for",
    "decode",
    "dto_text",
    "json_datum",
    "long_array",
    "put",
    "string_array",
    "string_datum",
    "sys_metadata",
    "unspecified_text",
]

Metadata = dict[str, meta.Datum]
_T = TypeVar("_T")


# Stand-ins for the protobuf collection messages: the converters read only the
# repeated field (FunctionRpc.proto: ``message CollectionString { repeated string string = 1; }``).
@dataclass(frozen=True)
class _CollectionString:
    string: list[str]


@dataclass(frozen=True)
class _CollectionBytes:
    bytes: list[builtins.bytes]


@dataclass(frozen=True)
class _CollectionSInt64:
    sint64: list[int]


def string_datum(value: str) -> meta.Datum:
    return meta.Datum(value, "string")


def bytes_datum(value: builtins.bytes) -> meta.Datum:
    return meta.Datum(value, "bytes")


def json_datum(value: Any) -> meta.Datum:
    # Formatting.None: compact; Newtonsoft does not escape non-ASCII characters.
    return meta.Datum(json.dumps(value, separators=(",", ":"), ensure_ascii=False), "json")


def string_array(values: Iterable[str | None]) -> meta.Datum:
    return meta.Datum(_CollectionString([v for v in values if v]), "collection_string")


def bytes_array(values: Iterable[builtins.bytes | None]) -> meta.Datum:
    return meta.Datum(_CollectionBytes([v for v in values if v is not None]), "collection_bytes")


def long_array(values: Iterable[int]) -> meta.Datum:
    return meta.Datum(_CollectionSInt64(list(values)), "collection_sint64")


def body_datum(body: Any) -> meta.Datum:
    """``str`` as a string, ``bytes`` (``dataType: binary``) as bytes, other values
    as JSON text."""
    if isinstance(body, (builtins.bytes, bytearray)):
        return bytes_datum(builtins.bytes(body))
    return string_datum(as_text(body))


def put(metadata: Metadata, key: str, value: str | None) -> None:
    """A string entry, left out when null (the host skips nulls)."""
    if value is not None:
        metadata[key] = string_datum(value)


def _net_text(value: dt.datetime, suffix: str) -> str:
    # "yyyy-MM-ddTHH:mm:ss.FFFFFFF": no trailing zeros, no fraction when it is zero.
    moment = utc(value)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += "." + f"{moment.microsecond:06d}".rstrip("0")
    return text + suffix


def dto_text(value: dt.datetime) -> str:
    """A UTC ``DateTimeOffset`` as Newtonsoft writes it."""
    return _net_text(value, "+00:00")


def unspecified_text(value: dt.datetime) -> str:
    """A ``DateTime`` of kind Unspecified (no suffix)."""
    return _net_text(value, "")


def sys_metadata(method_name: str) -> meta.Datum:
    """The host's ``sys`` binding data, sent with every invocation."""
    return json_datum({"MethodName": method_name,
                       "UtcNow": _net_text(dt.datetime.now(dt.timezone.utc), "Z"),
                       "RandGuid": str(uuid.uuid4())})


def converter_for(binding_type: str) -> type[meta.InConverter]:
    """The converter the worker uses for ``binding_type`` (``"queueTrigger"``...)."""
    registry = meta.get_binding_registry()  # type: ignore[no-untyped-call]
    converter: object = registry.get(binding_type)
    if not (isinstance(converter, type) and issubclass(converter, meta.InConverter)):
        raise LookupError(f"azure.functions registers no input converter for {binding_type!r}")
    return converter


def decode(binding_type: str, data: meta.Datum, metadata: Metadata, expected: type[_T]) -> _T:
    """What the worker hands the function for this binding, payload and metadata."""
    result = converter_for(binding_type).decode(data, trigger_metadata=metadata)
    if not isinstance(result, expected):
        raise TypeError(f"{binding_type} converter returned {type(result).__name__}, "
                        f"expected {expected.__name__}")
    return result
