"""Slide decks: the example deck is valid; broken files and slides get clear messages naming
slide and field; nothing in a hostile file raises."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import deck
from geodata.catalogue import load_catalogue

EDITIONS = {i.id: list(range(2015, 2025)) for i in load_catalogue()}
EDITIONS["low_income_households_pct"] = list(range(2015, 2024))
CONTEXT = deck.DeckContext(EDITIONS, range(2011, 2025), "en")
NL = deck.DeckContext(EDITIONS, range(2011, 2025), "nl")


def parse(text: str, context: deck.DeckContext = CONTEXT) -> deck.Deck:
    return deck.parse_deck(text, context)


def one_slide(**fields) -> str:
    return json.dumps({"title": "T", "slides": [fields]})


def test_the_example_deck_tells_the_story_in_six_to_eight_slides_with_notes():
    files = deck.deck_files()
    assert "suburbanisatie-van-armoede" in files
    parsed = parse(files["suburbanisatie-van-armoede"].read_text(encoding="utf-8"), NL)
    assert parsed.error is None
    assert 6 <= len(parsed.slides) <= 8
    assert [s.error for s in parsed.slides] == [None] * len(parsed.slides)
    assert {s.type for s in parsed.slides} == {"map", "flows", "index", "trend"}
    assert all(len(s.notes) > 40 for s in parsed.slides)  # every slide has speaker notes
    assert any(s.fields.get("animate") for s in parsed.slides)


def test_syntax_error_names_line_and_column():
    parsed = parse('{"slides": [\n  {"type": "map",}\n]}')
    assert parsed.error.startswith("line 2, column")


def test_a_broken_slide_names_its_field_and_the_rest_still_works():
    text = """{"title": "t", "slides": [
      {"type": "map", "title": "a", "indicator": "low_income_households_pct", "year": 2019},
      {"type": "map", "title": "b", "indicator": "armoede", "year": 1999},
      {"type": "flows", "title": "c", "year": "vorig jaar", "direction": "sideways"},
      {"type": "index", "title": "d"}
    ]}"""
    errors = [s.error for s in parse(text).slides]
    assert errors[0] is None and errors[3] is None
    assert errors[1].startswith("slide 2") and "'indicator'" in errors[1]
    assert "'year'" in errors[2] and "'direction'" in errors[2]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"type": "map", "title": "x", "indicator": "population", "year": True},
            "'year': must be a whole number",
        ),
        (
            {"type": "map", "title": "x", "indicator": ["population"], "year": 2020},
            "'indicator': must be text",
        ),
        (
            {"type": "map", "title": "x", "indicator": "population", "year": [2020]},
            "'year': must be a whole number",
        ),
        (
            {"type": "map", "title": "x", "indicator": "population", "year": 2020, "animate": 1},
            "'animate': must be true or false",
        ),
        (
            {"type": "map", "title": "x", "indicator": "population", "year": 2020, "level": "land"},
            "'level': must be one of",
        ),
        (
            {"type": "map", "title": "x", "indicator": "population", "year": 2020, "colour": "red"},
            "'colour': is not a field",
        ),
        (
            {"type": "trend", "title": "x", "indicator": "population", "areas": "GM0363"},
            "'areas': must be a list",
        ),
        (
            {"type": "trend", "title": "x", "indicator": "population", "areas": ["<b>x</b>"]},
            "'areas': must hold CBS codes",
        ),
        ({"type": "index", "title": "x" * 500}, "'title': is too long (at most 160"),
        ({"type": "index", "title": "x", "notes": 5}, "'notes': must be text"),
        ({"type": "slideshow", "title": "x"}, "'type': must be one of"),
        ({"title": "x"}, "'type'"),
        (
            {"type": "map", "title": "x", "indicator": "low_income_households_pct", "year": 2024},
            "not an edition",
        ),
        ({"type": "flows", "title": "x", "year": 1950}, "has no moves"),
    ],
)
def test_every_field_is_typed_and_every_message_names_slide_and_field(fields, message):
    (slide,) = parse(one_slide(**fields)).slides
    assert slide.error is not None and slide.error.startswith("slide 1: ")
    assert message in slide.error


def test_messages_speak_the_language_of_the_page():
    (slide,) = parse(one_slide(type="map", title="x", indicator="population", year=True), NL).slides
    assert slide.error.startswith("dia 1: veld 'year': moet een heel getal zijn")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nests deeper"),
        ('{"slides": [' + "[" * 10 + "]" * 10 + "]}", "nests deeper"),
        (json.dumps({"slides": [{"type": "index", "title": "x"}] * 41}), "41 slides; at most 40"),
        ('{"title": "x", "slides": []}', "non-empty 'slides' list"),
        ('"just text"', "non-empty 'slides' list"),
        (
            json.dumps({"title": ["x"], "slides": [{"type": "index", "title": "x"}]}),
            "'title' must be text",
        ),
        ("x" * 300_000, "larger than 200 kB"),
    ],
)
def test_a_hostile_file_gets_one_clear_message(text, message):
    parsed = parse(text)
    assert parsed.error is not None and message in parsed.error


def test_round_trip_to_json_keeps_notes():
    parsed = parse('{"title": "x", "slides": [{"type": "index", "title": "a", "notes": "n"}]}')
    again = parse(deck.to_json(parsed))
    assert again == parsed and again.slides[0].notes == "n"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)
SLIDE_KEYS = [
    "type",
    "title",
    "caption",
    "notes",
    "indicator",
    "year",
    "level",
    "animate",
    "areas",
    "direction",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(SLIDE_KEYS), JSON, max_size=8), max_size=5), JSON)
def test_no_deck_raises(slides, title):
    parsed = parse(json.dumps({"title": title, "slides": slides}))
    assert parsed.error is not None or all(isinstance(s, deck.Slide) for s in parsed.slides)
