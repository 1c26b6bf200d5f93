"""The presentation page's model: one slide of a deck, as a large figure with its texts."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import analysis, migration, palette
from dashboard.components import flow_figures
from dashboard.components.figures import with_breaks
from dashboard.deck import Deck, Slide
from dashboard.i18n import fmt_number, t
from dashboard.views.flows import COLUMN
from geodata.catalogue import Indicator

FONT = 20


@dataclass(frozen=True)
class MapSlideData:
    """A map slide's areas (code, name), geometry and values by edition."""

    areas: pd.DataFrame
    geojson: dict
    values: dict[int, pd.Series]
    indicator: Indicator


@dataclass(frozen=True)
class TrendSlideData:
    """A trend slide's series: per area code its label and (year, value) pairs, and the
    editions before which its line must break (boundary, definition or test data changes)."""

    series: dict[str, tuple[str, list[int], list[float]]]
    break_years: dict[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class FlowsSlideData:
    core_flows: pd.DataFrame
    points: pd.DataFrame
    outlines: dict
    names: dict[str, str]
    core: str
    codes: tuple[str, ...]
    highlight: tuple[str, ...]


@dataclass(frozen=True)
class IndexSlideData:
    estimates: pd.DataFrame
    core: str
    break_years: tuple[int, ...] = ()  # editions not comparable with the one before


SlideData = MapSlideData | TrendSlideData | FlowsSlideData | IndexSlideData


@dataclass(frozen=True)
class SlideModel:
    """One slide as the page shows it."""

    title: str
    caption: str
    position: int
    total: int
    deck_title: str
    figure: go.Figure | None = None
    error: str | None = None
    filename: str = "dia"
    animated: bool = False
    notes: list[str] = field(default_factory=list)


def _layout(fig: go.Figure, source: str, height: int = 640) -> go.Figure:
    fig.update_layout(
        height=height,
        font={"size": FONT, "color": "#000"},
        paper_bgcolor="#fff",
        plot_bgcolor="#fff",
    )
    if source:
        fig.add_annotation(
            text=source,
            x=0,
            y=-0.06,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"size": 14},
        )
    return fig


def _map_trace(
    data: MapSlideData, year: int, classes: analysis.Classes, lang: str
) -> go.Choropleth:
    values = data.values[year]
    z = palette.z_values(analysis.assign_classes(values, classes.breaks))
    text = [
        f"{n}: {fmt_number(v, classes.decimals, lang)}" if v == v else f"{n}: {t('no_data', lang)}"
        for n, v in zip(data.areas["name"], values, strict=True)
    ]
    return go.Choropleth(
        geojson=data.geojson,
        featureidkey="id",
        locations=list(data.areas["code"]),
        z=z,
        zmin=-0.5,
        zmax=classes.n + 0.5,
        colorscale=classes.colorscale,
        showscale=False,
        text=text,
        hovertemplate="%{text}<extra></extra>",
        marker={"line": {"color": "#fff", "width": 0.3}},
    )


