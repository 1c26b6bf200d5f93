"""The GeoPackage store: one file that QGIS opens, with a fixed, documented schema.

Raw I/O (pyogrio) sits under the DataFrame functions here; nothing else in the project
touches the file directly. Writes are atomic: a complete new store is written to a temporary
file next to the old one, read back and validated, and only then swapped in with
``os.replace``. A failed or interrupted write leaves the previous store intact.

In the whole store `year` means the KWB edition for indicators, the boundary year for areas
and the calendar year for flows.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from geodata.errors import StoreError, StoreMissingError

CRS = "EPSG:28992"
LEVELS = ("gemeente", "wijk", "buurt")

#: Columns of every table and layer, in order. The store is a public contract.
SCHEMA: dict[str, tuple[str, ...]] = {
    "areas": ("code", "name", "level", "gemeente_code", "wijk_code", "year"),
    "indicator_values": ("area_code", "year", "indicator", "value"),
    "indicators": (
        "id",
        "group",
        "label_nl",
        "label_en",
        "unit",
        "description_nl",
        "description_en",
        "aggregation",
        "weight",
        "direction",
    ),
    "indicator_sources": (
        "source",
        "indicator",
        "year",
        "status",
        "table_id",
        "source_key",
        "source_title",
        "source_unit",
        "reference_period",
        "retrieved_at",
        "note",
    ),
    "flows": ("year", "origin_code", "destination_code", "persons"),
    "flow_regions": ("code", "name"),
    "income_flows": ("year", "origin_code", "destination_code", "income_group", "households"),
    "amsterdam_areas": (
        "kind",
        "identificatie",
        "code",
        "name",
        "cbs_code",
        "parent_identificatie",
        "stadsdeel_identificatie",
        "ggwgebied_identificatie",
        "begin_geldigheid",
        "eind_geldigheid",
    ),
    "sources": (
        "source",
        "table_id",
        "entity",
        "year",
        "url",
        "retrieved_at",
        "rows",
        "sha256",
        "test_data",
        "status",
        "note",
    ),
}

#: Columns renamed since an earlier version of the schema (old name -> new name).
RENAMED: dict[str, dict[str, str]] = {
    "indicator_sources": {
        "cbs_key": "source_key",
        "cbs_title": "source_title",
        "cbs_unit": "source_unit",
    },
}

#: Column types that writes enforce (nullable where the schema allows an empty value).
DTYPES: dict[str, dict[str, str]] = {
    "sources": {"year": "Int64", "rows": "int64", "test_data": "bool"},
    "indicator_sources": {"year": "int64"},
    "indicator_values": {"year": "int64", "value": "float64"},
}

#: Values for columns that a store written by an earlier version lacks.
DEFAULTS: dict[str, dict[str, object]] = {
    "indicator_sources": {"source": "kwb"},
    "sources": {"test_data": 0, "status": "ok"},
}

#: Tables that only exist after an import (`python -m pipelines import-flows`).
OPTIONAL = frozenset({"income_flows"})

#: Tables with geometry.
SPATIAL = frozenset({"areas"})

#: Rebuild instructions, repeated in several messages.
BUILD_HINT = "python -m pipelines build"


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame with the columns of table `name` (a GeoDataFrame for layers)."""
    columns = {c: pd.Series(dtype="object") for c in SCHEMA[name]}
    if name in SPATIAL:
        return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(crs=CRS))
    return pd.DataFrame(columns)


def _check_columns(name: str, frame: pd.DataFrame) -> None:
    expected = list(SCHEMA[name])
    got = [c for c in frame.columns if c != "geometry"]
    if got != expected:
        raise StoreError(
            f"Table {name!r} has columns {got}, but the store schema needs {expected}. "
            "This is a bug in the pipeline that produced it; please report it."
        )


def _write_layer(path: Path, name: str, frame: pd.DataFrame) -> None:
    _check_columns(name, frame)
    if name in DTYPES:
        frame = frame.astype(DTYPES[name])
    if name in SPATIAL:
        if not isinstance(frame, gpd.GeoDataFrame):
            raise StoreError(f"Layer {name!r} must be a GeoDataFrame with geometry.")
        frame = frame.to_crs(CRS) if frame.crs is not None else frame.set_crs(CRS)
        pyogrio.write_dataframe(
            frame,
            path,
            layer=name,
            driver="GPKG",
            promote_to_multi=True,
            geometry_type="MultiPolygon",
        )
    else:
        pyogrio.write_dataframe(pd.DataFrame(frame), path, layer=name, driver="GPKG")


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


