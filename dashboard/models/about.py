"""The about page's model: what the store holds and what each indicator means, as tables in
the page's language."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import t
from dashboard.models.tables import Column, display_table, term
from geodata.catalogue import Indicator
from geodata.provenance import summarise_sources


def source_summary(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per source and table: years, responses, rows, retrieval dates and test-data marking."""
    columns = [
        Column("source", t("col_source", lang), "term"),
        Column("table_id", t("col_table", lang)),
        Column("first_year", t("col_first_year", lang), "year"),
        Column("last_year", t("col_last_year", lang), "year"),
        Column("responses", t("col_responses", lang), "count"),
        Column("rows", t("col_rows", lang), "count"),
        Column("retrieved_first", t("col_retrieved_first", lang), "when"),
        Column("retrieved_last", t("col_retrieved_last", lang), "when"),
        Column("test_data", t("col_test_data", lang), "flag"),
    ]
    summary = summarise_sources(sources, ["source", "table_id"])
    return display_table(summary[[c.source for c in columns]], columns, lang)


def aggregation_text(indicator: Indicator, catalogue: dict[str, Indicator], lang: str) -> str:
    """How an indicator goes up to larger areas ("gemiddelde, gewogen met Huishoudens")."""
    text = term(indicator.aggregation, lang)
    if indicator.weight:
        weight = catalogue[indicator.weight].label(lang) if indicator.weight in catalogue else ""
        text += ", " + t("term_weighted", lang, weight=weight or indicator.weight)
    return text


def definitions(catalogue: dict[str, Indicator], sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per indicator: label, unit, definition, aggregation, and the CBS key per year."""
    published = sources[sources["status"] == "published"].sort_values("year")
    keys = {
        indicator: "; ".join(f"{y}: {k}" for y, k in zip(g["year"], g["source_key"], strict=True))
        for indicator, g in published.groupby("indicator")
    }
    rows = pd.DataFrame(
        [
            {
                "id": ind.id,
                "label": ind.label(lang),
                "unit": ind.unit_label(lang),
                "definition": ind.description(lang),
                "aggregation": aggregation_text(ind, catalogue, lang),
                "keys": keys.get(ind.id, ""),
            }
            for ind in catalogue.values()
        ]
    )
    columns = [
        Column("id", "id"),
        Column("label", t("name", lang)),
        Column("unit", t("unit", lang)),
        Column("definition", t("definition", lang)),
        Column("aggregation", t("col_aggregation", lang)),
        Column("keys", t("col_keys", lang)),
    ]
    return display_table(rows, columns, lang)


def official_lists(lists: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The official focus-area lists: which areas count, and the document that says so."""
    frame = lists.assign(gemeente=lists["gemeente_code"].map(names).fillna(lists["gemeente_code"]))
    columns = [
        Column("list_name", t("col_list", lang)),
        Column("label", t("col_label", lang)),
        Column("gemeente", t("municipality", lang)),
        Column("match_kind", t("col_match", lang), "term"),
        Column("match_value", t("col_match_value", lang)),
        Column("source", t("col_document", lang)),
    ]
    return display_table(frame, columns, lang)


def harmonisation_summary(
    errors: pd.DataFrame, catalogue: dict[str, Indicator], lang: str
) -> pd.DataFrame:
    """The measured error of the harmonised buurt series, per indicator and method: each
    edition's wijk figures shared out over its buurten and compared with CBS's own buurt
    figures (the median over the editions of each edition's median error, in the unit)."""
    part = errors[(errors["from_level"] == "wijk") & errors["indicator"].isin(list(catalogue))]
    grouped = part.groupby(["indicator", "method"], sort=False)
    summary = grouped.agg(
        first_year=("year", "min"),
        last_year=("year", "max"),
        areas=("areas", "sum"),
        median_abs_error=("median_abs_error", "median"),
        median_rel_error=("median_rel_error", "median"),
    ).reset_index()
    order = {indicator_id: n for n, indicator_id in enumerate(catalogue)}
    summary = summary.assign(order=summary["indicator"].map(order))
    summary = summary.sort_values(["order", "method"], ascending=[True, False]).assign(
        label=summary["indicator"].map(lambda i: catalogue[i].label(lang)),
        unit=summary["indicator"].map(lambda i: catalogue[i].unit_label(lang)),
        method_text=summary["method"].map(lambda m: t(f"method_{m}", lang)),
        median_rel_error=summary["median_rel_error"] * 100,
    )
    columns = [
        Column("label", t("name", lang)),
        Column("method_text", t("col_method", lang)),
        Column("first_year", t("col_first_year", lang), "year"),
        Column("last_year", t("col_last_year", lang), "year"),
        Column("areas", t("col_compared", lang), "count"),
        Column("median_abs_error", t("col_median_error", lang), "number", 2),
        Column("unit", t("unit", lang)),
        Column("median_rel_error", t("col_median_rel_error", lang), "number", 1),
    ]
    return display_table(summary, columns, lang)
