"""PDOK WFS "wijken en buurten" boundaries per year (gemeenten, wijken, buurten).

GetFeature with GeoJSON output in EPSG:28992, paged with count/startIndex. The WFS holds the
whole country; features are kept when their gemeentecode is a region municipality of that
year and they are land units (`water = 'NEE'`; large waters carry a land unit's code too).
Invalid geometries are repaired; the result is in EPSG:28992 as MultiPolygons.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError

from geodata.config import Region
from geodata.store import CRS, LEVELS
from pipelines._http import HttpClient, Response
from pipelines.errors import SchemaError, UnknownRegionError

PAGE_SIZE = 1000
TYPENAMES = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}

# Property names differ between PDOK service generations; the first present is used.
CODE_FIELDS = {
    "gemeente": ("gemeentecode", "gm_code", "statcode"),
    "wijk": ("wijkcode", "wk_code", "statcode"),
    "buurt": ("buurtcode", "bu_code", "statcode"),
}
NAME_FIELDS = {
    "gemeente": ("gemeentenaam", "gm_naam", "statnaam"),
    "wijk": ("wijknaam", "wk_naam", "statnaam"),
    "buurt": ("buurtnaam", "bu_naam", "statnaam"),
}
GEMEENTE_FIELDS = ("gemeentecode", "gm_code")
WATER_FIELDS = ("water",)


def wfs_url(base: str, year: int) -> str:
    return f"{base}/cbs/wijkenbuurten/{year}/wfs/v1_0"


def page_params(level: str, start: int) -> dict[str, str]:
    return {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeNames": f"wijkenbuurten:{TYPENAMES[level]}",
        "outputFormat": "application/json",
        "srsName": "EPSG:28992",
        "count": str(PAGE_SIZE),
        "startIndex": str(start),
    }


@dataclass(frozen=True)
class FeaturePage:
    """One parsed WFS GetFeature page."""

    frame: gpd.GeoDataFrame
    number_matched: int | None


_NUMBER_MATCHED = re.compile(rb'"numberMatched"\s*:\s*(\d+)')


def parse_feature_page(body: bytes) -> FeaturePage:
    """A GeoJSON FeatureCollection page, parsed by GDAL (fast; a truncated body raises ValueError)."""
    head = body[:4096]
    if b'"FeatureCollection"' not in head and b'"FeatureCollection"' not in body[-4096:]:
        raise ValueError("expected a GeoJSON FeatureCollection")
    try:
        frame = pyogrio.read_dataframe(io.BytesIO(body), use_arrow=True)
    except (DataSourceError, DataLayerError) as exc:
        raise ValueError(f"GeoJSON could not be read: {exc}") from exc
    if frame.crs is None:
        frame = frame.set_crs(CRS)
    match = _NUMBER_MATCHED.search(head)
    return FeaturePage(frame=frame, number_matched=int(match.group(1)) if match else None)


def fetch_layer(http: HttpClient, base: str, year: int, level: str) -> list[Response]:
    """All pages of one layer: the first page tells numberMatched, the rest are fetched concurrently."""
    url = wfs_url(base, year)

    def page(start: int) -> Response:
        return http.get_json(url, page_params(level, start), parse=parse_feature_page)

    first = page(0)
    matched = first.data.number_matched
    if matched is not None:
        return [first, *http.map(page, list(range(PAGE_SIZE, matched, PAGE_SIZE)))]
    pages = [first]  # no numberMatched: page until a short page
    while len(pages[-1].data.frame) == PAGE_SIZE:
        pages.append(page(PAGE_SIZE * len(pages)))
    return pages


def _first_present(
    properties: pd.DataFrame, names: tuple[str, ...], what: str, level: str, year: int
) -> str:
    for name in names:
        if name in properties.columns:
            return name
    raise SchemaError(
        f"PDOK wijkenbuurten {year} layer {TYPENAMES[level]} has no {what} property "
        f"(looked for {', '.join(names)}; found {', '.join(map(str, properties.columns))}). "
        "Add the new property name to pipelines/boundaries.py."
    )


def repair_geometries(geometries: gpd.GeoSeries) -> gpd.GeoSeries:
    """Make invalid geometries valid and keep only their polygonal parts, as MultiPolygons."""
    values = geometries.values
    invalid = ~shapely.is_valid(values)
    if invalid.any():
        fixed = shapely.make_valid(values[invalid])
        values = values.copy()
        values[invalid] = [_polygonal(g) for g in fixed]
    multi = [
        g if g is None or g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g])
        for g in values
    ]
    return gpd.GeoSeries(multi, index=geometries.index, crs=geometries.crs)


def _polygonal(geometry):
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [p for part in parts for p in shapely.get_parts(part)]
    return shapely.MultiPolygon(polygons) if polygons else None


def normalise_layer(
    frame: gpd.GeoDataFrame, level: str, year: int, region: Region
) -> gpd.GeoDataFrame:
    """Region land units of one layer (all its pages concatenated) as the store's `areas` rows."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    columns = ["code", "name", "level", "gemeente_code", "wijk_code", "year"]
    if frame.empty:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=gpd.GeoSeries([], crs=CRS))
    code_field = _first_present(frame, CODE_FIELDS[level], "code", level, year)
    name_field = _first_present(frame, NAME_FIELDS[level], "name", level, year)
    water_field = next((f for f in WATER_FIELDS if f in frame.columns), None)
    codes = frame[code_field].astype(str).str.strip()
    gemeente = (
        frame[GEMEENTE_FIELDS[0]].astype(str).str.strip()
        if GEMEENTE_FIELDS[0] in frame.columns
        else "GM" + codes.str[2:6]
    )
    wanted = {g.code for g in region.gemeenten_in_kwb_year(year)}
    keep = gemeente.isin(wanted)
    if water_field is not None:
        keep &= frame[water_field].astype(str).str.upper().ne("JA")
    out = gpd.GeoDataFrame(
        {
            "code": codes[keep].to_numpy(),
            "name": frame.loc[keep, name_field].astype(str).str.strip().to_numpy(),
            "level": level,
            "gemeente_code": gemeente[keep].to_numpy(),
            "wijk_code": ("WK" + codes[keep].str[2:8]).to_numpy() if level == "buurt" else None,
            "year": year,
        },
        geometry=frame.geometry[keep].to_numpy(),
        crs=frame.crs,
    )
    if out.crs is not None and out.crs.to_epsg() != 28992:
        out = out.to_crs(CRS)
    out["geometry"] = repair_geometries(out.geometry)
    duplicated = out["code"][out["code"].duplicated()].unique()
    if len(duplicated):
        out = out.dissolve(by="code", as_index=False, aggfunc="first")[[*columns, "geometry"]]
    return out.sort_values("code", ignore_index=True)


