"""Store fixtures: the same contract tests run over every backend."""

from __future__ import annotations

import uuid

import pytest

from geodata.backends import open_store
from geodata.store import Store

BACKENDS = ["gpkg", "postgis"]


@pytest.fixture(params=BACKENDS)
def any_store(request, tmp_path) -> Store:
    """An empty store of each backend (a fresh file, or a fresh schema)."""
    if request.param == "gpkg":
        yield open_store(tmp_path / "store.gpkg")
        return
    cluster = request.getfixturevalue("pg_cluster")
    target = open_store(cluster.url(schema=f"t_{uuid.uuid4().hex[:12]}"))
    yield target
    target.close()


@pytest.fixture
def empty_store(any_store) -> Store:
    return any_store
