"""Build the store: run the selected sources, merge with the existing store, write atomically.

A source that is rebuilt replaces what it owns (see `pipelines.sources`); everything else in
the existing store is carried over unchanged. What a source could not deliver is a gap: the
build goes on, keeps the previous values for it and lists it in the summary (exit code 3).
With ``strict=True`` any gap stops the build before anything is written. The new store is
written to a temporary file, validated and swapped in, so a failed or interrupted build
leaves the old store as it was.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from tqdm import tqdm

from geodata import schema, store
from geodata.catalogue import Indicator, catalogue_frame, load_catalogue
from geodata.config import Region, Settings, load_region
from geodata.provenance import summarise_sources
from geodata.store import Store
from pipelines import editions, harmonise, merge, uptodate
from pipelines._http import HttpClient
from pipelines.editions import Offers
from pipelines.errors import BuildGapsError, PipelineError
from pipelines.result import Gap, SourceResult
from pipelines.sources import NAMES, SOURCES, SourceContext, SourceSpec

#: Exit code of a build that wrote the store but has gaps (documented in the README).
EXIT_GAPS = 3


@dataclass
class SourceOutput:
    """One source's result and how long it took."""

    result: SourceResult
    years: list[int]
    seconds: float = 0.0


@dataclass
class BuildSummary:
    store: str
    offers: Offers = field(default_factory=Offers)
    outputs: list[SourceOutput] = field(default_factory=list)
    harmonised: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    http_stats: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: The services answered what the store holds: nothing was written.
    up_to_date: bool = False

    @property
    def gaps(self) -> list[Gap]:
        return [g for o in self.outputs for g in o.result.gaps]

    @property
    def warnings(self) -> list[str]:
        return self.offers.warnings + [w for o in self.outputs for w in o.result.warnings]

    @property
    def test_data(self) -> bool:
        return any(o.result.test_data for o in self.outputs)

    def edition_line(self) -> str:
        """What the services offer now, newest first: the KWB edition and 81734NED's year."""
        parts = []
        if (newest := self.offers.newest_kwb) is not None:
            edition = self.offers.kwb[newest]
            parts.append(f"KWB {newest} ({edition.table_id})")
        if (year := self.offers.newest_flow_year) is not None:
            parts.append(f"81734NED {year}")
        return "  newest offered: " + (", ".join(parts) or "-")

    def lines(self) -> list[str]:
        if self.up_to_date:
            return self.unchanged_lines()
        out = [f"Store written: {self.store}", self.edition_line()]
        for o in self.outputs:
            years = f"{min(o.years)}-{max(o.years)}" if o.years else "-"
            rows = ", ".join(f"{name} {len(frame):,}" for name, frame in o.result.tables.items())
            test = "  TEST DATA" if o.result.test_data else ""
            out.append(
                f"  {o.result.source:<10} years {years:<9} {rows}  "
                f"({len(o.result.provenance)} responses, {o.seconds:.1f} s){test}"
            )
        stats = self.http_stats
        out.append(
            f"  requests: {stats.get('network', 0)} over the network, {stats.get('cache', 0)} "
            f"from cache, {stats.get('retries', 0)} retries; longest query string "
            f"{stats.get('longest_query', 0):,} characters"
        )
        out += self.harmonised
        out.append(f"  total {self.seconds:.1f} s")
        if stats.get("cache_unwritable"):
            out.append(
                f"Note: {stats['cache_unwritable']} responses could not be cached (the cache "
                "folder is read-only or full); the next build fetches them again."
            )
        if stats.get("cache_damaged"):
            out.append(
                f"Note: {stats['cache_damaged']} damaged response-cache entries were ignored and "
                "fetched again (and rewritten)."
            )
        out += [f"Warning: {w}" for w in self.warnings]
        if self.test_data:
            out.append(
                "NOTE: some sources marked their data as TEST DATA (partly synthetic); do not use "
                "these figures for analysis."
            )
        if self.gaps:
            out.append(
                f"Built with {len(self.gaps)} gap(s); previous values were kept where there were any:"
            )
            out += [f"  - {g.line()}" for g in self.gaps]
        return out

    def unchanged_lines(self) -> list[str]:
        """What a build that wrote nothing says."""
        return [
            f"Store up to date: {self.store}",
            self.edition_line(),
            "  every response the services gave matches what the store holds, and nothing "
            "else that decides the build changed; nothing was written (--force refetches and "
            "rewrites).",
            f"  total {self.seconds:.1f} s",
            *[f"Warning: {w}" for w in self.warnings],
        ]


def run_source(
    spec: SourceSpec, ctx: SourceContext, years: list[int], position: int
) -> SourceOutput:
    """Fetch and normalise one source, with a progress bar. A source that fails is one gap."""
    started = time.perf_counter()
    with tqdm(
        total=spec.jobs(years), desc=f"{spec.name:<10}", unit="job", position=position, disable=None
    ) as bar:
        try:
            result = spec.run(ctx, years, bar.update)
        except PipelineError as exc:
            gap = Gap.fetch_failed(spec.name, exc)
            result = SourceResult(spec.name, tuple(years), {}, gaps=[gap])
    return SourceOutput(result, years, time.perf_counter() - started)


