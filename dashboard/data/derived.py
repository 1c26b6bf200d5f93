"""What the pages derive from the store, cached: thin wrappers over the pure functions of
`dashboard.analysis` and `dashboard.migration` (frame in, frame out).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import analysis, breaks, deck, geometry, migration, state
from dashboard.data.static import display_areas
from dashboard.data.store import (
    StoreRef,
    _store,
    all_values,
    area_shapes,
    areas_table,
    catalogue,
    flows,
    gemeente_names,
    geometry_fingerprints,
    harmonised_for,
    harmonised_series,
    income_flows,
    reference_year,
    region,
    test_editions,
    values_for,
)


def options(ref: StoreRef) -> state.Options:
    """The valid values of every URL parameter: from the store (cached) and the deck folder
    (read on every run, so a deck added while the app runs is found)."""
    return replace(store_options(ref), decks=list(deck.deck_files()))


@st.cache_data(show_spinner=False)
def store_options(ref: StoreRef) -> state.Options:
    """The valid values of the URL parameters that depend on the store. Pages that draw maps
    offer an edition only when the store has its boundaries (PDOK publishes a year's
    boundaries after CBS's KWB edition; until then the edition is in profiles and exports)."""
    region_ = region()
    drawn = set(areas_table(ref)["year"])
    by_indicator = {
        indicator: [y for y in years if y in drawn]
        for indicator, years in years_by_indicator(ref).items()
    }
    flow_years = sorted({int(y) for y in flows(ref)["year"].unique()})
    groups = income_flows(ref)["income_group"]
    return state.Options(
        indicators=[i for i in catalogue() if i in by_indicator],
        years_by_indicator=by_indicator,
        gemeenten=list(region_.codes),
        highlight=list(region_.highlight),
        core=region_.core,
        flow_years=flow_years,
        income_groups=sorted(str(g) for g in groups.unique()),
        reference_year=reference_year(ref),
        harmonised_years_by_indicator=analysis.years_by_indicator(harmonised_series(ref)),
    )


def index_breaks(ref: StoreRef) -> list[breaks.Break]:
    """Where the suburbanisation index cannot be read across: a changed definition of the
    low-income share or of households, or test data meeting real data."""
    editions = years_by_indicator(ref).get(state.SUBURB_INDICATOR, [])
    found: set[breaks.Break] = set()
    for indicator in (state.SUBURB_INDICATOR, "households"):
        found.update(
            breaks.series_breaks(editions, catalogue()[indicator], None, test_editions(ref))
        )
    return sorted(found)


@st.cache_data(show_spinner=False)
def years_by_indicator(ref: StoreRef) -> dict[str, list[int]]:
    """KWB editions in which each indicator has at least one value."""
    return analysis.years_by_indicator(all_values(ref))


@st.cache_data(show_spinner=False)
def levels_by_indicator(ref: StoreRef) -> dict[str, frozenset[str]]:
    """The levels at which each indicator has at least one value (BBGA indicators also at
    Amsterdam's stadsdelen and gebieden; CBS indicators never there)."""
    level_of = areas_table(ref).drop_duplicates("code").set_index("code")["level"]
    return analysis.levels_by_indicator(all_values(ref), level_of)


def indicators_at(ref: StoreRef, level: str) -> list[str]:
    """The indicators that have values at `level`, in catalogue order."""
    by_level = levels_by_indicator(ref)
    return [i for i in options(ref).indicators if level in by_level.get(i, frozenset())]


@st.cache_data(show_spinner=False, max_entries=64)
def region_references(ref: StoreRef, gemeente: str) -> pd.DataFrame:
    """Per indicator and year: the municipality's value and the region's."""
    return analysis.region_references(
        all_values(ref), catalogue().values(), _codes_in_kwb_year, gemeente
    )


def _codes_in_kwb_year(year: int) -> list[str]:
    return [g.code for g in region().gemeenten_in_kwb_year(year)]


@st.cache_data(show_spinner=False, max_entries=64)
def successors(ref: StoreRef, code: str, min_share: float = 0.05) -> list[tuple[str, str]]:
    """For a code that ends before the latest edition: the areas of the same level in the next
    edition that overlap its last boundary (at least `min_share` of it), largest first."""
    rows = _store(ref).areas(codes=(code,))
    if rows.empty:
        return []
    last = rows.sort_values("year").iloc[-1]
    following = [int(y) for y in sorted(areas_table(ref)["year"].unique()) if y > last["year"]]
    if not following:
        return []
    candidates = _store(ref).areas(year=following[0], level=str(last["level"]))
    return geometry.overlapping(last.geometry, candidates, min_share)


@st.cache_data(show_spinner=False, max_entries=32)
def bounds(ref: StoreRef, gemeenten: tuple[str, ...]) -> tuple[float, float, float, float]:
    """Lon/lat bounds of the given municipalities (the map's frame), the same for every year so
    that a year change keeps the user's pan and zoom."""
    latest = int(areas_table(ref)["year"].max())
    areas = _store(ref).areas(year=latest, level="gemeente")
    chosen = areas[areas["gemeente_code"].isin(gemeenten)]
    return geometry.bounds_wgs84(chosen if len(chosen) else areas)


@st.cache_data(show_spinner=False, max_entries=16)
def gemeente_parts(ref: StoreRef, indicators: tuple[str, ...], years_of: str) -> pd.DataFrame:
    """Per KWB year in which `years_of` is published, per municipality of that year (merged
    ones included), the values of `indicators` (see `migration.gemeente_parts`)."""
    return migration.gemeente_parts(
        lambda indicator, year: values_for(ref, indicator, year),
        indicators,
        years_by_indicator(ref).get(years_of, []),
        _codes_in_kwb_year,
        region().successor,
    )


@st.cache_data(show_spinner=False)
def territory_flows(ref: StoreRef) -> pd.DataFrame:
    """Flows with merged municipalities added to their successor (today's territory)."""
    region_ = region()
    return migration.flows_on_current_territory(
        flows(ref), region_.successor, set(region_.all_codes)
    )


@st.cache_data(show_spinner=False, max_entries=16)
def income_territory_flows(ref: StoreRef, group: str) -> pd.DataFrame:
    """Imported moves of one income group on today's territory, as persons (households)."""
    region_ = region()
    income = income_flows(ref)
    selected = income[income["income_group"] == group].rename(columns={"households": "persons"})
    return migration.flows_on_current_territory(
        selected[["year", "origin_code", "destination_code", "persons"]],
        region_.successor,
        set(region_.all_codes),
    )


@st.cache_data(show_spinner=False)
def population_by_year(ref: StoreRef) -> pd.DataFrame:
    """KWB population per current municipality and year (merged parts added before the merger)."""
    return migration.sum_parts(gemeente_parts(ref, ("population",), "population"), ["population"])


@st.cache_data(show_spinner=False)
def gemeente_estimates(ref: StoreRef) -> pd.DataFrame:
    """Per KWB year and current municipality: households and the estimated low-income share."""
    parts = gemeente_parts(ref, ("households", state.SUBURB_INDICATOR), state.SUBURB_INDICATOR)
    return migration.territory_estimates(parts, state.SUBURB_INDICATOR)


@st.cache_data(show_spinner=False, max_entries=32)
def area_estimates(ref: StoreRef, year: int, level: str) -> pd.DataFrame:
    """Areas of one year and level with their ESTIMATED low-income households."""
    areas = areas_table(ref)
    part = areas[(areas["year"] == year) & (areas["level"] == level)]
    households = part["code"].map(values_for(ref, "households", year)).astype(float)
    share = part["code"].map(values_for(ref, state.SUBURB_INDICATOR, year)).astype(float)
    return part[["code", "name", "gemeente_code"]].assign(
        low_income=migration.low_income_households(households, share)
    )


@st.cache_data(show_spinner=False, max_entries=32)
def harmonised_estimates(ref: StoreRef, year: int) -> pd.DataFrame:
    """The reference year's buurten with the ESTIMATED low-income households of edition
    `year` (harmonised households × harmonised share) and the share of that was estimated."""
    reference = reference_year(ref)
    areas = areas_table(ref)
    part = areas[(areas["year"] == reference) & (areas["level"] == "buurt")]
    found = {
        i: harmonised_for(ref, i, year).set_index("code")
        for i in ("households", state.SUBURB_INDICATOR)
    }
    households = part["code"].map(found["households"]["value"]).astype(float)
    share = part["code"].map(found[state.SUBURB_INDICATOR]["value"]).astype(float)
    estimated = pd.concat([f["estimated_share"] for f in found.values()], axis=1).max(axis=1)
    return part[["code", "name", "gemeente_code"]].assign(
        low_income=migration.low_income_households(households, share),
        estimated_share=part["code"].map(estimated).fillna(0.0).to_numpy(),
    )


@st.cache_data(show_spinner=False, max_entries=32)
def unchanged_areas(ref: StoreRef, year_a: int, year_b: int, level: str) -> set[str]:
    """Codes with the same code and boundary in both years."""
    return migration.unchanged_areas(
        area_shapes(ref, year_a, level), area_shapes(ref, year_b, level)
    )


@st.cache_data(show_spinner=False, max_entries=32)
def comparable_level(ref: StoreRef, year_a: int, year_b: int, share: float = 0.5) -> str:
    """The finest level at which at least `share` of the areas of year B have the same code and
    boundary in year A (gemeente when no finer level qualifies)."""
    for level in ("buurt", "wijk"):
        areas = area_shapes(ref, year_b, level)
        if len(areas) and len(unchanged_areas(ref, year_a, year_b, level)) >= share * len(areas):
            return level
    return "gemeente"


@st.cache_data(show_spinner=False, max_entries=16)
def buurt_series(ref: StoreRef, gemeente: str) -> tuple[pd.DataFrame, pd.Series]:
    """The low-income share of each buurt of one municipality in every edition, with a
    boundary fingerprint per year, and the buurten's latest names."""
    areas = areas_table(ref)
    buurten = areas[(areas["gemeente_code"] == gemeente) & (areas["level"] == "buurt")]
    years = years_by_indicator(ref).get(state.SUBURB_INDICATOR, [])
    shares = pd.concat(
        [_shares(ref, year) for year in years] or [pd.DataFrame(columns=["code", "year", "value"])]
    )
    shapes = pd.concat(
        [area_shapes(ref, year, "buurt").assign(year=year) for year in years]
        or [pd.DataFrame(columns=["code", "area", "cx", "cy", "year"])]
    )
    return migration.buurt_series(buurten[["code", "name", "year"]], shares, shapes)


def _shares(ref: StoreRef, year: int) -> pd.DataFrame:
    values = values_for(ref, state.SUBURB_INDICATOR, year)
    return pd.DataFrame({"code": values.index, "year": year, "value": values.to_numpy()})


def trend_series(
    ref: StoreRef, indicator: str, codes: tuple[str, ...]
) -> dict[str, tuple[str, list[int], list[float]]]:
    """Per area code: its label and its values of `indicator` in every edition."""
    years = years_by_indicator(ref).get(indicator, [])
    areas, names = areas_table(ref), gemeente_names()
    out = {}
    for code in codes:
        known = areas[areas["code"] == code]
        label = names.get(code) or (str(known["name"].iloc[-1]) if len(known) else code)
        out[code] = (
            label,
            list(years),
            [float(values_for(ref, indicator, y).get(code, float("nan"))) for y in years],
        )
    return out


def trend_breaks(
    ref: StoreRef, indicator: str, codes: tuple[str, ...]
) -> dict[str, tuple[int, ...]]:
    """Per area code: the editions before which its series breaks (boundary, definition,
    test data meeting real data)."""
    years, found = years_by_indicator(ref).get(indicator, []), {}
    for code in codes:
        series = breaks.series_breaks(
            years, catalogue()[indicator], geometry_fingerprints(ref, code), test_editions(ref)
        )
        found[code] = tuple(b.year for b in series)
    return found


@st.cache_data(show_spinner=False)
def gemeente_points(ref: StoreRef) -> pd.DataFrame:
    """A representative point (lon, lat) per municipality, from its latest boundary year."""
    raw = _store(ref).areas(level="gemeente")
    latest = raw.sort_values("year").groupby("code").tail(1)
    points = latest.geometry.representative_point().to_crs(4326)
    return pd.DataFrame(
        {"code": latest["code"].to_numpy(), "lon": points.x.to_numpy(), "lat": points.y.to_numpy()}
    )


@st.cache_data(show_spinner=False)
def gemeente_outlines(ref: StoreRef) -> dict[str, Any]:
    """Simplified outlines of the current municipalities (latest year), as GeoJSON."""
    latest = int(areas_table(ref)["year"].max())
    return geometry.to_feature_collection(display_areas(ref, latest, "gemeente"))


def _buurt_rows(ref: StoreRef, year: int, indicator: str) -> pd.DataFrame:
    """Region buurten of one year with an indicator's value and their households."""
    areas = areas_table(ref)
    buurten = areas[(areas["year"] == year) & (areas["level"] == "buurt")][
        ["code", "name", "gemeente_code"]
    ].copy()
    buurten["value"] = buurten["code"].map(values_for(ref, indicator, year)).astype(float)
    buurten["households"] = buurten["code"].map(values_for(ref, "households", year)).astype(float)
    return buurten


@st.cache_data(show_spinner=False, max_entries=32)
def focus_buurten(ref: StoreRef, year: int, focus: str, factor: float, min_hh: int) -> pd.DataFrame:
    """All region buurten of `year` flagged by the focus rule (regional mean over the region)."""
    return analysis.focus_buurten(
        _buurt_rows(ref, year, focus), analysis.FocusRule(focus, factor, min_hh)
    )


@st.cache_data(show_spinner=False, max_entries=16)
def focus_codes(ref: StoreRef, focus: str, factor: float, min_hh: int) -> tuple[str, ...]:
    """The buurten the focus rule flags in the latest edition of its measure."""
    years = years_by_indicator(ref).get(focus, [])
    if not years:
        return ()
    flagged = focus_buurten(ref, max(years), focus, factor, min_hh)
    return tuple(sorted(flagged.loc[flagged["is_focus"], "code"]))


@st.cache_data(show_spinner=False, max_entries=16)
def focus_counts(ref: StoreRef, focus: str, factor: float, min_hh: int) -> pd.DataFrame:
    """Focus buurten per current municipality and year (the concentration chart)."""
    frames = [
        _buurt_rows(ref, year, focus).assign(year=year)
        for year in years_by_indicator(ref).get(focus, [])
    ]
    if not frames:
        return pd.DataFrame(columns=["year", "gemeente_code", "focus_buurten"])
    rows = pd.concat(frames, ignore_index=True)
    rows["gemeente_code"] = rows["gemeente_code"].map(region().successor)
    return analysis.focus_counts_by_year(rows, analysis.FocusRule(focus, factor, min_hh))


@st.cache_data(show_spinner=False)
def division_breaks(ref: StoreRef) -> dict[str, list[int]]:
    """Per current municipality the editions in which its set of buurt codes changed."""
    return analysis.division_breaks(areas_table(ref), region().successor)
