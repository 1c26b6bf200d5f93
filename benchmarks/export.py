"""Export benchmark: the whole region, all indicators and all years, as CSV and as XLSX.

Prints the median time (in-process, excluding interpreter start-up) over --repeat runs, for
the long and the wide layout. Targets: CSV under 2 s, XLSX under 10 s.
Uses GEODATA_STORE when it holds data, else builds a store from the mirror first.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geodata import export  # noqa: E402
from geodata.config import settings_from_env  # noqa: E402
from geodata.store import open_store  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from app import ensure_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings_from_env()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        source = open_store(ensure_store(tmp))
        for layout in ("long", "wide"):
            for fmt in ("csv", "xlsx"):
                times, rows, size = [], 0, 0
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    path, rows = export.run(
                        source, export.ExportRequest(layout=layout), fmt, tmp / f"export.{fmt}"
                    )
                    times.append(time.perf_counter() - started)
                    size = path.stat().st_size
                print(
                    f"{fmt:<5} {layout:<5} {rows:>8,} rows {size / 1e6:7.1f} MB: median {statistics.median(times):6.2f} s"
                )


if __name__ == "__main__":
    main()
