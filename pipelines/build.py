"""Build the store: run the selected sources, merge with the existing store, write atomically.

A source that is rebuilt replaces its own rows for the years it pulled; everything else in
the existing store is carried over unchanged. The new store is written to a temporary file,
validated and swapped in, so a failed or interrupted build leaves the old store as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from tqdm import tqdm

from geodata import store
from geodata.catalogue import catalogue_frame, load_catalogue
from geodata.config import Region, Settings, load_region
from pipelines import amsterdam, boundaries, flows, kwb
from pipelines._http import HttpClient, Response

SOURCES = ("kwb", "flows", "boundaries", "amsterdam")

#: Store tables each source owns, and whether its rows are replaced per year.
OWNED_TABLES: dict[str, dict[str, bool]] = {
    "kwb": {"indicator_values": True, "indicator_sources": True},
    "flows": {"flows": True, "flow_regions": False},
    "boundaries": {"areas": True},
    "amsterdam": {"amsterdam_areas": False},
}


@dataclass
class SourceOutput:
    """What one source produced: its tables and the responses they came from."""

    source: str
    years: list[int]
    tables: dict[str, pd.DataFrame]
    responses: list[tuple[str, int, Response, int]]
    seconds: float = 0.0


@dataclass
class BuildSummary:
    store_path: Path
    outputs: list[SourceOutput] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    http_stats: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"Store written: {self.store_path}"]
        for o in self.outputs:
            years = f"{min(o.years)}-{max(o.years)}" if o.years else "-"
            rows = ", ".join(f"{name} {len(frame):,}" for name, frame in o.tables.items())
            out.append(
                f"  {o.source:<10} years {years:<9} {rows}  ({len(o.responses)} responses, {o.seconds:.1f} s)"
            )
        out.append(
            f"  requests: {self.http_stats.get('network', 0)} over the network, "
            f"{self.http_stats.get('cache', 0)} from cache, {self.http_stats.get('retries', 0)} retries"
        )
        out.append(f"  total {self.seconds:.1f} s")
        return out


def sources_rows(output: SourceOutput) -> pd.DataFrame:
    """The `sources` table rows for one source's responses."""
    return pd.DataFrame(
        [
            {
                "source": output.source,
                "dataset": dataset,
                "year": int(year),
                "url": response.url,
                "retrieved_at": response.retrieved_at,
                "rows": int(rows),
                "sha256": response.sha256,
            }
            for dataset, year, response, rows in output.responses
        ],
        columns=list(store.SCHEMA["sources"]),
    )


def source_years(source: str, region: Region, years: list[int] | None) -> list[int]:
    """Years a source pulls: the requested years within its range (KWB/boundaries vs flows)."""
    if source == "amsterdam":
        return []  # the current areas; the API is not versioned by year here
    available = region.flow_year_range() if source == "flows" else region.kwb_year_range()
    return available if years is None else [y for y in years if y in available]


def run_source(
    source: str,
    http: HttpClient,
    settings: Settings,
    region: Region,
    years: list[int],
    position: int,
) -> SourceOutput:
    """Fetch and normalise one source, with a progress bar."""
    started = time.perf_counter()
    total = {
        "kwb": len(years),
        "flows": len(years),
        "boundaries": 3 * len(years),
        "amsterdam": len(amsterdam.TABLES),
    }[source]
    with tqdm(
        total=total, desc=f"{source:<10}", unit="job", position=position, leave=True, disable=None
    ) as bar:
        tick = bar.update
        if source == "kwb":
            result = kwb.run(
                http, settings.cbs_odata_url, region, years, load_catalogue(), progress=tick
            )
            tables = {
                "indicator_values": result.values,
                "indicator_sources": result.indicator_sources,
            }
        elif source == "flows":
            result = flows.run(http, settings.cbs_odata_url, region, years, progress=tick)
            tables = {"flows": result.flows, "flow_regions": result.regions}
        elif source == "boundaries":
            result = boundaries.run(http, settings.pdok_url, region, years, progress=tick)
            tables = {"areas": result.areas}
        elif source == "amsterdam":
            result = amsterdam.run(http, settings.amsterdam_api_url, progress=tick)
            tables = {"amsterdam_areas": result.areas}
        else:
            raise ValueError(f"Unknown source {source!r}; choose from {', '.join(SOURCES)}.")
    return SourceOutput(source, years, tables, result.responses, time.perf_counter() - started)


