"""Colours of the maps and charts (colour-blind safe), in one place.

Maps use a ColorBrewer sequential palette from light to dark, ordered so that darker is always
worse; "no data" is a plain grey (the map and its legend show the same swatch). Lines per
municipality use the Okabe-Ito palette.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from plotly.colors import sample_colorscale

NO_DATA_COLOR = "#bdbdbd"
FOCUS_COLOR = "#000000"
OFFICIAL_COLOR = "#1f78b4"
ESTIMATED_COLOR = "#6a6a6a"  # the outline of a harmonised buurt whose figure is partly estimated
SEQUENTIAL = "OrRd"
DIVERGING = "RdBu_r"
GEMEENTE_COLORS = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
]  # Okabe-Ito
MISSING_CLASS = -1

# Lines and marks of the charts (Okabe-Ito): the area or chosen destinations, the others.
HIGHLIGHT = "#D55E00"
OTHER = "#0072B2"
REFERENCE = "#555555"  # a reference line (the region), the Sankey's origin
MUTED = "#bbbbbb"  # the rest of the country in the Sankey
BREAK_LINE = "#777777"  # a dotted line where a series breaks (a merger, a new division)
LABEL = "#333333"  # labels on the flow map
WIDTH_KEY = "#888888"  # the line-width key of the flow map
OUTLINE_FILL = "#f2f2f2"  # municipalities drawn as background on the flow map
OUTLINE_LINE = "#9e9e9e"
INK = "#000000"  # text on a projector
PAPER = "#ffffff"
LEGEND_BACKGROUND = "rgba(255,255,255,0.9)"  # a legend over a map or chart
CONTROL_BORDER = "rgba(49, 51, 63, 0.2)"  # the indicator picker, as Streamlit draws controls
CONTROL_BACKGROUND = "#f0f2f6"


def class_colors(n_classes: int, direction: str) -> list[str]:
    """`n_classes` colours from light to dark, ordered so that darker is always worse.

    Classes are numbered from low to high values; when higher is better, the lowest class
    gets the darkest colour.
    """
    if n_classes <= 0:
        return []
    points = [0.12 + 0.88 * i / max(n_classes - 1, 1) for i in range(n_classes)]
    colors = sample_colorscale(SEQUENTIAL, points, colortype="rgb")
    return list(reversed(colors)) if direction == "higher_is_better" else colors


def diverging_colors(n: int = 6) -> list[str]:
    """`n` colours from blue (fewer) through white to red (more)."""
    points = np.linspace(0.05, 0.95, n)
    return list(sample_colorscale(DIVERGING, list(points), colortype="rgb"))


def discrete_colorscale(colors: list[str]) -> list[list[Any]]:
    """A stepped colourscale for z = 0..n where z = 0 is 'no data' (grey)."""
    palette = [NO_DATA_COLOR, *colors]
    n = len(palette)
    scale: list[list[Any]] = []
    for i, color in enumerate(palette):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale


def z_values(classes: np.ndarray) -> list[int]:
    """Class indices shifted so that 'missing' is 0 (grey) and class i is i + 1."""
    return [0 if c == MISSING_CLASS else int(c) + 1 for c in classes]
