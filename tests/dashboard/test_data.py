"""`dashboard.data`: cached reads of the store, checked against plain definitions."""

from __future__ import annotations

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
