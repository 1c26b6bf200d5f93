"""CBS table 81734NED: persons moving between municipalities, per calendar year.

Pulls every origin-destination pair within the region (current and merged municipalities)
and each region municipality's totals to and from the whole country (code NL01), 2011 onward.
The region dimension is read first so that filters use CBS's exact (padded) keys and an
unknown region code stops the build with a clear message. Years are fetched concurrently, one
filter per year (origin and destination both in the region or NL01), split over several
requests when the query string would pass the CBS limit; a year that fails is a gap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from geodata.config import Region
from pipelines import cbs_odata
from pipelines._http import HttpClient, Response
from pipelines.errors import PipelineError, SchemaError, UnknownRegionError
from pipelines.result import Gap, Provenance, SourceResult, is_test_data, provenance

SOURCE = "flows"
TABLE_ID = "81734NED"
MEASURE_STEM = "TussenGemeentenVerhuisdePersonen"
ORIGIN = "RegioVanVertrek"
DESTINATION = "RegioVanVestiging"
PERIODS = "Perioden"
NATIONAL_CODE = "NL01"


def parse_measure_key(properties: list[dict[str, Any]]) -> str:
    """The key of the 'moved persons' topic; checks both region dimensions exist."""
    keys = {p.get("Key") for p in properties}
    for dimension in (ORIGIN, DESTINATION, PERIODS):
        if dimension not in keys:
            raise SchemaError(
                f"CBS {TABLE_ID} has no dimension {dimension!r} (found: {sorted(k for k in keys if k)}). "
                "The table was redesigned; update pipelines/flows.py."
            )
    topics = cbs_odata.parse_topics(properties)
    found = topics[topics["stem"] == MEASURE_STEM]
    if len(found) != 1:
        raise SchemaError(
            f"CBS {TABLE_ID} has {len(found)} topics with stem {MEASURE_STEM!r} "
            f"(topics: {', '.join(topics['key'])}). Update MEASURE_STEM in pipelines/flows.py."
        )
    return str(found.iloc[0]["key"])


def padded_keys(dimension_rows: list[dict[str, Any]], codes: list[str]) -> dict[str, str]:
    """Map trimmed codes to the dimension's padded keys; raise for a code CBS does not have."""
    by_code = {str(r["Key"]).strip(): str(r["Key"]) for r in dimension_rows}
    missing = [c for c in codes if c not in by_code]
    if missing:
        raise UnknownRegionError(
            f"CBS {TABLE_ID} dimension {ORIGIN} has no region {', '.join(missing)}. Check the codes "
            "in geodata/region.toml against the table's region list on StatLine."
        )
    return {c: by_code[c] for c in codes}


def region_names(dimension_rows: list[dict[str, Any]], codes: list[str]) -> pd.DataFrame:
    """Names of the given codes from the region dimension (table `flow_regions`)."""
    titles = {str(r["Key"]).strip(): str(r.get("Title") or "").strip() for r in dimension_rows}
    return pd.DataFrame({"code": codes, "name": [titles.get(c, c) for c in codes]})


def flow_parts(
    period_key: str, region_keys: list[str], national_key: str
) -> tuple[cbs_odata.AnyOf, ...]:
    """One year's moves with origin and destination both among the region and NL01.

    That is the pairs within the region, each region municipality to and from the whole
    country, and NL01 to NL01 (dropped by `normalise_flows`). One conjunction, which
    `cbs_odata.split_filter` can split when the region grows.
    """
    codes = (*region_keys, national_key)
    return (
        cbs_odata.AnyOf(PERIODS, (period_key,)),
        cbs_odata.AnyOf(ORIGIN, codes),
        cbs_odata.AnyOf(DESTINATION, codes),
    )


def normalise_flows(rows: pd.DataFrame, measure_key: str, region: Region) -> pd.DataFrame:
    """TypedDataSet rows into (year, origin_code, destination_code, persons).

    Drops structural empties: origin equal to destination, and municipalities in years they
    did not exist (CBS leaves those cells empty). Other empty cells stay missing, never 0.
    """
    if rows.empty:
        return pd.DataFrame({"year": [], "origin_code": [], "destination_code": [], "persons": []})
    rows = cbs_odata.strip_keys(rows, [ORIGIN, DESTINATION, PERIODS])
    annual = rows[rows[PERIODS].str.endswith("JJ00")]
    out = pd.DataFrame(
        {
            "year": annual[PERIODS].str[:4].astype("int64"),
            "origin_code": annual[ORIGIN],
            "destination_code": annual[DESTINATION],
            "persons": pd.to_numeric(annual[measure_key], errors="coerce").astype(float),
        }
    )
    gemeenten = {g.code: g for g in region.all_gemeenten}

    def existed(code: str, year: int) -> bool:
        g = gemeenten.get(code)
        return g is None or g.in_flow_year(year)

    keep = [
        o != d and existed(o, y) and existed(d, y)
        for o, d, y in zip(out["origin_code"], out["destination_code"], out["year"], strict=True)
    ]
    return out[keep].sort_values(["year", "origin_code", "destination_code"], ignore_index=True)


