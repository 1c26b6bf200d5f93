"""The PostGIS backend against the mirror: the same content as the GeoPackage, readable by
GDAL as QGIS reads it, and every command working on it."""

from __future__ import annotations

import shutil
import subprocess

import pyogrio
import pytest
import shapely

from geodata.backends import open_store
from tests.hostile.conftest import cli
from tests.integration.test_build_mirror import assert_same_content

pytestmark = pytest.mark.mirror


def test_the_same_build_gives_the_same_content_in_both_backends(built_store, built_postgis):
    assert_same_content(built_store.store, built_postgis.store)


def ogr(*args: str) -> str:
    """Debian's GDAL command-line tools (pyogrio's wheel has no PostgreSQL driver)."""
    tool = shutil.which(args[0])
    assert tool, f"{args[0]} (Debian's gdal-bin) is needed; make test installs it"
    return subprocess.run([tool, *args[1:]], check=True, capture_output=True, text=True).stdout


def test_gdal_opens_the_postgis_tables_as_qgis_does(built_postgis, pg_cluster, tmp_path):
    listing = ogr("ogrinfo", "-ro", "-q", "-oo", "LIST_ALL_TABLES=YES", pg_cluster.ogr)
    for layer in ("built.areas (Multi Polygon)", "built.indicator_values", "built.sources"):
        assert layer in listing, listing
    summary = ogr("ogrinfo", "-ro", "-so", pg_cluster.ogr, "built.areas")
    assert "Geometry: Multi Polygon" in summary and 'ID["EPSG",28992]' in summary
    assert "FID Column = fid" in summary
    out = tmp_path / "areas.gpkg"
    ogr("ogr2ogr", "-f", "GPKG", str(out), pg_cluster.ogr, "built.areas", "-where", "year = 2024")
    areas = pyogrio.read_dataframe(out)
    assert areas.crs.to_epsg() == 28992 and len(areas) > 1500
    assert set(shapely.get_type_id(areas.geometry.values)) == {6}  # MultiPolygon
    comment = ogr("ogrinfo", "-ro", "-so", pg_cluster.ogr, "built.indicator_values")
    assert "Feature Count: " in comment


def test_every_command_works_on_postgis(built_postgis, tmp_path):
    env = {
        "GEODATA_STORE": built_postgis.store,
        "GEODATA_CACHE_DIR": str(built_postgis.cache_dir),
        "CBS_ODATA_URL": built_postgis.cbs_odata_url,
        "PDOK_URL": built_postgis.pdok_url,
        "AMSTERDAM_API_URL": built_postgis.amsterdam_api_url,
    }
    status = cli("status", env=env)
    assert status.returncode == 0 and "indicator_values" in status.stdout, status.stderr
    assert "postgresql://postgres@127.0.0.1" in status.stdout
    ensure = cli("ensure-store", env=env)
    assert ensure.returncode == 0 and "not rebuilding" in ensure.stdout
    csv_path = tmp_path / "flows.csv"
    csv_path.write_text(
        "year,origin_code,destination_code,income_group,households\n"
        "2022,GM0363,GM0479,laag_inkomen,7\n",
        encoding="utf-8",
    )
    imported = cli("import-flows", str(csv_path), "--source", "test", env=env)
    assert imported.returncode == 0, imported.stderr
    assert list(open_store(built_postgis.store).table("income_flows")["households"]) == [7]
    out = tmp_path / "x.csv"
    exported = cli(
        "export",
        "--format",
        "csv",
        "--gemeenten",
        "GM0363",
        "--years",
        "2024",
        "-o",
        str(out),
        env=env,
    )
    assert exported.returncode == 0 and out.stat().st_size > 10_000, exported.stderr
    rebuilt = cli("build", "--only", "amsterdam", env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert list(open_store(built_postgis.store).table("income_flows")["households"]) == [7]  # kept
