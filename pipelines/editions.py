"""Which editions the services offer today, so that a build pulls them without a config change.

The CBS catalog is the source of truth for the KWB editions (a table per edition, its id and
when CBS last modified it); the ``Perioden`` dimension of 81734NED for its years. Both are
asked of the service at every build (`HttpClient` ``fresh``: the response cache answers only
when the service cannot be reached). PDOK and the BBGA follow the KWB editions: a year PDOK
does not serve is a gap of that year, not a failed build.

When the catalog cannot be read at all, the table ids this project knows (`KNOWN_TABLES`) stand
in, with a warning. A catalog that disagrees with them, or lacks a known edition older than its
newest, wins with a warning: only what the catalog lists is pulled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from geodata import schema
from geodata.config import Region
from pipelines import cbs_odata, flows, kwb
from pipelines._http import HttpClient, Response
from pipelines.errors import PipelineError
from pipelines.kwb import KwbEdition


@dataclass
class Offers:
    """What the services offer: KWB editions by year and 81734NED's years."""

    kwb: dict[int, KwbEdition] = field(default_factory=dict)
    flow_years: list[int] = field(default_factory=list)
    catalog_pages: list[Response] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked_at: str = ""
    #: The sources whose offers were asked of the service (not stood in for).
    asked: set[str] = field(default_factory=set)

    @property
    def newest_kwb(self) -> int | None:
        return max(self.kwb, default=None)

    @property
    def newest_flow_year(self) -> int | None:
        return max(self.flow_years, default=None)

    def rows(self) -> list[tuple[str, int, str, str, str | None]]:
        """(source, year, table id, title, modified) of every edition asked of a service."""
        rows: list[tuple[str, int, str, str, str | None]] = []
        if kwb.SOURCE in self.asked:
            rows += [
                (kwb.SOURCE, e.year, e.table_id, e.title, e.modified) for e in self.kwb.values()
            ]
        if flows.SOURCE in self.asked:
            rows += [(flows.SOURCE, y, flows.TABLE_ID, "", None) for y in self.flow_years]
        return rows


def offered_table(
    existing: pd.DataFrame | None,
    offers: Offers,
    checked_by: str,
    extra: Sequence[tuple[Any, ...]] = (),
) -> pd.DataFrame:
    """The store's `service_editions`: what each service offered when last asked.

    The rows of the sources asked now (`offers`, plus `extra` rows of other sources that a
    check asked) replace their earlier rows; the other sources' rows stay.
    """
    rows = offers.rows() + list(extra)
    fresh = pd.DataFrame(rows, columns=["source", "year", "table_id", "title", "modified"])
    fresh = fresh.assign(checked_at=offers.checked_at, checked_by=checked_by)
    if existing is not None and len(existing):
        kept = existing[~existing["source"].isin(set(fresh["source"]))]
        fresh = pd.concat([kept, fresh], ignore_index=True) if len(kept) else fresh
    columns = list(schema.SCHEMA["service_editions"])
    return fresh[columns].sort_values(["source", "year"], ignore_index=True)


def kwb_editions(catalog: pd.DataFrame, modified: dict[str, str]) -> dict[int, KwbEdition]:
    """The catalog's KWB tables (from `kwb.parse_kwb_catalog`) as editions by year."""
    return {
        int(row.year): KwbEdition(
            int(row.year), str(row.table_id), str(row.title), modified.get(str(row.table_id))
        )
        for row in catalog.itertuples(index=False)
    }


def known_editions(region: Region) -> dict[int, KwbEdition]:
    """The table ids this project knows, within the region's range: the stand-in for a catalog
    that cannot be read."""
    return {
        year: KwbEdition(year, table_id, f"{kwb.KWB_TITLE} {year}")
        for year, table_id in kwb.KNOWN_TABLES.items()
        if year in region.kwb_years_within(kwb.KNOWN_TABLES)
    }


def period_years(period_rows: list[dict[str, Any]]) -> list[int]:
    """Calendar years (``2024JJ00``) of an 81734NED ``Perioden`` listing."""
    keys = (str(r.get("Key") or "").strip() for r in period_rows)
    return sorted(
        int(k[:4]) for k in keys if len(k) == 8 and k.endswith("JJ00") and k[:4].isdigit()
    )


def _modified(pages: list[Response]) -> dict[str, str]:
    return {
        str(r.get("Identifier") or "").strip(): str(r["Modified"])
        for r in cbs_odata.rows_of(pages)
        if r.get("Modified")
    }


def discover_kwb(http: HttpClient, base: str, region: Region, offers: Offers) -> None:
    """Fill `offers.kwb` from the CBS catalog (or the known ids, with a warning)."""
    try:
        offers.catalog_pages = cbs_odata.fetch_catalog(http, base, kwb.KWB_TITLE)
    except PipelineError as exc:
        offers.kwb = known_editions(region)
        offers.warnings.append(
            f"The CBS catalog could not be read ({exc}); the KWB editions this project knows "
            f"({', '.join(map(str, offers.kwb))}) were used unchecked, so a newer edition may be "
            "missing. Rerun when CBS can be reached."
        )
        return
    offers.asked.add(kwb.SOURCE)
    catalog = kwb.parse_kwb_catalog(cbs_odata.rows_of(offers.catalog_pages))
    offers.kwb = kwb_editions(catalog, _modified(offers.catalog_pages))
    newest = max(offers.kwb, default=0)
    offers.warnings += kwb.check_known_tables(
        [y for y in known_editions(region) if y <= newest], catalog
    )


def discover_flows(http: HttpClient, base: str, offers: Offers) -> None:
    """Fill `offers.flow_years` from 81734NED's periods (a warning when they cannot be read)."""
    url = cbs_odata.feed_url(base, flows.TABLE_ID, flows.PERIODS)
    try:
        pages = cbs_odata.fetch_feed(http, url, {"$select": "Key,Title"}, fresh=True)
    except PipelineError as exc:
        offers.warnings.append(
            f"The periods of CBS {flows.TABLE_ID} could not be read ({exc}); no moves were pulled."
        )
        return
    offers.flow_years = period_years(cbs_odata.rows_of(pages))
    offers.asked.add(flows.SOURCE)


def discover(http: HttpClient, base: str, region: Region, sources: tuple[str, ...]) -> Offers:
    """Ask CBS what it offers now (concurrently) for the sources that need it."""
    offers = Offers(checked_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat())
    jobs = []
    if {kwb.SOURCE, "boundaries", "bbga"} & set(sources):
        jobs.append(lambda: discover_kwb(http, base, region, offers))
    if flows.SOURCE in sources:
        jobs.append(lambda: discover_flows(http, base, offers))
    http.map(lambda job: job(), jobs)
    return offers
