"""The registry of sources: what each pulls, which store tables it owns, how to run it.

`build`, the CLI's ``--only`` and its help text all derive from `SOURCES`; adding a source
means adding one module with a ``run`` that returns a `SourceResult`, and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from geodata.catalogue import Indicator
from geodata.config import Region, Settings
from pipelines import amsterdam, bbga, boundaries, flows, kwb
from pipelines._http import HttpClient
from pipelines.editions import Offers
from pipelines.merge import Partition
from pipelines.result import SourceResult

Progress = Callable[[], None]


@dataclass(frozen=True)
class SourceContext:
    """What every source needs to run."""

    http: HttpClient
    settings: Settings
    region: Region
    indicators: tuple[Indicator, ...]
    offers: Offers = field(default_factory=Offers)


@dataclass(frozen=True)
class SourceSpec:
    """One source of the store.

    `years` gives the years a build pulls: what the services offer (`Offers`, discovered at
    the start of every build) within the region's range.
    `owns` maps each store table the source writes to the key columns whose values a build
    replaces: ``("year",)`` replaces the years pulled and keeps the others, ``()`` replaces
    the whole table. Indicator tables are owned per (source, indicator, edition).
    `partitions` narrows a table two sources share to the rows of one source, by a column and
    its values: PDOK owns the `areas` of levels gemeente, wijk and buurt, the BBGA those of
    Amsterdam's stadsdelen and gebieden.
    """

    name: str
    description: str
    owns: dict[str, tuple[str, ...]]
    years: Callable[[Region, Offers], list[int]]
    jobs: Callable[[list[int]], int]
    run: Callable[[SourceContext, list[int], Progress], SourceResult]
    partitions: dict[str, Partition] = field(default_factory=dict)

    def years_to_pull(
        self, region: Region, offers: Offers, requested: list[int] | None
    ) -> list[int]:
        """The requested years among those offered (all offered when none are requested)."""
        available = self.years(region, offers)
        return available if requested is None else [y for y in requested if y in available]

    @property
    def per_year(self) -> bool:
        return any(keys for keys in self.owns.values())


def _kwb_years(region: Region, offers: Offers) -> list[int]:
    """The KWB editions the CBS catalog lists, within the region's range."""
    return region.kwb_years_within(offers.kwb)


def _flow_years(region: Region, offers: Offers) -> list[int]:
    """The years of 81734NED's periods, within the region's range."""
    return region.flow_years_within(offers.flow_years)


def _run_kwb(ctx: SourceContext, years: list[int], progress: Progress) -> SourceResult:
    return kwb.run(
        ctx.http,
        ctx.settings.cbs_odata_url,
        ctx.region,
        [ctx.offers.kwb[y] for y in years],
        kwb.cbs_indicators(ctx.indicators),
        ctx.offers.catalog_pages,
        progress=progress,
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


def _run_bbga(ctx: SourceContext, years: list[int], progress: Progress) -> SourceResult:
    return bbga.run(
        ctx.http,
        ctx.settings.amsterdam_api_url,
        years,
        ctx.indicators,
        ctx.settings.amsterdam_api_key,
        progress=progress,
    )


def _bbga_jobs(years: list[int]) -> int:
    """Gebieden versions (4 tables) and one listing per BBGA variable of the catalogue."""
    from geodata.catalogue import load_catalogue

    variables = {s.stem for i in bbga.bbga_indicators(load_catalogue()) for s in i.sources}
    return len(bbga.LINKED_LEVELS) + len(bbga.OWN_LEVELS) + len(variables)


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
            years=_kwb_years,
            jobs=len,
            run=_run_kwb,
        ),
        SourceSpec(
            name=flows.SOURCE,
            description="CBS 81734NED, moves between municipalities per calendar year",
            owns={"flows": ("year",), "flow_regions": ()},
            years=_flow_years,
            jobs=len,
            run=_run_flows,
        ),
        SourceSpec(
            name=boundaries.SOURCE,
            description="PDOK WFS wijken en buurten, boundaries per year",
            owns={"areas": ("year",)},
            years=_kwb_years,
            jobs=len,
            run=_run_boundaries,
            partitions={"areas": Partition("level", ("gemeente", "wijk", "buurt"))},
        ),
        SourceSpec(
            name=amsterdam.SOURCE,
            description="Amsterdam DSO API gebieden, the city's own areas (valid on geldigOp)",
            owns={"amsterdam_areas": ()},
            years=lambda region, offers: [],
            jobs=lambda years: len(amsterdam.TABLES),
            run=_run_amsterdam,
        ),
        SourceSpec(
            name=bbga.SOURCE,
            description="Amsterdam DSO API bbga (OIS), the city's own neighbourhood statistics",
            owns={
                "indicator_values": ("indicator", "year"),
                "indicator_sources": ("indicator", "year"),
                "areas": ("year",),
            },
            years=_kwb_years,
            jobs=_bbga_jobs,
            run=_run_bbga,
            partitions={"areas": Partition("level", bbga.OWN_LEVEL_NAMES)},
        ),
    )
}

NAMES: tuple[str, ...] = tuple(SOURCES)
