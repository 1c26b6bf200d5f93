"""Display geometry: coverage simplification keeps shared borders shared."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from dashboard import geometry


def jagged_neighbours() -> gpd.GeoDataFrame:
    """Two squares that share a jagged border with many small teeth."""
    xs = np.linspace(0, 1000, 101)
    border = [(500 + (7 if i % 2 else -7), y) for i, y in enumerate(xs)]
    left = shapely.Polygon([(0, 0), *border, (0, 1000)])
    right = shapely.Polygon([(1000, 0), (1000, 1000), *reversed(border)])
    return gpd.GeoDataFrame({"code": ["BU1", "BU2"]}, geometry=[left, right], crs=28992)


def test_coverage_simplification_leaves_no_gaps_or_overlaps():
    areas = jagged_neighbours()
    simple = geometry.simplify_coverage(areas, tolerance=20)
    assert geometry.vertex_count(simple) < geometry.vertex_count(areas) / 5
    a, b = simple.geometry
    assert a.intersection(b).area < 1e-6  # no overlap
    assert a.union(b).area == __import__("pytest").approx(1000 * 1000, rel=1e-9)  # no gap


def test_per_polygon_simplification_would_have_left_gaps_or_overlaps():
    areas = jagged_neighbours()
    a, b = (shapely.simplify(g, 20, preserve_topology=True) for g in areas.geometry)
    assert a.intersection(b).area > 1 or abs(a.union(b).area - 1e6) > 1


def test_feature_collection_uses_codes_as_ids_in_wgs84():
    areas = jagged_neighbours().set_geometry(jagged_neighbours().geometry.translate(120000, 487000))
    collection = geometry.to_feature_collection(areas)
    assert [f["id"] for f in collection["features"]] == ["BU1", "BU2"]
    lon, lat = collection["features"][0]["geometry"]["coordinates"][0][0]
    assert 4 < lon < 6 and 52 < lat < 53
