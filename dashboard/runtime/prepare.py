"""`python -m dashboard.runtime.prepare`: the map's display geometry for every edition and level of
the store, written once per store version (see `dashboard.runtime.display`)."""

from __future__ import annotations

import sys

from dashboard.runtime.display import main

if __name__ == "__main__":
    sys.exit(main())
