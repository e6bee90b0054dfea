"""1st-gen (legacy) Google Cloud events reach the same uniform event as their 2nd-gen
CloudEvent twins, over every conformance sample in ``gcp/*`` (by glob).

The conformance quadruples: ``X-legacy-input`` is what a 1st-gen background function
is sent, ``X-cloudevent-input`` the structured CloudEvent of the same event;
``X-legacy-output*`` is the ``(data, context)`` functions-framework hands a background
function, ``X-cloudevent-output`` the CloudEvent it hands a CloudEvent function for
the legacy input. Every form must decode to one uniform event.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import flask
import pytest
from cloudevents.http import CloudEvent
from functions_framework.background_event import BackgroundEvent
from google.cloud.functions.context import Context as LegacyContext

import adapters.gcp as gcp
from sdk import Context, Event, UnsupportedEventError
from tests.support.samples import load, params, sample_files

APP = flask.Flask(__name__)
_STEM = re.compile(r"^(?P<stem>.+)-(legacy-input|legacy-output|legacy-output-converted|"
                   r"cloudevent-output)\.json$")

#: Kinds every engine must agree on, by sample folder.
KINDS = {"pubsub": "message", "storage": "storage", "firestore": "change",
         "firebase-rtdb": "change", "firebase-auth": "event"}

#: A 1st-gen event has no subscription; its 2nd-gen twin names it (``queue``, and the
#: full path in ``attributes``). Nothing else may differ.
NOT_IN_LEGACY = ("queue",)

#: ``(data, context)`` drops what the conversion needs for these folders: Firebase
#: RTDB's ``domain`` gives the CloudEvent source its location. Called with the pair
#: alone the adapter hands over a generic event under the 1st-gen names; served by
#: functions-framework it reads the request body (test_background_function_in_a_request).
PAIR_LOSES_DOMAIN = {"firebase-rtdb"}

#: Data-only payloads (a CloudEvent's ``data`` without its attributes) are no
#: delivery of their own; the Pub/Sub ones are exactly a push subscription's body.
PUSH_BODIES = "gcp/pubsub/data-MessagePublishedData-*.json"
DATA_ONLY_UNSUPPORTED = [p for p in sample_files("gcp/*/data-*.json")
                         if "MessagePublishedData" not in p.name]


def twin(path: Path) -> Path:
    """The ``-cloudevent-input`` file of a quadruple member."""
    match = _STEM.match(path.name)
    assert match, path.name
    found = path.with_name(f"{match['stem']}-cloudevent-input.json")
    assert found.is_file(), f"{path.name} has no CloudEvent twin"
    return found


def uniform(event: Event[Any]) -> dict[str, Any]:
    """The JSON form, without what only the 2nd-gen form can carry."""
    out = event.to_dict()
    for key in NOT_IN_LEGACY:
        out.pop(key, None)
    out["attributes"].pop("subscription", None)
    return out


def one(events: list[Event[Any]]) -> Event[Any]:
    assert len(events) == 1
    return events[0]


def expected(path: Path) -> dict[str, Any]:
    """The uniform event of the quadruple's CloudEvent twin, with its kind checked."""
    raw = load(twin(path))
    assert gcp.detect(raw).name == "gcp.cloudevent.structured"
    event = one(gcp.decode(raw))
    assert (event.provider, event.kind) == ("gcp", KINDS[path.parent.name])
    assert (event.id, event.type, event.source) == (raw["id"], raw["type"], raw["source"])
    assert event.subject == raw.get("subject")
    return uniform(event)


def run_background(data: Any, context: LegacyContext) -> tuple[Event[Any], Context]:
    seen: list[tuple[Event[Any], Context]] = []
    gcp.background_function(lambda event, ctx: seen.append((event, ctx)))(data, context)
    (found,) = seen
    return found


@pytest.mark.parametrize("path", params("gcp/*/*-legacy-input.json"))
def test_legacy_input_decodes_like_its_cloudevent_twin(path: Path) -> None:
    raw = load(path)
    assert gcp.detect(raw).name == "gcp.background"
    event = one(gcp.decode(raw))
    assert uniform(event) == expected(path)
    assert event.raw is raw
    assert event.trigger.startswith("gcp.")


