"""Suburbanisation of poverty: where low-income households live, and how that changes.

The page's state is a `SuburbView` (``year_a``, ``year_b``, ``level``, ``lang``,
``harmonised``).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data, state
from dashboard.components.map_component import choropleth_map
from dashboard.figures import legend
from dashboard.i18n import t
from dashboard.models.suburb import SuburbModel
from dashboard.pages import common
from dashboard.runtime import timing
from dashboard.state import SuburbView


def harmonised_switch(ref: data.StoreRef, view: SuburbView) -> bool:
    """The switch that compares both years on the reference year's buurten (when the store
    has harmonised series)."""
    reference = data.reference_year(ref)
    if reference is None:
        return False
    common.seed("s_harmonised", view.harmonised)
    return bool(
        st.toggle(
            t("harmonised_switch", view.lang, year=reference),
            key="s_harmonised",
            help=t("harmonised_help", view.lang),
        )
    )


def controls(ref: data.StoreRef, view: SuburbView) -> SuburbView:
    """Harmonised or not, the two years and the level (buurt only when harmonised)."""
    lang = view.lang
    harmonised = harmonised_switch(ref, view)
    options = data.options(ref)
    years = list(options.years_of(state.SUBURB_INDICATOR, harmonised)) or list(
        options.years_of(state.SUBURB_INDICATOR)
    )
    level = view.level or data.comparable_level(ref, view.year_a, view.year_b)
    for key, value in (("s_year_a", view.year_a), ("s_year_b", view.year_b)):
        common.seed(key, value)
        if st.session_state.get(key) not in years:
            st.session_state[key] = years[0] if key == "s_year_a" else years[-1]
    common.seed("s_level", level)
    if harmonised:
        st.session_state["s_level"] = "buurt"
    c1, c2, c3 = st.columns(3)
    year_a = c1.selectbox(t("year_a", lang), years, key="s_year_a")
    year_b = c2.selectbox(t("year_b", lang), years, key="s_year_b")
    chosen = c3.radio(
        t("level", lang),
        state.LEVELS,
        format_func=lambda v: t(v, lang),
        horizontal=True,
        key="s_level",
        disabled=harmonised,
    )
    return replace(
        view, year_a=int(year_a), year_b=int(year_b), level=str(chosen), harmonised=harmonised
    )


def change_map(ref: data.StoreRef, model: SuburbModel, view: SuburbView) -> None:
    col_map, col_side = st.columns([3, 1])
    with col_side:
        st.html(legend.legend_html(model.legend, view.lang))
        st.caption(model.coverage)
        st.caption(t("change_hint", view.lang))
    with col_map:
        level = view.level or "buurt"
        year = (data.reference_year(ref) or view.year_b) if view.harmonised else view.year_b
        plumbing = data.map_plumbing(ref, year, level, tuple(data.region().codes))
        choropleth_map(model.change_map, plumbing, key="change_map")
        st.caption(model.change_caption)


def destinations(ref: data.StoreRef, lang: str) -> None:
    """For Zaanstad, Purmerend and Hoorn: buurten where the low-income share rose most."""
    for table in data.rise_tables(ref, lang):
        st.markdown(f"**{table.name}**")
        trend = t("trend", lang)
        st.dataframe(
            table.table,
            hide_index=True,
            width="stretch",
            column_config={trend: st.column_config.LineChartColumn(trend)},
        )
    common.attribution(ref, lang)


def index_section(ref: data.StoreRef, view: SuburbView) -> None:
    """The suburbanisation index over the years and what it does (and does not) show."""
    model = data.suburb_model(ref, view)
    st.subheader(t("index_title", view.lang))
    st.plotly_chart(
        model.index_figure,
        width="stretch",
        config={"toImageButtonOptions": {"filename": "suburbanisatie_index"}},
    )
    if model.reading:
        st.markdown(model.reading)


@common.page_fragment("suburbanisatie#change")
def change_section(ref: data.StoreRef, view: SuburbView) -> SuburbView:
    """The two years, the level and the change map. A fragment: choosing another year reruns
    only this part, not the index above or the tables below (they do not depend on it)."""
    view = controls(ref, view)
    common.write_view(view)
    with timing.section("change_map"):
        change_map(ref, data.suburb_model(ref, view), view)
    return view


def render() -> None:
    ref = data.current_store()
    view = common.read_view(ref, SuburbView)
    view = replace(view, lang=common.language_switch(view.lang))
    st.title(t("page_suburb", view.lang))
    st.caption(t("estimate_note", view.lang))
    index_slot = st.container()
    st.subheader(t("change_title", view.lang))
    view = change_section(ref, view)
    with timing.section("index"), index_slot:
        index_section(ref, view)
    with timing.section("destinations"):
        st.subheader(t("destination_detail", view.lang))
        destinations(ref, view.lang)


if __name__ == "__main__":
    render()
