"""Dashboard benchmark: headless Debian Chromium against a real `streamlit run`.

Builds the store from the mirror (or uses GEODATA_STORE when it is set and holds data), then
prints: time to first map render (cold: first visit after start; warm: a new visit), median
and p95 time from changing the indicator to the map being redrawn, the same for the year,
the script run time per rerun, the bytes sent to the browser per redraw, the vertex count of
the display geometry, the server's memory, whether zoom and centre survive a rerun, a map
switch (a fragment rerun: only the map and its legend), the flow and change map redraws, and
a step through the example deck of the presentation page.

Usage: ``python benchmarks/app.py [--switches 12]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import geometry  # noqa: E402
from dashboard.runtime import display  # noqa: E402
from geodata import backends  # noqa: E402
from geodata.config import PROJECT_DIR, settings_from_env  # noqa: E402
from pipelines import mirror as mirror_mod  # noqa: E402
from pipelines.build import build  # noqa: E402
from tests.dashboard.browser import chromium_page, streamlit_server, wait_for_map  # noqa: E402

INDICATORS = [
    "Gemiddeld inkomen per inwoner",
    "Huishoudens met een laag inkomen",
    "Woningen van een woningcorporatie",
    "Huishoudens onder of rond het sociaal minimum",
    "Bijstand per 1.000 inwoners",
    "Gemiddelde WOZ-waarde van woningen",
]


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    """The median wall time of `repeat` calls of `work`, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ensure_store(tmp: Path) -> str:
    """The store to measure, with its display geometry prepared (as `make app` does)."""
    settings = settings_from_env()
    if os.environ.get("GEODATA_STORE") and settings.open_store().has_data():
        display.prepare(settings.open_store(), settings.store)
        return settings.store
    with mirror_mod.running_mirror(settings.mirror_dir) as mirror:
        target = mirror.settings(settings)
        from dataclasses import replace

        target = replace(target, store=str(tmp / "store.gpkg"), cache_dir=tmp / "cache")
        build(target, log=lambda _: None)
        display.prepare(target.open_store(), target.store)
        return target.store


class Frames:
    """Counts websocket bytes the server sends to the page."""

    def __init__(self, page) -> None:
        self.received = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._add))

    def _add(self, payload) -> None:
        self.received += len(payload) if isinstance(payload, bytes | str) else 0


def timed_switch(page, frames: Frames, action, prepare=None) -> tuple[float, int]:
    """Time from `action` (one key press) to the redrawn map; `prepare` runs untimed before."""
    if prepare is not None:
        prepare()
    before = page.locator(".rc-map").first.get_attribute("data-signature")
    start_bytes = frames.received
    pressed = page.evaluate("performance.now()")
    started = time.perf_counter()
    action()
    wait_for_map(page, before)
    elapsed = (time.perf_counter() - started) * 1000
    node = page.locator(".rc-map").first
    received, drawn = (float(node.get_attribute(a)) for a in ("data-received-at", "data-drawn-at"))
    SHARES.append((received - pressed, drawn - received))
    page.wait_for_timeout(400)  # let the rest of the rerun's messages arrive
    return elapsed, frames.received - start_bytes


#: Per timed switch: (ms until the map's data reached the browser, ms the browser then drew).
SHARES: list[tuple[float, float]] = []


def choose_indicator(page, text: str):
    """(prepare, act): nothing to prepare; pick the indicator in the map's picker (timed)."""

    def act() -> None:
        page.locator('[data-testid="rc-indicator-select"]').select_option(label=text)

    return None, act


def step_year(page, key: str):
    def act() -> None:
        page.locator(
            '[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]'
        ).first.focus()
        page.keyboard.press(key)

    return act


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def geo_view(page) -> tuple:
    """Where the map shows two fixed places (screen pixels), rounded: the same numbers mean the
    same view, whatever mix of centre, rotation and translation plotly uses internally."""
    view = page.evaluate(
        "() => { const p = document.querySelector('.rc-map')._fullLayout.geo._subplot.projection;"
        " return [...p([4.8924, 52.3731]), ...p([5.0, 52.5])]; }"
    )
    return tuple(round(v, 1) for v in view)


FLOW_STATE = (
    "() => { const gd = document.querySelector('.js-plotly-plot');"
    " return gd && gd.data ? JSON.stringify(gd.data.map(d => d.line && d.line.width)) : ''; }"
)


