"""Exports for researchers: neighbourhood indicators with codes, names, years, units and sources.

Shared by the command line (``python -m pipelines export``) and the dashboard's export page.
Every file carries the CBS codes and names of area, wijk and gemeente, the level and the
boundary year; missing and suppressed values stay empty (never 0). Formats: CSV (UTF-8 with
BOM, ``;`` or ``,``), XLSX (data plus a "toelichting" sheet), GeoPackage and GeoJSON.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata import publication, schema
from geodata.errors import GeodataError
from geodata.store import Store

FORMATS = ("csv", "xlsx", "gpkg", "geojson")
LAYOUTS = ("long", "wide")
LICENCE = "CC BY 4.0"
ATTRIBUTION = "Bron: CBS (Kerncijfers wijken en buurten); grenzen: CBS/Kadaster via PDOK"
META_COLUMNS = [
    "area_code",
    "area_name",
    "level",
    "wijk_code",
    "wijk_name",
    "gemeente_code",
    "gemeente_name",
    "boundary_year",
]


class ExportError(GeodataError):
    """An export request cannot be carried out (unknown indicator, level, path outside the folder)."""


@dataclass(frozen=True)
class ExportRequest:
    """What to export. None means everything (all indicators, the whole region, all years)."""

    indicators: tuple[str, ...] | None = None
    level: str = "buurt"
    gemeenten: tuple[str, ...] | None = None
    years: tuple[int, ...] | None = None
    layout: str = "long"
    areas: tuple[str, ...] | None = None  # e.g. the current focus-buurt selection
    #: Every edition on the buurten of the store's reference year (see `harmonised_values`).
    harmonised: bool = False


def _area_frame(areas: pd.DataFrame) -> pd.DataFrame:
    """Areas with the names of their wijk and gemeente in the same boundary year."""
    names = dict(zip(zip(areas["year"], areas["code"], strict=True), areas["name"], strict=True))
    out = areas.rename(
        columns={"code": "area_code", "name": "area_name", "year": "boundary_year"}
    ).copy()
    out["wijk_name"] = [
        names.get((y, w)) if isinstance(w, str) else None
        for y, w in zip(out["boundary_year"], out["wijk_code"], strict=True)
    ]
    out["gemeente_name"] = [
        names.get((y, g)) for y, g in zip(out["boundary_year"], out["gemeente_code"], strict=True)
    ]
    out.loc[out["level"] == "wijk", "wijk_code"] = out.loc[out["level"] == "wijk", "area_code"]
    out.loc[out["level"] == "wijk", "wijk_name"] = out.loc[out["level"] == "wijk", "area_name"]
    return out[META_COLUMNS]


def check_request(request: ExportRequest, indicators: pd.DataFrame) -> None:
    if request.level not in schema.ALL_LEVELS:
        raise ExportError(
            f"Unknown level {request.level!r}; choose one of {', '.join(schema.ALL_LEVELS)}."
        )
    if request.layout not in LAYOUTS:
        raise ExportError(f"Unknown layout {request.layout!r}; choose long or wide.")
    if request.harmonised and request.level != "buurt":
        raise ExportError(
            f"Harmonised values are buurt values; the level {request.level!r} has none. "
            "Export --level buurt, or leave out --harmonised."
        )
    known = set(indicators["id"])
    unknown = [i for i in request.indicators or () if i not in known]
    if unknown:
        raise ExportError(
            f"Unknown indicator(s) {', '.join(unknown)}. Known ids: {', '.join(sorted(known))} "
            "(see `python -m pipelines status` or the Over de data page)."
        )


@dataclass(frozen=True)
class ExportInputs:
    """What an export is made from, read once from the store."""

    values: pd.DataFrame  # indicator_values
    areas: pd.DataFrame  # areas without geometry, all levels
    indicators: pd.DataFrame  # the indicators table
    provenance: pd.DataFrame  # indicator_sources
    test_data: pd.DataFrame  # source, year, test_data (one row per source and year)
    shapes: pd.DataFrame  # code, year, fingerprint of the boundary
    #: `harmonised_values` (read only for a harmonised export; None otherwise).
    harmonised: pd.DataFrame | None = None


def fingerprints(areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per area and year a fingerprint of its boundary: area (m²) and centroid, rounded."""
    centroids = areas.geometry.centroid
    print_ = (
        areas.geometry.area.round(-2).astype("int64").astype(str)
        + ":"
        + (centroids.x / 50).round().astype("int64").astype(str)
        + ":"
        + (centroids.y / 50).round().astype("int64").astype(str)
    )
    return pd.DataFrame({"code": areas["code"], "year": areas["year"], "fingerprint": print_})


