"""Export benchmark: the whole region, all indicators and all years, as CSV and as XLSX.

For the long and the wide layout, prints the median time (in-process, over ``--repeat`` runs)
of a full export (`geodata.export.run`: read the store, select, add names and provenance,
write) beside a bare pandas dump of the same final table in the same run
(``DataFrame.to_csv``; ``DataFrame.to_excel`` with openpyxl), and their ratio.
Targets: CSV within 2.5x its dump, XLSX within 4x.
Uses GEODATA_STORE when it holds data, else builds a store from the mirror first.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geodata import export  # noqa: E402
from geodata.backends import open_store  # noqa: E402
from geodata.config import settings_from_env  # noqa: E402
from geodata.store import Store  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from app import ensure_store, median_seconds  # noqa: E402

TARGETS = {"csv": 2.5, "xlsx": 4.0}


def final_table(source: Store, layout: str) -> pd.DataFrame:
    """The table an export of the whole region writes (computed once, untimed)."""
    inputs = export.read_inputs(source)
    request = export.ExportRequest(layout=layout)
    return export.laid_out(export.export_long(inputs, request), inputs, request)


def bare_dump(table: pd.DataFrame, fmt: str, path: Path) -> None:
    if fmt == "csv":
        table.to_csv(path, index=False)
    else:
        table.to_excel(path, index=False, engine="openpyxl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings_from_env()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        source = open_store(ensure_store(tmp))
        for layout in ("long", "wide"):
            table = final_table(source, layout)
            for fmt in ("csv", "xlsx"):
                request = export.ExportRequest(layout=layout)
                run = functools.partial(export.run, source, request, fmt, tmp / f"export.{fmt}")
                ours = median_seconds(run, args.repeat)
                dump = functools.partial(bare_dump, table, fmt, tmp / f"dump.{fmt}")
                floor = median_seconds(dump, args.repeat)
                size = (tmp / f"export.{fmt}").stat().st_size
                print(
                    f"{fmt:<5} {layout:<5} {len(table):>8,} rows {size / 1e6:6.1f} MB: export "
                    f"{ours:6.2f} s, bare pandas dump {floor:6.2f} s, ratio {ours / floor:5.2f}x "
                    f"(target <= {TARGETS[fmt]}x)"
                )


if __name__ == "__main__":
    main()
