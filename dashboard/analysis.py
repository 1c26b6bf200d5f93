"""Pure functions behind the maps and profiles: weighted means, classification, ranks, focus
buurten, and what the store's values say (editions and levels per indicator, the region's
references, new buurt divisions).

DataFrames in, DataFrames (or arrays) out; inputs are never mutated.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard import breaks, palette
from dashboard.i18n import fmt_number
from dashboard.state import CLASS_METHODS, FOCUS_INDICATORS
from geodata.catalogue import Indicator

MISSING_CLASS = palette.MISSING_CLASS
__all__ = ["CLASS_METHODS", "FOCUS_INDICATORS"]


def weighted_mean(values: pd.Series | np.ndarray, weights: pd.Series | np.ndarray) -> float:
    """Mean of `values` weighted by `weights`, over the pairs where both are known and weight > 0.

    NaN when no such pair exists (a suppressed figure is never counted as 0).
    """
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    ok = ~np.isnan(v) & ~np.isnan(w) & (w > 0)
    if not ok.any():
        return float("nan")
    return float(np.sum(v[ok] * w[ok]) / np.sum(w[ok]))


def _jenks_breaks(sorted_values: np.ndarray, k: int) -> list[float]:
    """Fisher-Jenks natural breaks on sorted values (dynamic programming, O(k n^2))."""
    n = len(sorted_values)
    x = sorted_values
    csum = np.concatenate([[0.0], np.cumsum(x)])
    csq = np.concatenate([[0.0], np.cumsum(x * x)])

    def ssd(i: np.ndarray, j: int) -> np.ndarray:  # sum of squared deviations of x[i..j]
        count = j - i + 1
        s = csum[j + 1] - csum[i]
        deviations: np.ndarray = (csq[j + 1] - csq[i]) - s * s / count
        return deviations

    cost = np.full((k + 1, n), np.inf)
    back = np.zeros((k + 1, n), dtype=int)
    cost[1] = [ssd(np.array([0]), j)[0] for j in range(n)]
    for c in range(2, k + 1):
        for j in range(c - 1, n):
            i = np.arange(c - 1, j + 1)
            total = cost[c - 1][i - 1] + ssd(i, j)
            best = int(np.argmin(total))
            cost[c][j] = total[best]
            back[c][j] = i[best]
    breaks, j = [], n - 1
    for c in range(k, 1, -1):
        i = back[c][j]
        breaks.append(float(x[i]))
        j = i - 1
    return sorted(breaks)


def class_breaks(values: pd.Series | np.ndarray, method: str, k: int = 5) -> list[float]:
    """Upper-exclusive inner class boundaries (k-1 of them, fewer when values are few).

    - ``quantile``: equal numbers of areas per class;
    - ``equal``: equal-width intervals between minimum and maximum;
    - ``jenks``: natural breaks (Fisher-Jenks), computed on at most 300 quantile points of
      the data so that it stays fast for thousands of areas.
    """
    if method not in CLASS_METHODS:
        raise ValueError(
            f"Unknown classification {method!r}; choose from {', '.join(CLASS_METHODS)}."
        )
    v = np.asarray(values, dtype=float)
    v = np.sort(v[~np.isnan(v)])
    unique = np.unique(v)
    if len(unique) <= 1:
        return []
    if method != "equal":
        k = min(k, len(unique))  # no more classes than distinct values
    if method == "quantile":
        edges = np.quantile(v, np.linspace(0, 1, k + 1)[1:-1])
    elif method == "equal":
        edges = np.linspace(v[0], v[-1], k + 1)[1:-1]
    else:
        sample = np.quantile(v, np.linspace(0, 1, min(300, len(v)))) if len(v) > 300 else v
        edges = np.array(_jenks_breaks(np.sort(sample), k))
    return sorted({float(e) for e in edges if v[0] < e <= v[-1]})


def assign_classes(values: pd.Series | np.ndarray, breaks: list[float]) -> np.ndarray:
    """Class index per value (0 = lowest class); `MISSING_CLASS` for missing values."""
    v = np.asarray(values, dtype=float)
    classes = np.searchsorted(np.asarray(breaks, dtype=float), v, side="right")
    return np.where(np.isnan(v), MISSING_CLASS, classes)


def class_labels(
    breaks: list[float], lo: float, hi: float, decimals: int = 1, lang: str = "nl"
) -> list[str]:
    """Readable ranges per class in the language's notation, e.g. ['3,1 – 7,9', ...] in Dutch."""
    edges = [lo, *breaks, hi]
    return [
        f"{fmt_number(a, decimals, lang)} – {fmt_number(b, decimals, lang)}"
        for a, b in itertools.pairwise(edges)
    ]


