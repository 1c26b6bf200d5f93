"""The profile page's model, without Streamlit."""

from __future__ import annotations

import pandas as pd

from dashboard import analysis
from dashboard.breaks import Break
from dashboard.models.profile import ProfileData, ProfileInputs, area_choices, profile_model
from dashboard.state import ProfileView
from geodata.catalogue import load_catalogue

CATALOGUE = {i.id: i for i in load_catalogue()}


def inputs(**changes) -> ProfileData:
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
    base = ProfileData(
        "BU1",
        history,
        values,
        refs,
        [Break(2020, "boundary")],
        frozenset(),
        2020,
        same,
        focus,
        official,
        [],
        2020,
    )
    return ProfileData(**{**base.__dict__, **changes})


def test_profile_of_a_buurt():
    model = profile_model(
        ProfileInputs(
            data=inputs(),
            indicators=CATALOGUE,
            view=ProfileView("BU1"),
            names={"GM0363": "Amsterdam"},
            gemeente="GM0363",
        )
    )
    assert model.title == "Nieuw (BU1)"
    assert "Amsterdam" in model.caption
    assert "rang 2 van 2 buurten in de regio" in model.rank  # the base is named
    assert model.focus is not None and model.focus[0] == "warning"
    assert model.official and "NPLV" in model.official[0]
    assert len(model.history) == 2 and model.ended is None
    income, population = model.themes[0], model.themes[-1]
    assert income.label == "Inkomen en armoede" and population.label == "Bevolking en huishoudens"
    low = income.panels[0]
    assert (
        low.label == "Huishoudens met een laag inkomen" and "lage-inkomensgrens" in low.explanation
    )
    assert low.latest == "KWB 2020: 14,0 % (Amsterdam 11,0, regio 9,0)"
    assert low.breaks == ["2020: grens gewijzigd"]
    xs = [x for trace in low.figure.data for x in trace.x]
    assert None in xs  # the line is broken before 2020
    assert population.panels[0].latest == "KWB 2020: 950 aantal"  # a count: no references


def test_a_code_that_ended_names_its_successors():
    ended = inputs(last_edition=2024, successors=[("BU0363AA01", "Planciusbuurt-Noord")])
    model = profile_model(
        ProfileInputs(
            data=ended, indicators=CATALOGUE, view=ProfileView("BU1"), names={}, gemeente="GM0363"
        )
    )
    assert "t/m KWB 2020" in model.ended or "tot en met KWB 2020" in model.ended
    assert model.successors == [("BU0363AA01", "Planciusbuurt-Noord")]


def test_without_a_rank_year_there_is_no_rank_or_focus():
    model = profile_model(
        ProfileInputs(
            data=inputs(rank_year=None),
            indicators=CATALOGUE,
            view=ProfileView("BU1", "en"),
            names={},
            gemeente="GM0363",
        )
    )
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


def test_a_buurt_of_the_reference_year_gets_an_unbroken_harmonised_line():
    harmonised = pd.DataFrame(
        {
            "indicator": ["low_income_households_pct"] * 2,
            "year": [2019, 2020],
            "value": [13.0, 14.0],
            "estimated_share": [0.5, 0.0],
        }
    )
    model = profile_model(
        ProfileInputs(
            data=inputs(harmonised=harmonised, reference_year=2020),
            indicators=CATALOGUE,
            view=ProfileView("BU1"),
            names={"GM0363": "Amsterdam"},
            gemeente="GM0363",
        )
    )
    low = model.themes[0].panels[0]
    lines = {trace.name: trace for trace in low.figure.data}
    line = lines["geharmoniseerd (buurten van 2020)"]
    assert list(line.x) == [2019, 2020] and list(line.y) == [13.0, 14.0]  # no boundary break
    assert None in list(lines["Nieuw"].x)  # the original values still break at 2020
    population = model.themes[-1].panels[0]
    assert all("geharmoniseerd" not in (trace.name or "") for trace in population.figure.data)
