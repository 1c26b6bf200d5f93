"""The build's harmonisation step: on or off, and a reference year the store does not hold."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines import build
from pipelines.errors import PipelineError


def buurten(*years: int) -> dict[str, pd.DataFrame]:
    return {"areas": pd.DataFrame({"level": ["buurt"] * len(years), "year": list(years)})}


def test_a_build_without_harmonisation_empties_the_harmonised_tables():
    made = build.harmonised_tables(buurten(2019, 2020), None, False, "store.gpkg")
    assert set(made) == {"crosswalk", "harmonisation_errors", "harmonised_values"}
    assert all(frame.empty for frame in made.values())


def test_a_reference_year_without_buurten_is_refused_with_the_years_there_are():
    with pytest.raises(PipelineError) as caught:
        build.harmonised_tables(buurten(2019, 2020), 2013, True, "store.gpkg")
    message = str(caught.value)
    assert "--harmonise-to 2013" in message and "2019-2020" in message
    assert "store.gpkg was left untouched" in message
