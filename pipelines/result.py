"""What every source returns: its tables, where each response came from, and its gaps.

One shape for all sources (KWB, 81734NED, PDOK, Amsterdam), so that the build, the `sources`
table and the summary treat them alike:

- `Provenance`: one response the tables were built from (source, table id, entity, year,
  URL, retrieval time, checksum, rows) and whether the service marked it as test data;
- `Gap`: something one source could not deliver for one edition or year (a missing column,
  a changed unit, an edition or layer that could not be fetched), with the reason and the fix;
- `SourceResult`: the tables plus both lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from geodata import schema
from pipelines._http import Response

#: Statuses of `indicator_sources` that mean "the source did not deliver this" (a gap).
GAP_STATUSES = frozenset(
    {"missing_in_table", "unit_mismatch", "ambiguous_in_table", "fetch_failed"}
)

#: Every status `indicator_sources` may hold.
INDICATOR_STATUSES = frozenset({"published", "not_published", "empty_in_table"}) | GAP_STATUSES

_TEST_DATA = re.compile(r"\[\s*test\s*-?\s*data\b|\btestdata\b|\btest data\b", re.IGNORECASE)


def is_test_data(*titles: str | None) -> bool:
    """Whether a service marks a table or service as test data in one of its titles.

    The local mirror writes ``[testdata: deels synthetisch]`` into every CBS table title and
    "test data" into its PDOK service titles; the live services never do.
    """
    return any(title and _TEST_DATA.search(title) for title in titles)


@dataclass(frozen=True)
class Provenance:
    """One response that a source's tables were built from."""

    source: str
    table_id: str
    entity: str
    year: int | None
    response: Response
    rows: int
    test_data: bool = False


@dataclass(frozen=True)
class Gap:
    """Something a source could not deliver; the build goes on without it (exit code 3).

    `indicator` is None when a whole edition, year or table is missing. `fix` says what to do:
    which file and field to change, or "rerun later" for a service that did not answer.
    """

    source: str
    table_id: str
    entity: str
    year: int | None
    status: str
    reason: str
    fix: str
    indicator: str | None = None
    url: str | None = None

    @classmethod
    def fetch_failed(
        cls,
        source: str,
        exc: Exception,
        table_id: str = "",
        year: int | None = None,
        entity: str = "",
        url: str | None = None,
    ) -> Gap:
        """A whole source (or one of its years) that could not be fetched, with the fix; the
        URL is the failed request's, else `url`."""
        from pipelines.errors import NotPublishedError

        return cls(
            source,
            table_id,
            entity,
            year,
            "not_published" if isinstance(exc, NotPublishedError) else "fetch_failed",
            str(exc),
            fix_for(exc),
            None,
            getattr(exc, "url", None) or url,
        )

    def line(self) -> str:
        """One line for the build summary."""
        what = f"{self.table_id} {self.entity}".strip()
        year = f" {self.year}" if self.year is not None else ""
        ind = f", indicator {self.indicator}" if self.indicator else ""
        return f"{self.source}{year} ({what}{ind}): {self.status}: {self.reason} Fix: {self.fix}"


@dataclass
class SourceResult:
    """The tables one source produced, their provenance and their gaps."""

    source: str
    years: tuple[int, ...]
    tables: dict[str, pd.DataFrame]
    provenance: list[Provenance] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Checks the build runs on the merged tables (what every source delivered), for rows of
    #: this source that can only be judged against another source's (a BBGA code against the
    #: CBS boundaries of its year). Each returns the tables it corrected and adds warnings.
    after_merge: list[Callable[[dict[str, pd.DataFrame]], dict[str, pd.DataFrame]]] = field(
        default_factory=list
    )

    @property
    def failed_years(self) -> frozenset[int]:
        """Years for which the source delivered nothing at all (an edition-level gap)."""
        return frozenset(g.year for g in self.gaps if g.indicator is None and g.year is not None)

    @property
    def failed_entirely(self) -> bool:
        """True when the source delivered nothing (a gap without a year)."""
        return any(g.indicator is None and g.year is None for g in self.gaps)

    @property
    def test_data(self) -> bool:
        return any(p.test_data for p in self.provenance)


def fix_for(exc: Exception) -> str:
    """The fix for a failed request or a changed response, from the exception's type."""
    from pipelines.errors import ApiKeyError, FetchError, NotPublishedError, ServiceError

    if isinstance(exc, NotPublishedError | ApiKeyError):
        return exc.fix
    if isinstance(exc, FetchError):
        return "rerun later (responses fetched so far are cached); check the service URL."
    if isinstance(exc, ServiceError):
        return (
            "the service refused the request; check the table id or layer name named in the "
            "reason, or rerun later."
        )
    return "see the reason; it names the file and field to change."


def source_row(
    source: str, indicator: str, year: int, table_id: str, status: str, **fields: object
) -> dict[str, object]:
    """One `indicator_sources` row: which source delivered (or did not deliver) an indicator in
    one edition, with the table it came from and the other columns given as `fields`."""
    row: dict[str, object] = dict.fromkeys(schema.SCHEMA["indicator_sources"])
    row.update(source=source, indicator=indicator, year=year, status=status, table_id=table_id)
    row.update(fields)
    return row


def odata_rows(page: Response) -> int:
    """Rows in a CBS OData page."""
    return len(page.data["value"])


def provenance(
    source: str,
    table_id: str,
    entity: str,
    year: int | None,
    pages: list[Response],
    test: bool,
    rows: Callable[[Response], int] = odata_rows,
) -> list[Provenance]:
    """One `Provenance` per page of one entity (`rows` counts a page's rows)."""
    return [Provenance(source, table_id, entity, year, p, rows(p), test) for p in pages]
