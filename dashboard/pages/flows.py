"""Migration flows ("Verhuisstromen"): Amsterdam and the region, from CBS 81734NED.

The page's state is a `FlowsView` (``years``, ``direction``, ``destinations``, ``sankey_year``,
``income_group``, ``lang``), read from and written to the URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import streamlit as st

from dashboard import data, state
from dashboard.i18n import t
from dashboard.pages import common
from dashboard.runtime import timing
from dashboard.safe import code_span
from dashboard.state import FlowsView

ALL = "__all__"


def controls(ref: data.StoreRef, view: FlowsView) -> FlowsView:
    """Sidebar controls seeded from the URL; returns the view they describe."""
    lang, options, names = view.lang, data.options(ref), data.gemeente_names()
    years = list(options.flow_years)
    for key, value in (
        ("f_direction", view.direction),
        ("f_dest", list(view.destinations)),
        ("f_group", view.income_group or ALL),
    ):
        common.seed(key, value)
    common.forget_on_url_change("f_years")  # a range slider takes its range from `value`
    first, last = st.sidebar.select_slider(
        t("years_range", lang), options=years, value=view.years, key="f_years"
    )
    direction = st.sidebar.radio(
        t("direction", lang),
        state.DIRECTIONS,
        format_func=lambda d: t(f"dir_{d}", lang),
        key="f_direction",
    )
    destinations = common.choose_many(
        st.sidebar,
        t("destinations", lang),
        options.destinations,
        lambda c: names.get(c, c),
        "f_dest",
        t("choose_destinations", lang),
    )
    return replace(
        view,
        years=(int(first), int(last)),
        direction=direction,
        destinations=tuple(destinations),
        income_group=income_group(options.income_groups, view.income_group, lang),
    )


def income_group(groups: Sequence[str], current: str | None, lang: str) -> str | None:
    """The income group of the imported moves to show (None: all moves, from CBS)."""
    if not groups:
        return current
    group = st.sidebar.selectbox(
        t("income_group", lang),
        [ALL, *groups],
        format_func=lambda g: t("income_all", lang) if g == ALL else g,
        key="f_group",
    )
    return None if group == ALL else str(group)


def chart(figure: object, filename: str, key: str | None = None) -> None:
    config = {
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "topojsonURL": data.topojson_url(),
        "displaylogo": False,
    }
    st.plotly_chart(figure, width="stretch", config=config, key=key)


def render() -> None:
    ref = data.current_store()
    view = common.read_view(ref, FlowsView)
    years = list(data.options(ref).flow_years)
    if not years:
        st.info(t("empty_body", view.lang, path=code_span(ref.description)))
        return
    view = controls(ref, replace(view, lang=common.language_switch(view.lang)))
    lang = view.lang
    st.title(t("page_flows", lang))
    common.seed("f_sankey", view.sankey_year or view.years[1])
    view = replace(view, sankey_year=int(st.session_state["f_sankey"]))
    common.write_view(view)
    with timing.section("model"):
        model = data.flows_model(ref, view)
    st.subheader(model.map_title)
    if not data.options(ref).income_groups:
        st.caption(t("income_missing", lang))
    with timing.section("flow_map"):
        chart(model.flow_map, model.filename, key="flow_map")
    st.caption(t("merger_note", lang))
    st.subheader(t("trend_title", lang))
    chart(model.trend, "verhuisstromen_trend")
    st.select_slider(t("sankey_year", lang), options=years, key="f_sankey")
    st.subheader(model.sankey_title)
    chart(model.sankey, f"verhuisstromen_sankey_{view.sankey_year}")
    st.subheader(t("rates_title", lang))
    chart(model.rates, "verhuisstromen_per_1000")
    st.dataframe(model.table, hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
