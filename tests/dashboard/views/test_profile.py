"""The profile page's model, without Streamlit."""

from __future__ import annotations

import pandas as pd

from dashboard import analysis
from dashboard.state import ProfileView
from dashboard.views.profile import ProfileInputs, area_choices, profile_model
from geodata.catalogue import load_catalogue

CATALOGUE = {i.id: i for i in load_catalogue()}


def inputs(**changes) -> ProfileInputs:
    history = pd.DataFrame(
        {
            "code": ["BU1", "BU1"],
            "name": ["Oud", "Nieuw"],
            "level": ["buurt", "buurt"],
            "gemeente_code": ["GM0363", "GM0363"],
            "wijk_code": ["WK1", "WK1"],
            "year": [2019, 2020],
        }
    )
    values = pd.DataFrame(
        {
            "indicator": ["low_income_households_pct"] * 2 + ["population"] * 2,
            "year": [2019, 2020, 2019, 2020],
            "value": [12.0, 14.0, 900.0, 950.0],
        }
    )
    refs = pd.DataFrame(
        {
            "indicator": ["low_income_households_pct"] * 2 + ["population"] * 2,
            "year": [2019, 2020, 2019, 2020],
            "gemeente": [10.0, 11.0, 1e5, 1e5],
            "region": [8.0, 9.0, 2e5, 2e5],
        }
    )
    same = pd.DataFrame({"code": ["BU1", "BU2", "BU3"], "value": [14.0, 20.0, None]})
    buurten = pd.DataFrame(
        {
            "code": ["BU1", "BU2"],
            "value": [20.0, 14.0],
            "households": [500, 500],
            "gemeente_code": "GM0363",
            "name": ["a", "b"],
        }
    )
    focus = analysis.focus_buurten(buurten, analysis.FocusRule(factor=1.0, min_households=100))
    official = pd.DataFrame(
        {"code": ["BU1"], "list_name": ["NPLV"], "label": ["Noord"], "source": ["doc"]}
    )
    base = ProfileInputs("BU1", history, values, refs, [2020], 2020, same, focus, official)
    return ProfileInputs(**{**base.__dict__, **changes})


def test_profile_of_a_buurt():
    model = profile_model(
        inputs(), CATALOGUE, ProfileView("BU1"), {"GM0363": "Amsterdam"}, "GM0363"
    )
    assert model.title == "Nieuw (BU1)"
    assert "Amsterdam" in model.caption
    assert "rang 2 van 2 buurten in de regio" in model.rank  # the base is named
    assert model.focus is not None and model.focus[0] == "warning"
    assert model.official and "NPLV" in model.official[0]
    assert model.breaks is not None and "2020" in model.breaks
    assert model.figure is not None and len(model.history) == 2


def test_without_a_rank_year_there_is_no_rank_or_focus():
    model = profile_model(inputs(rank_year=None), CATALOGUE, ProfileView("BU1", "en"), {}, "GM0363")
    assert model.rank is None and model.focus is None


def test_area_choices_put_gemeenten_first_with_latest_names():
    areas = pd.DataFrame(
        {
            "code": ["BU1", "GM1", "BU1"],
            "name": ["b", "G", "c"],
            "level": ["buurt", "gemeente", "buurt"],
            "year": [2019, 2019, 2020],
        }
    )
    choices = area_choices(areas)
    assert list(choices["code"]) == ["GM1", "BU1"] and choices.iloc[1]["name"] == "c"
