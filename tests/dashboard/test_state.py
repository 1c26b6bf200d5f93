"""The URL contract: typed views, strict parsing, ranges in one place, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import state
from dashboard.routes import VIEWS
from dashboard.state import (
    FACTOR,
    DeckView,
    FlowsView,
    MapView,
    Notice,
    Options,
    ProfileView,
    SuburbView,
    parse_view,
    view_to_params,
)

OPTIONS = Options(
    indicators=["low_income_households_pct", "population"],
    years_by_indicator={
        "low_income_households_pct": [2019, 2020, 2023],
        "population": [2015, 2024],
    },
    gemeenten=["GM0363", "GM0479", "GM0439"],
    highlight=["GM0479", "GM0439"],
    core="GM0363",
    flow_years=list(range(2011, 2025)),
    income_groups=["laag_inkomen"],
    decks=["voorbeeld"],
)

HOSTILE = [
    "²",
    "٢٠١٩",
    "1" * 60_000,
    "![x](http://host/pixel.png)",
    "<img src=http://host/x.png>",
    "[link](javascript:alert(1))",
    "http://host/x",
    "`code` **bold** $x$ :red[red]",
    "",
    " ",
    "\x00",
    "2019\n",
    "-1",
    "1e3",
    "NaN",
    "inf",
]


def test_default_map_view_is_the_whole_region_at_buurt_level_in_the_latest_edition():
    view, notices = parse_view(MapView, {}, OPTIONS)
    assert (view.indicator, view.year, view.level) == ("low_income_households_pct", 2023, "buurt")
    assert view.gemeenten == ("GM0363", "GM0479", "GM0439")
    assert notices == []


def test_the_example_link_restores_its_view():
    params = {
        "indicator": "low_income_households_pct",
        "year": "2019",
        "level": "buurt",
        "gemeenten": "GM0363,GM0479",
    }
    view, notices = parse_view(MapView, params, OPTIONS)
    assert (view.year, view.gemeenten) == (2019, ("GM0363", "GM0479"))
    assert notices == []


def test_an_indicator_brings_its_own_latest_edition_unless_a_year_follows():
    assert parse_view(MapView, {"indicator": "population"}, OPTIONS)[0].year == 2024
    view, notices = parse_view(MapView, {"indicator": "population", "year": "2015"}, OPTIONS)
    assert view.year == 2015 and not notices
    view, notices = parse_view(MapView, {"indicator": "population", "year": "2019"}, OPTIONS)
    assert view.year == 2024 and notices == [Notice("year", "2019")]


def test_invalid_values_fall_back_and_are_each_named():
    params = {
        "indicator": "nope",
        "year": "1899",
        "level": "street",
        "gemeenten": "GM0363,GM9999",
        "lang": "fr",
        "factor": "abc",
        "min_hh": "-5",
        "classes": "kmeans",
        "focus": "population",
    }
    view, notices = parse_view(MapView, params, OPTIONS)
    assert view == MapView.default(OPTIONS)
    assert {n.name for n in notices} == set(params)


@pytest.mark.parametrize("factor", ["1", "1.5", "3", "4", "5", "4,5"])
def test_the_whole_factor_range_is_accepted(factor):
    view, notices = parse_view(MapView, {"factor": factor}, OPTIONS)
    assert FACTOR.lo <= view.factor <= FACTOR.hi and not notices


@pytest.mark.parametrize("factor", ["0.5", "5.1", "6", "²", "1.5.1", "+2", " 2", "2e0"])
def test_factor_outside_the_range_or_not_digits_is_refused(factor):
    view, notices = parse_view(MapView, {"factor": factor}, OPTIONS)
    assert view.factor == 1.5 and [n.name for n in notices] == ["factor"]


@pytest.mark.parametrize("year", ["²", "٢٠١٩", "2019.0", "+2019", "02019x", "2019 "])
def test_years_are_ascii_digits_only(year):
    view, notices = parse_view(MapView, {"year": year}, OPTIONS)
    assert view.year == 2023 and [n.name for n in notices] == ["year"]


def test_a_long_value_is_refused_and_shortened_in_the_notice():
    _, notices = parse_view(MapView, {"indicator": "x" * 60_000}, OPTIONS)
    assert len(notices[0].value) <= state.NOTICE_LENGTH


def test_round_trip_of_every_view_through_query_parameters():
    views = [
        MapView(
            "population",
            2015,
            "wijk",
            ("GM0479",),
            "en",
            "jenks",
            "social_minimum_households_pct",
            2.5,
            50,
        ),
        ProfileView("BU03630001", "en", factor=3.0),
        FlowsView((2015, 2020), ("GM0479",), "net", 2018, "laag_inkomen", "en"),
        SuburbView(2019, 2023, "wijk", "en"),
        DeckView("voorbeeld", 1, "presenter", "en"),
    ]
    for view in views:
        again, notices = parse_view(type(view), view_to_params(view), OPTIONS)
        assert again == view and not notices, type(view).__name__


def test_area_codes_are_normalised_and_checked():
    view, notices = parse_view(ProfileView, {"area": "bu03630001"}, OPTIONS)
    assert view.area == "BU03630001" and not notices
    assert parse_view(ProfileView, {"area": "<script>"}, OPTIONS)[1][0].name == "area"


def test_flow_years_are_a_range_within_the_table():
    view, notices = parse_view(FlowsView, {"years": "2015-2020"}, OPTIONS)
    assert view.years == (2015, 2020) and not notices
    for bad in ("2020-2015", "2005-2010", "2015-2020-2024", "²-2020", "2015-"):
        assert parse_view(FlowsView, {"years": bad}, OPTIONS)[1][0].name == "years", bad


def test_flow_destinations_exclude_the_core_and_default_to_the_highlight():
    assert FlowsView.default(OPTIONS).destinations == ("GM0479", "GM0439")
    assert parse_view(FlowsView, {"destinations": "GM0363"}, OPTIONS)[1][0].name == "destinations"


@pytest.mark.parametrize("view_type", list(VIEWS.values()))
@pytest.mark.parametrize("value", HOSTILE)
def test_no_value_of_any_parameter_raises(view_type, value):
    params = dict.fromkeys(view_type.PARAMS, value)
    view, notices = parse_view(view_type, params, OPTIONS)
    assert isinstance(view, view_type)
    for item in notices:
        assert len(item.value) <= state.NOTICE_LENGTH


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(list(VIEWS.values())),
    st.dictionaries(
        st.sampled_from(
            [
                "lang",
                "indicator",
                "year",
                "level",
                "gemeenten",
                "area",
                "factor",
                "min_hh",
                "years",
                "destinations",
                "slide",
                "deck",
                "year_a",
                "year_b",
                "sankey_year",
                "view",
                "direction",
                "income_group",
                "classes",
                "focus",
            ]
        ),
        st.one_of(st.text(max_size=300), st.lists(st.text(max_size=20), max_size=3)),
    ),
)
def test_random_query_strings_never_raise(view_type, params):
    view, notices = parse_view(view_type, params, OPTIONS)
    assert isinstance(view, view_type)
    assert {n.name for n in notices} <= set(params)
