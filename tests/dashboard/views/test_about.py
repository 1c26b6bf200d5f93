"""The about page's model."""

from __future__ import annotations

import pandas as pd

from dashboard.views.about import definitions, source_summary
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
    assert table.loc["population", "CBS"] == "2019: A_4; 2020: A_5"
    assert table.loc["population", "Name"] == "Inhabitants"


def test_source_summary_counts_responses_and_marks_test_data():
    sources = pd.DataFrame(
        {
            "source": ["kwb", "kwb", "amsterdam"],
            "table_id": ["T", "T", "gebieden"],
            "year": pd.array([2019, 2020, None], dtype="Int64"),
            "url": ["a", "b", "c"],
            "rows": [1, 2, 3],
            "retrieved_at": ["x", "y", "z"],
            "test_data": [True, True, False],
        }
    )
    summary = source_summary(sources).set_index("source")
    assert summary.loc["kwb", "responses"] == 2 and summary.loc["kwb", "test_data"]
    assert summary.loc["kwb", "first_year"] == 2019 and summary.loc["kwb", "last_year"] == 2020
