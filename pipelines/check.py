"""A live preflight: ask each configured service a few small questions, build nothing.

``python -m pipelines check`` reports, per KWB edition, the table and which catalogue
indicators map to a column (key and unit) and which do not; per PDOK year the layer names; the
dimensions and periods of 81734NED; and the number of objects per Amsterdam gebieden table.
It never reads or writes the response cache, so it shows what the services answer now: ten
seconds for someone with internet to see whether CBS, PDOK or Amsterdam changed something.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from geodata.catalogue import Indicator
from geodata.config import Region, Settings
from pipelines import amsterdam, bbga, boundaries, cbs_odata, flows, kwb
from pipelines._dso import api_headers, embedded
from pipelines._http import HttpClient
from pipelines.errors import PipelineError
from pipelines.result import is_test_data


@dataclass
class CheckReport:
    """Lines to print, and the problems among them (each a line that says what to fix)."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, other: CheckReport) -> None:
        self.lines += other.lines
        self.problems += other.problems


def check_kwb_edition(
    http: HttpClient, base: str, year: int, indicators: tuple[Indicator, ...]
) -> CheckReport:
    """The table of one edition and how the catalogue's indicators map onto its columns."""
    report = CheckReport()
    table_id = kwb.KNOWN_TABLES.get(year, "?")
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


def check_pdok_year(http: HttpClient, base: str, year: int) -> CheckReport:
    """The layer names one year's WFS offers, and which the pipeline would use."""
    report = CheckReport()
    try:
        capabilities = boundaries.fetch_capabilities(http, base, year).data
        names = boundaries.pick_type_names(capabilities, year)
    except PipelineError as exc:
        report.problems.append(f"PDOK {year}: {exc}")
        return report
    test = " [TEST DATA]" if is_test_data(capabilities.title) else ""
    report.lines.append(f"PDOK {year}{test}: " + ", ".join(f"{k} = {v}" for k, v in names.items()))
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


def check_bbga(
    http: HttpClient, settings: Settings, years: list[int], indicators: tuple[Indicator, ...]
) -> CheckReport:
    """Whether the BBGA still defines each catalogue variable, with the expected symbol."""
    report = CheckReport()
    try:
        pages = bbga.fetch_definitions(http, settings.amsterdam_api_url, settings.amsterdam_api_key)
    except PipelineError as exc:
        report.problems.append(f"Amsterdam BBGA definitions: {exc}")
        return report
    definitions = bbga.parse_definitions(embedded(pages, "indicatoren_definities"))
    wanted = bbga.bbga_indicators(indicators)
    plan = bbga.plan_variables(definitions, wanted, years)
    test = " [test data]" if is_test_data(*definitions["label"]) else ""
    report.lines.append(
        f"Amsterdam BBGA{test}: {len(plan.variables)} of {len(wanted)} indicators map "
        f"({len(definitions)} variables defined)"
    )
    report.problems += sorted({f"BBGA: {gap.reason} Fix: {gap.fix}" for gap in plan.gaps})
    return report


def run_check(
    settings: Settings, region: Region, years: list[int], indicators: tuple[Indicator, ...]
) -> CheckReport:
    """Ask every service its questions concurrently (with a throwaway cache) and report."""
    with tempfile.TemporaryDirectory(prefix="armoede-check-") as tmp:
        http = HttpClient(Path(tmp), retries=2, backoff=0.2)
        jobs: list[Callable[[], CheckReport]] = [
            partial(check_flows, http, settings.cbs_odata_url),
            partial(check_amsterdam, http, settings),
            partial(check_bbga, http, settings, years, indicators),
        ]
        cbs = kwb.cbs_indicators(indicators)
        jobs += [partial(check_kwb_edition, http, settings.cbs_odata_url, y, cbs) for y in years]
        jobs += [partial(check_pdok_year, http, settings.pdok_url, y) for y in years]
        report = CheckReport()
        for part in http.map(lambda job: job(), jobs):
            report.add(part)
    return report
