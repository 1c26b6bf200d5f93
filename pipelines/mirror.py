"""Start the local mirror of the CBS, PDOK and Amsterdam services (for offline runs and tests).

The mirror is a separate program (``serve.py`` in ``MIRROR_DIR``); it is never part of this
project. `start_mirror` runs it on a free loopback port and returns the base URLs to use.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from geodata.config import Settings
from geodata.loopback import free_port
from pipelines.errors import PipelineError


@dataclass
class Mirror:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self, base: Settings) -> Settings:
        """`base` with the three service URLs pointing at this mirror."""
        return replace(
            base,
            cbs_odata_url=f"{self.url}/cbs",
            pdok_url=f"{self.url}/pdok",
            amsterdam_api_url=f"{self.url}/amsterdam",
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def mirror_available(mirror_dir: Path) -> bool:
    return (Path(mirror_dir) / "serve.py").is_file()


def start_mirror(
    mirror_dir: Path, *extra_args: str, port: int | None = None, timeout: float = 20.0
) -> Mirror:
    """Start ``serve.py`` on a free port and wait until it answers."""
    serve = Path(mirror_dir) / "serve.py"
    if not serve.is_file():
        raise PipelineError(
            f"No mirror at {mirror_dir} (serve.py not found). Set MIRROR_DIR to the folder that holds "
            "serve.py, or point CBS_ODATA_URL, PDOK_URL and AMSTERDAM_API_URL at reachable services."
        )
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, str(serve), "--port", str(port), *extra_args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    mirror = Mirror(process, port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise PipelineError(
                f"The mirror at {serve} exited at start (code {process.returncode}): {err.strip()}"
            )
        try:
            with urllib.request.urlopen(f"{mirror.url}/__stats", timeout=1):
                return mirror
        except OSError:
            time.sleep(0.1)
    mirror.stop()
    raise PipelineError(
        f"The mirror at {serve} did not answer on port {port} within {timeout:.0f} s."
    )


@contextmanager
def running_mirror(mirror_dir: Path, *extra_args: str, port: int | None = None) -> Iterator[Mirror]:
    mirror = start_mirror(mirror_dir, *extra_args, port=port)
    try:
        yield mirror
    finally:
        mirror.stop()
