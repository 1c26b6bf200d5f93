"""Colours, legends and series gaps."""

from __future__ import annotations

from dashboard import palette
from dashboard.components import figures
from dashboard.views.map import Legend


def luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in rgb.removeprefix("rgb(").removesuffix(")").split(","))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_darker_is_always_worse():
    worse_high = palette.class_colors(5, "higher_is_worse")
    better_high = palette.class_colors(5, "higher_is_better")
    assert [luminance(c) for c in worse_high] == sorted(
        (luminance(c) for c in worse_high), reverse=True
    )
    assert [luminance(c) for c in better_high] == sorted(luminance(c) for c in better_high)


def test_discrete_colorscale_starts_with_no_data_grey():
    scale = palette.discrete_colorscale(["rgb(1,1,1)", "rgb(2,2,2)"])
    assert scale[0] == [0.0, palette.NO_DATA_COLOR]
    assert scale[-1] == [1.0, "rgb(2,2,2)"]


def test_legend_names_missing_values_with_the_plain_grey_of_the_map():
    html = figures.legend_html(Legend(["1 – 2"], ["rgb(1,1,1)"], "%", True, False), "nl")
    assert "geen gegevens / geheim" in html and "Aandachtsbuurt" in html
    assert (
        f'background:{palette.NO_DATA_COLOR}"' in html and "repeating-linear-gradient" not in html
    )


def test_legend_escapes_its_texts_and_can_rename_grey():
    html = figures.legend_html(
        Legend(["<b>1</b>"], ["rgb(1,1,1)"], "<script>", no_data="indeling gewijzigd"), "nl"
    )
    assert "<script>" not in html and "&lt;b&gt;1&lt;/b&gt;" in html
    assert "indeling gewijzigd" in html and "geen gegevens" not in html


def test_series_gap_before_a_boundary_change():
    xs, ys = figures.with_breaks([2019, 2020, 2021], [1.0, 2.0, 3.0], [2021])
    assert xs == [2019, 2020, None, 2021] and ys == [1.0, 2.0, None, 3.0]
