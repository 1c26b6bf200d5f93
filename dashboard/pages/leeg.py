"""The page shown when the store is empty or missing: how to build it, no traceback."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from geodata.config import settings_from_env


def render() -> None:
    lang = st.query_params.get("lang", "nl")
    lang = lang if lang in ("nl", "en") else "nl"
    st.title(t("empty_title", lang))
    st.markdown(t("empty_body", lang, path=settings_from_env().store_path))
    st.code("make app\n# of / or:\n.venv/bin/python -m pipelines build", language="sh")
    st.markdown(t("empty_after", lang))


if __name__ == "__main__":
    render()
