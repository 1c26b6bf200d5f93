"""Load benchmark of the server: many sessions at once, without browsers.

Browsers' software WebGL eats these 2-core machines long before the app server does, so the
load is driven by a client of Streamlit's own websocket protocol (`tests.streamlit_client`):
each simulated session opens the map page and asks for reruns with a changed query string
(the pages read their state from the URL); each rerun is timed from sending it to the
script-finished message. Printed per store backend (GeoPackage, PostGIS), per number of
workers (1, 2) and per number of sessions (1, 10, 30, 100): median and p95 rerun time,
first-open median, errors, bytes per rerun, server RSS per worker and CPU use. One headless
Chromium page then switches the indicator while 10 sessions run, to confirm the figures for
a real page. Also the cold build into PostGIS against the cold build into the GeoPackage.

Usage: ``python benchmarks/load.py [--sessions 1,10,30,100] [--reruns 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.runtime.serve import serving  # noqa: E402
from geodata.config import settings_from_env  # noqa: E402
from geodata.loopback import free_port  # noqa: E402
from pipelines import mirror as mirror_mod  # noqa: E402
from pipelines.build import build  # noqa: E402
from tests import pg  # noqa: E402
from tests.streamlit_client import Session  # noqa: E402

INDICATORS = [
    "low_income_households_pct",
    "income_per_inhabitant_keur",
    "population",
    "welfare_per_1000",
    "social_housing_pct",
    "woz_mean_keur",
]
YEARS = {"low_income_households_pct": [2019, 2021, 2023], "persons_in_poverty_pct": [2024]}


def query(rng: random.Random) -> str:
    indicator = rng.choice(INDICATORS)
    year = rng.choice(YEARS.get(indicator, [2019, 2020, 2022, 2024]))
    level = rng.choice(["buurt", "buurt", "wijk", "gemeente"])
    return f"indicator={indicator}&year={year}&level={level}"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        if ordered
        else float("nan")
    )


async def one_session(url: str, seed: int, reruns: int) -> tuple[float | None, list, int]:
    rng = random.Random(seed)
    session = Session(url, "kaart")
    errors = 0
    try:
        first = await session.open(query(rng))
        opened = first.seconds if first.finished and not first.exceptions else None
        errors += first.exceptions + (not first.finished)
        for _ in range(reruns):
            await asyncio.sleep(rng.uniform(0.2, 1.0))  # a user reads before switching
            run = await session.rerun(query(rng))
            errors += run.exceptions + (not run.finished)
    except (TimeoutError, OSError, AssertionError):
        return None, session.runs[1:], errors + 1
    finally:
        await session.close()
    return opened, session.runs[1:], errors


async def load(url: str, sessions: int, reruns: int) -> dict:
    started = time.perf_counter()
    results = await asyncio.gather(*(one_session(url, i, reruns) for i in range(sessions)))
    runs = [r for _, rs, _ in results for r in rs]
    opens = [o for o, _, _ in results if o is not None]
    return {
        "median": statistics.median(r.seconds for r in runs) * 1000 if runs else float("nan"),
        "p95": p95([r.seconds for r in runs]) * 1000,
        "open": statistics.median(opens) * 1000 if opens else float("nan"),
        "errors": sum(e for _, _, e in results),
        "kb": statistics.median(r.received for r in runs) / 1024 if runs else float("nan"),
        "wall": time.perf_counter() - started,
    }


def proc_stat(pid: int) -> tuple[float, float]:
    """(CPU seconds, RSS MB) of one process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    return cpu, rss


def browser_check(url: str) -> float:
    """Median indicator switch of one real Chromium page while 10 sessions load the server."""
    from tests.dashboard.browser import chromium_page, wait_for_map

    async def background() -> None:
        await load(url, 10, 4)

    import threading

    thread = threading.Thread(target=lambda: asyncio.run(background()))
    times = []
    with chromium_page() as page:
        page.goto(f"{url}/kaart")
        wait_for_map(page, timeout=120)
        thread.start()
        for i in range(6):
            before = page.locator(".rc-map").first.get_attribute("data-signature")
            picker = page.locator('[data-testid="rc-indicator-select"]')
            started = time.perf_counter()
            picker.select_option(label=["Inwoners", "Gemiddeld inkomen per inwoner"][i % 2])
            wait_for_map(page, before)
            times.append((time.perf_counter() - started) * 1000)
        thread.join()
    return statistics.median(times)


def cold_build(target: str, mirror_url_settings) -> float:
    with tempfile.TemporaryDirectory() as cache:
        settings = replace(mirror_url_settings, store=target, cache_dir=Path(cache))
        started = time.perf_counter()
        build(settings, log=lambda _: None)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="1,10,30,100")
    parser.add_argument("--reruns", type=int, default=3)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    counts = [int(n) for n in args.sessions.split(",")]
    worker_counts = [int(n) for n in args.workers.split(",")]
    cluster = pg.start_cluster()
    tmp = Path(tempfile.mkdtemp(prefix="armoede-load-"))
    try:
        settings = settings_from_env()
        with mirror_mod.running_mirror(settings.mirror_dir) as mirror:
            base = mirror.settings(settings)
            gpkg_seconds = cold_build(str(tmp / "store.gpkg"), base)
            postgis_seconds = cold_build(cluster.url(), base)
        print(
            f"cold build: GeoPackage {gpkg_seconds:.1f} s, PostGIS {postgis_seconds:.1f} s "
            f"({postgis_seconds / gpkg_seconds:.2f}x; target <= 1.5x)"
        )
        print(
            "backend  workers sessions  rerun median   p95   open median errors KB/rerun "
            "RSS/worker  CPU"
        )
        for backend, store in (("gpkg", str(tmp / "store.gpkg")), ("postgis", cluster.url())):
            for workers in worker_counts:
                with serving(
                    workers, f"127.0.0.1:{free_port()}", free_port(), {"GEODATA_STORE": store}
                ) as (url, processes):
                    asyncio.run(load(url, 1, 1))  # warm the caches of one worker
                    for sessions in counts:
                        before = [proc_stat(p.pid)[0] for p in processes]
                        figures = asyncio.run(load(url, sessions, args.reruns))
                        after = [proc_stat(p.pid) for p in processes]
                        cpu = sum(a[0] for a in after) - sum(before)
                        share = 100 * cpu / figures["wall"] / (os.cpu_count() or 1)
                        rss = max(a[1] for a in after)
                        print(
                            f"{backend:<8} {workers:>7} {sessions:>8} {figures['median']:>9.0f} ms "
                            f"{figures['p95']:>5.0f} ms {figures['open']:>8.0f} ms {figures['errors']:>6} "
                            f"{figures['kb']:>8.0f} {rss:>8.0f} MB {share:>4.0f}%",
                            flush=True,
                        )
                    if backend == "gpkg" and workers == max(worker_counts):
                        print(
                            f"browser indicator switch while 10 sessions load ({workers} workers): "
                            f"median {browser_check(url):.0f} ms",
                            flush=True,
                        )
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
