"""The PostGIS backend of the store: one PostgreSQL schema, for shared deployments.

``GEODATA_STORE=postgresql://user@host:port/db?schema=armoede`` selects it. The tables and
columns are those of the GeoPackage; geometry is ``geometry(MultiPolygon, 28992)`` with a GiST
index; every table has a ``fid`` primary key (as in a GeoPackage, it keeps the row order)
and a unique key on its natural key; ``COMMENT ON`` documents every table and column, so QGIS
and psql show what each means.

A complete publish writes a staging schema, validates it, and swaps it in with one
transaction (``DROP SCHEMA live; ALTER SCHEMA staging RENAME TO live``): the drop waits for
readers that are reading the old tables, so a reader in flight keeps a consistent snapshot,
and a failure before the swap leaves the live schema untouched. A partial publish (an import)
replaces its rows in one transaction. Writers hold ``pg_advisory_lock``. Every value is bound
as a parameter or streamed with COPY; only identifiers (checked names) are formatted in.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
import uuid
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import sql
from psycopg_pool import ConnectionPool

from geodata import store
from geodata.errors import StoreError, StoreForeignError, StoreLockedError, StoreWriteError
from geodata.schema import (
    CRS,
    DTYPES,
    INDEXES,
    KEYS,
    PROJECT,
    SCHEMA,
    SPATIAL,
    TABLES,
    check_read,
    conform,
    empty_table,
    typed_columns,
)
from geodata.store import Publish, Store

PG_TYPES = {"text": "text", "integer": "bigint", "real": "double precision", "boolean": "boolean"}
MARKER = f"{PROJECT} store"
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,40}")


def parse_target(url: str) -> tuple[str, str, str]:
    """(connection string without ``schema``, schema name, description without password)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    schema = (query.pop("schema", ["armoede"]) or ["armoede"])[0]
    if not _SCHEMA_NAME.fullmatch(schema):
        raise StoreError(
            f"GEODATA_STORE names the schema {schema!r}; use lower-case letters, digits and _ "
            "(e.g. ?schema=armoede)."
        )
    dsn = urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
    netloc = parts.netloc.split("@")[-1]
    user = parts.username or ""
    description = urlunsplit(parts._replace(netloc=f"{user}@{netloc}" if user else netloc))
    return dsn, schema, description


def _ident(*names: str) -> sql.Identifier:
    return sql.Identifier(*names)


def _scalar(con: psycopg.Connection, query: Any, params: Any = None) -> Any:
    """The single value a query returns."""
    row = con.execute(query, params).fetchone()
    if row is None:
        raise StoreError("The database returned no row for a query that always returns one.")
    return row[0]


