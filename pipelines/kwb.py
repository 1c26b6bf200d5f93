"""CBS "Kerncijfers wijken en buurten" (KWB), one table per year, into indicator values.

Per KWB edition: find the table id in the CBS catalog (checked against a known list), read its
DataProperties, map topic keys to canonical indicators by key stem (see `indicators.toml`),
and pull only the needed columns for the region's gemeenten, wijken and buurten (plus the
national row NL00 as reference) with ``$select`` and ``$filter``. Editions are fetched
concurrently. Suppressed values (null) stay missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata import store
from geodata.catalogue import Indicator
from geodata.config import Region
from pipelines import cbs_odata
from pipelines._http import HttpClient, Response
from pipelines.errors import SchemaError, UnknownRegionError, UnknownTableError

KWB_TITLE = "Kerncijfers wijken en buurten"
NATIONAL_CODE = "NL00"

#: Table ids as published by CBS; checked against the live catalog on every build.
KNOWN_TABLES: dict[int, str] = {
    2015: "83220NED",
    2016: "83487NED",
    2017: "83765NED",
    2018: "84286NED",
    2019: "84583NED",
    2020: "84799NED",
    2021: "85039NED",
    2022: "85318NED",
    2023: "85618NED",
    2024: "85984NED",
    2025: "86165NED",
}

_TITLE_YEAR = re.compile(rf"^{KWB_TITLE}\s+((?:19|20)\d{{2}})\s*$", re.IGNORECASE)
_CODE = re.compile(r"^(NL\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")

SOURCE_COLUMNS = list(store.SCHEMA["indicator_sources"])


# -- catalog ---------------------------------------------------------------------------------


def parse_kwb_catalog(entries: list[dict]) -> pd.DataFrame:
    """KWB tables per edition year from catalog entries (columns year, table_id, title)."""
    rows = []
    for entry in entries:
        title = (entry.get("ShortTitle") or entry.get("Title") or "").strip()
        match = _TITLE_YEAR.match(title)
        if match:
            rows.append(
                {
                    "year": int(match.group(1)),
                    "table_id": entry["Identifier"].strip(),
                    "title": title,
                }
            )
    return pd.DataFrame(rows, columns=["year", "table_id", "title"]).sort_values(
        "year", ignore_index=True
    )


def resolve_table_ids(
    years: list[int], catalog: pd.DataFrame, known: dict[int, str] = KNOWN_TABLES
) -> dict[int, str]:
    """The table id per year, from the catalog; the known list is checked against it."""
    by_year = dict(zip(catalog["year"], catalog["table_id"], strict=True))
    out = {}
    for year in years:
        table_id = by_year.get(year)
        if table_id is None:
            available = ", ".join(f"{y} ({t})" for y, t in sorted(by_year.items())) or "none"
            raise UnknownTableError(
                f"No '{KWB_TITLE} {year}' table in the CBS catalog (KWB editions found: {available}). "
                f"CBS may not have published {year} yet; choose years with --years, e.g. --years "
                f"{min(by_year, default=2015)}-{max(by_year, default=2024)}."
            )
        if year in known and known[year].upper() != table_id.upper():
            raise UnknownTableError(
                f"The CBS catalog lists table {table_id} for KWB {year}, but the known list in "
                f"pipelines/kwb.py says {known[year]}. CBS may have replaced the table; check it on "
                "StatLine and update KNOWN_TABLES."
            )
        out[year] = table_id
    return out


# -- column mapping --------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnPlan:
    """Which CBS keys to select for one edition and how they map to indicators."""

    year: int
    table_id: str
    mapping: pd.DataFrame  # indicator, cbs_key, per_key, scale
    sources: pd.DataFrame  # SOURCE_COLUMNS

    @property
    def keys(self) -> list[str]:
        keys = list(self.mapping["cbs_key"]) + [
            k for k in self.mapping["per_key"] if isinstance(k, str)
        ]
        return list(dict.fromkeys(keys))


def _find_key(
    by_stem: dict[str, list[dict]],
    stem: str,
    table_id: str,
    year: int,
    indicator: str,
    topic_group: str | None = None,
) -> dict:
    found = by_stem.get(stem, [])
    if topic_group is not None and len(found) > 1:
        found = [t for t in found if t["group_title"] == topic_group]
    if not found:
        close = sorted(s for s in by_stem if s[:8].lower() == stem[:8].lower())
        hint = f" Similar stems in this table: {', '.join(close)}." if close else ""
        raise SchemaError(
            f"KWB {year} (table {table_id}) has no column with stem {stem!r}, which indicator "
            f"{indicator!r} needs.{hint} CBS may have renamed the column; update its stem for "
            f"{year} in geodata/indicators.toml."
        )
    if len(found) > 1:
        raise SchemaError(
            f"KWB {year} (table {table_id}) has several columns with stem {stem!r}: "
            f"{', '.join(t['key'] for t in found)} (topic groups: "
            f"{', '.join(t['group_title'] for t in found)}). Add topic_group to this source in "
            "geodata/indicators.toml."
        )
    return found[0]


def plan_columns(
    topics: pd.DataFrame, indicators: tuple[Indicator, ...], year: int, table_id: str
) -> ColumnPlan:
    """Map the catalogue's stems to this edition's keys; check each unit.

    Indicators with no stem for `year` are recorded with status ``not_published``.
    """
    mapping, sources = [], []
    by_stem: dict[str, list[dict]] = {}
    for topic in topics.to_dict("records"):
        by_stem.setdefault(topic["stem"], []).append(topic)
    for ind in indicators:
        source = ind.source_for(year)
        if source is None:
            sources.append(
                {"indicator": ind.id, "year": year, "status": "not_published", "table_id": table_id}
                | dict.fromkeys(["cbs_key", "cbs_title", "cbs_unit", "reference_period"])
            )
            continue
        topic = _find_key(by_stem, source.stem, table_id, year, ind.id, source.topic_group)
        if topic["unit"] != source.unit:
            raise SchemaError(
                f"KWB {year} (table {table_id}) column {topic['key']} has unit {topic['unit']!r}, but "
                f"indicator {ind.id!r} expects {source.unit!r}. CBS changed the unit; adjust the "
                f"source for {year} in geodata/indicators.toml (e.g. add per/scale for a count)."
            )
        per_key = None
        cbs_key, cbs_title = topic["key"], topic["title"]
        if source.per:
            per = _find_key(by_stem, source.per, table_id, year, ind.id)
            per_key = per["key"]
            cbs_key = f"{topic['key']} / {per_key} * {source.scale:g}"
            cbs_title = f"{topic['title']} / {per['title']} * {source.scale:g}"
        mapping.append(
            {
                "indicator": ind.id,
                "cbs_key": topic["key"],
                "per_key": per_key,
                "scale": source.scale,
            }
        )
        sources.append(
            {
                "indicator": ind.id,
                "year": year,
                "status": "published",
                "table_id": table_id,
                "cbs_key": cbs_key,
                "cbs_title": cbs_title,
                "cbs_unit": topic["unit"],
                "reference_period": cbs_odata.parse_reference_period(
                    topic["description"], topic["title"], topic["group_title"]
                ),
            }
        )
    return ColumnPlan(
        year=year,
        table_id=table_id,
        mapping=pd.DataFrame(mapping, columns=["indicator", "cbs_key", "per_key", "scale"]),
        sources=pd.DataFrame(sources, columns=SOURCE_COLUMNS),
    )


def region_filter(gemeente_codes: list[str], include_national: bool = True) -> str:
    """OData $filter that selects at least the gemeenten, their wijken and buurten.

    One ``substringof`` per municipality (its four digits) instead of three ``startswith``
    clauses: a third of the work for the service. It can also match codes of other
    municipalities that contain those digits elsewhere; `keep_region_rows` drops those.
    """
    clauses = [f"substringof('{NATIONAL_CODE}',WijkenEnBuurten)"] if include_national else []
    clauses += [f"substringof('{code[2:]}',WijkenEnBuurten)" for code in gemeente_codes]
    return " or ".join(clauses)


def keep_region_rows(rows: pd.DataFrame, gemeente_codes: list[str]) -> pd.DataFrame:
    """Rows of the country (NL00) and of the given gemeenten, their wijken and buurten only."""
    codes = rows["WijkenEnBuurten"]
    digits = {code[2:] for code in gemeente_codes}
    keep = (codes == NATIONAL_CODE) | codes.str[2:6].isin(digits)
    return rows[keep].reset_index(drop=True)


# -- normalise -------------------------------------------------------------------------------


def check_region_codes(
    rows: pd.DataFrame, expected_gemeenten: list[str], year: int, table_id: str
) -> None:
    """Every code must be a CBS code and every expected gemeente must be present."""
    codes = rows["WijkenEnBuurten"].astype(str)
    bad = list(codes[~codes.str.match(_CODE.pattern)])
    if bad:
        raise UnknownRegionError(
            f"KWB {year} (table {table_id}) returned region codes {bad[:5]} that are not CBS "
            "NL/GM/WK/BU codes. The table layout may have changed; inspect it on StatLine."
        )
    present = set(rows["WijkenEnBuurten"])
    missing = [c for c in expected_gemeenten if c not in present]
    if missing:
        raise UnknownRegionError(
            f"KWB {year} (table {table_id}) has no rows for {', '.join(missing)}. The code is wrong "
            "or the municipality did not exist on 1 January of that year; fix geodata/region.toml "
            "(codes, merged municipalities and their dates)."
        )


def _numeric(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def normalise_kwb(rows: pd.DataFrame, plan: ColumnPlan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Wide KWB rows into long indicator values, and the indicator_sources rows.

    Returns (values with columns area_code, year, indicator, value; sources). Indicators whose
    column is empty in the whole table get status ``empty_in_table`` and no values.
    """
    rows = cbs_odata.strip_keys(rows, ["WijkenEnBuurten"])
    missing = [k for k in plan.keys if k not in rows.columns]
    if missing:
        raise SchemaError(
            f"KWB {plan.year} (table {plan.table_id}) response lacks columns {missing}. "
            "The $select was not honoured or the table changed; rerun with --force."
        )
    sources = plan.sources.copy()
    columns = {key: _numeric(rows[key]) for key in plan.keys}
    indicators, blocks = [], []
    with np.errstate(divide="ignore", invalid="ignore"):
        for item in plan.mapping.itertuples(index=False):
            value = columns[item.cbs_key]
            if isinstance(item.per_key, str):
                denominator = columns[item.per_key]
                value = np.round(
                    np.where(denominator > 0, value / denominator * item.scale, np.nan), 2
                )
            if np.isnan(value).all():
                sources.loc[sources["indicator"] == item.indicator, "status"] = "empty_in_table"
                continue
            indicators.append(item.indicator)
            blocks.append(value)
    codes = rows["WijkenEnBuurten"].to_numpy(dtype=object)
    values = pd.DataFrame(
        {
            "area_code": np.tile(codes, len(blocks)),
            "year": np.full(len(codes) * len(blocks), plan.year, dtype="int64"),
            "indicator": np.repeat(np.array(indicators, dtype=object), len(codes)),
            "value": np.concatenate(blocks) if blocks else np.array([], dtype=float),
        }
    )
    return values, sources


