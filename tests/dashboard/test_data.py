"""`dashboard.data`: cached reads of the store, checked against plain definitions."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from dashboard import data
from geodata.backends import open_store

pytestmark = pytest.mark.mirror


@pytest.fixture
def ref(built_store, monkeypatch) -> data.StoreRef:
    monkeypatch.setenv("GEODATA_STORE", str(built_store.store))
    return data.current_store()


def test_levels_by_indicator_are_the_levels_of_the_areas_with_values(ref, built_store):
    store = open_store(built_store.store)
    level_of = store.areas(geometry=False).drop_duplicates("code").set_index("code")["level"]
    expected: dict[str, set[str]] = {}
    for row in store.values().itertuples(index=False):
        level = level_of.get(row.area_code)
        if level is not None:
            expected.setdefault(row.indicator, set()).add(level)
    found = data.levels_by_indicator(ref)
    assert found == {k: frozenset(v) for k, v in expected.items()}
    assert {"stadsdeel", "gebied"} <= found["ams_minima_households_pct"]
    assert "gebied" not in found["low_income_households_pct"]


def cached_functions() -> list[tuple[str, Any]]:
    """Every `st.cache_*` function of the data layer, by module and name."""
    from streamlit.runtime.caching.cache_utils import CachedFunc

    from dashboard.data import derived, models, presentation, static, store

    return [
        (f"{module.__name__}.{name}", value)
        for module in (derived, models, presentation, static, store)
        for name, value in vars(module).items()
        if isinstance(value, CachedFunc) and value._info.func.__module__ == module.__name__
    ]


def test_every_cache_keyed_by_more_than_the_store_is_bounded():
    """A worker's memory stays bounded however many distinct views it serves: a cache keyed by
    anything besides the store (a year, a code, a view) keeps a limited number of entries."""
    unbounded = [
        name
        for name, cached in cached_functions()
        if set(inspect.signature(cached._info.func).parameters) - {"ref"}
        and cached._info.max_entries is None
    ]
    assert cached_functions() and not unbounded, unbounded
