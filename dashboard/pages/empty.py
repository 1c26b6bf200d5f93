"""The page shown when the store is empty, missing or damaged: what to do, no traceback."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from dashboard.safe import code_span
from dashboard.state import Options, PageView, parse_view
from geodata.backends import open_store
from geodata.config import settings_from_env


def render() -> None:
    view, _ = parse_view(PageView, st.query_params.to_dict(), Options((), {}, ()))
    lang = view.lang
    state = st.session_state.get("_store_state", "empty")
    where = code_span(open_store(settings_from_env().store).description)
    if state not in ("empty", "ready"):
        st.title(t("damaged_title", lang))
        st.markdown(t("damaged_body", lang, path=where))
        st.text(state)
        return
    st.title(t("empty_title", lang))
    st.markdown(t("empty_body", lang, path=where))
    st.code("make app\n# of / or:\n.venv/bin/python -m pipelines build", language="sh")
    st.markdown(t("empty_after", lang))


if __name__ == "__main__":
    render()
