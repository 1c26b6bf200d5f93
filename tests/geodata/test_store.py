"""The store contract, run over every backend: round trips, atomic publish, locks, errors."""

from __future__ import annotations

import threading
import time

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geodata import backends, schema
from geodata.errors import StoreError, StoreLockedError, StoreMissingError
from geodata.store import Publish, RowReplacement
from tests import pg


def small_tables() -> dict[str, pd.DataFrame]:
    areas = gpd.GeoDataFrame(
        {
            "code": ["GM0363", "BU03630000"],
            "name": ["Amsterdam", "Kop Zeedijk"],
            "level": ["gemeente", "buurt"],
            "gemeente_code": ["GM0363", "GM0363"],
            "wijk_code": [None, "WK036300"],
            "year": [2019, 2019],
        },
        geometry=[shapely.box(0, 0, 10, 10), shapely.box(0, 0, 1, 1)],
        crs=schema.CRS,
    )
    values = pd.DataFrame(
        {
            "area_code": ["GM0363", "BU03630000"],
            "year": [2019, 2019],
            "indicator": ["population"] * 2,
            "value": [862965.0, None],
        }
    )
    sources = pd.DataFrame(
        {
            "source": ["kwb"],
            "table_id": ["84583NED"],
            "entity": ["TypedDataSet"],
            "year": pd.array([2019], dtype="Int64"),
            "url": ["https://x"],
            "retrieved_at": ["2026-01-01T00:00:00+00:00"],
            "rows": [2],
            "sha256": ["0" * 64],
            "test_data": [True],
            "status": ["ok"],
            "note": [None],
        }
    )
    return {"areas": areas, "indicator_values": values, "sources": sources}


def test_round_trip_of_every_table(any_store):
    any_store.publish(Publish(small_tables(), complete=True))
    assert set(any_store.tables()) == {"areas", "indicator_values", "sources"}
    values = any_store.table("indicator_values")
    assert list(values.columns) == list(schema.SCHEMA["indicator_values"])
    assert values["value"].isna().sum() == 1  # a suppressed value stays missing
    areas = any_store.areas(level="buurt")
    assert list(areas["code"]) == ["BU03630000"] and areas.crs.to_epsg() == 28992
    assert set(areas.geometry.geom_type) == {"MultiPolygon"}
    sources = any_store.table("sources")
    assert bool(sources["test_data"].iloc[0]) and sources["year"].iloc[0] == 2019
    assert any_store.row_counts() == {"areas": 2, "indicator_values": 2, "sources": 1}
    assert any_store.has_data()


def test_typed_filters_bind_their_values(any_store):
    any_store.publish(Publish(small_tables(), complete=True))
    assert len(any_store.values(indicator="population", year=2019)) == 2
    assert len(any_store.values(area_codes=("GM0363",))) == 1
    assert len(any_store.values(indicator="x' OR '1'='1")) == 0  # a value, never SQL
    assert list(any_store.areas(codes=("GM0363",), geometry=False)["name"]) == ["Amsterdam"]


def test_a_table_read_by_column_values_and_its_distinct_series(any_store):
    tables = small_tables()
    more = tables["indicator_values"].assign(year=2020, value=[870000.0, 12.0])
    tables["indicator_values"] = pd.concat([tables["indicator_values"], more], ignore_index=True)
    any_store.publish(Publish(tables, complete=True))
    rows = any_store.table("indicator_values", {"area_code": "BU03630000", "year": 2020})
    assert list(rows["value"]) == [12.0]
    assert len(any_store.table("indicator_values", {"year": (2019, 2020)})) == 4
    assert any_store.table("indicator_values", {"indicator": "x' OR '1'='1"}).empty
    series = any_store.distinct("indicator_values", ("indicator", "year"))
    assert sorted(map(tuple, series.to_numpy().tolist())) == [
        ("population", 2019),
        ("population", 2020),
    ]
    assert series["year"].dtype == "int64"
    empty = any_store.distinct("harmonised_values", ("indicator", "year"))  # not in the store
    assert empty.empty and list(empty.columns) == ["indicator", "year"]


@pytest.mark.parametrize(
    ("name", "columns", "message"),
    [
        ("indicator_values", ("value; DROP TABLE sources",), "has no column"),
        ("areas", ("code",), "not a table of the store"),
        ("nope", (), "not a table of the store"),
    ],
)
def test_only_columns_of_the_schema_reach_a_query(any_store, name, columns, message):
    any_store.publish(Publish(small_tables(), complete=True))
    with pytest.raises(StoreError, match=message):
        any_store.distinct(name, columns)
    with pytest.raises(StoreError, match=message):
        any_store.table(name, dict.fromkeys(columns, 1))


