"""AppTest of the harmonised switch: every edition on the reference year's buurten."""

from __future__ import annotations

import pytest

from dashboard.routes import PAGES
from tests.dashboard.conftest import ok, open_page

MAP = PAGES["kaart"].file
SUBURB = PAGES["suburbanisatie"].file

pytestmark = pytest.mark.mirror


def compared(at) -> tuple[int, int]:
    """The change map's coverage caption, as (areas compared, areas in all)."""
    coverage = next(c.value for c in at.caption if c.value.startswith("Vergeleken:"))
    return int(coverage.split(":")[1].split(" van ")[0]), int(coverage.split(" van ")[1].split()[0])


def test_the_map_switched_to_harmonised_draws_an_old_edition_on_the_newest_buurten(app):
    open_page(app, MAP, indicator="low_income_households_pct", year="2019")
    app.sidebar.toggle(key="k_harmonised").set_value(True).run()
    ok(app)
    assert app.query_params["harmonised"] == "1"
    assert "KWB 2019" in app.title[0].value
    assert "op de buurten van 2025" in app.title[0].value
    assert app.sidebar.radio(key="k_level").value == "buurt"
    assert app.sidebar.radio(key="k_level").disabled
    app.sidebar.toggle(key="k_harmonised").set_value(False).run()
    ok(app)
    assert "op de buurten van" not in app.title[0].value


def test_a_harmonised_link_restores_the_view_and_a_bad_one_falls_back(app):
    open_page(app, MAP, harmonised="1", indicator="households", year="2016")
    assert app.sidebar.toggle(key="k_harmonised").value
    assert "KWB 2016" in app.title[0].value and "buurten van 2025" in app.title[0].value
    open_page(app, MAP, harmonised="ja")
    assert any("Ongeldige waarde" in c.value for c in app.caption)


def test_the_change_map_compares_2015_with_2024_at_buurt_level_across_the_redivision(app):
    open_page(app, SUBURB, year_a="2015", year_b="2024", level="buurt")
    own_boundaries = compared(app)
    app.toggle(key="s_harmonised").set_value(True).run()
    ok(app)
    assert app.query_params["harmonised"] == "1"
    assert app.radio(key="s_level").value == "buurt"
    harmonised = compared(app)
    assert harmonised[0] > own_boundaries[0]  # the redivided buurten are compared too
    assert harmonised[0] >= 0.9 * harmonised[1], harmonised
