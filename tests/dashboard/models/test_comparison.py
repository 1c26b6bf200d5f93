"""CBS's and Amsterdam's poverty measures side by side."""

from __future__ import annotations

import pandas as pd

from dashboard.models.comparison import side_by_side
from geodata.catalogue import load_catalogue, load_comparisons

CATALOGUE = {i.id: i for i in load_catalogue()}
POVERTY = next(c for c in load_comparisons() if c.id == "poverty")
SOURCES = pd.DataFrame(
    {
        "indicator": ["low_income_households_pct", "ams_minima_households_pct"],
        "year": [2023, 2024],
        "source": ["kwb", "bbga"],
        "table_id": ["85618NED", "bbga"],
        "source_key": ["HuishoudensMetEenLaagInkomen_84", "IMINHH120_P"],
        "reference_period": [None, "1 januari 2024"],
    }
)


def values(rows: list[tuple[str, int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator", "year", "value"])


def test_each_measure_shows_its_own_edition_definition_and_source():
    area = values(
        [
            ("low_income_households_pct", 2022, 10.0),
            ("low_income_households_pct", 2023, 11.9),
            ("ams_minima_households_pct", 2024, 17.25),
            ("social_minimum_households_pct", 2023, None),  # suppressed: not shown
        ]
    )
    model = side_by_side(POVERTY, area, SOURCES, CATALOGUE, "nl")
    assert model is not None and model.title == "Armoede, drie maten naast elkaar"
    rows = model.table.set_index("Maat")
    cbs = rows.loc["Huishoudens met een laag inkomen"]
    assert (cbs["Waarde"], cbs["Editie en peildatum"]) == (
        "11,9 %",
        "KWB 2023 · peildatum/periode onbekend",
    )
    assert cbs["Bron"] == "CBS 85618NED, HuishoudensMetEenLaagInkomen_84"
    ams = rows.loc[CATALOGUE["ams_minima_households_pct"].label("nl")]
    assert ams["Editie en peildatum"] == "BBGA 2024 · peildatum/periode 1 januari 2024"
    assert ams["Bron"] == "Gemeente Amsterdam, OIS (BBGA), IMINHH120_P"
    assert "120%" in ams["Definitie"]
    assert len(rows) == 2
    assert "Waarom de cijfers verschillen" in model.note


def test_one_measure_alone_is_no_comparison():
    area = values([("low_income_households_pct", 2023, 11.9)])
    assert side_by_side(POVERTY, area, SOURCES, CATALOGUE, "en") is None


def test_the_comparison_speaks_english_too():
    area = values(
        [("low_income_households_pct", 2023, 1234.5), ("ams_minima_households_pct", 2024, 2.0)]
    )
    model = side_by_side(POVERTY, area, SOURCES, CATALOGUE, "en")
    assert list(model.table.columns) == [
        "Measure",
        "Value",
        "Edition and reference date",
        "Definition",
        "Source",
    ]
    assert model.table.iloc[0]["Value"] == "1,234.5 %"
    assert model.note.startswith("Why the figures differ")
