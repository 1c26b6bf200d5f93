"""PDOK WFS "wijken en buurten" boundaries per year (gemeenten, wijken, buurten).

The layer names differ per year (``wijkenbuurten:buurten`` from 2022,
``wijkenbuurten2020:cbs_buurten_2020`` before), so each year's GetCapabilities is read first
(cached like every response) and the gemeente, wijk and buurt layers are picked by name.
GetFeature with GeoJSON output in EPSG:28992, paged with count/startIndex. The WFS holds the
whole country; features are kept when their gemeentecode is a region municipality of that
year and they are land units (`water = 'NEE'`; large waters carry a land unit's code too).
Property names are compared case-insensitively. Invalid geometries are repaired; the result is
in EPSG:28992 as MultiPolygons. A year that cannot be fetched is a gap, not a failed build.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError

from geodata.config import Region
from geodata.schema import CRS, LEVELS
from pipelines._http import HttpClient, Response
from pipelines.errors import (
    NotPublishedError,
    PipelineError,
    SchemaError,
    ServiceError,
    UnknownRegionError,
)
from pipelines.result import Gap, Provenance, SourceResult, is_test_data

SOURCE = "boundaries"
PAGE_SIZE = 1000
TYPENAMES = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}

#: The local part of a layer name per level: ``buurten`` (2022+) or ``cbs_buurten_2020``.
_LAYER_NAME = {
    "gemeente": re.compile(r"^(?:cbs_)?gemeenten?(?:_(\d{4}))?$", re.IGNORECASE),
    "wijk": re.compile(r"^(?:cbs_)?wijken(?:_(\d{4}))?$", re.IGNORECASE),
    "buurt": re.compile(r"^(?:cbs_)?buurten(?:_(\d{4}))?$", re.IGNORECASE),
}

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


@dataclass(frozen=True)
class Capabilities:
    """What a year's WFS offers: its title and its layers as (name, title)."""

    title: str
    layers: tuple[tuple[str, str], ...]


