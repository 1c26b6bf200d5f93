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


def test_literal_escapes_every_markdown_and_html_character():
    import re
    import string

    from dashboard.safe import literal

    hostile = "![x](http://evil.example/x.png)\n[klik](http://e) <b>vet</b> **a** :red[b] $c$ \\"
    shown = literal(hostile)
    assert "\n" not in shown  # one line
    unescaped = re.sub(r"\\.", "", shown)  # drop every escaped character
    assert not set(unescaped) & set(string.punctuation)  # nothing left for Markdown to read
    assert re.sub(r"\\(.)", r"\1", shown) == " ".join(hostile.split())  # and nothing lost
