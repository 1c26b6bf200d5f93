"""The URL contract: one typed view per page, every field with its range in one place.

Each page's state lives in a frozen dataclass (`MapView`, `ProfileView`, `FlowsView`,
`SuburbView`, `DeckView`, `ExportView`) and in the query string, so a link restores the view.
`parse_view` reads query parameters into a view and never raises: a value that is not valid
(wrong type, out of range, unknown code, a non-ASCII digit, a 60 kB string) falls back to the
default and comes back as a `Notice`. Numbers are parsed strictly (ASCII digits only). The
ranges (`FACTOR`, `MIN_HOUSEHOLDS`, ...) are read by the widgets too, so the URL and the
controls can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar, TypeVar

from dashboard.i18n import LANGS
from geodata import schema

LEVELS: tuple[str, ...] = schema.LEVELS  # gemeente, wijk, buurt
#: The map and exports also offer Amsterdam's own levels (stadsdeel, gebied) for Amsterdam.
MAP_LEVELS: tuple[str, ...] = schema.ALL_LEVELS
AMSTERDAM = "GM0363"
CLASS_METHODS = ("quantile", "equal", "jenks")
FOCUS_INDICATORS = ("low_income_households_pct", "social_minimum_households_pct")
DIRECTIONS = ("out", "in", "net")
DECK_VIEWS = ("audience", "presenter", "handout")
_SYNC = re.compile(r"[a-z0-9]{6,16}")
#: The map opens on the newest edition, showing the first of these that has figures in it:
#: CBS's poverty measure (from KWB 2024), its household predecessor (to KWB 2023), then the
#: welfare rate, which CBS publishes outside the income block (filled in later per edition).
DEFAULT_INDICATORS = ("persons_in_poverty_pct", "low_income_households_pct", "welfare_per_1000")
#: The indicator the suburbanisation page estimates low-income households from.
SUBURB_INDICATOR = "low_income_households_pct"

#: A parameter longer than this is refused before it is looked at.
MAX_PARAM_LENGTH = 200
#: How much of a refused value a notice repeats.
NOTICE_LENGTH = 60

#: CBS codes, and Amsterdam's own codes of its stadsdelen ("A") and gebieden ("GX01").
_AREA_CODE = re.compile(
    r"(GM[0-9]{4}|WK[0-9]{4}[0-9A-Z]{2}|BU[0-9]{4}[0-9A-Z]{4}|[A-Z]|[A-Z]{2}[0-9]{2})"
)
_GEMEENTE_CODE = re.compile(r"GM[0-9]{4}")
_INTEGER = re.compile(r"[0-9]{1,9}")
_DECIMAL = re.compile(r"[0-9]{1,6}(?:[.,][0-9]{1,6})?")
_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")


class Invalid(ValueError):
    """A query parameter value that is not valid for its field."""


@dataclass(frozen=True)
class NumberRange:
    """The valid values of a numeric field: from `lo` to `hi` in steps of `step`."""

    lo: float
    hi: float
    step: float

    def parse(self, text: str) -> float:
        """A number within the range from ASCII digits (``1.5`` or ``1,5``); raises `Invalid`."""
        if not _DECIMAL.fullmatch(text):
            raise Invalid(text)
        value = float(text.replace(",", "."))
        if not self.lo <= value <= self.hi:
            raise Invalid(text)
        return value


FACTOR = NumberRange(1.0, 5.0, 0.1)
MIN_HOUSEHOLDS = NumberRange(0, 10_000, 10)
SLIDES = NumberRange(1, 200, 1)
YEARS = NumberRange(1900, 2100, 1)


def parse_int(text: str, bounds: NumberRange = YEARS) -> int:
    """A whole number of ASCII digits within `bounds`; raises `Invalid` (never ValueError on '²')."""
    if not _INTEGER.fullmatch(text):
        raise Invalid(text)
    value = int(text)
    if not bounds.lo <= value <= bounds.hi:
        raise Invalid(text)
    return value


@dataclass(frozen=True)
class Options:
    """The valid values that come from the store (indicators, years, municipalities, decks)."""

    indicators: Sequence[str]
    years_by_indicator: Mapping[str, Sequence[int]]
    gemeenten: Sequence[str]
    highlight: Sequence[str] = ()
    core: str = "GM0363"
    flow_years: Sequence[int] = ()
    income_groups: Sequence[str] = ()
    decks: Sequence[str] = ()
    default_indicators: Sequence[str] = DEFAULT_INDICATORS
    #: The boundary year the buurt series are harmonised to (None: the store has none).
    reference_year: int | None = None
    harmonised_years_by_indicator: Mapping[str, Sequence[int]] = field(default_factory=dict)

    def years_of(self, indicator: str, harmonised: bool = False) -> Sequence[int]:
        """The editions of `indicator` (on their own boundaries, or harmonised)."""
        by = self.harmonised_years_by_indicator if harmonised else self.years_by_indicator
        return by.get(indicator) or ()

    @property
    def newest_year(self) -> int | None:
        """The newest edition any indicator has figures in."""
        return max((max(y) for y in self.years_by_indicator.values() if y), default=None)

    def default_indicator(self) -> str:
        """The first preferred indicator with figures in the newest edition; else the first
        preferred one with any figures; else the first indicator with figures."""
        newest, offered = self.newest_year, set(self.indicators)
        preferred = [i for i in self.default_indicators if i in offered]
        for indicator in preferred:
            if newest in self.years_of(indicator):
                return indicator
        with_figures = [i for i in [*preferred, *self.indicators] if self.years_of(i)]
        return with_figures[0] if with_figures else ""

    @property
    def destinations(self) -> tuple[str, ...]:
        return tuple(c for c in self.gemeenten if c != self.core)


@dataclass(frozen=True)
class Notice:
    """A query parameter that was refused (the value shortened for display)."""

    name: str
    value: str


# -- field parsers: (text, options, view so far) -> the fields to set ------------------------

Parser = Callable[[str, Options, Any], dict[str, Any]]


def _one_of(name: str, choices: Callable[[Options], Sequence[str]]) -> Parser:
    def parse(text: str, options: Options, view: Any) -> dict[str, Any]:
        if text not in choices(options):
            raise Invalid(text)
        return {name: text}

    return parse


def _lang(text: str, options: Options, view: Any) -> dict[str, Any]:
    return _one_of("lang", lambda o: LANGS)(text, options, view)


def _indicator(text: str, options: Options, view: Any) -> dict[str, Any]:
    """An indicator with data; its latest edition becomes the year unless `year` follows."""
    years = options.years_of(text)
    if text not in options.indicators or not years:
        raise Invalid(text)
    return {"indicator": text, "year": max(years)}


def _indicator_year(text: str, options: Options, view: Any) -> dict[str, Any]:
    year = parse_int(text)
    if year not in options.years_of(view.indicator, getattr(view, "harmonised", False)):
        raise Invalid(text)
    return {"year": year}


def _harmonised(text: str, options: Options, view: Any) -> dict[str, Any]:
    """``1``: every edition on the buurten of the store's reference year (when it has them)."""
    if text not in ("0", "1") or (text == "1" and options.reference_year is None):
        raise Invalid(text)
    return {"harmonised": text == "1"}


