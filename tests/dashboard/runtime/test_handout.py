"""The hand-out: the example deck printed to PDF by headless Chromium from the real pages."""

from __future__ import annotations

import io
import json

import pypdf
import pytest

from dashboard import deck
from dashboard.runtime import handout

pytestmark = [pytest.mark.mirror, pytest.mark.browser]


def test_the_example_deck_prints_a_page_per_slide_with_its_title_and_source(built_store, tmp_path):
    path = deck.deck_files(deck.DECKS_DIR)["suburbanisatie-van-armoede"]
    slides = json.loads(path.read_text(encoding="utf-8"))["slides"]
    pdf = handout.render_pdf(path, built_store.store, "nl", notes=True)
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == len(slides)
    for text, slide in zip(pages, slides, strict=True):
        flat = " ".join(text.split())
        assert slide["title"] in flat
        assert "TESTGEGEVENS" in flat  # the test-data note on every page
        assert " ".join(slide["notes"].split())[:40] in flat  # notes when asked
    assert "Bron: CBS" in pages[0] and "Gemeente Amsterdam" in pages[-1]


def test_the_command_line_writes_the_pdf_and_refuses_an_unknown_deck(
    built_store, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("GEODATA_STORE", str(built_store.store))
    assert handout.main(["bestaat-niet", "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: No deck 'bestaat-niet'") and "suburbanisatie-van-armoede" in err
    assert not (tmp_path / "x.pdf").exists()
    own = tmp_path / "mijn.json"
    own.write_text(
        json.dumps({"title": "Eigen", "slides": [{"type": "index", "title": "Alleen de index"}]}),
        encoding="utf-8",
    )
    assert handout.main([str(own), "-o", str(tmp_path / "mijn.pdf"), "--lang", "en"]) == 0
    reader = pypdf.PdfReader(tmp_path / "mijn.pdf")
    assert len(reader.pages) == 1 and "Alleen de index" in reader.pages[0].extract_text()
