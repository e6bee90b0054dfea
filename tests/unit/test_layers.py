"""The structure docs/architecture.md draws, kept by tests.

* ``sdk`` imports nothing from ``adapters`` (static: every import statement under
  ``sdk/``, parsed with ``ast``), so the model never depends on a provider;
* adapters import no private ``sdk._*`` module: what they need beyond the user
  model is listed in :mod:`sdk.adapter`;
* the shared adapter layers (runner helpers, HTTP, tracing, output drivers) import
  no provider package: the providers stand on them, never the other way round;
* every trigger is listed in exactly one provider table, under a unique name, and
  the tables keyed by trigger name (tracing's rows) name triggers that exist.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import sdk.adapter
from adapters._registry import all_triggers
from tests.support.samples import PROJECT_ROOT

#: Modules that still import sdk._*; each entry is a debt, not a permission.
PENDING: frozenset[str] = frozenset()


def imports(path: Path) -> list[str]:
    """Every module ``path`` imports (absolute names; relative ones resolved)."""
    package = ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts[:-1])
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return found


def sources(package: str) -> list[Path]:
    return sorted((PROJECT_ROOT / package).rglob("*.py"))


def test_sdk_imports_no_adapters_module() -> None:
    offenders = {str(path.relative_to(PROJECT_ROOT)): name
                 for path in sources("sdk") for name in imports(path)
                 if name == "adapters" or name.startswith("adapters.")}
    assert offenders == {}


def test_adapters_import_no_private_sdk_module() -> None:
    offenders = {str(path.relative_to(PROJECT_ROOT)): name
                 for path in sources("adapters") for name in imports(path)
                 if name.startswith("sdk._") and not name.startswith("sdk.__")
                 and str(path.relative_to(PROJECT_ROOT)) not in PENDING}
    assert offenders == {}


#: The shared adapter layers the triggers and entry points stand on (the runner's
#: helpers, HTTP, time, context, base64, tracing, output drivers).
SHARED_LAYERS = ("_base64.py", "_batch.py", "_context.py", "_http.py", "_time.py",
                 "_trigger.py", "_tracing", "_outputs")
PROVIDER_PACKAGES = ("aws", "azure", "gcp", "cloudevents")


def test_the_shared_adapter_layers_import_no_provider_package() -> None:
    """Below the providers, nothing reaches back up into one: a provider's own rule
    (Azure's route template, say) lives in its package and is handed down (an HTTP
    trigger's ``route``), never imported by the layer that calls it."""
    paths = [path for path in sources("adapters")
             if path.relative_to(PROJECT_ROOT / "adapters").parts[0] in SHARED_LAYERS]
    assert len(paths) > len(SHARED_LAYERS)
    offenders = {str(path.relative_to(PROJECT_ROOT)): name for path in paths
                 for name in imports(path)
                 if name.split(".")[:2] in (["adapters", p] for p in PROVIDER_PACKAGES)}
    assert offenders == {}


def test_the_import_scan_sees_relative_and_absolute_imports() -> None:
    """The scan itself: it must find what the rules above look for."""
    found = imports(PROJECT_ROOT / "sdk" / "adapter.py")
    assert "sdk._batch.run_batch" in found and "sdk._data.Payload" in found


def test_pending_modules_are_real() -> None:
    assert all((PROJECT_ROOT / path).is_file() for path in PENDING)


def test_sdk_adapter_lists_every_name_it_gives() -> None:
    for name in sdk.adapter.__all__:
        assert getattr(sdk.adapter, name) is not None, name


def test_every_trigger_is_in_exactly_one_table_under_a_unique_name() -> None:
    tables = all_triggers()
    names = Counter(trigger.name for table in tables.values() for trigger in table)
    assert [name for name, count in names.items() if count > 1] == []
    classes = Counter(id(trigger) for table in tables.values() for trigger in table)
    assert max(classes.values()) == 1
    for provider, table in tables.items():
        for trigger in table:
            assert trigger.name.split(".")[0] in (provider, "cloudevents"), trigger.name


def test_base64_is_decoded_in_one_place() -> None:
    """The one base64 rule (adapters/_base64.py): no other adapter module decodes."""
    offenders = [str(path.relative_to(PROJECT_ROOT)) for path in sources("adapters")
                 if "b64decode(" in path.read_text(encoding="utf-8")
                 and path.name != "_base64.py" and "testing" not in path.parts]
    assert offenders == []


def test_strict_base64_rule() -> None:
    import pytest

    from adapters._base64 import b64_bytes

    assert b64_bytes("aGk=") == b"hi"
    with pytest.raises(ValueError):
        b64_bytes("a*b=")  # outside the alphabet: an error, not other bytes
    with pytest.raises(TypeError):
        b64_bytes(b"aGk=")


def test_cold_start_flag_is_one_mechanism_in_every_provider() -> None:
    import adapters.aws._context as aws_context
    import adapters.azure._context as azure_context
    import adapters.cloudevents._app as cloudevents_app
    import adapters.gcp._context as gcp_context
    from adapters._context import ColdStart

    for module in (aws_context, azure_context, gcp_context, cloudevents_app):
        assert isinstance(module.COLD, ColdStart), module.__name__
    flag = ColdStart()
    assert [flag.take(), flag.take(), flag.take()] == [True, False, False]


def test_w3c_traceparent_rule() -> None:
    from adapters._context import traceparent_id

    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    assert traceparent_id(f"00-{trace}-00f067aa0ba902b7-01") == trace
    assert traceparent_id("00-short-00f067aa0ba902b7-01") is None
    assert traceparent_id("") is None and traceparent_id(None) is None


def test_cookie_rule_is_the_same_for_a_cookie_header_and_an_api_gateway_list() -> None:
    from sdk.adapter import parse_cookie_header

    header = parse_cookie_header(['a=1; b="x y"; a=2; bare'])
    listed = parse_cookie_header(["a=1", 'b="x y"', "a=2", "bare"])
    assert header == listed == {"a": "1", "b": "x y", "bare": ""}


def test_response_headers_with_cookies_are_one_rule() -> None:
    from sdk.adapter import Rendered

    rendered = Rendered(200, [("X-A", "1"), ("X-A", "2")], ["s=1", "t=2"], b"")
    assert rendered.header_pairs() == [("X-A", "1"), ("X-A", "2"), ("Set-Cookie", "s=1"),
                                       ("Set-Cookie", "t=2")]
    assert rendered.header_map() == {"X-A": ["1", "2"], "Set-Cookie": ["s=1", "t=2"]}


def test_the_testing_helpers_sit_below_the_cli() -> None:
    """The CLI uses the factories (``polyfn samples``); they never use the CLI."""
    offenders = {str(path.relative_to(PROJECT_ROOT)): name
                 for path in sources("adapters/testing") for name in imports(path)
                 if name.startswith("adapters._cli")}
    assert offenders == {}


def test_only_polyfn_serve_imports_the_dev_server() -> None:
    """The dev server (``adapters/_cli/_local``) is part of the CLI, built from its
    pieces, and reached only through ``polyfn serve``: nothing else depends on it
    (it loads waitress), and no CLI piece it uses reaches back into it."""
    importers = {str(path.relative_to(PROJECT_ROOT)) for path in sources("adapters")
                 if "_local" not in path.parts for name in imports(path)
                 if name.startswith("adapters._cli._local")}
    assert importers == {"adapters/_cli/serve.py"}


def _module_of(name: str) -> str | None:
    """The sdk module (``sdk._event``, ``sdk._idempotency``) a dotted name lives in."""
    parts = name.split(".")
    while parts:
        path = PROJECT_ROOT.joinpath(*parts)
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return None


def _sdk_arrows(path: Path) -> set[str]:
    """The sdk modules ``path`` imports, lazily, for type checkers or at the top: each
    import statement's most precise module (``from . import _tracing`` is an arrow
    to ``sdk._tracing``, not to the package's face)."""
    package = ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts[:-1])
    arrows: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            module = _module_of(name) if name.split(".")[0] == "sdk" else None
            if module is not None:
                arrows.add(module)
    return arrows


