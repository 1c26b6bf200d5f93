"""The indicator catalogue (`indicators.toml`): ids, labels, units, CBS key stems per year.

Nothing else in the project defines an indicator. The pipelines use the stems to find CBS
columns; the dashboard and the exports use the labels, units and descriptions.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from geodata.errors import ConfigError

CATALOGUE_FILE = Path(__file__).resolve().parent / "indicators.toml"

AGGREGATIONS = ("sum", "mean")
#: Kinds of source an indicator may come from: CBS KWB columns, or BBGA variables (Amsterdam).
SOURCE_KINDS = ("cbs", "bbga")
DIRECTIONS = ("higher_is_worse", "higher_is_better", "neutral")

GROUP_LABELS = {
    "bevolking": ("Bevolking en huishoudens", "Population and households"),
    "herkomst": ("Herkomst", "Origin"),
    "inkomen": ("Inkomen en armoede", "Income and poverty"),
    "sociale_zekerheid": ("Uitkeringen, werk en zorg", "Benefits, work and care"),
    "wonen": ("Wonen", "Housing"),
    "oppervlakte": ("Oppervlakte", "Area"),
}

# The units an indicator may have (its `unit`, the key used in exports), as shown per language.
UNIT_LABELS = {
    "%": ("%", "%"),
    "aantal": ("aantal", "count"),
    "ha": ("ha", "ha"),
    "inwoners per km²": ("inwoners per km²", "inhabitants per km²"),
    "per 1.000 inwoners": ("per 1.000 inwoners", "per 1,000 inhabitants"),
    "x 1.000 euro": ("x 1.000 euro", "× 1,000 euro"),
    "euro": ("euro", "euro"),
}


@dataclass(frozen=True)
class StemSource:
    """Where the value of an indicator comes from in one range of editions.

    For ``kind = "cbs"``, `stems` lists alternative key stems of a KWB column (CBS renames some
    columns between editions) and `units` alternative spellings of its unit: the first stem
    present in a table is used. An alternative may be a sum of stems, ``"A + B"`` (KWB 2026
    splits "65 jaar of ouder" into "65 tot 80" and "80 of ouder"): every part must be present
    with an accepted unit, and a suppressed part makes the sum missing. For ``kind = "bbga"``,
    `stems` holds the BBGA variable (``IMINHH120_P``) and `units` the symbols its definition
    may state (``"%"``, ``"euro"``, or ``""`` for a count).

    `last_year` is None for an open range (``"2017-"``): the source also covers every edition
    CBS publishes later, so a new edition is tried with the same stems (and becomes a gap with
    a fix where a column was renamed) instead of being skipped as "not published".
    """

    first_year: int
    last_year: int | None
    stems: tuple[str, ...]
    units: tuple[str, ...]
    per: str | None = None
    scale: float = 1.0
    topic_group: str | None = None
    kind: str = "cbs"

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    @property
    def years_text(self) -> str:
        """The range as the catalogue writes it ("2017-2023", "2024-", "2021")."""
        if self.last_year is None:
            return f"{self.first_year}-"
        if self.last_year == self.first_year:
            return str(self.first_year)
        return f"{self.first_year}-{self.last_year}"

    @staticmethod
    def parts(stem: str) -> tuple[str, ...]:
        """The stems an alternative adds up: ``"A + B"`` -> ``("A", "B")``, ``"A"`` -> ``("A",)``."""
        return tuple(part.strip() for part in stem.split("+"))

    @property
    def stem(self) -> str:
        """The preferred stem (the first listed)."""
        return self.stems[0]

    @property
    def unit(self) -> str:
        """The preferred unit spelling (the first listed)."""
        return self.units[0]


@dataclass(frozen=True)
class Indicator:
    """One canonical indicator."""

    id: str
    group: str
    label_nl: str
    label_en: str
    unit: str
    description_nl: str
    description_en: str
    aggregation: str
    weight: str | None
    direction: str
    sources: tuple[StemSource, ...]

    @property
    def kind(self) -> str:
        """Where this indicator comes from: ``cbs`` (KWB) or ``bbga`` (Amsterdam's BBGA)."""
        return self.sources[0].kind if self.sources else "cbs"

    def source_for(self, year: int) -> StemSource | None:
        """The stem that holds this indicator in KWB `year`, or None when CBS does not publish it."""
        for source in self.sources:
            if source.covers(year):
                return source
        return None

    def label(self, lang: str = "nl") -> str:
        return self.label_en if lang == "en" else self.label_nl

    def description(self, lang: str = "nl") -> str:
        return self.description_en if lang == "en" else self.description_nl

    def unit_label(self, lang: str = "nl") -> str:
        """The unit as shown in `lang` ("aantal" reads "count" in English); `unit` is the key."""
        nl, en = UNIT_LABELS[self.unit]
        return en if lang == "en" else nl

    def group_label(self, lang: str = "nl") -> str:
        """The label of the indicator's theme (e.g. "Inkomen en armoede")."""
        nl, en = GROUP_LABELS[self.group]
        return en if lang == "en" else nl


_YEARS = re.compile(r"^([0-9]{4})(?:(-)([0-9]{4})?)?$")


def _parse_years(text: object, indicator_id: str) -> tuple[int, int | None]:
    """ "2019" -> (2019, 2019), "2015-2023" -> (2015, 2023), "2017-" -> (2017, None)."""
    match = _YEARS.match(str(text).strip())
    first = int(match.group(1)) if match else 0
    last = None if match and match.group(2) and not match.group(3) else first
    if match and match.group(3):
        last = int(match.group(3))
    if not match or (last is not None and first > last):
        raise ConfigError(
            f"{CATALOGUE_FILE.name}: indicator {indicator_id!r} has years={text!r}; write a "
            "year ('2019'), a range ('2015-2023') or an open range ('2017-': every later edition too)."
        )
    return first, last


def _names(raw: dict[str, Any], single: str, plural: str, indicator_id: str) -> tuple[str, ...]:
    """`stem = "X"` or `stems = ["X", "Y"]` (likewise unit/units) as a non-empty tuple."""
    if (single in raw) == (plural in raw):
        raise ConfigError(
            f'{CATALOGUE_FILE.name}: indicator {indicator_id!r}: give either {single} = "..." or '
            f'{plural} = ["...", ...] in each source, not both or neither.'
        )
    values = [raw[single]] if single in raw else raw[plural]
    if (
        not isinstance(values, list)
        or not values
        or not all(isinstance(v, str) and v.strip() for v in values)
    ):
        raise ConfigError(
            f"{CATALOGUE_FILE.name}: indicator {indicator_id!r}: {plural} must be a list of "
            f"non-empty strings, not {values!r}."
        )
    return tuple(values)


def _parse_bbga_source(raw: dict[str, Any], indicator_id: str) -> StemSource:
    """``{ years = "2015-", kind = "bbga", variable = "IMINHH120_P", symbol = "%" }``;
    ``symbols = ["euro", ""]`` lists spellings the BBGA has used for one unit."""
    first, last = _parse_years(raw["years"], indicator_id)
    variable = raw.get("variable")
    symbols = [raw["symbol"]] if "symbol" in raw else raw.get("symbols")
    if (
        not (isinstance(variable, str) and variable.strip())
        or not isinstance(symbols, list)
        or not symbols
        or not all(isinstance(s, str) for s in symbols)
        or ("symbol" in raw and "symbols" in raw)
    ):
        raise ConfigError(
            f"{CATALOGUE_FILE.name}: indicator {indicator_id!r}: a bbga source needs "
            'variable = "<BBGA variable>" and symbol = "<its symbol>" ("" for a count) or '
            f'symbols = ["<symbol>", ...], not variable={variable!r}, '
            f"symbol={raw.get('symbol')!r}, symbols={raw.get('symbols')!r}."
        )
    return StemSource(first, last, (variable.strip(),), tuple(symbols), kind="bbga")


def _parse_source(raw: dict[str, Any], indicator_id: str) -> StemSource:
    kind = raw.get("kind", "cbs")
    if kind not in SOURCE_KINDS:
        raise ConfigError(
            f"{CATALOGUE_FILE.name}: indicator {indicator_id!r}: kind {kind!r}; use one of "
            f"{', '.join(SOURCE_KINDS)}."
        )
    if kind == "bbga":
        return _parse_bbga_source(raw, indicator_id)
    first, last = _parse_years(raw["years"], indicator_id)
    return StemSource(
        first_year=first,
        last_year=last,
        stems=_names(raw, "stem", "stems", indicator_id),
        units=_names(raw, "unit", "units", indicator_id),
        per=raw.get("per"),
        scale=float(raw.get("scale", 1.0)),
        topic_group=raw.get("topic_group"),
    )


def _parse_indicator(raw: dict[str, Any]) -> Indicator:
    ind_id = raw.get("id", "?")
    try:
        sources = [_parse_source(s, ind_id) for s in raw["sources"]]
        indicator = Indicator(
            id=raw["id"],
            group=raw["group"],
            label_nl=raw["label_nl"],
            label_en=raw["label_en"],
            unit=raw["unit"],
            description_nl=raw["description_nl"],
            description_en=raw["description_en"],
            aggregation=raw["aggregation"],
            weight=raw.get("weight"),
            direction=raw["direction"],
            sources=tuple(sorted(sources, key=lambda s: s.first_year)),
        )
    except KeyError as exc:
        raise ConfigError(
            f"{CATALOGUE_FILE.name}: indicator {ind_id!r} lacks field {exc}. See the header of the file."
        ) from exc
    if indicator.aggregation not in AGGREGATIONS:
        raise ConfigError(
            f"{CATALOGUE_FILE.name}: {ind_id}: aggregation must be one of {AGGREGATIONS}."
        )
    if indicator.aggregation == "mean" and not indicator.weight:
        raise ConfigError(f"{CATALOGUE_FILE.name}: {ind_id}: a 'mean' indicator needs a weight.")
    if indicator.direction not in DIRECTIONS:
        raise ConfigError(
            f"{CATALOGUE_FILE.name}: {ind_id}: direction must be one of {DIRECTIONS}."
        )
    if indicator.unit not in UNIT_LABELS:
        raise ConfigError(
            f"{CATALOGUE_FILE.name}: {ind_id}: unit {indicator.unit!r} has no labels; use one of "
            f"{', '.join(map(repr, UNIT_LABELS))} or add it to UNIT_LABELS in geodata/catalogue.py."
        )
    if indicator.group not in GROUP_LABELS:
        raise ConfigError(f"{CATALOGUE_FILE.name}: {ind_id}: unknown group {indicator.group!r}.")
    if len({s.kind for s in indicator.sources}) > 1:
        raise ConfigError(
            f"{CATALOGUE_FILE.name}: {ind_id}: all sources of one indicator must be of one kind; "
            "define the BBGA figure as its own indicator (e.g. ams_population beside population)."
        )
    spans = [(s.first_year, s.last_year) for s in indicator.sources]
    for (_, last), (first, _) in itertools.pairwise(spans):
        if last is None or first <= last:
            raise ConfigError(
                f"{CATALOGUE_FILE.name}: {ind_id}: source year ranges overlap (an open range "
                "'2017-' must be the last one)."
            )
    return indicator


def parse_catalogue(text: str) -> tuple[Indicator, ...]:
    """Parse and validate catalogue TOML text."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{CATALOGUE_FILE.name} is not valid TOML: {exc}") from exc
    indicators = tuple(_parse_indicator(r) for r in raw.get("indicator", []))
    ids = [i.id for i in indicators]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{CATALOGUE_FILE.name}: duplicate indicator ids {duplicates}.")
    for ind in indicators:
        if ind.weight and ind.weight not in ids:
            raise ConfigError(
                f"{CATALOGUE_FILE.name}: {ind.id} is weighted by {ind.weight!r}, which is not an indicator id."
            )
    return indicators


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[Indicator, ...]:
    """The catalogue shipped with the project."""
    return parse_catalogue(CATALOGUE_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Comparison:
    """Indicators that measure one thing in different ways (CBS's and Amsterdam's poverty),
    shown side by side with a note on why their figures differ."""

    id: str
    label_nl: str
    label_en: str
    indicators: tuple[str, ...]
    note_nl: str
    note_en: str

    def label(self, lang: str = "nl") -> str:
        return self.label_en if lang == "en" else self.label_nl

    def note(self, lang: str = "nl") -> str:
        return self.note_en if lang == "en" else self.note_nl


def parse_comparisons(text: str, ids: set[str]) -> tuple[Comparison, ...]:
    """The ``[[comparison]]`` entries of the catalogue, each naming known indicator ids."""
    out = []
    for raw in tomllib.loads(text).get("comparison", []):
        try:
            comparison = Comparison(
                id=raw["id"],
                label_nl=raw["label_nl"],
                label_en=raw["label_en"],
                indicators=tuple(raw["indicators"]),
                note_nl=raw["note_nl"],
                note_en=raw["note_en"],
            )
        except KeyError as exc:
            raise ConfigError(
                f"{CATALOGUE_FILE.name}: comparison {raw.get('id', '?')!r} lacks field {exc}."
            ) from exc
        unknown = [i for i in comparison.indicators if i not in ids]
        if unknown:
            raise ConfigError(
                f"{CATALOGUE_FILE.name}: comparison {comparison.id!r} names unknown indicators "
                f"{unknown}; use ids of [[indicator]] entries."
            )
        out.append(comparison)
    return tuple(out)


@lru_cache(maxsize=1)
def load_comparisons() -> tuple[Comparison, ...]:
    """The comparisons shipped with the project."""
    ids = {i.id for i in load_catalogue()}
    return parse_comparisons(CATALOGUE_FILE.read_text(encoding="utf-8"), ids)


def indicator_by_id(indicator_id: str) -> Indicator:
    for ind in load_catalogue():
        if ind.id == indicator_id:
            return ind
    raise KeyError(indicator_id)


def catalogue_frame(indicators: tuple[Indicator, ...] | None = None) -> pd.DataFrame:
    """The catalogue as the store's `indicators` table."""
    indicators = load_catalogue() if indicators is None else indicators
    return pd.DataFrame(
        [
            {
                "id": i.id,
                "group": i.group,
                "label_nl": i.label_nl,
                "label_en": i.label_en,
                "unit": i.unit,
                "description_nl": i.description_nl,
                "description_en": i.description_en,
                "aggregation": i.aggregation,
                "weight": i.weight,
                "direction": i.direction,
            }
            for i in indicators
        ]
    )
