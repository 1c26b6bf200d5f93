"""The baseline of `benchmarks/app.py`: the plain way to build the map page.

A Streamlit page that redraws a `go.Choropleth` of the same coverage-simplified buurten with
`st.plotly_chart` on every rerun, chosen by the same indicator box and year slider. Run by the
benchmark as its own `streamlit run`, on the same store, in the same run.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import geometry
from geodata.backends import open_store
from geodata.catalogue import load_catalogue

STORE = os.environ["GEODATA_STORE"]
# plotly fetches a (here empty) world topology even for a map without base layers; the app
# serves one locally, and the benchmark passes its URL (the machine has no internet)
TOPOJSON = os.environ.get("PLAIN_TOPOJSON_URL", "")


@st.cache_resource
def areas(year: int):
    raw = open_store(STORE).areas(year=year, level="buurt")
    simple = geometry.simplify_coverage(raw)
    return simple[["code", "name"]].reset_index(drop=True), json.loads(
        json.dumps(geometry.to_feature_collection(simple))
    )


@st.cache_resource
def values(indicator: str, year: int):
    frame = open_store(STORE).values(indicator=indicator, year=year)
    return dict(zip(frame["area_code"], frame["value"], strict=True))


catalogue = {i.id: i for i in load_catalogue()}
indicator = st.sidebar.selectbox(
    "Indicator", list(catalogue), format_func=lambda i: catalogue[i].label_nl
)
year = st.sidebar.select_slider("Jaar", options=list(range(2015, 2024)), value=2023)
frame, collection = areas(year)
known = values(indicator, year)
figure = go.Figure(
    go.Choropleth(
        geojson=collection,
        featureidkey="id",
        locations=frame["code"],
        z=[known.get(c) for c in frame["code"]],
        text=frame["name"],
        colorscale="OrRd",
        marker={"line": {"width": 0.2, "color": "#fff"}},
    )
)
figure.update_geos(fitbounds="locations", visible=False)
figure.update_layout(height=700, margin={"l": 0, "r": 0, "t": 0, "b": 0})
st.title(catalogue[indicator].label_nl)
st.plotly_chart(figure, width="stretch", config={"topojsonURL": TOPOJSON})
