"""What a choropleth map shows (`ChoroplethModel`) and what it needs to be drawn (`MapPlumbing`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.analysis import Classes


@dataclass(frozen=True)
class PlotlyScripts:
    """The Plotly.js the page's own figures load (the geo bundle when set up), and the complete
    bundle that the PDOK base map needs (the same URL when only that one is served)."""

    url: str
    complete_url: str

    def as_data(self) -> dict[str, str]:
        return {"plotly_url": self.url, "plotly_complete_url": self.complete_url}


@dataclass(frozen=True)
class MapPlumbing:
    """Where the browser finds the scripts, the empty topology and the geometry; the frame."""

    plotly: PlotlyScripts
    topojson_url: str
    geo_url: str
    bounds: tuple[float, float, float, float]  # lon/lat frame of the selected municipalities


@dataclass(frozen=True)
class ChoroplethModel:
    """The areas of one map, their classes and texts; built by a page's view model."""

    codes: list[str]
    classes: Classes
    hover: list[str]
    alt: str
    filename: str
    profile_url: str
    view_key: str  # pan and zoom are kept while this stays the same
    source_line: str  # drawn inside the map, so a downloaded PNG carries its source
    focus_codes: list[str] = field(default_factory=list)
    official_codes: list[str] = field(default_factory=list)
    show_focus: bool = False
    show_official: bool = False
    basemap: bool = False
    estimated_codes: list[str] = field(default_factory=list)  # harmonised, partly estimated
