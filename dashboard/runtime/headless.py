"""A real `streamlit run` and headless Debian Chromium: for the hand-out (printing the real
pages to PDF), the browser tests and the benchmarks.

Chromium is Debian's (`chromium` on the PATH), never a browser downloaded by Playwright, and
it runs with no sandbox, no GPU and no background networking, so it works offline and as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.runtime.serve import start_worker, wait_healthy
from geodata.loopback import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Page


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def streamlit_server(
    store: str | Path,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    script: Path | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run the app (or another Streamlit `script`) on a free port with `store` (a path or
    URL) and extra environment `env`; yields (base URL, process)."""
    port = free_port()
    env = {**os.environ, **(env or {}), "GEODATA_STORE": str(store)}
    process = start_worker(port, env, script)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, timeout)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def chromium_page(width: int = 1400, height: int = 1000) -> Iterator[Page]:
    """A Playwright page in Debian's chromium (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError(
            "Debian's chromium is not on the PATH; `make test` installs it (apt-get install chromium)."
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


def wait_until_idle(page: Page, timeout: float = 60.0) -> None:
    """Wait until the page's script run has finished and its elements have settled."""
    idle = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page.wait_for_selector(idle, timeout=timeout * 1000)
    page.wait_for_timeout(800)  # charts and components draw after the run ends
    page.wait_for_selector(idle, timeout=timeout * 1000)