class PostgisStore(Store):
    """The store in one schema of a PostgreSQL/PostGIS database."""

    def __init__(self, url: str) -> None:
        self.dsn, self.schema, self.description = parse_target(url)
        self.staging = f"{self.schema}__staging"
        self._pool: ConnectionPool | None = None

    # -- connections -------------------------------------------------------------------------

    def _connect(self, autocommit: bool = False) -> psycopg.Connection:
        try:
            return psycopg.connect(self.dsn, autocommit=autocommit, connect_timeout=10)
        except psycopg.OperationalError as exc:
            raise StoreError(
                f"Cannot connect to the store {self.description}: {str(exc).strip()}. Check "
                "GEODATA_STORE (user, host, port, database) and that the server runs."
            ) from exc

    @contextlib.contextmanager
    def _read(self) -> Iterator[psycopg.Connection]:
        """A pooled connection in one REPEATABLE READ transaction: a consistent snapshot."""
        if self._pool is None:
            self._pool = ConnectionPool(
                self.dsn, min_size=1, max_size=4, open=False, kwargs={"connect_timeout": 10}
            )
            try:
                self._pool.open(wait=True, timeout=15)
            except Exception as exc:
                self._pool = None
                raise StoreError(
                    f"Cannot connect to the store {self.description} ({exc}). Check "
                    "GEODATA_STORE and that the server runs."
                ) from exc
        with self._pool.connection() as con:
            con.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            with con.transaction():
                yield con

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    # -- state -------------------------------------------------------------------------------

    def _comment(self, con: psycopg.Connection) -> str | None:
        row = con.execute(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s",
            (self.schema,),
        ).fetchone()
        return None if row is None else (row[0] or "")

    def exists(self) -> bool:
        with self._connect(autocommit=True) as con:
            return self._comment(con) is not None

    def check(self) -> None:
        with self._connect(autocommit=True) as con:
            comment = self._comment(con)
            if comment is None or comment.startswith(MARKER):
                return
            names = [
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                    (self.schema,),
                )
            ]
        if names:
            raise StoreForeignError(
                f"The schema {self.schema} of {self.description} is not a store of this project "
                f"(it holds {', '.join(sorted(names)[:5])}). Choose another ?schema=, or give "
                "--replace to overwrite it."
            )

    def _tables(self, con: psycopg.Connection) -> list[str]:
        rows = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (self.schema,),
        )
        present = {r[0] for r in rows}
        return [name for name in SCHEMA if name in present]

    def tables(self) -> list[str]:
        with self._connect(autocommit=True) as con:
            return self._tables(con)

    def row_counts(self) -> dict[str, int]:
        with self._connect(autocommit=True) as con:
            return {
                name: int(
                    _scalar(
                        con, sql.SQL("SELECT count(*) FROM {}").format(_ident(self.schema, name))
                    )
                )
                for name in self._tables(con)
            }

    def version(self) -> str:
        try:
            with self._connect(autocommit=True) as con:
                comment = self._comment(con)
        except StoreError:
            return "missing"
        if comment is None:
            return "missing"
        match = re.search(r"version ([0-9a-f]+)", comment)
        return match.group(1) if match else "unknown"

    # -- reads -------------------------------------------------------------------------------

    def _select(self, name: str, filters: Mapping[str, object], geometry: bool) -> pd.DataFrame:
        columns: list[sql.Composable] = [sql.Identifier(c) for c in SCHEMA[name]]
        if geometry:
            columns.append(sql.SQL("ST_AsBinary(geometry)"))
        clauses: list[sql.Composable] = []
        params: list[Any] = []
        for column, value in filters.items():
            if value is None:
                continue
            if isinstance(value, tuple | list | set | frozenset):
                clauses.append(sql.SQL("{} = ANY(%s)").format(sql.Identifier(column)))
                params.append(list(value))
            else:
                clauses.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
                params.append(value)
        where = sql.SQL(" WHERE ") + sql.SQL(" AND ").join(clauses) if clauses else sql.SQL("")
        query = sql.SQL("SELECT {} FROM {}{} ORDER BY fid").format(
            sql.SQL(", ").join(columns), _ident(self.schema, name), where
        )
        with self._read() as con:
            if name not in self._tables(con):
                return self._empty(name, geometry)
            rows = con.execute(query, params).fetchall()
        return self._frame(name, rows, geometry)

    def _empty(self, name: str, geometry: bool) -> pd.DataFrame:
        if name in SPATIAL and geometry:
            return empty_table(name)
        return pd.DataFrame({c: pd.Series(dtype="object") for c in SCHEMA[name]})

    def _frame(self, name: str, rows: list[tuple[Any, ...]], geometry: bool) -> pd.DataFrame:
        columns = list(SCHEMA[name])
        frame = pd.DataFrame(rows, columns=[*columns, "geometry"] if geometry else columns)
        for column in TABLES[name][1]:
            if column.type == "text":
                frame[column.name] = (
                    frame[column.name].astype("str").where(frame[column.name].notna())
                )
            elif column.type == "real":
                frame[column.name] = frame[column.name].astype("float64")
        frame = frame.astype(DTYPES.get(name, {}))
        if geometry:
            shapes = shapely.from_wkb(
                [bytes(g) if g is not None else None for g in frame["geometry"]]
            )
            return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=shapes, crs=CRS)
        return frame

    def table(self, name: str, where: Mapping[str, object] | None = None) -> pd.DataFrame:
        check_read(name, where or {})
        return self._select(name, where or {}, geometry=False)

    def distinct(self, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        check_read(name, columns)
        query = sql.SQL("SELECT DISTINCT {} FROM {}").format(
            sql.SQL(", ").join(sql.Identifier(c) for c in columns), _ident(self.schema, name)
        )
        with self._read() as con:
            if name not in self._tables(con):
                return self._empty(name, False)[list(columns)]
            rows = con.execute(query).fetchall()
        return typed_columns(name, pd.DataFrame(rows, columns=list(columns)))

    def values(
        self,
        indicator: str | None = None,
        year: int | None = None,
        area_codes: tuple[str, ...] | None = None,
    ) -> pd.DataFrame:
        return self._select(
            "indicator_values",
            {"indicator": indicator, "year": year, "area_code": area_codes},
            False,
        )

    def areas(
        self,
        year: int | None = None,
        level: str | None = None,
        codes: tuple[str, ...] | None = None,
        geometry: bool = True,
    ) -> pd.DataFrame:
        return self._select("areas", {"year": year, "level": level, "code": codes}, geometry)

    # -- writes ------------------------------------------------------------------------------

    def require_postgis(self) -> None:
        """A database without the PostGIS extension cannot hold the boundaries: say so, and
        how to add it, before anything is written (instead of "type geometry does not exist")."""
        with self._connect(autocommit=True) as con:
            present = _scalar(con, "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'")
            database = con.info.dbname
        if not present:
            raise StoreError(
                f"The database {database!r} of {self.description} has no PostGIS extension, "
                "which the store needs for its boundaries; nothing was written. Add it once, as "
                f'the database owner: psql -d {database} -c "CREATE EXTENSION postgis;" (the '
                "server needs the PostGIS package, e.g. Debian's postgresql-15-postgis-3), then "
                "rerun."
            )

    def publish(self, publish: Publish, replace_foreign: bool = False) -> None:
        store.check_publish(publish)
        self.require_postgis()
        if not replace_foreign:
            self.check()
        try:
            if publish.complete or not self.exists():
                tables = dict(publish.tables) if publish.complete else self._merged(publish)
                self._publish_complete(tables)
            else:
                self._publish_partial(publish)
        except psycopg.Error as exc:
            raise StoreWriteError(
                f"Writing the store {self.description} failed ({str(exc).strip()}); the live "
                "schema was left unchanged. Check the database's free space and permissions."
            ) from exc

    def _merged(self, publish: Publish) -> dict[str, pd.DataFrame]:
        tables = dict(publish.tables)
        for name, replacement in publish.rows.items():
            tables[name] = replacement.rows
        return tables

    def _publish_complete(self, tables: Mapping[str, pd.DataFrame]) -> None:
        conformed = dict(store.iter_tables(tables))
        with self._connect(autocommit=True) as con:
            with con.transaction():
                con.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(_ident(self.staging))
                )
                con.execute(sql.SQL("CREATE SCHEMA {}").format(_ident(self.staging)))
                for name, frame in conformed.items():
                    _create(con, self.staging, name)
                    _copy(con, self.staging, name, frame)
                    _finish(con, self.staging, name)
            _validate(con, self.staging, conformed)
            with con.transaction():
                con.execute("SET LOCAL lock_timeout = '10min'")
                con.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(_ident(self.schema)))
                con.execute(
                    sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                        _ident(self.staging), _ident(self.schema)
                    )
                )
                self._mark(con)

    def _mark(self, con: psycopg.Connection) -> None:
        comment = f"{MARKER}; version {uuid.uuid4().hex}; published {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}"
        con.execute(
            sql.SQL("COMMENT ON SCHEMA {} IS {}").format(_ident(self.schema), sql.Literal(comment))
        )

    def _publish_partial(self, publish: Publish) -> None:
        with self._connect(autocommit=True) as con, con.transaction():
            present = set(self._tables(con))
            for name, frame in store.iter_tables(publish.tables):
                if name not in present:
                    _create(con, self.schema, name)
                    _finish(con, self.schema, name)
                con.execute(sql.SQL("DELETE FROM {}").format(_ident(self.schema, name)))
                _copy(con, self.schema, name, frame)
            for name, replacement in publish.rows.items():
                condition = sql.SQL(" AND ").join(
                    sql.SQL("{} = %s").format(sql.Identifier(c)) for c in replacement.where
                )
                con.execute(
                    sql.SQL("DELETE FROM {} WHERE {}").format(_ident(self.schema, name), condition),
                    list(replacement.where.values()),
                )
                _copy(con, self.schema, name, conform(name, replacement.rows))
            self._mark(con)

    @contextlib.contextmanager
    def lock(self, wait: float = 600.0) -> Iterator[None]:
        con = self._connect(autocommit=True)
        key = f"{PROJECT}:{self.schema}"
        try:
            deadline = time.monotonic() + wait
            while not _scalar(con, "SELECT pg_try_advisory_lock(hashtext(%s))", (key,)):
                if time.monotonic() >= deadline:
                    raise StoreLockedError(
                        f"Another writer is writing the store {self.description}; waited "
                        f"{wait:.0f} s. Let it finish and rerun, or stop it."
                    )
                time.sleep(0.2)
            try:
                yield
            finally:
                con.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
        finally:
            con.close()


