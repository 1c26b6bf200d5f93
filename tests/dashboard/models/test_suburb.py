"""The suburbanisation page's model, without Streamlit."""

from __future__ import annotations

import pandas as pd

from dashboard.models.suburb import SuburbInputs, destination_tables, suburbanisation_model
from dashboard.state import SuburbView

ESTIMATES = pd.DataFrame(
    {
        "year": [2019, 2019, 2023, 2023],
        "code": ["GM0363", "GM0479", "GM0363", "GM0479"],
        "households": [400.0, 100.0, 400.0, 100.0],
        "low_income_pct": [10.0, 10.0, 8.0, 20.0],
    }
)


def areas(year_values: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["BU1", "BU2"],
            "name": ["Een", "Twee"],
            "gemeente_code": ["GM0479", "GM0479"],
            "low_income": year_values,
        }
    )


def test_model_reads_the_index_and_greys_what_changed():
    view = SuburbView(2019, 2023, "buurt", "nl")
    model = suburbanisation_model(
        SuburbInputs(
            view=view,
            estimates=ESTIMATES,
            core="GM0363",
            areas=(areas([10.0, 5.0]), areas([20.0, 6.0])),
            unchanged={"BU1"},
            names={"GM0479": "Zaanstad"},
            attribution="Bron: CBS",
        )
    )
    assert model.reading is not None and "2019" in model.reading and "2023" in model.reading
    assert model.change_map.classes.z[1] == 0  # BU2 changed boundary: grey
    assert "indeling gewijzigd" in model.change_map.hover[1]
    assert model.legend.no_data == "indeling gewijzigd"
    assert "+10" in model.change_map.hover[0] or "10" in model.change_map.hover[0]


def test_destination_tables_use_the_last_unbroken_stretch():
    series = pd.DataFrame(
        {
            "code": ["BU1"] * 3 + ["BU2"] * 2,
            "year": [2019, 2020, 2021, 2020, 2021],
            "value": [5.0, 7.0, 9.0, 3.0, 4.0],
            "fingerprint": ["a", "b", "b", "c", "c"],  # BU1's boundary changed in 2020
        }
    )
    names = pd.Series({"BU1": "Een", "BU2": "Twee"})
    (table,) = destination_tables({"GM0479": (series, names)}, {"GM0479": "Zaanstad"}, "nl")
    assert table.name == "Zaanstad"
    rows = table.table.set_index("Code")
    assert rows.loc["BU1", "stijging (procentpunt)"] == "2,0"  # 2020-2021 only
    assert rows.loc["BU1", "periode"] == "2020–2021"
