"""Suburbanisation of poverty: where low-income households live, and how that changes.

URL parameters: ``year_a``, ``year_b``, ``level`` (gemeente/wijk/buurt), ``lang``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from plotly.colors import sample_colorscale

from dashboard import analysis, data, geometry, migration
from dashboard.components import figures, flow_figures
from dashboard.components.map_component import MapPayload, choropleth_map
from dashboard.i18n import fmt_number, t
from dashboard.pages import common
from dashboard.state import LEVELS

LOW = "low_income_households_pct"


def gemeente_estimates(ref: data.StoreRef) -> pd.DataFrame:
    """Per KWB year and current municipality: households and low-income share (merged parts summed;
    a year in which a part lacks a figure stays missing)."""
    parts = data.gemeente_parts(ref, ("households", LOW), LOW)
    parts["low_income"] = migration.low_income_households(parts["households"], parts[LOW])
    summed = parts.groupby(["year", "code"], as_index=False).agg(
        households=("households", lambda s: s.sum(min_count=len(s))),
        low_income=("low_income", lambda s: s.sum(min_count=len(s))),
    )
    summed["low_income_pct"] = 100 * summed["low_income"] / summed["households"]
    return summed


def _signed(value: float, lang: str) -> str:
    return ("+" if value > 0 else "") + fmt_number(value, 1, lang)


def estimates(ref: data.StoreRef, year: int, level: str) -> pd.DataFrame:
    areas = data.areas_table(ref)
    part = areas[(areas["year"] == year) & (areas["level"] == level)][
        ["code", "name", "gemeente_code"]
    ].copy()
    households = part["code"].map(data.values_for(ref, "households", year)).astype(float)
    share = part["code"].map(data.values_for(ref, LOW, year)).astype(float)
    part["low_income"] = migration.low_income_households(households, share)
    return part


def diverging(change: pd.Series) -> tuple[list[float], list[str]]:
    """Symmetric class breaks around zero and a colour-blind-safe diverging palette (more = red)."""
    magnitude = float(np.nanquantile(change.abs(), 0.9)) if change.notna().any() else 1.0
    magnitude = magnitude or 1.0
    breaks = [-magnitude, -magnitude / 3, 0.0, magnitude / 3, magnitude]
    colors = sample_colorscale("RdBu_r", [0.05, 0.25, 0.42, 0.58, 0.75, 0.95], colortype="rgb")
    return breaks, colors


def render() -> None:
    ref, view, lang = common.page_setup()
    region = data.region()
    names = common.gemeente_names(ref)
    st.title(t("page_suburb", lang))
    st.caption(t("estimate_note", lang))

    index = migration.suburbanisation_index(gemeente_estimates(ref).rename(columns={}), region.core)
    years = data.years_by_indicator(ref).get(LOW, [])
    source = t("attribution", lang)
    st.subheader(t("index_title", lang))
    st.plotly_chart(
        flow_figures.index_chart(index, lang, source),
        width="stretch",
        config={"toImageButtonOptions": {"filename": "suburbanisatie_index"}},
    )
    reading = migration.index_reading(index)
    if reading:
        key = "index_reading_up" if reading["suburbanising"] else "index_reading_down"
        st.markdown(
            t(
                key,
                lang,
                first=reading["first"],
                last=reading["last"],
                low_first=fmt_number(reading["low_first"], 1, lang),
                low_last=fmt_number(reading["low_last"], 1, lang),
                low_change=_signed(reading["low_change"], lang),
                all_change=_signed(reading["all_change"], lang),
            )
        )

    st.subheader(t("change_title", lang))
    params = st.query_params
    default_a = (
        int(params["year_a"])
        if str(params.get("year_a", "")).isdigit() and int(params["year_a"]) in years
        else years[0]
    )
    default_b = (
        int(params["year_b"])
        if str(params.get("year_b", "")).isdigit() and int(params["year_b"]) in years
        else years[-1]
    )
    for name in ("year_a", "year_b"):
        if name in params and str(params[name]) not in map(str, years):
            st.caption(t("invalid_param", lang, name=name, value=params[name]))
    level_param = view.level if "level" in params else "buurt"  # validated by current_view
    c1, c2, c3 = st.columns(3)
    year_a = c1.selectbox(t("year_a", lang), years, index=years.index(default_a), key="s_year_a")
    year_b = c2.selectbox(t("year_b", lang), years, index=years.index(default_b), key="s_year_b")
    level = c3.radio(
        t("level", lang),
        LEVELS,
        index=LEVELS.index(level_param),
        format_func=lambda v: t(v, lang),
        horizontal=True,
        key="s_level",
    )
    st.query_params.update(
        {"year_a": str(year_a), "year_b": str(year_b), "level": level, "lang": lang}
    )
    unchanged = migration.unchanged_areas(
        data.area_shapes(ref, year_a, level), data.area_shapes(ref, year_b, level)
    )
    a, b = estimates(ref, year_a, level), estimates(ref, year_b, level)
    change = migration.comparable_change(a, b, unchanged).merge(
        b[["code", "name", "gemeente_code"]], on="code"
    )
    breaks, colors = diverging(change["change"])
    classes = analysis.assign_classes(change["change"], breaks)
    hover = [
        f"<b>{row.name}</b> ({row.code})<br>"
        + (
            f"{fmt_number(row.before, 0, lang)} → {fmt_number(row.after, 0, lang)} ({fmt_number(row.change, 0, lang)})"
            if row.status == "comparable"
            else t("boundary_changed", lang)
        )
        + f"<br>{t('municipality', lang)}: {names.get(row.gemeente_code, row.gemeente_code)}"
        for row in change.itertuples(index=False)
    ]
    labels = analysis.class_labels(
        breaks,
        float(np.nanmin(change["change"])) if change["change"].notna().any() else 0.0,
        float(np.nanmax(change["change"])) if change["change"].notna().any() else 0.0,
        0,
    )
    col_map, col_side = st.columns([3, 1])
    with col_side:
        st.html(
            figures.legend_html(labels, colors, lang, False, False, t("index_low", lang)).replace(
                t("no_data", lang), t("boundary_changed", lang)
            )
        )
        st.caption(t("change_hint", lang))
    with col_map:
        choropleth_map(
            MapPayload(
                plotly_url=data.plotly_js_url(),
                topojson_url=data.topojson_url(),
                geo_url=data.geojson_url(ref, year_b, level),
                codes=list(change["code"]),
                z=figures.z_values(classes),
                colorscale=figures.discrete_colorscale(colors),
                colorscale_n=len(colors) + 1,
                hover=hover,
                focus_codes=[],
                official_codes=[],
                show_focus=False,
                show_official=False,
                alt=t("change_title", lang) + f" {year_a}–{year_b}",
                filename=f"verandering_laag_inkomen_{year_a}_{year_b}_{level}",
                profile_url=f"buurtprofiel?lang={lang}&area=",
                bounds=data.bounds(ref, tuple(region.codes)),
                view_key="suburbanisatie",
                source_line=f"{source} · {t('change_title', lang)} {year_a}–{year_b}",
            ),
            key="change_map",
        )
        st.caption(source + f" · {year_a}–{year_b}")

    st.subheader(t("destination_detail", lang))
    destination_detail(ref, lang, names)


def destination_detail(ref: data.StoreRef, lang: str, names: dict[str, str]) -> None:
    """For Zaanstad, Purmerend and Hoorn: buurten where the low-income share rose most, with a sparkline."""
    region = data.region()
    years = data.years_by_indicator(ref).get(LOW, [])
    areas = data.areas_table(ref)
    shapes = {year: data.area_shapes(ref, year, "buurt").set_index("code") for year in years}
    for code in region.highlight:
        buurten = areas[(areas["gemeente_code"] == code) & (areas["level"] == "buurt")]
        series = {}
        for year in years:
            values = data.values_for(ref, LOW, year)
            present = buurten[buurten["year"] == year]["code"]
            for c in present:
                series.setdefault(c, {})[year] = values.get(c, np.nan)
        rows = []
        latest_names = buurten.sort_values("year").groupby("code")["name"].last()
        for c, by_year in series.items():
            # Only the last stretch of years in which the buurt kept its code and boundary.
            fingerprints = {
                y: geometry.fingerprint(*shapes[y].loc[c, ["area", "cx", "cy"]])
                for y in by_year
                if c in shapes[y].index
            }
            breaks = analysis.series_breaks(fingerprints)
            start = max(breaks) if breaks else min(by_year)
            known = {y: v for y, v in by_year.items() if y >= start and not pd.isna(v)}
            if len(known) < 2:
                continue
            ys = sorted(known)
            rows.append(
                {
                    t("name", lang): latest_names.get(c, c),
                    t("code", lang): c,
                    t("rise", lang): round(known[ys[-1]] - known[ys[0]], 1),
                    t("trend", lang): [known[y] for y in ys],
                    "periode": f"{ys[0]}–{ys[-1]}",
                }
            )
        if not rows:
            continue
        table = pd.DataFrame(rows).sort_values(t("rise", lang), ascending=False).head(8)
        st.markdown(f"**{names.get(code, code)}**")
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={t("trend", lang): st.column_config.LineChartColumn(t("trend", lang))},
        )
    st.caption(t("attribution", lang))


if __name__ == "__main__":
    render()
