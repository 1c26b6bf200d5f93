"""Texts every view shares: which edition and period a figure describes, and what a rank means."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import t


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
