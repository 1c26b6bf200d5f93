"""The URL contract: parsing, defaults and invalid values."""

from __future__ import annotations

from dashboard.state import Options, parse_view, view_to_params

OPTIONS = Options(
    indicators=["low_income_households_pct", "population"],
    years_by_indicator={
        "low_income_households_pct": [2019, 2020, 2024],
        "population": [2015, 2024],
    },
    gemeenten=["GM0363", "GM0479", "GM0439"],
)


def test_default_is_the_whole_region_at_buurt_level_in_the_latest_year():
    view, bad = parse_view({}, OPTIONS)
    assert (view.indicator, view.year, view.level) == ("low_income_households_pct", 2024, "buurt")
    assert view.gemeenten == ("GM0363", "GM0479", "GM0439")
    assert not bad


def test_the_example_link_from_the_issue():
    params = {
        "indicator": "low_income_households_pct",
        "year": "2019",
        "level": "buurt",
        "gemeenten": "GM0363,GM0479",
    }
    view, bad = parse_view(params, OPTIONS)
    assert (view.year, view.gemeenten) == (2019, ("GM0363", "GM0479"))
    assert not bad


def test_invalid_values_fall_back_and_are_reported():
    params = {
        "indicator": "nope",
        "year": "1899",
        "level": "street",
        "gemeenten": "GM0363,GM9999",
        "lang": "fr",
        "area": "<script>",
        "factor": "abc",
        "min_hh": "-5",
        "classes": "kmeans",
        "focus": "population",
    }
    view, bad = parse_view(params, OPTIONS)
    assert view == parse_view({}, OPTIONS)[0]
    assert {name for name, _ in bad} == set(params)


def test_round_trip_through_query_parameters():
    params = {
        "indicator": "population",
        "year": "2015",
        "level": "wijk",
        "gemeenten": "GM0479",
        "lang": "en",
        "factor": "2.0",
    }
    view, _ = parse_view(params, OPTIONS)
    again, bad = parse_view(view_to_params(view), OPTIONS)
    assert again == view and not bad


def test_area_codes_are_normalised():
    view, bad = parse_view({"area": "bu03630001"}, OPTIONS)
    assert view.area == "BU03630001" and not bad
