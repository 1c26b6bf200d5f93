"""The store's schema: a public contract, since researchers open the store in QGIS.

Every table with its documentation and its columns (name, type, documentation) in order, their
keys and indexes, the column types writes enforce, and how a table written by an earlier
version is read in today's columns (`upgrade`). Both backends (`geodata.gpkg`,
`geodata.postgis`) write exactly this; the interface they implement is `geodata.store.Store`.

In the whole store `year` means the KWB edition for indicators, the boundary year for areas
and the calendar year for flows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geodata.errors import StoreError

CRS = "EPSG:28992"
LEVELS = ("gemeente", "wijk", "buurt")
#: Amsterdam's own levels (no CBS counterpart; codes are Amsterdam's, areas from its API).
AMSTERDAM_LEVELS = ("stadsdeel", "gebied")
ALL_LEVELS = LEVELS + AMSTERDAM_LEVELS
PROJECT = "armoede-regio-amsterdam"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "text", "integer", "real" or "boolean"
    doc: str


def _c(name: str, type_: str, doc: str) -> Column:
    return Column(name, type_, doc)


#: Every table: its documentation and its columns (name, type, documentation), in order.
TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "areas": (
        "Gemeenten, wijken and buurten per boundary year (CBS/Kadaster via PDOK), and "
        "Amsterdam's stadsdelen and gebieden (Gemeente Amsterdam, gebieden API), EPSG:28992.",
        (
            _c(
                "code",
                "text",
                "CBS region code (GM/WK/BU); Amsterdam's own code for its stadsdelen and gebieden",
            ),
            _c("name", "text", "name of the area in that year"),
            _c("level", "text", "gemeente, wijk, buurt, or (Amsterdam only) stadsdeel, gebied"),
            _c("gemeente_code", "text", "CBS code of the municipality the area lies in"),
            _c("wijk_code", "text", "CBS code of the wijk a buurt lies in (empty otherwise)"),
            _c("year", "integer", "boundary year (the KWB edition whose division this is)"),
        ),
    ),
    "indicator_values": (
        "One value per area, KWB edition and indicator (null where CBS suppresses or lacks it).",
        (
            _c("area_code", "text", "CBS region code (NL00 is the country)"),
            _c("year", "integer", "KWB edition"),
            _c("indicator", "text", "indicator id (see indicators.id)"),
            _c("value", "real", "the value in the indicator's unit; null = suppressed/unknown"),
        ),
    ),
    "indicators": (
        "The indicator catalogue: labels, units, descriptions, aggregation and direction.",
        (
            _c("id", "text", "indicator id"),
            _c("group", "text", "theme"),
            _c("label_nl", "text", "Dutch label"),
            _c("label_en", "text", "English label"),
            _c("unit", "text", "unit of the values"),
            _c("description_nl", "text", "Dutch definition for policy advisors"),
            _c("description_en", "text", "English definition"),
            _c("aggregation", "text", "sum (counts) or mean (weighted by weight)"),
            _c("weight", "text", "the indicator that weights a mean"),
            _c("direction", "text", "higher_is_worse, higher_is_better or neutral"),
        ),
    ),
    "indicator_sources": (
        "Where each indicator comes from per edition: table, key, unit, status, retrieval.",
        (
            _c("source", "text", "the pipeline that owns this indicator and edition"),
            _c("indicator", "text", "indicator id"),
            _c("year", "integer", "KWB edition"),
            _c("status", "text", "published, not_published, empty_in_table, or a gap status"),
            _c("table_id", "text", "CBS table id"),
            _c("source_key", "text", "the column used (or how a share was computed)"),
            _c("source_title", "text", "the column's title at the source"),
            _c("source_unit", "text", "the unit the source states"),
            _c("reference_period", "text", "reference date or period where the source states it"),
            _c("retrieved_at", "text", "when the values were retrieved (UTC, ISO 8601)"),
            _c("note", "text", "reason of a gap, or that values were kept from an earlier build"),
        ),
    ),
    "flows": (
        "Persons moving between municipalities per calendar year (CBS 81734NED).",
        (
            _c("year", "integer", "calendar year"),
            _c("origin_code", "text", "municipality moved from (NL01 = the whole country)"),
            _c("destination_code", "text", "municipality moved to (NL01 = the whole country)"),
            _c("persons", "real", "persons; null where CBS leaves the cell empty"),
        ),
    ),
    "flow_regions": (
        "Names of the region codes used in flows.",
        (_c("code", "text", "CBS region code"), _c("name", "text", "name")),
    ),
    "income_flows": (
        "Imported moves by income group (python -m pipelines import-flows).",
        (
            _c("year", "integer", "calendar year"),
            _c("origin_code", "text", "municipality moved from (NL01 = the whole country)"),
            _c("destination_code", "text", "municipality moved to (NL01 = the whole country)"),
            _c("income_group", "text", "income group (see the README)"),
            _c("households", "integer", "households"),
        ),
    ),
    "amsterdam_areas": (
        "Amsterdam's own areas (gebieden API): buurten, wijken, ggw-gebieden, stadsdelen.",
        (
            _c("kind", "text", "buurt, wijk, ggwgebied or stadsdeel"),
            _c("identificatie", "text", "Amsterdam's identifier"),
            _c("code", "text", "Amsterdam's code"),
            _c("name", "text", "name"),
            _c("cbs_code", "text", "the CBS code of the same area, where there is one"),
            _c("parent_identificatie", "text", "the area it lies in"),
            _c("stadsdeel_identificatie", "text", "its stadsdeel"),
            _c("ggwgebied_identificatie", "text", "its ggw-gebied"),
            _c("begin_geldigheid", "text", "valid from"),
            _c("eind_geldigheid", "text", "valid until (empty: still valid)"),
        ),
    ),
    "crosswalk": (
        "From each boundary year's buurten directly to the reference year's (the newest unless "
        "the build says otherwise): which share of an area's content goes where, and how that "
        "share was found.",
        (
            _c("from_code", "text", "CBS code of the area in its own boundary year"),
            _c("from_year", "integer", "that boundary year"),
            _c("to_code", "text", "CBS code of the area in the reference year"),
            _c("to_year", "integer", "the reference year"),
            _c("weight", "real", "the share of the source's content that goes to the target"),
            _c(
                "method",
                "text",
                "exact (the source lies within the target), households (split by where "
                "households live), or area (split by land area, the last resort)",
            ),
        ),
    ),
    "harmonised_values": (
        "Indicator values of every edition on the reference year's buurten (via crosswalk): "
        "counts split by weight, shares and means rebuilt from weighted parts.",
        (
            _c("indicator", "text", "indicator id"),
            _c("year", "integer", "KWB edition the value comes from"),
            _c("reference_year", "integer", "the boundary year whose buurten it is on"),
            _c("code", "text", "CBS code of the buurt in the reference year"),
            _c("value", "real", "the value; null when a source area had none (suppressed)"),
            _c("method", "text", "exact, households or area: the least exact contribution"),
            _c("estimated_share", "real", "the share of the value that was estimated (0-1)"),
            _c(
                "error_band",
                "real",
                "plus or minus, in the unit: measured typical error times the estimated share",
            ),
        ),
    ),
    "harmonisation_errors": (
        "How far off a figure is when estimated from a larger area as a split buurt is: each "
        "wijk's figure shared out over its buurten (and each gemeente's over its wijken), "
        "compared with CBS's own figures, per indicator, edition and method.",
        (
            _c("indicator", "text", "indicator id"),
            _c("year", "integer", "KWB edition"),
            _c("from_level", "text", "the larger level estimated from (wijk, gemeente)"),
            _c("to_level", "text", "the smaller level estimated (buurt, wijk)"),
            _c("method", "text", "households or area"),
            _c("areas", "integer", "areas compared"),
            _c("mean_abs_error", "real", "mean absolute error, in the indicator's unit"),
            _c("median_abs_error", "real", "median absolute error, in the indicator's unit"),
            _c("median_rel_error", "real", "median relative error (a share of the true figure)"),
        ),
    ),
    "build_info": (
        "The last build that wrote the store: when, and a digest of everything besides the "
        "responses that decides what it writes (code, catalogue, region, service URLs, what "
        "the services offered, the plan). A rebuild with the same digest whose responses all "
        "match the store's `sources` writes nothing.",
        (
            _c("built_at", "text", "when the build finished (UTC, ISO 8601)"),
            _c("inputs_digest", "text", "sha256 of the build's inputs besides the responses"),
            _c("plan", "text", "the sources and years it pulled, e.g. 'kwb 2015-2025; flows …'"),
        ),
    ),
    "service_editions": (
        "What each service offered when it was last asked (by a build or a check): the KWB "
        "editions in the CBS catalog, the years of 81734NED, PDOK years, BBGA years. The app "
        "compares it with what the store holds and says when the store is behind.",
        (
            _c("source", "text", "kwb, flows, boundaries or bbga"),
            _c("year", "integer", "an edition or year the service offers"),
            _c("table_id", "text", "CBS table id, or the dataset that answered"),
            _c("title", "text", "the title the service gives it"),
            _c("modified", "text", "when the service last changed it (CBS catalog), if stated"),
            _c("checked_at", "text", "when the service was asked (UTC, ISO 8601)"),
            _c("checked_by", "text", "build or check"),
        ),
    ),
    "sources": (
        "One row per response the store was built from, and per gap.",
        (
            _c("source", "text", "pipeline (kwb, flows, boundaries, amsterdam, income_flows)"),
            _c("table_id", "text", "CBS table id, dataset, or the reference of an import"),
            _c("entity", "text", "entity set, layer or file"),
            _c("year", "integer", "edition or year (empty when the response has none)"),
            _c("url", "text", "the URL fetched"),
            _c("retrieved_at", "text", "retrieval time (UTC, ISO 8601)"),
            _c("rows", "integer", "rows in the response"),
            _c("sha256", "text", "checksum of the response body"),
            _c("test_data", "boolean", "the service marked the data as test data"),
            _c("status", "text", "ok, or gap for what could not be fetched"),
            _c("note", "text", "what went wrong and the fix, for a gap"),
        ),
    ),
}

#: Columns of every table and layer, in order.
SCHEMA: dict[str, tuple[str, ...]] = {
    name: tuple(c.name for c in columns) for name, (_, columns) in TABLES.items()
}

#: Primary keys (PostGIS); `sources` has a surrogate key.
KEYS: dict[str, tuple[str, ...]] = {
    "areas": ("year", "level", "code"),
    "indicator_values": ("indicator", "year", "area_code"),
    "indicators": ("id",),
    "indicator_sources": ("source", "indicator", "year"),
    "flows": ("year", "origin_code", "destination_code"),
    "flow_regions": ("code",),
    "income_flows": ("year", "origin_code", "destination_code", "income_group"),
    "amsterdam_areas": ("kind", "code"),  # valid on one date; the mirror repeats an identificatie
    "service_editions": ("source", "year"),
    "build_info": ("built_at",),
    "crosswalk": ("from_year", "from_code", "to_code"),
    "harmonised_values": ("indicator", "year", "reference_year", "code"),
    "harmonisation_errors": ("indicator", "year", "from_level", "to_level", "method"),
}

#: Secondary indexes.
INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "indicator_values": (("area_code",),),
    "areas": (("code",),),
    "harmonised_values": (("code",),),  # a buurt's harmonised history (the profile page)
}

#: Tables that only exist after an import (`python -m pipelines import-flows`), or that a store
#: written by an earlier version lacks (read as empty).
OPTIONAL = frozenset(
    {
        "income_flows",
        "service_editions",
        "crosswalk",
        "harmonised_values",
        "harmonisation_errors",
        "build_info",
    }
)

#: Tables with geometry.
SPATIAL = frozenset({"areas"})

#: Column types that writes enforce (nullable where the schema allows an empty value).
DTYPES: dict[str, dict[str, str]] = {
    "sources": {"year": "Int64", "rows": "int64", "test_data": "bool"},
    "indicator_sources": {"year": "int64"},
    "indicator_values": {"year": "int64", "value": "float64"},
    "flows": {"year": "int64", "persons": "float64"},
    "income_flows": {"year": "int64", "households": "int64"},
    "areas": {"year": "int64"},
    "service_editions": {"year": "int64"},
    "crosswalk": {"from_year": "int64", "to_year": "int64", "weight": "float64"},
    "harmonised_values": {
        "year": "int64",
        "reference_year": "int64",
        "value": "float64",
        "estimated_share": "float64",
        "error_band": "float64",
    },
    "harmonisation_errors": {"year": "int64", "areas": "int64"},
}

#: Columns renamed since an earlier version of the schema (old name -> new name).
RENAMED: dict[str, dict[str, str]] = {
    "indicator_sources": {
        "cbs_key": "source_key",
        "cbs_title": "source_title",
        "cbs_unit": "source_unit",
    },
}

#: Values for columns that a store written by an earlier version lacks.
DEFAULTS: dict[str, dict[str, object]] = {
    "indicator_sources": {"source": "kwb"},
    "sources": {"test_data": 0, "status": "ok"},
}

#: Rebuild instructions, repeated in several messages.
BUILD_HINT = "python -m pipelines build"


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame with the columns of table `name` (a GeoDataFrame for layers)."""
    columns = {c: pd.Series(dtype="object") for c in SCHEMA[name]}
    if name in SPATIAL:
        return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(crs=CRS))
    return pd.DataFrame(columns)


