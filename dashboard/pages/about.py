"""About the data ("Over de data"): what the store holds, definitions, attribution."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data
from dashboard.i18n import t
from dashboard.models.about import (
    definitions,
    harmonisation_summary,
    official_lists,
    source_summary,
)
from dashboard.pages import common
from dashboard.state import PageView


def harmonisation(ref: data.StoreRef, lang: str) -> None:
    """How the harmonised buurt series are made and their measured error (when the store has
    them)."""
    reference = data.reference_year(ref)
    if reference is None:
        return
    st.subheader(t("about_harmonised", lang))
    st.markdown(t("about_harmonised_text", lang, year=reference))
    errors = harmonisation_summary(data.harmonisation_errors(ref), data.catalogue(), lang)
    st.dataframe(errors, hide_index=True, width="stretch")


def render() -> None:
    ref = data.current_store()
    view = common.read_view(ref, PageView)
    view = replace(view, lang=common.language_switch(view.lang))
    common.write_view(view)
    lang = view.lang
    st.title(t("page_about", lang))
    st.subheader(t("about_store", lang))
    st.code(ref.description, language=None)
    st.text(f"{t('about_hosts', lang)}: {', '.join(data.source_hosts(ref))}")
    st.dataframe(source_summary(data.sources(ref), lang), hide_index=True, width="stretch")
    st.subheader(t("about_definitions", lang))
    st.dataframe(
        definitions(data.catalogue(), data.indicator_sources(ref), lang),
        hide_index=True,
        width="stretch",
    )
    harmonisation(ref, lang)
    st.subheader(t("about_attribution", lang))
    st.markdown(t("about_attribution_text", lang))
    st.subheader(t("about_official", lang))
    st.dataframe(
        official_lists(data.focus_lists(), data.gemeente_names(), lang),
        hide_index=True,
        width="stretch",
    )


if __name__ == "__main__":
    render()
