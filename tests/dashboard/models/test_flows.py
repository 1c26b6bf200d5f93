"""The migration page's model, without Streamlit."""

from __future__ import annotations

import pandas as pd

from dashboard.models.flows import FlowRegion, FlowsInputs, flows_model, mean_rates, period_totals
from dashboard.state import FlowsView

REGION = FlowRegion("GM0363", ("GM0363", "GM0479", "GM0439"), ("GM0479",))


def flows() -> pd.DataFrame:
    rows = []
    for year in (2019, 2020):
        rows += [
            (year, "GM0363", "GM0479", 100.0 + year - 2019),
            (year, "GM0479", "GM0363", 40.0),
            (year, "GM0363", "GM0439", 50.0),
            (year, "GM0439", "GM0363", 60.0),
            (year, "GM0363", "NL01", 1000.0),
        ]
    return pd.DataFrame(rows, columns=["year", "origin_code", "destination_code", "persons"])


POINTS = pd.DataFrame(
    {"lon": [4.9, 4.8, 4.95], "lat": [52.37, 52.45, 52.5]}, index=["GM0363", "GM0479", "GM0439"]
)
OUTLINES = {"type": "FeatureCollection", "features": []}
NAMES = {"GM0363": "Amsterdam", "GM0479": "Zaanstad", "GM0439": "Purmerend"}
POPULATION = pd.DataFrame(
    {
        "year": [2019, 2020, 2019, 2020],
        "code": ["GM0479", "GM0479", "GM0439", "GM0439"],
        "population": [150_000.0, 160_000.0, 80_000.0, 0.0],
    }
)


def test_period_totals_sum_the_chosen_years():
    from dashboard import migration

    core = migration.core_flows(flows(), "GM0363")
    totals = period_totals(core, 2019, 2020).set_index("code")
    assert totals.loc["GM0479", "from_core"] == 201.0
    assert totals.loc["GM0439", "net"] == -20.0


def test_rates_per_thousand_leave_out_an_unknown_population():
    from dashboard import migration

    core = migration.core_flows(flows(), "GM0363")
    rates = mean_rates(core, POPULATION, "from_core", REGION.others).set_index("code")["rate"]
    assert round(rates["GM0479"], 3) == round((100 / 150 + 101 / 160) / 2, 3)
    assert round(rates["GM0439"], 3) == round(50 / 80, 3)  # 2020: population 0, left out


def test_model_for_a_view():
    view = FlowsView((2019, 2020), ("GM0479",), "out", None, None, "nl")
    model = flows_model(
        FlowsInputs(
            view=view,
            selected=flows(),
            region=REGION,
            geography=(POINTS, OUTLINES),
            names=NAMES,
            population=POPULATION,
        )
    )
    assert model.map_title.endswith("2019–2020")
    assert model.sankey_title.endswith("2020")  # the last year unless one is chosen
    assert list(model.table["Code"].unique()) == ["GM0439", "GM0479"]
    assert list(model.table.columns) == [
        "Jaar",
        "Gemeente",
        "Code",
        "Uit Amsterdam",
        "Naar Amsterdam",
        "Saldo voor de gemeente",
    ]
    legend = [trace.name for trace in model.flow_map.data if trace.showlegend is not False]
    assert "gekozen gemeenten (oranje)" in legend and any("lijndikte" in n for n in legend if n)
    sankey = model.sankey.data[0]
    assert any("(" in label for label in sankey.node.label)  # values in the labels
    sources = [a.text for a in model.sankey.layout.annotations]
    assert any(s.endswith("81734NED, 2020") for s in sources)  # one year, not "2020–2020"
    assert list(model.trend.layout.xaxis.range) == [2018.5, 2020.5]  # stops where data stop
    assert model.filename == "verhuisstromen_out_2019_2020"
    sources = [a.text for a in model.rates.layout.annotations]
    assert any("81734NED" in s for s in sources)


def test_an_imported_table_names_its_source():
    view = FlowsView((2019, 2019), ("GM0479",), "in", 2019, "laag_inkomen", "en")
    model = flows_model(
        FlowsInputs(
            view=view,
            selected=flows(),
            region=REGION,
            geography=(POINTS, OUTLINES),
            names=NAMES,
            population=POPULATION,
            income_source="Maatwerk 1",
        )
    )
    texts = [a.text for a in model.sankey.layout.annotations]
    assert any("Maatwerk 1" in s for s in texts)


def test_labels_that_would_overlap_are_placed_apart():
    from dashboard.figures.flows import label_positions

    lines = pd.DataFrame(
        {
            "name": ["Oostzaan", "Landsmeer", "Zaanstad"],
            "lon": [4.87, 4.875, 4.8],
            "lat": [52.44, 52.441, 52.45],
            "value": [10.0, 20.0, 30.0],
        }
    )
    positions = label_positions(lines)
    assert positions[0] != positions[1]