def check_gemeenten_present(areas: gpd.GeoDataFrame, region: Region, year: int) -> None:
    present = set(areas.loc[areas["level"] == "gemeente", "code"])
    missing = [g.code for g in region.gemeenten_in_kwb_year(year) if g.code not in present]
    if missing:
        raise UnknownRegionError(
            f"PDOK wijkenbuurten {year} has no gemeente polygon for {', '.join(missing)}. The code is "
            "wrong or the municipality did not exist that year; fix geodata/region.toml."
        )


@dataclass
class BoundariesResult:
    areas: gpd.GeoDataFrame
    responses: list[tuple[str, int, Response, int]]


def run(
    http: HttpClient, base: str, region: Region, years: list[int], progress=None
) -> BoundariesResult:
    """Pull the three layers for every year (years and layers concurrently)."""
    jobs = [(year, level) for year in years for level in LEVELS]

    def fetch(job: tuple[int, str]) -> tuple[gpd.GeoDataFrame, list[Response]]:
        year, level = job
        pages = fetch_layer(http, base, year, level)
        frame = gpd.GeoDataFrame(
            pd.concat([p.data.frame for p in pages], ignore_index=True), crs=pages[0].data.frame.crs
        )
        return normalise_layer(frame, level, year, region), pages

    results = http.map(fetch, jobs, progress=progress)
    areas = gpd.GeoDataFrame(pd.concat([r[0] for r in results], ignore_index=True), crs=CRS)
    for year in years:
        check_gemeenten_present(areas[areas["year"] == year], region, year)
    responses = []
    for (year, level), (_, pages) in zip(jobs, results, strict=True):
        responses += [
            (f"PDOK wijkenbuurten {TYPENAMES[level]}", year, p, len(p.data.frame)) for p in pages
        ]
    return BoundariesResult(areas=areas, responses=responses)
