"""CBS table 81734NED: persons moving between municipalities, per calendar year.

Pulls every origin-destination pair within the region (current and merged municipalities)
and each region municipality's totals to and from the whole country (code NL01), 2011 onward.
The region dimension is read first so that filters use CBS's exact (padded) keys and an
unknown region code stops the build with a clear message. Years are fetched concurrently.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geodata.config import Region
from pipelines import cbs_odata
from pipelines._http import HttpClient, Response
from pipelines.errors import SchemaError, UnknownRegionError

TABLE_ID = "81734NED"
MEASURE_STEM = "TussenGemeentenVerhuisdePersonen"
ORIGIN = "RegioVanVertrek"
DESTINATION = "RegioVanVestiging"
PERIODS = "Perioden"
NATIONAL_CODE = "NL01"


def parse_measure_key(properties: list[dict]) -> str:
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


def padded_keys(dimension_rows: list[dict], codes: list[str]) -> dict[str, str]:
    """Map trimmed codes to the dimension's padded keys; raise for a code CBS does not have."""
    by_code = {str(r["Key"]).strip(): str(r["Key"]) for r in dimension_rows}
    missing = [c for c in codes if c not in by_code]
    if missing:
        raise UnknownRegionError(
            f"CBS {TABLE_ID} dimension {ORIGIN} has no region {', '.join(missing)}. Check the codes "
            "in geodata/region.toml against the table's region list on StatLine."
        )
    return {c: by_code[c] for c in codes}


def region_names(dimension_rows: list[dict], codes: list[str]) -> pd.DataFrame:
    """Names of the given codes from the region dimension (table `flow_regions`)."""
    titles = {str(r["Key"]).strip(): str(r.get("Title") or "").strip() for r in dimension_rows}
    return pd.DataFrame({"code": codes, "name": [titles.get(c, c) for c in codes]})


def flow_filter(period_key: str, region_keys: list[str], national_key: str) -> str:
    """Pairs within the region, plus each region municipality to and from NL01, in one period."""

    def any_of(field: str, keys: list[str]) -> str:
        return "(" + " or ".join(f"{field} eq '{k}'" for k in keys) + ")"

    within = (
        f"{any_of(ORIGIN, region_keys)} and {any_of(DESTINATION, [*region_keys, national_key])}"
    )
    inbound = f"{ORIGIN} eq '{national_key}' and {any_of(DESTINATION, region_keys)}"
    return f"{PERIODS} eq '{period_key}' and (({within}) or ({inbound}))"


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


@dataclass
class FlowsResult:
    flows: pd.DataFrame
    regions: pd.DataFrame
    responses: list[tuple[str, int, Response, int]]


def run(
    http: HttpClient, base: str, region: Region, years: list[int], progress=None
) -> FlowsResult:
    """Pull 81734NED for the region and `years`."""
    dp_pages = cbs_odata.fetch_data_properties(http, base, TABLE_ID)
    measure_key = parse_measure_key(cbs_odata.rows_of(dp_pages))
    dim_pages = cbs_odata.fetch_feed(
        http, cbs_odata.feed_url(base, TABLE_ID, ORIGIN), {"$select": "Key,Title"}
    )
    dimension = cbs_odata.rows_of(dim_pages)
    codes = list(region.all_codes)
    keys = padded_keys(dimension, [*codes, NATIONAL_CODE])
    period_pages = cbs_odata.fetch_feed(
        http, cbs_odata.feed_url(base, TABLE_ID, PERIODS), {"$select": "Key,Title"}
    )
    period_keys = {str(r["Key"]).strip(): str(r["Key"]) for r in cbs_odata.rows_of(period_pages)}
    wanted = [y for y in years if f"{y}JJ00" in period_keys]
    missing_years = [y for y in years if y not in wanted]
    if missing_years:
        raise SchemaError(
            f"CBS {TABLE_ID} has no figures for {', '.join(map(str, missing_years))} "
            f"(periods available: {min(period_keys)[:4]}-{max(period_keys)[:4]}). Choose years within that range."
        )

    def fetch_year(year: int) -> list[Response]:
        return cbs_odata.fetch_feed(
            http,
            cbs_odata.feed_url(base, TABLE_ID, "TypedDataSet"),
            {
                "$filter": flow_filter(
                    period_keys[f"{year}JJ00"], [keys[c] for c in codes], keys[NATIONAL_CODE]
                ),
                "$select": f"{ORIGIN},{DESTINATION},{PERIODS},{measure_key}",
            },
        )

    per_year = http.map(fetch_year, wanted, progress=progress)
    rows = pd.DataFrame([row for pages in per_year for row in cbs_odata.rows_of(pages)])
    flows = normalise_flows(rows, measure_key, region)
    responses = [(f"{TABLE_ID} DataProperties", 0, p, len(p.data["value"])) for p in dp_pages]
    responses += [(f"{TABLE_ID} {ORIGIN}", 0, p, len(p.data["value"])) for p in dim_pages]
    responses += [(f"{TABLE_ID} {PERIODS}", 0, p, len(p.data["value"])) for p in period_pages]
    for year, pages in zip(wanted, per_year, strict=True):
        responses += [(f"{TABLE_ID} TypedDataSet", year, p, len(p.data["value"])) for p in pages]
    return FlowsResult(
        flows=flows, regions=region_names(dimension, [*codes, NATIONAL_CODE]), responses=responses
    )
