"""Hostile tests: faults, kills, corrupt files and fuzzed input. They run in CI like every test.

`tmpfs` mounts a small file system (as root); it is how a full disk and a read-only folder are
made real. Outside CI, without root, those tests skip with the reason; in CI they must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from geodata.config import PROJECT_DIR


def _need_root(what: str) -> None:
    if os.geteuid() == 0 and shutil.which("mount"):
        return
    reason = f"{what} needs root to mount a tmpfs"
    if os.environ.get("CI"):
        pytest.fail(f"In CI this must run: {reason}")
    pytest.skip(reason)


@pytest.fixture
def tmpfs(tmp_path) -> Iterator[callable]:
    """mount(size) -> a fresh tmpfs folder of that size; unmounted afterwards."""
    mounted: list[Path] = []

    def mount(size: str = "4m", read_only: bool = False) -> Path:
        _need_root("a tmpfs")
        folder = tmp_path / f"fs{len(mounted)}"
        folder.mkdir()
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True
        )
        mounted.append(folder)
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], check=False)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def cli(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m pipelines ...` in a child process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        cwd=PROJECT_DIR,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
