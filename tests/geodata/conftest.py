"""Store fixtures: the same contract tests run over every backend."""

from __future__ import annotations

import pytest

from geodata.store import Store, open_store

BACKENDS = ["gpkg"]


@pytest.fixture(params=BACKENDS)
def any_store(request, tmp_path) -> Store:
    """An empty store of each backend."""
    if request.param == "gpkg":
        return open_store(tmp_path / "store.gpkg")
    raise AssertionError(request.param)


@pytest.fixture
def empty_store(any_store) -> Store:
    return any_store
