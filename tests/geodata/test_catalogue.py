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
        ("sum", "", '{ years = "2015", stem = "X", stems = ["Y"], unit = "%" }', "not both"),
        ("sum", "", '{ years = "2015", unit = "%" }', "stem"),
        ("sum", "", '{ years = "2015", stems = [], unit = "%" }', "non-empty strings"),
        ("sum", "", '{ years = "2015", stems = "X", unit = "%" }', "must be a list"),
        ("sum", "", '{ years = "2015", stem = "X", units = ["%", ""] }', "non-empty strings"),
        (
            "sum",
            "",
            '{ years = "2015-2019", stem = "X", unit = "%" }, { years = "2019", stem = "Y", unit = "%" }',
            "overlap",
        ),
        (
            "sum",
            "",
            '{ years = "2015-", stem = "X", unit = "%" }, { years = "2030", stem = "Y", unit = "%" }',
            "open range",
        ),
        ("sum", "", '{ years = "2015-20", stem = "X", unit = "%" }', "open range"),
        ("sum", "", '{ years = "-2015", stem = "X", unit = "%" }', "years='-2015'"),
        ("sum", "", '{ years = "２０１５", stem = "X", unit = "%" }', "write a year"),
        ("sum", "", '{ years = "2015", kind = "bbga", variable = "X", symbols = [1] }', "bbga"),
    ],
)
def test_invalid_catalogue_entries_are_refused(aggregation, weight, sources, message):
    with pytest.raises(ConfigError, match=message):
        parse_catalogue(BASE.format(aggregation=aggregation, weight=weight, sources=sources))


def test_alternative_stems_and_units_keep_their_order():
    (ind,) = parse_catalogue(
        BASE.format(
            aggregation="sum",
            weight="",
            sources='{ years = "2015-2024", stems = ["A", "B"], units = ["x 1 000 euro", "x 1.000 euro"] }',
        )
    )
    source = ind.source_for(2020)
    assert source.stems == ("A", "B") and source.stem == "A"
    assert source.units == ("x 1 000 euro", "x 1.000 euro") and source.unit == "x 1 000 euro"


def test_household_low_income_ends_with_2023_and_the_persons_measure_starts_in_2024():
    for household in (
        "low_income_households_pct",
        "social_minimum_households_pct",
        "social_minimum_110_households_pct",
        "social_minimum_120_households_pct",
    ):
        ind = indicator_by_id(household)
        assert ind.source_for(2023) is not None and ind.source_for(2024) is None
    for persons in ("persons_in_poverty_pct", "persons_near_poverty_pct"):
        ind = indicator_by_id(persons)
        assert ind.source_for(2023) is None and ind.source_for(2024) is not None
        assert "niet vergelijkbaar" in ind.description_nl and "not comparable" in ind.description_en
        assert "personen" in ind.description_nl.lower() and "persons" in ind.description_en.lower()


def test_woz_accepts_both_stems_cbs_uses():
    source = indicator_by_id("woz_mean_keur").source_for(2019)
    assert set(source.stems) == {"GemiddeldeWoningwaarde", "GemiddeldeWOZWaardeVanWoningen"}


def test_every_unit_reads_in_both_languages():
    low = indicator_by_id("low_income_households_pct")
    assert low.unit_label("en") == "%"
    population = indicator_by_id("population")
    assert (population.unit_label("nl"), population.unit_label("en")) == ("aantal", "count")


def test_a_unit_without_labels_is_refused_with_the_fix():
    text = BASE.format(
        aggregation="sum", weight="", sources='{ years = "2015", stem = "X", unit = "%" }'
    ).replace('unit = "%"\ndescription', 'unit = "stuks"\ndescription')
    with pytest.raises(ConfigError, match=r"unit 'stuks' has no labels.*UNIT_LABELS"):
        parse_catalogue(text)


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        ('{ years = "2015", kind = "ois", variable = "X", symbol = "%" }', "kind 'ois'"),
        ('{ years = "2015", kind = "bbga", symbol = "%" }', "needs variable"),
        ('{ years = "2015", kind = "bbga", variable = "X" }', "needs variable"),
        (
            '{ years = "2015", stem = "X", unit = "%" }, '
            '{ years = "2016", kind = "bbga", variable = "X", symbol = "%" }',
            "of one kind",
        ),
    ],
)
def test_bad_bbga_sources_are_refused_with_the_fix(sources, message):
    with pytest.raises(ConfigError, match=message):
        parse_catalogue(BASE.format(aggregation="sum", weight="", sources=sources))


def test_a_bbga_source_holds_its_variable_and_symbol():
    text = BASE.format(
        aggregation="sum",
        weight="",
        sources='{ years = "2015-2024", kind = "bbga", variable = "BEVTOTAAL", symbol = "" }',
    )
    (indicator,) = parse_catalogue(text)
    source = indicator.source_for(2020)
    assert indicator.kind == "bbga"
    assert (source.stem, source.unit, source.kind) == ("BEVTOTAAL", "", "bbga")


def test_the_catalogue_has_the_amsterdam_minima_indicators():
    minima = indicator_by_id("ams_minima_households_pct")
    assert (minima.kind, minima.source_for(2023).stem) == ("bbga", "IMINHH120_P")
    minors = indicator_by_id("ams_minors_low_income_pct")
    assert minors.source_for(2021).stem == "IMINJONG130_P"
    assert minors.source_for(2020) is None and minors.source_for(2022) is None  # 2021 only


def test_an_open_range_covers_every_later_edition():
    (ind,) = parse_catalogue(
        BASE.format(
            aggregation="sum",
            weight="",
            sources='{ years = "2015-2016", stem = "A", unit = "%" }, '
            '{ years = "2017-", stem = "B", unit = "aantal" }',
        )
    )
    assert ind.source_for(2016).stem == "A" and ind.source_for(2031).stem == "B"
    assert ind.source_for(2014) is None
    assert [s.years_text for s in ind.sources] == ["2015-2016", "2017-"]


def test_an_alternative_may_add_stems_up():
    (age,) = [i for i in load_catalogue() if i.id == "age_65_plus_pct"]
    source = age.source_for(2026)
    assert source.stems == ("k_65JaarOfOuder", "k_65JaarTot80Jaar + k_80JaarOfOuder")
    assert source.parts(source.stems[1]) == ("k_65JaarTot80Jaar", "k_80JaarOfOuder")
    assert "2026" in age.description_nl and "afgeleid" in age.description_nl


def test_a_bbga_source_may_list_the_symbols_the_bbga_used():
    income = indicator_by_id("ams_household_income_mean")
    assert income.source_for(2024).units == ("euro", "")  # live: euro; older answers: ""


def test_kwb_indicators_that_cbs_still_publishes_have_open_ranges():
    ended = {
        "low_income_households_pct",
        "social_minimum_households_pct",
        "social_minimum_110_households_pct",
        "social_minimum_120_households_pct",
        "non_western_background_pct",
        "ams_minors_low_income_pct",
    }
    for ind in load_catalogue():
        last = ind.sources[-1]
        assert (last.last_year is not None) == (ind.id in ended), ind.id
