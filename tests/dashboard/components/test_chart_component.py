"""The light chart component's payload: the figure as JSON, its label and a signature."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.components.chart_component import chart_data
from dashboard.models.choropleth import PlotlyScripts

SCRIPTS = PlotlyScripts("/app/static/vendor/plotly-geo.min.js", "/app/static/plotly.min.js")


def figure(y: list[int]) -> go.Figure:
    return go.Figure(go.Scatter(x=[2019, 2020], y=y, name="Zaanstad")).update_layout(height=300)


def test_the_payload_carries_the_figure_the_label_and_the_height():
    data = chart_data(figure([3, 4]), SCRIPTS, "Aantal", "f", "kapot")
    assert data["figure"]["data"][0]["y"] == [3, 4]
    assert data["figure"]["data"][0]["name"] == "Zaanstad"
    assert (data["label"], data["height"]) == ("Aantal", 300)
    assert (data["plotly_url"], data["plotly_complete_url"]) == (SCRIPTS.url, SCRIPTS.complete_url)


def test_the_signature_follows_the_figure():
    one = chart_data(figure([3, 4]), SCRIPTS, "l", "f", "e")["signature"]
    assert one == chart_data(figure([3, 4]), SCRIPTS, "l", "f", "e")["signature"]
    assert one != chart_data(figure([3, 5]), SCRIPTS, "l", "f", "e")["signature"]