def write_store(path: Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Write a complete store atomically.

    `tables` maps table names from `SCHEMA` to frames. The new file replaces `path` only after
    it was written completely and validated; on any error the old file stays as it was.
    """
    unknown = sorted(set(tables) - set(SCHEMA))
    if unknown:
        raise StoreError(f"Unknown store tables {unknown}; the schema has {sorted(SCHEMA)}.")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp-{os.getpid()}{path.suffix}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        for name in SCHEMA:
            if name in tables:
                _write_layer(tmp, name, tables[name])
        _validate_written(tmp, tables)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _unreadable(path: Path, exc: Exception) -> StoreError:
    return StoreError(
        f"The store {path} cannot be read ({exc}). It may be corrupt or not a GeoPackage. "
        f"Move it aside and rebuild it with `{BUILD_HINT}`."
    )


def list_tables(path: Path) -> list[str]:
    """Names of the tables and layers in the store; [] when the file does not exist."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except (DataSourceError, DataLayerError, OSError) as exc:
        raise _unreadable(path, exc) from exc


def has_data(path: Path) -> bool:
    """True when the store exists and holds indicator values or areas."""
    try:
        tables = list_tables(path)
    except StoreError:
        return False
    for name in ("indicator_values", "areas"):
        if name in tables and pyogrio.read_info(path, layer=name)["features"] > 0:
            return True
    return False


def require_store(path: Path) -> None:
    """Raise `StoreMissingError` with the build command when the store is absent or empty."""
    path = Path(path)
    if not path.exists():
        raise StoreMissingError(
            f"There is no store at {path}. Build it with `{BUILD_HINT}` (or `make app`), "
            "or point GEODATA_STORE at an existing store."
        )
    if not has_data(path):
        raise StoreMissingError(
            f"The store {path} holds no data yet. Build it with `{BUILD_HINT}`."
        )


def read_table(path: Path, name: str, where: str | None = None) -> pd.DataFrame:
    """Read a non-spatial table (all columns), optionally filtered with an SQL `where`."""
    path = Path(path)
    if name not in SCHEMA or name in SPATIAL:
        raise StoreError(
            f"{name!r} is not a table of the store; tables: {sorted(set(SCHEMA) - SPATIAL)}."
        )
    if name not in list_tables(path):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in SCHEMA[name]})
    try:
        frame = pyogrio.read_dataframe(
            path, layer=name, where=where, read_geometry=False, use_arrow=True
        )
    except (DataSourceError, DataLayerError) as exc:
        raise _unreadable(path, exc) from exc
    return upgrade(name, pd.DataFrame(frame))


def upgrade(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table read from a store written by an earlier version, in today's columns.

    Renamed columns get their new name, missing ones their default (or empty); the old
    `sources.dataset` text ("84583NED TypedDataSet") is split into table id and entity.
    """
    frame = frame.rename(columns=RENAMED.get(name, {}))
    if name == "sources" and "dataset" in frame.columns and "entity" not in frame.columns:
        parts = frame["dataset"].astype(str).str.extract(r"^(\d{5}NED)\s+(.*)$")
        frame = frame.assign(
            table_id=parts[0].fillna(""), entity=parts[1].fillna(frame["dataset"].astype(str))
        )
        frame["year"] = frame["year"].where(frame["year"] != 0)
    for column in SCHEMA[name]:
        if column not in frame.columns:
            frame[column] = DEFAULTS.get(name, {}).get(column)
    return frame[list(SCHEMA[name])].astype(DTYPES.get(name, {}))


def read_areas(path: Path, where: str | None = None) -> gpd.GeoDataFrame:
    """Read the `areas` layer (EPSG:28992), optionally filtered with an SQL `where`."""
    path = Path(path)
    if "areas" not in list_tables(path):
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype="object") for c in SCHEMA["areas"]}, geometry=gpd.GeoSeries(crs=CRS)
        )
    try:
        frame = pyogrio.read_dataframe(path, layer="areas", where=where, use_arrow=True)
    except (DataSourceError, DataLayerError) as exc:
        raise _unreadable(path, exc) from exc
    return frame[[*SCHEMA["areas"], "geometry"]]


def read_all(path: Path) -> dict[str, pd.DataFrame]:
    """Every table of an existing store, for rebuilding it with some tables replaced."""
    out: dict[str, pd.DataFrame] = {}
    for name in list_tables(path):
        if name in SPATIAL:
            out[name] = read_areas(path)
        elif name in SCHEMA:
            out[name] = read_table(path, name)
    return out


def query(path: Path, sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run a read-only SQL query on the store (SQLite underneath the GeoPackage)."""
    path = Path(path)
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
            return pd.read_sql_query(sql, con, params=params)
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
        raise _unreadable(path, exc) from exc
