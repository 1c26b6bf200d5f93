"""`python -m dashboard.prepare`: the map's display geometry for every edition and level of
the store, written once per store version (see `dashboard.display`)."""

from __future__ import annotations

import sys

from dashboard.display import main

if __name__ == "__main__":
    sys.exit(main())