# -- I/O and entry point ---------------------------------------------------------------------


@dataclass
class KwbResult:
    values: pd.DataFrame
    indicator_sources: pd.DataFrame
    responses: list[tuple[str, int, Response, int]]  # dataset, year, response, rows


def fetch_table_ids(
    http: HttpClient, base: str, years: list[int]
) -> tuple[dict[int, str], Response]:
    pages = cbs_odata.fetch_catalog(http, base, KWB_TITLE)
    catalog = parse_kwb_catalog(cbs_odata.rows_of(pages))
    return resolve_table_ids(years, catalog), pages[0]


def fetch_edition(
    http: HttpClient,
    base: str,
    year: int,
    table_id: str,
    region: Region,
    indicators: tuple[Indicator, ...],
) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[str, int, Response, int]]]:
    """Fetch and normalise one KWB edition."""
    dp_pages = cbs_odata.fetch_data_properties(http, base, table_id)
    topics = cbs_odata.parse_topics(cbs_odata.rows_of(dp_pages))
    plan = plan_columns(topics, indicators, year, table_id)
    gemeenten = [g.code for g in region.gemeenten_in_kwb_year(year)]
    pages = cbs_odata.fetch_feed(
        http,
        cbs_odata.feed_url(base, table_id, "TypedDataSet"),
        {"$filter": region_filter(gemeenten), "$select": ",".join(["WijkenEnBuurten", *plan.keys])},
    )
    rows = pd.DataFrame(cbs_odata.rows_of(pages))
    if rows.empty:
        raise UnknownRegionError(
            f"KWB {year} (table {table_id}) returned no rows for the region. Check the codes in "
            "geodata/region.toml."
        )
    rows = cbs_odata.strip_keys(rows, ["WijkenEnBuurten"])
    check_region_codes(rows, gemeenten, year, table_id)
    rows = keep_region_rows(rows, gemeenten)
    values, sources = normalise_kwb(rows, plan)
    responses = [(f"{table_id} DataProperties", year, p, len(p.data["value"])) for p in dp_pages]
    responses += [(f"{table_id} TypedDataSet", year, p, len(p.data["value"])) for p in pages]
    return values, sources, responses


