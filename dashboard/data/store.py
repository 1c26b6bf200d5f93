"""Store reads, cached: the store itself, its tables, the region and the catalogue.

Every cache is keyed on the store's version (`StoreRef`), so a rebuilt store is picked up
without restarting the app. Large frames are cached as shared resources (read-only).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from dashboard import analysis, geometry
from dashboard.i18n import t
from geodata import editions
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


@st.cache_resource(show_spinner=False, max_entries=8)
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


@st.cache_data(show_spinner=False)
def harmonised_series(ref: StoreRef) -> pd.DataFrame:
    """Which harmonised series the store holds (indicator, year, reference_year), indexed by
    indicator and year; read without the half a million values themselves, which a worker
    only reads a slice of at a time (`harmonised_for`, `harmonised_history`)."""
    series = _store(ref).distinct("harmonised_values", ("indicator", "year", "reference_year"))
    return series.set_index(["indicator", "year"]).sort_index()


@st.cache_data(show_spinner=False)
def reference_year(ref: StoreRef) -> int | None:
    """The boundary year the buurt series are harmonised to (None when the store has none)."""
    series = harmonised_series(ref)
    return int(series["reference_year"].iloc[0]) if len(series) else None


@st.cache_data(show_spinner=False, max_entries=64)
def harmonised_for(ref: StoreRef, indicator: str, year: int) -> pd.DataFrame:
    """One indicator of one edition on the reference buurten: code, value, method,
    estimated_share, error_band (empty when it has none)."""
    rows = _store(ref).table("harmonised_values", {"indicator": indicator, "year": int(year)})
    columns = ["code", "value", "method", "estimated_share", "error_band"]
    return rows[columns].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=64)
def harmonised_history(ref: StoreRef, code: str) -> pd.DataFrame | None:
    """One reference-year buurt's harmonised values over the editions (indicator, year, value);
    None when `code` is not a buurt of the reference year."""
    rows = _store(ref).table("harmonised_values", {"code": code})
    if rows.empty:
        return None
    return rows[["indicator", "year", "value", "estimated_share"]].reset_index(drop=True)


@st.cache_data(show_spinner=False)
def harmonisation_errors(ref: StoreRef) -> pd.DataFrame:
    """The measured error of estimating a figure from a larger area (see pipelines.harmonise)."""
    return _store(ref).table("harmonisation_errors")


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


def values_for(ref: StoreRef, indicator: str, year: int) -> pd.Series:
    """Values of one indicator in one edition, indexed by area code (all levels plus NL00)."""
    return analysis.values_of(all_values(ref), indicator, year)


@st.cache_data(show_spinner=False, max_entries=64)
def area_history(ref: StoreRef, code: str) -> pd.DataFrame:
    """Every indicator value of one area over all editions (area_code, year, indicator, value)."""
    values = all_values(ref)
    return values[values["area_code"] == code].reset_index()


@st.cache_data(show_spinner=False, max_entries=16)
def official_focus(ref: StoreRef, year: int) -> pd.DataFrame:
    """Areas of boundary year `year` that are on an official focus list."""
    areas = areas_table(ref)
    return match_official_areas(areas[areas["year"] == year], load_focus_lists())


@st.cache_data(show_spinner=False)
def focus_lists() -> pd.DataFrame:
    return load_focus_lists()


@st.cache_data(show_spinner=False, max_entries=64)
def geometry_fingerprints(ref: StoreRef, code: str) -> dict[int, str]:
    """Per boundary year, a fingerprint of an area's geometry (to detect boundary changes)."""
    frame = _store(ref).areas(codes=(code,))
    return {
        int(year): geometry.fingerprint(geom.area, geom.centroid.x, geom.centroid.y)
        for year, geom in zip(frame["year"], frame.geometry, strict=True)
    }


@st.cache_data(show_spinner=False)
def flows(ref: StoreRef) -> pd.DataFrame:
    """CBS 81734NED flows as stored (year, origin_code, destination_code, persons)."""
    return _store(ref).table("flows")


@st.cache_data(show_spinner=False)
def income_flows(ref: StoreRef) -> pd.DataFrame:
    """Imported moves by income group (empty when none were imported)."""
    return _store(ref).table("income_flows")


def income_source(ref: StoreRef) -> str:
    """Who delivered the imported table of moves by income group ("?" when unknown)."""
    rows = sources(ref)
    rows = rows[rows["source"] == "income_flows"]
    return str(rows.iloc[-1]["table_id"]) if len(rows) else "?"


@st.cache_data(show_spinner=False)
def flow_region_names(ref: StoreRef) -> dict[str, str]:
    table = _store(ref).table("flow_regions")
    return dict(zip(table["code"], table["name"], strict=True))


@st.cache_data(show_spinner=False, max_entries=16)
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