#: Units whose values are whole numbers on a map legend.
WHOLE_UNITS = frozenset({"aantal", "ha", "euro"})


@dataclass(frozen=True)
class Classes:
    """A choropleth classification: breaks, a class per value, colours and legend labels.

    `z` numbers the classes for the map (0 = no data, 1..n the classes) and `colorscale` is
    the matching stepped plotly colourscale.
    """

    breaks: list[float]
    z: list[int]
    colors: list[str]
    labels: list[str]
    decimals: int

    @property
    def colorscale(self) -> list[list[Any]]:
        return palette.discrete_colorscale(self.colors)

    @property
    def n(self) -> int:
        return len(self.colors)


def choropleth_classes(
    values: pd.Series | np.ndarray,
    method: str,
    direction: str,
    unit: str,
    lang: str = "nl",
    breaks: list[float] | None = None,
    colors: list[str] | None = None,
) -> Classes:
    """The classification of `values` for a map, its legend and its colours (darker = worse).

    `breaks` and `colors` may be given (a diverging change map, or several frames of one
    animation classified together); otherwise they follow from `method` and `direction`.
    """
    v = np.asarray(values, dtype=float)
    known = v[~np.isnan(v)]
    breaks = class_breaks(v, method) if breaks is None else breaks
    n = len(breaks) + 1 if len(known) else 0
    colors = palette.class_colors(n, direction) if colors is None else colors
    decimals = 0 if unit in WHOLE_UNITS else 1
    labels = (
        class_labels(breaks, float(known.min()), float(known.max()), decimals, lang)
        if len(known)
        else []
    )
    z = palette.z_values(assign_classes(v, breaks))
    return Classes(breaks, z, colors if len(known) else [], labels, decimals)


def ranks(values: pd.Series, direction: str) -> pd.Series:
    """Rank within the set (1 = worst): highest first unless higher is better. Missing: NA."""
    ascending = direction == "higher_is_better"
    return values.rank(ascending=ascending, method="min").astype("Int64")


@dataclass(frozen=True)
class FocusRule:
    """A buurt is a focus buurt when its share is at least `factor` times the regional
    household-weighted mean and it has at least `min_households` households."""

    indicator: str = "low_income_households_pct"
    factor: float = 1.5
    min_households: int = 100


def focus_buurten(buurten: pd.DataFrame, rule: FocusRule) -> pd.DataFrame:
    """Apply the focus rule to buurt rows with columns code, value (the rule's share), households.

    Returns the input rows with the regional mean, the threshold, `is_focus` and the ratio to
    the mean. The regional mean is weighted by households over the buurten given.
    """
    mean = weighted_mean(buurten["value"], buurten["households"])
    threshold = rule.factor * mean
    out = buurten.copy()
    out["regional_mean"] = mean
    out["threshold"] = threshold
    out["ratio"] = out["value"] / mean if mean and not np.isnan(mean) else np.nan
    out["is_focus"] = (out["value"] >= threshold) & (out["households"] >= rule.min_households)
    out["is_focus"] = out["is_focus"].fillna(False).astype(bool)
    return out


def focus_counts_by_year(rows: pd.DataFrame, rule: FocusRule) -> pd.DataFrame:
    """Number of focus buurten per municipality and year.

    `rows` has columns year, code, gemeente_code, value, households (buurt level, all years);
    the regional mean is taken per year. Returns year, gemeente_code, focus_buurten.
    """
    frames = []
    for year, group in rows.groupby("year"):
        flagged = focus_buurten(group, rule)
        counts = (
            flagged.groupby("gemeente_code")["is_focus"].sum().rename("focus_buurten").reset_index()
        )
        counts["year"] = year
        frames.append(counts)
    if not frames:
        return pd.DataFrame(columns=["year", "gemeente_code", "focus_buurten"])
    return pd.concat(frames, ignore_index=True)[["year", "gemeente_code", "focus_buurten"]]