def test_the_sdk_modules_import_one_another_in_no_circle() -> None:
    """Every import counts, lazy ones too: the model (``_event``) sits below what
    runs handlers (``_function``, ``_batch``), and what it calls on first use (the
    validator, the CloudEvents form) sits below it."""
    graph: dict[str, set[str]] = {}
    for path in sources("sdk"):
        parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        graph[name] = _sdk_arrows(path) - {name}
    assert {"sdk._validator", "sdk._cloudevent"} <= graph["sdk._event"]
    circles: list[list[str]] = []
    done: set[str] = set()

    def walk(module: str, trail: list[str]) -> None:
        if module in trail:
            circles.append([*trail[trail.index(module):], module])
            return
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            walk(target, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        walk(module, [])
    assert circles == []


#: Rows of the tracing tables that describe a delivery from its decoded events: the
#: ``adapters._tracing.Events`` the entry points that decode a delivery themselves
#: (``adapters/gcp/_entry.py``, ``adapters/cloudevents/_app.py``) invoke, not a trigger.
EVENT_ROWS = frozenset({"gcp.events", "cloudevents.events"})


def test_every_tracing_row_names_a_trigger_of_its_provider() -> None:
    """The tracing tables are looked up by trigger name, with a default: a row under a
    name no trigger has (a typo, a renamed trigger) would be silently never used."""
    from importlib import import_module

    tables = all_triggers()
    for provider in PROVIDER_PACKAGES:
        names = {trigger.name for trigger in tables[provider]}
        rows = import_module(f"adapters._tracing._{provider}").CARRIERS
        assert set(rows) - names <= EVENT_ROWS, provider
        assert all(name.split(".")[0] == provider for name in rows), provider


#: The only places ``sdk`` names ``adapters`` modules, as text looked up when first
#: used: the output drivers' and idempotency stores' tables (a scheme -> its driver
#: class, ``module:Class``) and ``sdk.testing``'s forwarding to its new home.
NAMED_FROM_SDK = frozenset({"sdk/_outputs/_address.py", "sdk/_idempotency/_stores.py",
                            "sdk/testing/__init__.py"})


def _adapters_named(path: Path) -> list[str]:
    return [node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and (node.value == "adapters" or node.value.startswith("adapters."))]


def test_sdk_names_adapters_modules_only_in_its_driver_tables() -> None:
    """Beyond imports: ``sdk`` reaches a provider only through a table naming the
    driver an address asks for, and every driver such a table names exists."""
    named = {str(path.relative_to(PROJECT_ROOT)): _adapters_named(path)
             for path in sources("sdk")}
    assert {path for path, names in named.items() if names} == NAMED_FROM_SDK
    for path in NAMED_FROM_SDK - {"sdk/testing/__init__.py"}:
        for spec in named[path]:
            module, _, name = spec.partition(":")
            file = PROJECT_ROOT.joinpath(*module.split(".")).with_suffix(".py")
            assert name and file.is_file() and re.search(
                rf"^class {name}\b", file.read_text(encoding="utf-8"), re.MULTILINE), spec


def test_cloudevents_is_engine_neutral() -> None:
    """``adapters.cloudevents`` imports no other provider package: Google's types are
    ``adapters.gcp``'s, named only in the table of modules that register a
    producer's types (``PROVIDER_TYPES``), loaded on that producer's first event."""
    others = [["adapters", p] for p in PROVIDER_PACKAGES if p != "cloudevents"]
    paths = sources("adapters/cloudevents")
    imported = {str(path.relative_to(PROJECT_ROOT)): name for path in paths
                for name in imports(path) if name.split(".")[:2] in others}
    assert imported == {}
    named = {str(path.relative_to(PROJECT_ROOT)) for path in paths if _adapters_named(path)}
    assert named == {"adapters/cloudevents/_types.py"}
    # (read from the source: the table empties as its modules are loaded)
    assert {name.rpartition(".")[0] for name in _adapters_named(
        PROJECT_ROOT / "adapters/cloudevents/_types.py")} == {"adapters.gcp"}
