"""Presentation mode ("Presenteren") for workshops: full width, large type, slides from a deck.

URL parameters: ``deck`` (a deck in decks/), ``slide`` (1-based), ``lang``. Everything comes from
the local store: it works without wifi.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import analysis, data, deck, migration
from dashboard.components import figures, flow_figures
from dashboard.components.keys import arrow_keys
from dashboard.i18n import t
from dashboard.pages import common

FONT = 20
STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
.block-container { max-width: 100%; padding-top: 1.5rem; }
h1 { font-size: 44px !important; color: #000; }
h2, h3 { font-size: 34px !important; color: #000; }
p, label, li, .stMarkdown, .stCaption, button { font-size: 20px !important; }
</style>
"""


def _layout(fig: go.Figure, source: str, height: int = 640) -> go.Figure:
    fig.update_layout(
        height=height,
        font={"size": FONT, "color": "#000"},
        paper_bgcolor="#fff",
        plot_bgcolor="#fff",
    )
    fig.add_annotation(
        text=source, x=0, y=-0.06, xref="paper", yref="paper", showarrow=False, font={"size": 14}
    )
    return fig


def map_figure(ref: data.StoreRef, slide: deck.Slide, lang: str) -> go.Figure:
    """Choropleth of one indicator; with ``animate`` a frame per year on that year's boundaries."""
    f = slide.fields
    year, level, indicator = int(f["year"]), f.get("level", "buurt"), f["indicator"]
    meta = data.indicators(ref).set_index("id").loc[indicator]
    areas = data.display_areas(ref, year, level)
    collection = data.feature_collection(ref, year, level)
    codes = list(areas["code"])
    years = [
        y
        for y in data.years_by_indicator(ref).get(indicator, [])
        if not f.get("animate") or y <= year
    ] or [year]
    frame_years = years if f.get("animate") else [year]
    values_by_year = {
        y: pd.Series(codes).map(data.values_for(ref, indicator, y)).astype(float)
        for y in frame_years
    }
    all_values = pd.concat(values_by_year.values())
    breaks = analysis.class_breaks(all_values, "quantile")
    colors = figures.class_colors(len(breaks) + 1, meta["direction"])
    scale = figures.discrete_colorscale(colors)
    labels = analysis.class_labels(breaks, float(all_values.min()), float(all_values.max()), 1)

    def trace(y: int) -> go.Choropleth:
        z = figures.z_values(analysis.assign_classes(values_by_year[y], breaks))
        text = [
            f"{n}: {v:.1f}" if v == v else f"{n}: {t('no_data', lang)}"
            for n, v in zip(areas["name"], values_by_year[y], strict=True)
        ]
        return go.Choropleth(
            geojson=collection,
            featureidkey="id",
            locations=codes,
            z=z,
            zmin=-0.5,
            zmax=len(colors) + 0.5,
            colorscale=scale,
            showscale=False,
            text=text,
            hovertemplate="%{text}<extra></extra>",
            marker={"line": {"color": "#fff", "width": 0.3}},
        )

    fig = go.Figure(trace(frame_years[-1] if not f.get("animate") else frame_years[0]))
    fig.update_geos(visible=False, fitbounds="locations", projection_type="mercator")
    if f.get("animate"):
        speed = int(st.session_state.get("p_speed", 1.0) * 1000)
        fig.frames = [go.Frame(data=[trace(y)], name=str(y)) for y in frame_years]
        fig.update_layout(
            updatemenus=[
                {
                    "type": "buttons",
                    "x": 0,
                    "y": 0,
                    "xanchor": "left",
                    "yanchor": "top",
                    "buttons": [
                        {
                            "label": "▶",
                            "method": "animate",
                            "args": [
                                None,
                                {"frame": {"duration": speed, "redraw": True}, "fromcurrent": True},
                            ],
                        },
                        {
                            "label": "⏸",
                            "method": "animate",
                            "args": [[None], {"mode": "immediate", "frame": {"duration": 0}}],
                        },
                    ],
                }
            ],
            sliders=[
                {
                    "steps": [
                        {
                            "label": str(y),
                            "method": "animate",
                            "args": [
                                [str(y)],
                                {"mode": "immediate", "frame": {"duration": 0, "redraw": True}},
                            ],
                        }
                        for y in frame_years
                    ],
                    "y": 0,
                    "x": 0.12,
                    "len": 0.85,
                    "currentvalue": {"prefix": f"{t('year', lang)}: "},
                }
            ],
        )
    legend = " · ".join(f"{label}" for label in labels)
    return _layout(
        fig, f"{meta['unit']}: {legend} · grijs = {t('no_data', lang)} · {t('attribution', lang)}"
    )


def trend_figure(ref: data.StoreRef, slide: deck.Slide, lang: str) -> go.Figure:
    indicator = slide.fields["indicator"]
    names = common.gemeente_names(ref)
    areas = data.areas_table(ref)
    fig = go.Figure()
    for color, code in zip(figures.GEMEENTE_COLORS * 3, slide.fields["areas"], strict=False):
        years = data.years_by_indicator(ref).get(indicator, [])
        values = [data.values_for(ref, indicator, y).get(code, np.nan) for y in years]
        known = areas[areas["code"] == code]
        name = names.get(code) or (known["name"].iloc[-1] if len(known) else code)
        fig.add_trace(
            go.Scatter(
                x=years,
                y=values,
                name=name,
                mode="lines+markers",
                line={"width": 4, "color": color},
            )
        )
    fig.update_xaxes(dtick=1)
    fig.update_layout(template="plotly_white", legend={"orientation": "h", "y": 1.08})
    return _layout(fig, t("attribution", lang))


