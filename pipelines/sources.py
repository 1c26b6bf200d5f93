"""The registry of sources: what each pulls, which store tables it owns, how to run it.

`build`, the CLI's ``--only`` and its help text all derive from `SOURCES`; adding a source
means adding one module with a ``run`` that returns a `SourceResult`, and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from geodata.catalogue import Indicator
from geodata.config import Region, Settings
from pipelines import amsterdam, boundaries, flows, kwb
from pipelines._http import HttpClient
from pipelines.result import SourceResult

Progress = Callable[[], None]


@dataclass(frozen=True)
class SourceContext:
    """What every source needs to run."""

    http: HttpClient
    settings: Settings
    region: Region
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class SourceSpec:
    """One source of the store.

    `owns` maps each store table the source writes to the key columns whose values a build
    replaces: ``("year",)`` replaces the years pulled and keeps the others, ``()`` replaces
    the whole table. Indicator tables are owned per (source, indicator, edition).
    """

    name: str
    description: str
    owns: dict[str, tuple[str, ...]]
    years: Callable[[Region], list[int]]
    jobs: Callable[[list[int]], int]
    run: Callable[[SourceContext, list[int], Progress], SourceResult]

    def years_to_pull(self, region: Region, requested: list[int] | None) -> list[int]:
        """The requested years within this source's range (all of it when none are requested)."""
        available = self.years(region)
        return available if requested is None else [y for y in requested if y in available]

    @property
    def per_year(self) -> bool:
        return any(keys for keys in self.owns.values())


def _run_kwb(ctx: SourceContext, years: list[int], progress: Progress) -> SourceResult:
    return kwb.run(
        ctx.http, ctx.settings.cbs_odata_url, ctx.region, years, ctx.indicators, progress=progress
    )


def _run_flows(ctx: SourceContext, years: list[int], progress: Progress) -> SourceResult:
    return flows.run(ctx.http, ctx.settings.cbs_odata_url, ctx.region, years, progress=progress)


def _run_boundaries(ctx: SourceContext, years: list[int], progress: Progress) -> SourceResult:
    return boundaries.run(ctx.http, ctx.settings.pdok_url, ctx.region, years, progress=progress)


def _run_amsterdam(ctx: SourceContext, years: list[int], progress: Progress) -> SourceResult:
    return amsterdam.run(
        ctx.http,
        ctx.settings.amsterdam_api_url,
        ctx.settings.geldig_op,
        ctx.settings.amsterdam_api_key,
        progress=progress,
    )


SOURCES: dict[str, SourceSpec] = {
    spec.name: spec
    for spec in (
        SourceSpec(
            name=kwb.SOURCE,
            description="CBS Kerncijfers wijken en buurten, one table per edition",
            owns={
                "indicator_values": ("indicator", "year"),
                "indicator_sources": ("indicator", "year"),
            },
            years=Region.kwb_year_range,
            jobs=len,
            run=_run_kwb,
        ),
        SourceSpec(
            name=flows.SOURCE,
            description="CBS 81734NED, moves between municipalities per calendar year",
            owns={"flows": ("year",), "flow_regions": ()},
            years=Region.flow_year_range,
            jobs=len,
            run=_run_flows,
        ),
        SourceSpec(
            name=boundaries.SOURCE,
            description="PDOK WFS wijken en buurten, boundaries per year",
            owns={"areas": ("year",)},
            years=Region.kwb_year_range,
            jobs=len,
            run=_run_boundaries,
        ),
        SourceSpec(
            name=amsterdam.SOURCE,
            description="Amsterdam DSO API gebieden, the city's own areas (valid on geldigOp)",
            owns={"amsterdam_areas": ()},
            years=lambda region: [],
            jobs=lambda years: len(amsterdam.TABLES),
            run=_run_amsterdam,
        ),
    )
}

NAMES: tuple[str, ...] = tuple(SOURCES)
