"""AppTest for the export and presentation pages, including a broken deck file."""

from __future__ import annotations

import pytest

from dashboard import deck
from dashboard.routes import PAGES
from dashboard.safe import literal
from tests.dashboard.conftest import ok, open_page

EXPORT = PAGES["exporteren"].file
PRESENT = PAGES["presenteren"].file

pytestmark = pytest.mark.mirror


def test_export_preview_and_download(app):
    open_page(app, EXPORT)
    assert app.title[0].value == "Exporteren"
    assert any("rijen" in c.value for c in app.caption)
    app.radio(key="e_level").set_value("gemeente").run()
    app.radio(key="e_layout").set_value("wide").run()
    app.radio(key="e_format").set_value("csv").run()
    ok(app)
    app.button(key="e_prepare").click().run()
    ok(app)
    assert app.get("download_button")


def test_export_focus_selection(app):
    open_page(app, EXPORT)
    app.checkbox(key="e_focus").check().run()
    ok(app)
    rows = next(c.value for c in app.caption if "rijen" in c.value)
    assert not rows.startswith("0 ")


def test_presentation_steps_through_the_example_deck(app):
    open_page(app, PRESENT)
    titles = [app.title[0].value]
    total = len(
        deck.parse_deck(
            deck.deck_files()["suburbanisatie-van-armoede"].read_text(), deck.DeckContext({})
        ).slides
    )
    for _ in range(total - 1):
        app.button(key="p_next").click().run()
        ok(app)
        titles.append(app.title[0].value)
    assert len(set(titles)) == total
    assert app.query_params["slide"] == str(total)
    assert not app.error  # every slide of the example deck draws
    app.button(key="p_prev").click().run()
    assert app.query_params["slide"] == str(total - 1)
    open_page(app, PRESENT, slide="2")
    assert app.slider(key="p_speed")  # the animated slide has a speed control


def test_presentation_link_opens_on_a_slide_and_bad_slide_falls_back(app):
    open_page(app, PRESENT, slide="5")
    assert app.title[0].value == literal("Verschuift armoede naar buiten Amsterdam?")
    open_page(app, PRESENT, slide="99")
    assert any("Ongeldige waarde" in c.value for c in app.caption)


def test_broken_deck_names_the_problem_and_other_slides_work(app, tmp_path, monkeypatch):
    (tmp_path / "kapot.json").write_text(
        '{"title": "kapot", "slides": [{"type": "map", "title": "K", "indicator": "bestaat_niet",'
        ' "year": 2024}, {"type": "index", "title": "Index"}]}',
        encoding="utf-8",
    )
    monkeypatch.setenv("DASHBOARD_DECKS_DIR", str(tmp_path))
    open_page(app, PRESENT, deck="kapot")
    assert app.error  # the slide is marked broken; the reason is shown as text
    assert any("'indicator'" in e.value and "dia 1" in e.value for e in app.text)
    app.button(key="p_next").click().run()
    ok(app)
    assert app.title[0].value == "Index" and not app.error


def test_deck_with_a_syntax_error(app, tmp_path, monkeypatch):
    (tmp_path / "stuk.json").write_text('{"slides": [\n  {"type": "map",,}\n]}', encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DECKS_DIR", str(tmp_path))
    open_page(app, PRESENT, deck="stuk")
    assert app.error
    assert any("regel 2" in e.value for e in app.text)


def test_the_presenter_view_shows_notes_the_next_slide_and_the_audience_link(app):
    open_page(app, PRESENT, view="presenter", slide="1")
    texts = [e.value for e in app.text]
    assert any(t.startswith("Begin bij de kaart") for t in texts)  # the notes, as text
    assert "Het verloop per gemeente, jaar na jaar" in texts  # the next slide
    code = app.query_params["sync"]
    assert len(code) == 8
    queries = [e.proto.query_string for e in app.get("page_link")]
    assert f"deck=suburbanisatie-van-armoede&slide=1&sync={code}&lang=nl" in queries


def test_windows_with_one_sync_code_follow_each_other(app, built_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.dashboard.conftest import APP

    open_page(app, PRESENT, view="presenter", slide="2", sync="abc12345")
    audience = AppTest.from_file(APP, default_timeout=120)
    open_page(audience, PRESENT, slide="1", sync="abc12345")
    assert audience.query_params["slide"] == "2"  # it joins where the presenter is
    app.button(key="p_next").click().run()
    assert app.query_params["slide"] == "3"
    ok(audience.run())
    assert audience.query_params["slide"] == "3"  # and follows the next step
