"""The one place that knows when two editions cannot be compared."""

from __future__ import annotations

from dashboard.breaks import (
    Break,
    boundary_breaks,
    definition_breaks,
    division_breaks,
    last_unbroken,
    mixed_data_breaks,
    series_breaks,
)
from geodata.catalogue import indicator_by_id


def test_boundary_changes_and_gaps():
    fingerprints = {2015: "a", 2016: "a", 2017: "b", 2018: "b", 2020: "b"}
    assert boundary_breaks(fingerprints) == [Break(2017, "boundary"), Break(2020, "code")]


def test_a_changed_computation_in_the_catalogue_is_a_definition_break():
    # non-western background: a percentage in 2015-2016, computed from counts from 2017
    found = definition_breaks(
        indicator_by_id("non_western_background_pct"), [2015, 2016, 2017, 2018]
    )
    assert found == [Break(2017, "definition")]
    assert definition_breaks(indicator_by_id("population"), [2015, 2024]) == []


def test_test_data_meeting_real_data():
    assert mixed_data_breaks({2019, 2020}, [2018, 2019, 2020, 2021]) == [
        Break(2019, "test_data"),
        Break(2021, "test_data"),
    ]


def test_series_breaks_collects_every_kind_and_the_trend_starts_after_the_last():
    found = series_breaks(
        [2015, 2016, 2017, 2018],
        indicator_by_id("non_western_background_pct"),
        {2015: "a", 2016: "b", 2017: "b", 2018: "b"},
        {2015, 2016, 2017, 2018},
    )
    assert found == [Break(2016, "boundary"), Break(2017, "definition")]
    assert last_unbroken([2015, 2016, 2017, 2018], found) == [2017, 2018]
    assert found[1].text("nl").startswith("2017: definitie")


def test_a_new_division_of_a_municipality_is_a_break():
    divisions = {
        2015: frozenset({"BU1"}),
        2016: frozenset({"BU1", "BU2"}),
        2017: frozenset({"BU1", "BU2"}),
    }
    assert division_breaks(divisions) == [Break(2016, "boundary")]
