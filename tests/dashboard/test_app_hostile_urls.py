"""Every URL parameter of every page fed hostile values: no exception, nothing rendered as markup.

A shared link must never make a viewer's browser fetch something or show a link: refused
values are shown as text (a code span), never as Markdown or HTML.
"""

from __future__ import annotations

import pytest

from dashboard.routes import PAGES as ROUTES
from dashboard.routes import VIEWS
from dashboard.safe import strip_code_spans
from tests.dashboard.conftest import ok

PAGES = {path: page.file for path, page in ROUTES.items()}
HOSTILE = [
    "²",
    "![x](http://evil.example/pixel.png)",
    "<img src='http://evil.example/pixel.png'>[evil](http://evil.example)",
    "http://evil.example/" + "x" * 60_000,
]
MARKUP = (
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "info",
    "warning",
    "error",
    "success",
    "toast",
)


def rendered_markdown(app) -> list[str]:
    out = []
    for kind in MARKUP:
        out += [str(element.value) for element in getattr(app, kind, [])]
    return out


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("value", HOSTILE, ids=["superscript", "md-image", "html", "60kB"])
def test_hostile_values_in_every_parameter(app, page, value):
    app.run()
    app.switch_page(PAGES[page])
    for name in VIEWS[page].PARAMS:
        app.query_params[name] = value
    ok(app.run())
    for text in rendered_markdown(app):
        interpreted = strip_code_spans(text)
        assert "evil.example" not in interpreted, text[:200]
        assert "](" not in interpreted or "evil" not in text, text[:200]
    assert len(app.caption) < 50  # one short notice per parameter, not the 60 kB value