def _codes(text: str, valid: Sequence[str]) -> tuple[str, ...]:
    codes = tuple(c.strip().upper() for c in text.split(",") if c.strip())
    if not codes or len(codes) != len(set(codes)) or not all(c in valid for c in codes):
        raise Invalid(text)
    return codes


def _gemeenten(text: str, options: Options, view: Any) -> dict[str, Any]:
    return {"gemeenten": _codes(text, options.gemeenten)}


def _area(text: str, options: Options, view: Any) -> dict[str, Any]:
    code = text.strip().upper()
    if not _AREA_CODE.fullmatch(code):
        raise Invalid(text)
    return {"area": code}


def _factor(text: str, options: Options, view: Any) -> dict[str, Any]:
    return {"factor": round(FACTOR.parse(text), 2)}


def _min_hh(text: str, options: Options, view: Any) -> dict[str, Any]:
    return {"min_hh": parse_int(text, MIN_HOUSEHOLDS)}


def _flow_years(text: str, options: Options, view: Any) -> dict[str, Any]:
    """'2015-2024' or '2019', both ends among the flow years."""
    parts = text.split("-")
    if len(parts) not in (1, 2):
        raise Invalid(text)
    first, last = parse_int(parts[0]), parse_int(parts[-1])
    if first > last or first not in options.flow_years or last not in options.flow_years:
        raise Invalid(text)
    return {"years": (first, last)}


