"""Slide decks for workshops: a small JSON file with a title and a list of slides.

A deck is a file people share, so it is checked before anything of it is shown: its size and
nesting first, then each slide against a schema (pydantic, strict: a year is a whole number,
``true`` is not a number, every text has a maximum length, unknown fields are refused), then
against the store (the indicator exists, the year is one of its editions). Every problem
names the slide and the field, in the page's language; a broken slide does not stop the
others. Slide texts are only ever shown as text.

Each slide has a ``type``, a ``title``, an optional ``caption`` and optional speaker
``notes``, and the fields of its type:

- ``map``: ``indicator``, ``year``, ``level`` (gemeente/wijk/buurt, or Amsterdam's
  stadsdeel/gebied), optional ``animate`` (true: play the map through the editions);
- ``trend``: ``indicator``, ``areas`` (CBS codes);
- ``flows``: ``year``, ``direction`` (out/in/net);
- ``index``: the suburbanisation index (no fields).
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from dashboard.i18n import t

DECKS_DIR = Path(__file__).resolve().parent.parent / "decks"
SLIDE_TYPES = ("map", "trend", "flows", "index")
DIRECTIONS = ("out", "in", "net")
COMMON_FIELDS = ("type", "title", "caption", "notes")

# Limits of a deck file (one place; the README repeats them).
MAX_BYTES = 200_000
MAX_DEPTH = 6  # deck → slides → slide → areas is 4
MAX_SLIDES = 40
MAX_TITLE = 160
MAX_CAPTION = 600
MAX_NOTES = 4_000
MAX_AREAS = 12

Year = Annotated[int, Field(ge=1900, le=2100)]
AreaCode = Annotated[
    str,
    Field(
        pattern=r"^(GM[0-9]{4}|WK[0-9]{4}[0-9A-Z]{2}|BU[0-9]{4}[0-9A-Z]{4}|[A-Z]|[A-Z]{2}[0-9]{2})$"
    ),
]


class _SlideBase(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    title: Annotated[str, Field(min_length=1, max_length=MAX_TITLE)]
    caption: Annotated[str, Field(max_length=MAX_CAPTION)] = ""
    notes: Annotated[str, Field(max_length=MAX_NOTES)] = ""


class MapSlide(_SlideBase):
    type: Literal["map"]
    indicator: Annotated[str, Field(max_length=80)]
    year: Year
    level: Literal["gemeente", "wijk", "buurt", "stadsdeel", "gebied"] = "buurt"
    animate: bool = False


class TrendSlide(_SlideBase):
    type: Literal["trend"]
    indicator: Annotated[str, Field(max_length=80)]
    areas: Annotated[list[AreaCode], Field(min_length=1, max_length=MAX_AREAS)]


class FlowsSlide(_SlideBase):
    type: Literal["flows"]
    year: Year
    direction: Literal["out", "in", "net"] = "out"


class IndexSlide(_SlideBase):
    type: Literal["index"]


SlideSpec = Annotated[MapSlide | TrendSlide | FlowsSlide | IndexSlide, Field(discriminator="type")]
_SLIDE = TypeAdapter(SlideSpec)


@dataclass(frozen=True)
class Slide:
    number: int
    type: str
    title: str
    caption: str
    fields: dict[str, Any]
    error: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class Deck:
    title: str
    slides: tuple[Slide, ...]
    error: str | None = None  # the whole file is unusable
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DeckContext:
    """What a deck is checked against: each indicator's editions, the years of moves, and the
    language of the messages."""

    editions: Mapping[str, Collection[int]]
    flow_years: Collection[int] = ()
    lang: str = "nl"


# -- messages --------------------------------------------------------------------------------


def _shown(value: object, limit: int = 40) -> str:
    """A value from the file, cut short, for a message (shown as text, never as markup)."""
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _problem(error: Any, lang: str) -> str:
    """One pydantic error as "field 'year': must be a whole number (got "2019")"."""
    loc = [str(part) for part in error["loc"] if not isinstance(part, int)]
    name = ".".join(p for p in loc if p not in SLIDE_TYPES) or "type"
    kind, ctx = error["type"], error.get("ctx") or {}
    key = {
        "missing": "deck_missing",
        "extra_forbidden": "deck_extra",
        "int_type": "deck_int",
        "int_parsing": "deck_int",
        "bool_type": "deck_bool",
        "string_type": "deck_text",
        "list_type": "deck_list",
        "string_too_long": "deck_too_long",
        "too_long": "deck_too_many",
        "too_short": "deck_too_few",
        "string_too_short": "deck_empty",
        "literal_error": "deck_choice",
        "union_tag_invalid": "deck_type",
        "union_tag_not_found": "deck_type",
        "greater_than_equal": "deck_year",
        "less_than_equal": "deck_year",
        "string_pattern_mismatch": "deck_code",
    }.get(kind, "deck_invalid")
    limit = ctx.get("max_length", "")
    choices = ctx.get("expected", ", ".join(SLIDE_TYPES))
    detail = t(key, lang, limit=limit, choices=choices)
    got = "" if kind in ("missing",) else f" ({t('deck_got', lang)} {_shown(error.get('input'))})"
    return f"{t('deck_field', lang)} '{name}': {detail}{got}"


def _store_problems(spec: BaseModel, context: DeckContext) -> list[str]:
    """What the schema cannot know: is the indicator in the store, the year one it has."""
    lang, problems = context.lang, []
    indicator = getattr(spec, "indicator", None)
    if indicator is not None and indicator not in context.editions:
        problems.append(t("deck_indicator", lang, value=_shown(indicator)))
    editions = context.editions.get(indicator or "", ())
    if isinstance(spec, MapSlide) and indicator in context.editions and spec.year not in editions:
        first, last = min(editions, default="-"), max(editions, default="-")
        problems.append(t("deck_edition", lang, year=spec.year, first=first, last=last))
    if isinstance(spec, FlowsSlide) and context.flow_years and spec.year not in context.flow_years:
        first, last = min(context.flow_years), max(context.flow_years)
        problems.append(t("deck_flow_year", lang, year=spec.year, first=first, last=last))
    return problems


# -- parsing ---------------------------------------------------------------------------------


def _text_of(raw: object, name: str, number: int) -> str:
    value = raw.get(name) if isinstance(raw, dict) else None
    return value[:MAX_TITLE] if isinstance(value, str) and value.strip() else f"Dia {number}"


def check_slide(number: int, raw: object, context: DeckContext) -> Slide:
    """One slide: its fields when valid, else a message naming the slide and each field."""
    lang = context.lang
    prefix = t("deck_slide", lang, n=number)
    try:
        spec = _SLIDE.validate_python(raw)
    except ValidationError as exc:
        problems = [_problem(e, lang) for e in exc.errors()[:6]]
        title = _text_of(raw, "title", number)
        kind = raw.get("type") if isinstance(raw, dict) else None
        kind = kind if kind in SLIDE_TYPES else "?"
        return Slide(number, str(kind), title, "", {}, f"{prefix}: " + "; ".join(problems))
    fields = spec.model_dump(exclude=set(COMMON_FIELDS))
    problems = _store_problems(spec, context)
    error = f"{prefix}: " + "; ".join(problems) if problems else None
    return Slide(number, spec.type, spec.title, spec.caption, fields, error, spec.notes)


def _depth(value: object) -> int:
    """How deeply lists and objects nest (iteratively: a hostile file cannot recurse us)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


