"""Entry point: page config and routing. The pages live in `dashboard/`."""

from __future__ import annotations

import streamlit as st

from dashboard import navigation

# No page_icon: a material-icon favicon is fetched from Google's font CDN, and the app must not
# touch the internet (workshops run offline). Streamlit serves its default favicon itself.
st.set_page_config(page_title="Armoede in de regio Amsterdam", layout="wide")
navigation.run()
