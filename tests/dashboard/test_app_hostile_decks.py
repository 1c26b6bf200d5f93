"""Hostile deck files on the presentation page: HTML and Markdown in every text field, wrong
types, huge and deeply nested files. Each gets a clear message or is shown as text; nothing
is interpreted and no exception reaches the page."""

from __future__ import annotations

import json

import pytest

from dashboard.routes import PAGES
from dashboard.safe import literal, strip_code_spans
from tests.dashboard.conftest import ok, open_page

PRESENT = PAGES["presenteren"].file
PAYLOADS = [
    "<img src=x onerror=alert(1)><script>alert(2)</script>",
    "![pixel](http://evil.example/p.png) [klik](http://evil.example)",
    ":red[rood] **vet** $x^2$ <b>html</b>",
]


def deck_with(payload: str) -> dict:
    return {
        "title": payload,
        "slides": [
            {"type": "index", "title": payload, "caption": payload, "notes": payload},
            {"type": "index", "title": "Tweede", "caption": payload},
        ],
    }


def interpreted(app, payload: str) -> list[str]:
    """Elements that would render `payload` as markup rather than show it."""
    found = []
    for element in [*app.markdown, *app.caption, *app.subheader, *app.header]:
        if payload in strip_code_spans(element.value):
            found.append(element.value)
    for title in app.title:
        if title.value != literal(payload) and payload in title.value:
            found.append(title.value)
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("view", ["audience", "presenter", "handout"])
def test_deck_text_is_shown_as_text_in_every_view(app, tmp_path, monkeypatch, payload, view):
    (tmp_path / "vijandig.json").write_text(json.dumps(deck_with(payload)), encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DECKS_DIR", str(tmp_path))
    open_page(app, PRESENT, deck="vijandig", view=view)
    assert not interpreted(app, payload)
    shown = [e.value for e in app.text] + [t.value for t in app.title]
    assert any(payload in value or literal(payload) == value for value in shown)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 50_000 + "]" * 50_000, "dieper genest"),
        (json.dumps({"slides": [{"type": "index", "title": "x" * 10}] * 200}), "hoogstens 40"),
        ("x" * 300_000, "groter dan 200 kB"),
        (
            json.dumps(
                {"slides": [{"type": "map", "title": "x", "indicator": ["x"], "year": [2020]}]}
            ),
            "veld 'indicator'",
        ),
        (
            json.dumps(
                {"slides": [{"type": "map", "title": "x", "indicator": "population", "year": True}]}
            ),
            "veld 'year'",
        ),
        ("\ufeff{not json", "regel 1"),
    ],
)
def test_a_broken_or_huge_deck_gets_a_clear_message(app, tmp_path, monkeypatch, content, message):
    (tmp_path / "kapot.json").write_text(content, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DECKS_DIR", str(tmp_path))
    ok(open_page(app, PRESENT, deck="kapot"))
    assert app.error
    assert any(message in e.value for e in app.text), [e.value for e in app.text]