def fetch_year(
    http: HttpClient, base: str, measure_key: str, parts: tuple[cbs_odata.AnyOf, ...]
) -> list[Response]:
    """The pages of one year's moves, over as many requests as the query-string limit needs."""
    url = cbs_odata.feed_url(base, TABLE_ID, "TypedDataSet")
    params = {"$select": f"{ORIGIN},{DESTINATION},{PERIODS},{measure_key}"}
    pages: list[Response] = []
    for text in cbs_odata.split_filter(url, params, parts):
        pages += cbs_odata.fetch_feed(http, url, {**params, "$filter": text})
    return pages


def available_years(
    period_pages: list[Response], years: list[int]
) -> tuple[dict[int, str], list[int]]:
    """The padded period key of each wanted year CBS has, and the wanted years it lacks."""
    period_keys = {str(r["Key"]).strip(): str(r["Key"]) for r in cbs_odata.rows_of(period_pages)}
    found = {y: period_keys[f"{y}JJ00"] for y in years if f"{y}JJ00" in period_keys}
    return found, [y for y in years if y not in found]


@dataclass
class TableMeta:
    """What 81734NED says about itself: title, measure key, region and period dimensions."""

    test: bool
    measure_key: str
    dimension: list[dict[str, Any]]  # the rows of the region dimension
    keys: dict[str, str]  # padded key per region code (the region's and NL01)
    responses: list[Provenance]
    period_pages: list[Response]


def fetch_meta(http: HttpClient, base: str, codes: list[str]) -> TableMeta:
    """The table's metadata: four small requests before the figures."""
    infos = cbs_odata.fetch_table_infos(http, base, TABLE_ID)
    test = is_test_data(cbs_odata.table_title(infos))
    dp_pages = cbs_odata.fetch_data_properties(http, base, TABLE_ID)
    listing = {"$select": "Key,Title"}
    dim_pages = cbs_odata.fetch_feed(http, cbs_odata.feed_url(base, TABLE_ID, ORIGIN), listing)
    period_pages = cbs_odata.fetch_feed(http, cbs_odata.feed_url(base, TABLE_ID, PERIODS), listing)
    dimension = cbs_odata.rows_of(dim_pages)
    responses = provenance(SOURCE, TABLE_ID, "TableInfos", None, [infos], test)
    responses += provenance(SOURCE, TABLE_ID, "DataProperties", None, dp_pages, test)
    responses += provenance(SOURCE, TABLE_ID, ORIGIN, None, dim_pages, test)
    responses += provenance(SOURCE, TABLE_ID, PERIODS, None, period_pages, test)
    return TableMeta(
        test,
        parse_measure_key(cbs_odata.rows_of(dp_pages)),
        dimension,
        padded_keys(dimension, codes),
        responses,
        period_pages,
    )


def missing_year(year: int) -> Gap:
    """A year the table has no period for (not published yet, or before the table starts)."""
    return Gap(
        SOURCE,
        TABLE_ID,
        "TypedDataSet",
        year,
        "fetch_failed",
        f"CBS {TABLE_ID} has no figures for {year} (no period {year}JJ00).",
        "choose years within the table's periods with --years, or rerun once CBS publishes it.",
    )


def run(
    http: HttpClient,
    base: str,
    region: Region,
    years: list[int],
    progress: Callable[[], None] | None = None,
) -> SourceResult:
    """Pull 81734NED for the region and `years`; a year that fails or is absent is a gap."""
    codes = list(region.all_codes)
    meta = fetch_meta(http, base, [*codes, NATIONAL_CODE])
    wanted, missing = available_years(meta.period_pages, years)

    def fetch(year: int) -> list[Response] | Gap:
        keys = meta.keys
        parts = flow_parts(wanted[year], [keys[c] for c in codes], keys[NATIONAL_CODE])
        try:
            return fetch_year(http, base, meta.measure_key, parts)
        except PipelineError as exc:
            return Gap.fetch_failed(SOURCE, exc, TABLE_ID, year, "TypedDataSet")

    per_year = dict(zip(wanted, http.map(fetch, list(wanted), progress=progress), strict=True))
    fetched = {y: p for y, p in per_year.items() if not isinstance(p, Gap)}
    rows = pd.DataFrame([row for pages in fetched.values() for row in cbs_odata.rows_of(pages)])
    responses = meta.responses + [
        p
        for year, pages in fetched.items()
        for p in provenance(SOURCE, TABLE_ID, "TypedDataSet", year, pages, meta.test)
    ]
    return SourceResult(
        source=SOURCE,
        years=tuple(years),
        tables={
            "flows": normalise_flows(rows, meta.measure_key, region),
            "flow_regions": region_names(meta.dimension, [*codes, NATIONAL_CODE]),
        },
        provenance=responses,
        gaps=[missing_year(y) for y in missing]
        + [g for g in per_year.values() if isinstance(g, Gap)],
    )
