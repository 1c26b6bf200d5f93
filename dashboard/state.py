"""The URL contract: the main selections live in the query string so a link restores the view.

Parameters: ``indicator``, ``year``, ``level``, ``gemeenten`` (comma-separated GM codes),
``area`` (a CBS code), ``lang`` (nl/en), and the focus rule: ``focus`` (indicator id),
``factor``, ``min_hh``; plus ``classes`` (quantile/equal/jenks). An invalid value falls back
to the default and produces a notice; parsing never raises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

from dashboard.analysis import CLASS_METHODS, FOCUS_INDICATORS
from geodata import store

LEVELS = store.LEVELS  # gemeente, wijk, buurt
_AREA_CODE = re.compile(r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")


@dataclass(frozen=True)
class Options:
    """What valid values are, from the store."""

    indicators: Sequence[str]
    years_by_indicator: Mapping[str, Sequence[int]]
    gemeenten: Sequence[str]
    default_indicator: str = "low_income_households_pct"


@dataclass(frozen=True)
class View:
    indicator: str
    year: int
    level: str = "buurt"
    gemeenten: tuple[str, ...] = field(default_factory=tuple)
    area: str | None = None
    lang: str = "nl"
    focus: str = "low_income_households_pct"
    factor: float = 1.5
    min_hh: int = 100
    classes: str = "quantile"


def _first(value: object) -> str | None:
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return None if value is None else str(value)


def default_view(options: Options) -> View:
    indicator = (
        options.default_indicator
        if options.default_indicator in options.indicators
        else options.indicators[0]
    )
    years = options.years_by_indicator.get(indicator) or [0]
    return View(indicator=indicator, year=max(years), gemeenten=tuple(options.gemeenten))


def parse_view(
    params: Mapping[str, object], options: Options
) -> tuple[View, list[tuple[str, str]]]:
    """The view described by query parameters, and (name, value) of every value that was invalid."""
    view = default_view(options)
    bad: list[tuple[str, str]] = []

    def get(name: str) -> str | None:
        return _first(params.get(name))

    if (lang := get("lang")) is not None:
        if lang in ("nl", "en"):
            view = replace(view, lang=lang)
        else:
            bad.append(("lang", lang))
    if (indicator := get("indicator")) is not None:
        if indicator in options.indicators:
            years = options.years_by_indicator.get(indicator) or [view.year]
            view = replace(view, indicator=indicator, year=max(years))
        else:
            bad.append(("indicator", indicator))
    if (year := get("year")) is not None:
        valid_years = options.years_by_indicator.get(view.indicator) or []
        if year.isdigit() and int(year) in valid_years:
            view = replace(view, year=int(year))
        else:
            bad.append(("year", year))
    if (level := get("level")) is not None:
        if level in LEVELS:
            view = replace(view, level=level)
        else:
            bad.append(("level", level))
    if (gemeenten := get("gemeenten")) is not None:
        codes = tuple(c.strip().upper() for c in gemeenten.split(",") if c.strip())
        if codes and all(c in options.gemeenten for c in codes):
            view = replace(view, gemeenten=codes)
        else:
            bad.append(("gemeenten", gemeenten))
    if (area := get("area")) is not None:
        if _AREA_CODE.match(area.strip().upper()):
            view = replace(view, area=area.strip().upper())
        else:
            bad.append(("area", area))
    if (focus := get("focus")) is not None:
        if focus in FOCUS_INDICATORS:
            view = replace(view, focus=focus)
        else:
            bad.append(("focus", focus))
    if (factor := get("factor")) is not None:
        try:
            value = float(factor.replace(",", "."))
            if not 1.0 <= value <= 5.0:
                raise ValueError
            view = replace(view, factor=round(value, 2))
        except ValueError:
            bad.append(("factor", factor))
    if (min_hh := get("min_hh")) is not None:
        if min_hh.isdigit() and 0 <= int(min_hh) <= 10000:
            view = replace(view, min_hh=int(min_hh))
        else:
            bad.append(("min_hh", min_hh))
    if (classes := get("classes")) is not None:
        if classes in CLASS_METHODS:
            view = replace(view, classes=classes)
        else:
            bad.append(("classes", classes))
    return view, bad


def view_to_params(view: View, keys: Sequence[str] | None = None) -> dict[str, str]:
    """Query parameters for `view` (only `keys` when given); the inverse of `parse_view`."""
    raw = asdict(view)
    out = {}
    for name, value in raw.items():
        if keys is not None and name not in keys:
            continue
        if value is None:
            continue
        if name == "gemeenten":
            value = ",".join(value)
        out[name] = str(value)
    return out