def run(
    http: HttpClient,
    base: str,
    region: Region,
    years: list[int],
    indicators: tuple[Indicator, ...],
    progress=None,
) -> KwbResult:
    """Pull every requested KWB edition (concurrently) into long indicator values.

    Editions in the known list are fetched at once, concurrently with the catalog; the catalog
    is then checked against the ids used, so a replaced or missing table still stops the build.
    Years missing from the known list wait for the catalog.
    """
    catalog_pages: list[Response] = []

    def table_id_for(year: int) -> str:
        if year in KNOWN_TABLES:
            return KNOWN_TABLES[year]
        return fetch_table_ids(http, base, [year])[0][year]

    def work(year: int | None):
        if year is None:
            catalog_pages.extend(cbs_odata.fetch_catalog(http, base, KWB_TITLE))
            return None
        return fetch_edition(http, base, year, table_id_for(year), region, indicators)

    results = http.map(work, [None, *years], progress=progress)[1:]
    resolved = resolve_table_ids(years, parse_kwb_catalog(cbs_odata.rows_of(catalog_pages)))
    for year in years:
        if resolved[year].upper() != table_id_for(year).upper():  # pragma: no cover - guarded above
            raise UnknownTableError(
                f"KWB {year}: catalog lists {resolved[year]}, fetched {table_id_for(year)}."
            )
    values = pd.concat([r[0] for r in results], ignore_index=True)
    sources = pd.concat([r[1] for r in results], ignore_index=True)
    responses = [("CBS catalog (KWB tables)", 0, p, len(p.data["value"])) for p in catalog_pages]
    for r in results:
        responses += r[2]
    return KwbResult(values=values, indicator_sources=sources, responses=responses)
