"""docs/triggers.md is generated from the adapters' registry and must not drift.

The file is compared byte for byte with what ``adapters._registry`` renders now;
every trigger must say what the provider does with its outcome and be named by the
rules; and what the CloudEvent type table declares each decoder makes is checked
against what decoding the provider samples actually gives.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from adapters import _registry
from adapters._registry import DOC, REGENERATE, TriggerInfo, all_triggers, describe, render
from adapters.cloudevents._types import DECODERS, PRODUCES, decoder_for
from tests.contract.test_every_sample import DATA_TYPES
from tests.support.samples import load, params, requires_samples, sample_files

ADAPTERS = ("aws", "azure", "gcp", "cloudevents")


def test_doc_is_generated_from_the_registry() -> None:
    expected = render()
    actual = DOC.read_text(encoding="utf-8") if DOC.is_file() else ""
    assert actual == expected, (
        f"docs/triggers.md is out of date with the adapters' triggers: run `{REGENERATE}` "
        "and commit the result")


def test_render_is_deterministic() -> None:
    assert render() == render()


@pytest.mark.parametrize("provider", ADAPTERS)
def test_every_trigger_has_semantics_and_a_dotted_name(provider: str) -> None:
    triggers = all_triggers()[provider]
    assert triggers
    for trigger in triggers:
        assert re.fullmatch(rf"{re.escape(provider)}(\.[a-z][a-z0-9]*)+", trigger.name), (
            f"{trigger!r}: a trigger name is '<provider>.<dotted lowercase>'")
        assert trigger.semantics.strip(), (
            f"{type(trigger).__name__} ({trigger.name}) must say what {provider} does with "
            "the handler's result and failures (its `semantics`)")


def test_every_trigger_name_is_in_the_doc() -> None:
    text = DOC.read_text(encoding="utf-8")
    names = {info.name for info in describe()}
    names |= {route.trigger for info in describe() for route in info.routes}
    missing = sorted(name for name in names if f"`{name}`" not in text)
    assert not missing, f"not in docs/triggers.md: {missing}; run `{REGENERATE}`"


def test_every_registered_type_declares_what_it_makes() -> None:
    all_triggers()  # every provider registers its types on import
    undeclared = sorted(ce_type for ce_type, decoder in DECODERS.items()
                        if decoder.__module__.startswith("adapters.") and decoder not in PRODUCES)
    assert not undeclared, ("decorate these types' decoders with "
                            f"@produces(trigger, kind): {undeclared}")


def test_routing_names_existing_triggers() -> None:
    used = {type(t) for triggers in all_triggers().values() for t in triggers}
    stale = [cls.__name__ for cls in _registry._routing() if cls not in used]
    assert not stale, f"adapters/_registry.py routes triggers no provider has: {stale}"


def test_main_check_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert _registry.main(["--check"]) == 0
    assert _registry.main(["--bogus"]) == 2
    assert "usage" in capsys.readouterr().err


# -- the declarations against decoding the provider samples ---------------------------

@cache
def _infos() -> dict[tuple[str, type[Any]], TriggerInfo]:
    by_class: dict[tuple[str, type[Any]], TriggerInfo] = {}
    infos = iter(describe())
    for provider, triggers in all_triggers().items():
        for trigger in triggers:
            by_class[(provider, type(trigger))] = next(infos)
    return by_class


def _check_events(raw: Any) -> int:
    """Decode ``raw`` with every provider whose detection claims it; every event must
    carry its trigger's own name, or, for a trigger routing by CloudEvent type, the
    trigger and kind its type's decoder declares (an unclaimed type: the fallback)."""
    infos = _infos()
    checked = 0
    for provider, module in (("aws", "adapters.aws"), ("azure", "adapters.azure"),
                             ("gcp", "adapters.gcp"), ("cloudevents", "adapters.cloudevents")):
        triggers = all_triggers()[provider]
        trigger = next((t for t in triggers if t.matches(raw)), None)
        if trigger is None:
            continue
        info = infos[(provider, type(trigger))]
        try:
            events = trigger.decode(raw)
        except Exception:  # malformed or unsupported here: test_every_sample's business
            continue
        for event in events:
            checked += 1
            decoder = decoder_for(event.type or "") if info.routes else None
            declared = PRODUCES.get(decoder) if decoder is not None else None
            if declared is not None:
                assert (event.trigger, event.kind) == (declared[0], declared[1].kind), (
                    f"{module} {info.name}: a {event.type} event")
                assert any(r.trigger == event.trigger for r in info.routes)
            elif info.fallback:
                assert event.trigger in info.fallback and event.kind == "event", (
                    f"{module} {info.name}: an unclaimed type {event.type}")
            else:
                assert event.trigger == info.name, (
                    f"{module} {info.name} decodes to trigger {event.trigger}: if it routes "
                    "by CloudEvent type, add it to adapters/_registry.py _routing()")
    return checked


@pytest.mark.parametrize("path", params("**/*.json"))
def test_declared_routes_match_decoding(path: Path) -> None:
    _check_events(load(path))


@requires_samples
@pytest.mark.parametrize(("folder", "ce_type"), sorted(DATA_TYPES.items()))
def test_declared_routes_match_decoding_of_bare_data(folder: str, ce_type: str) -> None:
    files = sample_files(f"{folder}/data-*.json")
    assert files
    for path in files:
        envelope = {"specversion": "1.0", "id": "1", "source": "//test", "type": ce_type,
                    "datacontenttype": "application/json", "data": load(path)}
        assert _check_events(envelope) >= 1, path


def test_unclaimed_types_take_the_fallback() -> None:
    event = {"specversion": "1.0", "id": "1", "source": "/subscriptions/x",
             "type": "com.example.unclaimed", "data": {}}
    assert _check_events(event) >= 2  # cloudevents.structured, azure.eventgrid.cloudevents
