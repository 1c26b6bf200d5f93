"""The map page's model, without Streamlit."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard import analysis
from dashboard.models.map import MapInputs, Toggles, hover_texts, map_model
from dashboard.state import MapView
from geodata.catalogue import load_catalogue

CATALOGUE = {i.id: i for i in load_catalogue()}
AREAS = pd.DataFrame(
    {
        "code": ["BU1", "BU2", "BU3", "BU4"],
        "name": ["Noord", "Zuid <b>", "Oost", "West"],
        "gemeente_code": ["GM0363", "GM0363", "GM0479", "GM0479"],
    }
)
VALUES = pd.Series({"BU1": 10.0, "BU2": 20.0, "BU3": None, "BU4": 5.0})
NAMES = {"GM0363": "Amsterdam", "GM0479": "Zaanstad"}


def focus() -> pd.DataFrame:
    rows = AREAS.assign(value=[10.0, 20.0, None, 5.0], households=[500, 50, 300, 400])
    return analysis.focus_buurten(rows, analysis.FocusRule(factor=1.5, min_households=100))


def model(**changes):
    view = MapView("low_income_households_pct", 2019, "buurt", ("GM0363", "GM0479"))
    view = MapView(**{**view.__dict__, **changes})
    source = pd.Series(
        {
            "status": "published",
            "table_id": "84583NED",
            "source_key": "HuishoudensMetEenLaagInkomen_78",
            "reference_period": None,
        }
    )
    return map_model(inputs(view, focus(), {"BU4"}, source, "Bron: CBS"))


def inputs(view, focus_rule, official, source, attribution, toggles=None, others=None):
    return MapInputs(
        areas=AREAS,
        values=VALUES,
        indicators=CATALOGUE,
        view=view,
        focus=focus_rule,
        official_codes=official,
        names=NAMES,
        source=source,
        toggles=toggles or Toggles(),
        attribution=attribution,
        others=others,
    )


def test_title_classes_and_the_missing_area():
    m = model()
    assert m.title == "Huishoudens met een laag inkomen · KWB 2019 · peildatum/periode onbekend"
    assert m.choropleth.codes == ["BU1", "BU2", "BU3", "BU4"]
    assert m.choropleth.classes.z[2] == 0  # no data is class 0 (grey)
    assert len(m.legend.labels) == len(m.legend.colors) == m.choropleth.classes.n


def test_outlines_follow_the_level_and_the_toggles():
    assert model().choropleth.official_codes == ["BU4"]
    assert model(level="wijk").choropleth.focus_codes == []
    assert not model(level="wijk").choropleth.show_focus


def test_hover_is_escaped_and_ranked():
    m = model()
    assert "Zuid &lt;b&gt;" in m.choropleth.hover[1]
    assert "rang 1 van 3 buurten in de gekozen gemeenten" in m.choropleth.hover[1]
    assert "geen gegevens" in m.choropleth.hover[2]


def test_english_uses_english_number_format_and_texts():
    m = model(lang="en")
    assert m.title.startswith("Households with a low income")
    assert "20.0 %" in m.choropleth.hover[1]
    assert "/kaart" not in m.choropleth.profile_url and "lang=en" in m.choropleth.profile_url


def test_panel_names_table_and_key_and_the_focus_rule_its_threshold():
    m = model()
    assert any("84583NED" in line and "HuishoudensMetEenLaagInkomen_78" in line for line in m.panel)
    assert "1,5 keer" in m.rule_text


def test_hover_texts_of_many_areas_are_built_at_once():
    frame = pd.DataFrame(
        {
            "code": [f"BU{i}" for i in range(1000)],
            "name": "x",
            "gemeente_code": "GM1",
            "gemeente_name": "G",
            "value": 1.26,
            "rank": pd.array([1] * 1000, dtype="Int64"),
        }
    )
    texts = hover_texts(frame, "%", "nl", 1, "buurt", "KWB 2019")
    assert len(texts) == 1000 and "1,3 %" in texts[0]


def test_the_title_and_hover_name_the_edition_and_the_period_cbs_states():
    view = MapView("low_income_households_pct", 2019, "buurt", ("GM0363", "GM0479"))
    source = pd.Series(
        {
            "status": "published",
            "table_id": "84583NED",
            "source_key": "X_1",
            "reference_period": "2017",
        }
    )
    m = map_model(inputs(view, focus(), set(), source, "Bron"))
    assert m.title == "Huishoudens met een laag inkomen · KWB 2019 · peildatum/periode 2017"
    assert "(KWB 2019 · peildatum/periode 2017)" in m.choropleth.hover[0]
    assert m.legend.unit.endswith("KWB 2019 · peildatum/periode 2017")


def test_tables_use_the_languages_number_format():
    nl, en = model(), model(lang="en")
    assert "20,0" in nl.table.iloc[:, 3].tolist() and "20.0" in en.table.iloc[:, 3].tolist()
    assert any("1 = hoogste" in c for c in nl.table.columns)


def test_the_hover_shows_the_other_poverty_measures_of_the_same_year():
    view = MapView("low_income_households_pct", 2019, "buurt", ("GM0363", "GM0479"))
    minima = pd.Series({"BU1": 17.25, "BU2": None})
    got = map_model(
        inputs(
            view, focus(), set(), None, "Bron: CBS", others={"ams_minima_households_pct": minima}
        )
    )
    hover = got.choropleth.hover
    label = CATALOGUE["ams_minima_households_pct"].label("nl")
    assert f"anders gemeten, zelfde jaar: {label}: 17,2 %" in hover[0]
    assert "anders gemeten" not in hover[1]  # no value: no line
    assert "anders gemeten" not in hover[2]  # Zaanstad: no Amsterdam figure


def test_a_bbga_map_names_its_own_edition_and_source():
    view = MapView("ams_minima_households_pct", 2023, "gebied", ("GM0363",))
    source = pd.Series(
        {
            "source": "bbga",
            "status": "published",
            "table_id": "bbga",
            "source_key": "IMINHH120_P",
            "reference_period": "1 januari 2023",
        }
    )
    areas = pd.DataFrame(
        {"code": ["GX01"], "name": ["Gebied Jordaan"], "gemeente_code": ["GM0363"]}
    )
    got = map_model(
        replace(
            inputs(view, focus().iloc[0:0], set(), source, "Bron: Gemeente Amsterdam"),
            areas=areas,
            values=pd.Series({"GX01": 12.0}),
        )
    )
    assert got.title.endswith("BBGA 2023 · peildatum/periode 1 januari 2023")
    assert got.source_caption == "Bron: Gemeente Amsterdam · BBGA IMINHH120_P, 2023"


def test_a_harmonised_map_marks_estimated_buurten_with_their_method_and_error():
    view = MapView(
        "low_income_households_pct", 2019, "buurt", ("GM0363", "GM0479"), harmonised=True
    )
    estimates = pd.DataFrame(
        {
            "code": ["BU1", "BU2", "BU4"],
            "value": [10.0, 20.0, 5.0],
            "method": ["exact", "households", "area"],
            "estimated_share": [0.0, 0.4, 1.0],
            "error_band": [0.0, 1.25, None],
        }
    )
    base = inputs(view, focus(), set(), None, "Bron: CBS")
    got = map_model(replace(base, estimates=estimates, reference_year=2025))
    assert "op de buurten van 2025" in got.title and "2019" in got.title
    assert got.choropleth.estimated_codes == ["BU2", "BU4"]
    assert got.legend.show_estimated
    hover = got.choropleth.hover
    assert "exact overgenomen" in hover[0]
    assert "geschat: 40% naar huishoudens, ± 1,2 %" in hover[1]
    assert "geschat: 100% naar oppervlakte, foutmarge niet gemeten" in hover[3]


def test_a_map_on_its_own_boundaries_marks_nothing_as_estimated():
    got = model()
    assert got.choropleth.estimated_codes == [] and not got.legend.show_estimated
    assert not any("geschat" in h for h in got.choropleth.hover)
