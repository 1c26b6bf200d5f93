"""Colours, legends and series gaps."""

from __future__ import annotations

from dashboard.components import figures


def luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in rgb.removeprefix("rgb(").removesuffix(")").split(","))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_darker_is_always_worse():
    worse_high = figures.class_colors(5, "higher_is_worse")
    better_high = figures.class_colors(5, "higher_is_better")
    assert [luminance(c) for c in worse_high] == sorted(
        (luminance(c) for c in worse_high), reverse=True
    )
    assert [luminance(c) for c in better_high] == sorted(luminance(c) for c in better_high)


def test_discrete_colorscale_starts_with_no_data_grey():
    scale = figures.discrete_colorscale(["rgb(1,1,1)", "rgb(2,2,2)"])
    assert scale[0] == [0.0, figures.NO_DATA_COLOR]
    assert scale[-1] == [1.0, "rgb(2,2,2)"]


def test_legend_names_missing_values():
    html = figures.legend_html(["1 – 2"], ["rgb(1,1,1)"], "nl", True, False, "%")
    assert "geen gegevens / geheim" in html and "Aandachtsbuurt" in html


def test_series_gap_before_a_boundary_change():
    xs, ys = figures.with_breaks([2019, 2020, 2021], [1.0, 2.0, 3.0], [2021])
    assert xs == [2019, 2020, None, 2021] and ys == [1.0, 2.0, None, 3.0]
