"""Buurt series across boundary changes: every edition on one reference geometry.

CBS publishes no buurt conversion, and Amsterdam redrew all its buurten on 2022-03-24. This
module computes, once per build, a crosswalk from the buurten of every boundary year directly
to those of the reference year (by default the newest; never chained year by year), and the
indicator values on the reference buurten. Pure functions: frames in, frames out.

Methods, best first, recorded per pair of areas:

- ``exact``: the source lies within the target (unchanged, recoded, or one of the whole areas
  a target is the union of): all of it goes there;
- ``households``: the source is split over several targets; its content is shared out by where
  households live, estimated from the reference year's buurten and their household counts
  (spread over each target's land by area);
- ``area``: as a last resort (no household counts there), by land area (the store keeps land
  only: PDOK's water features are dropped).

Counts are split by the weights; shares and means are rebuilt from weighted numerators and
denominators (the catalogue's weight of each indicator). A suppressed input stays missing and
makes its targets missing (never 0). The error is measured, not guessed: `push_down_errors`
estimates each edition's buurten from their wijken (and wijken from their gemeente) the way a
split is estimated, and compares with CBS's own figures.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata import schema
from geodata.catalogue import Indicator


@contextmanager
def warnings_ignored() -> Iterator[None]:
    """numpy warns about an all-NaN column (an indicator CBS left empty); that is expected."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


METHODS = ("exact", "households", "area")
#: How far a method is from the truth: the target's method is its worst contribution's.
RANK = {method: rank for rank, method in enumerate(METHODS)}
#: Overlaps below this share of both areas are drawing differences (slivers), not territory.
SLIVER = 0.02
#: A source lies within a target when at least this share of it does.
WITHIN = 0.98
#: The weight that says how many households an indicator's figure is about.
HOUSEHOLDS = "households"

CROSSWALK_COLUMNS = ["from_code", "from_year", "to_code", "to_year", "weight", "method"]


#: Outlines are simplified this far (metres) before they are overlaid: shares of areas change
#: by far less than the slivers left out, and the overlay is several times faster.
SIMPLIFY = 1.0


