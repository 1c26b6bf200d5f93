"""Which words belong to one language only, from the interface texts and the catalogue.

A word (five letters or more) that only the other language's texts use must not show on a
page. Names of places and areas are the same in both languages and are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.i18n import TEXTS
from geodata.backends import open_store
from geodata.catalogue import load_catalogue

WORD = re.compile(r"[^\W\d_]{5,}")  # five letters or more; shorter words are ambiguous


def words(texts: list[str]) -> set[str]:
    """The (lower-cased) words of `texts`, leaving out `{placeholders}`."""
    return {w.lower() for text in texts for w in WORD.findall(re.sub(r"\{[^}]*\}", " ", text))}


def interface_texts(lang: str) -> list[str]:
    """The interface and catalogue texts of one language."""
    index = 0 if lang == "nl" else 1
    texts = [pair[index] for pair in TEXTS.values()]
    for indicator in load_catalogue():
        texts += [indicator.label(lang), indicator.description(lang), indicator.group_label(lang)]
    return texts


def proper_names(store: str | Path) -> set[str]:
    """Words of place and area names in the store (the same in both languages)."""
    areas = open_store(store).areas(geometry=False)
    return words([str(n) for n in areas["name"].dropna().unique()])


def foreign_words(store: str | Path) -> dict[str, set[str]]:
    """Per page language, the words of the other language that must not show on it."""
    names = proper_names(store)
    vocabulary = {lang: words(interface_texts(lang)) for lang in ("nl", "en")}
    return {
        "nl": vocabulary["en"] - vocabulary["nl"] - names,
        "en": vocabulary["nl"] - vocabulary["en"] - names,
    }


def foreign_words_in(texts: list[str], foreign: set[str]) -> dict[str, str]:
    """Each foreign word found, with (the start of) the text it was found in."""
    found: dict[str, str] = {}
    for text in texts:
        for word in WORD.findall(text):
            if word.lower() in foreign:
                found.setdefault(word, text[:120])
    return found
