"""Neighbourhood profile ("Buurtprofiel"): every indicator over the years for one area."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import analysis, data
from dashboard.components import figures
from dashboard.i18n import fmt_number, t
from dashboard.pages import common


def area_choices(ref: data.StoreRef) -> pd.DataFrame:
    """One row per area code (its latest name and year), for the search box."""
    areas = data.areas_table(ref)
    latest = areas.sort_values("year").groupby("code", as_index=False).last()
    order = {"gemeente": 0, "wijk": 1, "buurt": 2}
    return latest.sort_values(
        by=["level", "name"], key=lambda s: s.map(order) if s.name == "level" else s
    )


def reference_series(
    ref: data.StoreRef, indicator: str, gemeente: str, meta_row: pd.Series
) -> pd.DataFrame:
    """Per year: the municipality's value and the region's (sum, or weighted mean of municipalities)."""
    region = data.region()
    rows = []
    for year in data.years_by_indicator(ref).get(indicator, []):
        values = data.values_for(ref, indicator, year)
        codes = [g.code for g in region.gemeenten_in_kwb_year(year)]
        vals = values.reindex(codes)
        if meta_row["aggregation"] == "sum":
            region_value = float(vals.sum()) if vals.notna().any() else np.nan
        else:
            weights = data.values_for(ref, meta_row["weight"], year).reindex(codes)
            region_value = analysis.weighted_mean(vals, weights)
        rows.append(
            {"year": year, "gemeente": values.get(gemeente, np.nan), "region": region_value}
        )
    return pd.DataFrame(rows, columns=["year", "gemeente", "region"])


def render() -> None:
    ref, view, lang = common.page_setup()
    choices = area_choices(ref)
    codes = list(choices["code"])
    labels = dict(zip(choices["code"], choices["name"] + " (" + choices["code"] + ")", strict=True))
    st.title(t("page_profile", lang))
    default = view.area if view.area in labels else None
    if view.area and view.area not in labels:
        st.caption(t("invalid_param", lang, name="area", value=view.area))
    if st.session_state.get("_area_from_url") != default:  # a new link or a map click
        st.session_state["_area_from_url"] = default
        if default:
            st.session_state["k_area"] = default
    code = st.selectbox(
        t("search_area", lang),
        codes,
        format_func=lambda c: labels.get(c, c),
        index=None,
        key="k_area",
        placeholder="…",
    )
    if not code:
        st.info(t("no_area", lang))
        return
    if st.query_params.get("area") != code:
        st.query_params["area"] = code
    render_profile(ref, code, lang, view)


def render_profile(ref: data.StoreRef, code: str, lang: str, view) -> None:
    areas = data.areas_table(ref)
    history = areas[areas["code"] == code].sort_values("year")
    latest = history.iloc[-1]
    names = common.gemeente_names(ref)
    gemeente = (
        data.region().successor(latest["gemeente_code"])
        if latest["gemeente_code"] in names
        else latest["gemeente_code"]
    )
    st.header(f"{latest['name']} ({code})")
    st.caption(
        f"{t(latest['level'], lang)} · {t('municipality', lang)}: {names.get(latest['gemeente_code'], latest['gemeente_code'])}"
    )

    fingerprints = data.geometry_fingerprints(ref, code)
    present = sorted(fingerprints)
    breaks = analysis.series_breaks(fingerprints)
    # Status and rank on the main poverty indicator, latest year that has it.
    main = "low_income_households_pct"
    years = [y for y in data.years_by_indicator(ref).get(main, []) if y in present]
    if years:
        year = max(years)
        same_level = areas[(areas["year"] == year) & (areas["level"] == latest["level"])]
        values = same_level["code"].map(data.values_for(ref, main, year)).astype(float)
        ranking = analysis.ranks(
            pd.Series(values.to_numpy(), index=same_level["code"].to_numpy()), "higher_is_worse"
        )
        rank = ranking.get(code)
        meta = data.indicators(ref)
        if rank is not None and not pd.isna(rank):
            st.markdown(
                f"**{common.indicator_label(meta, main, lang)}** — "
                + t("profile_rank", lang, year=year, rank=int(rank), n=int(ranking.notna().sum()))
            )
        if latest["level"] == "buurt":
            from dashboard.pages.kaart import focus_frame

            flagged = focus_frame(ref, view, year).set_index("code")
            if code in flagged.index:
                row = flagged.loc[code]
                if row["is_focus"]:
                    reason = (
                        f"{fmt_number(row['value'], 1, lang)}% ≥ {fmt_number(view.factor, 1, lang)} × "
                        f"{fmt_number(row['regional_mean'], 1, lang)}%, {int(row['households'])} {t('households', lang).lower()}"
                    )
                    st.warning(t("profile_focus_yes", lang, year=year, reason=reason))
                else:
                    st.success(t("profile_focus_no", lang, year=year))
        official = data.official_focus(ref, year)
        for row in official[official["code"] == code].itertuples(index=False):
            st.info(
                f"{t('focus_official', lang)}: {row.list_name} — {row.label}. {t('source', lang)}: {row.source}"
            )

    if breaks:
        st.caption(t("profile_breaks", lang, years=", ".join(map(str, breaks))))
    meta = data.indicators(ref)
    series_rows = []
    values_by = data.area_history(ref, code)
    for indicator in meta["id"]:
        own = values_by[values_by["indicator"] == indicator].set_index("year")["value"]
        if own.dropna().empty:
            continue
        reference = reference_series(ref, indicator, gemeente, meta.set_index("id").loc[indicator])
        reference["area"] = reference["year"].map(own)
        reference["indicator"] = indicator
        series_rows.append(reference)
    if series_rows:
        series = pd.concat(series_rows, ignore_index=True)
        fig = figures.profile_small_multiples(
            series, meta, breaks, lang, str(latest["name"]), names.get(gemeente, gemeente)
        )
        st.plotly_chart(
            fig, width="stretch", config={"toImageButtonOptions": {"filename": f"profiel_{code}"}}
        )
    st.subheader(t("profile_history", lang))
    st.dataframe(
        history[["year", "code", "name", "level", "gemeente_code"]].rename(
            columns={"year": t("year", lang), "name": t("name", lang), "code": t("code", lang)}
        ),
        hide_index=True,
        width="stretch",
    )
    common.attribution(lang)


if __name__ == "__main__":
    render()