# -- what the store's values say (pure: frames in, frames out) --------------------------------


def years_by_indicator(values: pd.DataFrame) -> dict[str, list[int]]:
    """KWB editions in which each indicator has at least one value (`values` indexed by
    indicator and year, as the data layer keeps them)."""
    out: dict[str, list[int]] = {}
    for indicator, year in values.index.unique():
        out.setdefault(str(indicator), []).append(int(year))
    return {k: sorted(v) for k, v in out.items()}


def levels_by_indicator(values: pd.DataFrame, level_of: pd.Series) -> dict[str, frozenset[str]]:
    """The levels at which each indicator has at least one value. `values` is indexed by
    indicator and year with an ``area_code`` column; `level_of` maps an area code to its level
    (codes without an area, NL00, have none). Factorised: the level of each distinct code
    once, not of every value (this runs in a worker's first script run)."""
    code_ids, codes = pd.factorize(values["area_code"])
    level_ids, levels = pd.factorize(pd.Index(codes).map(level_of))
    indicator_ids = values.index.codes[0].astype(np.int64)
    value_levels = level_ids[code_ids]
    known = value_levels >= 0
    pairs = np.unique(indicator_ids[known] * (len(levels) + 1) + value_levels[known])
    out: dict[str, set[str]] = {}
    for pair in pairs:
        indicator, level = divmod(int(pair), len(levels) + 1)
        out.setdefault(str(values.index.levels[0][indicator]), set()).add(str(levels[level]))
    return {indicator: frozenset(found) for indicator, found in out.items()}


def values_of(values: pd.DataFrame, indicator: str, year: int) -> pd.Series:
    """One indicator's values in one edition, by area code (empty when there are none)."""
    try:
        part = values.loc[(indicator, year)]
    except KeyError:
        return pd.Series(dtype=float)
    return pd.Series(part["value"].to_numpy(), index=part["area_code"].to_numpy(), name=indicator)


def region_total(
    values: pd.Series, weights: pd.Series | None, codes: list[str], aggregation: str
) -> float:
    """The region's figure from its municipalities' (`codes`): a sum, or the mean weighted by
    `weights`. Missing when any municipality lacks the figure: part of the region is not the
    region (Amsterdam's BBGA figures exist for Amsterdam only)."""
    chosen = values.reindex(codes)
    if chosen.isna().any() or not len(chosen):
        return float("nan")
    if aggregation == "sum":
        return float(chosen.sum())
    if weights is None:
        return float("nan")
    return weighted_mean(chosen, weights.reindex(codes))


def region_references(
    values: pd.DataFrame,
    indicators: Iterable[Indicator],
    codes_in_year: Callable[[int], list[str]],
    gemeente: str,
) -> pd.DataFrame:
    """Per indicator and year the municipality's value and the region's (see `region_total`).
    Columns indicator, year, gemeente, region."""
    rows = []
    editions = years_by_indicator(values)
    for ind in indicators:
        for year in editions.get(ind.id, []):
            own = values_of(values, ind.id, year)
            weights = values_of(values, str(ind.weight), year) if ind.weight else None
            total = region_total(own, weights, codes_in_year(year), ind.aggregation)
            rows.append((ind.id, year, own.get(gemeente, float("nan")), total))
    return pd.DataFrame(rows, columns=["indicator", "year", "gemeente", "region"])


def division_breaks(areas: pd.DataFrame, successor: Callable[[str], str]) -> dict[str, list[int]]:
    """Per current municipality the editions in which its set of buurt codes changed (a new
    buurt division); `areas` has code, level, gemeente_code and year."""
    buurten = areas[areas["level"] == "buurt"].assign(
        gemeente=lambda f: f["gemeente_code"].map(successor)
    )
    out: dict[str, list[int]] = {}
    for code, part in buurten.groupby("gemeente"):
        sets = {int(y): frozenset(g["code"]) for y, g in part.groupby("year")}
        out[str(code)] = [b.year for b in breaks.division_breaks(sets)]
    return out
