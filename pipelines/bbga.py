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

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, shape

from geodata import store
from geodata.catalogue import Indicator
from geodata.config import Region
from pipelines._dso import embedded, hal_pages
from pipelines._http import HttpClient, Response
from pipelines.errors import PipelineError, SchemaError
from pipelines.result import Gap, Provenance, SourceResult, fix_for, is_test_data

SOURCE = "bbga"
TABLE_ID = "bbga"
CITY_CODE, AMSTERDAM = "STAD", "GM0363"
PAGE_SIZE = 10000
KERNCIJFER_FIELDS = "jaar,gebiedcode15,waarde,indicatorDefinitieId"
OWN_LEVELS = {"stadsdelen": "stadsdeel", "ggwgebieden": "gebied"}  # no CBS counterpart
LINKED_LEVELS = {"buurten": "buurt", "wijken": "wijk"}  # linked through cbsCode
OWN_LEVEL_NAMES = tuple(OWN_LEVELS.values())
SOURCE_COLUMNS = list(store.SCHEMA["indicator_sources"])
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
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


def parse_definitions(objects: list[dict]) -> pd.DataFrame:
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


def _value(value: object, where: str) -> float:
    """A number, or NaN for null and "" (the live API sometimes sends "" for no value)."""
    if value is None or value == "":
        return float("nan")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and _NUMBER.match(value):
        return float(value)
    raise SchemaError(
        f"{where}: waarde {value!r} is not a number. The BBGA answer changed; check "
        "pipelines/bbga.py."
    )


def parse_kerncijfers(objects: list[dict]) -> pd.DataFrame:
    """variable, year, gebiedcode15, value (NaN where the BBGA has no or a suppressed value)."""
    rows = []
    for obj in objects:
        where = f"BBGA kerncijfer {obj.get('id') or obj.get('indicatorDefinitieId')}"
        rows.append(
            {
                "variable": _text(obj.get("indicatorDefinitieId")),
                "year": _year(obj.get("jaar"), where),
                "gebiedcode15": _text(obj.get("gebiedcode15")),
                "value": _value(obj.get("waarde"), where),
            }
        )
    frame = pd.DataFrame(rows, columns=["variable", "year", "gebiedcode15", "value"])
    return frame.astype({"year": "int64", "value": "float64"})


def _date(text: object) -> dt.date | None:
    value = _text(text)
    return dt.date.fromisoformat(value[:10]) if value else None


def parse_versions(objects: list[dict], table: str) -> pd.DataFrame:
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


def code_links(versions: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Per year, each BBGA area code with the code it is stored under and its level.

    Wijken and buurten valid on 1 January take their CBS code; stadsdelen and gebieden keep
    Amsterdam's code in every year (the API has only their current version, so validity on a
    date cannot be asked of them); ``STAD`` is the municipality GM0363.
    """
    own = versions[versions["table"].isin(OWN_LEVELS)].drop_duplicates("code")
    frames = []
    for year in years:
        valid = valid_on(versions, dt.date(year, 1, 1))
        linked = valid[valid["table"].isin(LINKED_LEVELS) & valid["cbs_code"].notna()]
        frames += [
            pd.DataFrame(
                {
                    "year": year,
                    "gebiedcode15": linked["code"],
                    "area_code": linked["cbs_code"],
                    "level": linked["table"].map(LINKED_LEVELS),
                }
            ),
            pd.DataFrame(
                {
                    "year": year,
                    "gebiedcode15": own["code"],
                    "area_code": own["code"],
                    "level": own["table"].map(OWN_LEVELS),
                }
            ),
            pd.DataFrame(
                {"year": [year], "gebiedcode15": [CITY_CODE], "area_code": [AMSTERDAM]}
            ).assign(level="gemeente"),
        ]
    links = pd.concat(frames, ignore_index=True).astype({"year": "int64"})
    return links.drop_duplicates(["year", "gebiedcode15"])


def reference_period(reference_date: str, year: int) -> str | None:
    """The BBGA's reference date for one year: "1 januari" → "1 januari 2023", and
    "1 januari (inkomen over het voorgaande jaar)" → "1 januari 2023 (inkomen over …)"."""
    text = reference_date.strip()
    if not text:
        return None
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


def _source_row(ind_id: str, year: int, status: str, **fields: object) -> dict:
    row = dict.fromkeys(SOURCE_COLUMNS)
    row.update(source=SOURCE, indicator=ind_id, year=year, status=status, table_id=TABLE_ID)
    row.update(fields)
    return row


def _check_variable(ind: Indicator, variable: str, symbol: str, found: pd.DataFrame) -> Gap | None:
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
    if served != symbol:
        return Gap(
            SOURCE,
            TABLE_ID,
            "indicatoren_definities",
            None,
            "unit_mismatch",
            f"BBGA variable {variable!r} has symbol {served!r}, but indicator {ind.id!r} "
            f"expects {symbol!r}.",
            f"Check the BBGA definition of {variable} and adjust `symbol` of {ind.id} in "
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
                rows.append(_source_row(ind.id, year, "not_published"))
                continue
            found = definitions[definitions["variable"] == source.stem]
            gap = _check_variable(ind, source.stem, source.unit, found)
            if gap is not None:
                rows.append(_source_row(ind.id, year, gap.status, note=gap.reason))
                gaps.append(Gap(**{**gap.__dict__, "year": year}))
                continue
            definition = found.iloc[0]
            mapping.append({"indicator": ind.id, "variable": source.stem, "year": year})
            rows.append(
                _source_row(
                    ind.id,
                    year,
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
    frame = pd.DataFrame(rows, columns=[*store.SCHEMA["areas"], "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=store.CRS), notes


# -- I/O and entry point ---------------------------------------------------------------------


def _provenance(table_id: str, entity: str, pages: list[Response], test: bool) -> list[Provenance]:
    """One provenance row per page; `entity` is also the page's ``_embedded`` key."""
    return [
        Provenance(SOURCE, table_id, entity, None, p, len(p.data["_embedded"][entity]), test)
        for p in pages
    ]


