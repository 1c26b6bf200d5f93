"""Amsterdam's neighbourhood statistics: the Basisbestand Gebieden Amsterdam (BBGA) of OIS.

The DSO API serves dataset ``bbga``: ``indicatoren_definities`` (per variable its label,
definition, source, reference date and symbol) and ``kerncijfers`` (``jaar``,
``gebiedcode15``, ``waarde``, ``indicatorDefinitieId``). Areas are Amsterdam's own codes:
``STAD`` for the city, letters for stadsdelen, ggw-gebieden, and its wijken and buurten
(``A00``/``A00a`` in the 2015 division, ``AA``/``AA01`` from 2022). The gebieden tables link
Amsterdam's wijk and buurt codes to CBS codes (``cbsCode``) for the division valid on
1 January of each year; ``STAD`` is GM0363; stadsdelen and gebieden have no CBS counterpart and
keep Amsterdam's codes (levels ``stadsdeel`` and ``gebied``, with geometry from the gebieden
API, into `areas`).

Which BBGA variable feeds which indicator lives in the catalogue (``kind = "bbga"``). A
variable the BBGA no longer lists, or with another symbol, is a gap for that indicator, not
a failed build.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import MultiPolygon, shape

from geodata import schema
from geodata.catalogue import Indicator
from pipelines import statistieken
from pipelines._dso import (
    embedded,
    embedded_rows,
    hal_pages,
    one_value_per_key,
    strict_number,
)
from pipelines._http import HttpClient, Response
from pipelines.errors import PipelineError, SchemaError, ServiceError
from pipelines.result import (
    Gap,
    Provenance,
    SourceResult,
    is_test_data,
    provenance,
    source_row,
)

SOURCE = "bbga"
TABLE_ID = "bbga"
#: Amsterdam redrew its wijken and buurten on this date; OIS publishes every year on it.
DIVISION_2022 = dt.date(2022, 3, 24)
CITY_CODE, AMSTERDAM = "STAD", "GM0363"
PAGE_SIZE = 10000
KERNCIJFER_FIELDS = "jaar,gebiedcode15,waarde,indicatorDefinitieId"
OWN_LEVELS = {"stadsdelen": "stadsdeel", "ggwgebieden": "gebied"}  # no CBS counterpart
LINKED_LEVELS = {"buurten": "buurt", "wijken": "wijk"}  # linked through cbsCode
OWN_LEVEL_NAMES = tuple(OWN_LEVELS.values())
SOURCE_COLUMNS = list(schema.SCHEMA["indicator_sources"])
_DAY_MONTH = re.compile(r"^\s*(\d{1,2}\s+[a-z]+)(.*)$", re.IGNORECASE)


def bbga_indicators(indicators: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
    """The catalogue's indicators that come from the BBGA."""
    return tuple(i for i in indicators if i.kind == "bbga")


# -- fetch -----------------------------------------------------------------------------------


def fetch_definitions(http: HttpClient, base: str, api_key: str | None) -> list[Response]:
    """All indicator definitions (one large page, as public clients of the API ask)."""
    params = {"_format": "json", "_pageSize": "100000"}
    url = f"{base}/v1/bbga/indicatoren_definities/"
    return hal_pages(http, url, params, "indicatoren_definities", api_key)


def kerncijfer_params(variable: str, years: list[int]) -> dict[str, str]:
    """One variable over the years, filtered on the server, only the fields used."""
    return {
        "indicatorDefinitieId": variable,
        "jaar[gte]": str(min(years)),
        "jaar[lte]": str(max(years)),
        "_fields": KERNCIJFER_FIELDS,
        "_format": "json",
        "_pageSize": str(PAGE_SIZE),
    }


def fetch_kerncijfers(
    http: HttpClient, base: str, variable: str, years: list[int], api_key: str | None
) -> list[Response]:
    """Every value of one variable for all Amsterdam areas in `years`."""
    url = f"{base}/v1/bbga/kerncijfers/"
    return hal_pages(http, url, kerncijfer_params(variable, years), "kerncijfers", api_key)


