"""The GeoPackage backend of the store: one file that QGIS opens.

Raw I/O (pyogrio, and sqlite3 for in-place row replacements) sits here; nothing else touches
the file. A complete publish writes a new file next to the old one, reads it back, validates
it and swaps it in with ``os.replace`` (readers with the old file open keep reading it). A
partial publish (an import) replaces its rows in one SQLite transaction. Writers hold an
exclusive lock on ``<store>.lock``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from geodata import schema, store
from geodata.errors import (
    StoreCorruptError,
    StoreError,
    StoreForeignError,
    StoreLockedError,
    StoreWriteError,
)
from geodata.schema import SCHEMA, SPATIAL
from geodata.store import Publish, Store

SQLITE_HEADER = b"SQLite format 3\x00"
_TMP = re.compile(
    r"^\.(?P<stem>.+)\.tmp-(?P<pid>\d+)(?P<suffix>\.gpkg)(?P<extra>-journal|-wal|-shm)?$"
)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_error(path: Path, exc: BaseException) -> StoreWriteError:
    """One clear line for a store that cannot be written: what, where, what to do."""
    text = str(exc)
    number = getattr(exc, "errno", None)
    folder = path.parent
    if number in (errno.EROFS, errno.EACCES, errno.EPERM) or "read-only" in text.lower():
        return StoreWriteError(
            f"Cannot write the store {path}: the folder {folder} is read-only or not yours "
            f"({text}). Make it writable, or set GEODATA_STORE to a path in a writable folder. "
            "The existing store was left unchanged."
        )
    if number == errno.ENOSPC or "disk is full" in text.lower() or "no space" in text.lower():
        return StoreWriteError(
            f"Cannot write the store {path}: the disk holding {folder} is full ({text}). Free "
            "some space (a store needs about 40 MB, twice that while it is replaced), then "
            "rerun. The existing store was left unchanged."
        )
    return StoreWriteError(
        f"Cannot write the store {path} ({text}). Check that {folder} exists and is writable. "
        "The existing store was left unchanged."
    )


class GpkgStore(Store):
    """The store in one GeoPackage file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.description = str(self.path)

    # -- state -------------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.path.exists()

    def _damaged(self, why: str) -> StoreCorruptError:
        return StoreCorruptError(
            f"The store {self.path} is damaged: {why}. Move it aside (e.g. `mv {self.path} "
            f"{self.path}.damaged`) and rebuild it with `{schema.BUILD_HINT}`; the response "
            "cache makes that quick."
        )

    def _layers(self) -> list[str]:
        try:
            return [str(name) for name, _ in pyogrio.list_layers(self.path)]
        except (DataSourceError, DataLayerError, OSError) as exc:
            raise self._damaged(f"it cannot be opened as a GeoPackage ({exc})") from exc

    def check(self) -> None:
        if not self.exists():
            return
        size = self.path.stat().st_size
        if size == 0:
            raise self._damaged("the file is empty (0 bytes)")
        with self.path.open("rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                raise self._damaged("it is not a GeoPackage (no SQLite header)")
        try:
            with contextlib.closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as con:
                result = con.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as exc:
            raise self._damaged(f"SQLite cannot read it ({exc})") from exc
        if not result or result[0] != "ok":
            raise self._damaged(f"SQLite's integrity check reports {result[0] if result else '?'}")
        layers = self._layers()
        foreign = sorted(set(layers) - set(SCHEMA))
        if foreign:
            raise StoreForeignError(
                f"{self.path} is a GeoPackage, but not a store of this project: it has the layers "
                f"{', '.join(foreign)}. Point GEODATA_STORE at another file, or give --replace "
                "to overwrite it."
            )

    def tables(self) -> list[str]:
        return self._layers() if self.exists() else []

    def row_counts(self) -> dict[str, int]:
        return {
            name: int(pyogrio.read_info(self.path, layer=name)["features"])
            for name in self.tables()
        }

    def is_file(self, path: Path) -> bool:
        path = Path(path)
        if path.resolve() == self.path.resolve():
            return True
        try:
            return os.path.samefile(path, self.path)
        except OSError:
            return False

    def version(self) -> str:
        try:
            stat = self.path.stat()
        except OSError:
            return "missing"
        return f"{stat.st_size}-{stat.st_mtime_ns}"

    # -- reads -------------------------------------------------------------------------------

    def _read(
        self, name: str, where: str | None, params: dict[str, Any], geometry: bool
    ) -> pd.DataFrame:
        if name not in self.tables():
            return (
                schema.empty_table(name)
                if geometry or name not in SPATIAL
                else pd.DataFrame({c: pd.Series(dtype="object") for c in SCHEMA[name]})
            )
        sql_where = _bind(where, params)
        try:
            frame = pyogrio.read_dataframe(
                self.path, layer=name, where=sql_where, read_geometry=geometry, use_arrow=True
            )
        except (DataSourceError, DataLayerError) as exc:
            raise self._damaged(f"table {name} cannot be read ({exc})") from exc
        if name in SPATIAL and geometry:
            return schema.upgrade(name, frame)
        frame = pd.DataFrame(frame).drop(columns=["geometry"], errors="ignore")
        if name in SPATIAL:
            return frame[list(SCHEMA[name])].astype(schema.DTYPES.get(name, {}))
        return schema.upgrade(name, frame)

    def table(self, name: str, where: Mapping[str, object] | None = None) -> pd.DataFrame:
        schema.check_read(name, where or {})
        condition, params = _conditions(where or {})
        return self._read(name, condition, params, geometry=False)

    def distinct(self, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        schema.check_read(name, columns)
        if name not in self.tables():
            return schema.empty_table(name)[list(columns)]
        listed = ", ".join(f'"{c}"' for c in columns)  # checked against the schema above
        try:
            with contextlib.closing(
                sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
            ) as con:
                rows = con.execute(f'SELECT DISTINCT {listed} FROM "{name}"').fetchall()
        except sqlite3.Error as exc:
            raise self._damaged(f"table {name} cannot be read ({exc})") from exc
        return schema.typed_columns(name, pd.DataFrame(rows, columns=list(columns)))

    def values(
        self,
        indicator: str | None = None,
        year: int | None = None,
        area_codes: tuple[str, ...] | None = None,
    ) -> pd.DataFrame:
        where, params = _conditions({"indicator": indicator, "year": year, "area_code": area_codes})
        return self._read("indicator_values", where, params, geometry=False)

    def areas(
        self,
        year: int | None = None,
        level: str | None = None,
        codes: tuple[str, ...] | None = None,
        geometry: bool = True,
    ) -> pd.DataFrame:
        where, params = _conditions({"year": year, "level": level, "code": codes})
        return self._read("areas", where, params, geometry=geometry)

    # -- writes ------------------------------------------------------------------------------

    def _tmp_path(self) -> Path:
        return self.path.with_name(f".{self.path.stem}.tmp-{os.getpid()}{self.path.suffix}")

    def clean_stale(self) -> list[str]:
        """Delete temporary stores (and journals) of writers whose process is gone."""
        removed: list[str] = []
        folder = self.path.parent
        if not folder.is_dir():
            return removed
        for candidate in folder.iterdir():
            match = _TMP.match(candidate.name)
            if not match or match["stem"] != self.path.stem or match["suffix"] != self.path.suffix:
                continue
            if _pid_alive(int(match["pid"])):
                continue
            with contextlib.suppress(FileNotFoundError):
                candidate.unlink()
                removed.append(candidate.name)
        return removed

    def _guard(self, replace_foreign: bool) -> None:
        """Refuse to overwrite a file that is not a store of this project."""
        if replace_foreign or not self.exists():
            return
        with contextlib.suppress(StoreCorruptError):
            self.check()  # a damaged store of ours may be replaced; a foreign one may not

    def publish(self, publish: Publish, replace_foreign: bool = False) -> None:
        store.check_publish(publish)
        self._guard(replace_foreign)
        names = [*publish.tables, *publish.rows]
        if (
            publish.complete
            or not self.exists()
            or any(name not in self.tables() for name in names)
            # the GeoPackage's spatial index triggers need SpatiaLite functions that Python's
            # sqlite3 lacks: a spatial table is rewritten with the whole file instead
            or any(name in SPATIAL for name in names)
        ):
            tables = dict(publish.tables) if publish.complete else self._merged(publish)
            self._write_complete(tables)
        else:
            self._write_in_place(publish)

    def _merged(self, publish: Publish) -> dict[str, pd.DataFrame]:
        """The whole store with a partial publish applied (when it cannot go in place)."""
        tables = self.read_all() if self.exists() else {}
        tables.update(publish.tables)
        for name, replacement in publish.rows.items():
            old = tables.get(name, schema.empty_table(name))
            tables[name] = pd.concat(
                [old[~_matches(old, replacement.where)], replacement.rows], ignore_index=True
            )
        return tables

    def _write_complete(self, tables: Mapping[str, pd.DataFrame]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise write_error(self.path, exc) from exc
        tmp = self._tmp_path()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        conformed = dict(store.iter_tables(tables))
        try:
            for name, frame in conformed.items():
                _write_layer(tmp, name, frame)
            _validate_written(tmp, conformed)
            os.replace(tmp, self.path)
        except (OSError, DataSourceError, DataLayerError, pyogrio.errors.FeatureError) as exc:
            raise write_error(self.path, exc) from exc
        finally:
            for leftover in (tmp, Path(f"{tmp}-journal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()

    def _write_in_place(self, publish: Publish) -> None:
        """Replace tables and rows in one SQLite transaction (readers see all or nothing)."""
        try:
            with contextlib.closing(sqlite3.connect(self.path, timeout=60)) as con, con:
                for name, frame in store.iter_tables(publish.tables):
                    con.execute(f'DELETE FROM "{name}"')
                    _insert(con, name, frame)
                for name, replacement in publish.rows.items():
                    where, params = _sqlite_where(replacement.where)
                    con.execute(f'DELETE FROM "{name}" WHERE {where}', params)
                    _insert(con, name, schema.conform(name, replacement.rows))
        except sqlite3.OperationalError as exc:
            raise write_error(self.path, exc) from exc

    @contextlib.contextmanager
    def lock(self, wait: float = 600.0) -> Iterator[None]:
        lock_path = Path(f"{self.path}.lock")
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            handle = lock_path.open("a+")
        except OSError as exc:
            raise write_error(self.path, exc) from exc
        with handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        handle.seek(0)
                        holder = handle.read().strip() or "another process"
                        raise StoreLockedError(
                            f"Another writer ({holder}) is writing the store {self.path}; waited "
                            f"{wait:.0f} s. Let it finish and rerun, or stop it."
                        ) from None
                    time.sleep(0.2)
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            try:
                yield
            finally:
                handle.seek(0)
                handle.truncate()
                fcntl.flock(handle, fcntl.LOCK_UN)


# -- helpers -------------------------------------------------------------------------------------


def _conditions(filters: Mapping[str, object]) -> tuple[str | None, dict[str, Any]]:
    """An OGR SQL condition with named placeholders, and the values to bind."""
    clauses: list[str] = []
    params: dict[str, object] = {}
    for column, value in filters.items():
        if value is None:
            continue
        if isinstance(value, tuple | list | set | frozenset):
            names = [f"{column}_{i}" for i in range(len(value))]
            params.update(zip(names, value, strict=True))
            clauses.append(
                f"{column} IN ({', '.join(':' + n for n in names)})" if names else "0 = 1"
            )
        else:
            params[column] = value
            clauses.append(f"{column} = :{column}")
    return (" AND ".join(clauses) or None), params


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _bind(where: str | None, params: dict[str, Any]) -> str | None:
    """OGR SQL has no bound parameters: values become escaped literals here, and only here."""
    if where is None:
        return None
    return re.sub(r":(\w+)", lambda m: _literal(params[m.group(1)]), where)


def _sqlite_where(where: Mapping[str, object]) -> tuple[str, list[Any]]:
    return " AND ".join(f'"{c}" = ?' for c in where) or "1 = 1", list(where.values())


def _matches(frame: pd.DataFrame, where: Mapping[str, object]) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return mask


def _insert(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    columns = list(SCHEMA[name])
    quoted = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    rows = frame[columns].astype(object).where(frame[columns].notna(), None).itertuples(index=False)
    con.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})', [tuple(r) for r in rows])


def _write_layer(path: Path, name: str, frame: pd.DataFrame) -> None:
    if name in SPATIAL:
        pyogrio.write_dataframe(
            frame,
            path,
            layer=name,
            driver="GPKG",
            promote_to_multi=True,
            geometry_type="MultiPolygon",
        )
    else:
        # Through Arrow: attribute tables of half a million rows are written 2-3 times faster.
        pyogrio.write_dataframe(
            pd.DataFrame(frame), path, layer=name, driver="GPKG", use_arrow=True
        )


def _validate_written(path: Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Read the new file back: every table present with its row count and columns."""
    layers = dict(pyogrio.list_layers(path))
    for name, frame in tables.items():
        if name not in layers:
            raise StoreError(f"Validation of the new store failed: layer {name!r} is missing.")
        info = pyogrio.read_info(path, layer=name)
        if info["features"] != len(frame):
            raise StoreError(
                f"Validation of the new store failed: {name!r} has {info['features']} rows, "
                f"expected {len(frame)}."
            )
        if list(info["fields"]) != list(SCHEMA[name]):
            raise StoreError(
                f"Validation of the new store failed: {name!r} has fields {list(info['fields'])}."
            )


__all__ = ["GpkgStore", "gpd"]
