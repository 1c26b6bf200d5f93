"""Charts: the profile's indicator lines and the focus-buurten count (data in, plotly figures out)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import t
from dashboard.palette import (
    BREAK_LINE,
    GEMEENTE_COLORS,
    HIGHLIGHT,
    OTHER,
    REFERENCE,
)

if TYPE_CHECKING:
    from geodata.catalogue import Indicator


def source_line(fig: go.Figure, text: str, y: float) -> None:
    """The source line inside the figure, so that it is in every downloaded PNG too."""
    fig.add_annotation(
        text=text, x=0, y=y, xref="paper", yref="paper", showarrow=False, font={"size": 11}
    )


def focus_count_chart(
    counts: pd.DataFrame,
    names: dict[str, str],
    lang: str,
    attribution: str,
    division_breaks: dict[str, list[int]] | None = None,
) -> go.Figure:
    """Number of data-driven focus buurten per municipality over the years (the concentration).

    A municipality's line is broken before an edition with a new buurt division: its count is
    not comparable with the year before.
    """
    fig = go.Figure()
    shown = counts.groupby("gemeente_code")["focus_buurten"].sum()
    shown = shown[shown > 0].sort_values(ascending=False).index[:8]
    for color, code in zip(GEMEENTE_COLORS, shown, strict=False):
        part = counts[counts["gemeente_code"] == code].sort_values("year")
        xs, ys = with_breaks(
            list(part["year"]), list(part["focus_buurten"]), (division_breaks or {}).get(code, [])
        )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                name=names.get(code, code),
                mode="lines+markers",
                line={"color": color, "width": 2.5},
            )
        )
    fig.update_layout(
        height=320,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis_title=t("year", lang),
        yaxis_title=t("focus_title", lang),
        legend={"orientation": "h", "y": -0.25},
        template="plotly_white",
    )
    fig.update_xaxes(dtick=1)
    source_line(fig, attribution, -0.45)
    return fig


def with_breaks(
    years: list[int], values: list[float], break_years: list[int]
) -> tuple[list[Any], list[Any]]:
    """Series with a gap before each break year, so that a boundary change is not drawn as a trend."""
    xs: list[int | None] = []
    ys: list[float | None] = []
    for year, value in zip(years, values, strict=True):
        if year in break_years and xs:
            xs.append(None)
            ys.append(None)
        xs.append(year)
        ys.append(value)
    return xs, ys


def _profile_lines(
    indicator: Indicator, area_label: str, gemeente_label: str, lang: str
) -> list[tuple[str, str, dict[str, Any]]]:
    """The lines of one chart: the area, and its municipality and region unless it is a count."""
    lines = [("area", area_label, {"color": HIGHLIGHT, "width": 3})]
    if indicator.aggregation != "sum":  # a total is not comparable with a buurt
        lines += [
            ("gemeente", gemeente_label, {"color": OTHER, "width": 2, "dash": "dash"}),
            (
                "region",
                t("reference_region", lang),
                {"color": REFERENCE, "width": 2, "dash": "dot"},
            ),
        ]
    return lines


def indicator_chart(
    part: pd.DataFrame,
    indicator: Indicator,
    break_years: list[int],
    lang: str,
    labels: tuple[str, str],
    attribution: str,
    harmonised: tuple[str, list[int]] | None = None,
) -> go.Figure:
    """One indicator of one area over the editions, beside its municipality and the region.

    `part` has year, area, gemeente, region (and harmonised). Every line is broken before each
    break year and the break is marked; the x axis runs over the editions that have data, no
    further. `harmonised` (its label and its own breaks): the area's series on one geometry,
    drawn beside the original values, broken only where a definition changes.
    """
    fig = go.Figure()
    lines = [(c, n, s, break_years) for c, n, s in _profile_lines(indicator, *labels, lang)]
    if harmonised is not None and "harmonised" in part and part["harmonised"].notna().any():
        style = {"color": HIGHLIGHT, "width": 2, "dash": "longdash"}
        lines.append(("harmonised", harmonised[0], style, harmonised[1]))
    for column, name, style, breaks_at in lines:
        xs, ys = with_breaks(list(part["year"]), list(part[column]), breaks_at)
        fig.add_trace(
            go.Scatter(x=xs, y=ys, name=name, mode="lines+markers", line=style, marker={"size": 8})
        )
    for year in break_years:
        fig.add_vline(x=year - 0.5, line={"color": BREAK_LINE, "dash": "dot", "width": 1.5})
    years = [int(y) for y in part["year"]]
    fig.update_layout(
        height=300,
        template="plotly_white",
        font={"size": 14},
        margin={"l": 10, "r": 10, "t": 10, "b": 70},
        legend={"orientation": "h", "y": 1.12, "font": {"size": 13}},
        yaxis_title=indicator.unit_label(lang),
        xaxis_title=t("year", lang),
    )
    fig.update_xaxes(dtick=1, range=[min(years) - 0.5, max(years) + 0.5], tickfont={"size": 13})
    source_line(fig, attribution, -0.42)
    return fig
