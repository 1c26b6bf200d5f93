"""AppTest of the harmonised switch: every edition on the reference year's buurten."""

from __future__ import annotations

import json

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


def test_the_profile_of_a_new_buurt_draws_its_harmonised_line_back_to_2015(app):
    open_page(app, PAGES["buurtprofiel"].file, area="BU0363AA01")  # a buurt of the 2022 division
    figures = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    lines = [
        trace
        for figure in figures
        for trace in figure["data"]
        if trace.get("name") == "geharmoniseerd (buurten van 2025)"
    ]
    assert lines, "a harmonised line beside the original values"
    assert min(drawn_years(lines)) == 2015  # before the buurt existed: on its 2025 boundary
    name = app.header[0].value.rsplit(" (", 1)[0]
    own = [t for f in figures for t in f["data"] if t.get("name") == name]
    assert own and min(drawn_years(own)) >= 2022  # its own figures start with its code


def drawn_years(traces: list[dict]) -> set[int]:
    """The years at which `traces` have a value (plotly's JSON writes a gap as null)."""
    return {
        int(x)
        for trace in traces
        for x, y in zip(trace["x"], trace["y"], strict=True)
        if x is not None and y is not None
    }


def test_the_export_page_offers_harmonised_buurt_values_with_their_method(app):
    open_page(app, PAGES["exporteren"].file, indicator="low_income_households_pct")
    app.checkbox(key="e_harmonised").check().run()
    ok(app)
    assert app.query_params["harmonised"] == "1"
    preview = app.dataframe[0].value
    assert {"method", "estimated_share", "error_band"} <= set(preview.columns)
    assert set(preview["boundary_year"]) == {"2025"}  # every edition on the 2025 buurten
    app.radio(key="e_level").set_value("wijk").run()
    ok(app)
    assert app.checkbox(key="e_harmonised").disabled
    assert "method" not in app.dataframe[0].value.columns