def check_read(name: str, columns: Iterable[str] = ()) -> None:
    """Refuse a read of anything but a non-spatial table and its own columns (the backends
    put these names into their queries)."""
    if name not in SCHEMA or name in SPATIAL:
        raise StoreError(
            f"{name!r} is not a table of the store; tables: {sorted(set(SCHEMA) - SPATIAL)}."
        )
    unknown = [c for c in columns if c not in SCHEMA[name]]
    if unknown:
        raise StoreError(f"{name!r} has no column {unknown[0]!r}; its columns: {SCHEMA[name]}.")


def typed_columns(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Some columns of table `name`, cast to the types writes enforce."""
    types = DTYPES.get(name, {})
    return frame.astype({c: types[c] for c in frame.columns if c in types})


def check_columns(name: str, frame: pd.DataFrame) -> None:
    if name not in SCHEMA:
        raise StoreError(f"Unknown store table {name!r}; the schema has {sorted(SCHEMA)}.")
    expected = list(SCHEMA[name])
    got = [c for c in frame.columns if c != "geometry"]
    if got != expected:
        raise StoreError(
            f"Table {name!r} has columns {got}, but the store schema needs {expected}. "
            "This is a bug in the pipeline that produced it; please report it."
        )


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` checked against the schema of `name` and cast to its column types."""
    check_columns(name, frame)
    out = frame.astype(DTYPES.get(name, {}))
    if name in SPATIAL:
        if not isinstance(out, gpd.GeoDataFrame):
            raise StoreError(f"Layer {name!r} must be a GeoDataFrame with geometry.")
        out = out.to_crs(CRS) if out.crs is not None else out.set_crs(CRS)
    return out


def upgrade(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table read from a store written by an earlier version, in today's columns.

    Renamed columns get their new name, missing ones their default (or empty); the old
    `sources.dataset` text ("84583NED TypedDataSet") is split into table id and entity.
    """
    frame = frame.rename(columns=RENAMED.get(name, {}))
    if name == "sources" and "dataset" in frame.columns and "entity" not in frame.columns:
        parts = frame["dataset"].astype(str).str.extract(r"^(\d{5}NED)\s+(.*)$")
        frame = frame.assign(
            table_id=parts[0].fillna(""), entity=parts[1].fillna(frame["dataset"].astype(str))
        )
        frame["year"] = frame["year"].where(frame["year"] != 0)
    for column in SCHEMA[name]:
        if column not in frame.columns:
            frame[column] = DEFAULTS.get(name, {}).get(column)
    columns = [*SCHEMA[name], "geometry"] if name in SPATIAL else list(SCHEMA[name])
    out = frame[columns].astype(DTYPES.get(name, {}))
    return gpd.GeoDataFrame(out, crs=CRS) if name in SPATIAL else out
