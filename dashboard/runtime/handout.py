"""A printable hand-out of a deck: every slide a page of one PDF, offline.

    python -m dashboard.runtime.handout DECK -o deck.pdf [--notes] [--lang nl|en]

DECK is the name of a deck in `decks/` or the path of a deck file. The hand-out prints the real
pages: the app is started on a free local port (on the store `GEODATA_STORE` points at),
Debian's headless Chromium opens the deck's hand-out view (`/presenteren?view=handout`: all
slides one after another, a page break after each, the figures at a fixed size, the captions,
source lines and test-data note as on screen, the speaker notes when asked) and prints it to
PDF. This is chosen over plotly's static image export because that needs a browser too
(Kaleido 1.x drives Chrome, and would download one when none is found) and would not carry
the page's texts; Chromium is already needed for the browser tests and is installed offline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from dashboard import deck
from dashboard.runtime.headless import chromium_page, streamlit_server, wait_until_idle
from geodata.config import settings_from_env
from geodata.errors import GeodataError

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: A4 landscape at 96 px per inch: the width the hand-out view lays its pages out for.
PAGE_WIDTH, PAGE_HEIGHT = 1123, 794


class HandoutError(GeodataError):
    """The hand-out could not be made; the message says why and what to do."""


def handout_url(base: str, name: str, lang: str, notes: bool) -> str:
    query = {"deck": name, "view": "handout", "lang": lang, "notes": "1" if notes else "0"}
    return f"{base}/presenteren?{urlencode(query)}"


def _slides_in(path: Path) -> int:
    """How many slides the file has (a broken file is refused before anything starts)."""
    checked = deck.parse_deck(path.read_text(encoding="utf-8"), deck.DeckContext({}))
    if checked.error:
        raise HandoutError(f"The deck {path} cannot be used: {checked.error}")
    return len(checked.slides)


def render_pdf(path: Path, store: str, lang: str = "nl", notes: bool = False) -> bytes:
    """The hand-out of the deck file at `path`, printed from the app on `store`."""
    from playwright.sync_api import Error as BrowserError

    count = _slides_in(path)
    with tempfile.TemporaryDirectory(prefix="armoede-handout-") as folder:
        shutil.copy(path, Path(folder) / f"{path.stem}.json")
        env = {"DASHBOARD_DECKS_DIR": folder}
        try:
            with (
                streamlit_server(store, env=env) as (base, _),
                chromium_page(PAGE_WIDTH, PAGE_HEIGHT) as page,
            ):
                return _print(page, handout_url(base, path.stem, lang, notes), count)
        except BrowserError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise HandoutError(
                f"Chromium could not print the hand-out of {path.name}: {first}. Open the deck "
                "in the app (/presenteren) to see whether every slide draws, then try again."
            ) from exc


def _print(page: Page, url: str, count: int) -> bytes:
    """Open the hand-out view, wait until every slide has drawn, print it."""
    page.goto(url)
    page.locator(".st-key-handout-end").wait_for(state="attached", timeout=120_000)
    wait_until_idle(page)
    if page.locator(".js-plotly-plot").count() < 1 and count:
        raise HandoutError("No slide was drawn; check the deck in the app first.")
    page.emulate_media(media="print")
    return bytes(page.pdf(format="A4", landscape=True, print_background=True))


def deck_path(name_or_path: str) -> Path:
    """A deck by its name in `decks/` or by its file path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".json" and candidate.is_file():
        return candidate
    shipped = deck.deck_files(deck.DECKS_DIR)
    if name_or_path in shipped:
        return shipped[name_or_path]
    raise HandoutError(
        f"No deck {name_or_path!r}: give a file path or one of {', '.join(shipped) or '(none)'}."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.runtime.handout", description=__doc__
    )
    parser.add_argument("deck", help="a deck name in decks/ or the path of a deck file")
    parser.add_argument("-o", "--output", required=True, help="the PDF to write")
    parser.add_argument("--notes", action="store_true", help="print the speaker notes too")
    parser.add_argument("--lang", choices=["nl", "en"], default="nl")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    args = parser.parse_args(argv)
    try:
        pdf = render_pdf(deck_path(args.deck), settings_from_env().store, args.lang, args.notes)
        output = Path(args.output)
        tmp = output.with_name(f".{output.name}.tmp-{os.getpid()}")
        tmp.write_bytes(pdf)
        os.replace(tmp, output)
    except (GeodataError, OSError, RuntimeError) as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {args.output} ({len(pdf) // 1024} KB).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
