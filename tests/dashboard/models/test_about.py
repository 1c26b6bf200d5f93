"""The about page's model."""

from __future__ import annotations

import pandas as pd

from dashboard.models.about import (
    definitions,
    harmonisation_summary,
    official_lists,
    source_summary,
)
from geodata.catalogue import load_catalogue


def test_definitions_list_every_indicator_with_its_keys_per_year():
    catalogue = {i.id: i for i in load_catalogue()}
    sources = pd.DataFrame(
        {
            "indicator": ["population", "population"],
            "year": [2020, 2019],
            "status": ["published", "published"],
            "source_key": ["A_5", "A_4"],
        }
    )
    table = definitions(catalogue, sources, "en").set_index("id")
    assert len(table) == len(catalogue)
    assert table.loc["population", "CBS key per edition"] == "2019: A_4; 2020: A_5"
    assert table.loc["population", "Name"] == "Inhabitants"
    assert table.loc["population", "To larger areas"] == "summed"


def test_definitions_say_how_a_mean_is_weighted_in_the_language_of_the_page():
    catalogue = {i.id: i for i in load_catalogue()}
    empty = pd.DataFrame(columns=["indicator", "year", "status", "source_key"])
    weighted = next(i for i in catalogue.values() if i.weight in catalogue)
    table = definitions(catalogue, empty, "nl").set_index("id")
    text = table.loc[weighted.id, "Naar grotere gebieden"]
    assert text == f"gemiddelde, gewogen met {catalogue[weighted.weight].label('nl')}"
    assert table.loc[weighted.id, "CBS-sleutel per editie"] == ""


def sources_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": ["kwb", "kwb", "amsterdam"],
            "table_id": ["T", "T", "gebieden"],
            "year": pd.array([2019, 2020, None], dtype="Int64"),
            "url": ["a", "b", "c"],
            "rows": [1500, 2, 3],
            "retrieved_at": [
                "2026-12-02T05:56:42+00:00",
                "2026-12-02T06:01:09+00:00",
                "2026-12-02T05:56:43+00:00",
            ],
            "test_data": [True, True, False],
        }
    )


def test_source_summary_counts_responses_and_marks_test_data_in_dutch():
    summary = source_summary(sources_frame(), "nl").set_index("Tabel of dataset")
    kwb = summary.loc["T"]
    assert kwb["Bron"] == "CBS Kerncijfers wijken en buurten"
    assert (kwb["Opgehaalde antwoorden"], kwb["Rijen"], kwb["Testgegevens"]) == ("2", "1.502", "ja")
    assert (kwb["Eerste jaar"], kwb["Laatste jaar"]) == ("2019", "2020")
    assert (kwb["Eerst opgehaald"], kwb["Laatst opgehaald"]) == (
        "2026-12-02 05:56 UTC",
        "2026-12-02 06:01 UTC",
    )
    # a source without years shows a dash, never "None"
    assert summary.loc["gebieden", "Eerste jaar"] == "–"
    assert summary.loc["gebieden", "Testgegevens"] == "nee"


def test_source_summary_in_english_uses_english_numbers():
    summary = source_summary(sources_frame(), "en").set_index("Table or dataset")
    assert summary.loc["T", "Rows"] == "1,502"
    assert summary.loc["T", "Test data"] == "yes"


def test_an_empty_store_gives_an_empty_table_with_headers():
    empty = sources_frame().iloc[0:0]
    assert list(source_summary(empty, "en").columns)[:2] == ["Source", "Table or dataset"]


def test_official_lists_name_the_municipality_and_the_match_in_words():
    lists = pd.DataFrame(
        {
            "list_name": ["NPLV"],
            "label": ["Amsterdam Zuidoost"],
            "gemeente_code": ["GM0363"],
            "match_kind": ["code_prefix"],
            "match_value": ["0363T"],
            "source": ["Kamerbrief"],
        }
    )
    row = official_lists(lists, {"GM0363": "Amsterdam"}, "nl").iloc[0]
    assert (row["Gemeente"], row["Hoe gebieden meetellen"]) == ("Amsterdam", "code begint met")


def test_the_harmonisation_error_is_summarised_per_indicator_and_method():
    catalogue = {i.id: i for i in load_catalogue()}
    errors = pd.DataFrame(
        [
            # indicator, year, from, to, method, areas, mean, median, relative
            ("low_income_households_pct", 2019, "wijk", "buurt", "households", 10, 2, 1.0, 0.1),
            ("low_income_households_pct", 2020, "wijk", "buurt", "households", 12, 2, 3.0, 0.3),
            ("low_income_households_pct", 2020, "wijk", "buurt", "area", 12, 2, 4.0, 0.4),
            ("low_income_households_pct", 2020, "gemeente", "wijk", "area", 5, 1, 9.0, 0.9),
            ("not_in_the_catalogue", 2020, "wijk", "buurt", "area", 5, 1, 9.0, 0.9),
        ],
        columns=[
            "indicator",
            "year",
            "from_level",
            "to_level",
            "method",
            "areas",
            "mean_abs_error",
            "median_abs_error",
            "median_rel_error",
        ],
    )
    table = harmonisation_summary(errors, catalogue, "nl")
    assert list(table["Methode"]) == ["naar huishoudens", "naar oppervlakte"]
    by_method = table.set_index("Methode")
    households = by_method.loc["naar huishoudens"]
    assert households["Mediane fout"] == "2,00"  # the median of 1 and 3, Dutch decimals
    assert households["Vergeleken buurten"] == "22"
    assert (households["Eerste jaar"], households["Laatste jaar"]) == ("2019", "2020")
    assert households["Mediane fout (% van het cijfer)"] == "20,0"
    assert by_method.loc["naar oppervlakte", "Mediane fout"] == "4,00"  # not the gemeente row
    assert len(table) == 2  # an id the catalogue does not know is left out
