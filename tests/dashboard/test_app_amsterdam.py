"""Amsterdam's own statistics in the app: its levels on the map, the poverty measures side by
side on the profile, BBGA sources named."""

from __future__ import annotations

from dashboard.routes import PAGES
from tests.dashboard.conftest import ok, open_page

MAP, PROFILE = PAGES["kaart"].file, PAGES["buurtprofiel"].file


def level_options(app) -> list[str]:
    return next(r.options for r in app.sidebar.radio if "buurt" in r.options)


def test_the_map_offers_amsterdams_levels_when_amsterdam_is_on_it(app):
    open_page(app, MAP)
    assert level_options(app)[-2:] == ["stadsdeel (Amsterdam)", "gebied (Amsterdam)"]
    app.query_params.clear()
    app.query_params.update({"gemeenten": "GM0479,GM0439"})
    ok(app.run())
    assert level_options(app) == ["gemeente", "wijk", "buurt"]


def test_a_gebied_map_shows_bbga_figures_with_their_own_source(app):
    open_page(app, MAP, level="gebied", indicator="ams_minima_households_pct", year="2023")
    assert app.query_params["level"] == "gebied"
    title = app.title[0].value
    assert title.startswith("Minimahuishoudens") and "BBGA 2023" in title
    assert any("Gemeente Amsterdam" in c.value and "IMINHH120_P" in c.value for c in app.caption)
    app.session_state["k_table_open"] = True  # the table is sent once its expander is open
    table = ok(app.run()).dataframe[-1].value
    assert len(table) == 25 and table.iloc[:, 1].str.startswith("GX").all()


def test_a_cbs_indicator_at_a_gebied_level_falls_back_to_one_that_exists_there(app):
    open_page(app, MAP, level="gebied", indicator="low_income_households_pct")
    assert app.query_params["indicator"].startswith("ams_")


def test_the_profile_shows_cbs_and_amsterdam_poverty_side_by_side(app):
    open_page(app, PROFILE, area="BU0363AA01")
    assert "Armoede, drie maten naast elkaar" in [s.value for s in app.subheader]
    table = app.dataframe[0].value
    measures = list(table["Maat"])
    assert "Huishoudens met een laag inkomen" in measures
    assert any(m.startswith("Minimahuishoudens") for m in measures)
    sources = " ".join(table["Bron"])
    assert "CBS " in sources and "Gemeente Amsterdam, OIS (BBGA), IMINHH120_P" in sources
    assert any(c.value.startswith("Waarom de cijfers verschillen") for c in app.caption)


def test_a_zaanstad_buurt_has_no_amsterdam_measure_to_compare(app):
    open_page(app, PROFILE, area="GM0479")
    assert "Armoede, drie maten naast elkaar" in [s.value for s in app.subheader]  # CBS's two
    table = app.dataframe[0].value
    assert not any(m.startswith("Minimahuishoudens") for m in table["Maat"])


def test_an_amsterdam_gebied_has_a_profile_under_its_own_code(app):
    open_page(app, PROFILE, area="GX01", lang="en")
    assert app.header[0].value.endswith("(GX01)")
    assert any(c.value.startswith("area (Amsterdam)") for c in app.caption)
    assert any("BBGA 2024" in c.value for c in app.caption)
