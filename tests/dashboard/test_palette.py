"""Colours: darker is always worse; grey is no data."""

from __future__ import annotations

from dashboard import palette


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
