"""AppTest for the export and presentation pages, including a broken deck file."""

from __future__ import annotations

import pytest

from dashboard import deck
from tests.dashboard.conftest import ok, open_page

EXPORT = "dashboard/pages/exporteren.py"
PRESENT = "dashboard/pages/presenteren.py"

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
    for _ in range(4):
        app.button(key="p_next").click().run()
        ok(app)
        titles.append(app.title[0].value)
    assert len(set(titles)) == 5
    assert app.query_params["slide"] == "5"
    assert app.slider(key="p_speed")  # the animated slide has a speed control
    app.button(key="p_prev").click().run()
    assert app.query_params["slide"] == "4"


def test_presentation_link_opens_on_a_slide_and_bad_slide_falls_back(app):
    open_page(app, PRESENT, slide="3")
    assert app.title[0].value == "Verschuift armoede naar buiten Amsterdam?"
    open_page(app, PRESENT, slide="99")
    assert any("Ongeldige waarde" in c.value for c in app.caption)


def test_broken_deck_names_the_problem_and_other_slides_work(app, tmp_path, monkeypatch):
    (tmp_path / "kapot.json").write_text(
        '{"title": "kapot", "slides": [{"type": "map", "indicator": "bestaat_niet", "year": 2024},'
        ' {"type": "index", "title": "Index"}]}',
        encoding="utf-8",
    )
    monkeypatch.setattr(deck, "DECKS_DIR", tmp_path)
    open_page(app, PRESENT, deck="kapot")
    assert app.error  # the slide is marked broken; the reason is shown as text
    assert any("'indicator'" in e.value and "slide 1" in e.value for e in app.text)
    app.button(key="p_next").click().run()
    ok(app)
    assert app.title[0].value == "Index" and not app.error


def test_deck_with_a_syntax_error(app, tmp_path, monkeypatch):
    (tmp_path / "stuk.json").write_text('{"slides": [\n  {"type": "map",,}\n]}', encoding="utf-8")
    monkeypatch.setattr(deck, "DECKS_DIR", tmp_path)
    open_page(app, PRESENT, deck="stuk")
    assert app.error
    assert any("line 2" in e.value for e in app.text)
