"""One thing measured in different ways, side by side: CBS's poverty measures and Amsterdam's.

For an area, each measure of a catalogue comparison that has a value is shown with its latest
value, the edition and reference date it describes, its one-sentence definition and its
source, followed by the catalogue's note on why the figures differ. With fewer than two
measures there is nothing to compare and no model.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import analysis
from dashboard.i18n import fmt_number, t
from dashboard.models.labels import edition_text, reference_of
from dashboard.models.tables import Column, display_table
from geodata import publication
from geodata.catalogue import Comparison, Indicator


@dataclass(frozen=True)
class SideBySide:
    title: str
    table: pd.DataFrame
    note: str


def source_text(indicator: Indicator, source: pd.Series | None, lang: str) -> str:
    """Where a figure comes from: "CBS 85618NED, HuishoudensMetEenLaagInkomen_77" or
    "Gemeente Amsterdam, OIS (BBGA), IMINHH120_P"."""
    key = "" if source is None else str(source.get("source_key") or "")
    if indicator.kind == "bbga":
        return f"{t('source_bbga_short', lang)}, {key}".rstrip(", ")
    table = "" if source is None else str(source.get("table_id") or "")
    return f"CBS {table}, {key}".rstrip(", ")


def measure_row(
    indicator: Indicator, known: pd.DataFrame, source: pd.Series | None, lang: str
) -> dict[str, str]:
    """One measure: its latest value for the area, with edition, definition and source."""
    latest = known.iloc[-1]
    decimals = 0 if indicator.unit in analysis.WHOLE_UNITS else 1
    year = int(latest["year"])
    value = float(latest["value"])
    (mark,) = publication.bound(pd.Series([value]), indicator.unit, indicator.kind)
    prefix = {"<=": "≤ ", ">=": "≥ "}.get(mark, "")
    return {
        "measure": indicator.label(lang),
        "value": f"{prefix}{fmt_number(value, decimals, lang)} {indicator.unit_label(lang)}",
        "edition": edition_text(year, reference_of(source), lang, indicator.kind),
        "definition": indicator.description(lang),
        "source": source_text(indicator, source, lang),
    }


def side_by_side(
    comparison: Comparison,
    values: pd.DataFrame,
    sources: pd.DataFrame,
    indicators: dict[str, Indicator],
    lang: str,
) -> SideBySide | None:
    """The comparison for one area: `values` are its indicator values (indicator, year,
    value), `sources` the store's `indicator_sources`."""
    rows = []
    for indicator_id in comparison.indicators:
        known = values[(values["indicator"] == indicator_id) & values["value"].notna()]
        if known.empty:
            continue
        known = known.sort_values("year")
        year = int(known["year"].iloc[-1])
        match = sources[(sources["indicator"] == indicator_id) & (sources["year"] == year)]
        source = match.iloc[0] if len(match) else None
        rows.append(measure_row(indicators[indicator_id], known, source, lang))
    if len(rows) < 2:
        return None
    columns = [
        Column("measure", t("comparison_measure", lang)),
        Column("value", t("value", lang)),
        Column("edition", t("comparison_edition", lang)),
        Column("definition", t("definition", lang)),
        Column("source", t("source", lang)),
    ]
    table = display_table(pd.DataFrame(rows), columns, lang)
    return SideBySide(comparison.label(lang), table, comparison.note(lang))