def _animation(years: list[int], speed_ms: int, lang: str) -> dict:
    step = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}
    return {
        "updatemenus": [
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
                            {"frame": {"duration": speed_ms, "redraw": True}, "fromcurrent": True},
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
        "sliders": [
            {
                "steps": [
                    {"label": str(y), "method": "animate", "args": [[str(y)], step]} for y in years
                ],
                "y": 0,
                "x": 0.12,
                "len": 0.85,
                "currentvalue": {"prefix": f"{t('year', lang)}: "},
            }
        ],
    }


def map_figure(
    data: MapSlideData, slide: Slide, lang: str, speed_ms: int, attribution: str
) -> go.Figure:
    """Choropleth of one indicator; with ``animate`` a frame per edition, classified together."""
    years = sorted(data.values)
    all_values = pd.concat(data.values.values())
    ind = data.indicator
    classes = analysis.choropleth_classes(all_values, "quantile", ind.direction, ind.unit, lang)
    fig = go.Figure(
        _map_trace(data, years[0] if slide.fields.get("animate") else years[-1], classes, lang)
    )
    fig.update_geos(visible=False, fitbounds="locations", projection_type="mercator")
    if slide.fields.get("animate"):
        fig.frames = [
            go.Frame(data=[_map_trace(data, y, classes, lang)], name=str(y)) for y in years
        ]
        fig.update_layout(**_animation(years, speed_ms, lang))
    legend = " · ".join(classes.labels)
    return _layout(fig, f"{ind.unit_label(lang)}: {legend} · {t('no_data', lang)} · {attribution}")


def trend_figure(data: TrendSlideData, lang: str, attribution: str) -> go.Figure:
    fig = go.Figure()
    for color, (code, (label, years, values)) in zip(
        palette.GEMEENTE_COLORS * 3, data.series.items(), strict=False
    ):
        xs, ys = with_breaks(years, values, list(data.break_years.get(code, ())))
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                name=label,
                mode="lines+markers",
                line={"width": 4, "color": color},
            )
        )
    for year in sorted({y for years in data.break_years.values() for y in years}):
        fig.add_vline(x=year - 0.5, line={"color": "#777", "dash": "dot", "width": 2})
    fig.update_xaxes(dtick=1)
    fig.update_layout(template="plotly_white", legend={"orientation": "h", "y": 1.08})
    return _layout(fig, attribution)


def flows_figure(data: FlowsSlideData, slide: Slide, lang: str) -> go.Figure:
    year, direction = int(slide.fields["year"]), slide.fields.get("direction", "out")
    core, points = data.core_flows, data.points
    lines = core[(core["year"] == year) & core["code"].isin(data.codes)]
    lines = lines.assign(
        value=lines[COLUMN[direction]],
        name=lines["code"].map(data.names),
        lon=lines["code"].map(points["lon"]),
        lat=lines["code"].map(points["lat"]),
    )
    fig = flow_figures.flow_map(
        lines,
        (points.loc[data.core, "lon"], points.loc[data.core, "lat"]),
        data.outlines,
        set(data.highlight),
        t(f"dir_{direction}", lang),
        lang,
        t("flows_source", lang, years=str(year)),
    )
    return _layout(fig, "")


def index_figure(data: IndexSlideData, lang: str, attribution: str) -> go.Figure:
    index = migration.suburbanisation_index(data.estimates, data.core)
    figure = flow_figures.index_chart(index, lang, attribution, list(data.break_years))
    return _layout(figure, "")


def slide_figure(
    data: SlideData, slide: Slide, lang: str, speed_ms: int, attribution: str
) -> go.Figure:
    if isinstance(data, MapSlideData):
        return map_figure(data, slide, lang, speed_ms, attribution)
    if isinstance(data, TrendSlideData):
        return trend_figure(data, lang, attribution)
    if isinstance(data, FlowsSlideData):
        return flows_figure(data, slide, lang)
    return index_figure(data, lang, attribution)


def slide_model(
    deck: Deck,
    position: int,
    data: SlideData | None,
    lang: str,
    speed_ms: int = 1000,
    attribution: str = "",
) -> SlideModel:
    """Slide `position` (1-based) of `deck`; `data` is what its figure is drawn from (None for
    a slide whose fields are invalid). `attribution` is the source line every slide carries."""
    slide = deck.slides[position - 1]
    base = SlideModel(
        slide.title,
        slide.caption,
        position,
        len(deck.slides),
        deck.title,
        filename=f"dia_{position}_{slide.type}",
        animated=bool(slide.fields.get("animate")),
    )
    if slide.error or data is None:
        return SlideModel(**{**base.__dict__, "error": slide.error or "no data"})
    figure = slide_figure(data, slide, lang, speed_ms, attribution or t("attribution", lang))
    return SlideModel(**{**base.__dict__, "figure": figure})
