"""The choropleth map as a Streamlit custom component (v2): geometry once, recolour on rerun."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard.models.choropleth import ChoroplethModel, MapPlumbing, PlotlyScripts
from dashboard.palette import ESTIMATED_COLOR

#: PDOK BRT-Achtergrondkaart, WMTS tiles in web mercator (only fetched by the browser, only when
#: the user switches the base map on).
BRT_TILES = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
)

_HERE = Path(__file__).parent
#: The shared Plotly.js loader, then the map's module.
_JS = "\n".join(
    (_HERE / name).read_text(encoding="utf-8") for name in ("plotly_loader.js", "choropleth.js")
)
_HTML = '<div class="rc-map" data-testid="rc-map"></div>'
_CSS = ".rc-map { width: 100%; min-height: 300px; }"

# Light DOM (isolate_styles=False): Plotly's hover and click handling does not work inside a
# shadow root, where events are retargeted to the host.
_component = st.components.v2.component(
    "regio_armoede_choropleth", html=_HTML, css=_CSS, js=_JS, isolate_styles=False
)


@dataclass(frozen=True)
class MapPayload:
    """Everything the browser needs for one redraw (geometry travels separately, by URL)."""

    plotly_url: str
    plotly_complete_url: str  # the base map's trace type is only in the complete bundle
    topojson_url: str
    geo_url: str
    codes: list[str]
    z: list[int]
    colorscale: list[list[Any]]
    colorscale_n: int
    hover: list[str]
    focus_codes: list[str]
    official_codes: list[str]
    show_focus: bool
    show_official: bool
    alt: str
    filename: str
    profile_url: str
    bounds: tuple[float, float, float, float]  # lon/lat frame of the selected municipalities
    view_key: str  # pan and zoom are kept while this stays the same
    source_line: str = ""  # drawn inside the map, so a downloaded PNG carries its source
    basemap: bool = False  # draw on the PDOK base map (needs internet; falls back to white)
    basemap_url: str = BRT_TILES
    height: int = 620
    font_size: int = 14
    recolour_url: str = ""  # every indicator's colours for this map (recolour on a pick)
    estimated_codes: list[str] = field(default_factory=list)  # harmonised, partly estimated
    estimated_color: str = ESTIMATED_COLOR
    error_text: str = "De kaart kon niet worden getekend"

    @classmethod
    def build(cls, model: ChoroplethModel, plumbing: MapPlumbing) -> MapPayload:
        """The payload of a map from its model and its plumbing."""
        return cls(
            plotly_url=plumbing.plotly.url,
            plotly_complete_url=plumbing.plotly.complete_url,
            topojson_url=plumbing.topojson_url,
            geo_url=plumbing.geo_url,
            codes=model.codes,
            z=model.classes.z,
            colorscale=model.classes.colorscale,
            colorscale_n=model.classes.n + 1,
            hover=model.hover,
            focus_codes=model.focus_codes,
            official_codes=model.official_codes,
            show_focus=model.show_focus,
            show_official=model.show_official,
            estimated_codes=model.estimated_codes,
            alt=model.alt,
            filename=model.filename,
            profile_url=model.profile_url,
            bounds=plumbing.bounds,
            view_key=model.view_key,
            source_line=model.source_line,
            basemap=model.basemap,
        )

    def as_data(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]
        data["signature"] = digest
        return data


def prefetch_map(plotly: PlotlyScripts, geo_url: str, key: str, recolour_url: str = "") -> None:
    """Start loading Plotly and a map's geometry in the browser before the map is computed
    (and, once written, the colours of every indicator for a recolour on a pick)."""
    data = {"prefetch": True, **plotly.as_data(), "geo_url": geo_url}
    _component(data={**data, "recolour_url": recolour_url}, key=key)


def choropleth_map(
    model: ChoroplethModel, plumbing: MapPlumbing, key: str, recolour_url: str = ""
) -> None:
    """Draw the map. Clicking an area opens `model.profile_url` + its code in the browser;
    picking another indicator recolours it from `recolour_url` before the rerun arrives."""
    payload = replace(MapPayload.build(model, plumbing), recolour_url=recolour_url)
    _component(data=payload.as_data(), key=key)
