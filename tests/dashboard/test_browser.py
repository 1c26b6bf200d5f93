"""End to end in headless Debian Chromium against a real `streamlit run` on a built store."""

from __future__ import annotations

import json
import re
import time
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from dashboard import data
from geodata.backends import open_store
from geodata.config import PROJECT_DIR
from tests.dashboard.browser import (
    chromium_page,
    record_outside_requests,
    streamlit_server,
    wait_for_map,
)

pytestmark = [pytest.mark.mirror, pytest.mark.browser]

SHOTS = PROJECT_DIR / "benchmarks" / "results" / "screenshots"


FILLS = """() => Object.fromEntries(
    [...window.__rcMapRoot.querySelector('.choroplethlayer .trace')
        .querySelectorAll('path.choroplethlocation')]
    .map((p) => [p.__data__.loc, getComputedStyle(p).fill]))"""

#: Listens after the map's own listener, so it sees the fills the pick painted.
RECORD_FILLS_AT_PICK = f"""() => window.addEventListener('rc-indicator',
    () => {{ window.__fillsAtPick = ({FILLS})(); }})"""


def expect_label(page, start: str) -> None:
    """Wait until the map's accessible label starts with `start` (or fail after 30 s)."""
    expect(page.locator(".rc-map").first).to_have_attribute(
        "aria-label", re.compile("^" + re.escape(start)), timeout=30000
    )


def test_map_appears_switches_indicator_and_opens_a_profile(built_store):
    with streamlit_server(built_store.store) as (url, _), chromium_page() as page:
        requests_outside = record_outside_requests(page)
        page.goto(f"{url}/kaart")
        first = wait_for_map(page)
        assert page.locator(".rc-map path.choroplethlocation").count() > 1000
        expect_label(page, "Kaart van Bijstand per 1.000 inwoners per buurt in 2025")

        page.evaluate(RECORD_FILLS_AT_PICK)
        page.locator('[data-testid="rc-indicator-select"]').select_option(label="Koopwoningen")
        second = wait_for_map(page, first)
        assert second == "picked:owner_occupied_pct"  # recoloured in the browser
        assert page.get_attribute(".rc-map", "data-recolour") == "paint"
        page.wait_for_url(re.compile(r"indicator=owner_occupied_pct"))
        # the colours change at once in the browser; the title follows with the rerun
        heading = page.get_by_role("heading", name=re.compile("Koopwoningen · KWB 2025"))
        heading.wait_for(timeout=30000)
        assert heading.count() == 1
        # the colours painted at the pick are the colours the server's rerun draws
        third = wait_for_map(page, second)
        assert not third.startswith("picked:")
        at_pick = page.evaluate("window.__fillsAtPick")
        assert len(at_pick) > 1000 and len(set(at_pick.values())) > 3
        assert at_pick == page.evaluate(f"({FILLS})()")

        page.get_by_role(
            "heading"
        ).first.click()  # the select box keeps focus until a click elsewhere
        box = page.locator(".rc-map path.choroplethlocation").nth(200).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.locator(
            ".rc-map .hoverlayer .hovertext"
        ).first.wait_for()  # plotly clicks need hover data
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.get_by_text("Code en naam door de jaren").wait_for(timeout=30000)
        assert re.search(r"/buurtprofiel\?.*area=(BU|WK|GM)", page.evaluate("location.href"))
        page.goto(f"{url}/verhuisstromen")
        page.get_by_role("heading", name="Verhuisstromen").wait_for(timeout=30000)
        page.locator(".js-plotly-plot .scattergeo").first.wait_for(timeout=30000)
        assert page.locator(".js-plotly-plot").count() >= 3  # flow map, trend, Sankey, rates
        assert not requests_outside, requests_outside


def test_pdok_base_map_falls_back_silently_when_unreachable(built_store):
    with streamlit_server(built_store.store) as (url, _), chromium_page() as page:
        scripts: list[str] = []
        page.on("request", lambda r: scripts.append(r.url) if "plotly" in r.url else None)
        page.goto(f"{url}/kaart")
        first = wait_for_map(page)
        page.get_by_text("PDOK-achtergrondkaart").click()
        wait_for_map(page, first)
        # the base map's trace type needs the complete bundle, loaded only now
        assert scripts[-1].endswith(data.plotly_complete_js_url()), scripts
        # PDOK cannot be reached from this machine: the map is drawn without the base map.
        assert page.locator(".rc-map").first.get_attribute("data-basemap") == "unavailable"
        assert page.locator(".rc-map path.choroplethlocation").count() > 1000
        assert page.locator(".rc-map").first.get_attribute("data-error") is None


