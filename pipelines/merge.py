"""Merge what sources delivered into the existing store tables (pure functions).

Each source replaces only what it owns (see `pipelines.sources.SourceSpec.owns`): the years it
pulled, or its whole table, or its (indicator, edition) pairs. What it could not deliver (a
gap) is not replaced: values the previous store held for a gap are kept, with their earlier
retrieval date and a note that they were not refreshed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from geodata import schema
from pipelines.result import GAP_STATUSES, Gap, SourceResult

PAIR = ["indicator", "year"]


@dataclass(frozen=True)
class Partition:
    """The rows of a shared table that one source owns: those whose `column` is in `values`."""

    column: str
    values: tuple[str, ...]

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        return frame[self.column].isin(self.values)


def _pairs(frame: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[PAIR].astype({"year": "int64"}))


def _in(frame: pd.DataFrame, pairs: pd.MultiIndex) -> pd.Series:
    if frame.empty:
        return pd.Series(False, index=frame.index)
    return pd.Series(_pairs(frame).isin(pairs), index=frame.index)


def _concat(name: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    out = pd.concat(frames, ignore_index=True) if frames else schema.empty_table(name)
    return gpd.GeoDataFrame(out, crs=schema.CRS) if name in schema.SPATIAL else out


def kept_note(reason: str, today: dt.date) -> str:
    return f"Not refreshed in the build of {today.isoformat()}: {reason} Values of the previous build kept."


def merge_indicators(
    old_values: pd.DataFrame,
    old_sources: pd.DataFrame,
    result: SourceResult,
    today: dt.date,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`indicator_values` and `indicator_sources` with one source's editions replaced.

    The source owns the (indicator, edition) pairs it reports now and those it reported before
    for the years it pulled. A pair it reports as a gap keeps the previous values and source
    row (with a note) when the previous store had values for it.
    """
    new_values = result.tables["indicator_values"]
    new_sources = result.tables["indicator_sources"]
    previous = old_sources[
        (old_sources["source"] == result.source) & old_sources["year"].isin(result.years)
    ]
    owned = _pairs(pd.concat([new_sources[PAIR], previous[PAIR]], ignore_index=True))
    gaps = new_sources[new_sources["status"].isin(GAP_STATUSES)]
    held = _pairs(old_values.drop_duplicates(PAIR)) if len(old_values) else _pairs(old_values)
    kept = _pairs(gaps)[_pairs(gaps).isin(held)]
    reasons = dict(zip(_pairs(gaps), gaps["note"].fillna(gaps["status"]), strict=True))
    kept_rows = old_sources[_in(old_sources, kept)].copy()
    kept_rows["note"] = [kept_note(str(reasons[p]), today) for p in _pairs(kept_rows)]
    values = _concat(
        "indicator_values",
        [old_values[~_in(old_values, owned.difference(kept))], new_values],
    )
    sources = _concat(
        "indicator_sources",
        [old_sources[~_in(old_sources, owned)], new_sources[~_in(new_sources, kept)], kept_rows],
    )
    return values, sources


def merge_by_keys(
    name: str,
    old: pd.DataFrame | None,
    new: pd.DataFrame,
    keys: tuple[str, ...],
    replaced: set[int],
    partition: Partition | None = None,
) -> pd.DataFrame:
    """`old` with the rows whose key is in `replaced` swapped for `new` (``keys=()``: all of it).

    With a `partition`, only the source's own rows of `old` are candidates for replacement;
    the rows of other sources in the same table are always kept.
    """
    if old is None or old.empty:
        return new
    mine = partition.mask(old) if partition else pd.Series(True, index=old.index)
    if keys:
        (key,) = keys
        mine &= old[key].isin(replaced)
    if partition is None and not keys:
        return new
    return _concat(name, [old[~mine], new])


def sources_rows(result: SourceResult, now: str) -> pd.DataFrame:
    """The `sources` rows of one result: one per response, one per edition- or year-level gap."""
    rows = [
        {
            "source": p.source,
            "table_id": p.table_id,
            "entity": p.entity,
            "year": p.year,
            "url": p.response.url,
            "retrieved_at": p.response.retrieved_at,
            "rows": int(p.rows),
            "sha256": p.response.sha256,
            "test_data": bool(p.test_data),
            "status": "ok",
            "note": None,
        }
        for p in result.provenance
    ]
    rows += [_gap_row(g, now) for g in result.gaps if g.indicator is None]
    frame = pd.DataFrame(rows, columns=list(schema.SCHEMA["sources"]))
    return frame.astype({"year": "Int64", "rows": "int64", "test_data": "bool"})


def _gap_row(gap: Gap, now: str) -> dict[str, Any]:
    return {
        "source": gap.source,
        "table_id": gap.table_id,
        "entity": gap.entity,
        "year": gap.year,
        "url": gap.url,
        "retrieved_at": now,
        "rows": 0,
        "sha256": None,
        "test_data": False,
        "status": "gap",
        "note": f"{gap.status}: {gap.reason} Fix: {gap.fix}",
    }


def merge_sources(old: pd.DataFrame | None, result: SourceResult, now: str) -> pd.DataFrame:
    """The `sources` table with one source's responses replaced, except where it failed.

    Old gap rows of the source are dropped (the current gaps replace them); rows of years
    (or of the whole source) that failed now are kept.
    """
    new = sources_rows(result, now)
    if old is None or old.empty:
        return new
    mine = old["source"] == result.source
    year = old["year"]
    refreshed = year.isin(set(result.years) - result.failed_years)
    if not result.failed_entirely:
        refreshed |= year.isna()
    drop = mine & (refreshed | (old["status"] == "gap"))
    return _concat("sources", [old[~drop], new])


def merge_result(
    tables: dict[str, pd.DataFrame],
    result: SourceResult,
    owns: dict[str, tuple[str, ...]],
    today: dt.date,
    now: str,
    partitions: dict[str, Partition] | None = None,
) -> dict[str, pd.DataFrame]:
    """The store tables after one source's result (a new dict; inputs are not changed)."""
    out = dict(tables)
    if not result.failed_entirely:
        if "indicator_values" in owns:
            out["indicator_values"], out["indicator_sources"] = merge_indicators(
                tables.get("indicator_values", schema.empty_table("indicator_values")),
                tables.get("indicator_sources", schema.empty_table("indicator_sources")),
                result,
                today,
            )
        replaced = set(result.years) - result.failed_years
        for name, keys in owns.items():
            if name.startswith("indicator_"):
                continue
            out[name] = merge_by_keys(
                name,
                tables.get(name),
                result.tables[name],
                keys,
                replaced,
                (partitions or {}).get(name),
            )
    out["sources"] = merge_sources(tables.get("sources"), result, now)
    return out
