"""A real `streamlit run` and headless Debian Chromium, for browser tests and the benchmark."""

from __future__ import annotations

import time

from dashboard.runtime.headless import (
    CHROMIUM_ARGS,
    chromium_page,
    streamlit_server,
    wait_until_idle,
)

__all__ = ["CHROMIUM_ARGS", "chromium_page", "streamlit_server", "wait_until_idle"]


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