def test_the_app_runs_on_postgis(built_postgis):
    with streamlit_server(built_postgis.store) as (url, _), chromium_page() as page:
        page.goto(f"{url}/kaart?indicator=population&year=2024")
        wait_for_map(page)
        assert page.locator(".rc-map path.choroplethlocation").count() > 1000
        expect_label(page, "Kaart van Inwoners")
        page.goto(f"{url}/over")
        page.get_by_text("postgresql://postgres@127.0.0.1").first.wait_for(timeout=30000)


def test_an_advisor_sees_test_data_both_years_breaks_and_successors(built_store):
    with streamlit_server(built_store.store) as (url, _), chromium_page() as page:
        page.goto(f"{url}/kaart?indicator=low_income_households_pct&year=2019")
        wait_for_map(page)
        assert page.get_by_text("Testgegevens: deels synthetisch").first.is_visible()
        title = page.get_by_role("heading", level=1).first.inner_text()
        assert "KWB 2019 · peildatum/periode onbekend" in title, title

        # Amsterdam absorbed Weesp in 2022: the profile's chart breaks and marks it
        page.goto(f"{url}/buurtprofiel?area=GM0363")
        page.get_by_text("2023: grens gewijzigd").first.wait_for(timeout=30000)
        chart = page.locator(".js-plotly-plot").first
        chart.wait_for(timeout=30000)
        assert chart.locator(".shapelayer path").count() >= 1  # the dotted break line

        # a buurt whose code ended links to the buurten that took over its territory
        page.goto(f"{url}/buurtprofiel?area=BU03630001")
        page.get_by_text("tot en met KWB 2022").first.wait_for(timeout=30000)
        link = page.locator('a[href*="buurtprofiel"][href*="area=BU0363"]').first
        target = re.search(r"area=(BU\w+)", link.get_attribute("href")).group(1)
        link.click()
        page.get_by_role("heading", name=re.compile(re.escape(f"({target})"))).wait_for(
            timeout=30000
        )


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1440, 900)])
def test_the_profile_reads_on_a_phone_and_on_a_laptop(built_store, width, height):
    with streamlit_server(built_store.store) as (url, _), chromium_page(width, height) as page:
        page.goto(f"{url}/buurtprofiel?area=BU03630000")
        chart = page.locator(".js-plotly-plot").first
        chart.wait_for(timeout=60000)
        page.wait_for_timeout(500)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0  # nothing sticks out sideways
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        sizes = chart.locator(".xtick text, .ytick text").evaluate_all(
            "nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))"
        )
        assert sizes and min(sizes) >= 12  # tick labels readable, not ~10 px
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"buurtprofiel_{width}x{height}.png"))


def test_amsterdams_gebieden_on_the_map_and_poverty_side_by_side(built_store):
    with streamlit_server(built_store.store) as (url, _), chromium_page() as page:
        page.goto(f"{url}/kaart?level=gebied&indicator=ams_minima_households_pct&year=2023")
        wait_for_map(page)
        # wait for what is asserted (the map element can be replaced by the page's rerun
        # after its first draw): a read of the attribute at one moment raced on 2 cores
        expect(page.locator(".rc-map path.choroplethlocation")).to_have_count(25, timeout=30000)
        expect_label(page, "Kaart van Minimahuishoudens")
        assert page.get_by_text("gebied (Amsterdam)").first.is_visible()
        page.goto(f"{url}/buurtprofiel?area=BU0363AA01")
        heading = page.get_by_role("heading", name="Armoede, drie maten naast elkaar")
        heading.wait_for(timeout=30000)
        # the heading can arrive a moment before the explanation below it
        why = page.get_by_text("Waarom de cijfers verschillen").first
        why.wait_for(state="visible", timeout=30000)
        assert why.is_visible()


def timing_lines(log) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def settled_runs(log, quiet: float = 2.0, timeout: float = 30.0) -> list[dict]:
    """The logged script runs once no new one has come for `quiet` seconds."""
    deadline, seen, since = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        runs = timing_lines(log)
        if len(runs) != seen:
            seen, since = len(runs), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return runs
        time.sleep(0.2)
    raise AssertionError(f"script runs did not settle: {timing_lines(log)[-5:]}")


@contextmanager
def logged_app(store: str, tmp_path):
    """The app writing a timing line per script or fragment run, and a browser page."""
    log = tmp_path / "timing.jsonl"
    env = {"DASHBOARD_TIMING_LOG": str(log)}
    with streamlit_server(store, env=env) as (url, _), chromium_page() as page:
        yield url, page, log


