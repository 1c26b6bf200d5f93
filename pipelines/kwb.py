"""CBS "Kerncijfers wijken en buurten" (KWB), one table per year, into indicator values.

Per KWB edition: find the table id (a known list, checked against the CBS catalog), read its
TableInfos (is it test data?) and DataProperties, map topic keys to canonical indicators by
key stem (see `indicators.toml`), and pull only the needed columns for the region's gemeenten,
wijken and buurten (plus the national row NL00 as reference) with ``$select`` and ``$filter``,
split over several requests where the query string would be too long. Editions are fetched
concurrently. Suppressed values (null) stay missing.

A column that an edition lacks, or whose unit changed, is a gap for that indicator and edition;
an edition that cannot be fetched is a gap for all its indicators. Gaps are returned, never
raised, so the rest of the build goes on (see `pipelines.result`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geodata import schema
from geodata.catalogue import Indicator, StemSource
from geodata.config import Region
from pipelines import cbs_odata
from pipelines._http import HttpClient, Response
from pipelines.errors import PipelineError, SchemaError, UnknownRegionError
from pipelines.result import (
    Gap,
    Provenance,
    SourceResult,
    is_test_data,
    provenance,
    source_row,
)

SOURCE = "kwb"
KWB_TITLE = "Kerncijfers wijken en buurten"
NATIONAL_CODE = "NL00"
REGION_KEY = "WijkenEnBuurten"

#: Table ids as published by CBS. The CBS catalog decides which editions a build pulls (see
#: `pipelines.editions`); these stand in when the catalog cannot be read, and the catalog is
#: checked against them (a disagreement is a warning, and the catalog's id is used).
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
    2026: "86358NED",
}

# "Kerncijfers wijken en buurten 2019", optionally followed by a bracketed or parenthesised note.
_TITLE_YEAR = re.compile(
    rf"^\s*{KWB_TITLE}\s+((?:19|20)\d{{2}})\s*(?:[\[(].*)?$", re.IGNORECASE | re.DOTALL
)
_CODE = re.compile(r"^(NL\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")

SOURCE_COLUMNS = list(schema.SCHEMA["indicator_sources"])


# -- catalog ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KwbEdition:
    """One KWB edition the CBS catalog lists."""

    year: int
    table_id: str
    title: str
    modified: str | None = None  # when CBS last changed the table (catalog ``Modified``)


def cbs_indicators(indicators: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
    """The catalogue's indicators that come from KWB tables (not from a municipality)."""
    return tuple(i for i in indicators if i.kind == "cbs")


def parse_kwb_catalog(entries: list[dict[str, Any]]) -> pd.DataFrame:
    """KWB tables per edition year from catalog entries (columns year, table_id, title).

    An entry counts when its Title or its ShortTitle reads "Kerncijfers wijken en buurten
    YYYY" (a trailing note in brackets is allowed).
    """
    rows = []
    for entry in entries:
        for title in (entry.get("Title"), entry.get("ShortTitle")):
            match = _TITLE_YEAR.match(str(title or ""))
            if match:
                rows.append(
                    {
                        "year": int(match.group(1)),
                        "table_id": str(entry["Identifier"]).strip(),
                        "title": str(entry.get("Title") or title).strip(),
                    }
                )
                break
    frame = pd.DataFrame(rows, columns=["year", "table_id", "title"])
    return frame.drop_duplicates("year", keep="last").sort_values("year", ignore_index=True)


def check_known_tables(
    years: list[int], catalog: pd.DataFrame, known: dict[int, str] = KNOWN_TABLES
) -> list[str]:
    """Warnings where the catalog disagrees with the known table ids (never a stop)."""
    by_year = dict(zip(catalog["year"], catalog["table_id"], strict=True))
    warnings = []
    for year in years:
        listed, expected = by_year.get(year), known.get(year)
        if expected is None:
            continue
        if listed is None:
            warnings.append(
                f"KWB {year}: the CBS catalog does not list table {expected} (the known id in "
                "pipelines/kwb.py KNOWN_TABLES), so this edition was not pulled (the store keeps "
                "what it had). Check StatLine for a replacement table."
            )
        elif listed.upper() != expected.upper():
            warnings.append(
                f"KWB {year}: the CBS catalog lists table {listed}, the known list in "
                f"pipelines/kwb.py says {expected}; the catalog's {listed} was used. CBS may have "
                "replaced the table; check it on StatLine and update KNOWN_TABLES."
            )
    return warnings


