"""AppTest for the migration pages: every control, bad links, imported income flows."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.routes import PAGES
from geodata.backends import open_store
from geodata.config import load_region
from pipelines import income_flows
from tests.dashboard.conftest import APP, ok, open_page

FLOWS = PAGES["verhuisstromen"].file
SUBURB = PAGES["suburbanisatie"].file

pytestmark = pytest.mark.mirror


def test_flows_default_and_every_control(app):
    open_page(app, FLOWS)
    assert app.title[0].value == "Verhuisstromen"
    assert app.query_params["direction"] == "out"
    assert app.query_params["destinations"] == "GM0479,GM0439,GM0405"
    assert any("import-flows" in c.value for c in app.caption)  # says how to add income data
    assert any("Weesp (tot 2022) is bij Amsterdam opgeteld" in c.value for c in app.caption)
    app.sidebar.select_slider(key="f_years").set_value((2015, 2020)).run()
    ok(app)
    assert app.query_params["years"] == "2015-2020"
    app.sidebar.radio(key="f_direction").set_value("net").run()
    ok(app)
    assert app.query_params["direction"] == "net"
    app.sidebar.multiselect(key="f_dest").set_value(["GM0034"]).run()
    ok(app)
    assert app.query_params["destinations"] == "GM0034"
    app.select_slider(key="f_sankey").set_value(2019).run()
    ok(app)


def test_flows_invalid_link_falls_back(app):
    open_page(app, FLOWS, years="1900-2050", direction="sideways", destinations="GM9999")
    notices = [c.value for c in app.caption if "Ongeldige waarde" in c.value]
    assert len(notices) == 3
    assert app.query_params["direction"] == "out"


def test_flows_with_imported_income_groups(built_store, tmp_path, monkeypatch):
    store_copy = tmp_path / "store.gpkg"
    shutil.copy(built_store.store, store_copy)
    csv_path = tmp_path / "income.csv"
    csv_path.write_text(
        "year,origin_code,destination_code,income_group,households\n"
        "2021,GM0363,GM0479,laag_inkomen,400\n2021,GM0363,GM0439,laag_inkomen,150\n"
        "2021,GM0479,GM0363,laag_inkomen,90\n2021,GM0363,NL01,laag_inkomen,3000\n",
        encoding="utf-8",
    )
    income_flows.run(csv_path, open_store(store_copy), load_region(), "Testtabel (handgemaakt)")
    monkeypatch.setenv("GEODATA_STORE", str(store_copy))
    at = open_page(AppTest.from_file(APP, default_timeout=120), FLOWS)
    at.sidebar.selectbox(key="f_group").select("laag_inkomen").run()
    ok(at)
    assert not any("import-flows" in c.value for c in at.caption)


def test_suburbanisation_default_and_controls(app):
    open_page(app, SUBURB)
    assert app.title[0].value == "Suburbanisatie van armoede"
    assert any(c.value.startswith("Schatting:") for c in app.caption)
    reading = next(m.value for m in app.markdown if m.value.startswith("Van "))
    assert "procentpunt" in reading
    app.selectbox(key="s_year_a").select(2019).run()
    app.selectbox(key="s_year_b").select(2021).run()
    ok(app)
    assert (app.query_params["year_a"], app.query_params["year_b"]) == ("2019", "2021")
    app.radio(key="s_level").set_value("wijk").run()
    ok(app)
    assert app.query_params["level"] == "wijk"
    assert any(m.value == "**Zaanstad**" for m in app.markdown)


def test_the_change_map_opens_where_most_areas_can_be_compared(app):
    app.run()
    app.switch_page(SUBURB)
    app.query_params.clear()  # a fresh link: no level chosen (AppTest keeps the map's params)
    ok(app.run())
    level = app.radio(key="s_level").value
    coverage = next(c.value for c in app.caption if c.value.startswith("Vergeleken:"))
    compared = int(coverage.split(":")[1].split(" van ")[0])
    total = int(coverage.split(" van ")[1].split(" ")[0])
    assert compared >= total / 2, coverage  # most areas compared at the chosen level
    assert app.query_params["level"] == level
    app.radio(key="s_level").set_value("buurt").run()
    ok(app)
    assert any(c.value.startswith("Vergeleken:") and "buurten" in c.value for c in app.caption)


def test_suburbanisation_invalid_link(app):
    open_page(app, SUBURB, year_a="1990", level="straat")
    assert len([c for c in app.caption if "Ongeldige waarde" in c.value]) == 2


def test_the_change_map_follows_the_url_after_a_year_was_chosen_and_keeps_its_own(app):
    open_page(app, SUBURB, year_a="2015", year_b="2019", level="wijk")
    app.selectbox(key="s_year_a").set_value(2016).run()
    assert ok(app).query_params["year_a"] == "2016"
    app.query_params["year_a"] = "2017"  # back/forward after the choice
    ok(app.run())
    assert app.selectbox(key="s_year_a").value == 2017
    app.query_params["year_a"] = "2015"  # an older URL arriving with a choice of the user
    app.selectbox(key="s_year_b").set_value(2020).run()
    assert app.selectbox(key="s_year_a").value == 2017
    assert ok(app).query_params["year_a"] == "2017" and app.query_params["year_b"] == "2020"
