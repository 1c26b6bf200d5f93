"""Every page speaks one language: no English on a Dutch page and no Dutch on an English one.

Each visible text node of each page (in headless Chromium, inside charts and components too)
is checked against the interface texts (`dashboard.i18n.TEXTS`) and the catalogue's labels and
explanations: a word that only the other language's texts use must not show. Names of places
and areas are the same in both languages and are left out, as is a deck's own text (a deck
is shown as its author wrote it). Tables are drawn on a canvas, out of reach of the DOM;
`test_app_tables.py` checks them through AppTest. The pages are photographed at 1440×900 into
`benchmarks/results/screenshots/` so a reviewer can look at them.
"""

from __future__ import annotations

import json

import pytest

from geodata.config import PROJECT_DIR
from tests.dashboard.browser import (
    chromium_page,
    streamlit_server,
    visible_texts,
    wait_until_idle,
)
from tests.dashboard.language import foreign_words, foreign_words_in, words

pytestmark = [pytest.mark.mirror, pytest.mark.browser]

SHOTS = PROJECT_DIR / "benchmarks" / "results" / "screenshots"
PAGES = {  # page: its query string besides the language
    "kaart": "",
    "buurtprofiel": "&area=BU03630000",
    "verhuisstromen": "",
    "suburbanisatie": "",
    "exporteren": "",
    "presenteren": "",
    "over": "",
}


def deck_words() -> set[str]:
    """The example deck's own words (its author's language, shown as written)."""
    texts: list[str] = []

    def collect(node: object) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    for path in (PROJECT_DIR / "decks").glob("*.json"):
        collect(json.loads(path.read_text(encoding="utf-8")))
    return words(texts)


def test_no_page_mixes_dutch_and_english(built_store):
    foreign = foreign_words(built_store.store)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, dict[str, str]] = {}
    with streamlit_server(built_store.store) as (url, _), chromium_page(1440, 900) as page:
        for lang in ("nl", "en"):
            for name, query in PAGES.items():
                page.goto(f"{url}/{name}?lang={lang}{query}")
                wait_until_idle(page)
                page.screenshot(path=str(SHOTS / f"{name}_{lang}.png"))
                allowed = deck_words() if name == "presenteren" else set()
                found = foreign_words_in(visible_texts(page), foreign[lang] - allowed)
                if found:
                    problems[f"/{name}?lang={lang}"] = found
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
