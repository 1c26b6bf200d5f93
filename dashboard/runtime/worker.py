"""`python -m dashboard.runtime.worker run streamlit_app.py …`: `streamlit run` in a process that has
loaded the app's heavy libraries before its first visitor.

Streamlit imports the app's modules in the first script run, so the first visitor of a fresh
worker waits for pandas, geopandas, pyogrio and plotly to load (about 0.4 s on a 2-core
machine). Loading them here, before the server starts, moves that wait to start-up. The app's
own modules are not imported here: their caches must be created inside Streamlit's runtime.

Streamlit runs each session's script in a thread of its own, and glibc gives busy threads
malloc arenas of their own (up to eight per core) that keep freed memory: the worker re-executes
itself once with ``MALLOC_ARENA_MAX=2`` (unless set), which glibc reads only at start-up.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__" and "MALLOC_ARENA_MAX" not in os.environ:
    os.execve(
        sys.executable,
        [sys.executable, "-m", "dashboard.runtime.worker", *sys.argv[1:]],
        {**os.environ, "MALLOC_ARENA_MAX": "2"},
    )

import geopandas  # noqa: F401
import pandas  # noqa: F401
import plotly.graph_objects
import plotly.io  # noqa: F401
import pyogrio  # noqa: F401
from streamlit.web.cli import main

if __name__ == "__main__":
    sys.exit(main())
