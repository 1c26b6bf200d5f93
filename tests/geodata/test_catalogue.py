"""The indicator catalogue: required indicators, validation and lookups."""

from __future__ import annotations

import pytest

from geodata.catalogue import catalogue_frame, indicator_by_id, load_catalogue, parse_catalogue
from geodata.errors import ConfigError

REQUIRED = {
    "population",
    "households",
    "low_income_households_pct",
    "social_minimum_households_pct",
    "lowest40_income_households_pct",
    "income_per_inhabitant_keur",
    "income_per_recipient_keur",
    "welfare_recipients",
    "woz_mean_keur",
    "social_housing_pct",
    "rental_pct",
    "non_western_background_pct",
    "population_density",
}


def test_catalogue_has_the_required_indicators_with_dutch_and_english_text():
    catalogue = load_catalogue()
    assert {i.id for i in catalogue} >= REQUIRED
    for ind in catalogue:
        assert (
            ind.label_nl and ind.label_en and ind.description_nl and ind.description_en and ind.unit
        )


def test_required_stems_match_the_issue():
    assert (
        indicator_by_id("low_income_households_pct").source_for(2019).stem
        == "HuishoudensMetEenLaagInkomen"
    )
    assert (
        indicator_by_id("social_minimum_households_pct").source_for(2019).stem
        == "HuishOnderOfRondSociaalMinimum"
    )
    assert (
        indicator_by_id("welfare_recipients").source_for(2024).stem
        == "PersonenPerSoortUitkeringBijstand"
    )


def test_non_western_background_ends_when_cbs_replaced_it():
    ind = indicator_by_id("non_western_background_pct")
    assert ind.source_for(2022) is not None
    assert ind.source_for(2023) is None


def test_catalogue_frame_is_the_indicators_table():
    frame = catalogue_frame()
    assert list(frame.columns[:5]) == ["id", "group", "label_nl", "label_en", "unit"]
    low = frame.set_index("id").loc["low_income_households_pct"]
    assert (low["aggregation"], low["weight"], low["direction"]) == (
        "mean",
        "households",
        "higher_is_worse",
    )


BASE = """
[[indicator]]
id = "a"
group = "inkomen"
label_nl = "a"
label_en = "a"
unit = "%"
description_nl = "a"
description_en = "a"
aggregation = "{aggregation}"
{weight}
direction = "neutral"
sources = [{sources}]
"""


@pytest.mark.parametrize(
    ("aggregation", "weight", "sources", "message"),
    [
        ("median", "", '{ years = "2015", stem = "X", unit = "%" }', "aggregation"),
        ("mean", "", '{ years = "2015", stem = "X", unit = "%" }', "needs a weight"),
        (
            "mean",
            'weight = "nope"',
            '{ years = "2015", stem = "X", unit = "%" }',
            "not an indicator id",
        ),
        ("sum", "", '{ years = "2019-2015", stem = "X", unit = "%" }', "years='2019-2015'"),
        (
            "sum",
            "",
            '{ years = "2015-2019", stem = "X", unit = "%" }, { years = "2019", stem = "Y", unit = "%" }',
            "overlap",
        ),
    ],
)
def test_invalid_catalogue_entries_are_refused(aggregation, weight, sources, message):
    with pytest.raises(ConfigError, match=message):
        parse_catalogue(BASE.format(aggregation=aggregation, weight=weight, sources=sources))