def read_inputs(source: Store, harmonised: bool = False) -> ExportInputs:
    """The export's inputs from the store (with its harmonised values when asked)."""
    sources = source.table("sources")
    tested = sources.assign(test_data=sources["test_data"].fillna(False).astype(bool))
    tested = tested.groupby(["source", "year"], as_index=False, dropna=False)["test_data"].any()
    return ExportInputs(
        values=source.values(),
        areas=source.areas(geometry=False),
        indicators=source.table("indicators"),
        provenance=source.table("indicator_sources"),
        test_data=tested,
        shapes=fingerprints(source.areas()),
        harmonised=source.table("harmonised_values") if harmonised else None,
    )


def provenance_columns(table: pd.DataFrame, inputs: ExportInputs) -> pd.DataFrame:
    """Per row its CBS table, key and reference period, and whether it is test data (marked
    per source and year, or, for a source whose responses span years like the BBGA's, per
    source)."""
    prov = inputs.provenance[
        ["indicator", "year", "source", "table_id", "source_key", "reference_period"]
    ]
    out = table.merge(prov, on=["indicator", "year"], how="left")
    flags = inputs.test_data.dropna(subset=["year"]).astype({"year": "int64"})
    out = out.merge(flags, on=["source", "year"], how="left")
    spanning = inputs.test_data[inputs.test_data["year"].isna()]
    whole = dict(zip(spanning["source"], spanning["test_data"], strict=True))
    out["test_data"] = out["test_data"].fillna(out["source"].map(whole)).fillna(False).astype(bool)
    marks = publication.bound(out["value"], out["unit"], out["source"].fillna(""))
    out["value_note"] = [publication.note(mark) for mark in marks]
    return out.drop(columns=["source"])


def chosen_values(inputs: ExportInputs, request: ExportRequest) -> pd.DataFrame:
    """The values asked for, each with the boundary year of the area it describes: its own
    edition, or (harmonised) the reference year, with method, estimated share and error band."""
    if request.harmonised:
        if inputs.harmonised is None or inputs.harmonised.empty:
            raise ExportError(
                "This store holds no harmonised values. Rebuild it (`python -m pipelines "
                "build`, which harmonises to the newest boundary year), or leave out --harmonised."
            )
        chosen = inputs.harmonised.rename(
            columns={"code": "area_code", "reference_year": "boundary_year"}
        )
    else:
        chosen = inputs.values.assign(boundary_year=inputs.values["year"])
    if request.indicators:
        chosen = chosen[chosen["indicator"].isin(request.indicators)]
    if request.years:
        chosen = chosen[chosen["year"].isin(request.years)]
    return chosen


def export_long(inputs: ExportInputs, request: ExportRequest) -> pd.DataFrame:
    """The long table: one row per area, KWB year and indicator, each with its provenance
    (CBS table, key, reference period, test data) and unit (pure; inputs untouched).

    The boundary year of a row is its KWB year, or for a harmonised export the reference year
    (then each row also says how its value was found: method, estimated_share, error_band).
    """
    check_request(request, inputs.indicators)
    meta = _area_frame(inputs.areas)
    meta = meta[meta["level"] == request.level]
    if request.gemeenten:
        meta = meta[meta["gemeente_code"].isin(request.gemeenten)]
    if request.areas:
        meta = meta[meta["area_code"].isin(request.areas)]
    chosen = chosen_values(inputs, request)
    table = chosen.merge(meta, on=["area_code", "boundary_year"], how="inner")
    labels = inputs.indicators.set_index("id")
    table["indicator_label"] = table["indicator"].map(labels["label_nl"])
    table["unit"] = table["indicator"].map(labels["unit"])
    table = provenance_columns(table, inputs)
    columns = LONG_COLUMNS + (HARMONISED_COLUMNS if request.harmonised else [])
    return table[columns].sort_values(["year", "area_code", "indicator"], ignore_index=True)


