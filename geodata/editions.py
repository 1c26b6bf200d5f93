"""Is the store behind what the services offer? Pure functions over the store's tables.

`service_editions` records what each service offered when a build or ``python -m pipelines
check`` last asked; the store's own tables say what it holds. Both the check (which prints it)
and the dashboard (which says it on every page) compare them here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: How each source is named to users (beside its newest year).
SOURCE_NAMES = {"kwb": "KWB", "flows": "CBS 81734NED", "boundaries": "PDOK", "bbga": "BBGA"}


@dataclass(frozen=True)
class Behind:
    """A source that offers a newer edition or year than the store holds."""

    source: str
    offered: int
    held: int | None
    checked_at: str

    @property
    def label(self) -> str:
        """ "KWB 2026", "PDOK 2026": what a user can get by updating the store."""
        return f"{SOURCE_NAMES.get(self.source, self.source)} {self.offered}"


def held_years(sources: pd.DataFrame, indicator_sources: pd.DataFrame) -> dict[str, int]:
    """The newest year the store holds per source: editions with published figures for the
    indicator sources (KWB, BBGA), years fetched for the others (flows, boundaries)."""
    fetched = sources[(sources["status"] == "ok") & sources["year"].notna()]
    newest = {str(s): int(y) for s, y in fetched.groupby("source")["year"].max().items()}
    published = indicator_sources[indicator_sources["status"] == "published"]
    newest.update({str(s): int(y) for s, y in published.groupby("source")["year"].max().items()})
    return newest


def behind(offered: pd.DataFrame, held: dict[str, int]) -> list[Behind]:
    """The sources whose newest offered year is past the store's, in a fixed order."""
    if offered.empty:
        return []
    out = []
    for source in SOURCE_NAMES:
        rows = offered[offered["source"] == source]
        if rows.empty:
            continue
        newest = rows.loc[rows["year"].idxmax()]
        have = held.get(source)
        if have is None or int(newest["year"]) > have:
            out.append(Behind(source, int(newest["year"]), have, str(newest["checked_at"])))
    return out
