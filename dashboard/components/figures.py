"""Figure and payload builders: data in, plotly figures or map payloads out (no Streamlit here)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from dashboard.analysis import MISSING_CLASS
from dashboard.i18n import fmt_number, t

NO_DATA_COLOR = "#bdbdbd"
FOCUS_COLOR = "#000000"
OFFICIAL_COLOR = "#1f78b4"
# ColorBrewer sequential palettes are colour-blind safe; light = better, dark = worse.
SEQUENTIAL = "OrRd"
GEMEENTE_COLORS = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
]  # Okabe-Ito, colour-blind safe


def source_line(fig: go.Figure, text: str, y: float) -> None:
    """The source line inside the figure, so that it is in every downloaded PNG too."""
    fig.add_annotation(
        text=text, x=0, y=y, xref="paper", yref="paper", showarrow=False, font={"size": 11}
    )


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


def discrete_colorscale(colors: list[str]) -> list[list]:
    """A stepped colourscale for z = 0..n-1 where z=0 is 'no data' (grey)."""
    palette = [NO_DATA_COLOR, *colors]
    n = len(palette)
    scale = []
    for i, color in enumerate(palette):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale


def hover_texts(frame: pd.DataFrame, unit: str, lang: str, decimals: int) -> list[str]:
    """Name, code, value with unit, rank and municipality per area."""
    out = []
    n = int(frame["rank"].notna().sum())
    for row in frame.itertuples(index=False):
        value = (
            f"{fmt_number(row.value, decimals, lang)} {unit}"
            if not pd.isna(row.value)
            else t("no_data", lang)
        )
        rank = f"{t('rank', lang)}: {row.rank} / {n}" if not pd.isna(row.rank) else ""
        out.append(
            f"<b>{html.escape(str(row.name))}</b> ({row.code})<br>{value}<br>{rank}<br>"
            f"{t('municipality', lang)}: {html.escape(str(row.gemeente_name))}"
        )
    return out


def z_values(classes: np.ndarray) -> list[int]:
    """Class indices shifted so that 'missing' is 0 (grey) and class i is i+1."""
    return [0 if c == MISSING_CLASS else int(c) + 1 for c in classes]


def legend_html(
    labels: list[str],
    colors: list[str],
    lang: str,
    show_focus: bool,
    show_official: bool,
    unit: str,
) -> str:
    """An HTML legend: classes, 'no data', and the outline layers when shown."""
    rows = [f'<div class="rc-legend-title">{html.escape(unit)}</div>']
    for label, color in zip(labels, colors, strict=True):
        rows.append(
            f'<div><span class="sw" style="background:{color}"></span>{html.escape(label)}</div>'
        )
    rows.append(
        f'<div><span class="sw" style="background:{NO_DATA_COLOR};'
        'background-image:repeating-linear-gradient(45deg,#fff 0 2px,transparent 2px 5px)"></span>'
        f"{t('no_data', lang)}</div>"
    )
    if show_focus:
        rows.append(
            f'<div><span class="sw" style="border:3px solid {FOCUS_COLOR}"></span>{t("focus_data_driven", lang)}</div>'
        )
    if show_official:
        rows.append(
            f'<div><span class="sw" style="border:3px solid {OFFICIAL_COLOR}"></span>{t("focus_official", lang)}</div>'
        )
    style = (
        "<style>.rc-legend div{display:flex;align-items:center;gap:.5em;margin:.15em 0;font-size:1rem}"
        ".rc-legend .sw{display:inline-block;width:1.4em;height:1em;border:1px solid #666}"
        ".rc-legend-title{font-weight:600}</style>"
    )
    return style + '<div class="rc-legend">' + "".join(rows) + "</div>"


def focus_count_chart(counts: pd.DataFrame, names: dict[str, str], lang: str) -> go.Figure:
    """Number of data-driven focus buurten per municipality over the years (the concentration)."""
    fig = go.Figure()
    shown = counts.groupby("gemeente_code")["focus_buurten"].sum()
    shown = shown[shown > 0].sort_values(ascending=False).index[:8]
    for color, code in zip(GEMEENTE_COLORS, shown, strict=False):
        part = counts[counts["gemeente_code"] == code].sort_values("year")
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=part["focus_buurten"],
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
    source_line(fig, t("attribution", lang), -0.45)
    return fig


def with_breaks(years: list[int], values: list[float], break_years: list[int]) -> tuple[list, list]:
    """Series with a gap before each break year, so that a boundary change is not drawn as a trend."""
    xs, ys = [], []
    for year, value in zip(years, values, strict=True):
        if year in break_years and xs:
            xs.append(None)
            ys.append(None)
        xs.append(year)
        ys.append(value)
    return xs, ys


def profile_small_multiples(
    series: pd.DataFrame,
    meta: pd.DataFrame,
    break_years: list[int],
    lang: str,
    area_label: str,
    gemeente_label: str,
) -> go.Figure:
    """Small multiples: one panel per indicator; the area, its municipality and the region.

    `series` has indicator, year, area, gemeente, region columns; `meta` is the indicators table.
    Counts (aggregation "sum") get no reference lines: a municipality's total is not comparable
    with a neighbourhood's.
    """
    indicators = [i for i in meta["id"] if i in set(series["indicator"])]
    cols = 3
    rows = max(1, -(-len(indicators) // cols))
    labels = meta.set_index("id")
    titles = [
        f"{labels.loc[i, 'label_en' if lang == 'en' else 'label_nl']} ({labels.loc[i, 'unit']})"
        for i in indicators
    ]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        vertical_spacing=0.6 / rows,
        horizontal_spacing=0.06,
    )
    shown: set[str] = set()
    for n, indicator in enumerate(indicators):
        part = series[series["indicator"] == indicator].sort_values("year")
        r, c = n // cols + 1, n % cols + 1
        lines = [("area", area_label, {"color": "#D55E00", "width": 3})]
        if labels.loc[indicator, "aggregation"] != "sum":  # a total is not comparable with a buurt
            lines += [
                ("gemeente", gemeente_label, {"color": "#0072B2", "width": 1.8, "dash": "dash"}),
                (
                    "region",
                    t("reference_region", lang),
                    {"color": "#555555", "width": 1.8, "dash": "dot"},
                ),
            ]
        for column, name, style in lines:
            xs, ys = with_breaks(
                list(part["year"]), list(part[column]), break_years if column == "area" else []
            )
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    name=name,
                    legendgroup=column,
                    showlegend=column not in shown,
                    mode="lines+markers",
                    line=style,
                ),
                row=r,
                col=c,
            )
            shown.add(column)
        for year in break_years:
            fig.add_vline(
                x=year - 0.5, line={"color": "#999", "dash": "dot", "width": 1}, row=r, col=c
            )
    fig.update_layout(
        height=max(300, 260 * rows),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        template="plotly_white",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
    )
    fig.update_xaxes(dtick=2)
    fig.update_annotations(font_size=12)  # subplot titles
    source_line(fig, t("attribution", lang), -0.08 / rows)
    return fig
