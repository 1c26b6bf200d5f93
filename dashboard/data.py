"""The one data-access module of the dashboard: every store read, cached.

Large frames are cached as resources (shared, never copied, treated as read-only); small
derived results as data. Every cache is keyed on the store's version (path, size and mtime),
so a rebuilt store is picked up without restarting the app. Display geometry is simplified
once per (year, level) and written as a static GeoJSON file that the browser fetches once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import analysis, breaks, deck, geometry, migration, state
from dashboard.components import figures
from dashboard.display import (
    STATIC_DIR,
    STATIC_URL,
    StaticFilesError,
    display_file,
    store_prefix,
    write_atomically,
)
from dashboard.i18n import t
from dashboard.sync import SlidePositions
from dashboard.views import slides
from dashboard.views.choropleth import MapPlumbing
from dashboard.views.flows import FlowRegion, FlowsModel
from dashboard.views.flows import flows_model as build_flows_model
from dashboard.views.map import MapModel, Toggles
from dashboard.views.map import map_model as build_map_model
from dashboard.views.map import recolour_bundle as build_recolour_bundle
from dashboard.views.profile import MAIN_INDICATOR, ProfileInputs
from dashboard.views.suburb import DestinationTable, SuburbModel
from dashboard.views.suburb import destination_tables as build_destination_tables
from dashboard.views.suburb import suburbanisation_model as build_suburb_model
from dashboard.views.tables import preview_table
from geodata import editions, export
from geodata.backends import open_store
from geodata.catalogue import Comparison, Indicator, load_catalogue, load_comparisons
from geodata.config import Region, load_region, settings_from_env
from geodata.errors import StoreError
from geodata.focus_lists import load_focus_lists, match_official_areas
from geodata.store import Store


@dataclass(frozen=True)
class StoreRef:
    """The store (a GeoPackage path or a PostGIS URL) and its version; hashable, so it keys
    the caches: a published store gets a new version and the caches follow."""

    target: str
    version: str

    @property
    def description(self) -> str:
        return _open(self.target).description


@st.cache_resource(show_spinner=False)
def _open(target: str) -> Store:
    return open_store(target)


def _store(ref: StoreRef) -> Store:
    return _open(ref.target)


def current_store() -> StoreRef:
    target = settings_from_env().store
    return StoreRef(target, _open(target).version())


def store_state(ref: StoreRef) -> str:
    """``ready``, ``empty`` (missing or without data) or the message of a damaged store."""
    if ref.version == "missing":
        return "empty"
    return _state(ref)


@st.cache_data(show_spinner=False)
def _state(ref: StoreRef) -> str:
    try:
        return "ready" if _store(ref).has_data() else "empty"
    except StoreError as exc:
        return str(exc)


def _publish(target: Path, body: bytes, replace: bool = False) -> None:
    """Write a static file atomically (a browser never sees half a file); keep an existing one."""
    if target.exists() and not replace:
        return
    write_atomically(target, body)


@st.cache_resource(show_spinner=False)
def region() -> Region:
    return load_region()


@st.cache_resource(show_spinner=False)
def gemeente_names() -> dict[str, str]:
    """Names of the region's municipalities, merged ones included, by code."""
    return {g.code: g.name for g in region().all_gemeenten}


@st.cache_data(show_spinner=False)
def indicators(ref: StoreRef) -> pd.DataFrame:
    return _store(ref).table("indicators")


@st.cache_resource(show_spinner=False)
def catalogue() -> dict[str, Indicator]:
    """The indicator catalogue by id: labels, units, descriptions and direction of each."""
    return {ind.id: ind for ind in load_catalogue()}


def options(ref: StoreRef) -> state.Options:
    """The valid values of every URL parameter: from the store (cached) and the deck folder
    (read on every run, so a deck added while the app runs is found)."""
    return replace(store_options(ref), decks=list(deck.deck_files()))


@st.cache_data(show_spinner=False)
def store_options(ref: StoreRef) -> state.Options:
    """The valid values of the URL parameters that depend on the store. Pages that draw maps
    offer an edition only when the store has its boundaries (PDOK publishes a year's
    boundaries after CBS's KWB edition; until then the edition is in profiles and exports)."""
    region_ = region()
    drawn = set(areas_table(ref)["year"])
    by_indicator = {
        indicator: [y for y in years if y in drawn]
        for indicator, years in years_by_indicator(ref).items()
    }
    flow_years = sorted({int(y) for y in flows(ref)["year"].unique()})
    groups = income_flows(ref)["income_group"]
    return state.Options(
        indicators=[i for i in catalogue() if i in by_indicator],
        years_by_indicator=by_indicator,
        gemeenten=list(region_.codes),
        highlight=list(region_.highlight),
        core=region_.core,
        flow_years=flow_years,
        income_groups=sorted(str(g) for g in groups.unique()),
    )


@st.cache_data(show_spinner=False)
def is_test_data(ref: StoreRef) -> bool:
    """Whether any source of the store marked its data as test data."""
    rows = sources(ref)
    return bool(len(rows) and rows["test_data"].fillna(False).astype(bool).any())


