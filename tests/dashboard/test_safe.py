"""User text shown as text: code spans survive any input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.safe import code_span, strip_code_spans


@pytest.mark.parametrize(
    "value",
    ["![x](http://host/pixel.png)", "<img src=x>", "a`b", "``", "`", "http://host", "$x$", ""],
)
def test_a_code_span_leaves_nothing_for_markdown_to_interpret(value):
    span = code_span(value)
    assert strip_code_spans(f"Ongeldig: {span}.") == "Ongeldig: ."


@given(st.text(max_size=200))
def test_any_text_fits_in_one_code_span(value):
    assert strip_code_spans("a " + code_span(value) + " b") == "a  b"


def test_literal_shows_markdown_and_html_as_text():
    from markdown_it import MarkdownIt

    from dashboard.safe import literal

    hostile = "![x](http://evil.example/x.png) [klik](http://e) <b>vet</b> **a** :red[b] $c$"
    html = MarkdownIt("commonmark").render(literal(hostile))
    assert "<img" not in html and "<a " not in html and "<b>" not in html and "<strong>" not in html
    assert "![x](http://evil.example/x.png)" in html.replace("&lt;", "<").replace("&gt;", ">")
