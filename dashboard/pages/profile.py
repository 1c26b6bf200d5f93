"""Neighbourhood profile ("Buurtprofiel"): every indicator over the years for one area."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data
from dashboard.i18n import t
from dashboard.models.comparison import side_by_side as compare
from dashboard.models.profile import (
    MAIN_INDICATOR,
    ProfileData,
    ProfileInputs,
    ProfileModel,
    area_choices,
    choice_labels,
    profile_model,
)
from dashboard.pages import common
from dashboard.routes import PAGES
from dashboard.state import Notice, ProfileView

PAGE = PAGES["buurtprofiel"].file


def choose_area(ref: data.StoreRef, view: ProfileView) -> str | None:
    """The search box, set from the URL's `area` (a new link or a map click sets it again)."""
    labels = choice_labels(area_choices(data.areas_table(ref)))
    default = view.area if view.area in labels else None
    if view.area and default is None:
        common.notice(Notice("area", view.area), view.lang)
    if st.session_state.get("_area_from_url") != default:
        st.session_state["_area_from_url"] = default
        if default:
            st.session_state["k_area"] = default
    code = st.selectbox(
        t("search_area", view.lang),
        list(labels),
        format_func=labels.__getitem__,
        index=None,
        key="k_area",
        placeholder="…",
    )
    return None if code is None else str(code)


def status(model: ProfileModel) -> None:
    """Rank, focus status, official lists and, for a code that ended, its successors."""
    if model.rank:
        st.markdown(model.rank)
    if model.focus:
        kind, text = model.focus
        (st.warning if kind == "warning" else st.success)(text)
    for line in model.official:
        st.info(line)
    if model.ended:
        st.caption(model.ended)
        for code, name in model.successors:
            st.page_link(PAGE, label=f"{name} ({code})", query_params={"area": code})


def side_by_side(ref: data.StoreRef, inputs: ProfileData, lang: str) -> None:
    """CBS's and Amsterdam's poverty measures together, where the area has two or more."""
    comparison = data.comparison_of(MAIN_INDICATOR)
    if comparison is None:
        return
    model = compare(comparison, inputs.values, data.indicator_sources(ref), data.catalogue(), lang)
    if model is None:
        return
    st.subheader(model.title)
    st.dataframe(model.table, hide_index=True, width="stretch")
    st.caption(model.note)


def theme_tabs(model: ProfileModel, code: str, lang: str) -> None:
    """A tab per theme; per indicator its chart beside what it means, its latest value and its
    breaks."""
    if not model.themes:
        return
    for tab, theme in zip(st.tabs([th.label for th in model.themes]), model.themes, strict=True):
        with tab:
            for panel in theme.panels:
                chart, text = st.columns([3, 2])
                chart.plotly_chart(
                    panel.figure,
                    width="stretch",
                    key=f"p_{panel.indicator}",
                    config={
                        "toImageButtonOptions": {"filename": f"profiel_{code}_{panel.indicator}"}
                    },
                )
                text.markdown(f"**{panel.label}**")
                text.write(panel.explanation)
                text.caption(f"{t('profile_latest', lang)}: {panel.latest}")
                if panel.breaks:
                    text.caption(t("breaks_intro", lang) + " " + "; ".join(panel.breaks))


def render() -> None:
    ref = data.current_store()
    view = common.read_view(ref, ProfileView)
    view = replace(view, lang=common.language_switch(view.lang))
    st.title(t("page_profile", view.lang))
    code = choose_area(ref, view)
    common.write_view(replace(view, area=code))
    if not code:
        st.info(t("no_area", view.lang))
        return
    inputs, gemeente = data.profile_inputs(ref, code, view.focus, view.factor, view.min_hh)
    model = profile_model(
        ProfileInputs(
            data=inputs,
            indicators=data.catalogue(),
            view=view,
            names=data.gemeente_names(),
            gemeente=gemeente,
            attributions={kind: data.attribution(ref, view.lang, kind) for kind in ("cbs", "bbga")},
        )
    )
    st.header(model.title)
    st.caption(model.caption)
    status(model)
    side_by_side(ref, inputs, view.lang)
    theme_tabs(model, code, view.lang)
    st.subheader(t("profile_history", view.lang))
    st.dataframe(model.history, hide_index=True, width="stretch")
    common.attribution(ref, view.lang)


if __name__ == "__main__":
    render()
