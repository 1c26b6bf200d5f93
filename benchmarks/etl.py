"""ETL benchmark against the local mirror: cold and warm builds, peak memory, and cbsodata.

Prints:
- the full cold build time (empty cache, empty store) and the time of a rebuild with nothing
  new (every response from the cache and equal to the store's: "up to date", nothing written),
  with its ratio to the cold build (target: at most 0.2);
- the cold build without the harmonised buurt series (``--no-harmonise``) beside it, and the
  share the harmonisation adds (target: at most 30 %);
- the peak memory (max RSS) of the build process;
- the number of requests of a cold build and the longest query string it sent (the mirror's
  ``/__stats``; CBS refuses more than 2,048 characters);
- the time to pull the ten KWB TypedDataSets cold with our pipeline, and with the `cbsodata`
  package (sequential requests) using the same tables, $select and $filter, and the ratio;
each with the mirror as it is and with ``--latency 0.3`` (a realistic round trip to CBS).

Usage: ``python benchmarks/etl.py [--repeat 3]`` (MIRROR_DIR as in the README).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geodata.catalogue import load_catalogue  # noqa: E402
from geodata.config import load_region, settings_from_env  # noqa: E402
from pipelines import cbs_odata, editions, kwb  # noqa: E402
from pipelines import mirror as mirror_mod  # noqa: E402
from pipelines._http import HttpClient  # noqa: E402


def run_build(env: dict[str, str], *flags: str) -> tuple[float, float]:
    """One `python -m pipelines build` in a child process: (seconds, child max RSS in MB so far)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipelines", "build", *flags],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def kwb_editions(http: HttpClient, base: str) -> list[editions.KwbEdition]:
    """The KWB editions a build would pull (from the CBS catalog, as the build finds them)."""
    region = load_region()
    offers = editions.discover(http, base, region, (kwb.SOURCE,))
    return [offers.kwb[y] for y in region.kwb_years_within(offers.kwb)]


def kwb_plans(base: str) -> dict[int, tuple[str, list[dict[str, str]]]]:
    """Per year: table id and the requests ($select, $filter) this pipeline sends (untimed)."""
    region, catalogue = load_region(), load_catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        http = HttpClient(Path(tmp))
        plans = {}
        for edition in kwb_editions(http, base):
            year, table_id = edition.year, edition.table_id
            topics = cbs_odata.parse_topics(
                cbs_odata.rows_of(cbs_odata.fetch_data_properties(http, base, table_id))
            )
            plan = kwb.plan_columns(topics, catalogue, year, table_id)
            gemeenten = [g.code for g in region.gemeenten_in_kwb_year(year)]
            url = cbs_odata.feed_url(base, table_id, "TypedDataSet")
            plans[year] = (table_id, kwb.plan_requests(url, plan.keys, gemeenten))
    return plans


def mirror_stats(url: str, reset: bool = False) -> dict:
    request = urllib.request.Request(f"{url}/__reset", method="POST") if reset else f"{url}/__stats"
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def ours_kwb_cold(base: str) -> float:
    region, catalogue = load_region(), load_catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        http = HttpClient(Path(tmp))
        chosen = kwb_editions(http, base)  # the catalog, asked before the clock starts
        started = time.perf_counter()
        kwb.run(http, base, region, chosen, catalogue)
        return time.perf_counter() - started


def cbsodata_kwb(base: str, plans: dict[int, tuple[str, list[str], str]]) -> float:
    import cbsodata
    from cbsodata import cbsodata3

    cbsodata3.options.use_https = False
    cbsodata3.options.catalog_url = base.removeprefix("http://")
    started = time.perf_counter()
    for table_id, requests in plans.values():
        for params in requests:
            # typed=False makes cbsodata 1.3.5 download the TypedDataSet (its flag is inverted).
            rows = cbsodata.get_data(
                table_id,
                typed=False,
                select=params["$select"].split(","),
                filters=params["$filter"],
            )
            assert rows, table_id
    return time.perf_counter() - started


def scenario(label: str, mirror_args: list[str], repeat: int) -> None:
    mirror_dir = settings_from_env().mirror_dir
    with mirror_mod.running_mirror(mirror_dir, *mirror_args) as mirror:
        base = f"{mirror.url}/cbs"
        print(f"\n== mirror {label} ==")
        colds, plain, warms, rss, requests, longest = [], [], [], 0.0, 0, {}
        for _ in range(repeat):
            for flags, times in (((), colds), (("--no-harmonise",), plain)):
                with tempfile.TemporaryDirectory() as tmp:
                    env = {
                        "CBS_ODATA_URL": base,
                        "PDOK_URL": f"{mirror.url}/pdok",
                        "AMSTERDAM_API_URL": f"{mirror.url}/amsterdam",
                        "GEODATA_STORE": f"{tmp}/store.gpkg",
                        "GEODATA_CACHE_DIR": f"{tmp}/cache",
                    }
                    mirror_stats(mirror.url, reset=True)
                    cold, rss = run_build(env, *flags)
                    times.append(cold)
                    if flags:
                        continue
                    stats = mirror_stats(mirror.url)
                    requests, longest = stats["total"], stats["longest_query"]
                    warm, rss = run_build(env)
                    warms.append(warm)
        cold, without = statistics.median(colds), statistics.median(plain)
        print(f"full build, cold (median of {repeat}):   {cold:6.2f} s")
        print(f"  the same, --no-harmonise (median):     {without:6.2f} s")
        print(
            f"  harmonisation adds:                    {cold / without - 1:6.0%}  (target <= 30 %)"
        )
        warm = statistics.median(warms)
        print(f"rebuild, nothing new (median):           {warm:6.2f} s")
        print(f"  beside the cold build:                 {warm / cold:6.2f}x  (target <= 0.2)")
        print(f"peak memory of a build process (max):    {rss:6.0f} MB")
        print(f"requests of a cold build (incl. retries): {requests:5d}")
        print(
            "longest query string sent:               "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(longest.items()))
            + " characters (CBS limit 2,048)"
        )
        plans = kwb_plans(base)
        ours = statistics.median(ours_kwb_cold(base) for _ in range(repeat))
        theirs = statistics.median(cbsodata_kwb(base, plans) for _ in range(repeat))
        print(f"KWB 10 tables cold, this pipeline:       {ours:6.2f} s")
        print(f"KWB 10 tables, cbsodata (same filters):  {theirs:6.2f} s")
        print(f"ratio pipeline / cbsodata:               {ours / theirs:6.2f}  (target <= 0.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scenario("as is", [], args.repeat)
    scenario("--latency 0.3", ["--latency", "0.3"], args.repeat)


if __name__ == "__main__":
    main()
