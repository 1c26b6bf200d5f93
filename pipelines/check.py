"""A live preflight: ask each configured service a few small questions, build nothing.

``python -m pipelines check`` reports, per source, the newest edition the service offers and
whether the store has it ("store is behind: KWB 2026 available"); per KWB edition the table
and which catalogue indicators map to a column (key and unit) and which do not; per PDOK year
the layer names; the dimensions and periods of 81734NED; the number of objects per Amsterdam
gebieden table; and which of Amsterdam's statistics datasets answered (its `statistieken`
successor or the deprecated BBGA). It never reads or writes the response cache, so it shows
what the services answer now. When a store exists, what the services offered is written into
its `service_editions` table (the app says when the store is behind).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from geodata import store as store_mod
from geodata.catalogue import Indicator
from geodata.config import Region, Settings
from geodata.editions import held_years
from pipelines import amsterdam, bbga, boundaries, cbs_odata, editions, flows, kwb, statistieken
from pipelines._dso import api_headers, embedded
from pipelines._http import HttpClient
from pipelines.errors import PipelineError
from pipelines.result import is_test_data

#: How many years past the newest KWB edition `check` asks PDOK about.
PDOK_LOOKAHEAD = 1


@dataclass
class CheckReport:
    """Lines to print, the problems among them (each a line that says what to fix), and the
    newest edition each service offers (source -> (year, what))."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    newest: dict[str, tuple[int, str]] = field(default_factory=dict)
    offered_rows: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, other: CheckReport) -> None:
        self.lines += other.lines
        self.problems += other.problems
        self.newest.update(other.newest)
        self.offered_rows += other.offered_rows


def check_kwb_edition(
    http: HttpClient, base: str, edition: kwb.KwbEdition, indicators: tuple[Indicator, ...]
) -> CheckReport:
    """The table of one edition and how the catalogue's indicators map onto its columns."""
    report = CheckReport()
    year, table_id = edition.year, edition.table_id
    try:
        title = cbs_odata.table_title(cbs_odata.fetch_table_infos(http, base, table_id))
        topics = cbs_odata.parse_topics(
            cbs_odata.rows_of(cbs_odata.fetch_data_properties(http, base, table_id))
        )
    except PipelineError as exc:
        report.problems.append(f"KWB {year} ({table_id}): {exc}")
        return report
    plan = kwb.plan_columns(topics, indicators, year, table_id)
    published = plan.sources[plan.sources["status"] == "published"]
    test = " [TEST DATA]" if is_test_data(title) else ""
    report.lines.append(f"KWB {year}: {table_id} {title!r}{test}: {len(published)} indicators map")
    report.lines += [
        f"    {r.indicator:<38} {r.source_key} ({r.source_unit})" for r in published.itertuples()
    ]
    report.problems += [f"KWB {year}: {g.reason} Fix: {g.fix}" for g in plan.gaps]
    return report


def check_pdok_year(http: HttpClient, base: str, year: int, required: bool = True) -> CheckReport:
    """The layer names one year's WFS offers, and which the pipeline would use. A year past the
    newest KWB edition (`required` false) that PDOK does not serve is no problem."""
    report = CheckReport()
    try:
        capabilities = boundaries.fetch_capabilities(http, base, year).data
        names = boundaries.pick_type_names(capabilities, year)
    except PipelineError as exc:
        if required:
            report.problems.append(f"PDOK {year}: {exc}")
        return report
    test = " [TEST DATA]" if is_test_data(capabilities.title) else ""
    report.lines.append(f"PDOK {year}{test}: " + ", ".join(f"{k} = {v}" for k, v in names.items()))
    report.newest[boundaries.SOURCE] = (year, f"PDOK {year}")
    report.offered_rows.append((boundaries.SOURCE, year, "", capabilities.title, None))
    return report