def _failed(exc: PipelineError, years: list[int]) -> SourceResult:
    """Nothing could be fetched: one gap for the whole source; the previous values stay."""
    gap = Gap(
        SOURCE,
        TABLE_ID,
        "",
        None,
        "fetch_failed",
        str(exc),
        fix_for(exc),
        None,
        getattr(exc, "url", None),
    )
    empty = {
        name: store.empty_table(name) for name in ("indicator_values", "indicator_sources", "areas")
    }
    return SourceResult(SOURCE, tuple(years), empty, gaps=[gap])


def run(
    http: HttpClient,
    base: str,
    region: Region,
    years: list[int],
    indicators: tuple[Indicator, ...],
    api_key: str | None = None,
    progress: Callable[[], None] | None = None,
) -> SourceResult:
    """Pull the BBGA variables of the catalogue for `years`, linked to CBS codes per year."""
    wanted = bbga_indicators(indicators)
    try:
        definition_pages = fetch_definitions(http, base, api_key)
        definitions = parse_definitions(embedded(definition_pages, "indicatoren_definities"))
        plan = plan_variables(definitions, wanted, years)
        tables = [*LINKED_LEVELS, *OWN_LEVELS]
        jobs: list[tuple[str, str]] = [("versions", t) for t in tables]
        jobs += [("kerncijfers", v) for v in plan.variables]

        def work(job: tuple[str, str]) -> list[Response]:
            kind, name = job
            if kind == "versions":
                return fetch_versions(http, base, name, api_key)
            return fetch_kerncijfers(http, base, name, years, api_key)

        pages = http.map(work, jobs, progress=progress)
    except PipelineError as exc:
        return _failed(exc, years)
    by_job = dict(zip(jobs, pages, strict=True))
    versions = pd.concat(
        [parse_versions(embedded(by_job[("versions", t)], t), t) for t in tables], ignore_index=True
    )
    figures = parse_kerncijfers(
        [o for v in plan.variables for o in embedded(by_job[("kerncijfers", v)], "kerncijfers")]
    )
    values, sources, unlinked = normalise_values(figures, code_links(versions, years), plan)
    areas, drawn_later = own_level_areas(versions, years)
    test = is_test_data(*definitions["label"])
    published = sources["status"] == "published"
    retrieved = [p.retrieved_at for v in plan.variables for p in by_job[("kerncijfers", v)]]
    if retrieved:
        sources.loc[published, "retrieved_at"] = max(retrieved)
    provenance = _provenance(TABLE_ID, "indicatoren_definities", definition_pages, test)
    for table in tables:
        provenance += _provenance("gebieden", table, by_job[("versions", table)], False)
    for variable in plan.variables:
        provenance += _provenance(TABLE_ID, "kerncijfers", by_job[("kerncijfers", variable)], test)
    return SourceResult(
        source=SOURCE,
        years=tuple(years),
        tables={"indicator_values": values, "indicator_sources": sources, "areas": areas},
        provenance=provenance,
        gaps=list(plan.gaps),
        warnings=_warnings(unlinked, drawn_later),
    )


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
