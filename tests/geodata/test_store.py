"""The GeoPackage store: schema, atomic writes, reads and clear errors."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geodata import store
from geodata.errors import StoreError, StoreMissingError


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
        crs=store.CRS,
    )
    values = pd.DataFrame(
        {
            "area_code": ["GM0363", "BU03630000"],
            "year": [2019, 2019],
            "indicator": ["population"] * 2,
            "value": [862965.0, None],
        }
    )
    return {"areas": areas, "indicator_values": values}


def test_write_and_read_back(tmp_path):
    path = tmp_path / "store.gpkg"
    store.write_store(path, small_tables())
    assert store.list_tables(path) == ["areas", "indicator_values"]
    values = store.read_table(path, "indicator_values")
    assert values["value"].isna().tolist() == [False, True]  # null stays null, not 0
    areas = store.read_areas(path, where="level = 'buurt'")
    assert list(areas["code"]) == ["BU03630000"]
    assert areas.crs.to_epsg() == 28992
    assert store.has_data(path)


def test_a_failed_write_leaves_the_old_store_intact(tmp_path):
    path = tmp_path / "store.gpkg"
    store.write_store(path, small_tables())
    before = path.read_bytes()
    broken = small_tables()
    broken["indicator_values"] = broken["indicator_values"].rename(columns={"value": "waarde"})
    with pytest.raises(StoreError, match="columns"):
        store.write_store(path, broken)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["store.gpkg"]  # no temporary file left


def test_missing_store_says_how_to_build_it(tmp_path):
    with pytest.raises(StoreMissingError, match="python -m pipelines build"):
        store.require_store(tmp_path / "none.gpkg")


def test_corrupt_store_gives_a_clear_error(tmp_path):
    path = tmp_path / "store.gpkg"
    path.write_bytes(b"this is not a geopackage")
    with pytest.raises(StoreError, match=r"cannot be read.*rebuild it"):
        store.list_tables(path)
    assert not store.has_data(path)


def test_reading_a_table_the_store_lacks_gives_an_empty_frame(tmp_path):
    path = tmp_path / "store.gpkg"
    store.write_store(path, small_tables())
    flows = store.read_table(path, "flows")
    assert flows.empty and list(flows.columns) == list(store.SCHEMA["flows"])


def test_query_is_read_only(tmp_path):
    path = tmp_path / "store.gpkg"
    store.write_store(path, small_tables())
    assert store.query(path, "select count(*) as n from indicator_values")["n"].iloc[0] == 2
    with pytest.raises(StoreError):
        store.query(path, "delete from indicator_values")


def test_a_store_of_an_earlier_version_is_read_in_todays_columns(tmp_path):
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
    sources = store.read_table(path, "sources")
    assert list(sources.columns) == list(store.SCHEMA["sources"])
    assert list(sources["table_id"]) == ["84583NED", ""]
    assert list(sources["entity"]) == ["TypedDataSet", "Amsterdam gebieden buurten"]
    assert sources["year"].iloc[0] == 2019 and pd.isna(sources["year"].iloc[1])
    assert list(sources["status"]) == ["ok", "ok"] and not sources["test_data"].any()
    ind = store.read_table(path, "indicator_sources")
    assert ind.iloc[0]["source_key"] == "AantalInwoners_5" and ind.iloc[0]["source"] == "kwb"