def merge_tables(
    existing: dict[str, pd.DataFrame], outputs: list[SourceOutput]
) -> dict[str, pd.DataFrame]:
    """The complete new store: existing tables with the rebuilt sources' rows replaced."""
    merged = dict(existing)
    for output in outputs:
        for name, per_year in OWNED_TABLES[output.source].items():
            new = output.tables[name]
            old = merged.get(name)
            if old is not None and per_year and len(old):
                keep = old[~old["year"].isin(output.years)]
                combined = pd.concat([keep, new], ignore_index=True)
                new = (
                    gpd.GeoDataFrame(combined, crs=store.CRS) if name in store.SPATIAL else combined
                )
            merged[name] = new
        old_sources = merged.get("sources")
        rows = sources_rows(output)
        if old_sources is not None and len(old_sources):
            replaced = (old_sources["source"] == output.source) & (
                old_sources["year"].isin(output.years) | (old_sources["year"] == 0)
            )
            rows = pd.concat([old_sources[~replaced], rows], ignore_index=True)
        merged["sources"] = rows
    merged["indicators"] = catalogue_frame()
    return {name: _sorted(name, frame) for name, frame in merged.items()}


_SORT_KEYS = {
    "areas": ["year", "level", "code"],
    "indicator_values": ["year", "indicator", "area_code"],
    "indicator_sources": ["year", "indicator"],
    "flows": ["year", "origin_code", "destination_code"],
    "flow_regions": ["code"],
    "amsterdam_areas": ["kind", "identificatie"],
    "sources": ["source", "year", "dataset", "url"],
    "indicators": [],
}


def _sorted(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Deterministic row order, so that two builds of the same data are identical."""
    keys = _SORT_KEYS.get(name) or []
    out = (
        frame.sort_values(keys, ignore_index=True, kind="stable")
        if keys
        else frame.reset_index(drop=True)
    )
    return gpd.GeoDataFrame(out, crs=store.CRS) if name in store.SPATIAL else out


def build(
    settings: Settings,
    *,
    years: list[int] | None = None,
    only: tuple[str, ...] = SOURCES,
    force: bool = False,
    region: Region | None = None,
    http: HttpClient | None = None,
    log: Callable[[str], None] = print,
) -> BuildSummary:
    """Run the selected sources and write the store atomically. Returns a summary."""
    started = time.perf_counter()
    region = region or load_region()
    unknown = [s for s in only if s not in SOURCES]
    if unknown:
        raise ValueError(
            f"Unknown source(s) {', '.join(unknown)}; choose from {', '.join(SOURCES)}."
        )
    http = http or HttpClient(settings.cache_dir, force=force)
    plan = [(s, source_years(s, region, years)) for s in SOURCES if s in only]
    plan = [(s, y) for s, y in plan if y or s == "amsterdam"]
    log(
        f"Building {settings.store_path} from CBS {settings.cbs_odata_url}, PDOK {settings.pdok_url}, "
        f"Amsterdam {settings.amsterdam_api_url}"
    )
    with ThreadPoolExecutor(max_workers=len(plan) or 1) as pool:
        futures = [
            pool.submit(run_source, source, http, settings, region, source_years_, position)
            for position, (source, source_years_) in enumerate(plan)
        ]
        outputs = [f.result() for f in futures]
    existing = store.read_all(settings.store_path) if settings.store_path.exists() else {}
    tables = merge_tables(existing, outputs)
    store.write_store(settings.store_path, tables)
    return BuildSummary(
        store_path=settings.store_path,
        outputs=outputs,
        row_counts={name: len(frame) for name, frame in tables.items()},
        http_stats=dict(http.stats),
        seconds=time.perf_counter() - started,
    )


def status(settings: Settings) -> pd.DataFrame:
    """What the store holds, per source and year: datasets, rows and retrieval dates."""
    store_path = settings.store_path
    store.require_store(store_path)
    sources = store.read_table(store_path, "sources")
    if sources.empty:
        return pd.DataFrame(
            columns=["source", "year", "responses", "rows", "retrieved_first", "retrieved_last"]
        )
    grouped = sources.groupby(["source", "year"], as_index=False).agg(
        responses=("url", "count"),
        rows=("rows", "sum"),
        retrieved_first=("retrieved_at", "min"),
        retrieved_last=("retrieved_at", "max"),
    )
    return grouped
