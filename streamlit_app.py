"""Entry point of the Streamlit app (placeholder page until the dashboard lands)."""

from __future__ import annotations

import streamlit as st

from geodata import store
from geodata.config import settings_from_env
from geodata.errors import StoreError

st.set_page_config(page_title="Armoede in de regio Amsterdam", layout="wide")
st.title("Armoede in de regio Amsterdam")
settings = settings_from_env()
try:
    store.require_store(settings.store_path)
    tables = store.list_tables(settings.store_path)
    st.write(f"De opslag `{settings.store_path}` bevat: " + ", ".join(tables))
except StoreError as exc:
    st.info(str(exc))
st.caption("Bron: CBS (CC BY 4.0), PDOK/Kadaster, Gemeente Amsterdam")
