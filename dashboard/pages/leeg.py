"""The page shown when the store is empty or missing: how to build it, no traceback."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from dashboard.state import Options, PageView, parse_view
from geodata.config import settings_from_env


def render() -> None:
    view, _ = parse_view(PageView, st.query_params.to_dict(), Options((), {}, ()))
    lang = view.lang
    st.title(t("empty_title", lang))
    st.markdown(t("empty_body", lang, path=settings_from_env().store_path))
    st.code("make app\n# of / or:\n.venv/bin/python -m pipelines build", language="sh")
    st.markdown(t("empty_after", lang))


if __name__ == "__main__":
    render()
