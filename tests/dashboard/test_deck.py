"""Slide decks: the example deck is valid; broken files and slides get clear messages."""

from __future__ import annotations

from dashboard import deck
from geodata.catalogue import load_catalogue

INDICATORS = {i.id for i in load_catalogue()}
YEARS = set(range(2015, 2025))


def test_example_deck_has_five_valid_slides():
    files = deck.deck_files()
    assert "suburbanisatie-van-armoede" in files
    parsed = deck.parse_deck(
        files["suburbanisatie-van-armoede"].read_text(encoding="utf-8"), INDICATORS, YEARS
    )
    assert parsed.error is None
    assert len(parsed.slides) == 5
    assert [s.error for s in parsed.slides] == [None] * 5
    assert {s.type for s in parsed.slides} == {"map", "flows", "index", "trend"}
    assert any(s.fields.get("animate") for s in parsed.slides)


def test_syntax_error_names_line_and_column():
    parsed = deck.parse_deck('{"slides": [\n  {"type": "map",}\n]}', INDICATORS, YEARS)
    assert parsed.error.startswith("line 2, column")


def test_a_broken_slide_names_its_field_and_the_rest_still_works():
    text = """{"title": "t", "slides": [
      {"type": "map", "indicator": "low_income_households_pct", "year": 2019, "level": "buurt"},
      {"type": "map", "indicator": "armoede", "year": 1999},
      {"type": "flows", "year": "vorig jaar", "direction": "sideways"},
      {"type": "index"}
    ]}"""
    parsed = deck.parse_deck(text, INDICATORS, YEARS)
    errors = [s.error for s in parsed.slides]
    assert errors[0] is None and errors[3] is None
    assert "slide 2" in errors[1] and "'indicator'" in errors[1] and "'year'" in errors[1]
    assert "'year'" in errors[2] and "'direction'" in errors[2]


def test_round_trip_to_json():
    parsed = deck.parse_deck(
        '{"title": "x", "slides": [{"type": "index", "title": "a"}]}', INDICATORS, YEARS
    )
    again = deck.parse_deck(deck.to_json(parsed), INDICATORS, YEARS)
    assert again == parsed
