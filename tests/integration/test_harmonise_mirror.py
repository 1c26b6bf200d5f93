"""Harmonised buurt series built from the mirror: the Amsterdam redivision as the stress case."""

from __future__ import annotations

import pandas as pd
import pytest

from geodata.backends import open_store
from geodata.config import load_region

pytestmark = pytest.mark.mirror


@pytest.fixture(scope="module")
def built(built_store):
    target = open_store(built_store.store)
    return {
        name: target.table(name)
        for name in ("crosswalk", "harmonised_values", "harmonisation_errors", "indicator_values")
    } | {"areas": target.areas(geometry=False)}


def test_the_crosswalk_goes_from_every_year_straight_to_the_newest(built):
    crosswalk = built["crosswalk"]
    assert set(crosswalk["to_year"]) == {2025}  # never chained year by year
    assert set(crosswalk["from_year"]) == set(range(2015, 2026))
    weights = crosswalk.groupby(["from_year", "from_code"])["weight"].sum()
    assert weights.round(9).eq(1).all()
    newest = crosswalk[crosswalk["from_year"] == 2025]
    assert (newest["from_code"] == newest["to_code"]).all() and (newest["method"] == "exact").all()


def test_every_2021_household_is_counted_once_on_the_2025_buurten(built):
    """Amsterdam redrew all its buurten on 2022-03-24: the 2021 households, on the 2025
    geometry, add up per municipality to what the 2021 buurten held (to rounding)."""
    areas, values = built["areas"], built["indicator_values"]
    buurten = areas[(areas["level"] == "buurt") & (areas["year"] == 2021)]
    own = values[(values["indicator"] == "households") & (values["year"] == 2021)]
    before = own.merge(buurten, left_on="area_code", right_on="code")
    region = load_region()
    before = before.assign(gemeente=before["gemeente_code"].map(region.successor))
    harmonised = built["harmonised_values"]
    after = harmonised[(harmonised["indicator"] == "households") & (harmonised["year"] == 2021)]
    newest = areas[(areas["level"] == "buurt") & (areas["year"] == 2025)]
    after = after.merge(newest, on="code")
    totals = pd.DataFrame(
        {
            "before": before.groupby("gemeente")["value"].sum(),
            "after": after.groupby("gemeente_code")["value"].sum(),
        }
    )
    assert totals.loc["GM0363", "before"] > 300_000  # Amsterdam's households, split and merged
    relative = (totals["after"] - totals["before"]).abs() / totals["before"]
    assert relative.max() < 0.01, totals  # what crosses a municipal border is slivers only


def test_unchanged_buurten_come_out_identical(built):
    """A buurt that keeps its code and outline, and receives nothing else, keeps its figures."""
    crosswalk = built["crosswalk"]
    links = crosswalk[crosswalk["from_year"] == 2019]
    single = links.groupby("to_code").filter(lambda g: len(g) == 1)
    same = (single["from_code"] == single["to_code"]) & (single["method"] == "exact")
    unchanged = single[same]
    harmonised = built["harmonised_values"]
    exact = harmonised[(harmonised["year"] == 2019) & harmonised["code"].isin(unchanged["to_code"])]
    values = built["indicator_values"]
    own = values[values["year"] == 2019].rename(columns={"area_code": "code", "value": "own"})
    joined = exact.merge(own, on=["indicator", "year", "code"])
    assert len(joined) > 10_000 and set(joined["method"]) == {"exact"}
    same = joined["value"].eq(joined["own"]) | (joined["value"].isna() & joined["own"].isna())
    assert same.all()


def test_the_push_down_error_is_measured_for_every_edition(built):
    errors = built["harmonisation_errors"]
    poverty = errors[
        (errors["indicator"] == "low_income_households_pct") & (errors["to_level"] == "buurt")
    ]
    assert set(poverty["year"]) == set(range(2015, 2024))  # every edition that publishes it
    assert (poverty["areas"] > 100).all() and (poverty["median_abs_error"] >= 0).all()
    households = errors[errors["indicator"] == "households"]
    # shared out by itself it would be exact by construction: only the area method is measured
    assert set(households["method"]) == {"area"} and (households["median_abs_error"] > 0).all()


def test_estimated_values_carry_their_method_share_and_error_band(built):
    harmonised = built["harmonised_values"]
    amsterdam_2019 = harmonised[
        (harmonised["year"] == 2019)
        & harmonised["code"].str.startswith("BU0363")
        & (harmonised["indicator"] == "low_income_households_pct")
    ]
    estimated = amsterdam_2019[amsterdam_2019["estimated_share"] > 0].dropna(subset=["value"])
    assert len(estimated) > 20  # split old buurten: estimated (most were recoded: exact)
    assert set(estimated["method"]) <= {"households", "area"}
    assert (estimated["error_band"] > 0).all()