def merge_tables(
    existing: dict[str, pd.DataFrame], outputs: list[SourceOutput], today: dt.date | None = None
) -> dict[str, pd.DataFrame]:
    """The complete new store: existing tables with what the sources own replaced."""
    today = today or dt.date.today()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    merged = dict(existing)
    for output in outputs:
        spec = SOURCES[output.result.source]
        merged = merge.merge_result(merged, output.result, spec.owns, today, now, spec.partitions)
    for output in outputs:
        for check in output.result.after_merge:
            merged = check(merged)
    merged["indicators"] = catalogue_frame()
    return {name: _sorted(name, frame) for name, frame in merged.items()}


_SORT_KEYS = {
    "areas": ["year", "level", "code"],
    "indicator_values": ["year", "indicator", "area_code"],
    "indicator_sources": ["year", "indicator", "source"],
    "flows": ["year", "origin_code", "destination_code"],
    "flow_regions": ["code"],
    "amsterdam_areas": ["kind", "identificatie"],
    "sources": ["source", "year", "table_id", "entity", "url"],
    "indicators": [],
}


def _sorted(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Deterministic row order, so that two builds of the same data are identical."""
    keys = _SORT_KEYS.get(name) or []
    out = (
        frame.sort_values(keys, ignore_index=True, kind="stable", na_position="first")
        if keys
        else frame.reset_index(drop=True)
    )
    return gpd.GeoDataFrame(out, crs=schema.CRS) if name in schema.SPATIAL else out


def check_only(only: tuple[str, ...]) -> None:
    """Refuse source names that are not in the registry."""
    unknown = [s for s in only if s not in SOURCES]
    if unknown:
        raise ValueError(f"Unknown source(s) {', '.join(unknown)}; choose from {', '.join(NAMES)}.")


def not_offered(
    region: Region, offers: Offers, years: list[int] | None, only: tuple[str, ...]
) -> list[str]:
    """Warnings for requested years that no selected source offers (so nothing pulls them)."""
    if years is None:
        return []
    offered = {y for name in only for y in SOURCES[name].years(region, offers)}
    missing = [y for y in years if y not in offered]
    if not missing:
        return []
    kwb_years = ", ".join(map(str, region.kwb_years_within(offers.kwb))) or "none"
    return [
        f"--years {', '.join(map(str, missing))}: not offered by the services (KWB editions in "
        f"the CBS catalog: {kwb_years}); skipped."
    ]


def plan_sources(
    region: Region, offers: Offers, years: list[int] | None, only: tuple[str, ...]
) -> list[tuple[SourceSpec, list[int]]]:
    """The sources to run and the years each pulls (sources without years always run)."""
    check_only(only)
    plan = [
        (SOURCES[name], SOURCES[name].years_to_pull(region, offers, years))
        for name in NAMES
        if name in only
    ]
    return [(spec, y) for spec, y in plan if y or not spec.per_year]


def open_target(settings: Settings, replace: bool, log: Callable[[str], None]) -> Store:
    """The store to write: leftovers of a killed build removed, and refused when it is damaged
    or not a store of this project (unless `replace`), before anything is fetched."""
    target = settings.open_store()
    for name in target.clean_stale():
        log(f"Removed {name}, left behind by a build that was stopped.")
    if not replace:
        target.check()
    return target


def run_sources(plan: list[tuple[SourceSpec, list[int]]], ctx: SourceContext) -> list[SourceOutput]:
    """Every planned source at the same time, each with its progress bar."""
    with ThreadPoolExecutor(max_workers=len(plan) or 1) as pool:
        futures = [
            pool.submit(run_source, spec, ctx, source_years, position)
            for position, (spec, source_years) in enumerate(plan)
        ]
        return [f.result() for f in futures]


def check_outputs(outputs: list[SourceOutput], strict: bool, description: str) -> None:
    """Stop before writing when nothing could be fetched, or (with `strict`) on any gap."""
    gaps = [g for o in outputs for g in o.result.gaps]
    listed = "\n".join(f"  - {g.line()}" for g in gaps)
    if gaps and not any(o.result.provenance for o in outputs):
        raise PipelineError(
            f"Nothing could be fetched, so the store {description} was left untouched:\n{listed}"
        )
    if strict and gaps:
        raise BuildGapsError(
            f"--strict: the build has {len(gaps)} gap(s), so the store {description} was "
            f"left untouched:\n{listed}"
        )


#: The indicators whose measured harmonisation error the build summary names.
SUMMARY_INDICATORS = ("low_income_households_pct", "persons_in_poverty_pct", "households")


def harmonised_tables(
    tables: dict[str, pd.DataFrame], reference_year: int | None, wanted: bool, description: str
) -> dict[str, pd.DataFrame]:
    """The crosswalk, measured errors and harmonised values of the merged tables (empty ones
    when not `wanted`, so no series of an older build outlives the values it came from). A
    `reference_year` without buurten is a `PipelineError` before anything is written."""
    names = ("crosswalk", "harmonisation_errors", "harmonised_values")
    if not wanted:
        return {name: schema.empty_table(name) for name in names}
    areas = tables.get("areas")
    years = [] if areas is None else sorted(areas.loc[areas["level"] == "buurt", "year"].unique())
    if reference_year is not None and reference_year not in years:
        held = f"{years[0]}-{years[-1]}" if years else "none"
        raise PipelineError(
            f"--harmonise-to {reference_year}: the store would hold no buurten of "
            f"{reference_year} (boundary years: {held}), so {description} was left "
            "untouched. Choose one of those years, or leave the option out for the newest."
        )
    catalogue = {i.id: i for i in load_catalogue()}
    return harmonise.tables(tables, catalogue, reference_year)


def publish_build(
    target: Store,
    outputs: list[SourceOutput],
    offers: Offers,
    replace: bool,
    reference_year: int | None = None,
    harmonised: bool = True,
    info: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Merge the outputs into the existing store, add what is derived from the whole store
    (what the services offered, the harmonised buurt series unless `harmonised` is off) and
    the `build_info` row, publish it atomically, under the lock."""
    with target.lock():
        existing = target.read_all() if target.exists() and not replace else {}
        tables = merge_tables(existing, outputs)
        tables["service_editions"] = editions.offered_table(
            existing.get("service_editions"), offers, "build"
        )
        tables.update(harmonised_tables(tables, reference_year, harmonised, target.description))
        tables["build_info"] = schema.empty_table("build_info") if info is None else info
        target.publish(store.Publish(tables, complete=True), replace_foreign=replace)
    return tables


def build(
    settings: Settings,
    *,
    years: list[int] | None = None,
    only: tuple[str, ...] = NAMES,
    force: bool = False,
    strict: bool = False,
    replace: bool = False,
    region: Region | None = None,
    indicators: tuple[Indicator, ...] | None = None,
    http: HttpClient | None = None,
    log: Callable[[str], None] = print,
    harmonise_to: int | None = None,
    harmonised: bool = True,
) -> BuildSummary:
    """Find what the services offer, run the selected sources and write the store atomically.

    With `strict`, a gap raises `BuildGapsError` and the store is left untouched; when
    nothing at all could be fetched, or nothing is offered for `years`, a `PipelineError` does
    the same. `region` and `indicators` default to the shipped region and catalogue.
    """
    started, region = time.perf_counter(), region or load_region()
    check_only(only)
    target = open_target(settings, replace, log)
    http = http or HttpClient(settings.cache_dir, force=force)
    log(
        f"Building {target.description} from CBS {settings.cbs_odata_url}, PDOK {settings.pdok_url}, Amsterdam {settings.amsterdam_api_url}"
    )
    offers, plan = offered_plan(http, settings, region, years, only, target.description)
    catalogue = indicators or load_catalogue()
    named = [(spec.name, source_years) for spec, source_years in plan]
    digest = uptodate.inputs_digest(
        settings, offers, named, (harmonised, harmonise_to), extra=repr((region, catalogue))
    )
    if not force and not replace and uptodate.store_is_current(target, digest, http.cached_sha256):
        seconds = time.perf_counter() - started
        return BuildSummary(target.description, offers, seconds=seconds, up_to_date=True)
    outputs = run_sources(plan, SourceContext(http, settings, region, catalogue, offers))
    check_outputs(outputs, strict, target.description)
    info = uptodate.build_info(digest, named)
    tables = publish_build(target, outputs, offers, replace, harmonise_to, harmonised, info)
    return BuildSummary(
        store=target.description,
        offers=offers,
        outputs=outputs,
        harmonised=harmonise.summary_lines(tables, SUMMARY_INDICATORS),
        row_counts={name: len(frame) for name, frame in tables.items()},
        http_stats=dict(http.stats),
        seconds=time.perf_counter() - started,
    )


def offered_plan(
    http: HttpClient,
    settings: Settings,
    region: Region,
    years: list[int] | None,
    only: tuple[str, ...],
    description: str,
) -> tuple[Offers, list[tuple[SourceSpec, list[int]]]]:
    """What the services offer now and the sources and years to pull from it; a
    `PipelineError` (nothing written) when nothing is offered for what was asked."""
    offers = editions.discover(http, settings.cbs_odata_url, region, only)
    plan = plan_sources(region, offers, years, only)
    offers.warnings += not_offered(region, offers, years, only)
    if not plan:
        raise PipelineError(
            f"Nothing to pull, so the store {description} was left untouched: "
            + " ".join(offers.warnings)
        )
    return offers, plan


def status(settings: Settings) -> pd.DataFrame:
    """What the store holds, per source and year: responses, rows, retrieval dates, test data, gaps."""
    target = settings.open_store()
    target.require()
    sources = target.table("sources")
    sources = sources.assign(year=[("-" if pd.isna(y) else str(int(y))) for y in sources["year"]])
    columns = ["source", "year", "responses", "rows", "retrieved_first", "retrieved_last"]
    return summarise_sources(sources, ["source", "year"])[[*columns, "test_data", "gaps"]]
