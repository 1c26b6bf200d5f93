"""AppTest: every page renders, every control changes the view, bad links and an empty store."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.routes import PAGES
from geodata import backends
from tests.dashboard.conftest import APP, ok, pick_indicator

PROFILE = PAGES["buurtprofiel"].file
ABOUT = PAGES["over"].file

pytestmark = pytest.mark.mirror


def test_map_default_render(app):
    """The map opens on the newest edition (KWB 2025, found by the build without a config
    change); CBS has not filled in its income block, so it shows the first preferred
    indicator with figures there and says where the poverty measure's newest figures are."""
    ok(app.run())
    assert app.title[0].value.startswith("Bijstand per 1.000 inwoners · KWB 2025")
    assert app.sidebar.radio(key="k_level").value == "buurt"
    assert len(app.sidebar.multiselect(key="k_gemeenten").value) == 15
    assert any("aandachtsbuurt als het aandeel" in m.value for m in app.markdown)
    assert any("Bron: CBS" in c.value for c in app.caption)
    assert app.query_params["indicator"] == "welfare_per_1000"
    assert app.query_params["year"] == "2025"
    note = "Personen in armoede: de nieuwste cijfers zijn van KWB 2024; in KWB 2025"
    assert any(c.value.startswith(note) for c in app.caption)
    assert not any("loopt achter" in i.value for i in app.info)  # the store has the newest


def test_the_income_indicators_latest_edition_is_still_2024(app):
    app.run()
    pick_indicator(app, "persons_in_poverty_pct")
    assert app.sidebar.select_slider(key="k_year").options[-1] == "2024"
    assert app.query_params["year"] == "2024"
    assert any(
        "KWB 2025 is de nieuwste editie in de opslag; CBS vult de inkomenscijfers" in c.value
        for c in app.caption
    )


def test_map_indicator_change_updates_title_and_url(app):
    app.run()
    pick_indicator(app, "income_per_inhabitant_keur")
    assert app.title[0].value.startswith("Gemiddeld inkomen per inwoner")
    assert app.query_params["indicator"] == "income_per_inhabitant_keur"


def test_map_year_level_and_gemeenten(app):
    app.run()
    app.sidebar.select_slider(key="k_year").set_value(2019).run()
    ok(app)
    assert "KWB 2019" in app.title[0].value
    app.sidebar.radio(key="k_level").set_value("wijk").run()
    ok(app)
    assert app.query_params["level"] == "wijk"
    app.sidebar.multiselect(key="k_gemeenten").set_value(["GM0479", "GM0439"]).run()
    ok(app)
    assert app.query_params["gemeenten"] == "GM0479,GM0439"


def test_map_classification_and_focus_rule(app):
    app.run()
    app.sidebar.selectbox(key="k_classes").select("jenks").run()
    ok(app)
    assert app.query_params["classes"] == "jenks"
    app.sidebar.slider(key="k_factor").set_value(2.0).run()
    app.sidebar.number_input(key="k_min_hh").set_value(250).run()
    app.sidebar.selectbox(key="k_focus").select("social_minimum_households_pct").run()
    ok(app)
    sentence = next(m.value for m in app.markdown if "aandachtsbuurt als" in m.value)
    assert (
        "2,0 keer" in sentence and "250 huishoudens" in sentence and "sociaal minimum" in sentence
    )
    assert app.query_params["min_hh"] == "250"


def test_map_outline_toggles(app):
    app.run()
    app.toggle(key="k_show_focus").set_value(False).run()
    app.toggle(key="k_show_official").set_value(False).run()
    app.toggle(key="k_basemap").set_value(True).run()
    ok(app)


def test_language_switch_to_english(app):
    app.run()
    app.sidebar.radio(key="lang_switch").set_value("en").run()
    ok(app)
    assert (
        app.title[0].value
        == "Social assistance per 1,000 inhabitants · KWB 2025 · reference period unknown"
    )
    assert app.query_params["lang"] == "en"


