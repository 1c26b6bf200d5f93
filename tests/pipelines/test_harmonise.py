"""Harmonised buurt series: crosswalks with exact answers, values rebuilt, the error measured."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, box

from geodata import schema
from geodata.catalogue import Indicator
from pipelines import harmonise


def square(x0: float, x1: float, y0: float = 0, y1: float = 100) -> MultiPolygon:
    return MultiPolygon([box(x0, y0, x1, y1)])


def areas(year: int, shapes: dict[str, MultiPolygon], level: str = "buurt") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": list(shapes),
            "name": list(shapes),
            "level": level,
            "gemeente_code": "GM0001",
            "wijk_code": "WK000100",
            "year": year,
        },
        geometry=list(shapes.values()),
        crs=schema.CRS,
    )


BEFORE = areas(
    2021,
    {
        "BU1": square(0, 100),  # unchanged
        "BU2": square(100, 200),  # recoded to BU2X
        "BU3": square(200, 400),  # split in two: households 30 and 10
        "BU4": square(400, 500),  # BU4 and BU5 merge into BU45
        "BU5": square(500, 600),
        "BU6": square(600, 800),  # split where one half's households are suppressed
    },
)
AFTER = areas(
    2024,
    {
        "BU1": square(0.3, 100),  # redrawn a fraction of a metre: the same buurt
        "BU2X": square(100, 200),
        "BU3A": square(200, 300),
        "BU3B": square(300, 400),
        "BU45": square(400, 600),
        "BU6A": square(600, 650),
        "BU6B": square(650, 800),
    },
)
HOUSEHOLDS_2024 = pd.Series(
    {"BU1": 50.0, "BU2X": 20.0, "BU3A": 30.0, "BU3B": 10.0, "BU45": 40.0, "BU6A": 5.0}
)


def test_the_crosswalk_has_exact_answers_for_unchanged_recoded_split_and_merged_areas():
    found = harmonise.crosswalk(BEFORE, AFTER, HOUSEHOLDS_2024)
    links = {(r.from_code, r.to_code): (round(r.weight, 6), r.method) for r in found.itertuples()}
    assert links == {
        ("BU1", "BU1"): (1.0, "exact"),  # the sliver along the redrawn border is not territory
        ("BU2", "BU2X"): (1.0, "exact"),  # recoded
        ("BU3", "BU3A"): (0.75, "households"),  # split by where households live
        ("BU3", "BU3B"): (0.25, "households"),
        ("BU4", "BU45"): (1.0, "exact"),  # a union of whole areas
        ("BU5", "BU45"): (1.0, "exact"),
        ("BU6", "BU6A"): (0.25, "area"),  # a target without households: by land area
        ("BU6", "BU6B"): (0.75, "area"),
    }
    assert found.groupby("from_code")["weight"].sum().round(9).eq(1).all()


def indicator(id_: str, aggregation: str, weight: str | None = None) -> Indicator:
    return Indicator(id_, "inkomen", id_, id_, "%", "", "", aggregation, weight, "neutral", ())


INDICATORS = {
    "households": indicator("households", "sum"),
    "low_income_pct": indicator("low_income_pct", "mean", "households"),
}


def links() -> pd.DataFrame:
    return harmonise.crosswalk(BEFORE, AFTER, HOUSEHOLDS_2024).assign(from_year=2021, to_year=2024)


def values_2021() -> pd.DataFrame:
    households = {"BU1": 45.0, "BU2": 20.0, "BU3": 25.0, "BU4": 15.0, "BU5": 35.0, "BU6": 8.0}
    shares = {"BU1": 10.0, "BU2": 20.0, "BU3": 12.0, "BU4": 30.0, "BU5": 10.0, "BU6": None}
    rows = [("households", code, v) for code, v in households.items()]
    rows += [("low_income_pct", code, v) for code, v in shares.items()]
    return pd.DataFrame(
        [(code, 2021, ind, value) for ind, code, value in rows],
        columns=["area_code", "year", "indicator", "value"],
    )


def test_counts_are_split_and_shares_rebuilt_from_weighted_parts():
    out = harmonise.harmonise(values_2021(), links(), INDICATORS)
    got = out.set_index(["indicator", "code"])
    assert got.loc[("households", "BU1"), ["value", "method", "estimated_share"]].tolist() == [
        45.0,
        "exact",
        0.0,
    ]
    assert got.loc[("households", "BU3A"), "value"] == pytest.approx(18.75)  # a rounded 25 split
    assert got.loc[("households", "BU3B"), "value"] == pytest.approx(6.25)
    assert got.loc[("households", "BU45"), "value"] == 50.0  # 15 + 35: a merge is exact
    # the share of a merged area is the household-weighted mean of its parts
    assert got.loc[("low_income_pct", "BU45"), "value"] == pytest.approx((30 * 15 + 10 * 35) / 50)
    assert got.loc[("low_income_pct", "BU45"), "method"] == "exact"
    # a split area's parts carry its share, estimated
    assert got.loc[("low_income_pct", "BU3A"), "value"] == 12.0
    assert got.loc[("low_income_pct", "BU3A"), ["method", "estimated_share"]].tolist() == [
        "households",
        1.0,
    ]
    total = out[out["indicator"] == "households"]["value"].sum()
    assert total == pytest.approx(values_2021().query("indicator == 'households'")["value"].sum())


def test_a_suppressed_input_leaves_its_targets_missing_never_zero():
    out = harmonise.harmonise(values_2021(), links(), INDICATORS).set_index(["indicator", "code"])
    assert math.isnan(out.loc[("low_income_pct", "BU6A"), "value"])
    assert math.isnan(out.loc[("low_income_pct", "BU6B"), "value"])
    assert out.loc[("households", "BU6A"), "value"] == pytest.approx(2.0)  # its count is known


def test_unchanged_areas_come_out_identical():
    same = harmonise.crosswalk(AFTER, AFTER, HOUSEHOLDS_2024)
    assert (same["from_code"] == same["to_code"]).all() and (same["method"] == "exact").all()
    values = pd.DataFrame(
        {"area_code": list(HOUSEHOLDS_2024.index), "year": 2024, "indicator": "households"}
    ).assign(value=HOUSEHOLDS_2024.to_numpy())
    out = harmonise.harmonise(values, same.assign(from_year=2024, to_year=2024), INDICATORS)
    got = out.set_index("code")["value"]
    assert got.dropna().to_dict() == HOUSEHOLDS_2024.to_dict()
    assert math.isnan(got["BU6B"])  # no figure in, no figure out


def test_the_push_down_error_compares_estimates_with_cbs_own_buurt_figures():
    buurten = areas(2024, {"BU1": square(0, 100), "BU2": square(100, 300)})
    wijk = areas(2024, {"WK000100": square(0, 300)}, level="wijk")
    store_areas = pd.concat([buurten, wijk], ignore_index=True)
    values = pd.DataFrame(
        [
            ("BU1", 2024, "households", 10.0),
            ("BU2", 2024, "households", 30.0),
            ("WK000100", 2024, "households", 40.0),
            ("BU1", 2024, "low_income_pct", 20.0),
            ("BU2", 2024, "low_income_pct", 10.0),
            ("WK000100", 2024, "low_income_pct", 12.5),
        ],
        columns=["area_code", "year", "indicator", "value"],
    )
    errors = harmonise.push_down_errors(store_areas, values, INDICATORS)
    got = errors.set_index(["indicator", "method"])
    # households shared out by households is exact by construction: not reported as a measure
    assert ("households", "households") not in got.index
    # by area: 40 * 1/3 = 13.33 vs 10 and 26.67 vs 30
    assert got.loc[("households", "area"), "mean_abs_error"] == pytest.approx(10 / 3)
    # a share estimated from its wijk: |12.5-20| and |12.5-10|
    assert got.loc[("low_income_pct", "households"), "mean_abs_error"] == pytest.approx(5.0)
    assert set(errors["from_level"]) == {"wijk"} and set(errors["to_level"]) == {"buurt"}
