"""Pages and their URL paths (the URL contract): kaart, buurtprofiel, verhuisstromen,
suburbanisatie, exporteren, presenteren, over.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, timing
from dashboard.display import StaticFilesError
from dashboard.i18n import t
from dashboard.pages import common
from dashboard.safe import code_span, literal
from dashboard.state import Options, PageView, parse_view
from dashboard.views.labels import behind_text

PAGES_DIR = "dashboard/pages"  # relative to streamlit_app.py; each page file calls its render()
# Pages have no icons: Streamlit turns a page icon into a favicon fetched from a font CDN.


def _lang() -> str:
    """The language in the URL (Dutch unless a valid other one is given)."""
    view, _ = parse_view(PageView, st.query_params.to_dict(), Options((), {}, ()))
    return view.lang


def _start() -> None:
    """The root URL opens the map page, which has its own path (/kaart) per the URL contract."""
    st.switch_page(pages()["kaart"], query_params=st.query_params.to_dict())


def pages() -> dict[str, st.Page]:
    """The app's pages by URL path (built per run; Streamlit matches them by path)."""
    lang = _lang()
    return {
        "start": st.Page(
            _start, title=t("page_map", lang), url_path="start", default=True, visibility="hidden"
        ),
        "kaart": st.Page(
            f"{PAGES_DIR}/kaart.py",
            title=t("page_map", lang),
            url_path="kaart",
        ),
        "buurtprofiel": st.Page(
            f"{PAGES_DIR}/buurtprofiel.py",
            title=t("page_profile", lang),
            url_path="buurtprofiel",
        ),
        "verhuisstromen": st.Page(
            f"{PAGES_DIR}/verhuisstromen.py", title=t("page_flows", lang), url_path="verhuisstromen"
        ),
        "suburbanisatie": st.Page(
            f"{PAGES_DIR}/suburbanisatie.py",
            title=t("page_suburb", lang),
            url_path="suburbanisatie",
        ),
        "exporteren": st.Page(
            f"{PAGES_DIR}/exporteren.py", title=t("page_export", lang), url_path="exporteren"
        ),
        "presenteren": st.Page(
            f"{PAGES_DIR}/presenteren.py", title=t("page_present", lang), url_path="presenteren"
        ),
        "over": st.Page(
            f"{PAGES_DIR}/over.py",
            title=t("page_about", lang),
            url_path="over",
        ),
    }


def run() -> None:
    """Route to the pages, or to the 'no data yet' page when the store is empty or missing.

    With DASHBOARD_TIMING_LOG set, each script run appends its duration and its sections to
    that file (`dashboard/timing.py`, read by benchmarks/app.py).
    """
    page = (st.context.url or "").rsplit("/", 1)[-1].split("?")[0] if timing.enabled() else ""
    with timing.script_run(page):
        _route()


def _route() -> None:
    with timing.section("store"):
        ref = data.current_store()
        state = data.store_state(ref)
    if state != "ready":
        st.session_state["_store_state"] = state
        st.navigation(
            [
                st.Page(
                    f"{PAGES_DIR}/leeg.py",
                    title=t("empty_title", _lang()),
                    url_path="kaart",
                    default=True,
                )
            ]
        ).run()
        return
    with timing.section("navigation"):
        if data.is_test_data(ref):
            st.warning(t("test_banner", _lang()), icon=None)
        if behind := behind_text(data.store_behind(ref), _lang()):
            st.info(behind, icon=None)
        page = st.navigation(list(pages().values()))
    try:
        page.run()
        common.run_finished()
    except StaticFilesError as exc:
        st.error(
            t("static_unwritable", _lang(), folder=code_span(exc.folder), cause=literal(exc.cause))
        )