def test_invalid_query_parameters_fall_back_with_a_notice(app):
    app.query_params["indicator"] = "does_not_exist"
    app.query_params["year"] = "1850"
    app.query_params["level"] = "straat"
    ok(app.run())
    assert (
        app.title[0].value == "Bijstand per 1.000 inwoners · KWB 2025 · peildatum/periode onbekend"
    )
    notices = [c.value for c in app.caption if "Ongeldige waarde" in c.value]
    assert len(notices) == 3


def test_a_shared_link_restores_the_view(app):
    app.query_params.update(
        {
            "indicator": "population",
            "year": "2019",
            "level": "gemeente",
            "gemeenten": "GM0363,GM0479",
        }
    )
    ok(app.run())
    assert app.title[0].value == "Inwoners · KWB 2019 · peildatum/periode onbekend"
    assert app.sidebar.multiselect(key="k_gemeenten").value == ["GM0363", "GM0479"]


def test_profile_page_from_a_link(app):
    app.run()
    app.switch_page(PROFILE)
    app.query_params["area"] = "BU0363AA01"
    ok(app.run())
    assert app.header[0].value == "Planciusbuurt-Noord (BU0363AA01)"
    assert any("buurten in de regio" in m.value and "KWB 2023" in m.value for m in app.markdown)


def test_profile_search_box_and_unknown_area(app):
    app.run()
    app.switch_page(PROFILE)
    app.query_params["area"] = "BU9999ZZ99"
    ok(app.run())
    assert any("Ongeldige waarde" in c.value for c in app.caption)
    app.selectbox(key="k_area").select("GM0479").run()
    ok(app)
    assert app.header[0].value == "Zaanstad (GM0479)"
    assert app.query_params["area"] == "GM0479"


def test_profile_marks_boundary_changes(app):
    app.run()
    app.switch_page(PROFILE)
    app.query_params["area"] = "GM0363"  # Amsterdam absorbed Weesp in 2022
    ok(app.run())
    assert any("2023: grens gewijzigd" in c.value for c in app.caption)


def test_a_buurt_whose_code_ended_links_to_its_successors(app):
    app.run()
    app.switch_page(PROFILE)
    app.query_params["area"] = "BU03630001"  # the 2016-2021 division; a new one from 2023
    ok(app.run())
    assert any("tot en met KWB 2022" in c.value for c in app.caption)
    links = [e for e in app.get("page_link")]
    assert links, "successors are linked"
    assert all("BU0363" in e.proto.label for e in links)


def test_about_page(app):
    app.run()
    app.switch_page(ABOUT)
    ok(app.run())
    assert app.title[0].value == "Over de data"
    assert any("Bron: CBS" in m.value for m in app.markdown)
    assert len(app.dataframe) == 4
    assert any(s.value == "Geharmoniseerde buurtreeksen" for s in app.subheader)
    errors = app.dataframe[2].value
    assert {"naar huishoudens", "naar oppervlakte"} <= set(errors["Methode"])