# -- DDL and data --------------------------------------------------------------------------------


def _create(con: psycopg.Connection, schema: str, name: str) -> None:
    doc, columns = TABLES[name]
    fields: list[sql.Composable] = [sql.SQL("fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")]
    fields += [
        sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(PG_TYPES[c.type])) for c in columns
    ]
    if name in SPATIAL:
        fields.append(sql.SQL("geometry geometry(MultiPolygon, 28992)"))
    con.execute(
        sql.SQL("CREATE TABLE {} ({})").format(_ident(schema, name), sql.SQL(", ").join(fields))
    )
    table = _ident(schema, name)
    con.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(table, sql.Literal(doc)))
    for column in columns:
        con.execute(
            sql.SQL("COMMENT ON COLUMN {}.{} IS {}").format(
                table, sql.Identifier(column.name), sql.Literal(column.doc)
            )
        )
    if name in SPATIAL:
        con.execute(
            sql.SQL("COMMENT ON COLUMN {}.geometry IS {}").format(
                table, sql.Literal("boundary, MultiPolygon in EPSG:28992 (RD New)")
            )
        )


def _finish(con: psycopg.Connection, schema: str, name: str) -> None:
    """Keys and indexes, created after the data is in (faster than maintaining them)."""
    table = _ident(schema, name)
    if name in KEYS:
        con.execute(
            sql.SQL("ALTER TABLE {} ADD UNIQUE ({})").format(
                table, sql.SQL(", ").join(sql.Identifier(c) for c in KEYS[name])
            )
        )
    for columns in INDEXES.get(name, ()):
        con.execute(
            sql.SQL("CREATE INDEX ON {} ({})").format(
                table, sql.SQL(", ").join(sql.Identifier(c) for c in columns)
            )
        )
    if name in SPATIAL:
        con.execute(sql.SQL("CREATE INDEX ON {} USING gist (geometry)").format(table))
    con.execute(sql.SQL("ANALYZE {}").format(table))