def _destinations(text: str, options: Options, view: Any) -> dict[str, Any]:
    return {"destinations": _codes(text, options.destinations)}


def _flow_year(name: str) -> Parser:
    def parse(text: str, options: Options, view: Any) -> dict[str, Any]:
        year = parse_int(text)
        if year not in options.flow_years:
            raise Invalid(text)
        return {name: year}

    return parse


def _suburb_year(name: str) -> Parser:
    def parse(text: str, options: Options, view: Any) -> dict[str, Any]:
        year = parse_int(text)
        if year not in options.years_of(SUBURB_INDICATOR, view.harmonised):
            raise Invalid(text)
        return {name: year}

    return parse


def _slide(text: str, options: Options, view: Any) -> dict[str, Any]:
    return {"slide": parse_int(text, SLIDES)}


def _sync(text: str, options: Options, view: Any) -> dict[str, Any]:
    """The code that pairs a presenter window with its audience windows."""
    if not _SYNC.fullmatch(text):
        raise Invalid(text)
    return {"sync": text}


def _notes(text: str, options: Options, view: Any) -> dict[str, Any]:
    if text not in ("0", "1"):
        raise Invalid(text)
    return {"notes": text == "1"}


def _simple(name: str, choices: Sequence[str]) -> Parser:
    return _one_of(name, lambda o: choices)


# -- the views ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapView:
    """The map page (/kaart)."""

    indicator: str
    year: int
    level: str = "buurt"
    gemeenten: tuple[str, ...] = ()
    lang: str = "nl"
    classes: str = "quantile"
    focus: str = FOCUS_INDICATORS[0]
    factor: float = 1.5
    min_hh: int = 100
    harmonised: bool = False  # every edition on the reference year's buurten

    PARAMS: ClassVar[dict[str, Parser]] = {
        "lang": _lang,
        "harmonised": _harmonised,
        "indicator": _indicator,
        "year": _indicator_year,
        "level": _simple("level", MAP_LEVELS),
        "gemeenten": _gemeenten,
        "classes": _simple("classes", CLASS_METHODS),
        "focus": _simple("focus", FOCUS_INDICATORS),
        "factor": _factor,
        "min_hh": _min_hh,
    }

    @classmethod
    def default(cls, options: Options) -> MapView:
        indicator = options.default_indicator()
        years = options.years_of(indicator)
        return cls(
            indicator=indicator, year=max(years) if years else 0, gemeenten=tuple(options.gemeenten)
        )


@dataclass(frozen=True)
class ProfileView:
    """The neighbourhood profile (/buurtprofiel); the focus rule decides the focus status."""

    area: str | None = None
    lang: str = "nl"
    focus: str = FOCUS_INDICATORS[0]
    factor: float = 1.5
    min_hh: int = 100

    PARAMS: ClassVar[dict[str, Parser]] = {
        "lang": _lang,
        "area": _area,
        "focus": _simple("focus", FOCUS_INDICATORS),
        "factor": _factor,
        "min_hh": _min_hh,
    }

    @classmethod
    def default(cls, options: Options) -> ProfileView:
        return cls()


@dataclass(frozen=True)
class FlowsView:
    """The migration page (/verhuisstromen)."""

    years: tuple[int, int]
    destinations: tuple[str, ...]
    direction: str = "out"
    sankey_year: int | None = None
    income_group: str | None = None
    lang: str = "nl"

    PARAMS: ClassVar[dict[str, Parser]] = {
        "lang": _lang,
        "years": _flow_years,
        "direction": _simple("direction", DIRECTIONS),
        "destinations": _destinations,
        "sankey_year": _flow_year("sankey_year"),
        "income_group": _one_of("income_group", lambda o: o.income_groups),
    }

    @classmethod
    def default(cls, options: Options) -> FlowsView:
        years = sorted(options.flow_years) or [0]
        destinations = tuple(c for c in options.highlight if c in options.destinations)
        return cls(years=(years[0], years[-1]), destinations=destinations)