def _land(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """code and (simplified) geometry with its area (m²), in EPSG:28992."""
    frame = areas[["code", "geometry"]].reset_index(drop=True)
    out = gpd.GeoDataFrame(frame, geometry="geometry", crs=schema.CRS)
    out["geometry"] = shapely.simplify(out.geometry.to_numpy(), SIMPLIFY, preserve_topology=True)
    return out.assign(area=out.geometry.area.to_numpy())


def pieces(s: gpd.GeoDataFrame, t: gpd.GeoDataFrame) -> pd.DataFrame:
    """Where sources and targets (both as `_land` gives them) overlap: from_code, to_code,
    area (m²) of the overlap, and the shares of the source and of the target it is. Slivers
    (drawing differences along shared borders) are left out."""
    pairs = gpd.sjoin(s, t, how="inner", predicate="intersects", lsuffix="s", rsuffix="t")
    if pairs.empty:
        return pd.DataFrame(columns=["from_code", "to_code", "area", "share_from", "share_to"])
    theirs = t.geometry.to_numpy()[t.index.get_indexer(pairs["index_t"])]
    common = shapely.area(shapely.intersection(pairs.geometry.to_numpy(), theirs))
    out = pd.DataFrame(
        {
            "from_code": pairs["code_s"].to_numpy(),
            "to_code": pairs["code_t"].to_numpy(),
            "area": common,
            "share_from": common / pairs["area_s"].to_numpy(),
            "share_to": common / pairs["area_t"].to_numpy(),
        }
    )
    keep = (out["share_from"] >= SLIVER) | (out["share_to"] >= SLIVER)
    return out[keep & (out["area"] > 0)].reset_index(drop=True)


def _split_weights(split: pd.DataFrame, households: pd.Series) -> pd.DataFrame:
    """Weights of sources that are split over several targets: by the households living in
    each piece (the target's households spread over its land), else by land area."""
    hh = split["to_code"].map(households).astype(float) * split["share_to"]
    split = split.assign(hh=hh.to_numpy())
    total = split.groupby("from_code")["hh"].transform("sum")
    unknown = split["hh"].isna().groupby(split["from_code"]).transform("any")
    by_households = ~unknown & (total > 0)
    area_total = split.groupby("from_code")["share_from"].transform("sum")
    weight = np.where(by_households, split["hh"] / total, split["share_from"] / area_total)
    method = np.where(by_households, "households", "area")
    return split.assign(weight=weight, method=method)


def crosswalk(
    source: gpd.GeoDataFrame, target: gpd.GeoDataFrame, households: pd.Series
) -> pd.DataFrame:
    """from_code, to_code, weight, method from the `source` areas to the `target` areas (same
    level, other boundary years); `households` are the targets' household counts by code.
    The weights of a source add up to 1; a source outside every target has no rows."""
    return _crosswalk(_land(source), _land(target), households)


def _crosswalk(s: gpd.GeoDataFrame, t: gpd.GeoDataFrame, households: pd.Series) -> pd.DataFrame:
    """`crosswalk` of outlines already prepared by `_land`."""
    found = pieces(s, t)
    if found.empty:
        return pd.DataFrame(columns=["from_code", "to_code", "weight", "method"])
    largest = found.groupby("from_code")["share_from"].transform("max")
    whole = found[(found["share_from"] == largest) & (largest >= WITHIN)]
    whole = whole.drop_duplicates("from_code").assign(weight=1.0, method="exact")
    split = found[~found["from_code"].isin(whole["from_code"])]
    split = _split_weights(split, households) if len(split) else split.assign(weight=[], method=[])
    columns = ["from_code", "to_code", "weight", "method"]
    out = pd.concat([whole[columns], split[columns]], ignore_index=True)
    return out.sort_values(["from_code", "to_code"], ignore_index=True)


def _identical(source: gpd.GeoDataFrame, target: gpd.GeoDataFrame) -> pd.DataFrame:
    """Sources whose code and outline the target year has unchanged (within a sliver): the
    cheap first pass, before any overlay (both as `_land` gives them)."""
    s, t = source.set_index("code"), target.set_index("code")
    common = s.index.intersection(t.index)
    if not len(common):
        return pd.DataFrame(columns=["from_code", "to_code", "weight", "method"])
    ours, theirs = s.loc[common].geometry.to_numpy(), t.loc[common].geometry.to_numpy()
    equal = shapely.equals_exact(ours, theirs, tolerance=0.01)
    doubt = ~equal
    overlap = np.zeros(len(common))
    overlap[doubt] = shapely.area(shapely.intersection(ours[doubt], theirs[doubt]))
    union = s.loc[common, "area"].to_numpy() + t.loc[common, "area"].to_numpy() - overlap
    same = common[equal | (overlap >= (1 - SLIVER) * union)]
    return pd.DataFrame({"from_code": same, "to_code": same, "weight": 1.0, "method": "exact"})


def fast_crosswalk(
    source: gpd.GeoDataFrame, target: gpd.GeoDataFrame, households: pd.Series
) -> pd.DataFrame:
    """`crosswalk` of outlines prepared by `_land`, with unchanged areas matched by code first
    and only the rest overlaid."""
    same = _identical(source, target)
    rest = source[~source["code"].isin(same["from_code"])]
    if rest.empty:
        return same.sort_values("from_code", ignore_index=True)
    others = _crosswalk(rest, target, households)
    out = pd.concat([same, others], ignore_index=True)
    return out.sort_values(["from_code", "to_code"], ignore_index=True)


def _signature(areas: gpd.GeoDataFrame) -> int:
    """One number for a year's division (codes and outlines): years with the same division
    share one crosswalk."""
    ordered = areas.sort_values("code")
    return hash((tuple(ordered["code"]), tuple(ordered.geometry.to_wkb())))


def crosswalks(
    areas: gpd.GeoDataFrame, values: pd.DataFrame, reference_year: int, level: str = "buurt"
) -> pd.DataFrame:
    """The crosswalk of every boundary year's areas of `level` directly to `reference_year`'s
    (`areas`: the store's; `values`: indicator_values, for the reference year's households).
    The reference year maps onto itself exactly; years with the same division share the work."""
    at_level = areas[areas["level"] == level]
    target = _land(at_level[at_level["year"] == reference_year])  # prepared once
    chosen = values[(values["indicator"] == HOUSEHOLDS) & (values["year"] == reference_year)]
    households = chosen.set_index("area_code")["value"]
    divisions = {int(year): _signature(source) for year, source in at_level.groupby("year")}
    if not divisions:
        return pd.DataFrame(columns=CROSSWALK_COLUMNS)
    first = {key: year for year, key in reversed(divisions.items())}  # one year per division
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # shapely frees the GIL
        found = pool.map(
            lambda year: fast_crosswalk(
                _land(at_level[at_level["year"] == year]), target, households
            ),
            first.values(),
        )
        done = dict(zip(first, found, strict=True))
    frames = [
        done[key].assign(from_year=year, to_year=reference_year) for year, key in divisions.items()
    ]
    out = pd.concat(frames, ignore_index=True)[CROSSWALK_COLUMNS]
    return out.astype({"from_year": "int64", "to_year": "int64", "weight": "float64"})


# -- values on the reference geometry --------------------------------------------------------


def editions_wide(values: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """Every edition's values as a table (a row per area code, a column per indicator it has
    rows for), pivoted once: (indicator, year, area_code) is the table's key."""
    keyed = values.set_index(["year", "area_code", "indicator"])["value"].astype(float)
    full = keyed.unstack("indicator")
    present = values.groupby("year")["indicator"].unique()
    return {
        int(year): full.loc[year, sorted(present[year])].rename_axis(columns="indicator")
        for year in present.index
    }


def _weights_matrix(
    wide: pd.DataFrame, sources: pd.Index, indicators: list[Indicator]
) -> np.ndarray:
    """Per link and indicator what weighs its figure: 1 for a count, the weight indicator's
    figure for a mean (NaN where that is unknown)."""
    columns = []
    for indicator in indicators:
        if indicator.aggregation == "mean":
            weight = wide.get(str(indicator.weight))
            column = np.full(len(sources), np.nan) if weight is None else weight.reindex(sources)
            columns.append(np.asarray(column, dtype=float))
        else:
            columns.append(np.ones(len(sources)))
    return np.column_stack(columns) if columns else np.empty((len(sources), 0))


def _group_sums(keys: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Sums of each array's rows per key (keys sorted first); the distinct keys."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sums = [np.add.reduceat(a[order], starts, axis=0) for a in arrays]
    return sorted_keys[starts], sums


def harmonise_year(
    links: pd.DataFrame, wide: pd.DataFrame, indicators: list[Indicator]
) -> pd.DataFrame:
    """One edition's indicators on the reference areas: code, indicator, value, method and the
    estimated share. A target that receives from a source without a figure (or without the
    figure that weighs it) has no value: never a partial sum, never 0."""
    sources = pd.Index(links["from_code"])
    v = np.column_stack([wide[i.id].reindex(sources).to_numpy(dtype=float) for i in indicators])
    mass = links["weight"].to_numpy()[:, None] * _weights_matrix(wide, sources, indicators)
    missing = (np.isnan(v) | np.isnan(mass)) & (links["weight"].to_numpy()[:, None] > 0)
    exact = (links["method"] == "exact").to_numpy()[:, None]
    rank = links["method"].map(RANK).to_numpy()
    codes, (part, total, gaps, estimated, plain, count) = _group_sums(
        links["to_code"].to_numpy(dtype=object),
        np.nan_to_num(v * mass),
        np.nan_to_num(mass),
        missing.astype(float),
        np.where(exact, 0.0, np.nan_to_num(mass)),
        np.nan_to_num(v),
        np.ones((len(links), 1)),
    )
    means = np.array([i.aggregation == "mean" for i in indicators])
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(means, part / total, part)
        share = np.where(total > 0, estimated / total, 0.0)
    # one source, as it is: its own figure (not v * w / w, which rounds in the last digit)
    value = np.where((count == 1) & means, plain, value)
    value[gaps > 0] = np.nan
    worst = pd.Series(rank).groupby(links["to_code"].to_numpy()).max().reindex(codes)
    method = worst.map(dict(enumerate(METHODS))).to_numpy()
    return pd.DataFrame(
        {
            "code": np.repeat(codes, len(indicators)),
            "indicator": np.tile([i.id for i in indicators], len(codes)),
            "value": value.ravel(),
            "method": np.repeat(method, len(indicators)),
            "estimated_share": np.clip(share, 0, 1).ravel(),
        }
    )


def harmonise(
    values: pd.DataFrame,
    crosswalk_table: pd.DataFrame,
    indicators: dict[str, Indicator],
    errors: pd.DataFrame | None = None,
    wide_by_year: dict[int, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Every indicator of every edition on the reference areas (the store's
    `harmonised_values`), with the method, the share that was estimated and an error band from
    the measured error of estimating the same indicator this way (`errors`, see
    `push_down_errors`). A mean whose weight has no figures in an edition is left out.
    `wide_by_year`: `editions_wide(values)`, when the caller has it already."""
    wide_by_year = editions_wide(values) if wide_by_year is None else wide_by_year
    frames = []
    for year, links in crosswalk_table.groupby("from_year"):
        wide = wide_by_year.get(int(year), pd.DataFrame())
        chosen = [
            i
            for i in indicators.values()
            if i.id in wide.columns and (i.aggregation != "mean" or str(i.weight) in wide.columns)
        ]
        if not chosen or links.empty:
            continue
        found = harmonise_year(links.reset_index(drop=True), wide, chosen)
        frames.append(found.assign(year=int(year), reference_year=int(links["to_year"].iloc[0])))
    if not frames:
        return schema.empty_table("harmonised_values")
    out = with_error_band(pd.concat(frames, ignore_index=True), indicators, errors)
    return out[list(schema.SCHEMA["harmonised_values"])]


def with_error_band(
    harmonised: pd.DataFrame, indicators: dict[str, Indicator], errors: pd.DataFrame | None
) -> pd.DataFrame:
    """The error band of each estimated value: the estimated share times the measured typical
    error of that indicator and method (median absolute error for a mean, median relative error
    times the value for a count); 0 where nothing was estimated, empty where unmeasured."""
    if errors is None or errors.empty:
        return harmonised.assign(
            error_band=np.where(harmonised["estimated_share"] > 0, np.nan, 0.0)
        )
    typical = errors.groupby(["indicator", "method"]).agg(
        absolute=("median_abs_error", "median"), relative=("median_rel_error", "median")
    )
    keyed = harmonised.join(typical, on=["indicator", "method"])
    counts = keyed["indicator"].map({i: ind.aggregation == "sum" for i, ind in indicators.items()})
    spread = np.where(counts, keyed["relative"] * keyed["value"].abs(), keyed["absolute"])
    band = np.where(keyed["estimated_share"] > 0, keyed["estimated_share"] * spread, 0.0)
    return harmonised.assign(error_band=band)


# -- the error, measured -----------------------------------------------------------------------

#: (larger level, smaller level, the column of the smaller areas that names the larger one)
PUSH_DOWN = (("wijk", "buurt", "wijk_code"), ("gemeente", "wijk", "gemeente_code"))
ERROR_COLUMNS = ["areas", "mean_abs_error", "median_abs_error", "median_rel_error"]


def _children(areas: pd.DataFrame, year: int, child: str, key: str) -> pd.DataFrame:
    """The smaller areas of one boundary year with their larger area and land area (m²)."""
    part = areas[(areas["year"] == year) & (areas["level"] == child)]
    land = gpd.GeoSeries(part.geometry.to_numpy(), crs=schema.CRS).area.to_numpy()
    return pd.DataFrame(
        {"code": part["code"].to_numpy(), "parent": part[key].to_numpy(), "land": land}
    )


def _estimates(
    children: pd.DataFrame, wide: pd.DataFrame, counts: np.ndarray, size: np.ndarray
) -> np.ndarray:
    """Each child's figures estimated from its parent's, as a split is estimated: a count in
    proportion to `size` (households or land), a mean as the parent's."""
    parents = wide.reindex(children["parent"]).to_numpy(dtype=float)
    total = pd.Series(size).groupby(children["parent"].to_numpy()).transform("sum").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(total > 0, size / total, np.nan)
    estimate: np.ndarray = np.where(counts, parents * fraction[:, None], parents)
    return estimate


def _summary(estimate: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """Per column: areas compared, mean and median absolute error, median relative error."""
    error = np.abs(estimate - actual)
    error[np.isnan(actual)] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"), warnings_ignored():
        relative = np.where(actual != 0, error / np.abs(actual), np.nan)
        return np.column_stack(
            [
                np.sum(~np.isnan(error), axis=0),
                np.nanmean(error, axis=0),
                np.nanmedian(error, axis=0),
                np.nanmedian(relative, axis=0),
            ]
        )


def push_down_errors(
    areas: pd.DataFrame,
    values: pd.DataFrame,
    indicators: dict[str, Indicator],
    wide_by_year: dict[int, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """How far off a figure is when it is estimated from a larger area, per indicator, edition,
    pair of levels and method: each wijk's figure shared out over its buurten (and each
    gemeente's over its wijken) as a split buurt is, compared with CBS's own figures."""
    wide_by_year = editions_wide(values) if wide_by_year is None else wide_by_year
    frames = []
    for year in sorted(set(areas["year"]) & set(wide_by_year)):
        wide = wide_by_year[int(year)]
        chosen = [i for i in indicators.values() if i.id in wide.columns]
        if HOUSEHOLDS not in wide.columns or not chosen:
            continue
        wide = wide[[i.id for i in chosen]]
        counts = np.array([i.aggregation == "sum" for i in chosen])
        for parent, child, key in PUSH_DOWN:
            children = _children(areas, int(year), child, key)
            if children.empty:
                continue
            actual = wide.reindex(children["code"]).to_numpy(dtype=float)
            households = wide[HOUSEHOLDS].reindex(children["code"]).to_numpy(dtype=float)
            for method, size in (("households", households), ("area", children["land"].to_numpy())):
                summary = _summary(_estimates(children, wide, counts, size), actual)
                frame = pd.DataFrame(summary, columns=ERROR_COLUMNS)
                frames.append(
                    frame.assign(
                        indicator=[i.id for i in chosen],
                        year=int(year),
                        from_level=parent,
                        to_level=child,
                        method=method,
                    )
                )
    columns = list(schema.SCHEMA["harmonisation_errors"])
    if not frames:
        return schema.empty_table("harmonisation_errors")
    out = pd.concat(frames, ignore_index=True)
    # households shared out by households is exact by construction: no measurement
    circular = (out["indicator"] == HOUSEHOLDS) & (out["method"] == "households")
    out = out[(out["areas"] > 0) & ~circular][columns]
    return out.astype({"year": "int64", "areas": "int64"}).reset_index(drop=True)


# -- one build's harmonisation ---------------------------------------------------------------


def tables(
    store_tables: dict[str, pd.DataFrame],
    indicators: dict[str, Indicator],
    reference_year: int | None = None,
) -> dict[str, pd.DataFrame]:
    """The store's `crosswalk`, `harmonisation_errors` and `harmonised_values` for the merged
    tables of a build, on `reference_year`'s buurten (the newest boundary year by default).
    Empty tables when the store has no buurten."""
    areas, values = store_tables.get("areas"), store_tables.get("indicator_values")
    names = ("crosswalk", "harmonisation_errors", "harmonised_values")
    if areas is None or values is None or areas.empty:
        return {name: schema.empty_table(name) for name in names}
    years = sorted(areas.loc[areas["level"] == "buurt", "year"].unique())
    reference = (
        reference_year if reference_year is not None and reference_year in years else int(years[-1])
    )
    with ThreadPoolExecutor(max_workers=1) as pool:  # the overlay beside the error measure
        overlay = pool.submit(crosswalks, areas, values, reference)
        wide = editions_wide(values)
        errors = push_down_errors(areas, values, indicators, wide)
        links = overlay.result()
    harmonised = harmonise(values, links, indicators, errors, wide)
    return {"crosswalk": links, "harmonisation_errors": errors, "harmonised_values": harmonised}


def summary_lines(made: dict[str, pd.DataFrame], lead: tuple[str, ...]) -> list[str]:
    """What the build says about the harmonisation: the reference year, how much is estimated,
    and the measured error of the `lead` indicators (wijk to buurt, median over editions)."""
    values, errors = made["harmonised_values"], made["harmonisation_errors"]
    if values.empty:
        return []
    reference = int(values["reference_year"].iloc[0])
    known = values["value"].notna()
    estimated = float((values.loc[known, "estimated_share"] > 0).mean())
    lines = [
        f"  harmonised to the {reference} buurten: {int(known.sum()):,} values, "
        f"{estimated:.0%} of them partly estimated (crosswalk {len(made['crosswalk']):,} links)"
    ]
    buurt = errors[(errors["from_level"] == "wijk") & errors["indicator"].isin(lead)]
    typical = buurt.groupby(["indicator", "method"])["median_abs_error"].median()
    for (indicator, method), error in typical.items():
        lines.append(
            f"    measured error, {indicator} estimated from its wijk by {method}: "
            f"median {error:.2f} (in its unit)"
        )
    return lines
