"""About the data ("Over de data"): what the store holds, definitions, attribution."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.i18n import t
from dashboard.pages import common


def source_summary(sources: pd.DataFrame) -> pd.DataFrame:
    """Per source and dataset: years, responses, rows and retrieval dates."""
    if sources.empty:
        return sources
    return (
        sources.assign(year=sources["year"].fillna(0).astype(int))
        .groupby(["source", "table_id"], as_index=False)
        .agg(
            years=(
                "year",
                lambda y: (
                    f"{min(v for v in y if v) if any(y) else '-'}-{max(y) if any(y) else '-'}"
                ),
            ),
            responses=("url", "count"),
            rows=("rows", "sum"),
            retrieved_first=("retrieved_at", "min"),
            retrieved_last=("retrieved_at", "max"),
        )
    )


def definitions(meta: pd.DataFrame, sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per indicator: label, unit, definition, aggregation, and the CBS key per year."""
    published = sources[sources["status"] == "published"]
    keys = published.groupby("indicator").apply(
        lambda g: "; ".join(f"{y}: {k}" for y, k in zip(g["year"], g["source_key"], strict=True)),
        include_groups=False,
    )
    return pd.DataFrame(
        {
            "id": meta["id"],
            t("name", lang): meta["label_en" if lang == "en" else "label_nl"],
            t("unit", lang): meta["unit"],
            t("definition", lang): meta["description_en" if lang == "en" else "description_nl"],
            "aggregation": meta["aggregation"]
            + meta["weight"].fillna("").map(lambda w: f" ({w})" if w else ""),
            "CBS": meta["id"].map(keys).fillna(""),
        }
    )


def render() -> None:
    ref, _view, lang = common.page_setup()
    st.title(t("page_about", lang))
    st.subheader(t("about_store", lang))
    st.caption(str(ref.path))
    st.dataframe(source_summary(data.sources(ref)), hide_index=True, width="stretch")
    st.subheader(t("about_definitions", lang))
    st.dataframe(
        definitions(data.indicators(ref), data.indicator_sources(ref), lang),
        hide_index=True,
        width="stretch",
    )
    st.subheader(t("about_attribution", lang))
    st.markdown(t("about_attribution_text", lang))
    st.subheader(t("about_official", lang))
    st.dataframe(data.focus_lists(), hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