def test_a_table_the_store_lacks_reads_empty_with_its_columns(any_store):
    any_store.publish(Publish(small_tables(), complete=True))
    flows = any_store.table("flows")
    assert flows.empty and list(flows.columns) == list(schema.SCHEMA["flows"])


def test_version_changes_on_every_publish(any_store):
    any_store.publish(Publish(small_tables(), complete=True))
    first = any_store.version()
    time.sleep(0.01)
    any_store.publish(Publish(small_tables(), complete=True))
    assert any_store.version() != first


def test_a_failed_publish_leaves_the_old_store(any_store):
    any_store.publish(Publish(small_tables(), complete=True))
    before = any_store.read_all()
    broken = small_tables()
    broken["indicator_values"] = broken["indicator_values"].drop(columns=["value"])
    with pytest.raises(StoreError, match="columns"):
        any_store.publish(Publish(broken, complete=True))
    after = any_store.read_all()
    for name in before:
        pd.testing.assert_frame_equal(
            pd.DataFrame(before[name]).drop(columns="geometry", errors="ignore"),
            pd.DataFrame(after[name]).drop(columns="geometry", errors="ignore"),
        )


def test_a_partial_publish_replaces_only_what_it_owns(any_store):
    any_store.publish(Publish(small_tables(), complete=True))
    flows = pd.DataFrame(
        {
            "year": [2022],
            "origin_code": ["GM0363"],
            "destination_code": ["NL01"],
            "income_group": ["laag_inkomen"],
            "households": [5],
        }
    )
    row = small_tables()["sources"].assign(
        source="income_flows", table_id="maatwerk", year=pd.array([None], dtype="Int64")
    )
    any_store.publish(
        Publish(
            {"income_flows": flows},
            rows={"sources": RowReplacement(row, {"source": "income_flows"})},
        )
    )
    any_store.publish(
        Publish(
            {"income_flows": flows.assign(households=7)},
            rows={"sources": RowReplacement(row, {"source": "income_flows"})},
        )
    )
    assert list(any_store.table("income_flows")["households"]) == [7]
    sources = any_store.table("sources")
    assert sorted(sources["source"]) == ["income_flows", "kwb"]  # replaced, not added twice
    assert len(any_store.values()) == 2  # untouched


def test_a_partial_publish_of_the_spatial_table_keeps_the_others(any_store):
    any_store.publish(Publish(small_tables(), complete=True))
    areas = small_tables()["areas"].assign(name=["Amsterdam", "Kop Zeedijk (nieuw)"])
    any_store.publish(Publish({"areas": areas}))
    assert "Kop Zeedijk (nieuw)" in set(any_store.areas(geometry=False)["name"])
    assert len(any_store.values()) == 2  # untouched


def test_missing_store_says_how_to_build_it(empty_store):
    with pytest.raises(StoreMissingError, match="python -m pipelines build"):
        empty_store.require()
    assert not empty_store.has_data()


def test_the_lock_excludes_a_second_writer(any_store):
    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with any_store.lock():
            entered.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    entered.wait(10)
    try:
        with pytest.raises(StoreLockedError, match="Another writer"), any_store.lock(wait=0.5):
            pass
    finally:
        release.set()
        holder.join()
    with any_store.lock(wait=1):
        pass  # free again


def test_upgrade_reads_a_store_of_an_earlier_version(tmp_path):
    path = tmp_path / "old.gpkg"
    old_sources = pd.DataFrame(
        {
            "source": ["kwb", "amsterdam"],
            "dataset": ["84583NED TypedDataSet", "Amsterdam gebieden buurten"],
            "year": [2019, 0],
            "url": ["u1", "u2"],
            "retrieved_at": ["t", "t"],
            "rows": [3, 4],
            "sha256": ["a", "b"],
        }
    )
    old_indicator_sources = pd.DataFrame(
        {
            "indicator": ["population"],
            "year": [2019],
            "status": ["published"],
            "table_id": ["84583NED"],
            "cbs_key": ["AantalInwoners_5"],
            "cbs_title": ["Aantal inwoners"],
            "cbs_unit": ["aantal"],
            "reference_period": [None],
        }
    )
    for name, frame in (("sources", old_sources), ("indicator_sources", old_indicator_sources)):
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG")
    target = backends.open_store(path)
    sources = target.table("sources")
    assert list(sources.columns) == list(schema.SCHEMA["sources"])
    assert list(sources["table_id"]) == ["84583NED", ""]
    assert list(sources["entity"]) == ["TypedDataSet", "Amsterdam gebieden buurten"]
    assert sources["year"].iloc[0] == 2019 and pd.isna(sources["year"].iloc[1])
    assert list(sources["status"]) == ["ok", "ok"] and not sources["test_data"].any()
    ind = target.table("indicator_sources")
    assert ind.iloc[0]["source_key"] == "AantalInwoners_5" and ind.iloc[0]["source"] == "kwb"