@dataclass(frozen=True)
class SuburbView:
    """The suburbanisation page (/suburbanisatie)."""

    year_a: int
    year_b: int
    level: str | None = None  # None: the finest level at which most areas can be compared
    lang: str = "nl"
    harmonised: bool = False  # compare both years on the reference year's buurten

    PARAMS: ClassVar[dict[str, Parser]] = {
        "lang": _lang,
        "harmonised": _harmonised,
        "year_a": _suburb_year("year_a"),
        "year_b": _suburb_year("year_b"),
        "level": _simple("level", LEVELS),
    }

    @classmethod
    def default(cls, options: Options) -> SuburbView:
        years = sorted(options.years_of(SUBURB_INDICATOR)) or [0]
        return cls(year_a=years[0], year_b=years[-1])


@dataclass(frozen=True)
class DeckView:
    """The presentation page (/presenteren): which deck, which slide, which window."""

    deck: str | None = None
    slide: int = 1
    view: str = "audience"  # audience, presenter (notes, next slide, clock) or handout (print)
    lang: str = "nl"
    sync: str | None = None  # pairs the presenter window with the audience windows
    notes: bool = False  # the hand-out prints the speaker notes

    PARAMS: ClassVar[dict[str, Parser]] = {
        "lang": _lang,
        "deck": _one_of("deck", lambda o: o.decks),
        "slide": _slide,
        "view": _simple("view", DECK_VIEWS),
        "sync": _sync,
        "notes": _notes,
    }

    @classmethod
    def default(cls, options: Options) -> DeckView:
        return cls(deck=next(iter(options.decks), None))


@dataclass(frozen=True)
class ExportView:
    """The export page (/exporteren): the starting selection, as on the map."""

    indicator: str
    level: str = "buurt"
    gemeenten: tuple[str, ...] = ()
    lang: str = "nl"
    focus: str = FOCUS_INDICATORS[0]
    factor: float = 1.5
    min_hh: int = 100
    harmonised: bool = False  # buurt values of every edition on the reference year's buurten

    PARAMS: ClassVar[dict[str, Parser]] = {
        "lang": _lang,
        "indicator": lambda text, o, v: {"indicator": _indicator(text, o, v)["indicator"]},
        "level": _simple("level", MAP_LEVELS),
        "gemeenten": _gemeenten,
        "focus": _simple("focus", FOCUS_INDICATORS),
        "factor": _factor,
        "min_hh": _min_hh,
        "harmonised": _harmonised,
    }

    @classmethod
    def default(cls, options: Options) -> ExportView:
        base = MapView.default(options)
        return cls(indicator=base.indicator, gemeenten=base.gemeenten)


@dataclass(frozen=True)
class PageView:
    """A page whose only state is the language (/over)."""

    lang: str = "nl"

    PARAMS: ClassVar[dict[str, Parser]] = {"lang": _lang}

    @classmethod
    def default(cls, options: Options) -> PageView:
        return cls()


V = TypeVar("V")


def _first(value: object) -> str | None:
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return None if value is None else str(value)


def _shorten(text: str) -> str:
    return text if len(text) <= NOTICE_LENGTH else text[: NOTICE_LENGTH - 1] + "…"


def parse_view(
    view_type: type[V], params: Mapping[str, object], options: Options
) -> tuple[V, list[Notice]]:
    """The view that `params` describe, and a `Notice` for every value that was refused.

    Fields are read in the order of ``PARAMS`` (an indicator before its year). Never raises.
    """
    view = view_type.default(options)  # type: ignore[attr-defined]
    notices: list[Notice] = []
    for name, parse in view_type.PARAMS.items():  # type: ignore[attr-defined]
        text = _first(params.get(name))
        if text is None:
            continue
        try:
            if len(text) > MAX_PARAM_LENGTH:
                raise Invalid(text)
            view = replace(view, **parse(text, options, view))
        except Invalid:
            notices.append(Notice(name, _shorten(text)))
    return view, notices


def view_to_params(view: object) -> dict[str, str]:
    """Query parameters for `view`; the inverse of `parse_view` (empty fields are left out)."""
    out = {}
    for f in fields(view):  # type: ignore[arg-type]
        value = getattr(view, f.name)
        if value is None:
            continue
        if f.name == "years":
            value = f"{value[0]}-{value[1]}"
        elif isinstance(value, bool):
            value = "1" if value else "0"
        elif isinstance(value, tuple):
            value = ",".join(value)
        out[f.name] = str(value)
    return out


def url_keys(view_type: type) -> list[str]:
    """The query parameters a page owns (its view's fields)."""
    return list(view_type.PARAMS)  # type: ignore[attr-defined]
