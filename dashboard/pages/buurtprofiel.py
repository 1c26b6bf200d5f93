"""Neighbourhood profile ("Buurtprofiel"): every indicator over the years for one area."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data
from dashboard.i18n import t
from dashboard.pages import common
from dashboard.state import Notice, ProfileView
from dashboard.views.profile import ProfileModel, area_choices, choice_labels, profile_model


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


def show(model: ProfileModel, code: str) -> None:
    st.header(model.title)
    st.caption(model.caption)
    if model.rank:
        st.markdown(model.rank)
    if model.focus:
        kind, text = model.focus
        (st.warning if kind == "warning" else st.success)(text)
    for line in model.official:
        st.info(line)
    if model.breaks:
        st.caption(model.breaks)
    if model.figure is not None:
        st.plotly_chart(
            model.figure,
            width="stretch",
            config={"toImageButtonOptions": {"filename": f"profiel_{code}"}},
        )


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
        inputs,
        data.catalogue(),
        view,
        data.gemeente_names(),
        gemeente,
        data.attribution(ref, view.lang),
    )
    show(model, code)
    st.subheader(t("profile_history", view.lang))
    st.dataframe(model.history, hide_index=True, width="stretch")
    common.attribution(ref, view.lang)


if __name__ == "__main__":
    render()
