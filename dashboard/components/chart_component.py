"""A plotly figure drawn with the Plotly.js the map page already loads (a custom component).

Streamlit's `st.plotly_chart` brings its own plotly bundle (4.7 MB) to the browser; on the map
page, which loads Plotly.js for the map anyway, a chart drawn this way costs no second copy.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from dashboard.models.choropleth import PlotlyScripts

_HERE = Path(__file__).parent
_JS = "\n".join(
    (_HERE / name).read_text(encoding="utf-8") for name in ("plotly_loader.js", "chart.js")
)
_component = st.components.v2.component(
    "regio_armoede_chart",
    html='<div class="rc-chart" data-testid="rc-chart"></div>',
    css=".rc-chart { width: 100%; }",
    js=_JS,
    isolate_styles=False,  # Plotly's hover does not work inside a shadow root
)


def chart_data(
    figure: go.Figure, plotly: PlotlyScripts, label: str, filename: str, error_text: str
) -> dict[str, object]:
    """What the browser needs to draw `figure` (its JSON, the Plotly.js URL, an accessible
    label), with a signature of it."""
    spec = json.loads(figure.to_json())
    height = int(figure.layout.height or 320)
    data: dict[str, object] = {
        **plotly.as_data(),
        "figure": spec,
        "label": label,
        "filename": filename,
        "height": height,
        "error_text": error_text,
    }
    data["signature"] = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]
    return data


def plotly_figure(
    figure: go.Figure, plotly: PlotlyScripts, key: str, label: str, texts: tuple[str, str]
) -> None:
    """Draw `figure` with the page's Plotly.js (see the module docstring). `texts`: the file
    name of a downloaded PNG, and what to say when it cannot be drawn."""
    filename, error_text = texts
    _component(data=chart_data(figure, plotly, label, filename, error_text), key=key)
