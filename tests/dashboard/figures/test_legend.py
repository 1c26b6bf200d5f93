"""The map legend: grey named, texts escaped."""

from __future__ import annotations

from dashboard import palette
from dashboard.figures.legend import Legend, legend_html


def test_legend_names_missing_values_with_the_plain_grey_of_the_map():
    html = legend_html(Legend(["1 – 2"], ["rgb(1,1,1)"], "%", True, False), "nl")
    assert "geen gegevens / geheim" in html and "Aandachtsbuurt" in html
    assert (
        f'background:{palette.NO_DATA_COLOR}"' in html and "repeating-linear-gradient" not in html
    )


def test_legend_escapes_its_texts_and_can_rename_grey():
    html = legend_html(
        Legend(["<b>1</b>"], ["rgb(1,1,1)"], "<script>", no_data="indeling gewijzigd"), "nl"
    )
    assert "<script>" not in html and "&lt;b&gt;1&lt;/b&gt;" in html
    assert "indeling gewijzigd" in html and "geen gegevens" not in html
