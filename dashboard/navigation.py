"""Pages and their URL paths (the URL contract): kaart, buurtprofiel, verhuisstromen,
suburbanisatie, exporteren, presenteren, over.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.i18n import t
from dashboard.models.labels import behind_text
from dashboard.pages import common
from dashboard.routes import EMPTY, PAGES
from dashboard.runtime import timing
from dashboard.runtime.display import StaticFilesError
from dashboard.safe import code_span, literal
from dashboard.state import Options, PageView, parse_view

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
    start = st.Page(
        _start, title=t("page_map", lang), url_path="start", default=True, visibility="hidden"
    )
    return {
        "start": start,
        **{
            path: st.Page(page.file, title=t(page.title_key, lang), url_path=path)
            for path, page in PAGES.items()
        },
    }


def run() -> None:
    """Route to the pages, or to the 'no data yet' page when the store is empty or missing.

    With DASHBOARD_TIMING_LOG set, each script run appends its duration and its sections to
    that file (`dashboard/runtime/timing.py`, read by benchmarks/app.py).
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
                    EMPTY.file,
                    title=t(EMPTY.title_key, _lang()),
                    url_path=EMPTY.url_path,
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
