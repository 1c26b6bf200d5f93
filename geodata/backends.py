"""Which backend holds a store: the factory above both, so neither imports the other.

``GEODATA_STORE`` is a ``postgresql://`` URL (PostGIS, `geodata.postgis`) or a file path (a
GeoPackage, `geodata.gpkg`). Both implement `geodata.store.Store`; the schema they write is
`geodata.schema`.
"""

from __future__ import annotations

from pathlib import Path

from geodata.gpkg import GpkgStore
from geodata.postgis import PostgisStore
from geodata.store import Store


def open_store(target: str | Path) -> Store:
    """The store at `target`: a ``postgresql://`` URL (PostGIS) or a GeoPackage path."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgisStore(text)
    return GpkgStore(Path(text))
