"""Pure functions for the migration and suburbanisation pages.

Flows come from CBS 81734NED (persons moving between municipalities, per calendar year);
low-income households are estimated from KWB (households x share of households with a low
income). Inputs are never mutated.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from dashboard import geometry
from geodata.config import Gemeente

NATIONAL = "NL01"


def flows_on_current_territory(
    flows: pd.DataFrame, successor: Callable[[str], str], codes: set[str]
) -> pd.DataFrame:
    """Flows with merged municipalities added to their successor, for every year.

    Weesp's moves before 2022 count as Amsterdam's, Beemster's as Purmerend's, so a series runs
    on today's territory. Moves between a municipality and the one it merged into become moves
    within one municipality: they are dropped from the pairs and subtracted from the national
    totals (``NL01``), which CBS counts per original municipality.
    """

    def territory(code: str) -> str:
        return successor(code) if code in codes else code

    out = flows.copy()
    out["origin_code"] = out["origin_code"].map(territory)
    out["destination_code"] = out["destination_code"].map(territory)
    internal = out[(out["origin_code"] == out["destination_code"])]
    pairs = out[(out["origin_code"] != out["destination_code"])]
    summed = pairs.groupby(["year", "origin_code", "destination_code"], as_index=False)[
        "persons"
    ].sum(min_count=1)
    # Moves between merged parts were counted in each part's national totals: take them out.
    internal_by = internal.groupby(["year", "origin_code"])["persons"].sum()
    if len(internal_by):
        for (year, code), persons in internal_by.items():
            for column in ("origin_code", "destination_code"):
                other = "destination_code" if column == "origin_code" else "origin_code"
                mask = (
                    (summed["year"] == year)
                    & (summed[column] == code)
                    & (summed[other] == NATIONAL)
                )
                summed.loc[mask, "persons"] = summed.loc[mask, "persons"] - persons
    return summed.sort_values(["year", "origin_code", "destination_code"], ignore_index=True)


def core_flows(flows: pd.DataFrame, core: str) -> pd.DataFrame:
    """Per year and municipality: persons moving from `core` (out), to `core` (in), and net.

    Net is in minus out seen from the other municipality: positive means it gains from the core.
    Returns year, code, out, in, net; `code` excludes the core and NL01.
    """
    out = flows[(flows["origin_code"] == core) & (flows["destination_code"] != NATIONAL)]
    inn = flows[(flows["destination_code"] == core) & (flows["origin_code"] != NATIONAL)]
    frame = pd.merge(
        out.rename(columns={"destination_code": "code", "persons": "from_core"})[
            ["year", "code", "from_core"]
        ],
        inn.rename(columns={"origin_code": "code", "persons": "to_core"})[
            ["year", "code", "to_core"]
        ],
        on=["year", "code"],
        how="outer",
    )
    frame["net"] = frame["from_core"] - frame["to_core"]
    return frame.sort_values(["year", "code"], ignore_index=True)


def rest_of_country(flows: pd.DataFrame, core: str, region_codes: set[str]) -> pd.DataFrame:
    """Per year: the core's outflow to the whole country minus its outflow within the region."""
    total = flows[
        (flows["origin_code"] == core) & (flows["destination_code"] == NATIONAL)
    ].set_index("year")["persons"]
    within = (
        flows[
            (flows["origin_code"] == core) & flows["destination_code"].isin(region_codes - {core})
        ]
        .groupby("year")["persons"]
        .sum()
    )
    return pd.DataFrame(
        {"year": total.index, "persons": (total - within.reindex(total.index)).to_numpy()}
    )


def per_thousand(counts: pd.Series, population: pd.Series) -> pd.Series:
    """Counts per 1,000 residents; missing where the population is unknown or zero."""
    pop = population.where(population > 0)
    return counts / pop * 1000


def low_income_households(households: pd.Series, low_income_pct: pd.Series) -> pd.Series:
    """ESTIMATED number of low-income households: households x share / 100 (missing stays missing)."""
    return households * low_income_pct / 100


def suburbanisation_index(gemeenten: pd.DataFrame, core: str) -> pd.DataFrame:
    """Per year, the share of the region's low-income households and of all households living
    outside the core.

    `gemeenten` has year, code (on today's territory), households, low_income_pct. Years in
    which any municipality lacks either figure are left out rather than computed on part of the
    region. Returns year, share_low_income_outside, share_households_outside (both in %).
    """
    frame = gemeenten.copy()
    frame["low_income"] = low_income_households(frame["households"], frame["low_income_pct"])
    rows = []
    for year, group in frame.groupby("year"):
        if group[["households", "low_income"]].isna().any().any():
            continue
        outside = group["code"] != core
        rows.append(
            {
                "year": int(year),
                "share_low_income_outside": 100
                * group.loc[outside, "low_income"].sum()
                / group["low_income"].sum(),
                "share_households_outside": 100
                * group.loc[outside, "households"].sum()
                / group["households"].sum(),
            }
        )
    return pd.DataFrame(
        rows, columns=["year", "share_low_income_outside", "share_households_outside"]
    )


