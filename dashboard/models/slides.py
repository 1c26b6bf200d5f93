"""The presentation page's model: one slide of a deck, as a large figure with its texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import analysis, migration, palette
from dashboard.deck import Deck, Slide
from dashboard.figures import flows as flow_figures
from dashboard.figures.charts import with_breaks
from dashboard.i18n import fmt_number, t
from dashboard.models.flows import COLUMN
from dashboard.palette import BREAK_LINE, INK, LEGEND_BACKGROUND, PAPER
from geodata.catalogue import Indicator

FONT = 22  # body text on a projector
LEGEND_FONT = 22  # legends at least 20 px
TICK_FONT = 20  # axis labels at least 18 px
SOURCE_FONT = 16
LABEL_FONT = 17  # place names on a map


@dataclass(frozen=True)
class MapSlideData:
    """A map slide's areas (code, name), geometry and values by edition."""

    areas: pd.DataFrame
    geojson: dict[str, Any]
    values: dict[int, pd.Series]
    indicator: Indicator


@dataclass(frozen=True)
class TrendSlideData:
    """A trend slide's series: per area code its label and (year, value) pairs, and the
    editions before which its line must break (boundary, definition or test data changes)."""

    series: dict[str, tuple[str, list[int], list[float]]]
    break_years: dict[str, tuple[int, ...]] = field(default_factory=dict)
    kind: str = "cbs"  # where the indicator comes from (its source line)


@dataclass(frozen=True)
class FlowsSlideData:
    core_flows: pd.DataFrame
    points: pd.DataFrame
    outlines: dict[str, Any]
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
    notes: str = ""
    next_title: str | None = None  # for the presenter view
    next_caption: str = ""


def projector_style(fig: go.Figure, source: str) -> go.Figure:
    """Large type for a projector (body 22 px, legend 22 px, ticks 20 px), the height left to the
    page (the chart fills the space the slide gives it), and the source line inside the figure
    (so it is in a saved PNG and the hand-out too)."""
    fig.update_layout(
        height=None,
        autosize=True,
        font={"size": FONT, "color": INK},
        legend={
            "font": {"size": LEGEND_FONT},
            "title": {"font": {"size": LEGEND_FONT}},
            "bgcolor": LEGEND_BACKGROUND,
        },
        paper_bgcolor=PAPER,
        plot_bgcolor=PAPER,
        margin={"l": 70, "r": 30, "t": 30, "b": 110},
    )
    fig.update_traces(textfont={"size": LABEL_FONT}, selector={"type": "scattergeo"})
    fig.update_xaxes(tickfont={"size": TICK_FONT}, title_font={"size": TICK_FONT})
    fig.update_yaxes(tickfont={"size": TICK_FONT}, title_font={"size": TICK_FONT})
    kept = [a for a in fig.layout.annotations if a.text]
    fig.layout.annotations = kept
    if source:
        fig.add_annotation(
            text=source,
            x=0,
            y=0,
            yshift=-80,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top",
            showarrow=False,
            font={"size": SOURCE_FONT},
        )
    return fig


def _legend_swatches(classes: analysis.Classes, no_data: str) -> list[go.Scattergeo]:
    """Legend entries with a colour swatch per class and for 'no data' (a map has none)."""
    entries = [*zip(classes.labels, classes.colors, strict=True), (no_data, palette.NO_DATA_COLOR)]
    return [
        go.Scattergeo(
            lon=[None],
            lat=[None],
            mode="markers",
            name=label,
            marker={"symbol": "square", "size": 24, "color": color},
            hoverinfo="skip",
            showlegend=True,
        )
        for label, color in entries
    ]


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
        marker={"line": {"color": PAPER, "width": 0.3}},
    )