def test_every_table_and_column_is_documented():
    for name, (doc, columns) in schema.TABLES.items():
        assert doc and all(c.doc for c in columns), name
        assert all(c.type in ("text", "integer", "real", "boolean") for c in columns), name


def more_values() -> dict[str, pd.DataFrame]:
    tables = small_tables()
    tables["indicator_values"] = pd.concat(
        [tables["indicator_values"], tables["indicator_values"].assign(year=2020)],
        ignore_index=True,
    )
    return tables


def test_a_reader_in_flight_keeps_a_consistent_snapshot_gpkg(tmp_path):
    import contextlib
    import sqlite3

    target = backends.open_store(tmp_path / "store.gpkg")
    target.publish(Publish(small_tables(), complete=True))
    with contextlib.closing(sqlite3.connect(tmp_path / "store.gpkg")) as reader:
        reader.execute("BEGIN")
        first = reader.execute("SELECT count(*) FROM areas").fetchone()[0]
        target.publish(Publish(more_values(), complete=True))  # swapped in while reading
        values = reader.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
        assert (first, values) == (2, 2)  # the old store, whole
    assert len(target.values()) == 4


def test_a_reader_in_flight_keeps_a_consistent_snapshot_postgis(pg_cluster):
    import psycopg

    url = pg_cluster.url(schema="snapshot")
    target = backends.open_store(url)
    target.publish(Publish(small_tables(), complete=True))
    dsn = url.split("?")[0]
    with psycopg.connect(dsn) as reader:
        reader.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        first = reader.execute("SELECT count(*) FROM snapshot.areas").fetchone()[0]
        writer = threading.Thread(
            target=target.publish, args=(Publish(more_values(), complete=True),)
        )
        writer.start()
        writer.join(1.5)
        assert writer.is_alive()  # the swap waits for the reader
        values = reader.execute("SELECT count(*) FROM snapshot.indicator_values").fetchone()[0]
        assert (first, values) == (2, 2)
        reader.commit()
        writer.join(30)
    assert not writer.is_alive()
    assert len(target.values()) == 4
    target.close()


def test_postgis_tables_have_keys_indexes_and_comments(pg_cluster):
    target = backends.open_store(pg_cluster.url(schema="described"))
    target.publish(Publish(small_tables(), complete=True))
    comment = pg_cluster.psql("SELECT obj_description('described.areas'::regclass)")
    assert comment.startswith("Gemeenten, wijken and buurten")
    column = pg_cluster.psql(
        "SELECT col_description(attrelid, attnum) FROM pg_attribute "
        "WHERE attrelid = 'described.indicator_values'::regclass AND attname = 'value'"
    )
    assert column.startswith("the value in the indicator's unit")
    indexes = pg_cluster.psql("SELECT indexdef FROM pg_indexes WHERE schemaname = 'described'")
    assert "USING gist (geometry)" in indexes
    assert "(indicator, year, area_code)" in indexes and "(area_code)" in indexes
    geometry_type = pg_cluster.psql(
        "SELECT type || ',' || srid FROM geometry_columns WHERE f_table_schema = 'described'"
    )
    assert geometry_type == "MULTIPOLYGON,28992"
    target.close()


def test_a_foreign_postgis_schema_is_refused(pg_cluster):
    pg_cluster.psql("CREATE SCHEMA theirs; CREATE TABLE theirs.foo (a int)")
    target = backends.open_store(pg_cluster.url(schema="theirs"))
    with pytest.raises(StoreError, match="not a store of this project"):
        target.publish(Publish(small_tables(), complete=True))
    assert pg_cluster.psql("SELECT count(*) FROM theirs.foo") == "0"
    target.publish(Publish(small_tables(), complete=True), replace_foreign=True)
    assert "areas" in target.tables()
    target.close()


def test_a_database_without_postgis_is_named_with_the_fix(pg_cluster):
    pg_cluster.psql("CREATE DATABASE plain", database="postgres")
    url = pg_cluster.url().replace(f"/{pg.DATABASE}?", "/plain?")
    target = backends.open_store(url)
    with pytest.raises(StoreError) as caught:
        target.publish(Publish(small_tables(), complete=True))
    message = str(caught.value)
    assert "'plain'" in message and "has no PostGIS extension" in message
    assert 'psql -d plain -c "CREATE EXTENSION postgis;"' in message
    assert "free space" not in message  # not the generic write failure
    assert (
        pg_cluster.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'armoede'", "plain")
        == "0"
    )
    target.close()
