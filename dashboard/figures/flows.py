"""Figures for the migration pages: flow map, trends, Sankey, rates, the suburbanisation index."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.charts import source_line as _source_line
from dashboard.i18n import fmt_number, t
from dashboard.palette import (
    BREAK_LINE,
    GEMEENTE_COLORS,
    HIGHLIGHT,
    LABEL,
    LEGEND_BACKGROUND,
    MUTED,
    OTHER,
    OUTLINE_FILL,
    OUTLINE_LINE,
    REFERENCE,
    WIDTH_KEY,
)

MAX_WIDTH = 18.0


def _outline_trace(outlines: dict[str, Any]) -> go.Choropleth:
    """The municipalities as light grey shapes under the lines."""
    features = outlines["features"]
    return go.Choropleth(
        geojson=outlines,
        featureidkey="id",
        locations=[f["id"] for f in features],
        z=[0] * len(features),
        colorscale=[[0, OUTLINE_FILL], [1, OUTLINE_FILL]],
        showscale=False,
        marker={"line": {"color": OUTLINE_LINE, "width": 0.8}},
        hoverinfo="skip",
    )


def _line_trace(
    row: Any, core_point: tuple[float, float], width: float, color: str, text: str
) -> go.Scattergeo:
    return go.Scattergeo(
        lon=[core_point[0], row.lon],
        lat=[core_point[1], row.lat],
        mode="lines",
        line={"width": width, "color": color},
        opacity=0.75,
        hoverinfo="text",
        text=[text, text],
        name=row.name,
        showlegend=False,
    )


#: Where a label may go, in order of preference, and its offset (deg lon, deg lat) per char.
_POSITIONS = (
    ("top center", 0.0, 0.012),
    ("bottom center", 0.0, -0.012),
    ("middle right", 1.0, 0.0),
    ("middle left", -1.0, 0.0),
)


def label_positions(lines: pd.DataFrame, char: float = 0.0065, height: float = 0.011) -> list[str]:
    """A text position per label so that labels do not overlap: greedy, biggest flows first,
    each label taking the first position whose box (estimated from its length) is free."""
    placed: list[tuple[float, float, float, float]] = []
    positions = ["top center"] * len(lines)
    order = lines["value"].abs().fillna(0).to_numpy().argsort()[::-1]
    for i in order:
        row = lines.iloc[i]
        width = char * len(str(row["name"]))
        for name, dx, dy in _POSITIONS:
            cx = row["lon"] + dx * (width / 2 + 0.008)
            cy = row["lat"] + dy
            box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
            if not any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed
            ):
                positions[i] = name
                placed.append(box)
                break
    return positions


def _label_trace(lines: pd.DataFrame) -> go.Scattergeo:
    return go.Scattergeo(
        lon=lines["lon"],
        lat=lines["lat"],
        mode="markers+text",
        text=lines["name"],
        textposition=label_positions(lines) if len(lines) else "top center",
        textfont={"size": 13},
        marker={"size": 6, "color": LABEL},
        hoverinfo="skip",
        showlegend=False,
    )


def _legend_traces(biggest: float, lang: str) -> list[go.Scattergeo]:
    """Legend entries: what the two colours mean, and three line widths with their persons."""

    def entry(name: str, width: float, color: str) -> go.Scattergeo:
        return go.Scattergeo(
            lon=[None],
            lat=[None],
            mode="lines",
            name=name,
            line={"width": width, "color": color},
            hoverinfo="skip",
        )

    out = [entry(t("flow_chosen", lang), 6, HIGHLIGHT), entry(t("flow_other", lang), 6, OTHER)]
    for share in (1.0, 0.5, 0.1):
        persons = _round_nicely(biggest * share)
        if persons > 0:
            width = max(1.0, MAX_WIDTH * persons / biggest)
            out.append(
                entry(t("flow_width", lang, n=fmt_number(persons, 0, lang)), width, WIDTH_KEY)
            )
    return out


def _round_nicely(value: float) -> float:
    """100, 250, 1.000, ... : the value rounded to two significant figures."""
    if value <= 0:
        return 0.0
    magnitude = 10 ** (len(str(int(value))) - 2) if value >= 100 else 1
    return float(round(value / magnitude) * magnitude)


def flow_map(
    lines: pd.DataFrame,
    core_point: tuple[float, float],
    outlines: dict[str, Any],
    highlight: set[str],
    measure: str,
    lang: str,
    source_line: str,
) -> go.Figure:
    """Lines from Amsterdam to each municipality, width proportional to persons, with a legend
    for the colours and the widths, and labels that do not overlap.

    `lines` has code, name, lon, lat, value (persons; for net, the sign gives the direction).
    """
    fig = go.Figure(_outline_trace(outlines))
    known = lines["value"].notna().any() if len(lines) else False
    biggest = float(lines["value"].abs().max()) if known else 1.0
    for row in lines.sort_values("value", key=abs).itertuples(index=False):
        if pd.isna(row.value) or row.value == 0:
            continue
        width = max(1.0, MAX_WIDTH * abs(row.value) / biggest)
        color = HIGHLIGHT if row.code in highlight else OTHER
        persons = f"{fmt_number(row.value, 0, lang)} {t('persons', lang)}"
        text = f"<b>{html.escape(str(row.name))}</b><br>{measure}: {persons}"
        fig.add_trace(_line_trace(row, core_point, width, color, text))
    fig.add_trace(_label_trace(lines))
    for trace in _legend_traces(biggest, lang):
        fig.add_trace(trace)
    fig.update_geos(visible=False, fitbounds="locations", projection_type="mercator")
    fig.update_layout(
        height=600,
        margin={"l": 0, "r": 0, "t": 10, "b": 30},
        dragmode="pan",
        showlegend=True,
        legend={"x": 0.01, "y": 0.99, "bgcolor": LEGEND_BACKGROUND, "font": {"size": 13}},
    )
    _source_line(fig, source_line, -0.04)
    return fig


TREND_PANELS = (("from_core", "dir_out"), ("to_core", "dir_in"), ("net", "dir_net"))


def _mark_mergers(fig: go.Figure, mergers: Mapping[int, str], lang: str) -> None:
    """A dotted line in each panel at each year municipalities merged (from the region's
    definition, `geodata/region.toml`), named under the first panel."""
    for year, merged in sorted(mergers.items()):
        for col in range(1, 4):
            fig.add_vline(x=year, line={"dash": "dot", "color": BREAK_LINE}, row=1, col=col)
        fig.add_annotation(
            x=year,
            y=-0.02,
            yref="paper",
            xref="x",
            showarrow=False,
            yanchor="top",
            text=f"{t('merger', lang)} {merged}",
        )


def trend_chart(
    series: pd.DataFrame,
    names: dict[str, str],
    lang: str,
    source_line: str,
    mergers: Mapping[int, str] | None = None,
) -> go.Figure:
    """Out-, in- and net migration per municipality over the years, side by side.

    The mergers (year: who merged) are marked; the series run on today's territory.
    """
    fig = make_subplots(
        rows=1,
        cols=3,
        horizontal_spacing=0.07,
        subplot_titles=[t(label, lang) for _, label in TREND_PANELS],
    )
    _trend_traces(fig, series, names)
    fig.update_annotations(font_size=13)
    _mark_mergers(fig, mergers or {}, lang)
    fig.update_layout(
        height=420,
        template="plotly_white",
        yaxis_title=t("persons", lang),
        margin={"l": 10, "r": 10, "t": 40, "b": 60},
    )
    _source_line(fig, source_line, -0.2)
    years = [int(y) for y in series["year"].dropna()] if len(series) else [0]
    fig.update_xaxes(dtick=2, range=[min(years) - 0.5, max(years) + 0.5])
    return fig


def _trend_traces(fig: go.Figure, series: pd.DataFrame, names: dict[str, str]) -> None:
    """One line per municipality in each of the three panels (one legend entry each)."""
    for color, (code, part) in zip(GEMEENTE_COLORS * 3, series.groupby("code"), strict=False):
        part = part.sort_values("year")
        for col, (column, _) in enumerate(TREND_PANELS, start=1):
            trace = go.Scatter(
                x=part["year"],
                y=part[column],
                name=names.get(code, code),
                legendgroup=code,
                showlegend=col == 1,
                mode="lines+markers",
                line={"color": color},
            )
            fig.add_trace(trace, row=1, col=col)


def sankey(
    out: pd.DataFrame,
    rest: float,
    core_name: str,
    names: dict[str, str],
    lang: str,
    source_line: str,
) -> go.Figure:
    """Amsterdam's outflow by destination for one year, with the rest of the country as one band."""
    out = out.dropna(subset=["value"]).sort_values("value", ascending=False)
    values = [*out["value"].tolist(), rest]
    names_out = [*[names.get(c, c) for c in out["code"]], t("rest_nl", lang)]
    labels = [
        f"{core_name} ({fmt_number(sum(values), 0, lang)})",
        *[f"{n} ({fmt_number(v, 0, lang)})" for n, v in zip(names_out, values, strict=True)],
    ]
    fig = go.Figure(
        go.Sankey(
            node={"label": labels, "pad": 12, "color": [REFERENCE, *[OTHER] * len(out), MUTED]},
            link={
                "source": [0] * len(values),
                "target": list(range(1, len(values) + 1)),
                "value": values,
            },
            valueformat=",.0f",
            valuesuffix=f" {t('persons', lang)}",
        )
    )
    fig.update_layout(height=480, margin={"l": 10, "r": 10, "t": 10, "b": 40})
    _source_line(fig, source_line, -0.06)
    return fig


