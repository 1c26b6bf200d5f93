"""The migration page's model: moves between Amsterdam and the region (CBS 81734NED)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import migration
from dashboard.figures import flows as flow_figures
from dashboard.i18n import t
from dashboard.models.tables import Column, display_table
from dashboard.state import FlowsView

#: The column of `migration.core_flows` that each direction shows.
COLUMN = {"out": "from_core", "in": "to_core", "net": "net"}


@dataclass(frozen=True)
class FlowRegion:
    """The region as the migration page sees it."""

    core: str
    codes: tuple[str, ...]  # current municipalities, the core included
    highlight: tuple[str, ...]
    mergers: tuple[tuple[int, str], ...] = ()  # (year, the municipalities that merged then)

    @property
    def others(self) -> list[str]:
        return [c for c in self.codes if c != self.core]


@dataclass(frozen=True)
class FlowsModel:
    """Everything the migration page shows."""

    map_title: str
    flow_map: go.Figure
    trend: go.Figure
    sankey_title: str
    sankey: go.Figure
    rates: go.Figure
    table: pd.DataFrame
    filename: str


def flow_lines(
    totals: pd.DataFrame,
    points: pd.DataFrame,
    names: dict[str, str],
    others: list[str],
    column: str,
) -> pd.DataFrame:
    """One line per municipality: code, name, lon, lat and the value shown."""
    lines = totals[totals["code"].isin(others)]
    return lines.assign(
        value=lines[column],
        name=lines["code"].map(names),
        lon=lines["code"].map(points["lon"]),
        lat=lines["code"].map(points["lat"]),
    )


def period_totals(core: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Moves from, to and net per municipality summed over the years first..last."""
    period = core[(core["year"] >= first) & (core["year"] <= last)]
    return period.groupby("code", as_index=False)[["from_core", "to_core", "net"]].sum(min_count=1)


def mean_rates(
    period: pd.DataFrame, population: pd.DataFrame, column: str, others: list[str]
) -> pd.DataFrame:
    """Per municipality the mean yearly moves per 1,000 residents over the period."""
    joined = period.merge(population, on=["year", "code"], how="left")
    joined = joined.assign(rate=migration.per_thousand(joined[column], joined["population"]))
    rates = joined.groupby("code", as_index=False)["rate"].mean()
    return rates[rates["code"].isin(others) & rates["rate"].notna()]


def flows_table(
    period: pd.DataFrame, names: dict[str, str], others: list[str], lang: str
) -> pd.DataFrame:
    """Moves per year and municipality, with translated headers and the language's numbers."""
    table = period[period["code"].isin(others)]
    table = table.assign(gemeente=table["code"].map(names))
    columns = [
        Column("year", t("flows_table_year", lang), "year"),
        Column("gemeente", t("municipality", lang)),
        Column("code", t("code", lang)),
        Column("from_core", t("flows_table_out", lang), "count"),
        Column("to_core", t("flows_table_in", lang), "count"),
        Column("net", t("flows_table_net", lang), "count"),
    ]
    return display_table(table, columns, lang)


def source_line(lang: str, first: int, last: int, income_source: str | None) -> str:
    """The source of the flows shown: CBS 81734NED for its years, or the imported table."""
    if income_source is not None:
        return t("income_source", lang, source=income_source)
    return t("flows_source", lang, years=f"{first}–{last}" if first != last else str(first))


def sankey_figure(
    selected: pd.DataFrame,
    core: pd.DataFrame,
    region: FlowRegion,
    names: dict[str, str],
    year: int,
    lang: str,
    source: str,
) -> go.Figure:
    rest = migration.rest_of_country(selected, region.core, set(region.codes))
    rest_value = rest.loc[rest["year"] == year, "persons"]
    out_year = core[core["year"] == year][["code", "from_core"]].rename(
        columns={"from_core": "value"}
    )
    return flow_figures.sankey(
        out_year,
        float(rest_value.iloc[0]) if len(rest_value) else 0.0,
        names.get(region.core, region.core),
        names,
        lang,
        source,
    )


def flow_map_figure(
    core: pd.DataFrame,
    view: FlowsView,
    region: FlowRegion,
    geography: tuple[pd.DataFrame, dict[str, Any]],
    names: dict[str, str],
    source: str,
) -> go.Figure:
    """Lines from the core to each municipality for the view's years and direction."""
    (first, last), (points, outlines) = view.years, geography
    column = COLUMN[view.direction]
    lines = flow_lines(period_totals(core, first, last), points, names, region.others, column)
    core_point = (points.loc[region.core, "lon"], points.loc[region.core, "lat"])
    measure = t(f"dir_{view.direction}", view.lang)
    destinations = set(view.destinations)
    return flow_figures.flow_map(
        lines, core_point, outlines, destinations, measure, view.lang, source
    )


@dataclass(frozen=True)
class FlowsInputs:
    """What the migration page is drawn from: the flows on today's territory (`selected`), the
    region's codes, the municipalities' points and outlines (`geography`), their names,
    population per year, and who delivered an imported income group."""

    view: FlowsView
    selected: pd.DataFrame
    region: FlowRegion
    geography: tuple[pd.DataFrame, dict[str, Any]]
    names: dict[str, str]
    population: pd.DataFrame
    income_source: str | None = None
    prefix: str = ""


def flows_model(inputs: FlowsInputs) -> FlowsModel:
    """The migration page for `view`: `selected` are the flows on today's territory (all
    persons from 81734NED, or the imported income group delivered by `income_source`);
    `geography` the municipalities' points (lon, lat by code) and outlines."""
    view, selected, region, geography, names, population, income_source, prefix = (
        inputs.view,
        inputs.selected,
        inputs.region,
        inputs.geography,
        inputs.names,
        inputs.population,
        inputs.income_source,
        inputs.prefix,
    )
    lang, (first, last) = view.lang, view.years
    source = prefix + source_line(lang, first, last, income_source)
    core = migration.core_flows(selected, region.core)
    period = core[(core["year"] >= first) & (core["year"] <= last)]
    sankey_year = view.sankey_year or last
    rates = mean_rates(period, population, COLUMN[view.direction], region.others)
    chosen = core[core["code"].isin(view.destinations)]
    return FlowsModel(
        map_title=t("flow_map_title", lang, years=f"{first}–{last}" if first != last else first),
        flow_map=flow_map_figure(core, view, region, geography, names, source),
        trend=flow_figures.trend_chart(chosen, names, lang, source, dict(region.mergers)),
        sankey_title=t("sankey_title", lang, year=sankey_year),
        sankey=sankey_figure(
            selected,
            core,
            region,
            names,
            sankey_year,
            lang,
            prefix + source_line(lang, sankey_year, sankey_year, income_source),
        ),
        rates=flow_figures.rates_chart(rates, names, lang, source + " · KWB"),
        table=flows_table(period, names, region.others, lang),
        filename=f"verhuisstromen_{view.direction}_{first}_{last}",
    )
