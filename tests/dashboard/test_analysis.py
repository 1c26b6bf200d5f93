"""Classification, weighted means, ranks, focus buurten and series breaks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard import analysis


def test_weighted_mean_ignores_missing_pairs_and_zero_weights():
    assert analysis.weighted_mean([10.0, 20.0, np.nan, 99.0], [1, 3, 5, 0]) == pytest.approx(17.5)
    assert math.isnan(analysis.weighted_mean([np.nan], [10]))


def test_quantile_breaks_put_equal_counts_in_classes():
    values = np.arange(1, 101, dtype=float)
    breaks = analysis.class_breaks(values, "quantile", k=4)
    classes = analysis.assign_classes(values, breaks)
    assert np.bincount(classes).tolist() == [25, 25, 25, 25]


def test_equal_interval_breaks():
    assert analysis.class_breaks([0.0, 10.0, 5.0], "equal", k=5) == [2.0, 4.0, 6.0, 8.0]


def test_jenks_finds_the_natural_gaps():
    values = [1, 1.1, 1.2, 5, 5.1, 5.2, 9, 9.1, 9.3]
    breaks = analysis.class_breaks(values, "jenks", k=3)
    assert breaks == [5.0, 9.0]
    assert analysis.assign_classes(values, breaks).tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_jenks_is_fast_enough_for_thousands_of_areas():
    values = np.random.default_rng(1).gamma(2.0, 3.0, size=5000)
    breaks = analysis.class_breaks(values, "jenks", k=5)
    assert len(breaks) == 4 and breaks == sorted(breaks)


def test_missing_values_get_the_missing_class_and_never_a_colour_class():
    classes = analysis.assign_classes([1.0, np.nan, 3.0], [2.0])
    assert classes.tolist() == [0, analysis.MISSING_CLASS, 1]


def test_constant_values_give_one_class_and_unknown_method_is_refused():
    assert analysis.class_breaks([4.0, 4.0], "quantile") == []
    with pytest.raises(ValueError, match="jenks"):
        analysis.class_breaks([1.0, 2.0], "kmeans")


def test_class_labels_use_dutch_decimal_commas():
    assert analysis.class_labels([2.5], 1.0, 1234.5) == ["1,0 – 2,5", "2,5 – 1.234,5"]


def test_rank_one_is_worst_in_either_direction():
    values = pd.Series([5.0, 9.0, np.nan, 1.0])
    assert analysis.ranks(values, "higher_is_worse").tolist() == [2, 1, pd.NA, 3]
    assert analysis.ranks(values, "higher_is_better").tolist() == [2, 3, pd.NA, 1]


def test_focus_buurten_use_the_household_weighted_regional_mean():
    buurten = pd.DataFrame(
        {
            "code": ["A", "B", "C", "D"],
            "value": [10.0, 10.0, 30.0, 40.0],
            "households": [1000, 1000, 500, 50],
        }
    )
    out = analysis.focus_buurten(buurten, analysis.FocusRule(factor=1.5, min_households=100))
    mean = (10 * 1000 + 10 * 1000 + 30 * 500 + 40 * 50) / 2550
    assert out["regional_mean"].iloc[0] == pytest.approx(mean)
    # C is above 1.5x the mean with enough households; D is above but too small.
    assert out.set_index("code")["is_focus"].to_dict() == {
        "A": False,
        "B": False,
        "C": True,
        "D": False,
    }
    assert "is_focus" not in buurten.columns  # input untouched


def test_focus_buurten_with_missing_values_are_not_focus():
    buurten = pd.DataFrame({"code": ["A", "B"], "value": [np.nan, 5.0], "households": [500, 500]})
    out = analysis.focus_buurten(buurten, analysis.FocusRule(factor=1.0))
    assert out["is_focus"].tolist() == [False, True]


def test_focus_counts_by_year_and_municipality():
    rows = pd.DataFrame(
        {
            "year": [2020] * 3 + [2021] * 3,
            "code": ["a", "b", "c"] * 2,
            "gemeente_code": ["GM1", "GM1", "GM2"] * 2,
            "value": [1.0, 1.0, 10.0, 10.0, 10.0, 1.0],
            "households": [100] * 6,
        }
    )
    counts = analysis.focus_counts_by_year(rows, analysis.FocusRule(factor=1.2, min_households=10))
    table = counts.set_index(["year", "gemeente_code"])["focus_buurten"].to_dict()
    assert table == {(2020, "GM1"): 0, (2020, "GM2"): 1, (2021, "GM1"): 2, (2021, "GM2"): 0}


# -- what the store's values say -----------------------------------------------------------------


def indexed(rows: list[tuple[str, int, str, float]]) -> pd.DataFrame:
    """Values as the data layer keeps them: indexed by indicator and year."""
    frame = pd.DataFrame(rows, columns=["indicator", "year", "area_code", "value"])
    return frame.set_index(["indicator", "year"]).sort_index()


VALUES = indexed(
    [
        ("households", 2023, "GM0001", 100.0),
        ("households", 2023, "GM0002", 300.0),
        ("households", 2023, "BU00010001", 40.0),
        ("share", 2023, "GM0001", 10.0),
        ("share", 2023, "GM0002", 20.0),
        ("share", 2023, "NL00", 8.0),
        ("share", 2024, "GM0001", 11.0),
        ("share", 2024, "GM0002", float("nan")),  # suppressed: the region has no figure
        ("ams", 2023, "GM0001", 5.0),  # one municipality only (like the BBGA)
        ("ams", 2023, "GX01", 6.0),
    ]
)


def catalogue_of(*specs: tuple[str, str, str | None]):
    from geodata.catalogue import Indicator

    return [
        Indicator(i, "inkomen", i, i, "%", "", "", aggregation, weight, "neutral", ())
        for i, aggregation, weight in specs
    ]


def test_years_and_levels_by_indicator():
    assert analysis.years_by_indicator(VALUES) == {
        "ams": [2023],
        "households": [2023],
        "share": [2023, 2024],
    }
    level_of = pd.Series(
        {"GM0001": "gemeente", "GM0002": "gemeente", "BU00010001": "buurt", "GX01": "gebied"}
    )
    levels = analysis.levels_by_indicator(VALUES, level_of)
    assert levels == {
        "ams": frozenset({"gemeente", "gebied"}),
        "households": frozenset({"gemeente", "buurt"}),
        "share": frozenset({"gemeente"}),  # NL00 has no level
    }


def test_region_references_weigh_means_and_leave_a_partial_region_empty():
    indicators = catalogue_of(
        ("households", "sum", None), ("share", "mean", "households"), ("ams", "mean", "households")
    )
    refs = analysis.region_references(
        VALUES, indicators, lambda year: ["GM0001", "GM0002"], "GM0001"
    ).set_index(["indicator", "year"])
    assert refs.loc[("households", 2023), "region"] == 400.0
    assert refs.loc[("share", 2023), "region"] == 17.5  # (10*100 + 20*300) / 400
    assert refs.loc[("share", 2023), "gemeente"] == 10.0
    assert math.isnan(refs.loc[("share", 2024), "region"])  # one municipality suppressed
    assert math.isnan(refs.loc[("ams", 2023), "region"])  # part of the region is not the region


def test_division_breaks_per_current_municipality():
    areas = pd.DataFrame(
        {
            "code": ["BU1", "BU2", "BU1", "BU2", "BU3", "BU9", "BU9"],
            "level": "buurt",
            "gemeente_code": ["GM1", "GM1", "GM1", "GM1", "GM1", "GM8", "GM1"],
            "year": [2021, 2021, 2022, 2022, 2022, 2021, 2022],
        }
    )
    found = analysis.division_breaks(areas, lambda code: "GM1" if code == "GM8" else code)
    assert found == {"GM1": [2022]}  # GM8 merged into GM1: its buurt is GM1's from the start