@st.cache_data(show_spinner=False)
def store_behind(ref: StoreRef) -> list[editions.Behind]:
    """The sources that offered a newer edition than the store holds, when last asked (by a
    build or `python -m pipelines check`)."""
    offered = _store(ref).table("service_editions")
    return editions.behind(offered, editions.held_years(sources(ref), indicator_sources(ref)))


@st.cache_data(show_spinner=False)
def newest_edition(ref: StoreRef) -> int | None:
    """The newest KWB edition the store holds published figures of."""
    rows = indicator_sources(ref)
    rows = rows[(rows["source"] == "kwb") & (rows["status"] == "published")]
    return int(rows["year"].max()) if len(rows) else None


def edition_status(ref: StoreRef, indicator: str, year: int) -> str | None:
    """`indicator_sources.status` of one indicator in one edition (None when not recorded)."""
    row = source_row(ref, indicator, year)
    return None if row is None else str(row["status"])


@st.cache_data(show_spinner=False)
def test_editions(ref: StoreRef) -> set[int]:
    """KWB editions whose responses were marked as test data."""
    rows = sources(ref)
    rows = rows[(rows["source"] == "kwb") & rows["year"].notna()]
    return {int(y) for y in rows.loc[rows["test_data"].fillna(False).astype(bool), "year"]}


def index_breaks(ref: StoreRef) -> list[breaks.Break]:
    """Where the suburbanisation index cannot be read across: a changed definition of the
    low-income share or of households, or test data meeting real data."""
    editions = years_by_indicator(ref).get(state.SUBURB_INDICATOR, [])
    found: set[breaks.Break] = set()
    for indicator in (state.SUBURB_INDICATOR, "households"):
        found.update(
            breaks.series_breaks(editions, catalogue()[indicator], None, test_editions(ref))
        )
    return sorted(found)


def attribution(ref: StoreRef, lang: str, kind: str = "cbs") -> str:
    """The source line under every figure (CBS's, or Amsterdam's for BBGA figures); it says
    TEST DATA first when that is what it is."""
    text = t("attribution_bbga" if kind == "bbga" else "attribution", lang)
    return f"{t('test_prefix', lang)} · {text}" if is_test_data(ref) else text


def test_prefix(ref: StoreRef, lang: str) -> str:
    """ "TEST DATA · " before a source line of test data, else nothing."""
    return f"{t('test_prefix', lang)} · " if is_test_data(ref) else ""


@st.cache_data(show_spinner=False)
def source_hosts(ref: StoreRef) -> list[str]:
    """The hosts the store's responses came from (the about page names them)."""
    urls = sources(ref)["url"].dropna().astype(str)
    return sorted({urlsplit(u).netloc or urlsplit(u).scheme for u in urls})


def source_row(ref: StoreRef, indicator: str, year: int) -> pd.Series | None:
    """The indicator_sources row of one indicator and edition, if any."""
    rows = indicator_sources(ref)
    row = rows[(rows["indicator"] == indicator) & (rows["year"] == year)]
    return None if row.empty else row.iloc[0]


@st.cache_data(show_spinner=False)
def indicator_sources(ref: StoreRef) -> pd.DataFrame:
    return _store(ref).table("indicator_sources")


@st.cache_data(show_spinner=False)
def sources(ref: StoreRef) -> pd.DataFrame:
    return _store(ref).table("sources")


@st.cache_resource(show_spinner=False)
def all_values(ref: StoreRef) -> pd.DataFrame:
    """Every indicator value, indexed by (indicator, year) for fast slicing. Read-only."""
    values = _store(ref).values()
    return values.set_index(["indicator", "year"]).sort_index()


@st.cache_resource(show_spinner=False)
def areas_table(ref: StoreRef) -> pd.DataFrame:
    """All areas without geometry (code, name, level, gemeente_code, wijk_code, year)."""
    areas = _store(ref).areas(geometry=False)
    return areas.sort_values(["year", "code"], ignore_index=True)


@st.cache_data(show_spinner=False, max_entries=64)
def areas_of(ref: StoreRef, year: int, level: str, gemeenten: tuple[str, ...]) -> pd.DataFrame:
    """Areas of one boundary year and level within the given municipalities (no geometry)."""
    areas = areas_table(ref)
    return areas[
        (areas["year"] == year) & (areas["level"] == level) & areas["gemeente_code"].isin(gemeenten)
    ].reset_index(drop=True)


@st.cache_data(show_spinner=False)
def years_by_indicator(ref: StoreRef) -> dict[str, list[int]]:
    """KWB editions in which each indicator has at least one value."""
    values = all_values(ref)
    out: dict[str, list[int]] = {}
    for indicator, year in values.index.unique():
        out.setdefault(indicator, []).append(int(year))
    return {k: sorted(v) for k, v in out.items()}


