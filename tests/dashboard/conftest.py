"""Fixtures for the app tests: an AppTest on the store built from the mirror."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geodata.config import PROJECT_DIR

APP = str(PROJECT_DIR / "streamlit_app.py")


@pytest.fixture
def app(built_store, monkeypatch) -> AppTest:
    monkeypatch.setenv("GEODATA_STORE", str(built_store.store))
    return AppTest.from_file(APP, default_timeout=120)


def ok(at: AppTest) -> AppTest:
    """The app ran without an exception (and the AppTest, for chaining)."""
    assert not at.exception, [e.value for e in at.exception]
    return at


def pick_indicator(at: AppTest, indicator: str) -> AppTest:
    """Pick `indicator` in the map's picker (a custom component: its state is what the
    browser sends back), and rerun."""
    try:
        generation = at.session_state["_picker"]  # a new picker after a URL change
    except KeyError:
        generation = 0
    at.session_state[f"k_picker_{generation}"] = {"indicator": indicator}
    return ok(at.run())


def open_page(at: AppTest, page: str, **params: str) -> AppTest:
    """Run the app, switch to `page` with query parameters, and run it without exceptions."""
    at.run()
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    return ok(at.run())