def test_empty_store_shows_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("GEODATA_STORE", str(tmp_path / "none.gpkg"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    ok(at)
    assert at.title[0].value == "Nog geen gegevens"
    assert "make app" in at.code[0].value


def test_a_damaged_store_is_called_damaged_not_empty(tmp_path, monkeypatch):
    path = tmp_path / "store.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + b"\x01" * 2000)
    monkeypatch.setenv("GEODATA_STORE", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    ok(at)
    assert at.title[0].value == "De opslag is beschadigd"
    assert any("Move it aside" in t.value for t in at.text)


def test_a_url_changed_from_outside_moves_the_controls_with_it(app):
    ok(app.run())
    pick_indicator(app, "income_per_inhabitant_keur")
    assert app.query_params["indicator"] == "income_per_inhabitant_keur"
    app.query_params["indicator"] = "population"  # back/forward, or a link in the same tab
    app.query_params["year"] = "2019"
    ok(app.run())
    assert app.title[0].value == "Inwoners · KWB 2019 · peildatum/periode onbekend"
    assert app.session_state["k_indicator"] == "population"  # the picker shows it
    app.sidebar.radio(key="k_level").set_value("wijk").run()  # and the user's choices stay
    assert (
        app.title[0].value == "Inwoners · KWB 2019 · peildatum/periode onbekend"
        and app.query_params["level"] == "wijk"
    )


def test_a_control_whose_rerun_carries_an_older_url_keeps_the_users_choice(app):
    """A quick second choice can reach the server before the browser applied the URL of the
    first one: that older query string is not a change from outside."""
    ok(app.run())
    pick_indicator(app, "income_per_inhabitant_keur")
    app.query_params["indicator"] = "low_income_households_pct"  # the URL before the pick
    app.sidebar.select_slider(key="k_year").set_value(2019).run()
    ok(app)
    assert app.title[0].value.startswith("Gemiddeld inkomen per inwoner · KWB 2019")
    assert app.query_params["indicator"] == "income_per_inhabitant_keur"
    app.query_params["year"] = "2023"  # again a URL the page has moved past
    pick_indicator(app, "population")
    assert app.title[0].value.startswith("Inwoners · KWB 2019")
    assert app.query_params["indicator"] == "population" and app.query_params["year"] == "2019"


def test_test_data_is_unmistakable_on_every_page(app):
    ok(app.run())
    assert any("Testgegevens: deels synthetisch" in w.value for w in app.warning)
    assert any(c.value.startswith("TESTGEGEVENS") for c in app.caption)  # source lines say it
    for page in (PAGES["verhuisstromen"].file, PAGES["over"].file):
        app.switch_page(page)
        ok(app.run())
        assert any("Testgegevens" in w.value for w in app.warning), page


def test_a_store_of_real_sources_shows_no_test_data_banner(built_store, tmp_path, monkeypatch):
    import shutil

    from geodata import store

    path = tmp_path / "real.gpkg"
    shutil.copy(built_store.store, path)
    target = backends.open_store(path)
    real = target.table("sources").assign(test_data=False)
    target.publish(store.Publish({"sources": real}))
    monkeypatch.setenv("GEODATA_STORE", str(path))
    at = AppTest.from_file(APP, default_timeout=120).run()
    ok(at)
    assert not any("Testgegevens" in w.value for w in at.warning)
    assert not any("TESTGEGEVENS" in c.value for c in at.caption)
    assert any(c.value.startswith("Bron: CBS") for c in at.caption)


def test_every_page_says_when_the_store_is_behind_the_sources(built_store, tmp_path, monkeypatch):
    """A check (or build) saw KWB 2026 and PDOK 2026 that the store does not hold yet."""
    import shutil

    import pandas as pd

    from geodata import store
    from tests.dashboard.conftest import open_page

    target = tmp_path / "behind.gpkg"
    shutil.copy(built_store.store, target)
    opened = backends.open_store(target)
    offered = opened.table("service_editions")
    newer = pd.DataFrame(
        [
            ("kwb", 2026, "86358NED", "Kerncijfers wijken en buurten 2026", None),
            ("boundaries", 2026, "", "PDOK", None),
        ],
        columns=["source", "year", "table_id", "title", "modified"],
    ).assign(checked_at="2026-12-05T07:00:00+00:00", checked_by="check")
    with opened.lock():
        opened.publish(store.Publish({"service_editions": pd.concat([offered, newer])}))
    monkeypatch.setenv("GEODATA_STORE", str(target))
    at = AppTest.from_file(APP, default_timeout=120)
    ok(at.run())
    (notice,) = [i.value for i in at.info if "loopt achter" in i.value]
    assert "KWB 2026 en PDOK 2026 is beschikbaar (gezien op 2026-12-05)" in notice
    assert "python -m pipelines build" in notice
    open_page(at, ABOUT, lang="en")
    assert any(
        "The store is behind the sources: KWB 2026 and PDOK 2026" in i.value for i in at.info
    )
