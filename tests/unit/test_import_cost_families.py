"""Cold-start guards for Google Cloud, Azure and CloudEvents: what a first
invocation loads (asserted by module names, never by milliseconds; the times are
``python -m benchmarks.coldstart_families``'s)."""

from __future__ import annotations

from benchmarks.cloudevents_http import _GCS, _PUBSUB, GCS_BODY, PUBSUB_BODY
from tests.support.imports import loaded_by

#: What a WSGI CloudEvents app and its first event must not load: asyncio is for
#: the ASGI app and async handlers; dataclasses brings inspect (with ast, dis,
#: tokenize); uuid only names a batch or a malformed request.
AVOIDED = frozenset({"asyncio", "dataclasses", "inspect", "ast", "dis", "tokenize", "uuid",
                     "concurrent", "ssl", "socket", "threading"})
#: The Google entry points and trigger modules a CloudEvent decoded elsewhere never needs.
GCP_ENTRY = frozenset({"adapters.gcp._entry", "adapters.gcp._legacy", "adapters.gcp._http",
                       "adapters.gcp._cloudevent", "adapters.gcp._context"})


def _wsgi_invocation(template: dict[str, str], body: bytes, reads: str) -> str:
    environ = {**template, "CONTENT_LENGTH": str(len(body))}
    return (f"import io\nfrom adapters.cloudevents import wsgi_app\n"
            f"env = {environ!r}\nenv['wsgi.input'] = io.BytesIO({body!r})\n"
            f"def handle(event):\n    {reads}\n"
            "seen = []\n"
            "wsgi_app(handle)(env, lambda status, headers, exc=None: seen.append(status))\n"
            "assert seen[0].startswith('204'), seen\n")


def test_a_pubsub_cloudevent_through_the_wsgi_app_loads_only_its_type_table() -> None:
    loaded = loaded_by(_wsgi_invocation(_PUBSUB, PUBSUB_BODY,
                                        "assert event.data['order_id'] == 1042"))
    assert "adapters.gcp._events" in loaded
    assert not {m for m in loaded if m.split(".")[0] in AVOIDED}
    assert not loaded & GCP_ENTRY
    assert "adapters.gcp._changes" not in loaded  # database changes: their own table


def test_a_storage_cloudevent_through_the_wsgi_app_loads_only_its_type_table() -> None:
    loaded = loaded_by(_wsgi_invocation(_GCS, GCS_BODY, "assert event.size == 48213"))
    assert not {m for m in loaded if m.split(".")[0] in AVOIDED}
    assert not loaded & GCP_ENTRY


def test_a_firestore_type_still_finds_its_table_after_a_pubsub_one() -> None:
    code = ("import adapters.cloudevents as ce\n"
            "[m] = ce.decode({'specversion': '1.0', 'id': '1', 'source': '//pubsub', "
            "'type': 'google.cloud.pubsub.topic.v1.messagePublished', "
            "'data': {'message': {'data': 'e30='}}})\n"
            "[c] = ce.decode({'specversion': '1.0', 'id': '2', "
            "'source': '//firestore.googleapis.com/projects/p/databases/(default)', "
            "'type': 'google.cloud.firestore.document.v1.created', "
            "'subject': 'documents/users/ada', 'datacontenttype': 'application/json', "
            "'data': {'value': {'name': 'projects/p/databases/(default)/documents/users/ada', "
            "'fields': {}}}})\n"
            "assert (m.trigger, c.trigger, c.kind) == ('gcp.pubsub', 'gcp.firestore', "
            "'change'), (m.trigger, c.trigger)\n")
    assert "adapters.gcp._changes" in loaded_by(code)


def test_the_gcp_package_loads_its_entry_points_on_first_use() -> None:
    assert not loaded_by("import adapters.gcp") & GCP_ENTRY
    assert "adapters.gcp._entry" in loaded_by("from adapters.gcp import cloudevent_function")
