"""Static files the browser fetches once: plotly.js, an empty base-map topology and the
display geometry per year and level (written once per store version, see
`dashboard.runtime.prepare`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import streamlit as st

from dashboard import geometry
from dashboard.data.store import StoreRef, _store
from dashboard.models.choropleth import PlotlyScripts
from dashboard.runtime import display, plotly_bundle
from dashboard.runtime.display import (
    STATIC_URL,
    display_file,
    write_atomically,
)


def _publish(target: Path, body: bytes, replace: bool = False) -> None:
    """Write a static file atomically (a browser never sees half a file); keep an existing one."""
    if target.exists() and not replace:
        return
    write_atomically(target, body)


@st.cache_resource(show_spinner=False, max_entries=8)
def display_areas(ref: StoreRef, year: int, level: str) -> gpd.GeoDataFrame:
    """Areas of one year and level with coverage-simplified geometry (EPSG:28992)."""
    raw = _store(ref).areas(year=int(year), level=level)
    return geometry.simplify_coverage(raw)


@st.cache_resource(show_spinner=False, max_entries=8)
def feature_collection(ref: StoreRef, year: int, level: str) -> dict[str, Any]:
    """Display geometry of one year and level as a WGS84 GeoJSON dict (read-only)."""
    path = display_file(_store(ref), ref.target, int(year), level)
    return dict(json.loads(path.read_text(encoding="utf-8")))


@st.cache_resource(show_spinner=False, max_entries=64)
def geojson_url(ref: StoreRef, year: int, level: str) -> str:
    """URL of the static display GeoJSON for one year and level: found ready when
    `python -m dashboard.runtime.prepare` ran after the build, else written now, once per store
    version."""
    path = display_file(_store(ref), ref.target, int(year), level)
    return f"{STATIC_URL}/geo/{path.name}"


@st.cache_resource(show_spinner=False)
def plotly_js_url() -> str:
    """Plotly.js served locally (no CDN, works offline): plotly.js's geo bundle when `make setup`
    fetched it, else the installed plotly package's full bundle (see
    `dashboard.runtime.plotly_bundle`)."""
    source = plotly_bundle.served_bundle()
    if source.parent == plotly_bundle.VENDOR_DIR:
        return f"{STATIC_URL}/vendor/{source.name}"
    return plotly_complete_js_url()


@st.cache_resource(show_spinner=False)
def plotly_complete_js_url() -> str:
    """The installed plotly package's complete Plotly.js (every trace type), served locally."""
    source = plotly_bundle.full_bundle()
    target = display.STATIC_DIR / f"plotly-{plotly_bundle.version_of(source)}.min.js"
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        _publish(target, source.read_bytes(), replace=True)
    return f"{STATIC_URL}/{target.name}"


def plotly_scripts() -> PlotlyScripts:
    """Both Plotly.js URLs a page's own figures may load (see `PlotlyScripts`)."""
    return PlotlyScripts(plotly_js_url(), plotly_complete_js_url())


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
    _publish(
        display.STATIC_DIR / "topojson" / "world_110m.json", json.dumps(_EMPTY_TOPOLOGY).encode()
    )
    return f"{STATIC_URL}/topojson/"