@st.cache_data(show_spinner=False)
def levels_by_indicator(ref: StoreRef) -> dict[str, frozenset[str]]:
    """The levels at which each indicator has at least one value (BBGA indicators also at
    Amsterdam's stadsdelen and gebieden; CBS indicators never there)."""
    areas = areas_table(ref).drop_duplicates("code").set_index("code")["level"]
    values = all_values(ref)
    # factorised: the level of each distinct code once, not of every value (cold start)
    code_ids, codes = pd.factorize(values["area_code"])
    level_ids, levels = pd.factorize(pd.Index(codes).map(areas))
    indicator_ids = values.index.codes[0].astype(np.int64)
    value_levels = level_ids[code_ids]
    known = value_levels >= 0  # codes without an area (NL00) have no level
    pairs = np.unique(indicator_ids[known] * (len(levels) + 1) + value_levels[known])
    out: dict[str, set[str]] = {}
    for pair in pairs:
        indicator, level = divmod(int(pair), len(levels) + 1)
        out.setdefault(str(values.index.levels[0][indicator]), set()).add(str(levels[level]))
    return {indicator: frozenset(found) for indicator, found in out.items()}


def comparison_of(indicator: str) -> Comparison | None:
    """The comparison an indicator belongs to (CBS's and Amsterdam's poverty measures)."""
    return next((c for c in load_comparisons() if indicator in c.indicators), None)


def same_thing_values(ref: StoreRef, indicator: str, year: int) -> dict[str, pd.Series]:
    """Values of `year` of the other indicators that measure what `indicator` measures."""
    comparison = comparison_of(indicator)
    if comparison is None:
        return {}
    others = {i: values_for(ref, i, year) for i in comparison.indicators if i != indicator}
    return {i: v for i, v in others.items() if len(v)}


def indicators_at(ref: StoreRef, level: str) -> list[str]:
    """The indicators that have values at `level`, in catalogue order."""
    by_level = levels_by_indicator(ref)
    return [i for i in options(ref).indicators if level in by_level.get(i, frozenset())]


def values_for(ref: StoreRef, indicator: str, year: int) -> pd.Series:
    """Values of one indicator in one edition, indexed by area code (all levels plus NL00)."""
    values = all_values(ref)
    try:
        part = values.loc[(indicator, year)]
    except KeyError:
        return pd.Series(dtype=float)
    return pd.Series(part["value"].to_numpy(), index=part["area_code"].to_numpy(), name=indicator)


@st.cache_data(show_spinner=False, max_entries=64)
def region_references(ref: StoreRef, gemeente: str) -> pd.DataFrame:
    """Per indicator and year: the municipality's value and the region's (a sum, or the mean of
    the municipalities weighted by the indicator's weight). The region's is left empty when a
    municipality lacks the figure (Amsterdam's BBGA figures exist for Amsterdam only): part of
    the region is not the region. Columns indicator, year, gemeente, region."""
    region_, rows = region(), []
    for ind in catalogue().values():
        for year in years_by_indicator(ref).get(ind.id, []):
            values = values_for(ref, ind.id, year)
            codes = [g.code for g in region_.gemeenten_in_kwb_year(year)]
            vals = values.reindex(codes)
            if vals.isna().any():
                total = float("nan")
            elif ind.aggregation == "sum":
                total = float(vals.sum()) if vals.notna().any() else float("nan")
            else:
                weights = values_for(ref, str(ind.weight), year).reindex(codes)
                total = analysis.weighted_mean(vals, weights)
            rows.append((ind.id, year, values.get(gemeente, float("nan")), total))
    return pd.DataFrame(rows, columns=["indicator", "year", "gemeente", "region"])


