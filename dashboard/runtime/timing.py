"""Where a script run spends its time, for the benchmark (`benchmarks/app.py`).

With ``DASHBOARD_TIMING_LOG`` set, each script run appends one JSON line to that file: the
page, the run's total in ms, and its named sections (`section("map")` around a part of a
page). Without it nothing is recorded, and a section costs one attribute lookup.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_RUN = threading.local()  # each session's script runs in its own thread


def enabled() -> bool:
    return bool(os.environ.get("DASHBOARD_TIMING_LOG"))


@contextmanager
def section(name: str) -> Iterator[None]:
    """Time the block as `name` in this script run (added up when it repeats)."""
    sections = getattr(_RUN, "sections", None)
    if sections is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        sections[name] = sections.get(name, 0.0) + (time.perf_counter() - started) * 1000


@contextmanager
def script_run(page: str) -> Iterator[None]:
    """Time a whole script run and write its line to the log (when the log is configured)."""
    log = os.environ.get("DASHBOARD_TIMING_LOG")
    if not log:
        yield
        return
    _RUN.sections = {}
    started = time.perf_counter()
    try:
        yield
    finally:
        total = (time.perf_counter() - started) * 1000
        line = {
            "page": page,
            "started": round(time.time() * 1000 - total, 1),  # wall clock, ms
            "total": round(total, 2),
            "sections": _RUN.sections,
        }
        _RUN.sections = None
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")


@contextmanager
def fragment_run(name: str) -> Iterator[None]:
    """Time a fragment (`st.fragment`): inside a full script run it is just a part of that run;
    rerun on its own (a control inside it changed) it writes its own line, page `name`."""
    if getattr(_RUN, "sections", None) is not None:
        yield
        return
    with script_run(name):
        yield
