"""Presentation mode in headless Chromium at projector sizes: layout, not pixels.

At 1920×1080 and 1280×720: the title lies inside the window with nothing over it, the chart
covers at least 70% of the window's width and height, legends are at least 20 px and axis
labels at least 18 px, every slide carries its source line, and no Deploy button is in the
page. Arrow keys step through the deck, and a presenter window and its audience window stay
in step. Nothing is fetched from outside this machine.
"""

from __future__ import annotations

import re

import pytest

from tests.dashboard.browser import (
    chromium_page,
    record_outside_requests,
    streamlit_server,
    wait_until_idle,
)

pytestmark = [pytest.mark.mirror, pytest.mark.browser]

SLIDES = {1: "map", 3: "flow map", 5: "chart"}
FONT_SIZES = "nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))"


def open_slide(page, url: str, number: int) -> None:
    page.goto(f"{url}/presenteren?slide={number}")
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    wait_until_idle(page)


def assert_title_whole_and_uncovered(page, width: int, height: int) -> None:
    title = page.locator("h1").first
    box = title.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, box
    on_top = page.evaluate(
        "([x, y]) => { const e = document.elementFromPoint(x, y); return e && e.closest('h1') !== null; }",
        [box["x"] + min(40, box["width"] / 2), box["y"] + box["height"] / 2],
    )
    assert on_top, "something covers the slide title"


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_slides_fill_a_projector_in_large_type(built_store, width, height):
    with streamlit_server(built_store.store) as (url, _), chromium_page(width, height) as page:
        outside = record_outside_requests(page)
        for number, kind in SLIDES.items():
            open_slide(page, url, number)
            assert_title_whole_and_uncovered(page, width, height)
            plot = page.locator(".js-plotly-plot").first.bounding_box()
            assert plot["width"] >= 0.7 * width, (kind, plot)
            assert plot["height"] >= 0.7 * height, (kind, plot)
            legend = page.locator(".js-plotly-plot .legendtext").evaluate_all(FONT_SIZES)
            assert legend and min(legend) >= 20, (kind, legend)
            ticks = page.locator(".js-plotly-plot .xtick text, .js-plotly-plot .ytick text")
            assert all(size >= 18 for size in ticks.evaluate_all(FONT_SIZES)), kind
            source = page.locator(".js-plotly-plot .annotation-text", has_text="Bron: CBS")
            assert source.count() == 1 and "TESTGEGEVENS" in source.first.text_content(), kind
            assert page.get_by_text("Deploy", exact=True).count() == 0
            assert page.locator('[data-testid="stHeader"]').is_hidden()
        assert not outside, outside


def test_arrow_keys_and_the_presenter_view_stay_in_step(built_store):
    with streamlit_server(built_store.store) as (url, _), chromium_page(1280, 720) as presenter:
        presenter.goto(f"{url}/presenteren?view=presenter&slide=1")
        presenter.get_by_text("Begin bij de kaart", exact=False).first.wait_for(timeout=60_000)
        presenter.wait_for_url(re.compile(r"sync=[a-z0-9]{8}"))
        code = re.search(r"sync=([a-z0-9]+)", presenter.url).group(1)
        assert re.match(r"\d\d:\d\d", presenter.locator(".rc-clock").inner_text())
        audience = presenter.context.browser.new_page(viewport={"width": 1280, "height": 720})
        audience.goto(f"{url}/presenteren?slide=1&sync={code}")
        heading = audience.get_by_role("heading", level=1)
        heading.filter(has_text="Waar wonen huishoudens").wait_for(timeout=60_000)
        wait_until_idle(presenter)
        presenter.keyboard.press("ArrowRight")  # the presenter steps ...
        heading.filter(has_text="Het verloop per gemeente").wait_for(
            timeout=30_000
        )  # ... and so does the audience
        wait_until_idle(audience)
        audience.locator("h1").first.click()
        audience.keyboard.press("ArrowRight")  # the audience window steps ...
        presenter.get_by_role("heading", level=1).filter(
            has_text="Wie vertrekt uit Amsterdam"
        ).wait_for(timeout=30_000)  # ... and the presenter follows
        assert "slide=3" in presenter.url
