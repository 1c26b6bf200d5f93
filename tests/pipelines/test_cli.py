"""The command line: argument parsing, status and ensure-store."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from geodata.config import PROJECT_DIR
from pipelines.__main__ import parse_only, parse_years


def test_parse_years():
    assert parse_years("2015-2017") == [2015, 2016, 2017]
    assert parse_years("2019,2015") == [2015, 2019]
    with pytest.raises(argparse.ArgumentTypeError, match="2015-2024"):
        parse_years("2024-2015")


def test_parse_only_names_unknown_sources():
    assert parse_only("kwb,flows") == ("kwb", "flows")
    with pytest.raises(argparse.ArgumentTypeError, match="weather"):
        parse_only("kwb,weather")


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_status_without_store_says_how_to_build(tmp_path):
    result = run_cli("status", env={"GEODATA_STORE": str(tmp_path / "none.gpkg"), "PATH": ""})
    assert result.returncode == 1
    assert "python -m pipelines build" in result.stderr


@pytest.mark.mirror
def test_status_lists_tables_and_sources(built_store):
    result = run_cli("status", env={"GEODATA_STORE": str(built_store.store)})
    assert result.returncode == 0, result.stderr
    assert "indicator_values" in result.stdout
    assert "boundaries 2024" in result.stdout


def test_ensure_store_without_services_or_mirror_prints_what_to_do(tmp_path):
    env = {
        "GEODATA_STORE": str(tmp_path / "s.gpkg"),
        "CBS_ODATA_URL": "http://127.0.0.1:9/cbs",
        "MIRROR_DIR": str(tmp_path / "nomirror"),
    }
    result = run_cli("ensure-store", env=env)
    assert result.returncode == 2
    assert "Cannot build the store" in result.stderr and "MIRROR_DIR" in result.stderr


@pytest.mark.mirror
def test_ensure_store_falls_back_to_the_mirror_when_offline(tmp_path):
    from tests.conftest import require_mirror

    env = {
        "GEODATA_STORE": str(tmp_path / "s.gpkg"),
        "GEODATA_CACHE_DIR": str(tmp_path / "cache"),
        "MIRROR_DIR": str(require_mirror()),
        # the default (live) hosts are unreachable on this machine; make that quick and certain
        "https_proxy": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
    }
    result = run_cli("ensure-store", "--only", "kwb", "--years", "2024", env=env)
    assert result.returncode == 0, result.stderr
    assert "Starting the local mirror" in result.stdout and "TEST DATA" in result.stdout
    again = run_cli("ensure-store", env=env)
    assert "not rebuilding" in again.stdout


@pytest.mark.mirror
def test_build_with_gaps_exits_3_and_strict_exits_1_without_writing(mirror, tmp_path):
    env = {
        "GEODATA_STORE": str(tmp_path / "s.gpkg"),
        "GEODATA_CACHE_DIR": str(tmp_path / "cache"),
        "CBS_ODATA_URL": f"{mirror.url}/cbs",
        "PDOK_URL": "http://127.0.0.1:9/pdok",  # nothing listens there: boundaries is a gap
        "AMSTERDAM_API_URL": f"{mirror.url}/amsterdam",
    }
    args = ("build", "--only", "kwb,boundaries", "--years", "2019")
    strict = run_cli(*args, "--strict", env=env)
    assert strict.returncode == 1, strict.stderr
    assert "--strict" in strict.stderr and "boundaries 2019" in strict.stderr
    assert not (tmp_path / "s.gpkg").exists()
    assert "Traceback" not in strict.stderr
    result = run_cli(*args, env=env)
    assert result.returncode == 3, result.stderr
    assert "Built with 1 gap(s)" in result.stdout and "Fix: rerun later" in result.stdout
    status = run_cli("status", env=env)
    assert "TEST DATA: kwb" in status.stdout and "1 gap(s) recorded" in status.stdout


@pytest.mark.mirror
def test_check_against_the_mirror_exits_0(mirror):
    env = {
        "CBS_ODATA_URL": f"{mirror.url}/cbs",
        "PDOK_URL": f"{mirror.url}/pdok",
        "AMSTERDAM_API_URL": f"{mirror.url}/amsterdam",
    }
    result = run_cli("check", "--years", "2023-2024", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KWB 2024: 85984NED" in result.stdout and "No problems found." in result.stdout
