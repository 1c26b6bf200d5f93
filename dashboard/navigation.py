"""Pages and their URL paths (the URL contract): kaart, buurtprofiel, over."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.i18n import t

PAGE_PATHS = ("kaart", "buurtprofiel", "over")


def _lang() -> str:
    lang = st.query_params.get("lang", "nl")
    return lang if lang in ("nl", "en") else "nl"


def pages() -> dict[str, st.Page]:
    """The app's pages by URL path (built per run; Streamlit matches them by path)."""
    from dashboard.pages import buurtprofiel, kaart, over

    lang = _lang()
    return {
        "start": st.Page(
            _start, title=t("page_map", lang), url_path="start", default=True, visibility="hidden"
        ),
        "kaart": st.Page(
            kaart.render, title=t("page_map", lang), url_path="kaart", icon=":material/map:"
        ),
        "buurtprofiel": st.Page(
            buurtprofiel.render,
            title=t("page_profile", lang),
            url_path="buurtprofiel",
            icon=":material/home_pin:",
        ),
        "over": st.Page(
            over.render, title=t("page_about", lang), url_path="over", icon=":material/info:"
        ),
    }


def _start() -> None:
    """The root URL opens the map page (which has its own path, /kaart, per the URL contract)."""
    st.switch_page(pages()["kaart"], query_params=st.query_params.to_dict())


def run() -> None:
    """Route to the pages, or to the 'no data yet' page when the store is empty or missing."""
    ref = data.current_store()
    if not data.store_ready(ref):
        from dashboard.pages import leeg

        st.navigation(
            [st.Page(leeg.render, title=t("empty_title", _lang()), url_path="kaart", default=True)]
        ).run()
        return
    st.navigation(list(pages().values())).run()