def test_a_switch_on_the_map_reruns_only_the_map(built_store, tmp_path):
    with logged_app(built_store.store, tmp_path) as (url, page, log):
        page.goto(f"{url}/kaart")
        first = wait_for_map(page)
        before = settled_runs(log)
        assert before and before[-1]["page"] == "kaart" and "focus" in before[-1]["sections"]
        page.get_by_text("Toon aandachtsbuurten (omlijning)").click()
        wait_for_map(page, first)
        after = settled_runs(log)[len(before) :]
        assert after and {run["page"] for run in after} == {"kaart#map"}, after
        assert "focus" not in after[0]["sections"] and "model" in after[0]["sections"]
        # the map's table is sent only once its expander is opened
        tables = page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]')
        assert tables.count() == 0
        page.get_by_text("Tabel bij de kaart").click()
        tables.first.wait_for(timeout=30000)


def test_another_year_on_the_change_map_reruns_only_the_change_map(built_store, tmp_path):
    with logged_app(built_store.store, tmp_path) as (url, page, log):
        page.goto(f"{url}/suburbanisatie?year_a=2015&year_b=2019&level=wijk")
        first = wait_for_map(page)
        before = settled_runs(log)
        assert before[-1]["page"] == "suburbanisatie" and "index" in before[-1]["sections"]
        page.get_by_role("combobox").first.click()
        page.keyboard.type("2016")
        page.keyboard.press("Enter")
        wait_for_map(page, first)
        page.wait_for_url(re.compile(r"year_a=2016"))
        after = settled_runs(log)[len(before) :]
        assert after and {run["page"] for run in after} == {"suburbanisatie#change"}, after
        # the URL's years were given to the widgets once: the choice in the fragment stays
        assert "2016" in page.get_by_role("combobox").first.input_value()
        assert "year_b=2019" in page.url and "level=wijk" in page.url


TRACE_SIZES = """() => [...window.__rcMapRoot.querySelectorAll('.choroplethlayer .trace')]
    .map((trace) => trace.querySelectorAll('path.choroplethlocation').length)"""


def test_the_harmonised_change_map_compares_2015_with_2024_buurt_by_buurt(built_store):
    areas = open_store(built_store.store).areas(geometry=False)
    newest = areas[(areas["year"] == areas["year"].max()) & (areas["level"] == "buurt")]
    with streamlit_server(built_store.store) as (url, _), chromium_page() as page:
        page.goto(f"{url}/suburbanisatie?year_a=2015&year_b=2024&harmonised=1")
        wait_for_map(page)
        expect(page.get_by_text(re.compile(r"^Vergeleken: \d"))).to_be_visible(timeout=30000)
        # wait for the condition itself: the 2025 buurten drawn, the estimated ones outlined
        page.wait_for_function(
            f"() => ({TRACE_SIZES})()[0] >= {int(0.9 * len(newest))}", timeout=30000
        )
        drawn, outlined = page.evaluate(TRACE_SIZES)  # the buurten, the estimated outlines
        assert drawn <= len(newest) and 0 < outlined < drawn, (drawn, outlined)
        assert page.get_by_text("geschat (geharmoniseerd)").first.is_visible()  # in the legend
        assert "harmonised=1" in page.url and "level=buurt" in page.url
        page.goto(f"{url}/suburbanisatie?year_a=2015&year_b=2024&level=buurt")
        wait_for_map(page)
        page.wait_for_function(f"() => ({TRACE_SIZES})().length === 1", timeout=30000)
        assert page.evaluate(TRACE_SIZES)[0] < drawn  # on own boundaries: fewer compared


def test_the_map_page_loads_plotly_once(built_store):
    """The focus-count chart is drawn with the Plotly.js the map loads: Streamlit's own
    plotly bundle (4.7 MB) is not fetched on the first page."""
    with streamlit_server(built_store.store) as (url, _), chromium_page() as page:
        scripts: list[str] = []
        page.on("request", lambda r: scripts.append(r.url) if r.url.endswith(".js") else None)
        page.goto(f"{url}/kaart")
        wait_for_map(page)
        chart = page.locator(".rc-chart").first
        expect(chart).to_have_attribute("data-signature", re.compile("."), timeout=30000)
        expect(chart).to_have_attribute("aria-label", "Aantal aandachtsbuurten per gemeente")
        assert page.locator(".rc-chart .scatterlayer .trace").count() > 0
        plotly = [s for s in scripts if "plotly" in s.lower()]
        assert len(plotly) == 1 and plotly[0].endswith(data.plotly_js_url()), plotly
