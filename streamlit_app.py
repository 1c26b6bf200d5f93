"""Entry point: page config and routing. The pages live in `dashboard/`."""

from __future__ import annotations

import streamlit as st

from dashboard import navigation

st.set_page_config(
    page_title="Armoede in de regio Amsterdam", page_icon=":material/map:", layout="wide"
)
navigation.run()
