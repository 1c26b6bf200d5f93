"""The about page's model: what the store holds and what each indicator means."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import t
from geodata.catalogue import Indicator


def source_summary(sources: pd.DataFrame) -> pd.DataFrame:
    """Per source and table: years, responses, rows, retrieval dates and test-data marking."""
    if sources.empty:
        return sources
    years = sources["year"]
    frame = sources.assign(first=years, last=years)
    return frame.groupby(["source", "table_id"], as_index=False, dropna=False).agg(
        first_year=("first", "min"),
        last_year=("last", "max"),
        responses=("url", "count"),
        rows=("rows", "sum"),
        retrieved_first=("retrieved_at", "min"),
        retrieved_last=("retrieved_at", "max"),
        test_data=("test_data", "any"),
    )


def definitions(catalogue: dict[str, Indicator], sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per indicator: label, unit, definition, aggregation, and the CBS key per year."""
    published = sources[sources["status"] == "published"].sort_values("year")
    keys = {
        indicator: "; ".join(f"{y}: {k}" for y, k in zip(g["year"], g["source_key"], strict=True))
        for indicator, g in published.groupby("indicator")
    }
    return pd.DataFrame(
        [
            {
                "id": ind.id,
                t("name", lang): ind.label(lang),
                t("unit", lang): ind.unit,
                t("definition", lang): ind.description(lang),
                "aggregation": ind.aggregation + (f" ({ind.weight})" if ind.weight else ""),
                "CBS": keys.get(ind.id, ""),
            }
            for ind in catalogue.values()
        ]
    )