@st.cache_data(show_spinner=False, max_entries=64)
def profile_inputs(
    ref: StoreRef, code: str, focus: str, factor: float, min_hh: int
) -> tuple[ProfileInputs, str]:
    """What the profile of one area is computed from, and its municipality today."""
    areas = areas_table(ref)
    history = areas[areas["code"] == code].sort_values("year")
    latest = history.iloc[-1]
    gemeente = latest["gemeente_code"]
    gemeente = region().successor(gemeente) if gemeente in gemeente_names() else gemeente
    fingerprints = geometry_fingerprints(ref, code)
    years = [y for y in years_by_indicator(ref).get(MAIN_INDICATOR, []) if y in fingerprints]
    year = max(years) if years else None
    same_level = None
    if year is not None:
        level = areas[(areas["year"] == year) & (areas["level"] == latest["level"])]
        same_level = pd.DataFrame(
            {
                "code": level["code"],
                "value": level["code"].map(values_for(ref, MAIN_INDICATOR, year)),
            }
        )
    return (
        ProfileInputs(
            code=code,
            history=history,
            values=area_history(ref, code),
            references=region_references(ref, gemeente),
            boundary_breaks=breaks.boundary_breaks(fingerprints),
            test_editions=frozenset(test_editions(ref)),
            rank_year=year,
            same_level=same_level,
            focus=focus_buurten(ref, year, focus, factor, min_hh) if year is not None else None,
            official=official_focus(ref, year) if year is not None else None,
            successors=successors(ref, code),
            last_edition=int(areas["year"].max()),
        ),
        gemeente,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def successors(ref: StoreRef, code: str, min_share: float = 0.05) -> list[tuple[str, str]]:
    """For a code that ends before the latest edition: the areas of the same level in the next
    edition that overlap its last boundary (at least `min_share` of it), largest first."""
    rows = _store(ref).areas(codes=(code,))
    if rows.empty:
        return []
    last = rows.sort_values("year").iloc[-1]
    following = [int(y) for y in sorted(areas_table(ref)["year"].unique()) if y > last["year"]]
    if not following:
        return []
    candidates = _store(ref).areas(year=following[0], level=str(last["level"]))
    return geometry.overlapping(last.geometry, candidates, min_share)


@st.cache_data(show_spinner=False)
def area_history(ref: StoreRef, code: str) -> pd.DataFrame:
    """Every indicator value of one area over all editions (area_code, year, indicator, value)."""
    values = all_values(ref)
    return values[values["area_code"] == code].reset_index()


@st.cache_resource(show_spinner=False)
def display_areas(ref: StoreRef, year: int, level: str) -> gpd.GeoDataFrame:
    """Areas of one year and level with coverage-simplified geometry (EPSG:28992)."""
    raw = _store(ref).areas(year=int(year), level=level)
    return geometry.simplify_coverage(raw)


@st.cache_data(show_spinner=False)
def bounds(ref: StoreRef, gemeenten: tuple[str, ...]) -> tuple[float, float, float, float]:
    """Lon/lat bounds of the given municipalities (the map's frame), the same for every year so
    that a year change keeps the user's pan and zoom."""
    latest = int(areas_table(ref)["year"].max())
    areas = _store(ref).areas(year=latest, level="gemeente")
    chosen = areas[areas["gemeente_code"].isin(gemeenten)]
    return geometry.bounds_wgs84(chosen if len(chosen) else areas)


@st.cache_resource(show_spinner=False)
def feature_collection(ref: StoreRef, year: int, level: str) -> dict[str, Any]:
    """Display geometry of one year and level as a WGS84 GeoJSON dict (read-only)."""
    path = display_file(_store(ref), ref.target, int(year), level)
    return dict(json.loads(path.read_text(encoding="utf-8")))


@st.cache_resource(show_spinner=False)
def geojson_url(ref: StoreRef, year: int, level: str) -> str:
    """URL of the static display GeoJSON for one year and level: found ready when
    `python -m dashboard.prepare` ran after the build, else written now, once per store
    version."""
    path = display_file(_store(ref), ref.target, int(year), level)
    return f"{STATIC_URL}/geo/{path.name}"


@st.cache_resource(show_spinner=False)
def plotly_js_url() -> str:
    """Plotly.js from the installed plotly package, served locally (no CDN, works offline)."""
    import plotly

    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    target = STATIC_DIR / f"plotly-{plotly.__version__}.min.js"
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        _publish(target, source.read_bytes(), replace=True)
    return f"{STATIC_URL}/{target.name}"


_EMPTY_TOPOLOGY = {
    "type": "Topology",
    "objects": {
        name: {"type": "GeometryCollection", "geometries": []}
        for name in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
    },
    "arcs": [],
    "transform": {"scale": [1, 1], "translate": [0, 0]},
}


@st.cache_resource(show_spinner=False)
def topojson_url() -> str:
    """A local, empty base-map topology for plotly's geo maps.

    Plotly.js fetches a world topology from its CDN for every geo subplot, even with the base
    layers hidden. This map draws only CBS areas, so an empty topology served locally is
    enough, and nothing is fetched from the internet.
    """
    _publish(STATIC_DIR / "topojson" / "world_110m.json", json.dumps(_EMPTY_TOPOLOGY).encode())
    return f"{STATIC_URL}/topojson/"


def map_plumbing(ref: StoreRef, year: int, level: str, gemeenten: tuple[str, ...]) -> MapPlumbing:
    """The URLs and frame a map needs besides its model: script, topology, geometry, bounds."""
    return MapPlumbing(
        plotly_url=plotly_js_url(),
        topojson_url=topojson_url(),
        geo_url=geojson_url(ref, year, level),
        bounds=bounds(ref, gemeenten),
    )


@st.cache_data(show_spinner=False)
def official_focus(ref: StoreRef, year: int) -> pd.DataFrame:
    """Areas of boundary year `year` that are on an official focus list."""
    areas = areas_table(ref)
    return match_official_areas(areas[areas["year"] == year], load_focus_lists())


@st.cache_data(show_spinner=False)
def focus_lists() -> pd.DataFrame:
    return load_focus_lists()


@st.cache_data(show_spinner=False)
def geometry_fingerprints(ref: StoreRef, code: str) -> dict[int, str]:
    """Per boundary year, a fingerprint of an area's geometry (to detect boundary changes)."""
    frame = _store(ref).areas(codes=(code,))
    return {
        int(year): geometry.fingerprint(geom.area, geom.centroid.x, geom.centroid.y)
        for year, geom in zip(frame["year"], frame.geometry, strict=True)
    }


@st.cache_data(show_spinner=False)
def gemeente_parts(ref: StoreRef, indicators: tuple[str, ...], years_of: str) -> pd.DataFrame:
    """Per KWB year (those in which `years_of` is published) and per municipality of that year,
    including merged ones: year, part (its own code), code (today's successor) and the values
    of `indicators`. Callers sum parts onto today's territory as their figure requires."""
    region_ = region()
    rows = []
    for year in years_by_indicator(ref).get(years_of, []):
        values = {ind: values_for(ref, ind, year) for ind in indicators}
        for g in region_.gemeenten_in_kwb_year(year):
            row = {"year": year, "part": g.code, "code": region_.successor(g.code)}
            row.update({ind: values[ind].get(g.code, float("nan")) for ind in indicators})
            rows.append(row)
    return pd.DataFrame(rows, columns=["year", "part", "code", *indicators])


@st.cache_data(show_spinner=False)
def flows(ref: StoreRef) -> pd.DataFrame:
    """CBS 81734NED flows as stored (year, origin_code, destination_code, persons)."""
    return _store(ref).table("flows")


@st.cache_data(show_spinner=False)
def income_flows(ref: StoreRef) -> pd.DataFrame:
    """Imported moves by income group (empty when none were imported)."""
    return _store(ref).table("income_flows")


@st.cache_data(show_spinner=False)
def territory_flows(ref: StoreRef) -> pd.DataFrame:
    """Flows with merged municipalities added to their successor (today's territory)."""
    region_ = region()
    return migration.flows_on_current_territory(
        flows(ref), region_.successor, set(region_.all_codes)
    )


@st.cache_data(show_spinner=False)
def income_territory_flows(ref: StoreRef, group: str) -> pd.DataFrame:
    """Imported moves of one income group on today's territory, as persons (households)."""
    region_ = region()
    income = income_flows(ref)
    selected = income[income["income_group"] == group].rename(columns={"households": "persons"})
    return migration.flows_on_current_territory(
        selected[["year", "origin_code", "destination_code", "persons"]],
        region_.successor,
        set(region_.all_codes),
    )


@st.cache_data(show_spinner=False)
def population_by_year(ref: StoreRef) -> pd.DataFrame:
    """KWB population per current municipality and year (merged parts added before the merger)."""
    return migration.sum_parts(gemeente_parts(ref, ("population",), "population"), ["population"])


@st.cache_data(show_spinner=False)
def gemeente_estimates(ref: StoreRef) -> pd.DataFrame:
    """Per KWB year and current municipality: households and the estimated low-income share."""
    parts = gemeente_parts(ref, ("households", state.SUBURB_INDICATOR), state.SUBURB_INDICATOR)
    return migration.territory_estimates(parts, state.SUBURB_INDICATOR)


@st.cache_data(show_spinner=False, max_entries=32)
def area_estimates(ref: StoreRef, year: int, level: str) -> pd.DataFrame:
    """Areas of one year and level with their ESTIMATED low-income households."""
    areas = areas_table(ref)
    part = areas[(areas["year"] == year) & (areas["level"] == level)]
    households = part["code"].map(values_for(ref, "households", year)).astype(float)
    share = part["code"].map(values_for(ref, state.SUBURB_INDICATOR, year)).astype(float)
    return part[["code", "name", "gemeente_code"]].assign(
        low_income=migration.low_income_households(households, share)
    )


@st.cache_data(show_spinner=False, max_entries=32)
def unchanged_areas(ref: StoreRef, year_a: int, year_b: int, level: str) -> set[str]:
    """Codes with the same code and boundary in both years."""
    return migration.unchanged_areas(
        area_shapes(ref, year_a, level), area_shapes(ref, year_b, level)
    )


@st.cache_data(show_spinner=False, max_entries=32)
def comparable_level(ref: StoreRef, year_a: int, year_b: int, share: float = 0.5) -> str:
    """The finest level at which at least `share` of the areas of year B have the same code and
    boundary in year A (gemeente when no finer level qualifies)."""
    for level in ("buurt", "wijk"):
        areas = area_shapes(ref, year_b, level)
        if len(areas) and len(unchanged_areas(ref, year_a, year_b, level)) >= share * len(areas):
            return level
    return "gemeente"


@st.cache_data(show_spinner=False, max_entries=16)
def buurt_series(ref: StoreRef, gemeente: str) -> tuple[pd.DataFrame, pd.Series]:
    """The low-income share of each buurt of one municipality in every edition, with a
    boundary fingerprint per year (code, year, value, fingerprint), and the buurten's latest
    names."""
    areas = areas_table(ref)
    buurten = areas[(areas["gemeente_code"] == gemeente) & (areas["level"] == "buurt")]
    frames = []
    for year in years_by_indicator(ref).get(state.SUBURB_INDICATOR, []):
        present = buurten.loc[buurten["year"] == year, ["code"]]
        shapes = area_shapes(ref, year, "buurt").set_index("code")
        present = present[present["code"].isin(shapes.index)]
        shape = shapes.loc[present["code"]]
        frames.append(
            present.assign(
                year=year,
                value=present["code"]
                .map(values_for(ref, state.SUBURB_INDICATOR, year))
                .astype(float),
                fingerprint=[
                    geometry.fingerprint(a, x, y)
                    for a, x, y in zip(shape["area"], shape["cx"], shape["cy"], strict=True)
                ],
            )
        )
    series = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["code", "year", "value", "fingerprint"])
    )
    latest = buurten.sort_values("year").groupby("code")["name"].last()
    return series, latest


