"""First impression and worker memory: the map page in a fresh browser beside a plain page.

Prints, over ``--runs`` alternating runs (each in a newly launched headless Chromium, so no
browser cache), the median and p95 time from navigation to the map being drawn, for the
product's ``/kaart`` and for the plain plotly page of the same store (`plain_map.py`: one
`st.selectbox` and one `st.plotly_chart` of the same coverage-simplified buurten), both
served offline in this run, and their ratio (target: at most 1.0, aim 0.7). Then the app
worker's memory (RSS) after its first map, and after ``--views`` distinct map views (target:
under 350 MB).

Usage: ``python benchmarks/first_render.py [--runs 7] [--views 100]``.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from app import ensure_store, p95, rss_mb  # noqa: E402

from dashboard.runtime import plotly_bundle  # noqa: E402
from dashboard.runtime.headless import chromium_page, streamlit_server  # noqa: E402
from geodata.backends import open_store  # noqa: E402
from tests.dashboard.browser import wait_for_map  # noqa: E402

PLAIN = ROOT / "benchmarks" / "plain_map.py"


def product_first_render(url: str) -> float:
    """Milliseconds from navigation to the drawn map, in a fresh browser."""
    with chromium_page() as page:
        started = time.perf_counter()
        page.goto(f"{url}/kaart")
        wait_for_map(page, timeout=120)
        return (time.perf_counter() - started) * 1000


def plain_first_render(url: str) -> float:
    """The same for the plain page: navigation to its choropleth's first drawn area."""
    with chromium_page() as page:
        started = time.perf_counter()
        page.goto(url)
        page.locator(".js-plotly-plot .choroplethlocation").first.wait_for(timeout=120_000)
        return (time.perf_counter() - started) * 1000


def distinct_views(store: str, n: int) -> list[str]:
    """`n` distinct map links: indicator x edition x level (all with values in the store)."""
    values = open_store(store).values()
    offered = values.dropna(subset=["value"]).groupby("indicator")["year"].unique()
    links = (
        f"/kaart?indicator={indicator}&year={year}&level={level}"
        for level, (indicator, years) in itertools.product(
            ("buurt", "wijk", "gemeente"), offered.items()
        )
        for year in sorted(years)
    )
    return list(itertools.islice(links, n))


def memory_after_views(url: str, pid: int, links: list[str]) -> tuple[float, float]:
    """The worker's RSS (MB) after its first map and after visiting every link once."""
    with chromium_page() as page:
        page.goto(f"{url}{links[0]}")
        wait_for_map(page, timeout=120)
        first = rss_mb(pid)
        for link in links[1:]:
            page.goto(f"{url}{link}")
            wait_for_map(page, timeout=120)
        return first, rss_mb(pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--views", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = ensure_store(Path(tmp))
        with streamlit_server(store) as (url, _):
            env = {"PLAIN_TOPOJSON_URL": f"{url}/app/static/topojson/"}
            with streamlit_server(store, env=env, script=PLAIN) as (plain_url, _):
                product_first_render(url)  # each server's first visit, untimed
                plain_first_render(plain_url)
                ours, plain = [], []
                for _ in range(args.runs):
                    ours.append(product_first_render(url))
                    plain.append(plain_first_render(plain_url))
            with streamlit_server(store) as (fresh_url, fresh):
                links = distinct_views(store, args.views)
                first, after = memory_after_views(fresh_url, fresh.pid, links)
    print(f"Plotly.js served to the map page: {plotly_bundle.served_bundle().name}")
    print(
        f"first map render, fresh browser: median {statistics.median(ours):6.0f} ms, p95 {p95(ours):6.0f} ms"
    )
    print(
        f"plain plotly page, fresh browser: median {statistics.median(plain):5.0f} ms, p95 {p95(plain):6.0f} ms"
    )
    print(
        f"ratio product / plain page (medians): {statistics.median(ours) / statistics.median(plain):.2f}x (target <= 1.0, aim 0.7)"
    )
    print(
        f"worker RSS after its first map: {first:5.0f} MB; after {len(links)} distinct views: {after:5.0f} MB (target < 350 MB)"
    )


if __name__ == "__main__":
    main()
