"""View models: pure functions, one module per page, named after what they return.

Each takes plain frames, catalogue `Indicator` objects and the page's typed view, and returns
one dataclass that the page renders as it is. Nothing here imports Streamlit or reads the
store, so every model is tested without an app.
"""