def _animation(years: list[int], speed_ms: int, lang: str) -> dict[str, Any]:
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
                        "label": t("play", lang),
                        "method": "animate",
                        "args": [
                            None,
                            {"frame": {"duration": speed_ms, "redraw": True}, "fromcurrent": True},
                        ],
                    },
                    {
                        "label": t("pause", lang),
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
    for swatch in _legend_swatches(classes, t("no_data", lang)):
        fig.add_trace(swatch)
    fig.update_layout(
        legend={
            "title": {"text": ind.unit_label(lang)},
            "x": 1.0,
            "xanchor": "right",
            "y": 1.0,
            "itemsizing": "constant",
        },
        showlegend=True,
    )
    return projector_style(fig, attribution)


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
        fig.add_vline(x=year - 0.5, line={"color": BREAK_LINE, "dash": "dot", "width": 2})
    fig.update_xaxes(dtick=1)
    fig.update_layout(template="plotly_white", legend={"orientation": "h", "y": 1.1})
    return projector_style(fig, attribution)


def flows_figure(data: FlowsSlideData, slide: Slide, lang: str, attribution: str) -> go.Figure:
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
        "",
    )
    fig.update_layout(legend={"x": 0.01, "y": 0.99})
    return projector_style(fig, attribution)


def index_figure(data: IndexSlideData, lang: str, attribution: str) -> go.Figure:
    index = migration.suburbanisation_index(data.estimates, data.core)
    figure = flow_figures.index_chart(index, lang, "", list(data.break_years))
    figure.update_layout(legend={"orientation": "h", "y": 1.1})
    return projector_style(figure, attribution)


def slide_source(data: SlideData, slide: Slide, lang: str, prefix: str) -> str:
    """The source line of one slide: CBS KWB, Amsterdam's BBGA, or CBS 81734NED for moves;
    `prefix` is "TESTGEGEVENS · " for a store of test data."""
    if isinstance(data, FlowsSlideData):
        return prefix + t("flows_source", lang, years=str(slide.fields["year"]))
    kind = data.indicator.kind if isinstance(data, MapSlideData) else "cbs"
    kind = data.kind if isinstance(data, TrendSlideData) else kind
    return prefix + t("attribution_bbga" if kind == "bbga" else "attribution", lang)


def slide_figure(data: SlideData, slide: Slide, lang: str, speed_ms: int, source: str) -> go.Figure:
    if isinstance(data, MapSlideData):
        return map_figure(data, slide, lang, speed_ms, source)
    if isinstance(data, TrendSlideData):
        return trend_figure(data, lang, source)
    if isinstance(data, FlowsSlideData):
        return flows_figure(data, slide, lang, source)
    return index_figure(data, lang, source)


@dataclass(frozen=True)
class SlideInputs:
    """What one slide is drawn from: the deck, the position, the slide's data (None for a
    broken slide), the language, the animation speed and the test-data prefix."""

    deck: Deck
    position: int
    data: SlideData | None
    lang: str
    speed_ms: int = 1000
    test_prefix: str = ""


def slide_model(inputs: SlideInputs) -> SlideModel:
    """Slide `position` (1-based) of `deck`; `data` is what its figure is drawn from (None for
    a slide whose fields are invalid). Every figure carries its source line, with
    `test_prefix` in front for a store of test data."""
    deck, position, data, lang, speed_ms, test_prefix = (
        inputs.deck,
        inputs.position,
        inputs.data,
        inputs.lang,
        inputs.speed_ms,
        inputs.test_prefix,
    )
    slide = deck.slides[position - 1]
    following = deck.slides[position] if position < len(deck.slides) else None
    base = SlideModel(
        slide.title,
        slide.caption,
        position,
        len(deck.slides),
        deck.title,
        filename=f"dia_{position}_{slide.type}",
        animated=bool(slide.fields.get("animate")),
        notes=slide.notes,
        next_title=following.title if following else None,
        next_caption=following.caption if following else "",
    )
    if slide.error or data is None:
        return SlideModel(**{**base.__dict__, "error": slide.error or "no data"})
    source = slide_source(data, slide, lang, test_prefix)
    figure = slide_figure(data, slide, lang, speed_ms, source)
    return SlideModel(**{**base.__dict__, "figure": figure})
