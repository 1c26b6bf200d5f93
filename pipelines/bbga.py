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
from pipelines._dso import embedded, hal_pages
from pipelines._http import HttpClient, Response
from pipelines.errors import PipelineError, SchemaError
from pipelines.result import Gap, Provenance, SourceResult, is_test_data

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
    return _unique(frame.astype({"year": "int64", "value": "float64"}))


def _unique(frame: pd.DataFrame) -> pd.DataFrame:
    """One value per (variable, year, area): exact repeats (overlapping pages) are dropped, two
    different values for one key are refused."""
    key = ["variable", "year", "gebiedcode15"]
    frame = frame.drop_duplicates()
    clash = frame[frame.duplicated(key, keep=False)]
    if len(clash):
        first = clash.iloc[0]
        raise SchemaError(
            f"BBGA kerncijfers: {first['variable']} {first['year']} {first['gebiedcode15']} has "
            f"{len(clash)} different values. The answer is inconsistent; rerun with --force, "
            "and report it to the API's maintainers when it persists."
        )
    return frame.reset_index(drop=True)


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
                rows.append(_source_row(ind.id, year, "not_published"))
                continue
            found = definitions[definitions["variable"] == source.stem]
            gap = _check_variable(ind, source.stem, source.units, found)
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


def link_geometry(versions: pd.DataFrame, links: pd.DataFrame) -> gpd.GeoDataFrame:
    """year, area_code, geometry of every linked wijk and buurt (Amsterdam's own outline)."""
    linked = links[links["level"].isin(LINKED_LEVELS.values())]
    frames = []
    for year, group in linked.groupby("year"):
        valid = valid_on(versions, dt.date(int(year), 1, 1))
        valid = valid[valid["table"].isin(LINKED_LEVELS)].drop_duplicates("code")
        joined = group.merge(valid[["code", "geometry"]], left_on="gebiedcode15", right_on="code")
        frames.append(joined[["year", "area_code", "geometry"]])
    frame = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["year", "area_code", "geometry"])
    )
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=store.CRS)


def mismatched_links(
    outlines: gpd.GeoDataFrame, areas: pd.DataFrame, min_overlap: float = 0.5
) -> pd.DataFrame:
    """The (year, area_code) whose CBS area of that year is not the area Amsterdam means.

    CBS sometimes kept codes of an older division after Amsterdam renumbered (KWB 2015 has
    BU03630000 for Burgwallen-Oude Zijde, Amsterdam's 2015 division gives it to Kop Zeedijk).
    An area counts as the same when the two outlines overlap by at least `min_overlap` of
    their union; a code CBS does not have in that year cannot be placed either.
    """
    cbs = areas[areas["level"].isin(LINKED_LEVELS.values())][["year", "code", "geometry"]]
    cbs = cbs.rename(columns={"code": "area_code", "geometry": "cbs_geometry"})
    joined = pd.DataFrame(outlines).merge(cbs, on=["year", "area_code"], how="left")
    absent = joined["cbs_geometry"].isna()
    present = joined[~absent]
    ours = gpd.GeoSeries(present["geometry"].to_numpy(), crs=store.CRS)
    theirs = gpd.GeoSeries(present["cbs_geometry"].to_numpy(), crs=store.CRS)
    common = ours.intersection(theirs).area.to_numpy()
    union = ours.area.to_numpy() + theirs.area.to_numpy() - common
    overlap = pd.Series(common / union, index=present.index)
    reason = pd.Series("absent", index=joined.index).where(absent, None)
    reason[overlap[overlap < min_overlap].index] = "other_area"
    bad = joined.assign(reason=reason).dropna(subset=["reason"])
    return bad[["year", "area_code", "reason"]].reset_index(drop=True)


