"""Map page ("Kaart"): a choropleth of one indicator, focus buurten, and the same data as a table."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data, state
from dashboard.components.chart_component import plotly_figure
from dashboard.components.map_component import choropleth_map, prefetch_map
from dashboard.components.picker import indicator_picker
from dashboard.figures import legend
from dashboard.i18n import t
from dashboard.models.labels import newest_edition_note, preferred_note
from dashboard.models.map import MapModel, Toggles
from dashboard.pages import common
from dashboard.runtime import timing
from dashboard.state import FACTOR, MIN_HOUSEHOLDS, MapView


def harmonised_control(ref: data.StoreRef, view: MapView) -> bool:
    """The switch that puts every edition on the reference year's buurten (when the store has
    harmonised series)."""
    reference = data.reference_year(ref)
    if reference is None:
        return False
    common.seed("k_harmonised", view.harmonised)
    return bool(
        st.sidebar.toggle(
            t("harmonised_switch", view.lang, year=reference),
            key="k_harmonised",
            help=t("harmonised_help", view.lang),
        )
    )


def indicator_controls(ref: data.StoreRef, view: MapView) -> tuple[str, int]:
    """The indicator and its edition (the year slider offers that indicator's editions, or its
    harmonised ones); at Amsterdam's own levels only the indicators that have values there."""
    lang, options = view.lang, data.options(ref)
    level = "buurt" if view.harmonised else str(st.session_state.get("k_level", view.level))
    offered = data.indicators_at(ref, level) or list(options.indicators)
    if view.harmonised:
        offered = [i for i in offered if options.years_of(i, True)] or offered
    indicator = pick_indicator(offered, lang)
    years = list(options.years_of(indicator, view.harmonised)) or list(
        data.years_by_indicator(ref)[indicator]
    )
    if common.url_changed() or st.session_state.get("k_year") not in years:
        keep = view.year in years and indicator == view.indicator
        st.session_state["k_year"] = view.year if keep else max(years)
    year = st.sidebar.select_slider(t("year", lang), options=years, key="k_year")
    return indicator, int(year)


