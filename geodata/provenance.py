"""What the store was built from, summarised from its `sources` table (one row per response
and per gap): `python -m pipelines status` and the app's about page both read it this way."""

from __future__ import annotations

import pandas as pd

#: The columns `summarise_sources` adds to the grouping columns.
SUMMARY = [
    "first_year",
    "last_year",
    "responses",
    "rows",
    "retrieved_first",
    "retrieved_last",
    "test_data",
    "gaps",
]


def summarise_sources(sources: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per group of `by` (e.g. source and table, or source and year): the years, the number of
    responses, their rows, the first and last retrieval, whether the service marked any as
    test data, and the number of gaps. A missing year or table id is a group of its own."""
    if sources.empty:
        return pd.DataFrame(columns=[*by, *SUMMARY])
    frame = sources.assign(
        table_id=sources["table_id"].fillna(""),
        test_data=sources["test_data"].fillna(False).astype(bool),
        gap=sources.get("status", pd.Series("ok", index=sources.index)).eq("gap"),
        first=sources["year"],
        last=sources["year"],
    )
    return frame.groupby(by, as_index=False, dropna=False).agg(
        first_year=("first", "min"),
        last_year=("last", "max"),
        responses=("url", "count"),
        rows=("rows", "sum"),
        retrieved_first=("retrieved_at", "min"),
        retrieved_last=("retrieved_at", "max"),
        test_data=("test_data", "any"),
        gaps=("gap", "sum"),
    )[[*by, *SUMMARY]]