# The page models below are cached as shared objects (`cache_resource`), not copies: a copy
# would be unpickled on every rerun (for the flow page's four figures about 40 ms). Models are
# frozen dataclasses that no page changes.


@st.cache_resource(show_spinner=False, max_entries=48)
def map_model(ref: StoreRef, view: state.MapView, switches: Toggles) -> MapModel:
    """The map page's model for one view (computed once per view and store version)."""
    return build_map_model(
        areas_of(ref, view.year, view.level, view.gemeenten),
        values_for(ref, view.indicator, view.year),
        catalogue(),
        view,
        focus_buurten(ref, view.year, view.focus, view.factor, view.min_hh),
        set(official_focus(ref, view.year)["code"]),
        gemeente_names(),
        source_row(ref, view.indicator, view.year),
        switches,
        attribution(ref, view.lang, catalogue()[view.indicator].kind),
        same_thing_values(ref, view.indicator, view.year),
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def flows_model(ref: StoreRef, view: state.FlowsView) -> FlowsModel:
    """The migration page's model for one view (figures built once per view and store)."""
    region_, group, lang = region(), view.income_group, view.lang
    return build_flows_model(
        view,
        income_territory_flows(ref, group) if group else territory_flows(ref),
        FlowRegion(region_.core, region_.codes, region_.highlight),
        (gemeente_points(ref).set_index("code"), gemeente_outlines(ref)),
        {**flow_region_names(ref), **gemeente_names()},
        population_by_year(ref),
        income_source(ref) if group else None,
        test_prefix(ref, lang),
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def suburb_model(ref: StoreRef, view: state.SuburbView) -> SuburbModel:
    """The suburbanisation page's model for one view (index chart and change map)."""
    level, lang = view.level or "buurt", view.lang
    return build_suburb_model(
        view,
        gemeente_estimates(ref),
        region().core,
        (area_estimates(ref, view.year_a, level), area_estimates(ref, view.year_b, level)),
        unchanged_areas(ref, view.year_a, view.year_b, level),
        gemeente_names(),
        attribution(ref, lang),
        index_breaks(ref),
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def rise_tables(ref: StoreRef, lang: str) -> list[DestinationTable]:
    """Per highlighted destination, its buurten where the low-income share rose most."""
    series = {code: buurt_series(ref, code) for code in region().highlight}
    return build_destination_tables(series, gemeente_names(), lang)


def recolour_url(ref: StoreRef, view: state.MapView) -> str:
    """URL of the static file with the map's colours for every indicator offered at the
    view's edition, level, municipalities and classification (see `ensure_recolour`)."""
    key = f"{view.year}|{view.level}|{view.gemeenten}|{view.classes}"
    name = store_prefix(ref.target, ref.version) + hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{STATIC_URL}/recolour/{name}.json"


@st.cache_resource(show_spinner=False, max_entries=64)
def ensure_recolour(ref: StoreRef, view: state.MapView) -> str:
    """Write the file behind `recolour_url` once per store version (after the map is drawn,
    so a first visit does not wait for it); returns its URL. The browser recolours the map
    from it the moment another indicator is picked."""
    url = recolour_url(ref, view)
    target = STATIC_DIR / "recolour" / url.rsplit("/", 1)[1]
    if not target.exists():
        areas = areas_of(ref, view.year, view.level, view.gemeenten)
        offered = [
            i for i in indicators_at(ref, view.level) if view.year in years_by_indicator(ref)[i]
        ]
        values = {i: values_for(ref, i, view.year) for i in offered}
        bundle = build_recolour_bundle(areas, values, catalogue(), view)
        try:
            write_atomically(target, json.dumps(bundle, separators=(",", ":")).encode())
        except StaticFilesError:
            return ""  # no instant recolour: a pick then waits for the rerun
    return url


def deck_context(ref: StoreRef, lang: str) -> deck.DeckContext:
    """What a deck is checked against: the store's editions per indicator and years of moves."""
    return deck.DeckContext(years_by_indicator(ref), options(ref).flow_years, lang)


def shipped_deck(ref: StoreRef, name: str, lang: str) -> deck.Deck | None:
    """A deck of the decks folder, checked (read on every run: an edited file shows at once)."""
    path = deck.deck_files().get(name)
    if path is None:
        return None
    return deck.parse_deck(path.read_text(encoding="utf-8"), deck_context(ref, lang))


@st.cache_resource(show_spinner=False)
def slide_positions() -> SlidePositions:
    """Where the windows of each presentation are (shared by all sessions of this process)."""
    return SlidePositions()


@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def handout_pdf(ref: StoreRef, name: str, modified: float, lang: str, notes: bool) -> bytes:
    """The hand-out of a shipped deck as PDF (printed by headless Chromium from the real
    pages; `modified` keys the cache on the deck file's time)."""
    from dashboard import handout

    return handout.render_pdf(deck.deck_files()[name], ref.target, lang, notes)


@st.cache_resource(show_spinner=False, max_entries=64)
def slide_view(
    ref: StoreRef, current: deck.Deck, position: int, lang: str, speed_ms: int, height: int
) -> slides.SlideModel:
    """Slide `position` of `current` with its chart `height` px high, built once per deck,
    position, language, speed and height (a map slide's figure carries its geometry: about
    0.1-0.4 s to build). Shared and read-only: the page does not change it."""
    slide = current.slides[position - 1]
    inputs = None if slide.error else slide_data(ref, slide)
    model = slides.slide_model(current, position, inputs, lang, speed_ms, test_prefix(ref, lang))
    if model.figure is not None:
        model.figure.update_layout(height=height)
    return model


def slide_data(ref: StoreRef, slide: deck.Slide) -> slides.SlideData:
    """What one valid slide's figure is drawn from (every read cached)."""
    f, region_ = slide.fields, region()
    if slide.type == "map":
        year, level, ind = int(f["year"]), str(f.get("level", "buurt")), catalogue()[f["indicator"]]
        areas = display_areas(ref, year, level)
        years = [y for y in years_by_indicator(ref).get(ind.id, []) if y <= year] or [year]
        chosen = years if f.get("animate") else [year]
        values = {y: areas["code"].map(values_for(ref, ind.id, y)).astype(float) for y in chosen}
        return slides.MapSlideData(
            pd.DataFrame(areas[["code", "name"]]), feature_collection(ref, year, level), values, ind
        )
    if slide.type == "trend":
        codes = tuple(f["areas"])
        return slides.TrendSlideData(
            trend_series(ref, f["indicator"], codes),
            trend_breaks(ref, f["indicator"], codes),
            catalogue()[f["indicator"]].kind,
        )
    if slide.type == "flows":
        return slides.FlowsSlideData(
            migration.core_flows(territory_flows(ref), region_.core),
            gemeente_points(ref).set_index("code"),
            gemeente_outlines(ref),
            {**flow_region_names(ref), **gemeente_names()},
            region_.core,
            region_.codes,
            region_.highlight,
        )
    return slides.IndexSlideData(
        gemeente_estimates(ref), region_.core, tuple(b.year for b in index_breaks(ref))
    )


def trend_series(
    ref: StoreRef, indicator: str, codes: tuple[str, ...]
) -> dict[str, tuple[str, list[int], list[float]]]:
    """Per area code: its label and its values of `indicator` in every edition."""
    years = years_by_indicator(ref).get(indicator, [])
    areas, names = areas_table(ref), gemeente_names()
    out = {}
    for code in codes:
        known = areas[areas["code"] == code]
        label = names.get(code) or (str(known["name"].iloc[-1]) if len(known) else code)
        out[code] = (
            label,
            list(years),
            [float(values_for(ref, indicator, y).get(code, float("nan"))) for y in years],
        )
    return out


def trend_breaks(
    ref: StoreRef, indicator: str, codes: tuple[str, ...]
) -> dict[str, tuple[int, ...]]:
    """Per area code: the editions before which its series breaks (boundary, definition,
    test data meeting real data)."""
    years, found = years_by_indicator(ref).get(indicator, []), {}
    for code in codes:
        series = breaks.series_breaks(
            years, catalogue()[indicator], geometry_fingerprints(ref, code), test_editions(ref)
        )
        found[code] = tuple(b.year for b in series)
    return found


def income_source(ref: StoreRef) -> str:
    """Who delivered the imported table of moves by income group ("?" when unknown)."""
    rows = sources(ref)
    rows = rows[rows["source"] == "income_flows"]
    return str(rows.iloc[-1]["table_id"]) if len(rows) else "?"


@st.cache_data(show_spinner=False)
def flow_region_names(ref: StoreRef) -> dict[str, str]:
    table = _store(ref).table("flow_regions")
    return dict(zip(table["code"], table["name"], strict=True))


@st.cache_data(show_spinner=False)
def gemeente_points(ref: StoreRef) -> pd.DataFrame:
    """A representative point (lon, lat) per municipality, from its latest boundary year."""
    raw = _store(ref).areas(level="gemeente")
    latest = raw.sort_values("year").groupby("code").tail(1)
    points = latest.geometry.representative_point().to_crs(4326)
    return pd.DataFrame(
        {"code": latest["code"].to_numpy(), "lon": points.x.to_numpy(), "lat": points.y.to_numpy()}
    )


@st.cache_data(show_spinner=False)
def gemeente_outlines(ref: StoreRef) -> dict[str, Any]:
    """Simplified outlines of the current municipalities (latest year), as GeoJSON."""
    latest = int(areas_table(ref)["year"].max())
    return geometry.to_feature_collection(display_areas(ref, latest, "gemeente"))


@st.cache_data(show_spinner=False)
def area_shapes(ref: StoreRef, year: int, level: str) -> pd.DataFrame:
    """Per area of one year and level: code, area (m²) and centroid, to detect boundary changes."""
    raw = _store(ref).areas(year=int(year), level=level)
    centroids = raw.geometry.centroid
    return pd.DataFrame(
        {
            "code": raw["code"].to_numpy(),
            "area": raw.geometry.area.to_numpy(),
            "cx": centroids.x.to_numpy(),
            "cy": centroids.y.to_numpy(),
        }
    )


def _buurt_rows(ref: StoreRef, year: int, indicator: str) -> pd.DataFrame:
    """Region buurten of one year with an indicator's value and their households."""
    areas = areas_table(ref)
    buurten = areas[(areas["year"] == year) & (areas["level"] == "buurt")][
        ["code", "name", "gemeente_code"]
    ].copy()
    buurten["value"] = buurten["code"].map(values_for(ref, indicator, year)).astype(float)
    buurten["households"] = buurten["code"].map(values_for(ref, "households", year)).astype(float)
    return buurten


@st.cache_data(show_spinner=False, max_entries=32)
def focus_buurten(ref: StoreRef, year: int, focus: str, factor: float, min_hh: int) -> pd.DataFrame:
    """All region buurten of `year` flagged by the focus rule (regional mean over the region)."""
    return analysis.focus_buurten(
        _buurt_rows(ref, year, focus), analysis.FocusRule(focus, factor, min_hh)
    )


@st.cache_data(show_spinner=False, max_entries=16)
def focus_codes(ref: StoreRef, focus: str, factor: float, min_hh: int) -> tuple[str, ...]:
    """The buurten the focus rule flags in the latest edition of its measure."""
    years = years_by_indicator(ref).get(focus, [])
    if not years:
        return ()
    flagged = focus_buurten(ref, max(years), focus, factor, min_hh)
    return tuple(sorted(flagged.loc[flagged["is_focus"], "code"]))


@st.cache_data(show_spinner=False, max_entries=16)
def focus_counts(ref: StoreRef, focus: str, factor: float, min_hh: int) -> pd.DataFrame:
    """Focus buurten per current municipality and year (the concentration chart)."""
    frames = [
        _buurt_rows(ref, year, focus).assign(year=year)
        for year in years_by_indicator(ref).get(focus, [])
    ]
    if not frames:
        return pd.DataFrame(columns=["year", "gemeente_code", "focus_buurten"])
    rows = pd.concat(frames, ignore_index=True)
    rows["gemeente_code"] = rows["gemeente_code"].map(region().successor)
    return analysis.focus_counts_by_year(rows, analysis.FocusRule(focus, factor, min_hh))


@st.cache_resource(show_spinner=False, max_entries=16)
def focus_count_figure(
    ref: StoreRef, focus: str, factor: float, min_hh: int, lang: str
) -> tuple[go.Figure, str | None]:
    """The focus-buurten-per-municipality chart, built once per focus rule and language, and
    the note naming the new buurt divisions its lines break at."""
    divisions = division_breaks(ref)
    figure = figures.focus_count_chart(
        focus_counts(ref, focus, factor, min_hh),
        gemeente_names(),
        lang,
        attribution(ref, lang),
        divisions,
    )
    names = gemeente_names()
    listed = [
        f"{names.get(code, code)} {', '.join(map(str, years))}"
        for code, years in sorted(divisions.items())
        if years
    ]
    note = t("focus_count_breaks", lang, breaks="; ".join(listed)) if listed else None
    return figure, note


@st.cache_data(show_spinner=False)
def division_breaks(ref: StoreRef) -> dict[str, list[int]]:
    """Per current municipality the editions in which its set of buurt codes changed."""
    areas = areas_table(ref)
    buurten = areas[areas["level"] == "buurt"].assign(
        gemeente=lambda f: f["gemeente_code"].map(region().successor)
    )
    out: dict[str, list[int]] = {}
    for code, part in buurten.groupby("gemeente"):
        sets = {int(y): frozenset(g["code"]) for y, g in part.groupby("year")}
        out[str(code)] = [b.year for b in breaks.division_breaks(sets)]
    return out


@st.cache_data(show_spinner=False, max_entries=4)
def export_preview(
    ref: StoreRef, request: export.ExportRequest, lang: str
) -> tuple[pd.DataFrame, int, int]:
    """The first rows of an export as shown (numbers in `lang`), with its row and column count."""
    inputs = export_inputs(ref)
    long = export.export_long(inputs, request)
    table = long if request.layout == "long" else export.to_wide(long, inputs.shapes)
    return preview_table(table.head(20), lang), len(table), len(table.columns)


@st.cache_resource(show_spinner=False)
def export_inputs(ref: StoreRef) -> export.ExportInputs:
    """What exports are made from (read once per store version; read-only)."""
    return export.read_inputs(_store(ref))


@st.cache_data(show_spinner=False, max_entries=2)
def export_file(
    ref: StoreRef, request: export.ExportRequest, fmt: str, separator: str
) -> tuple[str, bytes]:
    """An export file built in a temporary folder: (generated file name, bytes)."""
    import tempfile

    name = export.default_name(request, fmt, is_test_data(ref))
    with tempfile.TemporaryDirectory() as tmp:
        path, _ = export.run(_store(ref), request, fmt, Path(tmp) / name, separator=separator)
        return name, path.read_bytes()