def fetch_versions(http: HttpClient, base: str, table: str, api_key: str | None) -> list[Response]:
    """Every version of one gebieden table (``geldigOp=*``), to know what was valid when."""
    params = {"_format": "json", "_pageSize": "2000", "geldigOp": "*"}
    return hal_pages(http, f"{base}/v1/gebieden/{table}/", params, table, api_key)


# -- parse -----------------------------------------------------------------------------------


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def parse_definitions(objects: list[dict[str, Any]]) -> pd.DataFrame:
    """variable, label, definition, source, reference_date, symbol (one row per variable)."""
    rows = []
    for obj in objects:
        variable = _text(obj.get("variabele"))
        if not variable:
            raise SchemaError(
                f"A BBGA definition lacks 'variabele': {str(obj)[:200]}. The dataset changed; "
                "check /v1/bbga/indicatoren_definities/ and pipelines/bbga.py."
            )
        rows.append(
            {
                "variable": variable,
                "label": _text(obj.get("label")),
                "definition": _text(obj.get("definitie")),
                "source": _text(obj.get("bron")),
                "reference_date": _text(obj.get("peildatum")),
                "symbol": _text(obj.get("symbool")),
            }
        )
    columns = ["variable", "label", "definition", "source", "reference_date", "symbol"]
    return pd.DataFrame(rows, columns=columns).drop_duplicates("variable")


