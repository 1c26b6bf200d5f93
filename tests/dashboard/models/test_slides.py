"""The presentation page's model, without Streamlit."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard import deck
from dashboard.models.slides import (
    IndexSlideData,
    MapSlideData,
    SlideInputs,
    TrendSlideData,
    slide_model,
)
from geodata.catalogue import load_catalogue

CATALOGUE = {i.id: i for i in load_catalogue()}
CONTEXT = deck.DeckContext({"population": [2019, 2020]}, [2020])
DECK = deck.parse_deck(
    '{"title": "T", "slides": ['
    '{"type": "map", "title": "Kaart", "indicator": "population", "year": 2020, "animate": true,'
    ' "notes": "Wijs de donkerste buurten aan."},'
    '{"type": "trend", "title": "Lijn", "indicator": "population", "areas": ["GM0363"]},'
    '{"type": "map", "title": "Kapot", "indicator": "nope", "year": 2020}]}',
    CONTEXT,
)
GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "BU1",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[4.9, 52.3], [4.91, 52.3], [4.91, 52.31], [4.9, 52.3]]],
            },
        }
    ],
}


def test_an_animated_map_slide_has_a_frame_per_edition():
    data = MapSlideData(
        pd.DataFrame({"code": ["BU1"], "name": ["Een"]}),
        GEOJSON,
        {2019: pd.Series([10.0]), 2020: pd.Series([12.0])},
        CATALOGUE["population"],
    )
    model = slide_model(SlideInputs(deck=DECK, position=1, data=data, lang="nl", speed_ms=800))
    assert model.title == "Kaart" and model.total == 3 and model.animated
    assert [f.name for f in model.figure.frames] == ["2019", "2020"]


def test_a_trend_slide_draws_each_area():
    data = TrendSlideData({"GM0363": ("Amsterdam", [2019, 2020], [1.0, 2.0])})
    model = slide_model(SlideInputs(deck=DECK, position=2, data=data, lang="en"))
    assert [trace.name for trace in model.figure.data] == ["Amsterdam"]


def test_a_broken_slide_carries_its_error_and_no_figure():
    model = slide_model(SlideInputs(deck=DECK, position=3, data=None, lang="nl"))
    assert model.figure is None and "indicator" in model.error and "dia 3" in model.error


def test_a_trend_slide_breaks_the_line_where_the_series_breaks():
    data = TrendSlideData(
        {"GM0363": ("Amsterdam", [2019, 2020, 2021], [1.0, 2.0, 3.0])}, {"GM0363": (2021,)}
    )
    figure = slide_model(SlideInputs(deck=DECK, position=2, data=data, lang="nl")).figure
    assert list(figure.data[0].x) == [2019, 2020, None, 2021]
    assert [shape.x0 for shape in figure.layout.shapes] == [2020.5]  # the break is marked


def test_the_index_slide_breaks_its_lines_and_marks_the_break():
    index_deck = deck.parse_deck(
        '{"title": "T", "slides": [{"type": "index", "title": "Index"}]}', CONTEXT
    )
    estimates = pd.DataFrame(
        {
            "year": [2019, 2019, 2020, 2020],
            "code": ["GM0363", "GM0479", "GM0363", "GM0479"],
            "households": [100.0, 50.0, 100.0, 60.0],
            "low_income_pct": [10.0, 10.0, 10.0, 12.0],
        }
    )
    data = IndexSlideData(estimates, "GM0363", (2020,))
    figure = slide_model(SlideInputs(deck=index_deck, position=1, data=data, lang="nl")).figure
    assert all(None in list(trace.x) for trace in figure.data)
    assert [shape.x0 for shape in figure.layout.shapes] == [2019.5]


def map_model():
    data = MapSlideData(
        pd.DataFrame({"code": ["BU1", "BU2"], "name": ["Een", "Twee"]}),
        GEOJSON,
        {2020: pd.Series([10.0, float("nan")])},
        CATALOGUE["population"],
    )
    still = deck.Deck(
        DECK.title,
        (
            replace(DECK.slides[0], fields={**DECK.slides[0].fields, "animate": False}),
            *DECK.slides[1:],
        ),
    )
    return slide_model(
        SlideInputs(
            deck=still,
            position=1,
            data=data,
            lang="nl",
            speed_ms=800,
            test_prefix="TESTGEGEVENS (deels synthetisch) · ",
        )
    )


def test_a_map_slide_has_a_legend_with_swatches_in_large_type():
    figure = map_model().figure
    legend = [trace for trace in figure.data if trace.showlegend]
    assert legend and all(trace.marker.symbol == "square" for trace in legend)
    assert legend[-1].name == "geen gegevens / geheim"
    assert figure.layout.legend.font.size >= 20
    assert figure.layout.height is None  # the page gives the chart its height


def test_every_slide_carries_its_source_line_with_the_test_data_note():
    figure = map_model().figure
    (source,) = [a.text for a in figure.layout.annotations if "Bron" in a.text]
    assert source.startswith("TESTGEGEVENS (deels synthetisch) · Bron: CBS")


def test_the_model_carries_notes_and_the_next_slide_for_the_presenter():
    model = map_model()
    assert model.notes == "Wijs de donkerste buurten aan."
    assert model.next_title == "Lijn"
    last = slide_model(SlideInputs(deck=DECK, position=3, data=None, lang="nl"))
    assert last.next_title is None


def test_play_and_pause_are_words_that_need_no_symbol_font():
    data = MapSlideData(
        pd.DataFrame({"code": ["BU1"], "name": ["Een"]}),
        GEOJSON,
        {2019: pd.Series([10.0]), 2020: pd.Series([12.0])},
        CATALOGUE["population"],
    )
    figure = slide_model(
        SlideInputs(deck=DECK, position=1, data=data, lang="en", speed_ms=800)
    ).figure
    labels = [b.label for b in figure.layout.updatemenus[0].buttons]
    assert labels == ["Play", "Pause"]
