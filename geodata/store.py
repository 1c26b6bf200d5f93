"""The store's contract above the backends that hold it: the one interface (`Store`) the
pipelines, the exports and the dashboard use; callers pass no SQL text and no file paths.

Two backends implement it:

- `geodata.gpkg.GpkgStore`: one GeoPackage file, the embedded default;
- `geodata.postgis.PostgisStore`: a PostgreSQL/PostGIS schema, for shared deployments.

`geodata.backends.open_store` picks the backend from ``GEODATA_STORE``: a ``postgresql://``
URL or a file path. Every publish is atomic (readers see the old store or the new one, never a
mix), and writers take a lock so that a build and an import never interleave. The tables and
columns are in `geodata.schema`.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geodata.errors import StoreMissingError
from geodata.schema import BUILD_HINT, SCHEMA, SPATIAL, check_columns, conform


@dataclass(frozen=True)
class RowReplacement:
    """Rows of a shared table that one writer owns: those matching `where` are replaced."""

    rows: pd.DataFrame
    where: Mapping[str, object]


@dataclass(frozen=True)
class Publish:
    """What a writer publishes, atomically.

    ``complete=True``: `tables` is the whole new store (a build). Otherwise only the tables in
    `tables` are replaced and, per table in `rows`, the rows that match its `where`; the rest
    of the store stays as it is (an import).
    """

    tables: Mapping[str, pd.DataFrame]
    complete: bool = False
    rows: Mapping[str, RowReplacement] = field(default_factory=dict)


class Store(abc.ABC):
    """One store of this project, whatever holds it."""

    #: How the store is named in messages ("the store /path/store.gpkg").
    description: str

    # -- state -------------------------------------------------------------------------------

    @abc.abstractmethod
    def exists(self) -> bool:
        """Whether anything is there (a file, a schema)."""

    @abc.abstractmethod
    def check(self) -> None:
        """Raise `StoreCorruptError` for a damaged store, `StoreForeignError` for something
        that is not a store of this project; return quietly for a sound or missing one."""

    @abc.abstractmethod
    def tables(self) -> list[str]:
        """Names of the tables present."""

    @abc.abstractmethod
    def row_counts(self) -> dict[str, int]:
        """Rows per table present."""

    @abc.abstractmethod
    def version(self) -> str:
        """A token that changes whenever the store is published (for cache keys)."""

    def has_data(self) -> bool:
        """True when the store holds indicator values or areas (raises when it is damaged)."""
        if not self.exists():
            return False
        self.check()
        counts = self.row_counts()
        return counts.get("indicator_values", 0) > 0 or counts.get("areas", 0) > 0

    def require(self) -> None:
        """Raise `StoreMissingError` with the build command when there is no data."""
        if not self.exists():
            raise StoreMissingError(
                f"There is no store at {self.description}. Build it with `{BUILD_HINT}` (or "
                "`make app`), or point GEODATA_STORE at an existing store."
            )
        if not self.has_data():
            raise StoreMissingError(
                f"The store {self.description} holds no data yet. Build it with `{BUILD_HINT}`."
            )

    # -- reads -------------------------------------------------------------------------------

    @abc.abstractmethod
    def table(self, name: str, where: Mapping[str, object] | None = None) -> pd.DataFrame:
        """A non-spatial table in today's columns (empty with its columns when absent): whole,
        or the rows where each column of `where` equals its value (or one of a tuple's)."""

    @abc.abstractmethod
    def distinct(self, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        """The distinct combinations of some columns of a non-spatial table: a small summary
        (which series a table holds) without reading its rows into memory."""

    @abc.abstractmethod
    def values(
        self,
        indicator: str | None = None,
        year: int | None = None,
        area_codes: tuple[str, ...] | None = None,
    ) -> pd.DataFrame:
        """`indicator_values`, optionally of one indicator, one edition, some areas."""

    @abc.abstractmethod
    def areas(
        self,
        year: int | None = None,
        level: str | None = None,
        codes: tuple[str, ...] | None = None,
        geometry: bool = True,
    ) -> pd.DataFrame:
        """`areas` (a GeoDataFrame in EPSG:28992 unless ``geometry=False``), filtered."""

    def read_all(self) -> dict[str, pd.DataFrame]:
        """Every table present, for rebuilding the store with some tables replaced."""
        return {
            name: self.areas() if name in SPATIAL else self.table(name)
            for name in self.tables()
            if name in SCHEMA
        }

    # -- writes ------------------------------------------------------------------------------

    @abc.abstractmethod
    def publish(self, publish: Publish, replace_foreign: bool = False) -> None:
        """Write atomically: readers see the old store or the new one, and a failure leaves
        the old one as it was. Refuses to replace something that is not a store of this
        project unless `replace_foreign`."""

    @abc.abstractmethod
    def lock(self, wait: float = 600.0) -> AbstractContextManager[None]:
        """Hold the writers' lock (waiting up to `wait` seconds, then `StoreLockedError`)."""

    def clean_stale(self) -> list[str]:
        """Remove what killed writers left behind; returns what was removed."""
        return []

    def is_file(self, path: Path) -> bool:
        """Whether `path` is (a name of) the file that holds this store."""
        return False


def check_publish(publish: Publish) -> None:
    """Every table published is a table of the schema with its columns."""
    for name, frame in publish.tables.items():
        check_columns(name, frame)
    for name, replacement in publish.rows.items():
        check_columns(name, replacement.rows)


def iter_tables(tables: Mapping[str, pd.DataFrame]) -> Iterator[tuple[str, pd.DataFrame]]:
    """The tables in schema order (areas first), checked and cast."""
    for name in SCHEMA:
        if name in tables:
            yield name, conform(name, tables[name])
