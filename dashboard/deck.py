"""Slide decks for workshops: a small JSON file with a title and a list of slides.

Each slide has a ``type`` and its own fields, plus ``title`` and ``caption``:

- ``map``: ``indicator``, ``year``, ``level`` (gemeente/wijk/buurt), optional ``animate`` (true:
  play the map through the years);
- ``trend``: ``indicator``, ``areas`` (CBS codes);
- ``flows``: ``year``, ``direction`` (out/in/net), optional ``animate``;
- ``index``: the suburbanisation index (no fields).

A broken slide gets a clear message naming the slide and the field; the other slides still work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.state import LEVELS

DECKS_DIR = Path(__file__).resolve().parent.parent / "decks"
SLIDE_TYPES = ("map", "trend", "flows", "index")
DIRECTIONS = ("out", "in", "net")


@dataclass(frozen=True)
class Slide:
    number: int
    type: str
    title: str
    caption: str
    fields: dict
    error: str | None = None


@dataclass(frozen=True)
class Deck:
    title: str
    slides: tuple[Slide, ...]
    error: str | None = None  # the whole file is unusable
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _check_slide(number: int, raw: object, indicators: set[str], years: set[int]) -> Slide:
    if not isinstance(raw, dict):
        return Slide(
            number, "?", f"Dia {number}", "", {}, f"slide {number} is not an object with fields"
        )
    kind = raw.get("type")
    title = str(raw.get("title") or f"Dia {number}")
    caption = str(raw.get("caption") or "")
    problems = []
    if kind not in SLIDE_TYPES:
        problems.append(f"field 'type' is {kind!r}; use one of {', '.join(SLIDE_TYPES)}")
    if kind in ("map", "trend") and raw.get("indicator") not in indicators:
        problems.append(
            f"field 'indicator' is {raw.get('indicator')!r}, which is not in the catalogue"
        )
    if kind == "map":
        if raw.get("year") not in years:
            problems.append(
                f"field 'year' is {raw.get('year')!r}; the store has {min(years, default='-')}–{max(years, default='-')}"
            )
        if raw.get("level", "buurt") not in LEVELS:
            problems.append(f"field 'level' is {raw.get('level')!r}; use gemeente, wijk or buurt")
    if kind == "trend":
        areas = raw.get("areas")
        if not isinstance(areas, list) or not areas or not all(isinstance(a, str) for a in areas):
            problems.append(
                'field \'areas\' must be a list of CBS codes, e.g. ["GM0363", "GM0479"]'
            )
    if kind == "flows":
        if not isinstance(raw.get("year"), int):
            problems.append(
                f"field 'year' is {raw.get('year')!r}; give a calendar year such as 2022"
            )
        if raw.get("direction", "out") not in DIRECTIONS:
            problems.append(f"field 'direction' is {raw.get('direction')!r}; use out, in or net")
    error = f"slide {number}: " + "; ".join(problems) if problems else None
    fields = {k: v for k, v in raw.items() if k not in ("type", "title", "caption")}
    return Slide(number, str(kind), title, caption, fields, error)


def parse_deck(text: str, indicators: set[str], years: set[int]) -> Deck:
    """Parse deck JSON. Syntax errors name the line and column; slide errors name slide and field."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return Deck("", (), f"line {exc.lineno}, column {exc.colno}: {exc.msg}")
    if not isinstance(raw, dict) or not isinstance(raw.get("slides"), list):
        return Deck("", (), "the file needs an object with a 'slides' list")
    slides = tuple(
        _check_slide(n, s, indicators, years) for n, s in enumerate(raw["slides"], start=1)
    )
    if not slides:
        return Deck(str(raw.get("title", "")), (), "the 'slides' list is empty")
    return Deck(str(raw.get("title") or ""), slides)


def deck_files(directory: Path | None = None) -> dict[str, Path]:
    """The shipped decks by name (file stem)."""
    return {p.stem: p for p in sorted((directory or DECKS_DIR).glob("*.json"))}


def to_json(deck: Deck) -> str:
    """The deck as JSON again (to save an assembled deck)."""
    return json.dumps(
        {
            "title": deck.title,
            "slides": [
                {"type": s.type, "title": s.title, "caption": s.caption, **s.fields}
                for s in deck.slides
            ],
        },
        ensure_ascii=False,
        indent=2,
    )
