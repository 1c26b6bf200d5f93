"""The store under faults: damaged, foreign, read-only, full disk, missing folder, kill -9.

Each case ends in one clear line (what, where, what to do), exit code 1, no traceback, and the
old store unchanged.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from geodata.backends import open_store
from geodata.config import PROJECT_DIR
from tests.hostile.conftest import cli, remount_read_only

pytestmark = pytest.mark.mirror


def env_for(settings, store: Path) -> dict[str, str]:
    """Build from the session's cache (no network): the mirror URLs the cache was filled from."""
    return {
        "GEODATA_STORE": str(store),
        "GEODATA_CACHE_DIR": str(settings.cache_dir),
        "CBS_ODATA_URL": settings.cbs_odata_url,
        "PDOK_URL": settings.pdok_url,
        "AMSTERDAM_API_URL": settings.amsterdam_api_url,
    }


def assert_one_clear_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error) == 1, result.stderr
    for word in words:
        assert word in error[0], error[0]


DAMAGE = {
    "random-bytes": lambda p: p.write_bytes(os.urandom(4096)),
    "zero-bytes": lambda p: p.write_bytes(b""),
    "bare-sqlite-header": lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 3]),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_store_is_called_damaged_everywhere(built_store, tmp_path, damage):
    path = tmp_path / "store.gpkg"
    shutil.copy(built_store.store, path)
    DAMAGE[damage](path)
    env = env_for(built_store, path)
    for args in (
        ["status"],
        ["export", "--format", "csv", "-o", str(tmp_path / "x.csv")],
        ["build", "--only", "amsterdam"],
    ):
        result = cli(*args, env=env)
        assert_one_clear_line(result, "damaged", "Move it aside", "python -m pipelines build")
        assert "holds no data" not in result.stderr


def test_a_foreign_geopackage_is_refused_unless_replace(built_store, tmp_path):
    path = tmp_path / "theirs.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"a": [1]}), path, layer="foo", driver="GPKG")
    before = path.read_bytes()
    result = cli("build", "--only", "amsterdam", env=env_for(built_store, path))
    assert_one_clear_line(result, "not a store of this project", "foo", "--replace")
    assert path.read_bytes() == before
    replaced = cli("build", "--only", "amsterdam", "--replace", env=env_for(built_store, path))
    assert replaced.returncode == 0, replaced.stderr
    assert "amsterdam_areas" in open_store(path).tables()


def test_a_read_only_folder_is_one_line_and_the_store_survives(built_store, tmpfs):
    folder = tmpfs("200m")
    path = folder / "store.gpkg"
    shutil.copy(built_store.store, path)
    before = path.read_bytes()
    remount_read_only(folder)
    result = cli("build", "--only", "amsterdam", env=env_for(built_store, path))
    assert_one_clear_line(result, "read-only", str(folder), "GEODATA_STORE")
    assert path.read_bytes() == before


def test_a_full_disk_is_one_line_and_the_store_survives(built_store, tmpfs):
    size = Path(built_store.store).stat().st_size
    folder = tmpfs(f"{size // 1024 + 2048}k")  # room for the store, not for a second copy
    path = folder / "store.gpkg"
    shutil.copy(built_store.store, path)
    before = path.read_bytes()
    result = cli("build", "--only", "amsterdam", env=env_for(built_store, path))
    assert_one_clear_line(result, "full", str(folder), "Free some space")
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [
        "store.gpkg",
        "store.gpkg.lock",
    ]  # no temporary


def test_a_missing_output_folder_for_an_export_is_one_line(built_store, tmp_path):
    result = cli(
        "export",
        "--format",
        "csv",
        "-o",
        str(tmp_path / "nope" / "x.csv"),
        env=env_for(built_store, Path(built_store.store)),
    )
    assert_one_clear_line(result, "does not exist", "nope")


def test_kill_9_during_the_write_leaves_the_old_or_the_new_store(built_store, tmp_path):
    """Killed at random moments, several times: the store is always a sound store, and the
    next build removes the temporaries of the killed ones."""
    path = tmp_path / "store.gpkg"
    shutil.copy(built_store.store, path)
    env = {**os.environ, **env_for(built_store, path)}
    rng = random.Random(7)
    for _ in range(5):
        process = subprocess.Popen(
            [sys.executable, "-m", "pipelines", "build"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(1.0, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        target = open_store(path)
        target.check()
        assert target.row_counts()["indicator_values"] > 100_000
    leftovers = [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name]
    result = cli("build", "--only", "amsterdam", env=env_for(built_store, path))
    assert result.returncode == 0, result.stderr
    assert not [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name]
    if leftovers:
        assert "left behind by a build that was stopped" in result.stdout


@pytest.mark.parametrize("delay", [0.2, 1.5, 3.0])
def test_an_import_during_a_build_is_never_lost(built_store, tmp_path, delay):
    path = tmp_path / "store.gpkg"
    shutil.copy(built_store.store, path)
    csv_path = tmp_path / "flows.csv"
    csv_path.write_text(
        "year,origin_code,destination_code,income_group,households\n"
        "2022,GM0363,GM0479,laag_inkomen,1200\n",
        encoding="utf-8",
    )
    env = {**os.environ, **env_for(built_store, path)}
    build = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "build"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    result = cli("import-flows", str(csv_path), "--source", "test", env=env_for(built_store, path))
    _, err = build.communicate(timeout=300)
    assert build.returncode == 0, err
    assert result.returncode == 0, result.stderr
    target = open_store(path)
    assert list(target.table("income_flows")["households"]) == [1200]
    assert "income_flows" in set(target.table("sources")["source"])
