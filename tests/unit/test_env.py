"""sdk.adapter.getenv answers what os.environ.get does, as the environment changes."""

from __future__ import annotations

import os

import pytest

from sdk.adapter import getenv

NAME = "POLYFN_TEST_ENV_READ"


def test_unset_set_changed_and_deleted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    assert getenv(NAME) is None
    monkeypatch.setenv(NAME, "one")
    assert getenv(NAME) == "one"
    os.environ[NAME] = "two: ünïcode"
    assert getenv(NAME) == "two: ünïcode" == os.environ.get(NAME)
    del os.environ[NAME]
    assert getenv(NAME) is None
    monkeypatch.setenv(NAME, "")
    assert getenv(NAME) == ""


def test_a_replaced_environ_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "environ", {NAME: "from a plain dict"})
    assert getenv(NAME) == "from a plain dict"
    assert getenv("POLYFN_TEST_NOT_THERE") is None


def test_every_variable_reads_as_os_environ_get() -> None:
    for name in list(os.environ)[:50]:
        assert getenv(name) == os.environ.get(name)
