"""What a choropleth map shows (`ChoroplethModel`) and what it needs to be drawn (`MapPlumbing`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.analysis import Classes


@dataclass(frozen=True)
class MapPlumbing:
    """Where the browser finds the script, the empty topology and the geometry; the frame."""

    plotly_url: str
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