def flows_figure(ref: data.StoreRef, slide: deck.Slide, lang: str) -> go.Figure:
    from dashboard.pages.verhuisstromen import COLUMN, territory_flows

    region = data.region()
    names = {**data.flow_region_names(ref), **common.gemeente_names(ref)}
    year, direction = int(slide.fields["year"]), slide.fields.get("direction", "out")
    core = migration.core_flows(territory_flows(ref), region.core)
    lines = core[(core["year"] == year) & core["code"].isin(region.codes)].copy()
    points = data.gemeente_points(ref).set_index("code")
    lines["value"], lines["name"] = lines[COLUMN[direction]], lines["code"].map(names)
    lines["lon"], lines["lat"] = lines["code"].map(points["lon"]), lines["code"].map(points["lat"])
    fig = flow_figures.flow_map(
        lines,
        (points.loc[region.core, "lon"], points.loc[region.core, "lat"]),
        data.gemeente_outlines(ref),
        set(region.highlight),
        t(f"dir_{direction}", lang),
        lang,
        t("flows_source", lang, first=year, last=year),
    )
    return _layout(fig, "")


def index_figure(ref: data.StoreRef, slide: deck.Slide, lang: str) -> go.Figure:
    from dashboard.pages.suburbanisatie import gemeente_estimates

    index = migration.suburbanisation_index(gemeente_estimates(ref), data.region().core)
    return _layout(flow_figures.index_chart(index, lang, t("attribution", lang)), "")


BUILDERS = {"map": map_figure, "trend": trend_figure, "flows": flows_figure, "index": index_figure}


def load_deck(ref: data.StoreRef, lang: str) -> deck.Deck | None:
    indicators = set(data.indicators(ref)["id"])
    years = {int(y) for y in data.areas_table(ref)["year"].unique()}
    uploaded = st.session_state.get("p_upload")
    if uploaded is not None:
        return deck.parse_deck(
            uploaded.getvalue().decode("utf-8", errors="replace"), indicators, years
        )
    shipped = deck.deck_files()
    name = st.query_params.get("deck") or next(iter(shipped), None)
    if name not in shipped:
        st.caption(t("invalid_param", lang, name="deck", value=name))
        name = next(iter(shipped), None)
    if name is None:
        return None
    st.query_params["deck"] = name
    return deck.parse_deck(shipped[name].read_text(encoding="utf-8"), indicators, years)


def render() -> None:
    ref = data.current_store()
    view = common.current_view(ref)
    lang = view.lang
    st.html(STYLE)
    current = load_deck(ref, lang)
    if current is None or current.error:
        st.error(t("deck_broken", lang, error=current.error if current else "no deck"))
        st.file_uploader(t("deck_upload", lang), type=["json"], key="p_upload")
        return
    total = len(current.slides)
    raw = str(st.query_params.get("slide", "1"))
    position = int(raw) if raw.isdigit() and 1 <= int(raw) <= total else 1
    if raw != str(position):
        st.caption(t("invalid_param", lang, name="slide", value=raw))
    slide = current.slides[position - 1]
    st.title(slide.title)
    if slide.caption:
        st.markdown(slide.caption)
    if slide.error:
        st.error(t("slide_broken", lang, error=slide.error))
    else:
        fig = BUILDERS[slide.type](ref, slide, lang)
        st.plotly_chart(
            fig,
            width="stretch",
            config={
                "displaylogo": False,
                "topojsonURL": data.topojson_url(),
                "toImageButtonOptions": {"filename": f"dia_{position}_{slide.type}", "scale": 2},
            },
        )
        if slide.fields.get("animate"):
            st.slider(t("speed", lang), 0.3, 3.0, 1.0, 0.1, key="p_speed")
    previous, following = t("previous", lang), t("next", lang)
    c1, c2, c3 = st.columns([1, 2, 1])
    if c1.button(previous, key="p_prev", disabled=position == 1, width="stretch"):
        st.query_params["slide"] = str(position - 1)
        st.rerun()
    c2.markdown(
        f"<div style='text-align:center'>{t('slide_of', lang, n=position, total=total)} · {current.title}</div>",
        unsafe_allow_html=True,
    )
    if c3.button(following, key="p_next", disabled=position == total, width="stretch"):
        st.query_params["slide"] = str(position + 1)
        st.rerun()
    arrow_keys(previous, following)
    st.caption(t("present_keys", lang))
    with st.expander(t("deck_upload", lang)):
        st.file_uploader(
            t("deck_upload", lang), type=["json"], key="p_upload", label_visibility="collapsed"
        )
        st.download_button(
            "JSON",
            deck.to_json(current),
            file_name="presentatie.json",
            mime="application/json",
            key="p_save",
        )


if __name__ == "__main__":
    render()