def parse_capabilities(body: bytes) -> Capabilities:
    """A WFS GetCapabilities document (any WFS version); raises ValueError when it is not one."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ValueError(f"GetCapabilities is not XML: {exc}") from exc
    if not root.tag.endswith("WFS_Capabilities"):
        raise ValueError(f"expected WFS_Capabilities, got {root.tag!r}")
    title = next((e.text or "" for e in root.iter() if e.tag.endswith("}Title")), "")
    layers = []
    for feature_type in (e for e in root.iter() if e.tag.endswith("FeatureType")):
        name = next((c.text for c in feature_type if c.tag.split("}")[-1] == "Name"), None)
        label = next((c.text for c in feature_type if c.tag.split("}")[-1] == "Title"), None)
        if name:
            layers.append((name.strip(), (label or "").strip()))
    return Capabilities(title=title.strip(), layers=tuple(layers))


def pick_type_names(capabilities: Capabilities, year: int) -> dict[str, str]:
    """The gemeente, wijk and buurt layer names of one year's WFS, picked by name.

    A name with the year in it (``cbs_buurten_2020``) must carry this year. Raises
    `SchemaError` naming the year and the layers on offer when a level has no layer.
    """
    out = {}
    for level, pattern in _LAYER_NAME.items():
        for name, _ in capabilities.layers:
            match = pattern.match(name.split(":")[-1])
            if match and match.group(1) in (None, str(year)):
                out[level] = name
                break
        else:
            offered = ", ".join(n for n, _ in capabilities.layers) or "none"
            raise SchemaError(
                f"PDOK wijkenbuurten {year} offers no {TYPENAMES[level]} layer (layers on offer: "
                f"{offered}). PDOK renamed its layers; add the new name pattern to _LAYER_NAME in "
                "pipelines/boundaries.py."
            )
    return out


def capabilities_params() -> dict[str, str]:
    return {"service": "WFS", "request": "GetCapabilities"}


def fetch_capabilities(http: HttpClient, base: str, year: int) -> Response:
    """One year's GetCapabilities (its data is a `Capabilities`).

    Raises `NotPublishedError` when PDOK has no service for the year (HTTP 404): PDOK publishes
    a year's boundaries after CBS's KWB edition, and whether it serves the years before 2020
    live is not known here. That year is then a gap, not a failed build.
    """
    try:
        return http.get_json(wfs_url(base, year), capabilities_params(), parse=parse_capabilities)
    except ServiceError as exc:
        if exc.status != 404:
            raise
        raise NotPublishedError(
            f"PDOK serves no wijken-en-buurten boundaries for {year}: {exc.url} answered "
            f"HTTP 404. The store keeps the figures of KWB {year}, but has no map of {year} "
            "until PDOK publishes it.",
            f"nothing to change: rerun `python -m pipelines build` once PDOK publishes "
            f"cbs/wijkenbuurten/{year}.",
        ) from exc


def page_params(type_name: str, start: int) -> dict[str, str]:
    return {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeNames": type_name,
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


def fetch_layer(http: HttpClient, base: str, year: int, type_name: str) -> list[Response]:
    """All pages of one layer: the first page tells numberMatched, the rest are fetched concurrently."""
    url = wfs_url(base, year)

    def page(start: int) -> Response:
        return http.get_json(url, page_params(type_name, start), parse=parse_feature_page)

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


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry | None:
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
    frame = frame.rename(columns={c: c.lower() for c in frame.columns if c != "geometry"})
    code_field = _first_present(frame, CODE_FIELDS[level], "code", level, year)
    name_field = _first_present(frame, NAME_FIELDS[level], "name", level, year)
    water_field = next((f for f in WATER_FIELDS if f in frame.columns), None)
    codes = frame[code_field].astype(str).str.strip()
    gemeente_field = next((f for f in GEMEENTE_FIELDS if f in frame.columns), None)
    gemeente = (
        frame[gemeente_field].astype(str).str.strip()
        if gemeente_field is not None
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


def fetch_year(
    http: HttpClient, base: str, year: int, region: Region
) -> tuple[gpd.GeoDataFrame, list[Provenance]]:
    """The three layers of one year as `areas` rows, with the responses they came from."""
    capabilities = fetch_capabilities(http, base, year)
    test = is_test_data(capabilities.data.title)
    names = pick_type_names(capabilities.data, year)
    frames = []
    provenance = [Provenance(SOURCE, "", "GetCapabilities", year, capabilities, 0, test)]
    layers = http.map(lambda level: fetch_layer(http, base, year, names[level]), list(LEVELS))
    for level, pages in zip(LEVELS, layers, strict=True):
        frame = gpd.GeoDataFrame(
            pd.concat([p.data.frame for p in pages], ignore_index=True), crs=pages[0].data.frame.crs
        )
        frames.append(normalise_layer(frame, level, year, region))
        provenance += [
            Provenance(SOURCE, "", names[level], year, p, len(p.data.frame), test) for p in pages
        ]
    areas = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=CRS)
    check_gemeenten_present(areas, region, year)
    return areas, provenance


def _year_gap(exc: PipelineError, base: str, year: int) -> Gap:
    return Gap.fetch_failed(SOURCE, exc, "", year, "wijkenbuurten", wfs_url(base, year))


def run(
    http: HttpClient,
    base: str,
    region: Region,
    years: list[int],
    progress: Callable[[], None] | None = None,
) -> SourceResult:
    """Pull the three layers for every year (years concurrently); a failed year is a gap."""

    def fetch(year: int) -> tuple[gpd.GeoDataFrame | None, list[Provenance], Gap | None]:
        try:
            areas, provenance = fetch_year(http, base, year, region)
        except PipelineError as exc:
            return None, [], _year_gap(exc, base, year)
        return areas, provenance, None

    results = http.map(fetch, years, progress=progress)
    frames = [r[0] for r in results if r[0] is not None]
    empty = gpd.GeoDataFrame(
        {c: [] for c in ["code", "name", "level", "gemeente_code", "wijk_code", "year"]},
        geometry=gpd.GeoSeries([], crs=CRS),
    )
    areas = gpd.GeoDataFrame(pd.concat(frames or [empty], ignore_index=True), crs=CRS)
    return SourceResult(
        source=SOURCE,
        years=tuple(years),
        tables={"areas": areas},
        provenance=[p for r in results for p in r[1]],
        gaps=[r[2] for r in results if r[2] is not None],
    )