# -- column mapping --------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnPlan:
    """Which CBS keys to select for one edition, how they map to indicators, and the gaps."""

    year: int
    table_id: str
    mapping: pd.DataFrame  # indicator, cbs_keys (one, or the parts of a sum), per_key, scale
    sources: pd.DataFrame  # SOURCE_COLUMNS
    gaps: tuple[Gap, ...] = field(default_factory=tuple)

    @property
    def keys(self) -> list[str]:
        keys = [k for keys in self.mapping["cbs_keys"] for k in keys] + [
            k for k in self.mapping["per_key"] if isinstance(k, str)
        ]
        return list(dict.fromkeys(keys))


class _NoColumn(Exception):
    """An indicator's column cannot be used in this edition (becomes a gap)."""

    def __init__(self, status: str, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.status, self.reason, self.fix = status, reason, fix

    @property
    def parts(self) -> tuple[str, str, str]:
        """Status, reason and fix, in the order `Gap` takes them."""
        return self.status, self.reason, self.fix


def _candidates(
    by_stem: dict[str, list[dict[str, Any]]], stem: str, topic_group: str | None
) -> list[dict[str, Any]]:
    found = by_stem.get(stem, [])
    if topic_group is not None and len(found) > 1:
        found = [t for t in found if t["group_title"] == topic_group]
    return found


def _ambiguous(where: str, stem: str, found: list[dict[str, Any]]) -> _NoColumn:
    return _NoColumn(
        "ambiguous_in_table",
        f"{where} has several columns with stem {stem!r}: "
        f"{', '.join(t['key'] for t in found)} (topic groups: "
        f"{', '.join(t['group_title'] for t in found)}).",
        "add topic_group to this source in geodata/indicators.toml.",
    )


def _find_topics(
    by_stem: dict[str, list[dict[str, Any]]],
    stems: tuple[str, ...],
    topic_group: str | None,
    where: str,
) -> list[dict[str, Any]]:
    """The topics of the first alternative whose stems are all present (one topic, or the
    parts of a sum "A + B"); raises `_NoColumn` when none is, or a stem is ambiguous."""
    for alternative in stems:
        parts = [_candidates(by_stem, stem, topic_group) for stem in StemSource.parts(alternative)]
        for stem, found in zip(StemSource.parts(alternative), parts, strict=True):
            if len(found) > 1:
                raise _ambiguous(where, stem, found)
        if all(len(found) == 1 for found in parts):
            return [found[0] for found in parts]
    wanted = [p for alternative in stems for p in StemSource.parts(alternative)]
    close = sorted(s for s in by_stem if any(s[:8].lower() == st[:8].lower() for st in wanted))
    hint = f" Similar stems in this table: {', '.join(close)}." if close else ""
    raise _NoColumn(
        "missing_in_table",
        f"{where} has no column with stem {' or '.join(map(repr, stems))}.{hint}",
        "CBS may have renamed the column: add the new stem to `stems` of this indicator for "
        'this edition in geodata/indicators.toml (a sum of columns as "A + B").',
    )


def _joined(topics: list[dict[str, Any]], field: str) -> str:
    """Keys or titles of one topic, or of the parts of a sum as "(a + b)"."""
    texts = [str(t[field]) for t in topics]
    return texts[0] if len(texts) == 1 else "(" + " + ".join(texts) + ")"


def _check_units(
    topics: list[dict[str, Any]], ind: Indicator, source: StemSource, where: str, year: int
) -> None:
    for topic in topics:
        if topic["unit"] not in source.units:
            raise _NoColumn(
                "unit_mismatch",
                f"{where} column {topic['key']} has unit {topic['unit']!r}, but indicator "
                f"{ind.id!r} expects {' or '.join(map(repr, source.units))}.",
                f"CBS changed the unit: adjust the source of {ind.id} for {year} in "
                "geodata/indicators.toml (another unit spelling in `units`, or per/scale for a "
                "count).",
            )


def _map_indicator(
    ind: Indicator,
    source: StemSource,
    by_stem: dict[str, list[dict[str, Any]]],
    year: int,
    table_id: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(mapping row, indicator_sources row) of one published indicator; raises `_NoColumn`."""
    where = f"KWB {year} (table {table_id})"
    topics = _find_topics(by_stem, source.stems, source.topic_group, where)
    _check_units(topics, ind, source, where, year)
    key, title, per_key = _joined(topics, "key"), _joined(topics, "title"), None
    if source.per:
        per = _find_topics(by_stem, (source.per,), None, where)[0]
        per_key = per["key"]
        key = f"{key} / {per_key} * {source.scale:g}"
        title = f"{title} / {per['title']} * {source.scale:g}"
    mapping = {
        "indicator": ind.id,
        "cbs_keys": tuple(t["key"] for t in topics),
        "per_key": per_key,
        "scale": source.scale,
    }
    first = topics[0]
    row = source_row(
        SOURCE,
        ind.id,
        year,
        table_id,
        "published",
        source_key=key,
        source_title=title,
        source_unit=first["unit"],
        reference_period=cbs_odata.parse_reference_period(
            first["description"], first["title"], first["group_title"]
        ),
    )
    return mapping, row


def plan_columns(
    topics: pd.DataFrame, indicators: tuple[Indicator, ...], year: int, table_id: str
) -> ColumnPlan:
    """Map the catalogue's stems to this edition's keys; check each unit.

    Indicators with no source for `year` are recorded as ``not_published``; a stem the table
    lacks, an ambiguous stem or a changed unit is recorded with its gap status and returned
    as a `Gap`, and the other indicators go on.
    """
    mapping, sources, gaps = [], [], []
    by_stem: dict[str, list[dict[str, Any]]] = {}
    for topic in topics.to_dict("records"):
        by_stem.setdefault(topic["stem"], []).append(topic)
    for ind in indicators:
        source = ind.source_for(year)
        if source is None:
            sources.append(source_row(SOURCE, ind.id, year, table_id, "not_published"))
            continue
        try:
            map_row, published = _map_indicator(ind, source, by_stem, year, table_id)
        except _NoColumn as gap:
            sources.append(source_row(SOURCE, ind.id, year, table_id, gap.status, note=gap.reason))
            gaps.append(Gap(SOURCE, table_id, "DataProperties", year, *gap.parts, ind.id))
            continue
        mapping.append(map_row)
        sources.append(published)
    return ColumnPlan(
        year=year,
        table_id=table_id,
        mapping=pd.DataFrame(mapping, columns=["indicator", "cbs_keys", "per_key", "scale"]),
        sources=pd.DataFrame(sources, columns=SOURCE_COLUMNS),
        gaps=tuple(gaps),
    )


# -- requests --------------------------------------------------------------------------------


def region_parts(
    gemeente_codes: list[str], include_national: bool = True
) -> tuple[cbs_odata.AnyOf]:
    """The region condition: rows whose code contains NL00 or a municipality's four digits.

    One ``substringof`` per municipality instead of three ``startswith`` clauses: a third of the
    work for the service. It can also match codes of other municipalities that contain those
    digits elsewhere; `keep_region_rows` drops those.
    """
    values = ([NATIONAL_CODE] if include_national else []) + [c[2:] for c in gemeente_codes]
    return (cbs_odata.AnyOf(REGION_KEY, tuple(values), how="substringof"),)


def region_filter(gemeente_codes: list[str], include_national: bool = True) -> str:
    """The region condition as one ``$filter`` (before any split)."""
    return cbs_odata.filter_text(region_parts(gemeente_codes, include_national))


def plan_requests(
    url: str, keys: list[str], gemeente_codes: list[str], budget: int = cbs_odata.QUERY_BUDGET
) -> list[dict[str, str]]:
    """The TypedDataSet requests of one edition, each within `budget` characters of query.

    Columns are split into groups when ``$select`` alone would leave too little room for the
    filter (each group repeats the region key); the filter is split over municipalities.
    """
    groups = cbs_odata.split_select(keys, [REGION_KEY], budget // 2)
    requests = []
    for group in groups:
        params = {"$select": ",".join(group)}
        for text in cbs_odata.split_filter(url, params, region_parts(gemeente_codes), budget):
            requests.append({"$filter": text, **params})
    return requests


def merge_request_rows(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Rows of split requests as one table: row groups concatenated, column groups joined on the key."""
    by_columns: dict[tuple[str, ...], list[pd.DataFrame]] = {}
    for frame in frames:
        by_columns.setdefault(tuple(frame.columns), []).append(frame)
    merged: pd.DataFrame | None = None
    for parts in by_columns.values():
        block = pd.concat(parts, ignore_index=True).drop_duplicates(REGION_KEY)
        merged = block if merged is None else merged.merge(block, on=REGION_KEY, how="outer")
    return merged if merged is not None else pd.DataFrame({REGION_KEY: []})


def keep_region_rows(rows: pd.DataFrame, gemeente_codes: list[str]) -> pd.DataFrame:
    """Rows of the country (NL00) and of the given gemeenten, their wijken and buurten only."""
    codes = rows[REGION_KEY]
    digits = {code[2:] for code in gemeente_codes}
    keep = (codes == NATIONAL_CODE) | codes.str[2:6].isin(digits)
    return rows[keep].reset_index(drop=True)


# -- normalise -------------------------------------------------------------------------------


def check_region_codes(
    rows: pd.DataFrame, expected_gemeenten: list[str], year: int, table_id: str
) -> None:
    """Every code must be a CBS code and every expected gemeente must be present."""
    codes = rows[REGION_KEY].astype(str)
    bad = list(codes[~codes.str.match(_CODE.pattern)])
    if bad:
        raise UnknownRegionError(
            f"KWB {year} (table {table_id}) returned region codes {bad[:5]} that are not CBS "
            "NL/GM/WK/BU codes. The table layout may have changed; inspect it on StatLine."
        )
    present = set(rows[REGION_KEY])
    missing = [c for c in expected_gemeenten if c not in present]
    if missing:
        raise UnknownRegionError(
            f"KWB {year} (table {table_id}) has no rows for {', '.join(missing)}. The code is wrong "
            "or the municipality did not exist on 1 January of that year; fix geodata/region.toml "
            "(codes, merged municipalities and their dates)."
        )


def _numeric(column: pd.Series) -> np.ndarray:
    values: np.ndarray = pd.to_numeric(column, errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    return values


def _indicator_blocks(
    rows: pd.DataFrame, plan: ColumnPlan
) -> tuple[list[str], list[np.ndarray], list[str]]:
    """Per mapped indicator its values over `rows`; also the indicators empty in the whole table."""
    columns = {key: _numeric(rows[key]) for key in plan.keys}
    indicators, blocks, empty = [], [], []
    with np.errstate(divide="ignore", invalid="ignore"):
        for item in plan.mapping.itertuples(index=False):
            value = np.sum([columns[key] for key in item.cbs_keys], axis=0)  # NaN when one is
            if isinstance(item.per_key, str):
                denominator = columns[item.per_key]
                value = np.round(
                    np.where(denominator > 0, value / denominator * item.scale, np.nan), 2
                )
            if np.isnan(value).all():
                empty.append(item.indicator)
                continue
            indicators.append(item.indicator)
            blocks.append(value)
    return indicators, blocks, empty


def normalise_kwb(rows: pd.DataFrame, plan: ColumnPlan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Wide KWB rows into long indicator values, and the indicator_sources rows.

    Returns (values with columns area_code, year, indicator, value; sources). Indicators whose
    column is empty in the whole table get status ``empty_in_table`` and no values.
    """
    rows = cbs_odata.strip_keys(rows, [REGION_KEY])
    missing = [k for k in plan.keys if k not in rows.columns]
    if missing:
        raise SchemaError(
            f"KWB {plan.year} (table {plan.table_id}) response lacks columns {missing}. "
            "The $select was not honoured or the table changed; rerun with --force."
        )
    indicators, blocks, empty = _indicator_blocks(rows, plan)
    sources = plan.sources.copy()
    sources.loc[sources["indicator"].isin(empty), "status"] = "empty_in_table"
    codes = rows[REGION_KEY].to_numpy(dtype=object)
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
class Edition:
    """One fetched and normalised KWB edition."""

    values: pd.DataFrame
    sources: pd.DataFrame
    provenance: list[Provenance]
    gaps: list[Gap]


def fetch_rows(
    http: HttpClient,
    base: str,
    table_id: str,
    keys: list[str],
    gemeenten: list[str],
    not_before: str | None = None,
) -> tuple[pd.DataFrame, list[Response]]:
    """The region's rows of `keys` from one edition, over as many requests as the limit needs."""
    url = cbs_odata.feed_url(base, table_id, "TypedDataSet")
    frames, pages = [], []
    for params in plan_requests(url, keys, gemeenten):
        part = cbs_odata.fetch_feed(http, url, params, not_before=not_before)
        pages += part
        frames.append(pd.DataFrame(cbs_odata.rows_of(part), columns=params["$select"].split(",")))
    return merge_request_rows(frames), pages


def fetch_edition(
    http: HttpClient,
    base: str,
    edition: KwbEdition,
    region: Region,
    indicators: tuple[Indicator, ...],
) -> Edition:
    """Fetch and normalise one KWB edition (raises PipelineError when it cannot be fetched)."""
    year, table_id, since = edition.year, edition.table_id, edition.modified
    infos = cbs_odata.fetch_table_infos(http, base, table_id, not_before=since)
    test = is_test_data(cbs_odata.table_title(infos))
    dp_pages = cbs_odata.fetch_data_properties(http, base, table_id, not_before=since)
    plan = plan_columns(
        cbs_odata.parse_topics(cbs_odata.rows_of(dp_pages)), indicators, year, table_id
    )
    gemeenten = [g.code for g in region.gemeenten_in_kwb_year(year)]
    rows, pages = fetch_rows(http, base, table_id, plan.keys, gemeenten, since)
    if rows.empty:
        raise UnknownRegionError(
            f"KWB {year} (table {table_id}) returned no rows for the region. Check the codes in "
            "geodata/region.toml."
        )
    rows = cbs_odata.strip_keys(rows, [REGION_KEY])
    check_region_codes(rows, gemeenten, year, table_id)
    values, sources = normalise_kwb(keep_region_rows(rows, gemeenten), plan)
    retrieved = max(p.retrieved_at for p in [*dp_pages, *pages])
    sources.loc[sources["status"] == "published", "retrieved_at"] = retrieved
    responses = provenance(SOURCE, table_id, "TableInfos", year, [infos], test)
    responses += provenance(SOURCE, table_id, "DataProperties", year, dp_pages, test)
    responses += provenance(SOURCE, table_id, "TypedDataSet", year, pages, test)
    return Edition(values, sources, responses, list(plan.gaps))


def failed_edition(
    exc: PipelineError, year: int, table_id: str, indicators: tuple[Indicator, ...]
) -> Edition:
    """An edition that could not be fetched: every indicator it would hold is a gap."""
    reason = str(exc)
    gap = Gap.fetch_failed(SOURCE, exc, table_id, year, "TypedDataSet")
    rows = [
        source_row(
            SOURCE,
            i.id,
            year,
            table_id,
            "fetch_failed" if i.source_for(year) else "not_published",
            note=reason if i.source_for(year) else None,
        )
        for i in indicators
    ]
    values = pd.DataFrame({c: [] for c in schema.SCHEMA["indicator_values"]})
    return Edition(values, pd.DataFrame(rows, columns=SOURCE_COLUMNS), [], [gap])


def run(
    http: HttpClient,
    base: str,
    region: Region,
    editions: list[KwbEdition],
    indicators: tuple[Indicator, ...],
    catalog_pages: list[Response] | None = None,
    progress: Callable[[], None] | None = None,
) -> SourceResult:
    """Pull the given KWB editions (concurrently) into long indicator values.

    `editions` come from the CBS catalog (`pipelines.editions`); a cached response of a table
    that CBS modified since it was fetched is fetched again (the catalog's ``Modified``), so an
    edition whose income block CBS fills later is picked up by the next build. An edition that
    fails is a gap, not a failed build.
    """

    def work(edition: KwbEdition) -> Edition:
        try:
            return fetch_edition(http, base, edition, region, indicators)
        except PipelineError as exc:
            return failed_edition(exc, edition.year, edition.table_id, indicators)

    done = http.map(work, editions, progress=progress)
    return SourceResult(
        source=SOURCE,
        years=tuple(e.year for e in editions),
        tables={
            "indicator_values": pd.concat([e.values for e in done], ignore_index=True),
            "indicator_sources": pd.concat([e.sources for e in done], ignore_index=True),
        },
        provenance=[
            Provenance(SOURCE, "", "catalog", None, p, len(p.data["value"]))
            for p in catalog_pages or []
        ]
        + [p for e in done for p in e.provenance],
        gaps=[g for e in done for g in e.gaps],
    )
