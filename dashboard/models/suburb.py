"""The suburbanisation page's model: the index, the change map and where the share rose most."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import analysis, links, migration, palette
from dashboard.breaks import Break, boundary_breaks, last_unbroken
from dashboard.figures import flows as flow_figures
from dashboard.figures.legend import Legend
from dashboard.i18n import fmt_number, t
from dashboard.models.choropleth import ChoroplethModel
from dashboard.models.tables import Column, display_table
from dashboard.state import SuburbView


@dataclass(frozen=True)
class DestinationTable:
    name: str
    table: pd.DataFrame


@dataclass(frozen=True)
class SuburbModel:
    """Everything the suburbanisation page shows."""

    index_figure: go.Figure
    reading: str | None
    change_map: ChoroplethModel
    legend: Legend
    change_caption: str
    coverage: str  # how many areas are compared, and why the others are grey


def coverage_text(change: pd.DataFrame, view: SuburbView) -> str:
    compared = int((change["status"] == "comparable").sum())
    level = t(f"levels_plural_{view.level or 'buurt'}", view.lang)
    return t(
        "change_coverage",
        view.lang,
        compared=compared,
        total=len(change),
        level=level,
        left=len(change) - compared,
        year_a=view.year_a,
        year_b=view.year_b,
    )


def _signed(value: float, lang: str) -> str:
    return ("+" if value > 0 else "") + fmt_number(value, 1, lang)


#: A trend needs at least this many comparable editions.
MIN_TREND_EDITIONS = 3


def reading_text(
    index: pd.DataFrame, lang: str, series_breaks: list[Break] | None = None
) -> str | None:
    """One or two sentences on the index: did the low-income share outside Amsterdam rise
    faster than that of all households? Only read over the editions after the last break, and
    only when there are enough of them; otherwise say what cannot be concluded."""
    if index.empty:
        return None
    found = series_breaks or []
    editions = last_unbroken(list(index["year"]), found)
    before = ""
    if found:
        reasons = ", ".join(b.text(lang) for b in found)
        before = t("index_reading_broken", lang, start=editions[0], reasons=reasons) + " "
    stretch = index[index["year"].isin(editions)]
    if len(stretch) < MIN_TREND_EDITIONS:
        short = t(
            "index_reading_short",
            lang,
            first=int(stretch["year"].min()),
            last=int(stretch["year"].max()),
        )
        return before + short
    reading = migration.index_reading(stretch)
    if not reading:
        return None
    key = "index_reading_up" if reading["suburbanising"] else "index_reading_down"
    return before + t(
        key,
        lang,
        first=reading["first"],
        last=reading["last"],
        low_first=fmt_number(float(reading["low_first"]), 1, lang),
        low_last=fmt_number(float(reading["low_last"]), 1, lang),
        low_change=_signed(float(reading["low_change"]), lang),
        all_change=_signed(float(reading["all_change"]), lang),
    )


def diverging_breaks(change: pd.Series) -> list[float]:
    """Symmetric class breaks around zero, from the 90th percentile of the absolute change."""
    magnitude = float(np.nanquantile(change.abs(), 0.9)) if change.notna().any() else 1.0
    magnitude = magnitude or 1.0
    return [-magnitude, -magnitude / 3, 0.0, magnitude / 3, magnitude]


def change_hover(change: pd.DataFrame, names: dict[str, str], lang: str) -> list[str]:
    """Name, code, before → after (change), or 'boundaries changed', and the municipality."""
    before = change["before"].map(lambda v: fmt_number(v, 0, lang))
    after = change["after"].map(lambda v: fmt_number(v, 0, lang))
    delta = change["change"].map(lambda v: fmt_number(v, 0, lang))
    figures = (before + " → " + after + " (" + delta + ")").where(
        change["status"] == "comparable", t("boundary_changed", lang)
    )
    gemeente = change["gemeente_code"].map(lambda c: names.get(c, c))
    texts = (
        "<b>"
        + change["name"].astype(str)
        + "</b> ("
        + change["code"]
        + ")<br>"
        + figures
        + f"<br>{t('municipality', lang)}: "
        + gemeente
    )
    return [str(text) for text in texts]


def change_frame(a: pd.DataFrame, b: pd.DataFrame, unchanged: set[str]) -> pd.DataFrame:
    """The comparable change per area of year B, with its name and municipality."""
    return migration.comparable_change(a, b, unchanged).merge(
        b[["code", "name", "gemeente_code"]], on="code"
    )


def change_choropleth(
    change: pd.DataFrame, view: SuburbView, names: dict[str, str], attribution: str
) -> ChoroplethModel:
    """The change map: a diverging palette around zero; grey where the boundary changed."""
    lang, span = view.lang, f"{view.year_a}–{view.year_b}"
    classes = analysis.choropleth_classes(
        change["change"],
        "equal",
        "higher_is_worse",
        "aantal",
        lang,
        breaks=diverging_breaks(change["change"]),
        colors=palette.diverging_colors(),
    )
    return ChoroplethModel(
        codes=list(change["code"]),
        classes=classes,
        hover=change_hover(change, names, lang),
        alt=f"{t('change_title', lang)} {span}",
        filename=f"verandering_laag_inkomen_{view.year_a}_{view.year_b}_{view.level}",
        profile_url=links.profile_prefix(lang),
        view_key="suburbanisatie",
        source_line=f"{attribution} · {t('change_title', lang)} {span}",
    )


@dataclass(frozen=True)
class SuburbInputs:
    """What the suburbanisation page is drawn from: estimates per municipality and year, the
    area estimates of year A and year B (`areas`), the areas unchanged between them, and
    where the index breaks."""

    view: SuburbView
    estimates: pd.DataFrame
    core: str
    areas: tuple[pd.DataFrame, pd.DataFrame]
    unchanged: set[str]
    names: dict[str, str]
    attribution: str
    index_breaks: list[Break] | None = None
    #: Harmonised: per reference buurt the share of its figures (either year) that was estimated.
    estimated: pd.Series | None = None
    reference_year: int | None = None


def mark_estimated(
    drawn: ChoroplethModel, change: pd.DataFrame, estimated: pd.Series, lang: str
) -> ChoroplethModel:
    """The change map on the reference buurten: partly estimated buurten outlined, and how much
    was estimated on their hover."""
    share = change["code"].map(estimated).fillna(0.0)
    percent = (share * 100).round().astype(int).astype(str)
    lines = np.where(
        share > 0,
        "<br><i>" + t("estimated_hover", lang) + percent.to_numpy() + "%</i>",
        f"<br><i>{t('exact_hover', lang)}</i>",
    )
    hover = [h + line for h, line in zip(drawn.hover, lines, strict=True)]
    codes = sorted(change.loc[share.to_numpy() > 0, "code"])
    return replace(drawn, hover=hover, estimated_codes=codes)


def suburbanisation_model(inputs: SuburbInputs) -> SuburbModel:
    """The page for `view`: `estimates` per municipality and year (households, low_income_pct),
    `areas` the area estimates (code, name, gemeente_code, low_income) of year A and year B."""
    view, estimates, core, areas, unchanged, names, attribution, index_breaks = (
        inputs.view,
        inputs.estimates,
        inputs.core,
        inputs.areas,
        inputs.unchanged,
        inputs.names,
        inputs.attribution,
        inputs.index_breaks,
    )
    lang = view.lang
    index = migration.suburbanisation_index(estimates, core)
    change = change_frame(areas[0], areas[1], unchanged)
    change_map = change_choropleth(change, view, names, attribution)
    if inputs.estimated is not None:
        change_map = mark_estimated(change_map, change, inputs.estimated, lang)
    classes = change_map.classes
    return SuburbModel(
        index_figure=flow_figures.index_chart(
            index, lang, attribution, [b.year for b in index_breaks or []]
        ),
        reading=reading_text(index, lang, index_breaks),
        change_map=change_map,
        legend=Legend(
            classes.labels,
            classes.colors,
            t("index_low", lang),
            no_data=t("boundary_changed", lang),
            show_estimated=bool(change_map.estimated_codes),
        ),
        change_caption=f"{attribution} · {view.year_a}–{view.year_b}",
        coverage=coverage_text(change, view),
    )


def rise_rows(series: pd.DataFrame, latest_names: pd.Series, lang: str) -> list[dict[str, Any]]:
    """Per buurt, the rise of its share over the last stretch of years in which it kept its code
    and boundary (`series`: code, year, value, fingerprint)."""
    rows = []
    for code, part in series.groupby("code"):
        fingerprints = dict(zip(part["year"], part["fingerprint"], strict=True))
        found = boundary_breaks(fingerprints)
        start = max((b.year for b in found), default=min(fingerprints))
        known = part[(part["year"] >= start) & part["value"].notna()].sort_values("year")
        if len(known) < 2:
            continue
        rows.append(
            {
                "name": latest_names.get(code, code),
                "code": code,
                "rise": float(known["value"].iloc[-1] - known["value"].iloc[0]),
                "trend": known["value"].tolist(),
                "period": f"{known['year'].iloc[0]}–{known['year'].iloc[-1]}",
            }
        )
    return rows


def rise_columns(lang: str) -> list[Column]:
    return [
        Column("name", t("name", lang)),
        Column("code", t("code", lang)),
        Column("rise", t("rise", lang), "number", 1),
        Column("trend", t("trend", lang), "list"),
        Column("period", t("period", lang)),
    ]


def destination_tables(
    series_by_gemeente: dict[str, tuple[pd.DataFrame, pd.Series]], names: dict[str, str], lang: str
) -> list[DestinationTable]:
    """For each destination municipality: the eight buurten whose share rose most."""
    out = []
    for code, (series, latest_names) in series_by_gemeente.items():
        rows = rise_rows(series, latest_names, lang)
        if rows:
            top = pd.DataFrame(rows).sort_values("rise", ascending=False).head(8)
            table = display_table(top, rise_columns(lang), lang)
            out.append(DestinationTable(names.get(code, code), table))
    return out
