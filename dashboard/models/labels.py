"""Texts every view shares: which edition and period a figure describes, and what a rank means."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.i18n import t
from geodata.editions import Behind


def reference_of(source: pd.Series | None) -> str | None:
    """The reference date or period the source states for a figure (None: unknown)."""
    if source is None:
        return None
    period = source.get("reference_period")
    return str(period) if isinstance(period, str) and period.strip() else None


def edition_name(year: int, kind: str, lang: str) -> str:
    """The edition a figure comes from: "KWB 2019" (CBS) or "BBGA 2023" (Amsterdam)."""
    return t("edition_bbga" if kind == "bbga" else "edition", lang, year=year)


def edition_text(year: int, reference: str | None, lang: str, kind: str = "cbs") -> str:
    """Both years of a figure: "KWB 2019 · peildatum/periode 2017" (or "… onbekend")."""
    period = t("reference", lang, period=reference) if reference else t("reference_unknown", lang)
    return f"{edition_name(year, kind, lang)} · {period}"


def source_caption(attribution: str, source: pd.Series | None, year: int) -> str:
    """The source line under a map: attribution, then the table or variable and the edition."""
    if source is None:
        return f"{attribution} · {year}"
    if source.get("source") == "bbga":
        return f"{attribution} · BBGA {source['source_key']}, {year}"
    return f"{attribution} · CBS {source['table_id']}, {year}"


def rank_text(rank: int, n: int, level: str, lang: str, base: str) -> str:
    """A rank with its base: "rang 54 van 387 buurten in de gekozen gemeenten" (or "in de
    regio"); 1 is the highest value."""
    key = "rank_of_chosen" if base == "chosen" else "rank_of_region"
    return t(key, lang, rank=rank, n=n, level=t(f"levels_plural_{level}", lang))


def behind_text(items: Sequence[Behind], lang: str) -> str | None:
    """The notice that the store is behind the sources ("KWB 2026 en PDOK 2026 is
    beschikbaar"), or None when it is not (as far as the last build or check saw)."""
    if not items:
        return None
    joiner = " en " if lang == "nl" else " and "
    offered = joiner.join(item.label for item in items)
    checked = max(item.checked_at for item in items)[:10]
    return t("store_behind", lang, offered=offered, checked=checked)


def newest_edition_note(newest: int | None, year: int, status: str | None, lang: str) -> str | None:
    """Why the map shows an older edition than the newest in the store: CBS has not filled in
    the indicator's figures yet (``empty_in_table``), or does not publish it there."""
    if newest is None or year >= newest:
        return None
    key = "newest_empty_income" if status == "empty_in_table" else "newest_not_in_indicator"
    return t(key, lang, newest=newest, year=year)


def preferred_note(
    label: str, latest: int | None, newest: int | None, shown: bool, lang: str
) -> str | None:
    """Under a map that opened on another indicator because the preferred poverty measure has
    no figures in the newest edition: where that measure's newest figures are."""
    if shown or latest is None or newest is None or latest >= newest:
        return None
    return t("preferred_older", lang, label=label, year=latest, newest=newest)