def migration_redraws(page, frames: Frames, url: str, n: int) -> tuple[list, list, list, list]:
    """Redraw times and bytes of the flow map (direction switch) and the change map (year)."""
    page.goto(f"{url}/verhuisstromen")
    page.locator(".js-plotly-plot .scattergeo").first.wait_for(timeout=60000)
    flow_ms, flow_bytes = [], []
    labels = ["Naar Amsterdam (vestiging)", "Uit Amsterdam (vertrek)"]
    for i in range(n):
        before = page.evaluate(FLOW_STATE)
        start_bytes = frames.received
        started = time.perf_counter()
        page.locator('[data-testid="stSidebar"]').get_by_text(labels[i % 2], exact=True).click()
        page.wait_for_function(f"(prev) => ({FLOW_STATE})() !== prev", arg=before, polling=20)
        flow_ms.append((time.perf_counter() - started) * 1000)
        page.wait_for_timeout(400)
        flow_bytes.append(frames.received - start_bytes)
    page.goto(f"{url}/suburbanisatie")
    wait_for_map(page, timeout=60)
    change_ms, change_bytes = [], []
    for i in range(n):

        def prepare(i=i) -> None:
            page.get_by_role("combobox").first.click()
            page.keyboard.type(str(2015 + (i % 4) + 1 if i % 2 == 0 else 2015))

        def act() -> None:
            page.keyboard.press("Enter")

        ms, sent = timed_switch(page, frames, act, prepare)
        change_ms.append(ms)
        change_bytes.append(sent)
    return flow_ms, flow_bytes, change_ms, change_bytes


SLIDE_DRAWN = (
    "() => { const p = document.querySelector('.js-plotly-plot');"
    " return p && p._fullLayout && !document.querySelector('[data-stale=\"true\"]'); }"
)


def slide_steps(page, url: str) -> list[float]:
    """Time per step (arrow key -> the next slide's title and chart) through the example deck,
    each slide shown for the first time."""
    deck_file = PROJECT_DIR / "decks" / "suburbanisatie-van-armoede.json"
    titles = [s["title"] for s in json.loads(deck_file.read_text(encoding="utf-8"))["slides"]]
    page.goto(f"{url}/presenteren?deck=suburbanisatie-van-armoede&slide=1")
    page.get_by_role("heading", name=titles[0]).wait_for(timeout=60000)
    page.wait_for_function(SLIDE_DRAWN, timeout=60000)
    page.wait_for_timeout(1500)
    times = []
    for title in titles[1:]:
        started = time.perf_counter()
        page.keyboard.press("ArrowRight")
        page.get_by_role("heading", name=title).wait_for(timeout=60000)
        page.wait_for_function(SLIDE_DRAWN, timeout=60000)
        times.append((time.perf_counter() - started) * 1000)
        page.wait_for_timeout(1500)  # a facilitator talks before the next step
    return times


PLAIN_SIGNATURE = (
    "() => { const gd = document.querySelector('.js-plotly-plot');"
    " return gd && gd.data && gd.data[0] ? JSON.stringify(gd.data[0].z.slice(0, 400)) : ''; }"
)


def plain_switches(page, store_path: str, app_url: str, n: int) -> list[float]:
    """The baseline: indicator switch -> redraw on a plain plotly page (benchmarks/plain_map.py)
    with the same geometry, in this run and the same browser."""
    env = {"PLAIN_TOPOJSON_URL": f"{app_url}/app/static/topojson/"}
    script = Path(__file__).resolve().parent / "plain_map.py"
    times = []
    with streamlit_server(store_path, env=env, script=script) as (url, _):
        page.goto(url)
        page.locator(".js-plotly-plot .choroplethlocation").first.wait_for(timeout=120_000)
        for i in range(n):
            before = page.evaluate(PLAIN_SIGNATURE)
            box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(0)
            box.click()
            page.keyboard.type(INDICATORS[(i + 1) % len(INDICATORS)])
            started = time.perf_counter()
            page.keyboard.press("Enter")
            page.wait_for_function(
                f"(prev) => {{ const s = ({PLAIN_SIGNATURE})(); return s && s !== prev; }}",
                arg=before,
                polling=10,
                timeout=60_000,
            )
            times.append((time.perf_counter() - started) * 1000)
            page.wait_for_timeout(400)
    return times


def flip_switch(page, label: str):
    """Click a switch beside the map (it reruns only the map's fragment)."""

    def act() -> None:
        page.get_by_text(label).click()

    return act


