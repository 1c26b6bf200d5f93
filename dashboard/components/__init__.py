"""Figure builders and the map component; pages call these, never plotly or the store directly."""
