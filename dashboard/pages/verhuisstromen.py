"""Migration flows ("Verhuisstromen"): Amsterdam and the region, from CBS 81734NED.

URL parameters: ``years`` (e.g. 2015-2024), ``direction`` (out/in/net), ``destinations``
(GM codes), ``sankey_year``, ``income_group``, ``lang``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, migration
from dashboard.components import flow_figures
from dashboard.i18n import t
from dashboard.pages import common

DIRECTIONS = ("out", "in", "net")
COLUMN = {"out": "from_core", "in": "to_core", "net": "net"}


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return None if value is None else str(value)


def _notice(lang: str, name: str, value: str) -> None:
    st.caption(t("invalid_param", lang, name=name, value=value))


def parse_years(text: str | None, available: list[int]) -> tuple[int, int] | None:
    """'2015-2024' or '2019' within the available years, else None."""
    if not text:
        return None
    parts = text.split("-")
    if not all(p.isdigit() for p in parts) or len(parts) not in (1, 2):
        return None
    first, last = int(parts[0]), int(parts[-1])
    if first > last or first not in available or last not in available:
        return None
    return first, last


def territory_flows(ref: data.StoreRef) -> pd.DataFrame:
    region = data.region()
    return migration.flows_on_current_territory(
        data.flows(ref), region.successor, set(region.all_codes)
    )


def population_by_year(ref: data.StoreRef) -> pd.DataFrame:
    """KWB population per current municipality and year (merged parts added before the merger)."""
    parts = data.gemeente_parts(ref, ("population",), "population")
    return parts.groupby(["year", "code"], as_index=False)["population"].sum(min_count=1)


def render() -> None:
    ref, _view, lang = common.page_setup()
    region = data.region()
    names = {**data.flow_region_names(ref), **common.gemeente_names(ref)}
    flows = territory_flows(ref)
    if flows.empty:
        st.info(t("empty_body", lang, path=ref.path))
        return
    years = sorted(int(y) for y in flows["year"].unique())
    st.title(t("page_flows", lang))

    chosen = parse_years(_param("years"), years)
    if _param("years") and chosen is None:
        _notice(lang, "years", _param("years"))
    direction = _param("direction") or "out"
    if direction not in DIRECTIONS:
        _notice(lang, "direction", direction)
        direction = "out"
    others = [c for c in region.codes if c != region.core]
    wanted = _param("destinations")
    destinations = list(region.highlight)
    if wanted:
        codes = [c.strip().upper() for c in wanted.split(",") if c.strip()]
        if codes and all(c in others for c in codes):
            destinations = codes
        else:
            _notice(lang, "destinations", wanted)
    first, last = st.sidebar.select_slider(
        t("years_range", lang), options=years, value=chosen or (years[0], years[-1]), key="f_years"
    )
    direction = st.sidebar.radio(
        t("direction", lang),
        DIRECTIONS,
        index=DIRECTIONS.index(direction),
        format_func=lambda d: t(f"dir_{d}", lang),
        key="f_direction",
    )
    destinations = st.sidebar.multiselect(
        t("destinations", lang),
        others,
        default=destinations,
        format_func=lambda c: names.get(c, c),
        key="f_dest",
    )
    income = data.income_flows(ref)
    groups = sorted(income["income_group"].unique()) if not income.empty else []
    group = None
    if groups:
        options = ["__all__", *groups]
        wanted_group = _param("income_group")
        group = st.sidebar.selectbox(
            t("income_group", lang),
            options,
            index=options.index(wanted_group) if wanted_group in options else 0,
            format_func=lambda g: t("income_all", lang) if g == "__all__" else g,
            key="f_group",
        )
        group = None if group == "__all__" else group
    st.query_params.update(
        {
            "years": f"{first}-{last}",
            "direction": direction,
            "destinations": ",".join(destinations),
            "lang": lang,
        }
    )

    if group is not None:
        selected = income[income["income_group"] == group].rename(columns={"households": "persons"})
        selected = migration.flows_on_current_territory(
            selected[["year", "origin_code", "destination_code", "persons"]],
            region.successor,
            set(region.all_codes),
        )
        source_line = t("income_source", lang, source=_income_source(ref))
    else:
        selected = flows
        source_line = t("flows_source", lang, first=first, last=last)
    core = migration.core_flows(selected, region.core)
    period = core[(core["year"] >= first) & (core["year"] <= last)]
    totals = period.groupby("code", as_index=False)[["from_core", "to_core", "net"]].sum(
        min_count=1
    )
    points = data.gemeente_points(ref).set_index("code")
    lines = totals[totals["code"].isin(others)].copy()
    lines["value"] = lines[COLUMN[direction]]
    lines["name"] = lines["code"].map(names)
    lines["lon"] = lines["code"].map(points["lon"])
    lines["lat"] = lines["code"].map(points["lat"])
    core_point = (points.loc[region.core, "lon"], points.loc[region.core, "lat"])
    span = f"{first}–{last}" if first != last else str(first)
    st.subheader(t("flow_map_title", lang, years=span))
    if not groups:
        st.caption(t("income_missing", lang))
    fig = flow_figures.flow_map(
        lines,
        core_point,
        data.gemeente_outlines(ref),
        set(destinations),
        t(f"dir_{direction}", lang),
        lang,
        source_line,
    )
    st.plotly_chart(
        fig,
        width="stretch",
        config=_config(f"verhuisstromen_{direction}_{first}_{last}"),
        key="flow_map",
    )
    st.caption(t("merger_note", lang))

    st.subheader(t("trend_title", lang))
    trend = core[core["code"].isin(destinations)]
    st.plotly_chart(
        flow_figures.trend_chart(trend, names, lang, source_line),
        width="stretch",
        config=_config("verhuisstromen_trend"),
    )

    sankey_year = st.select_slider(
        t("sankey_year", lang), options=years, value=last, key="f_sankey"
    )
    st.subheader(t("sankey_title", lang, year=sankey_year))
    rest = migration.rest_of_country(selected, region.core, set(region.codes))
    rest_value = rest.loc[rest["year"] == sankey_year, "persons"]
    out_year = core[(core["year"] == sankey_year)][["code", "from_core"]].rename(
        columns={"from_core": "value"}
    )
    sankey_source = (
        t("flows_source", lang, first=sankey_year, last=sankey_year)
        if group is None
        else source_line
    )
    st.plotly_chart(
        flow_figures.sankey(
            out_year,
            float(rest_value.iloc[0]) if len(rest_value) else 0.0,
            names.get(region.core, "Amsterdam"),
            names,
            lang,
            sankey_source,
        ),
        width="stretch",
        config=_config(f"verhuisstromen_sankey_{sankey_year}"),
    )

    st.subheader(t("rates_title", lang))
    population = population_by_year(ref)
    joined = pd.merge(period, population, on=["year", "code"], how="left")
    joined["rate"] = migration.per_thousand(joined[COLUMN[direction]], joined["population"])
    rates = joined.groupby("code", as_index=False)["rate"].mean()
    rates = rates[rates["code"].isin(others) & rates["rate"].notna()]
    st.plotly_chart(
        flow_figures.rates_chart(rates, names, lang, source_line + " · KWB"),
        width="stretch",
        config=_config("verhuisstromen_per_1000"),
    )
    table = period[period["code"].isin(others)].assign(name=lambda f: f["code"].map(names))
    st.dataframe(
        table[["year", "name", "code", "from_core", "to_core", "net"]],
        hide_index=True,
        width="stretch",
    )


def _income_source(ref: data.StoreRef) -> str:
    sources = data.sources(ref)
    rows = sources[sources["source"] == "income_flows"]
    return str(rows.iloc[-1]["table_id"]) if len(rows) else "?"


def _config(filename: str) -> dict:
    return {
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "topojsonURL": data.topojson_url(),
        "displaylogo": False,
    }


if __name__ == "__main__":
    render()