def confirm_links(
    outlines: gpd.GeoDataFrame, indicators: set[str], warnings: list[str]
) -> Callable[[dict[str, pd.DataFrame]], dict[str, pd.DataFrame]]:
    """An after-merge check: BBGA values of wijken and buurten whose CBS code stands for
    another area in that year (or for none) are left out, and a warning says how many."""

    def check(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        if "areas" not in tables or "indicator_values" not in tables:
            return tables
        bad = mismatched_links(outlines, tables["areas"])
        values = tables["indicator_values"]
        keys = pd.MultiIndex.from_frame(bad[["year", "area_code"]].astype({"year": "int64"}))
        rows = pd.MultiIndex.from_frame(values[["year", "area_code"]].astype({"year": "int64"}))
        drop = values["indicator"].isin(indicators).to_numpy() & rows.isin(keys)
        warnings.extend(_mismatch_lines(bad))
        return {**tables, "indicator_values": values[~drop].reset_index(drop=True)}

    return check


def _mismatch_lines(bad: pd.DataFrame) -> list[str]:
    lines = []
    for (year, reason), group in bad.groupby(["year", "reason"]):
        codes = ", ".join(sorted(group["area_code"])[:3])
        why = (
            "CBS uses these codes for other areas in that KWB edition"
            if reason == "other_area"
            else "CBS has no area with these codes in that KWB edition"
        )
        lines.append(
            f"BBGA {year}: values of {len(group)} wijken/buurten left out ({codes}, …): {why}. "
            "Amsterdam's own levels and the city total are kept."
        )
    return lines


# -- I/O and entry point ---------------------------------------------------------------------


def _provenance(table_id: str, entity: str, pages: list[Response], test: bool) -> list[Provenance]:
    """One provenance row per page; `entity` is also the page's ``_embedded`` key."""
    return [
        Provenance(SOURCE, table_id, entity, None, p, len(p.data["_embedded"][entity]), test)
        for p in pages
    ]


def _failed(exc: PipelineError, years: list[int]) -> SourceResult:
    """Nothing could be fetched: one gap for the whole source; the previous values stay."""
    gap = Gap.fetch_failed(SOURCE, exc, TABLE_ID)
    empty = {
        name: store.empty_table(name) for name in ("indicator_values", "indicator_sources", "areas")
    }
    return SourceResult(SOURCE, tuple(years), empty, gaps=[gap])


@dataclass
class Fetched:
    """Every response of one BBGA pull."""

    definitions: list[Response]
    versions: dict[str, list[Response]]  # per gebieden table
    kerncijfers: dict[str, list[Response]]  # per variable


def fetch_all(
    http: HttpClient,
    base: str,
    variables: list[str],
    years: list[int],
    api_key: str | None,
    progress: Callable[[], None] | None,
    definitions: list[Response],
) -> Fetched:
    """The gebieden versions and each variable's values, concurrently."""
    jobs = [("versions", t) for t in [*LINKED_LEVELS, *OWN_LEVELS]]
    jobs += [("kerncijfers", v) for v in variables]

    def work(job: tuple[str, str]) -> list[Response]:
        kind, name = job
        if kind == "versions":
            return fetch_versions(http, base, name, api_key)
        return fetch_kerncijfers(http, base, name, years, api_key)

    by_job = dict(zip(jobs, http.map(work, jobs, progress=progress), strict=True))
    return Fetched(
        definitions,
        {name: pages for (kind, name), pages in by_job.items() if kind == "versions"},
        {name: pages for (kind, name), pages in by_job.items() if kind == "kerncijfers"},
    )


def _provenance_of(fetched: Fetched, test: bool) -> list[Provenance]:
    rows = _provenance(TABLE_ID, "indicatoren_definities", fetched.definitions, test)
    for table, pages in fetched.versions.items():
        rows += _provenance("gebieden", table, pages, False)
    for pages in fetched.kerncijfers.values():
        rows += _provenance(TABLE_ID, "kerncijfers", pages, test)
    return rows


def run(
    http: HttpClient,
    base: str,
    years: list[int],
    indicators: tuple[Indicator, ...],
    api_key: str | None = None,
    progress: Callable[[], None] | None = None,
) -> SourceResult:
    """Pull the BBGA variables of the catalogue for `years`, linked to CBS codes per year."""
    try:
        definition_pages = fetch_definitions(http, base, api_key)
        definitions = parse_definitions(embedded(definition_pages, "indicatoren_definities"))
        plan = plan_variables(definitions, bbga_indicators(indicators), years)
        fetched = fetch_all(http, base, plan.variables, years, api_key, progress, definition_pages)
    except PipelineError as exc:
        return _failed(exc, years)
    versions = pd.concat(
        [parse_versions(embedded(pages, t), t) for t, pages in fetched.versions.items()],
        ignore_index=True,
    )
    pages = [p for ps in fetched.kerncijfers.values() for p in ps]
    links = code_links(versions, years)
    values, sources, unlinked = normalise_values(
        parse_kerncijfers(embedded(pages, "kerncijfers")), links, plan
    )
    if pages:
        published = sources["status"] == "published"
        sources.loc[published, "retrieved_at"] = max(p.retrieved_at for p in pages)
    areas, drawn_later = own_level_areas(versions, years)
    result = SourceResult(
        source=SOURCE,
        years=tuple(years),
        tables={"indicator_values": values, "indicator_sources": sources, "areas": areas},
        provenance=_provenance_of(fetched, is_test_data(*definitions["label"])),
        gaps=list(plan.gaps),
        warnings=_warnings(unlinked, drawn_later),
    )
    owned = set(plan.mapping["indicator"])
    result.after_merge.append(confirm_links(link_geometry(versions, links), owned, result.warnings))
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
