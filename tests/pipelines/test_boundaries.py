"""PDOK WFS: page parsing, region and water filtering, geometry repair."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from geodata.config import load_region
from pipelines import boundaries
from pipelines.errors import SchemaError
from tests.conftest import fixture_bytes


def page() -> boundaries.FeaturePage:
    return boundaries.parse_feature_page(fixture_bytes("pdok/buurten_page.geojson"))


def test_parse_feature_page_reads_number_matched_and_crs():
    parsed = page()
    assert parsed.number_matched == 1204
    assert len(parsed.frame) == 4
    assert parsed.frame.crs.to_epsg() == 28992


@pytest.mark.parametrize(
    "body", [b'{"type":"FeatureCollection","features":[{"type":"Fea', b"<html>busy</html>"]
)
def test_parse_feature_page_rejects_truncated_or_foreign_bodies(body):
    with pytest.raises(ValueError):
        boundaries.parse_feature_page(body)


def test_normalise_layer_keeps_region_land_units_and_repairs_geometry():
    areas = boundaries.normalise_layer(page().frame, "buurt", 2024, load_region())
    assert list(areas["code"]) == ["BU03630000", "BU03630001"]  # water and The Hague dropped
    row = areas.set_index("code").loc["BU03630001"]
    assert row["name"] == "Oude Kerk e.o."
    assert (
        row["wijk_code"] == "WK036300"
        and row["gemeente_code"] == "GM0363"
        and row["level"] == "buurt"
    )
    assert shapely.is_valid(areas.geometry.values).all()  # the bow-tie was repaired
    assert set(areas.geometry.geom_type) == {"MultiPolygon"}
    assert areas.crs.to_epsg() == 28992
    assert list(areas.columns) == [
        "code",
        "name",
        "level",
        "gemeente_code",
        "wijk_code",
        "year",
        "geometry",
    ]


def test_normalise_layer_names_the_missing_property():
    frame = page().frame.drop(columns=["buurtcode"])
    with pytest.raises(
        SchemaError, match=r"PDOK wijkenbuurten 2024 layer buurten has no code property"
    ):
        boundaries.normalise_layer(frame, "buurt", 2024, load_region())


def test_repair_geometries_does_not_mutate_its_input():
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    series = gpd.GeoSeries([bowtie], crs=28992)
    repaired = boundaries.repair_geometries(series)
    assert not series.is_valid.iloc[0]
    assert repaired.is_valid.iloc[0]
    assert repaired.area.iloc[0] == pytest.approx(0.5)
