"""Harmonisation benchmark: the region as built, and a synthetic region ten times its size.

Prints, as medians of ``--repeat`` runs (outside ``make test``):
- for the store built from the mirror: the time of the crosswalk, the measured push-down
  error and the harmonised values (`pipelines.harmonise.tables`), beside the time of a bare
  ``pivot_table`` of the same values (the floor of any per-edition reshaping);
- the same for a SYNTHETIC region: the built region copied ten times side by side (each copy
  shifted 100 km east, its codes suffixed), so the divisions, redivisions and values are real
  in shape but the region is not (target: within 60 s).

Usage: ``python benchmarks/harmonise.py [--repeat 3] [--copies 10]``. Builds a store from the
mirror in a temporary folder first (MIRROR_DIR as in the README), or uses ``--store PATH``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geodata.backends import open_store  # noqa: E402
from geodata.catalogue import load_catalogue  # noqa: E402
from geodata.config import settings_from_env  # noqa: E402
from pipelines import harmonise  # noqa: E402
from pipelines import mirror as mirror_mod  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from app import median_seconds  # noqa: E402

SHIFT = 100_000.0  # metres between the copies of the synthetic region


def built_store(folder: Path) -> Path:
    """A store built from the mirror in `folder` (the build's own output is not timed here)."""
    with mirror_mod.running_mirror(settings_from_env().mirror_dir) as mirror:
        env = {
            "CBS_ODATA_URL": f"{mirror.url}/cbs",
            "PDOK_URL": f"{mirror.url}/pdok",
            "AMSTERDAM_API_URL": f"{mirror.url}/amsterdam",
            "GEODATA_STORE": str(folder / "store.gpkg"),
            "GEODATA_CACHE_DIR": str(folder / "cache"),
        }
        subprocess.run(
            [sys.executable, "-m", "pipelines", "build", "--no-harmonise"],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return folder / "store.gpkg"


def copies(areas: gpd.GeoDataFrame, values: pd.DataFrame, n: int) -> dict[str, pd.DataFrame]:
    """The region `n` times side by side: every code suffixed with its copy, every outline
    shifted east by `SHIFT` per copy (SYNTHETIC: for timing only)."""
    code_columns = ("code", "gemeente_code", "wijk_code")
    area_parts, value_parts = [], []
    for k in range(n):
        suffix = f"_{k}"
        copy = areas.copy()
        for column in code_columns:
            copy[column] = copy[column].where(copy[column].isna(), copy[column] + suffix)
        copy["geometry"] = copy.geometry.translate(xoff=k * SHIFT)
        area_parts.append(copy)
        value_parts.append(values.assign(area_code=values["area_code"] + suffix))
    return {
        "areas": gpd.GeoDataFrame(pd.concat(area_parts, ignore_index=True), crs=areas.crs),
        "indicator_values": pd.concat(value_parts, ignore_index=True),
    }


def report(label: str, tables: dict[str, pd.DataFrame], repeat: int) -> None:
    catalogue = {i.id: i for i in load_catalogue()}
    values = tables["indicator_values"]
    buurten = int((tables["areas"]["level"] == "buurt").sum())
    made = harmonise.tables(tables, catalogue)
    ours = median_seconds(lambda: harmonise.tables(tables, catalogue), repeat)
    floor = median_seconds(
        lambda: values.pivot_table(
            index=["year", "area_code"], columns="indicator", values="value", aggfunc="first"
        ),
        repeat,
    )
    print(f"\n== {label}: {buurten:,} buurt outlines over all years, {len(values):,} values ==")
    print(f"harmonisation (crosswalk, error, values), median: {ours:7.2f} s")
    print(f"  beside a bare pivot_table of the same values:   {floor:7.2f} s ({ours / floor:.0f}x)")
    print(
        f"  made: {len(made['crosswalk']):,} links, {len(made['harmonised_values']):,} "
        f"harmonised values, {len(made['harmonisation_errors']):,} error rows"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--store", type=Path, help="a built store (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or built_store(Path(tmp))
        source = open_store(path)
        areas, values = source.areas(), source.values()
    tables = {"areas": areas, "indicator_values": values}
    report("the region as built from the mirror", tables, args.repeat)
    synthetic = copies(areas, values, args.copies)
    report(f"SYNTHETIC region, {args.copies} copies side by side", synthetic, args.repeat)
    print("  (target: within 60 s for ten copies)")


if __name__ == "__main__":
    main()