LONG_COLUMNS = [
    *META_COLUMNS,
    "year",
    "indicator",
    "indicator_label",
    "unit",
    "value",
    "value_note",
    "reference_period",
    "table_id",
    "source_key",
    "test_data",
]
#: What a harmonised row adds: how its value was found (see `harmonised_values`).
HARMONISED_COLUMNS = ["method", "estimated_share", "error_band"]
WIDE_META = [c if c != "boundary_year" else "latest_boundary_year" for c in META_COLUMNS]


def boundary_flags(long: pd.DataFrame, shapes: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """Per area a column ``boundary_differs_<year>``: its boundary in that year is not the
    boundary of its latest year (or it did not exist then), so the value is of another area."""
    years = sorted(long["year"].unique())
    prints = dict(
        zip(zip(shapes["code"], shapes["year"], strict=True), shapes["fingerprint"], strict=True)
    )
    own = latest.set_index("area_code")["latest_boundary_year"]
    last = [prints.get((code, y)) for code, y in own.items()]
    flags = {}
    for year in years:
        now = [prints.get((code, year)) for code in own.index]
        flags[f"boundary_differs_{year}"] = [
            a is None or a != b for a, b in zip(now, last, strict=True)
        ]
    return pd.DataFrame(flags, index=own.index)


def to_wide(long: pd.DataFrame, shapes: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per area (names from its latest year), one column per indicator and year named
    ``<indicator>_<year> [<unit>]``; with `shapes`, a boundary flag per year; ``test_data``."""
    if long.empty:
        return pd.DataFrame(columns=[*WIDE_META, "test_data"])
    latest = (
        long.sort_values("boundary_year").groupby("area_code", as_index=False).last()[META_COLUMNS]
    ).rename(columns={"boundary_year": "latest_boundary_year"})
    units = long.drop_duplicates("indicator").set_index("indicator")["unit"]
    pivot = long.pivot_table(
        index="area_code",
        columns=["indicator", "year"],
        values="value",
        aggfunc="first",
        dropna=False,
    )
    pivot.columns = [f"{ind}_{year} [{units[ind]}]" for ind, year in pivot.columns]
    pivot = pivot[sorted(pivot.columns)]
    if "method" in long.columns:
        pivot = with_harmonisation_columns(long, pivot, units)
    wide = latest.merge(pivot, left_on="area_code", right_index=True)
    if shapes is not None:
        wide = wide.merge(
            boundary_flags(long, shapes, latest), left_on="area_code", right_index=True
        )
    tested = long.groupby("area_code")["test_data"].any().rename("test_data")
    wide = wide.merge(tested, left_on="area_code", right_index=True)
    return wide.sort_values("area_code", ignore_index=True)


def laid_out(long: pd.DataFrame, inputs: ExportInputs, request: ExportRequest) -> pd.DataFrame:
    """The table an export writes: the long table, or the wide one with its boundary flags
    (none when harmonised: every value is on one boundary year)."""
    if request.layout == "long":
        return long
    return to_wide(long, None if request.harmonised else inputs.shapes)


def with_harmonisation_columns(
    long: pd.DataFrame, pivot: pd.DataFrame, units: pd.Series
) -> pd.DataFrame:
    """Beside each harmonised value column ``<indicator>_<year> [<unit>]`` its method,
    estimated share and error band (``… method``, ``… estimated_share``, ``… error_band``)."""
    parts = {}
    for column in HARMONISED_COLUMNS:
        part = long.pivot_table(
            index="area_code", columns=["indicator", "year"], values=column, aggfunc="first"
        )
        part.columns = [f"{i}_{y} [{units[i]}] {column}" for i, y in part.columns]
        parts[column] = part.reindex(pivot.index)
    ordered = {}
    for name in pivot.columns:
        ordered[name] = pivot[name]
        for column in HARMONISED_COLUMNS:
            key = f"{name} {column}"
            ordered[key] = parts[column].get(key, pd.NA)
    return pd.DataFrame(ordered, index=pivot.index)


def toelichting(
    indicators: pd.DataFrame, sources: pd.DataFrame, long: pd.DataFrame
) -> pd.DataFrame:
    """The explanation sheet: per indicator and year its definition, unit, CBS table and key,
    reference period, retrieval date, licence, attribution and whether it is test data."""
    used = long.groupby(["indicator", "year"], as_index=False)["test_data"].any()
    info = used.merge(sources, on=["indicator", "year"], how="left")
    meta = indicators.set_index("id")
    return pd.DataFrame(
        {
            "indicator": info["indicator"],
            "label_nl": info["indicator"].map(meta["label_nl"]),
            "label_en": info["indicator"].map(meta["label_en"]),
            "definitie": info["indicator"].map(meta["description_nl"]),
            "eenheid": info["indicator"].map(meta["unit"]),
            "jaar (KWB-editie)": info["year"],
            "CBS-tabel": info["table_id"],
            "CBS-sleutel": info["source_key"],
            "peildatum of periode": info["reference_period"].fillna("onbekend"),
            "opgehaald": info["retrieved_at"],
            "licentie": LICENCE,
            "bronvermelding": ATTRIBUTION,
            "testgegevens": info["test_data"].map(
                {True: "JA: deels synthetisch, niet voor analyse", False: "nee"}
            ),
        }
    ).sort_values(["indicator", "jaar (KWB-editie)"], ignore_index=True)


# -- files -----------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(*parts: object, extension: str) -> str:
    """A file name from parts, with only letters, digits, '.', '_' and '-' (no paths)."""
    if extension not in FORMATS:
        raise ExportError(f"Unknown format {extension!r}; choose one of {', '.join(FORMATS)}.")
    stem = "_".join(_UNSAFE.sub("-", str(p)).strip("-.") for p in parts if str(p))
    stem = stem.lstrip(".") or "export"
    return f"{stem[:150]}.{extension}"


def resolve_inside(directory: Path, name: str) -> Path:
    """`directory/name`, refusing any name that would end up outside `directory`."""
    base = Path(directory).resolve()
    target = (base / name).resolve()
    if target.parent != base:
        raise ExportError(
            f"Refusing to write {name!r}: it would land outside {base}. Give a plain file name."
        )
    return target


def _atomic(path: Path, write: Callable[[Path], object]) -> None:
    tmp = path.with_name(f".{path.stem}.tmp-{os.getpid()}{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


#: A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula, prefixed with an apostrophe (as
    OWASP advises for CSV files); numbers, negative ones included, stay numbers. Each column's
    distinct values are checked once; a table without such cells is returned as it is."""
    out: pd.DataFrame | None = None
    for column in table.columns:
        text = table[column]
        if not (pd.api.types.is_object_dtype(text) or pd.api.types.is_string_dtype(text)):
            continue
        distinct = pd.unique(text.dropna())
        risky = [v for v in distinct if isinstance(v, str) and v.startswith(FORMULA_START)]
        if not risky:
            continue
        out = table.copy() if out is None else out
        out[column] = text.where(~text.isin(risky), "'" + text.astype(str))
    return table if out is None else out


def decimal_comma_text(table: pd.DataFrame) -> pd.DataFrame:
    """Number columns as text with a decimal comma (for ``;`` CSV files), empty where missing:
    the same digits pandas writes, formatted in C for all number columns at once instead of
    one value at a time."""
    numbers = [c for c in table.columns if pd.api.types.is_float_dtype(table[c])]
    if not numbers:
        return table
    values = table[numbers].to_numpy(dtype=float)
    text = np.char.replace(values.astype(str), ".", ",").astype(object)
    text[np.isnan(values)] = ""
    formatted = pd.DataFrame(text, columns=numbers, index=table.index)
    return pd.concat([table.drop(columns=numbers), formatted], axis=1)[list(table.columns)]


def write_csv(table: pd.DataFrame, path: Path, separator: str = ";") -> None:
    """UTF-8 with BOM (Excel reads it); ';' with a decimal comma for Dutch Excel, or ','.

    Text cells that start like a formula are neutralised (see `neutralise_formulas`).
    """
    if separator not in (";", ","):
        raise ExportError(f"Separator {separator!r}: use ';' (Dutch Excel) or ','.")
    safe = neutralise_formulas(table)
    if separator == ";":
        safe = decimal_comma_text(safe)
    _atomic(
        Path(path),
        lambda tmp: safe.to_csv(tmp, sep=separator, index=False, encoding="utf-8-sig", na_rep=""),
    )


def write_xlsx(table: pd.DataFrame, explanation: pd.DataFrame, path: Path) -> None:
    """A 'data' sheet and a 'toelichting' sheet with definitions, sources and licence."""
    from geodata import xlsx

    _atomic(
        Path(path), lambda tmp: xlsx.write_xlsx({"data": table, "toelichting": explanation}, tmp)
    )


def with_geometry(table: pd.DataFrame, geometry: gpd.GeoDataFrame, layout: str) -> gpd.GeoDataFrame:
    """Attach area geometry: per boundary year (long) or of the latest year (wide)."""
    year_column = "boundary_year" if layout == "long" else "latest_boundary_year"
    shapes = geometry[["code", "year", "geometry"]].rename(
        columns={"code": "area_code", "year": year_column}
    )
    joined = table.merge(shapes, on=["area_code", year_column], how="left")
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=geometry.crs)


def write_geo(table: gpd.GeoDataFrame, path: Path, fmt: str) -> None:
    import pyogrio

    def write(tmp: Path) -> None:
        if fmt == "gpkg":
            pyogrio.write_dataframe(
                table, tmp, layer="export", driver="GPKG", promote_to_multi=True
            )
        else:
            pyogrio.write_dataframe(table.to_crs(4326), tmp, driver="GeoJSON")

    _atomic(Path(path), write)


def output_path(output: Path, fmt: str, source: Store) -> Path:
    """Where to write: a plain file in an existing folder, ending in the format, never the store."""
    output = Path(output)
    folder = output.parent if str(output.parent) else Path.cwd()
    if not folder.is_dir():
        raise ExportError(
            f"The folder {folder} does not exist. Create it first, or write to an existing folder."
        )
    if source.is_file(output):
        raise ExportError(
            f"Refusing to write the export over the store itself ({output}). Choose another file."
        )
    target = resolve_inside(folder, output.name)
    if target.suffix.lstrip(".") != fmt:
        raise ExportError(
            f"The file name {output.name!r} does not end in .{fmt}; use e.g. export.{fmt}."
        )
    return target


def check_gemeenten(request: ExportRequest, areas: pd.DataFrame) -> None:
    known = set(areas.loc[areas["level"] == "gemeente", "code"])
    unknown = [c for c in request.gemeenten or () if c not in known]
    if unknown:
        raise ExportError(
            f"Unknown municipality code(s) {', '.join(unknown)}: the store has no such gemeente. "
            f"Known codes: {', '.join(sorted(known))}."
        )


def run(
    source: Store, request: ExportRequest, fmt: str, output: Path, separator: str = ";"
) -> tuple[Path, int]:
    """Export from the store to `output` (a file path); returns (path, rows written).

    A selection that matches nothing is an `ExportError`, and no file is written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    source.require()
    target = output_path(output, fmt, source)
    inputs = read_inputs(source, request.harmonised)
    check_gemeenten(request, inputs.areas)
    long = export_long(inputs, request)
    if long.empty:
        raise ExportError(
            "The selection matched no values (indicators, level, municipalities, years); no file "
            "was written. Widen the selection."
        )
    table = laid_out(long, inputs, request)
    write_format(source, request, fmt, (table, long, inputs.indicators), target, separator)
    return target, len(table)


def write_format(
    source: Store,
    request: ExportRequest,
    fmt: str,
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
    target: Path,
    separator: str,
) -> None:
    table, long, indicators = frames
    if fmt == "csv":
        write_csv(table, target, separator)
    elif fmt == "xlsx":
        explanation = toelichting(indicators, source.table("indicator_sources"), long)
        # Label and unit per indicator are on the 'toelichting' sheet; leaving them out of the
        # long data sheet saves a sixth of the cells.
        data_sheet = (
            table.drop(columns=["indicator_label", "unit"]) if request.layout == "long" else table
        )
        write_xlsx(data_sheet, explanation, target)
    else:
        geometry = source.areas(level=request.level)
        write_geo(with_geometry(table, geometry, request.layout), target, fmt)


def default_name(request: ExportRequest, fmt: str, test_data: bool = False) -> str:
    years = request.years or ()
    span = f"{min(years)}-{max(years)}" if years else "alle-jaren"
    gemeenten = (
        "-".join(request.gemeenten)
        if request.gemeenten and len(request.gemeenten) <= 3
        else ("selectie" if request.gemeenten else "regio")
    )
    stamp = dt.date.today().isoformat()
    prefix = ["TESTGEGEVENS"] if test_data else []
    return safe_filename(
        *prefix,
        "armoede-regio",
        request.level,
        gemeenten,
        span,
        request.layout,
        *(["geharmoniseerd"] if request.harmonised else []),
        stamp,
        extension=fmt,
    )
