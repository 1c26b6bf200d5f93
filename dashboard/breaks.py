"""Where a series breaks: the one place that knows when two editions cannot be compared.

A line is never drawn across a break and a trend is never read across one. Four kinds:

- ``boundary``: the area's boundary differs from the previous edition it existed in;
- ``code``: the code did not exist in the previous edition (a new or re-used code);
- ``definition``: the catalogue maps the indicator to another column, unit or computation
  than in the previous edition (CBS changed the definition or the way it publishes it);
- ``test_data``: test data and real data meet (the store's sources say which is which).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from dashboard.i18n import t
from geodata.catalogue import Indicator, StemSource

KINDS = ("boundary", "code", "definition", "test_data")


@dataclass(frozen=True, order=True)
class Break:
    """The series breaks before edition `year`."""

    year: int
    kind: str

    def text(self, lang: str) -> str:
        return t(f"break_{self.kind}", lang, year=self.year)


def boundary_breaks(fingerprints: dict[int, str]) -> list[Break]:
    """Editions in which an area's boundary changed, or in which it reappears after a gap."""
    years = sorted(fingerprints)
    out = []
    for a, b in itertools.pairwise(years):
        if b != a + 1:
            out.append(Break(b, "code"))
        elif fingerprints[a] != fingerprints[b]:
            out.append(Break(b, "boundary"))
    return out


def _same(a: StemSource | None, b: StemSource | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.stems, a.units, a.per, a.scale) == (b.stems, b.units, b.per, b.scale)


def definition_breaks(indicator: Indicator, editions: list[int]) -> list[Break]:
    """Editions in which the indicator comes from another column or computation than before."""
    years = sorted(editions)
    return [
        Break(b, "definition")
        for a, b in itertools.pairwise(years)
        if not _same(indicator.source_for(a), indicator.source_for(b))
    ]


def mixed_data_breaks(test_editions: set[int], editions: list[int]) -> list[Break]:
    """Editions where test data and real data meet."""
    years = sorted(editions)
    return [
        Break(b, "test_data")
        for a, b in itertools.pairwise(years)
        if (a in test_editions) != (b in test_editions)
    ]


def series_breaks(
    editions: list[int],
    indicator: Indicator | None = None,
    fingerprints: dict[int, str] | None = None,
    test_editions: set[int] | None = None,
) -> list[Break]:
    """Every break of one series (an area's indicator over `editions`), sorted by year."""
    found: set[Break] = set()
    if fingerprints:
        found.update(boundary_breaks(fingerprints))
    if indicator is not None:
        found.update(definition_breaks(indicator, editions))
    if test_editions is not None:
        found.update(mixed_data_breaks(test_editions, editions))
    return sorted(found)


def harmonised_breaks(breaks: list[Break]) -> list[Break]:
    """The breaks of a harmonised series: it is on one geometry, so boundaries and codes do
    not break it; a definition or test data meeting real data still does."""
    return [b for b in breaks if b.kind not in ("boundary", "code")]


def last_unbroken(editions: list[int], breaks: list[Break]) -> list[int]:
    """The editions after the last break (all of them when there is none)."""
    start = max((b.year for b in breaks), default=min(editions, default=0))
    return [y for y in sorted(editions) if y >= start]


def division_breaks(buurten_per_year: dict[int, frozenset[str]]) -> list[Break]:
    """Editions in which a municipality's set of buurt codes changed (a new division)."""
    years = sorted(buurten_per_year)
    return [
        Break(b, "boundary")
        for a, b in itertools.pairwise(years)
        if buurten_per_year[a] != buurten_per_year[b]
    ]
