"""Each public package's ``__all__`` is its surface (httpx's test_exported_members).

For every package a user (or an adapter) imports: each name in ``__all__``
exists, ``__all__`` has no duplicates, and every public function or class the
package defines, or takes from its own private modules, is listed; so adding a
public name means deciding to export it. The same rule for every provider
package: its entry points, ``PROVIDER``, ``TRIGGERS``, ``detect``/``decode``, its
trigger classes and its context builder.
"""

from __future__ import annotations

import importlib
import inspect
from types import ModuleType

import pytest

#: The public packages and modules, with what each may hold unlisted (re-exported
#: modules a user reaches as attributes, names kept for their own reasons).
PACKAGES: dict[str, frozenset[str]] = {
    "sdk": frozenset({"errors", "adapter"}),
    "sdk.errors": frozenset(),
    "sdk.adapter": frozenset(),
    "sdk.idempotency": frozenset(),
    "sdk.testing": frozenset(),
    "sdk.tracing": frozenset(),
    "adapters": frozenset(),
    # the pieces of the command line it puts together (adapters/_cli)
    "adapters.cli": frozenset({"BadInput", "Command", "EventCommand", "InvokeCommand",
                               "OneLineParser", "RunCommand", "SamplesCommand",
                               "ServeCommand", "one_line"}),
    "adapters.aws": frozenset(),
    "adapters.azure": frozenset(),
    # helpers its entry points use, imported from its private modules
    "adapters.gcp": frozenset({"attempt", "push_event", "request_id", "run_events",
                               "trace_id"}),
    "adapters.cloudevents": frozenset(),
    "adapters.testing": frozenset(),
    "adapters.testing.aws": frozenset(),
    "adapters.testing.azure": frozenset(),
    "adapters.testing.gcp": frozenset(),
    "adapters.testing.cloudevents": frozenset(),
}


def own_public_names(module: ModuleType) -> set[str]:
    """Public functions and classes ``module`` defines or takes from its package
    (the package's face), or from its private twin (``sdk.tracing`` from ``sdk._tracing``)."""
    root = module.__name__.split(".")[0]
    parent, _, leaf = module.__name__.rpartition(".")
    twin = f"{parent}._{leaf}"
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_") or not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        home = getattr(value, "__module__", "") or ""
        if home == module.__name__ or home.startswith(f"{module.__name__}._") or (
                home.startswith(f"{root}.") and "._" in home and module.__name__ == root) or (
                home == twin or home.startswith(f"{twin}.")):
            names.add(name)
    return names


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_all_lists_what_exists_once(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert len(exported) == len(set(exported)), name
    for member in exported:
        assert getattr(module, member) is not None, f"{name}.{member}"


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_every_public_definition_is_exported(name: str) -> None:
    module = importlib.import_module(name)
    unlisted = own_public_names(module) - set(module.__all__) - PACKAGES[name]
    assert unlisted == set(), f"{name} defines public names missing from __all__"


def test_every_public_module_is_checked() -> None:
    """A module no part of whose name is private is public: it is in ``PACKAGES``."""
    from tests.support.samples import PROJECT_ROOT

    public = set()
    for top in ("sdk", "adapters"):
        for path in (PROJECT_ROOT / top).rglob("*.py"):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            parts = parts[:-1] if parts[-1] == "__init__" else parts
            if not any(part.startswith("_") for part in parts):
                public.add(".".join(parts))
    assert public == set(PACKAGES)