def _load(text: str, lang: str) -> tuple[object, str | None]:
    """The parsed file, or why it cannot be used (size, syntax, nesting)."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        return None, t("deck_too_big", lang, limit=MAX_BYTES // 1000)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, t("deck_syntax", lang, line=exc.lineno, column=exc.colno, msg=exc.msg)
    except RecursionError:
        return None, t("deck_nested", lang, limit=MAX_DEPTH)
    if _depth(raw) > MAX_DEPTH:
        return None, t("deck_nested", lang, limit=MAX_DEPTH)
    return raw, None


def parse_deck(text: str, context: DeckContext) -> Deck:
    """Parse and check deck JSON. File problems make the deck unusable; slide problems mark
    only their slide."""
    lang = context.lang
    raw, problem = _load(text, lang)
    if problem:
        return Deck("", (), problem)
    slides = raw.get("slides") if isinstance(raw, dict) else None
    if not isinstance(slides, list) or not slides:
        return Deck("", (), t("deck_no_slides", lang))
    if len(slides) > MAX_SLIDES:
        return Deck("", (), t("deck_too_many_slides", lang, n=len(slides), limit=MAX_SLIDES))
    title = raw.get("title") if isinstance(raw, dict) else None
    if title is not None and not (isinstance(title, str) and len(title) <= MAX_TITLE):
        return Deck("", (), t("deck_title", lang, limit=MAX_TITLE))
    checked = tuple(check_slide(n, s, context) for n, s in enumerate(slides, start=1))
    return Deck(title or "", checked)


def decks_dir() -> Path:
    """Where the shipped decks are (``DASHBOARD_DECKS_DIR`` overrides, for the hand-out)."""
    return Path(os.environ.get("DASHBOARD_DECKS_DIR") or DECKS_DIR)


def deck_files(directory: Path | None = None) -> dict[str, Path]:
    """The shipped decks by name (file stem)."""
    return {p.stem: p for p in sorted((directory or decks_dir()).glob("*.json"))}


def to_json(deck: Deck) -> str:
    """The deck as JSON again (to save an assembled deck)."""
    return json.dumps(
        {
            "title": deck.title,
            "slides": [
                {
                    "type": s.type,
                    "title": s.title,
                    "caption": s.caption,
                    **({"notes": s.notes} if s.notes else {}),
                    **s.fields,
                }
                for s in deck.slides
            ],
        },
        ensure_ascii=False,
        indent=2,
    )