def rates_chart(
    rates: pd.DataFrame, names: dict[str, str], lang: str, source_line: str
) -> go.Figure:
    """Bars: persons per 1,000 residents of each municipality."""
    rates = rates.sort_values("rate", ascending=True)
    fig = go.Figure(
        go.Bar(
            x=rates["rate"],
            y=[names.get(c, c) for c in rates["code"]],
            orientation="h",
            marker_color=OTHER,
        )
    )
    fig.update_layout(
        height=420,
        template="plotly_white",
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        xaxis_title=t("per_1000", lang),
    )
    _source_line(fig, source_line, -0.16)
    return fig


def index_chart(
    index: pd.DataFrame, lang: str, source_line: str, break_years: list[int] | None = None
) -> go.Figure:
    """The suburbanisation index: two shares outside Amsterdam over the years, the lines broken
    (and the break marked) before every edition that is not comparable with the one before."""
    from dashboard.figures.charts import with_breaks

    breaks = break_years or []
    fig = go.Figure()
    for column, name, line in (
        ("share_low_income_outside", t("index_low", lang), {"color": HIGHLIGHT, "width": 3}),
        ("share_households_outside", t("index_all", lang), {"color": OTHER, "dash": "dash"}),
    ):
        xs, ys = with_breaks(list(index["year"]), list(index[column]), breaks)
        fig.add_trace(go.Scatter(x=xs, y=ys, name=name, mode="lines+markers", line=line))
    for year in breaks:
        fig.add_vline(x=year - 0.5, line={"color": BREAK_LINE, "dash": "dot", "width": 1})
    fig.update_layout(
        height=380,
        template="plotly_white",
        yaxis_title="%",
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        legend={"orientation": "h", "y": 1.1},
    )
    _source_line(fig, source_line, -0.18)
    fig.update_xaxes(dtick=1)
    return fig