def check_flows(http: HttpClient, base: str) -> CheckReport:
    """The dimensions, measure and periods of 81734NED."""
    report = CheckReport()
    try:
        properties = cbs_odata.rows_of(cbs_odata.fetch_data_properties(http, base, flows.TABLE_ID))
        measure = flows.parse_measure_key(properties)
        periods = cbs_odata.rows_of(
            cbs_odata.fetch_feed(
                http, cbs_odata.feed_url(base, flows.TABLE_ID, flows.PERIODS), {"$select": "Key"}
            )
        )
    except PipelineError as exc:
        report.problems.append(f"CBS {flows.TABLE_ID}: {exc}")
        return report
    dimensions = [
        p["Key"]
        for p in properties
        if p.get("Type") in ("Dimension", "TimeDimension", "GeoDimension")
    ]
    keys = sorted(str(p["Key"]).strip() for p in periods)
    span = f"{keys[0]}-{keys[-1]}" if keys else "none"
    report.lines.append(
        f"CBS {flows.TABLE_ID}: dimensions {', '.join(dimensions)}; measure {measure}; periods {span}"
    )
    years = editions.period_years(periods)
    if years:
        report.newest[flows.SOURCE] = (years[-1], f"81734NED {years[-1]}")
    return report


def check_amsterdam(http: HttpClient, settings: Settings) -> CheckReport:
    """The number of objects per gebieden table valid on the configured date."""
    report = CheckReport()
    counts = []
    for table in amsterdam.TABLES:
        try:
            response = http.get_json(
                f"{settings.amsterdam_api_url}/v1/gebieden/{table}/",
                {**amsterdam.table_params(settings.geldig_op), "_pageSize": "1", "_count": "true"},
                headers=api_headers(settings.amsterdam_api_key),
            )
        except PipelineError as exc:
            report.problems.append(f"Amsterdam gebieden/{table}: {exc}")
            continue
        total = (response.data.get("page") or {}).get("totalElements", "?")
        counts.append(f"{table} {total}")
    if counts:
        report.lines.append(
            f"Amsterdam gebieden (geldigOp {settings.geldig_op}): {', '.join(counts)}"
        )
    return report


def _newest_bbga_year(http: HttpClient, settings: Settings, dataset: str, variable: str) -> int:
    """The newest year one variable has figures for, in the dataset that defines it."""
    base, key = settings.amsterdam_api_url, settings.amsterdam_api_key
    if dataset == statistieken.DATASET:
        pages = statistieken.fetch_figures(http, base, variable, [1900, 2100], key)
        frame = statistieken.parse_figures(embedded(pages, statistieken.FIGURES))
    else:
        pages = bbga.fetch_kerncijfers(http, base, variable, [1900, 2100], key)
        frame = bbga.parse_kerncijfers(embedded(pages, "kerncijfers"))
    return int(frame["year"].max()) if len(frame) else 0


def check_bbga(
    http: HttpClient, settings: Settings, years: list[int], indicators: tuple[Indicator, ...]
) -> CheckReport:
    """Which dataset answers (the `statistieken` successor or the BBGA), whether it still
    defines each catalogue variable with the expected symbol, and its newest year."""
    report = CheckReport()
    try:
        definitions = bbga.fetch_definitions_any(
            http, settings.amsterdam_api_url, settings.amsterdam_api_key
        )
    except PipelineError as exc:
        report.problems.append(f"Amsterdam statistics (statistieken, BBGA): {exc}")
        return report
    wanted = bbga.bbga_indicators(indicators)
    plan = bbga.plan_variables(definitions.frame, wanted, years)
    test = " [test data]" if is_test_data(*definitions.frame["label"]) else ""
    used = sorted({definitions.dataset_of(v) for v in plan.variables})
    report.lines.append(
        f"Amsterdam statistics{test}: answered by {', '.join(definitions.answered) or 'none'}; "
        f"{len(plan.variables)} variables of {len(wanted)} indicators map, from "
        f"{', '.join(used) or '-'} ({len(definitions.frame)} variables defined)"
    )
    report.problems += sorted({f"BBGA: {gap.reason} Fix: {gap.fix}" for gap in plan.gaps})
    if plan.variables:
        first = plan.variables[0]
        try:
            newest = _newest_bbga_year(http, settings, definitions.dataset_of(first), first)
        except PipelineError as exc:
            report.problems.append(f"Amsterdam statistics, figures of {first}: {exc}")
            return report
        report.newest[bbga.SOURCE] = (newest, f"{definitions.dataset_of(first)} {newest}")
        report.offered_rows.append(
            (bbga.SOURCE, newest, definitions.dataset_of(first), first, None)
        )
    return report


