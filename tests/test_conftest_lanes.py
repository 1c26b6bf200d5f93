"""The fast lane is chosen by the fixtures a test uses, not by markers a file must remember."""

from __future__ import annotations

from types import SimpleNamespace

from tests.conftest import is_slow


def item(*fixtures: str, **params: object) -> SimpleNamespace:
    return SimpleNamespace(fixturenames=list(fixtures), callspec=SimpleNamespace(params=params))


def test_tests_that_reach_the_mirror_postgres_or_a_browser_are_slow():
    assert is_slow(item("built_store", "tmp_path"))  # app and browser tests build on it
    assert is_slow(item("mirror"))
    assert is_slow(item("pg_cluster"))
    assert is_slow(item("any_store", any_store="postgis"))  # asks for the cluster at run time


def test_unit_tests_are_fast():
    assert not is_slow(item("tmp_path", "stub_server"))
    assert not is_slow(item("any_store", any_store="gpkg"))
    assert not is_slow(SimpleNamespace())  # a doctest or other item without fixtures