def picker_groups(offered: list[str], lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The offered indicators grouped by theme, in catalogue order."""
    catalogue = data.catalogue()
    groups: dict[str, list[tuple[str, str]]] = {}
    for indicator_id in offered:
        indicator = catalogue[indicator_id]
        groups.setdefault(indicator.group_label(lang), []).append(
            (indicator_id, indicator.label(lang))
        )
    return list(groups.items())


def pick_indicator(offered: list[str], lang: str) -> str:
    """The indicator: from the URL, else the picker (a pick in the browser recolours the map
    at once). A new picker instance starts whenever the URL changed from outside."""
    if common.url_changed():
        st.session_state["_picker"] = st.session_state.get("_picker", 0) + 1
    current = st.session_state.get("k_indicator")
    current = current if current in offered else offered[0]
    with st.sidebar:
        picked = indicator_picker(
            t("indicator", lang),
            picker_groups(offered, lang),
            current,
            key=f"k_picker_{st.session_state.get('_picker', 0)}",
        )
    if picked in offered and picked != st.session_state.get("_picked"):
        current = picked
    st.session_state["_picked"] = picked
    st.session_state["k_indicator"] = current
    return current


def focus_controls(view: MapView) -> tuple[str, float, int]:
    """The focus rule: measure, factor and minimum households (ranges from `state`)."""
    lang, catalogue = view.lang, data.catalogue()
    with st.sidebar.expander(t("focus_title", lang), expanded=False):
        focus = st.selectbox(
            t("focus_indicator", lang),
            state.FOCUS_INDICATORS,
            format_func=lambda i: catalogue[i].label(lang),
            key="k_focus",
        )
        factor = st.slider(
            t("focus_factor", lang), FACTOR.lo, FACTOR.hi, step=FACTOR.step, key="k_factor"
        )
        min_hh = st.number_input(
            t("focus_min_households", lang),
            min_value=int(MIN_HOUSEHOLDS.lo),
            max_value=int(MIN_HOUSEHOLDS.hi),
            step=int(MIN_HOUSEHOLDS.step),
            key="k_min_hh",
        )
    return str(focus), float(factor), int(min_hh)


def seed_controls(view: MapView) -> None:
    """Seed the widgets from the URL the first time the page runs in a session."""
    for key, value in (
        ("k_indicator", view.indicator),
        ("k_level", view.level),
        ("k_gemeenten", list(view.gemeenten)),
        ("k_classes", view.classes),
        ("k_focus", view.focus),
        ("k_factor", view.factor),
        ("k_min_hh", view.min_hh),
    ):
        common.seed(key, value)


def level_choices(gemeenten: list[str]) -> tuple[str, ...]:
    """CBS's levels, plus Amsterdam's own (stadsdeel, gebied) when Amsterdam is on the map."""
    with_amsterdam = not gemeenten or state.AMSTERDAM in gemeenten
    return state.MAP_LEVELS if with_amsterdam else state.LEVELS


def area_controls(lang: str, harmonised: bool = False) -> tuple[str, tuple[str, ...], str]:
    """Level (buurt only when harmonised), municipalities and classification."""
    names = data.gemeente_names()
    levels = level_choices(list(st.session_state.get("k_gemeenten") or []))
    if st.session_state.get("k_level") not in levels or harmonised:
        st.session_state["k_level"] = "buurt"
    level = st.sidebar.radio(
        t("level", lang),
        levels,
        format_func=lambda v: t(v, lang),
        horizontal=True,
        key="k_level",
        disabled=harmonised,
    )
    gemeenten = common.choose_many(
        st.sidebar,
        t("gemeenten", lang),
        data.region().codes,
        lambda c: names.get(c, c),
        "k_gemeenten",
        t("all_gemeenten", lang),
    )
    classes = st.sidebar.selectbox(
        t("classification", lang),
        state.CLASS_METHODS,
        format_func=lambda m: t(m, lang),
        key="k_classes",
    )
    return str(level), tuple(gemeenten), str(classes)


def controls(ref: data.StoreRef, view: MapView) -> MapView:
    """Sidebar controls, seeded from the URL; returns the view they describe."""
    seed_controls(view)
    view = replace(view, lang=common.language_switch(view.lang))
    view = replace(view, harmonised=harmonised_control(ref, view))
    indicator, year = indicator_controls(ref, view)
    level, gemeenten, classes = area_controls(view.lang, view.harmonised)
    focus, factor, min_hh = focus_controls(view)
    return replace(
        view,
        indicator=indicator,
        year=year,
        level=level,
        gemeenten=gemeenten or view.gemeenten,
        classes=classes,
        focus=focus,
        factor=factor,
        min_hh=min_hh,
    )


def toggles(view: MapView) -> Toggles:
    lang = view.lang
    return Toggles(
        show_focus=st.toggle(
            t("focus_show", lang), value=True, key="k_show_focus", disabled=view.level != "buurt"
        ),
        show_official=st.toggle(t("focus_official_show", lang), value=True, key="k_show_official"),
        basemap=st.toggle(t("basemap", lang), value=False, key="k_basemap"),
    )


def focus_section(ref: data.StoreRef, model: MapModel, view: MapView) -> None:
    st.markdown(model.rule_text)
    if model.focus_table.empty:
        st.info(t("focus_none", view.lang))
    else:
        st.dataframe(model.focus_table, hide_index=True, width="stretch")
    st.subheader(t("focus_count_title", view.lang))
    lang = view.lang
    figure, note = data.focus_count_figure(ref, view.focus, view.factor, view.min_hh, lang)
    label = t("focus_count_title", lang)
    texts = ("aandachtsbuurten_per_jaar", t("chart_error", lang))
    plotly_figure(figure, data.plotly_scripts(), "focus_counts", label, texts)
    if note:
        st.caption(note)
    common.attribution(ref, view.lang)


@common.page_fragment("kaart#map")
def map_panel(ref: data.StoreRef, view: MapView) -> MapModel:
    """The map with its switches and legend. A fragment: flipping a switch reruns only this
    part, not the focus tables and charts below (they do not depend on the switches)."""
    col_map, col_side = st.columns([3, 1])
    with timing.section("toggles"), col_side:
        switches = toggles(view)
    with timing.section("model"):
        model = data.map_model(ref, view, switches)
    with timing.section("legend"), col_side:
        st.html(legend.legend_html(model.legend, view.lang))
        for line in model.panel:
            st.markdown(line)
    with timing.section("map"), col_map:
        choropleth_map(
            model.choropleth,
            data.map_plumbing(ref, data.geometry_year(ref, view), view.level, view.gemeenten),
            key="kaart_map",
            recolour_url=data.recolour_url(ref, view),
        )
        st.caption(model.source_caption)
    return model


def table_section(model: MapModel, lang: str) -> None:
    """The map's data as a table, sent only while its expander is open (closed, the table
    would travel with every rerun: about 80 KB at buurt level)."""
    table = st.expander(t("table_title", lang), key="k_table_open", on_change="rerun")
    if table.open:
        with table:
            st.dataframe(model.table, hide_index=True, width="stretch")


def edition_notes(ref: data.StoreRef, view: MapView) -> None:
    """Say when the map shows an older edition than the newest in the store, and where the
    preferred poverty measure's newest figures are when the map shows another indicator."""
    newest = data.newest_edition(ref)
    status = data.edition_status(ref, view.indicator, newest) if newest else None
    options, preferred = data.options(ref), state.DEFAULT_INDICATORS[0]
    years = options.years_of(preferred)
    notes = [
        newest_edition_note(newest, view.year, status, view.lang),
        preferred_note(
            data.catalogue()[preferred].label(view.lang),
            max(years) if years else None,
            newest,
            view.indicator == preferred,
            view.lang,
        ),
    ]
    for note in filter(None, notes):
        st.caption(note)


def render() -> None:
    ref = data.current_store()
    with timing.section("controls"):
        asked = common.read_view(ref, MapView)
        with st.sidebar:
            prefetch_map(
                data.plotly_scripts(),
                data.geojson_url(ref, data.geometry_year(ref, asked), asked.level),
                "pre",
            )
        view = controls(ref, asked)
        common.write_view(view)
    title, notes = st.empty(), st.container()
    model = map_panel(ref, view)
    title.title(model.title)
    with notes:
        edition_notes(ref, view)
    with timing.section("focus"):
        focus_section(ref, model, view)
    with timing.section("table"):
        table_section(model, view.lang)
    with timing.section("recolour"), st.sidebar:
        # after everything else: the colours of every indicator, for a recolour on a pick
        prefetch_map(data.plotly_scripts(), "", "pre_recolour", data.ensure_recolour(ref, view))


if __name__ == "__main__":
    render()