def _year(value: object, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise SchemaError(f"{where}: jaar {value!r} is not a year. The BBGA answer changed.")


def parse_kerncijfers(objects: list[dict[str, Any]]) -> pd.DataFrame:
    """variable, year, gebiedcode15, value (NaN where the BBGA has no or a suppressed value)."""
    rows = []
    for obj in objects:
        where = f"BBGA kerncijfer {obj.get('id') or obj.get('indicatorDefinitieId')}"
        rows.append(
            {
                "variable": _text(obj.get("indicatorDefinitieId")),
                "year": _year(obj.get("jaar"), where),
                "gebiedcode15": _text(obj.get("gebiedcode15")),
                "value": strict_number(obj.get("waarde"), where),
            }
        )
    frame = pd.DataFrame(rows, columns=["variable", "year", "gebiedcode15", "value"])
    return one_value_per_key(frame.astype({"year": "int64", "value": "float64"}))


def _date(text: object) -> dt.date | None:
    value = _text(text)
    return dt.date.fromisoformat(value[:10]) if value else None


def parse_versions(objects: list[dict[str, Any]], table: str) -> pd.DataFrame:
    """code, name, cbs_code, begin, end, geometry (shapely, EPSG:28992) of every version."""
    rows = [
        {
            "table": table,
            "code": _text(obj.get("code")),
            "name": _text(obj.get("naam")),
            "cbs_code": _text(obj.get("cbsCode")) or None,
            "begin": _date(obj.get("beginGeldigheid")),
            "end": _date(obj.get("eindGeldigheid")),
            "geometry": shape(obj["geometrie"]) if obj.get("geometrie") else None,
        }
        for obj in objects
    ]
    columns = ["table", "code", "name", "cbs_code", "begin", "end", "geometry"]
    return pd.DataFrame(rows, columns=columns)


# -- normalise -------------------------------------------------------------------------------


def valid_on(versions: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The versions valid on `day` (begin on or before it, ended after it or not at all)."""
    begun = versions["begin"].map(lambda b: b is None or b <= day)
    open_ = versions["end"].map(lambda e: e is None or e > day)
    return versions[begun & open_]


def division_2022(versions: pd.DataFrame) -> pd.DataFrame:
    """Wijken and buurten of Amsterdam's 2022 division: the versions valid on 24 March 2022,
    and codes that began later (four buurten were re-delimited on 2023-10-25)."""
    linked = versions[versions["table"].isin(LINKED_LEVELS) & versions["cbs_code"].notna()]
    begun_later = linked[linked["begin"].map(lambda b: b is not None and b > DIVISION_2022)]
    current = valid_on(linked, DIVISION_2022)
    return pd.concat(
        [current, begun_later[~begun_later["code"].isin(current["code"])]], ignore_index=True
    ).drop_duplicates("code")


def _linked_rows(valid: pd.DataFrame, year: int, division: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": year,
            "gebiedcode15": valid["code"],
            "area_code": valid["cbs_code"],
            "level": valid["table"].map(LINKED_LEVELS),
            "division": division,
            "geometry": valid["geometry"],
        }
    )


def _own_rows(own: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "year": year,
            "gebiedcode15": own["code"],
            "area_code": own["code"],
            "level": own["table"].map(OWN_LEVELS),
        }
    )
    city = pd.DataFrame(
        {"year": [year], "gebiedcode15": [CITY_CODE], "area_code": [AMSTERDAM], "level": "gemeente"}
    )
    return pd.concat([rows, city], ignore_index=True).assign(division="own", geometry=None)


def code_links(versions: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Per year, each BBGA area code with the code it is stored under, its level, the division
    it belongs to and its outline.

    Wijken and buurten valid on 1 January take their CBS code (division ``own``). OIS
    publishes every year's figures on the 2022 division (it stamps every row with the
    2022-03-24 division), so codes of that division are linked in every year too (division
    ``2022``, where the year's own division lacks the code); `place_links` then puts them on
    the CBS area of that year with the same outline. Stadsdelen and gebieden keep Amsterdam's
    code in every year (the API has only their current version); ``STAD`` is GM0363.
    """
    own = versions[versions["table"].isin(OWN_LEVELS)].drop_duplicates("code")
    new = division_2022(versions)
    frames = []
    for year in years:
        valid = valid_on(versions, dt.date(year, 1, 1))
        linked = valid[valid["table"].isin(LINKED_LEVELS) & valid["cbs_code"].notna()]
        later = new[~new["code"].isin(linked["code"])]
        frames += [
            _linked_rows(linked, year, "own"),
            _linked_rows(later, year, "2022"),
            _own_rows(own, year),
        ]
    links = pd.concat(frames, ignore_index=True).astype({"year": "int64"})
    return links.drop_duplicates(["year", "gebiedcode15"]).reset_index(drop=True)


def reference_period(reference_date: str, year: int) -> str | None:
    """The BBGA's reference date for one year: "1 januari" → "1 januari 2023",
    "1 januari (inkomen over het voorgaande jaar)" → "1 januari 2023 (inkomen over …)", and
    "jaarcijfer" (a figure over the whole year: income, unemployment) → "2023 (jaarcijfer)"."""
    text = reference_date.strip()
    if not text:
        return None
    if text.lower() == "jaarcijfer":
        return f"{year} (jaarcijfer)"
    match = _DAY_MONTH.match(text)
    if match:
        return f"{match.group(1)} {year}{match.group(2)}"
    return f"{text} ({year})"


@dataclass(frozen=True)
class VariablePlan:
    """Which BBGA variable feeds which indicator, and the `indicator_sources` rows and gaps."""

    mapping: pd.DataFrame  # indicator, variable, year
    sources: pd.DataFrame  # indicator_sources rows (published rows get their retrieval later)
    gaps: tuple[Gap, ...]

    @property
    def variables(self) -> list[str]:
        return sorted(set(self.mapping["variable"]))


def _check_variable(
    ind: Indicator, variable: str, symbols: tuple[str, ...], found: pd.DataFrame
) -> Gap | None:
    if found.empty:
        return Gap(
            SOURCE,
            TABLE_ID,
            "indicatoren_definities",
            None,
            "missing_in_table",
            f"The BBGA has no variable {variable!r} (indicator {ind.id!r}).",
            f"Find its new name in /v1/bbga/indicatoren_definities/ and set `variable` of "
            f"{ind.id} in geodata/indicators.toml.",
            ind.id,
        )
    served = str(found.iloc[0]["symbol"])
    if served not in symbols:
        return Gap(
            SOURCE,
            TABLE_ID,
            "indicatoren_definities",
            None,
            "unit_mismatch",
            f"BBGA variable {variable!r} has symbol {served!r}, but indicator {ind.id!r} "
            f"expects {' or '.join(map(repr, symbols))}.",
            f"Check the BBGA definition of {variable} and adjust `symbols` of {ind.id} in "
            "geodata/indicators.toml (or the indicator's unit).",
            ind.id,
        )
    return None


def plan_variables(
    definitions: pd.DataFrame, indicators: tuple[Indicator, ...], years: list[int]
) -> VariablePlan:
    """Map the catalogue's BBGA indicators onto the variables the BBGA defines, per year."""
    mapping, rows, gaps = [], [], []
    for ind in indicators:
        for year in years:
            source = ind.source_for(year)
            if source is None:
                rows.append(source_row(SOURCE, ind.id, year, TABLE_ID, "not_published"))
                continue
            found = definitions[definitions["variable"] == source.stem]
            gap = _check_variable(ind, source.stem, source.units, found)
            if gap is not None:
                rows.append(source_row(SOURCE, ind.id, year, TABLE_ID, gap.status, note=gap.reason))
                gaps.append(Gap(**{**gap.__dict__, "year": year}))
                continue
            definition = found.iloc[0]
            mapping.append({"indicator": ind.id, "variable": source.stem, "year": year})
            rows.append(
                source_row(
                    SOURCE,
                    ind.id,
                    year,
                    TABLE_ID,
                    "published",
                    source_key=source.stem,
                    source_title=definition["label"],
                    source_unit=definition["symbol"] or None,
                    reference_period=reference_period(definition["reference_date"], year),
                )
            )
    return VariablePlan(
        pd.DataFrame(mapping, columns=["indicator", "variable", "year"]),
        pd.DataFrame(rows, columns=SOURCE_COLUMNS),
        tuple(gaps),
    )


def normalise_values(
    kerncijfers: pd.DataFrame, links: pd.DataFrame, plan: VariablePlan
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(indicator_values rows, indicator_sources rows, unlinked codes per year).

    Values are stored under the linked code of their year. A published (indicator, year)
    without a single value becomes ``empty_in_table``. Codes that no area valid on 1 January
    of their year carries are returned, not guessed.
    """
    joined = kerncijfers.merge(plan.mapping, on=["variable", "year"], how="inner")
    linked = joined.merge(links, on=["year", "gebiedcode15"], how="left")
    unlinked = linked[linked["area_code"].isna()][["year", "gebiedcode15"]].drop_duplicates()
    linked = linked.dropna(subset=["area_code"])
    values = linked[["area_code", "year", "indicator", "value"]].reset_index(drop=True)
    known = values.dropna(subset=["value"])
    has_values = set(zip(known["indicator"], known["year"], strict=True))
    sources = plan.sources.copy()
    published = sources["status"] == "published"
    empty = [
        (i, y) not in has_values for i, y in zip(sources["indicator"], sources["year"], strict=True)
    ]
    sources.loc[published & pd.Series(empty, index=sources.index), "status"] = "empty_in_table"
    return values.astype({"year": "int64", "value": "float64"}), sources, unlinked


def _multipolygon(geometry: object) -> MultiPolygon | None:
    if geometry is None:
        return None
    if isinstance(geometry, MultiPolygon):
        return geometry
    return MultiPolygon([geometry])


def own_level_areas(versions: pd.DataFrame, years: list[int]) -> tuple[gpd.GeoDataFrame, list[str]]:
    """`areas` rows of the stadsdelen and gebieden valid on 1 January of each year.

    Before a level's first version (the gebieden API starts the current stadsdelen and
    gebieden on 2022-03-24) the first version is drawn, and a note says so.
    """
    rows, notes = [], []
    own = versions[versions["table"].isin(OWN_LEVELS) & versions["geometry"].notna()]
    for (table, code), group in own.groupby(["table", "code"]):
        for year in years:
            valid = valid_on(group, dt.date(year, 1, 1))
            chosen = valid if len(valid) else group.sort_values("begin").head(1)
            if valid.empty and year == years[0]:
                notes.append(f"{OWN_LEVELS[str(table)]} {code}")
            version = chosen.iloc[-1]
            rows.append(
                {
                    "code": code,
                    "name": version["name"],
                    "level": OWN_LEVELS[str(table)],
                    "gemeente_code": AMSTERDAM,
                    "wijk_code": None,
                    "year": year,
                    "geometry": _multipolygon(version["geometry"]),
                }
            )
    frame = pd.DataFrame(rows, columns=[*schema.SCHEMA["areas"], "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=schema.CRS), notes


def link_outlines(links: pd.DataFrame) -> gpd.GeoDataFrame:
    """year, area_code, level, geometry of every linked wijk and buurt (Amsterdam's outline)."""
    linked = links[links["level"].isin(LINKED_LEVELS.values()) & links["geometry"].notna()]
    frame = linked[["year", "area_code", "level", "geometry"]].reset_index(drop=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=schema.CRS)


def _overlap(ours: gpd.GeoSeries, theirs: gpd.GeoSeries) -> np.ndarray:
    """Intersection over union of two aligned series of outlines."""
    common = ours.intersection(theirs, align=False).area.to_numpy()
    union = ours.area.to_numpy() + theirs.area.to_numpy() - common
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, common / union, 0.0)


def _same_code(outlines: gpd.GeoDataFrame, cbs: gpd.GeoDataFrame) -> pd.Series:
    """Per outline, its overlap with the CBS area of the same code and year (NaN: none)."""
    joined = pd.DataFrame(outlines).merge(
        pd.DataFrame(cbs).rename(columns={"code": "area_code", "geometry": "cbs"}),
        on=["year", "area_code", "level"],
        how="left",
    )
    ratio = pd.Series(np.nan, index=outlines.index)
    present = joined["cbs"].notna().to_numpy()
    if present.any():
        ours = gpd.GeoSeries(joined.loc[present, "geometry"].to_numpy(), crs=schema.CRS)
        theirs = gpd.GeoSeries(joined.loc[present, "cbs"].to_numpy(), crs=schema.CRS)
        ratio[outlines.index[present]] = _overlap(ours, theirs)
    return ratio


def _best_other(outlines: gpd.GeoDataFrame, cbs: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per outline, the CBS area of its year and level that overlaps it most (code, ratio)."""
    found = []
    for (year, level), group in outlines.groupby(["year", "level"]):
        candidates = cbs[(cbs["year"] == year) & (cbs["level"] == level)][["code", "geometry"]]
        pairs = gpd.sjoin(group[["geometry"]], candidates, how="inner")
        if pairs.empty:
            continue
        theirs = gpd.GeoSeries(candidates.geometry.loc[pairs["index_right"]].to_numpy())
        pairs = pairs.assign(ratio=_overlap(gpd.GeoSeries(pairs.geometry.to_numpy()), theirs))
        found.append(pairs.sort_values("ratio").groupby(level=0).tail(1)[["code", "ratio"]])
    if not found:
        return pd.DataFrame({"code": pd.Series(dtype=object), "ratio": pd.Series(dtype=float)})
    return pd.concat(found)


def _linked_cbs_areas(areas: pd.DataFrame) -> gpd.GeoDataFrame:
    """The CBS wijken and buurten of every year (year, level, code, geometry)."""
    linked = areas[areas["level"].isin(LINKED_LEVELS.values())]
    frame = linked[["year", "level", "code", "geometry"]].reset_index(drop=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=schema.CRS)


def placed_links(
    outlines: gpd.GeoDataFrame,
    areas: pd.DataFrame,
    min_overlap: float = 0.5,
    min_moved: float = 0.8,
) -> pd.DataFrame:
    """Where each linked wijk and buurt goes in the CBS areas of its year.

    The CBS area with the same code counts as the same area when the two outlines overlap by
    at least `min_overlap` of their union (CBS draws land only, Amsterdam includes water)
    (``same``); else the CBS area of that year and level whose outline overlaps by at least
    `min_moved` (``moved``: a 2022-division buurt whose outline CBS had under another code;
    stricter, since nothing but the outline says it is the same area); else it cannot be placed (``absent``: CBS has
    no such code that year, ``other_area``: CBS uses the code for another area; KWB 2015 has
    BU03630000 for Burgwallen-Oude Zijde, Amsterdam's 2015 division gives it to Kop Zeedijk).
    Returns year, area_code, placed (None when it cannot be placed) and reason.
    """
    outlines, cbs = outlines.reset_index(drop=True), _linked_cbs_areas(areas)
    same = _same_code(outlines, cbs)
    out = pd.DataFrame({"year": outlines["year"], "area_code": outlines["area_code"]})
    out["placed"], out["reason"] = None, np.where(same.isna(), "absent", "other_area")
    ok = same >= min_overlap
    out.loc[ok, ["placed", "reason"]] = np.column_stack(
        [out.loc[ok, "area_code"], ["same"] * ok.sum()]
    )
    rest = outlines[~ok]
    if len(rest):
        best = _best_other(rest, cbs)
        moved = best[best["ratio"] >= min_moved]
        out.loc[moved.index, "placed"] = moved["code"]
        out.loc[moved.index, "reason"] = "moved"
    taken = out[out["reason"] == "same"][["year", "placed"]]
    clash = out["reason"].eq("moved") & pd.MultiIndex.from_frame(out[["year", "placed"]]).isin(
        pd.MultiIndex.from_frame(taken)
    )
    out.loc[clash, ["placed", "reason"]] = [None, "other_area"]
    return out.drop_duplicates(["year", "area_code"]).reset_index(drop=True)


def place_links(
    outlines: gpd.GeoDataFrame, indicators: set[str], warnings: list[str]
) -> Callable[[dict[str, pd.DataFrame]], dict[str, pd.DataFrame]]:
    """An after-merge step: BBGA values of wijken and buurten go to the CBS area of their year
    with the same outline (see `placed_links`); those that cannot be placed are left out, and
    warnings say how many of each."""

    def place(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        if "areas" not in tables or "indicator_values" not in tables:
            return tables
        values = tables["indicator_values"]
        mine = values["indicator"].isin(indicators)
        used = pd.MultiIndex.from_frame(values.loc[mine, ["year", "area_code"]])
        keys = pd.MultiIndex.from_frame(outlines[["year", "area_code"]])
        placed = placed_links(outlines[keys.isin(used)], tables["areas"])
        keyed = values[mine].merge(placed, on=["year", "area_code"], how="left")
        keyed["area_code"] = keyed["placed"].where(keyed["reason"].notna(), keyed["area_code"])
        keyed = keyed[keyed["area_code"].notna()][list(values.columns)]
        warnings.extend(_placement_lines(placed))
        merged = pd.concat([values[~mine], keyed], ignore_index=True)
        return {**tables, "indicator_values": merged}

    return place


def _placement_lines(placed: pd.DataFrame) -> list[str]:
    lines = []
    why = {
        "moved": "placed on the CBS area of that year with the same outline (another code)",
        "other_area": "left out: CBS uses these codes for other areas in that KWB edition",
        "absent": "left out: no CBS area of that KWB edition has their code or outline",
    }
    for (year, reason), group in placed[placed["reason"] != "same"].groupby(["year", "reason"]):
        codes = ", ".join(sorted(group["area_code"])[:3])
        lines.append(
            f"BBGA {year}: values of {len(group)} wijken/buurten ({codes}, …) {why[reason]}. "
            "Amsterdam's own levels and the city total are kept."
        )
    return lines


# -- I/O and entry point ---------------------------------------------------------------------


def _failed(exc: PipelineError, years: list[int]) -> SourceResult:
    """Nothing could be fetched: one gap for the whole source; the previous values stay."""
    gap = Gap.fetch_failed(SOURCE, exc, TABLE_ID)
    empty = {
        name: schema.empty_table(name)
        for name in ("indicator_values", "indicator_sources", "areas")
    }
    return SourceResult(SOURCE, tuple(years), empty, gaps=[gap])


@dataclass
class Definitions:
    """The variables the two datasets define: Amsterdam's `statistieken` (v2, the successor)
    first, the BBGA (deprecated) for the variables the successor lacks."""

    frame: pd.DataFrame  # parse_definitions columns + dataset
    pages: dict[str, list[Response]]  # per dataset that answered

    def dataset_of(self, variable: str) -> str:
        found = self.frame[self.frame["variable"] == variable]
        return str(found.iloc[0]["dataset"]) if len(found) else TABLE_ID

    @property
    def answered(self) -> list[str]:
        """The datasets that answered, successor first."""
        return list(self.pages)


def _answer(fetch: Callable[[], list[Response]]) -> list[Response] | None:
    """A dataset's pages, or None when it does not answer (HTTP 4xx: absent, gone, renamed).
    A refused API key and an unreachable service are raised."""
    try:
        return fetch()
    except ServiceError:
        return None


def fetch_definitions_any(http: HttpClient, base: str, api_key: str | None) -> Definitions:
    """The definitions of the successor and of the BBGA; raises when neither answers."""
    successor = _answer(lambda: statistieken.fetch_indicators(http, base, api_key))
    older = _answer(lambda: fetch_definitions(http, base, api_key))
    if successor is None and older is None:
        fetch_definitions(http, base, api_key)  # raises the BBGA's own error, with its URL
    frames, pages = [], {}
    if successor is not None:
        objects = embedded(successor, statistieken.INDICATORS)
        frames.append(statistieken.parse_indicators(objects).assign(dataset=statistieken.DATASET))
        pages[statistieken.DATASET] = successor
    if older is not None:
        objects = embedded(older, "indicatoren_definities")
        frames.append(parse_definitions(objects).assign(dataset=TABLE_ID))
        pages[TABLE_ID] = older
    frame = pd.concat(frames, ignore_index=True).drop_duplicates("variable")
    return Definitions(frame.reset_index(drop=True), pages)


@dataclass
class Fetched:
    """Every response of one pull of Amsterdam's statistics."""

    definitions: Definitions
    versions: dict[str, list[Response]]  # per gebieden table
    figures: dict[str, list[Response]]  # per variable, from the dataset that defines it


def fetch_all(
    http: HttpClient,
    base: str,
    variables: list[str],
    years: list[int],
    api_key: str | None,
    progress: Callable[[], None] | None,
    definitions: Definitions,
) -> Fetched:
    """The gebieden versions and each variable's values (from its dataset), concurrently."""
    jobs = [("versions", t) for t in [*LINKED_LEVELS, *OWN_LEVELS]]
    jobs += [("figures", v) for v in variables]

    def work(job: tuple[str, str]) -> list[Response]:
        kind, name = job
        if kind == "versions":
            return fetch_versions(http, base, name, api_key)
        if definitions.dataset_of(name) == statistieken.DATASET:
            return statistieken.fetch_figures(http, base, name, years, api_key)
        return fetch_kerncijfers(http, base, name, years, api_key)

    by_job = dict(zip(jobs, http.map(work, jobs, progress=progress), strict=True))
    return Fetched(
        definitions,
        {name: pages for (kind, name), pages in by_job.items() if kind == "versions"},
        {name: pages for (kind, name), pages in by_job.items() if kind == "figures"},
    )


def _figures(fetched: Fetched) -> pd.DataFrame:
    """variable, year, gebiedcode15, value, reference_period of every variable, from the
    dataset that answered for it (the BBGA states no period per figure: left empty)."""
    frames = []
    for variable, pages in fetched.figures.items():
        if fetched.definitions.dataset_of(variable) == statistieken.DATASET:
            frames.append(statistieken.parse_figures(embedded(pages, statistieken.FIGURES)))
        else:
            frames.append(parse_kerncijfers(embedded(pages, "kerncijfers")))
    columns = ["variable", "year", "gebiedcode15", "value", "reference_period"]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return frame.reindex(columns=columns).astype({"year": "int64", "value": "float64"})


def _provenance_of(fetched: Fetched, test: bool) -> list[Provenance]:
    rows = []
    for dataset, pages in fetched.definitions.pages.items():
        entity = (
            statistieken.INDICATORS if dataset == statistieken.DATASET else "indicatoren_definities"
        )
        rows += provenance(SOURCE, dataset, entity, None, pages, test, rows=embedded_rows(entity))
    for table, pages in fetched.versions.items():
        rows += provenance(SOURCE, "gebieden", table, None, pages, False, rows=embedded_rows(table))
    for variable, pages in fetched.figures.items():
        dataset = fetched.definitions.dataset_of(variable)
        entity = statistieken.FIGURES if dataset == statistieken.DATASET else "kerncijfers"
        rows += provenance(SOURCE, dataset, entity, None, pages, test, rows=embedded_rows(entity))
    return rows


def with_datasets(
    sources: pd.DataFrame, figures: pd.DataFrame, definitions: Definitions
) -> pd.DataFrame:
    """`indicator_sources` naming the dataset that answered per variable, and the period each
    successor figure states (where it states one)."""
    out = sources.copy()
    published = out["source_key"].notna()
    out.loc[published, "table_id"] = out.loc[published, "source_key"].map(definitions.dataset_of)
    stated = figures.dropna(subset=["reference_period"]).drop_duplicates(["variable", "year"])
    keyed = out.merge(
        stated[["variable", "year", "reference_period"]].rename(
            columns={"variable": "source_key", "reference_period": "stated"}
        ),
        on=["source_key", "year"],
        how="left",
    )
    stated_text = keyed["stated"].astype(object)
    out["reference_period"] = stated_text.where(
        stated_text.notna(), keyed["reference_period"]
    ).to_numpy()
    return out


def retrieved(sources: pd.DataFrame, fetched: Fetched) -> pd.DataFrame:
    """The published rows with the time their figures were retrieved (the latest page)."""
    pages = [p for ps in fetched.figures.values() for p in ps]
    if not pages:
        return sources
    out = sources.copy()
    out.loc[out["status"] == "published", "retrieved_at"] = max(p.retrieved_at for p in pages)
    return out


def run(
    http: HttpClient,
    base: str,
    years: list[int],
    indicators: tuple[Indicator, ...],
    api_key: str | None = None,
    progress: Callable[[], None] | None = None,
) -> SourceResult:
    """Pull the catalogue's Amsterdam variables for `years`, linked to CBS codes per year:
    from the `statistieken` dataset where it defines them, else from the BBGA."""
    try:
        definitions = fetch_definitions_any(http, base, api_key)
        plan = plan_variables(definitions.frame, bbga_indicators(indicators), years)
        fetched = fetch_all(http, base, plan.variables, years, api_key, progress, definitions)
    except PipelineError as exc:
        return _failed(exc, years)
    versions = pd.concat(
        [parse_versions(embedded(pages, t), t) for t, pages in fetched.versions.items()],
        ignore_index=True,
    )
    figures = _figures(fetched)
    links = code_links(versions, years)
    values, sources, unlinked = normalise_values(
        figures.drop(columns="reference_period"), links, plan
    )
    sources = retrieved(with_datasets(sources, figures, definitions), fetched)
    areas, drawn_later = own_level_areas(versions, years)
    result = SourceResult(
        source=SOURCE,
        years=tuple(years),
        tables={"indicator_values": values, "indicator_sources": sources, "areas": areas},
        provenance=_provenance_of(fetched, is_test_data(*definitions.frame["label"])),
        gaps=list(plan.gaps),
        warnings=_warnings(unlinked, drawn_later),
    )
    owned = set(plan.mapping["indicator"])
    result.after_merge.append(place_links(link_outlines(links), owned, result.warnings))
    return result


def _warnings(unlinked: pd.DataFrame, drawn_later: list[str]) -> list[str]:
    lines = []
    for year, group in unlinked.groupby("year"):
        codes = ", ".join(sorted(group["gebiedcode15"])[:5])
        lines.append(
            f"BBGA {year}: {len(group)} area codes match no Amsterdam area valid on 1 January "
            f"{year} (e.g. {codes}); their values were left out."
        )
    if drawn_later:
        lines.append(
            f"The gebieden API has no version of {len(drawn_later)} stadsdelen/gebieden for the "
            "first years asked; their first version is drawn for those years."
        )
    return lines
