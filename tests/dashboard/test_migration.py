"""Migration and suburbanisation: merger handling, rates, the index, comparable change."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import migration
from geodata.config import load_region

REGION = load_region()


def flows(rows):
    return pd.DataFrame(rows, columns=["year", "origin_code", "destination_code", "persons"])


def test_merged_municipality_flows_are_added_to_the_successor_before_the_merger():
    raw = flows(
        [
            (2021, "GM0363", "GM0479", 100.0),
            (2021, "GM0457", "GM0479", 10.0),  # Weesp -> Zaanstad: becomes Amsterdam's
            (2021, "GM0457", "GM0363", 40.0),  # Weesp -> Amsterdam: now a move within Amsterdam
            (2021, "GM0363", "GM0457", 25.0),
            (2021, "GM0363", "NL01", 1000.0),
            (2021, "GM0457", "NL01", 200.0),
            (2021, "NL01", "GM0363", 900.0),
            (2021, "NL01", "GM0457", 150.0),
            (2022, "GM0363", "GM0479", 120.0),
        ]
    )
    out = migration.flows_on_current_territory(raw, REGION.successor, set(REGION.all_codes))
    table = {(y, o, d): p for y, o, d, p in out.itertuples(index=False)}
    assert table[(2021, "GM0363", "GM0479")] == 110.0
    assert (2021, "GM0363", "GM0363") not in table
    # national totals lose the 65 moves that are now within Amsterdam
    assert table[(2021, "GM0363", "NL01")] == 1000 + 200 - 65
    assert table[(2021, "NL01", "GM0363")] == 900 + 150 - 65
    assert table[(2022, "GM0363", "GM0479")] == 120.0
    assert raw["origin_code"].tolist()[1] == "GM0457"  # input untouched


def test_core_flows_out_in_and_net():
    raw = flows(
        [
            (2020, "GM0363", "GM0479", 300.0),
            (2020, "GM0479", "GM0363", 100.0),
            (2020, "GM0363", "NL01", 5000.0),
        ]
    )
    out = migration.core_flows(raw, "GM0363")
    row = out.set_index("code").loc["GM0479"]
    assert (row["from_core"], row["to_core"], row["net"]) == (300.0, 100.0, 200.0)
    assert "NL01" not in set(out["code"])


def test_rest_of_country_is_total_minus_region():
    raw = flows(
        [
            (2020, "GM0363", "NL01", 5000.0),
            (2020, "GM0363", "GM0479", 300.0),
            (2020, "GM0363", "GM0439", 200.0),
        ]
    )
    rest = migration.rest_of_country(raw, "GM0363", {"GM0363", "GM0479", "GM0439"})
    assert rest["persons"].tolist() == [4500.0]


def test_per_thousand_and_unknown_population():
    rates = migration.per_thousand(pd.Series([50.0, 10.0]), pd.Series([10000.0, float("nan")]))
    assert rates.iloc[0] == 5.0 and math.isnan(rates.iloc[1])


def test_suburbanisation_index_on_hand_made_numbers():
    gemeenten = pd.DataFrame(
        {
            "year": [2019, 2019, 2023, 2023],
            "code": ["GM0363", "GM0479", "GM0363", "GM0479"],
            "households": [400.0, 100.0, 400.0, 100.0],
            "low_income_pct": [15.0, 10.0, 10.0, 20.0],
        }
    )
    index = migration.suburbanisation_index(gemeenten, "GM0363")
    # 2019: low income 60 in Amsterdam, 10 outside -> 10/70; all households 100/500.
    assert index["share_low_income_outside"].tolist() == pytest.approx(
        [100 * 10 / 70, 100 * 20 / 60]
    )
    assert index["share_households_outside"].tolist() == pytest.approx([20.0, 20.0])
    reading = migration.index_reading(index)
    assert reading["suburbanising"] is True
    assert reading["low_change"] == pytest.approx(100 * 20 / 60 - 100 * 10 / 70)


def test_index_skips_years_with_missing_figures():
    gemeenten = pd.DataFrame(
        {
            "year": [2024, 2024],
            "code": ["GM0363", "GM0479"],
            "households": [1.0, 1.0],
            "low_income_pct": [1.0, None],
        }
    )
    assert migration.suburbanisation_index(gemeenten, "GM0363").empty


def test_change_only_where_code_and_boundary_are_unchanged():
    shape_a = pd.DataFrame(
        {"code": ["BU1", "BU2"], "area": [1000.0, 1000.0], "cx": [0.0, 0.0], "cy": [0.0, 500.0]}
    )
    shape_b = pd.DataFrame(
        {
            "code": ["BU1", "BU2", "BU3"],
            "area": [1005.0, 1400.0, 10.0],
            "cx": [1.0, 0.0, 0.0],
            "cy": [0.0, 500.0, 0.0],
        }
    )
    unchanged = migration.unchanged_areas(shape_a, shape_b)
    assert unchanged == {"BU1"}
    a = pd.DataFrame({"code": ["BU1", "BU2"], "low_income": [50.0, 20.0]})
    b = pd.DataFrame({"code": ["BU1", "BU2", "BU3"], "low_income": [80.0, 30.0, 5.0]})
    change = migration.comparable_change(a, b, unchanged).set_index("code")
    assert change.loc["BU1", "change"] == 30.0
    assert change.loc["BU2", "status"] == "boundary_changed" and math.isnan(
        change.loc["BU2", "change"]
    )
    assert change.loc["BU3", "status"] == "boundary_changed"


def test_gemeente_parts_put_merged_municipalities_under_their_successor():
    values = {
        ("population", 2021): pd.Series({"GM0363": 870.0, "GM0457": 20.0}),
        ("population", 2022): pd.Series({"GM0363": 900.0}),
    }
    parts = migration.gemeente_parts(
        lambda indicator, year: values[(indicator, year)],
        ("population",),
        [2021, 2022],
        lambda year: ["GM0363", "GM0457"] if year < 2022 else ["GM0363"],
        lambda code: "GM0363",
    )
    assert parts.to_dict("records") == [
        {"year": 2021, "part": "GM0363", "code": "GM0363", "population": 870.0},
        {"year": 2021, "part": "GM0457", "code": "GM0363", "population": 20.0},
        {"year": 2022, "part": "GM0363", "code": "GM0363", "population": 900.0},
    ]


def test_buurt_series_fingerprints_boundaries_and_keeps_the_latest_names():
    buurten = pd.DataFrame(
        {
            "code": ["BU1", "BU1", "BU2"],
            "name": ["Oud", "Nieuw", "Twee"],
            "year": [2022, 2023, 2023],
        }
    )
    shares = pd.DataFrame(
        {"code": ["BU1", "BU1", "BU2"], "year": [2022, 2023, 2023], "value": [5.0, 6.0, None]}
    )
    shapes = pd.DataFrame(
        {
            "code": ["BU1", "BU1", "BU2", "BU3"],
            "year": [2022, 2023, 2023, 2023],
            "area": [100.0, 100.0, 50.0, 10.0],
            "cx": [1.0, 1.0, 2.0, 3.0],
            "cy": [1.0, 1.0, 2.0, 3.0],
        }
    )
    series, latest = migration.buurt_series(buurten, shares, shapes)
    assert list(zip(series["code"], series["year"], strict=True)) == [
        ("BU1", 2022),
        ("BU1", 2023),
        ("BU2", 2023),
    ]
    bu1 = series[series["code"] == "BU1"]["fingerprint"]
    assert bu1.iloc[0] == bu1.iloc[1]  # the same boundary in both years
    assert math.isnan(series.iloc[2]["value"])  # suppressed stays missing
    assert latest.to_dict() == {"BU1": "Nieuw", "BU2": "Twee"}


def test_merger_years_come_from_the_region_definition():
    assert migration.merger_years(load_region().merged) == ((2022, "Weesp, Beemster"),)
