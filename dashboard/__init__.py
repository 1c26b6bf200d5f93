"""The Streamlit dashboard. Reads the store only (through `dashboard.data`); never the network."""