@pytest.mark.parametrize("path", params("gcp/*/*-cloudevent-output.json"))
def test_cloudevent_output_is_what_the_legacy_input_decodes_to(path: Path) -> None:
    # What functions-framework hands a CloudEvent function for the legacy input.
    out = load(path)
    cloud_event = CloudEvent({k: v for k, v in out.items() if k != "data"}, out["data"])
    assert gcp.detect(cloud_event).name == "gcp.cloudevent"
    event = one(gcp.decode(cloud_event))
    legacy = path.with_name(path.name.replace("-cloudevent-output", "-legacy-input"))
    assert uniform(event) == uniform(one(gcp.decode(load(legacy))))
    assert uniform(event) == expected(path)


@pytest.mark.parametrize("path", params("gcp/*/*-legacy-output*.json"))
def test_legacy_output_through_background_function(path: Path) -> None:
    # What functions-framework hands a background function, called directly.
    out = load(path)
    event, context = run_background(out["data"], LegacyContext(**out["context"]))
    assert (context.provider, context.request_id) == ("gcp", out["context"]["eventId"])
    if path.parent.name in PAIR_LOSES_DOMAIN:
        # Without ``domain`` the location is unknown (never guessed); everything
        # else matches what the full legacy input decodes to.
        full = one(gcp.decode(load(path.with_name(path.name.replace("-output", "-input")))))
        assert (event.kind, event.trigger) == ("change", "gcp.firebase.rtdb")
        for name in ("id", "type", "subject", "time", "operation", "table", "old", "new"):
            assert getattr(event, name) == getattr(full, name), name
        assert "location" not in event.attributes and "/locations/" not in (event.source or "")
        assert event.attributes["instance"] == full.attributes["instance"]
        return
    assert uniform(event) == expected(path)
    assert gcp.decode(out) and uniform(one(gcp.decode(out))) == uniform(event)


@pytest.mark.parametrize("path", params("gcp/*/*-legacy-input.json"))
def test_background_function_in_a_request(path: Path) -> None:
    # As functions-framework serves --signature-type event: the body is the legacy
    # input, the function gets BackgroundEvent's (data, context).
    raw = load(path)
    legacy = BackgroundEvent(**raw)
    with APP.test_request_context("/", method="POST", json=raw,
                                  headers={"Function-Execution-Id": "exec-7"}):
        event, context = run_background(legacy.data, LegacyContext(**legacy.context))
    assert uniform(event) == expected(path)
    assert context.request_id == "exec-7"


CLOUDEVENTS = (params("gcp/*/*-cloudevent-input.json") + params("gcp/*/*-cloudevent-output.json")
               + params("gcp/*/structured-*.json"))


@pytest.mark.parametrize("path", CLOUDEVENTS)
def test_structured_cloudevent(path: Path) -> None:
    raw = load(path)
    event = one(gcp.decode(raw))
    assert (event.provider, event.type, event.source) == ("gcp", raw["type"], raw["source"])
    assert event.subject == raw.get("subject") or event.trigger == "gcp.audit.log"
    assert event.time is not None and event.time.tzinfo is not None
    native = CloudEvent({k: v for k, v in raw.items() if k != "data"}, raw.get("data"))
    assert uniform(one(gcp.decode(native))) == uniform(event)
    event.to_dict()  # the JSON form renders


@pytest.mark.parametrize("path", params(PUSH_BODIES))
def test_pubsub_push_body(path: Path) -> None:
    raw = load(path)
    assert gcp.detect(raw).name == "gcp.pubsub.push"
    message = one(gcp.decode(raw))
    assert (message.kind, message.trigger) == ("message", "gcp.pubsub")
    assert message.id == raw["message"]["messageId"]
    assert message.source is None  # a push body does not name its topic
    assert message.attributes.get("subscription") == raw["subscription"]
    assert message.time is not None


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in DATA_ONLY_UNSUPPORTED])
def test_data_only_payloads_are_unsupported(path: Path) -> None:
    raw = load(path)
    with pytest.raises(UnsupportedEventError) as excinfo:
        gcp.decode(raw)
    message = str(excinfo.value)
    assert message.startswith("gcp: ") and sorted(raw)[0] in message


@pytest.mark.parametrize("path", params("gcp/**/*.json"))
def test_at_most_one_trigger_matches(path: Path) -> None:
    raw = load(path)
    matching = [t.name for t in gcp.TRIGGERS if t.matches(raw)]
    assert len(matching) == (0 if path in DATA_ONLY_UNSUPPORTED else 1), matching