def store_years(target: store_mod.Store) -> dict[str, int]:
    """The newest year the store holds per source (nothing for an absent or empty store)."""
    if not target.exists() or not target.has_data():
        return {}
    return held_years(target.table("sources"), target.table("indicator_sources"))


def behind_lines(newest: dict[str, tuple[int, str]], held: dict[str, int]) -> list[str]:
    """Per source, the newest edition offered and whether the store has it."""
    lines = []
    for source, (year, what) in sorted(newest.items()):
        have = held.get(source)
        if have is None:
            lines.append(f"{source:<10} newest offered: {what}; the store has none")
        elif year > have:
            lines.append(f"{source:<10} store is behind: {what} available (the store has {have})")
        else:
            lines.append(f"{source:<10} newest offered: {what}; the store has it")
    return lines


def _jobs(
    http: HttpClient,
    settings: Settings,
    offers: editions.Offers,
    years: list[int],
    indicators: tuple[Indicator, ...],
) -> list[Callable[[], CheckReport]]:
    cbs = kwb.cbs_indicators(indicators)
    newest = max(offers.kwb, default=max(years, default=0))
    pdok = sorted({*years, *range(newest, newest + 1 + PDOK_LOOKAHEAD)})
    jobs: list[Callable[[], CheckReport]] = [
        partial(check_flows, http, settings.cbs_odata_url),
        partial(check_amsterdam, http, settings),
        partial(check_bbga, http, settings, years, indicators),
    ]
    jobs += [
        partial(check_kwb_edition, http, settings.cbs_odata_url, offers.kwb[y], cbs)
        for y in years
        if y in offers.kwb
    ]
    jobs += [partial(check_pdok_year, http, settings.pdok_url, y, y in years) for y in pdok]
    return jobs


def run_check(
    settings: Settings,
    region: Region,
    years: list[int] | None,
    indicators: tuple[Indicator, ...],
    target: store_mod.Store | None = None,
) -> CheckReport:
    """Ask every service its questions concurrently (with a throwaway cache) and report; the
    editions are those the CBS catalog lists within the region's range unless `years` are
    given. When `target` holds a store, what was offered is recorded in it."""
    with tempfile.TemporaryDirectory(prefix="armoede-check-") as tmp:
        http = HttpClient(Path(tmp), retries=2, backoff=0.2)
        offers = editions.discover(http, settings.cbs_odata_url, region, ("kwb", "flows"))
        chosen = years if years is not None else region.kwb_years_within(offers.kwb)
        report = CheckReport(problems=list(offers.warnings))
        if (newest := offers.newest_kwb) is not None:
            report.newest[kwb.SOURCE] = (newest, f"KWB {newest} ({offers.kwb[newest].table_id})")
        for part in http.map(lambda job: job(), _jobs(http, settings, offers, chosen, indicators)):
            report.add(part)
    if target is not None:
        report.lines += ["", *behind_lines(report.newest, store_years(target))]
        record_offers(target, offers, report)
    return report


def record_offers(target: store_mod.Store, offers: editions.Offers, report: CheckReport) -> None:
    """Write what the services offered into the store's `service_editions` (when it holds
    data), so the app can say when the store is behind."""
    if not target.exists() or not target.has_data():
        return
    with target.lock():
        existing = target.table("service_editions")
        table = editions.offered_table(existing, offers, "check", report.offered_rows)
        target.publish(store_mod.Publish({"service_editions": pd.DataFrame(table)}))
