"""`python -m dashboard.runtime.worker run streamlit_app.py …`: `streamlit run` in a process that has
loaded the app's heavy libraries before its first visitor.

Streamlit imports the app's modules in the first script run, so the first visitor of a fresh
worker waits for pandas, geopandas, pyogrio and plotly to load (about 0.4 s on a 2-core
machine). Loading them here, before the server starts, moves that wait to start-up. The app's
own modules are not imported here: their caches must be created inside Streamlit's runtime.
"""

from __future__ import annotations

import sys

import geopandas  # noqa: F401
import pandas  # noqa: F401
import plotly.graph_objects
import plotly.io  # noqa: F401
import pyogrio  # noqa: F401
from streamlit.web.cli import main

if __name__ == "__main__":
    sys.exit(main())
