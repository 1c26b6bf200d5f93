"""Exports and presentation, cached: export previews and files, decks, slide positions and
the hand-out PDF.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import deck
from dashboard.data.derived import options, years_by_indicator
from dashboard.data.store import StoreRef, _store, is_test_data
from dashboard.models.tables import preview_table
from dashboard.sync import SlidePositions
from geodata import export


def deck_context(ref: StoreRef, lang: str) -> deck.DeckContext:
    """What a deck is checked against: the store's editions per indicator and years of moves."""
    return deck.DeckContext(years_by_indicator(ref), options(ref).flow_years, lang)


def shipped_deck(ref: StoreRef, name: str, lang: str) -> deck.Deck | None:
    """A deck of the decks folder, checked (read on every run: an edited file shows at once)."""
    path = deck.deck_files().get(name)
    if path is None:
        return None
    return deck.parse_deck(path.read_text(encoding="utf-8"), deck_context(ref, lang))


@st.cache_resource(show_spinner=False)
def slide_positions() -> SlidePositions:
    """Where the windows of each presentation are (shared by all sessions of this process)."""
    return SlidePositions()


@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def handout_pdf(ref: StoreRef, name: str, modified: float, lang: str, notes: bool) -> bytes:
    """The hand-out of a shipped deck as PDF (printed by headless Chromium from the real
    pages; `modified` keys the cache on the deck file's time)."""
    from dashboard.runtime import handout

    return handout.render_pdf(deck.deck_files()[name], ref.target, lang, notes)


@st.cache_data(show_spinner=False, max_entries=4)
def export_preview(
    ref: StoreRef, request: export.ExportRequest, lang: str
) -> tuple[pd.DataFrame, int, int]:
    """The first rows of an export as shown (numbers in `lang`), with its row and column count."""
    inputs = export_inputs(ref, request.harmonised)
    long = export.export_long(inputs, request)
    table = export.laid_out(long, inputs, request)
    return preview_table(table.head(20), lang), len(table), len(table.columns)


@st.cache_resource(show_spinner=False, max_entries=2)
def export_inputs(ref: StoreRef, harmonised: bool = False) -> export.ExportInputs:
    """What exports are made from (read once per store version; read-only)."""
    return export.read_inputs(_store(ref), harmonised)


@st.cache_data(show_spinner=False, max_entries=2)
def export_file(
    ref: StoreRef, request: export.ExportRequest, fmt: str, separator: str
) -> tuple[str, bytes]:
    """An export file built in a temporary folder: (generated file name, bytes)."""
    import tempfile

    name = export.default_name(request, fmt, is_test_data(ref))
    with tempfile.TemporaryDirectory() as tmp:
        path, _ = export.run(_store(ref), request, fmt, Path(tmp) / name, separator=separator)
        return name, path.read_bytes()
