"""Plotly figures and the map legend: data in, figures or HTML out (no Streamlit here)."""