def index_reading(index: pd.DataFrame) -> dict[str, float | int | bool] | None:
    """The figures for the one-sentence reading of the index: change in percentage points."""
    if len(index) < 2:
        return None
    first, last = index.iloc[0], index.iloc[-1]
    low = float(last["share_low_income_outside"] - first["share_low_income_outside"])
    all_ = float(last["share_households_outside"] - first["share_households_outside"])
    return {
        "first": int(first["year"]),
        "last": int(last["year"]),
        "low_first": float(first["share_low_income_outside"]),
        "low_last": float(last["share_low_income_outside"]),
        "low_change": low,
        "all_change": all_,
        "suburbanising": low > all_,
    }


def comparable_change(a: pd.DataFrame, b: pd.DataFrame, unchanged: set[str]) -> pd.DataFrame:
    """Change in estimated low-income households between two years, per area.

    `a` and `b` have code and low_income (the estimate) for year A and B. Only codes in
    `unchanged` (same code and same boundary in both years) get a change; every other area of
    year B gets status ``boundary_changed``. Returns code, before, after, change, status.
    """
    merged = pd.merge(
        b[["code", "low_income"]].rename(columns={"low_income": "after"}),
        a[["code", "low_income"]].rename(columns={"low_income": "before"}),
        on="code",
        how="left",
    )
    comparable = merged["code"].isin(unchanged)
    merged["change"] = np.where(comparable, merged["after"] - merged["before"], np.nan)
    merged["status"] = np.where(comparable, "comparable", "boundary_changed")
    return merged[["code", "before", "after", "change", "status"]]


def unchanged_areas(a: pd.DataFrame, b: pd.DataFrame, tolerance: float = 0.01) -> set[str]:
    """Codes present in both years whose boundary stayed the same.

    `a` and `b` have code, area (m²) and cx, cy (centroid, m). The same means: area within
    `tolerance` (relative) and centroid within 50 m.
    """
    both = pd.merge(a, b, on="code", suffixes=("_a", "_b"))
    same_area = (both["area_a"] - both["area_b"]).abs() <= tolerance * both["area_a"].abs()
    same_place = np.hypot(both["cx_a"] - both["cx_b"], both["cy_a"] - both["cy_b"]) <= 50
    return set(both.loc[same_area & same_place, "code"])


def sum_parts(parts: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Per year and current municipality, `columns` summed over its parts (merged ones included).

    A year in which one part lacks a figure stays missing for the whole territory.
    """
    return parts.groupby(["year", "code"], as_index=False)[columns].agg(
        lambda s: s.sum(min_count=len(s))
    )


def territory_estimates(parts: pd.DataFrame, share: str) -> pd.DataFrame:
    """Per KWB year and current municipality: households, ESTIMATED low-income households and
    their share (%), from per-part households and `share` (merged parts summed)."""
    with_count = parts.assign(low_income=low_income_households(parts["households"], parts[share]))
    summed = sum_parts(with_count, ["households", "low_income"])
    summed["low_income_pct"] = 100 * summed["low_income"] / summed["households"]
    return summed


def gemeente_parts(
    values: Callable[[str, int], pd.Series],
    indicators: tuple[str, ...],
    years: list[int],
    gemeenten_in_year: Callable[[int], list[str]],
    successor: Callable[[str], str],
) -> pd.DataFrame:
    """Per year and per municipality of that year (merged ones included): year, part (its own
    code), code (today's successor) and the values of `indicators` (`values(indicator, year)`
    by area code). Callers sum parts onto today's territory as their figure requires."""
    rows = []
    for year in years:
        known = {ind: values(ind, year) for ind in indicators}
        for part in gemeenten_in_year(year):
            row: dict[str, object] = {"year": year, "part": part, "code": successor(part)}
            row.update({ind: known[ind].get(part, float("nan")) for ind in indicators})
            rows.append(row)
    return pd.DataFrame(rows, columns=["year", "part", "code", *indicators])


def buurt_series(
    buurten: pd.DataFrame, shares: pd.DataFrame, shapes: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series]:
    """The low-income share of each buurt of one municipality in every edition, with a
    boundary fingerprint per year, and the buurten's latest names.

    `buurten` has code, name and year (its buurten per boundary year); `shares` code, year and
    value (the share per edition); `shapes` code, year, area, cx and cy (the boundary). Returns
    (code, year, value, fingerprint) for the buurten with a boundary in an edition with a
    share, and the latest name per code."""
    present = buurten[["code", "year"]].merge(shapes, on=["code", "year"], how="inner")
    present = present[present["year"].isin(set(shares["year"]))]
    series = present.merge(shares, on=["code", "year"], how="left").assign(
        fingerprint=lambda f: [
            geometry.fingerprint(a, x, y)
            for a, x, y in zip(f["area"], f["cx"], f["cy"], strict=True)
        ]
    )
    series = series[["code", "year", "value", "fingerprint"]].astype({"value": float})
    latest = buurten.sort_values("year").groupby("code")["name"].last()
    return series.sort_values(["year", "code"], ignore_index=True), latest


def merger_years(merged: tuple[Gemeente, ...]) -> tuple[tuple[int, str], ...]:
    """The calendar years municipalities merged, with their names (from region.toml)."""
    years: dict[int, list[str]] = {}
    for gemeente in merged:
        if gemeente.merge_date is not None:
            years.setdefault(gemeente.merge_date.year, []).append(gemeente.name)
    return tuple((year, ", ".join(names)) for year, names in sorted(years.items()))
