"""Display geometry: simplified as a coverage (shared borders stay shared) and sent as GeoJSON.

Per-polygon simplification moves each side of a shared border differently and leaves gaps and
overlaps; `shapely.coverage_simplify` simplifies each shared edge once. The result is
reprojected to WGS84 (what the browser map needs), coordinates rounded to ~1 m.
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

DISPLAY_TOLERANCE_M = 12.0
COORD_DECIMALS = 5


def simplify_coverage(
    areas: gpd.GeoDataFrame, tolerance: float = DISPLAY_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """Copy of `areas` (one level and year, EPSG:28992) with coverage-simplified geometry.

    Falls back to per-polygon topology-preserving simplification when the polygons are not a
    valid coverage (overlaps in the source), so a map is always drawn.
    """
    out = areas.copy()
    geoms = shapely.make_valid(out.geometry.values)
    try:
        simplified = shapely.coverage_simplify(geoms, tolerance)
    except shapely.errors.GEOSException:
        simplified = shapely.simplify(geoms, tolerance, preserve_topology=True)
    empty = shapely.is_empty(simplified) | shapely.is_missing(simplified)
    simplified = np.where(empty, geoms, simplified)
    out["geometry"] = gpd.GeoSeries(simplified, index=out.index, crs=areas.crs)
    return out


def vertex_count(areas: gpd.GeoDataFrame) -> int:
    return int(shapely.get_num_coordinates(areas.geometry.values).sum())


def to_feature_collection(areas: gpd.GeoDataFrame) -> dict[str, Any]:
    """WGS84 GeoJSON FeatureCollection with the CBS code as feature id (and property)."""
    wgs = areas.to_crs(4326)
    geoms = shapely.set_precision(wgs.geometry.values, 10**-COORD_DECIMALS)
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": code},
            "geometry": json.loads(shapely.to_geojson(g)),
        }
        for code, g in zip(wgs["code"], geoms, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def bounds_wgs84(areas: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of the areas."""
    return tuple(float(b) for b in areas.to_crs(4326).total_bounds)  # type: ignore[return-value]


def fingerprint(area: float, cx: float, cy: float) -> str:
    """A boundary fingerprint: area to 1,000 m² and centroid to 10 m. Two years of an area with
    the same fingerprint have the same boundary (for drawing series without false trends)."""
    return f"{round(area, -3):.0f}:{round(cx, -1):.0f}:{round(cy, -1):.0f}"


def overlapping(
    shape: shapely.Geometry | None, candidates: gpd.GeoDataFrame, min_share: float
) -> list[tuple[str, str]]:
    """(code, name) of the candidates that cover at least `min_share` of `shape`, largest first."""
    if candidates.empty or shape is None:
        return []
    shared = candidates.geometry.intersection(shape).area / max(float(shape.area), 1.0)
    chosen = candidates.assign(share=shared.to_numpy())
    chosen = chosen[chosen["share"] >= min_share].sort_values("share", ascending=False)
    return list(zip(chosen["code"].astype(str), chosen["name"].astype(str), strict=True))