def _multi(geometries: np.ndarray) -> np.ndarray:
    """Polygons as one-part MultiPolygons (the column's type), others as they are."""
    out = geometries.copy()
    polygons = shapely.get_type_id(out) == 3
    out[polygons] = [shapely.MultiPolygon([g]) for g in out[polygons]]
    return out


def _csv(name: str, frame: pd.DataFrame) -> str:
    """`frame` as CSV for COPY: geometry as hex EWKB, empty values as \\N."""
    out = pd.DataFrame(frame[list(SCHEMA[name])])
    if name in SPATIAL:
        geoms = _multi(frame.geometry.values)
        out["geometry"] = shapely.to_wkb(
            shapely.set_srid(geoms, 28992), hex=True, include_srid=True
        )
    buffer = io.StringIO()
    out.to_csv(buffer, header=False, index=False, na_rep="\\N")
    return buffer.getvalue()


def _copy(con: psycopg.Connection, schema: str, name: str, frame: pd.DataFrame) -> None:
    columns = [*SCHEMA[name], "geometry"] if name in SPATIAL else list(SCHEMA[name])
    statement = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv, NULL '\\N')").format(
        _ident(schema, name), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    with con.cursor().copy(statement) as copy:
        copy.write(_csv(name, frame))


def _validate(con: psycopg.Connection, schema: str, tables: Mapping[str, pd.DataFrame]) -> None:
    for name, frame in tables.items():
        count = _scalar(con, sql.SQL("SELECT count(*) FROM {}").format(_ident(schema, name)))
        if count != len(frame):
            raise StoreError(
                f"Validation of the new store failed: {name!r} has {count} rows, expected {len(frame)}."
            )