def section_medians(log: Path, page: str = "kaart") -> tuple[list[float], dict[str, float]]:
    """Run totals of `page` and the median per section, from the app's timing log (a
    fragment's own reruns are logged as `kaart#map`)."""
    runs = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    runs = [run for run in runs if run["page"] == page]
    names = sorted({name for run in runs for name in run["sections"]})
    medians = {
        name: statistics.median(run["sections"].get(name, 0.0) for run in runs) for name in names
    }
    return [run["total"] for run in runs], medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--switches", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        store_path = ensure_store(tmp)
        areas = backends.open_store(store_path).areas(year=2024, level="buurt")
        simple = geometry.simplify_coverage(areas)
        timing_log = tmp / "timing.log"
        os.environ["DASHBOARD_TIMING_LOG"] = str(timing_log)
        with streamlit_server(store_path) as (url, process), chromium_page() as page:
            frames = Frames(page)
            started = time.perf_counter()
            page.goto(f"{url}/kaart")
            wait_for_map(page, timeout=120)
            cold = (time.perf_counter() - started) * 1000
            warm = []
            for _ in range(3):
                started = time.perf_counter()
                page.goto(f"{url}/kaart")
                wait_for_map(page)
                warm.append((time.perf_counter() - started) * 1000)
            timing_log.write_text("")
            indicator_ms, indicator_bytes = [], []
            for i in range(args.switches):
                prepare, act = choose_indicator(page, INDICATORS[i % len(INDICATORS)])
                ms, sent = timed_switch(page, frames, act, prepare)
                indicator_ms.append(ms)
                indicator_bytes.append(sent)
            year_ms, year_bytes = [], []
            for i in range(args.switches):
                ms, sent = timed_switch(
                    page, frames, step_year(page, "ArrowLeft" if i % 2 == 0 else "ArrowRight")
                )
                year_ms.append(ms)
                year_bytes.append(sent)
            switch_ms = [
                timed_switch(page, frames, flip_switch(page, "Toon aandachtsbuurten (omlijning)"))[
                    0
                ]
                for _ in range(args.switches)
            ]
            runs, sections = section_medians(timing_log)
            fragment_runs, _ = section_medians(timing_log, "kaart#map")
            # Pan (drag from an empty corner) and zoom (wheel) as a user would, change the
            # indicator and the year, and check the view stayed.
            box = page.locator(".rc-map").first.bounding_box()
            x, y = box["x"] + 200, box["y"] + 100
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + 120, y + 60, steps=10)
            page.mouse.up()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.wheel(0, -200)
            page.wait_for_timeout(800)
            view_before = geo_view(page)
            prepare, act = choose_indicator(page, INDICATORS[args.switches % len(INDICATORS)])
            timed_switch(page, frames, act, prepare)
            timed_switch(page, frames, step_year(page, "ArrowLeft"))
            view_after = geo_view(page)
            flow_ms, flow_bytes, change_ms, change_bytes = migration_redraws(
                page, frames, url, args.switches
            )
            flow_runs, _ = section_medians(timing_log, "verhuisstromen")
            change_runs, _ = section_medians(timing_log, "suburbanisatie#change")
            slide_ms = slide_steps(page, url)
            memory = rss_mb(process.pid)
            plain_ms = plain_switches(page, store_path, url, args.switches)
    print(f"store: {store_path}, 2024 buurten: {len(areas)}")
    print(
        f"display geometry vertices (2024 buurt): {geometry.vertex_count(simple):,} (source {geometry.vertex_count(areas):,})"
    )
    print(f"first map render, cold:              {cold:8.0f} ms")
    print(f"first map render, warm (median of 3): {statistics.median(warm):7.0f} ms")
    print(
        f"indicator switch -> redraw: median {statistics.median(indicator_ms):5.0f} ms, p95 {p95(indicator_ms):5.0f} ms"
    )
    print(
        f"plain plotly page (baseline): median {statistics.median(plain_ms):5.0f} ms, p95 {p95(plain_ms):5.0f} ms"
    )
    ratio = statistics.median(indicator_ms) / statistics.median(plain_ms)
    print(f"indicator switch / baseline:  {ratio:.2f}x (target <= 0.3x)")
    print(
        f"year switch -> redraw:      median {statistics.median(year_ms):5.0f} ms, p95 {p95(year_ms):5.0f} ms"
    )
    print(
        f"script run per rerun:       median {statistics.median(runs):5.0f} ms, p95 {p95(runs):5.0f} ms (n={len(runs)})"
    )
    print(
        f"map switch (outline) -> redraw: median {statistics.median(switch_ms):5.0f} ms; reruns only the map: {statistics.median(fragment_runs):.0f} ms (n={len(fragment_runs)})"
    )
    # a pick recolours in the browser; a year switch goes through the server (a rerun)
    year_shares = SHARES[args.switches : 2 * args.switches]
    arrive = statistics.median(s[0] for s in year_shares)
    draw = statistics.median(s[1] for s in year_shares)
    print(
        f"  of a year switch: data in the browser after {arrive:.0f} ms, drawn {draw:.0f} ms later"
    )
    print(
        "  by section (median ms): "
        + ", ".join(
            f"{name} {ms:.1f}" for name, ms in sorted(sections.items(), key=lambda x: -x[1])
        )
    )
    print(
        f"bytes to the browser per redraw: median {statistics.median(indicator_bytes + year_bytes) / 1024:6.0f} KB"
    )
    print(
        f"flow map redraw (direction):  median {statistics.median(flow_ms):5.0f} ms, p95 {p95(flow_ms):5.0f} ms, median {statistics.median(flow_bytes) / 1024:5.0f} KB, script run {statistics.median(flow_runs):.0f} ms"
    )
    print(
        f"change map redraw (year):     median {statistics.median(change_ms):5.0f} ms, p95 {p95(change_ms):5.0f} ms, median {statistics.median(change_bytes) / 1024:5.0f} KB, rerun (a fragment) {statistics.median(change_runs):.0f} ms"
    )
    print(
        f"slide step (arrow key, example deck): median {statistics.median(slide_ms):5.0f} ms, p95 {p95(slide_ms):5.0f} ms (n={len(slide_ms)})"
    )
    print(f"server memory (RSS): {memory:.0f} MB")
    print(
        f"zoom and centre kept across reruns: {'yes' if view_before == view_after else 'no'} ({view_before} -> {view_after})"
    )


if __name__ == "__main__":
    main()
