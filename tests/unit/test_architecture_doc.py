"""docs/architecture.md names where each idea lives: every file, folder, module
attribute and test it names exists, so the page cannot drift from the tree."""

from __future__ import annotations

import re

from tests.support.samples import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "architecture.md"
#: `sdk/_batch.py`, `adapters/_tracing/`, `sdk/_batch.reported` (a module's name)
PLACE = re.compile(r"`((?:sdk|adapters|tests|benchmarks|examples|docs)/[^`\s<]*)`")
TEST = re.compile(r"`(test_\w+)`")


def _defines(path: str, name: str) -> bool:
    source = (PROJECT_ROOT / path).read_text(encoding="utf-8")
    return re.search(rf"^\s*(?:async def|def|class)\s+{name}\b|^{name}\b", source,
                     re.MULTILINE) is not None


def test_every_place_the_page_names_exists() -> None:
    places = set(PLACE.findall(DOC.read_text(encoding="utf-8")))
    assert len(places) > 30  # the scan finds what the page names
    missing = []
    for place in sorted(places):
        if (PROJECT_ROOT / place.rstrip("/")).exists():
            continue
        module, _, name = place.rpartition(".")
        if not ((PROJECT_ROOT / f"{module}.py").is_file() and _defines(f"{module}.py", name)):
            missing.append(place)
    assert missing == []


def test_every_test_the_page_names_exists() -> None:
    names = set(TEST.findall(DOC.read_text(encoding="utf-8")))
    assert names
    sources = "\n".join(path.read_text(encoding="utf-8")
                        for path in (PROJECT_ROOT / "tests").rglob("test_*.py"))
    assert sorted(name for name in names if f"def {name}(" not in sources) == []
