"""A real `streamlit run` and headless Debian Chromium, for browser tests and the benchmark."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geodata.config import PROJECT_DIR
from pipelines.mirror import free_port

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def streamlit_server(
    store: str | Path, timeout: float = 60
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run the app on a free port with `store` (a path or URL); yields (base URL, process)."""
    port = free_port()
    env = {**os.environ, "GEODATA_STORE": str(store)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(PROJECT_DIR / "streamlit_app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited: {process.stderr.read().decode(errors='replace')}"
                )
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not start in time") from None
                time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def chromium_page(width: int = 1400, height: int = 1000):
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


def wait_for_map(page, previous_signature: str | None = None, timeout: float = 30.0) -> str:
    """Wait until the map has drawn (a new signature when `previous_signature` is given).

    The component lives in a shadow root, which Playwright's locators pierce (document
    queries in page scripts would not).
    """
    locator = page.locator(".rc-map")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if locator.count():
            signature = locator.first.get_attribute("data-signature")
            if signature and signature != previous_signature:
                return signature
            error = locator.first.get_attribute("data-error")
            if error:
                raise RuntimeError(f"the map failed to draw: {error}")
        time.sleep(0.02)
    raise TimeoutError(f"the map did not (re)draw within {timeout:.0f} s")


def record_outside_requests(page) -> list[str]:
    """URLs the page requests from anywhere but this machine (the app must work offline)."""
    outside: list[str] = []
    local = ("http://127.0.0.1", "data:", "blob:")
    page.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith(local) else None,
    )
    return outside


def wait_until_idle(page, timeout: float = 60.0) -> None:
    """Wait until the page's script run has finished and its elements have settled."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout * 1000
    )
    page.wait_for_timeout(800)  # charts and components draw after the run ends
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout * 1000
    )


_VISIBLE_TEXTS = """() => {
  const texts = [];
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        if (node.shadowRoot) visit(node.shadowRoot);
        continue;
      }
      const text = node.textContent.trim();
      const parent = node.parentElement;
      if (!text || !parent || ["SCRIPT", "STYLE", "NOSCRIPT"].includes(parent.tagName)) continue;
      // icon ligatures (material icons) and code spans (paths, codes) are not language
      if (parent.closest('[data-testid="stIconMaterial"], code')) continue;
      if (parent.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) texts.push(text);
    }
  };
  visit(document.body);
  return texts;
}"""


def visible_texts(page) -> list[str]:
    """Every visible text node of the page, inside shadow roots and SVG (plotly) too."""
    return list(page.evaluate(_VISIBLE_TEXTS))
