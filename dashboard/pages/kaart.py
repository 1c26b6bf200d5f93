"""Map page ("Kaart"): a choropleth of one indicator, focus buurten, and the same data as a table."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import analysis, data
from dashboard.components import figures
from dashboard.components.map_component import MapPayload, choropleth_map
from dashboard.i18n import fmt_number, t
from dashboard.pages import common
from dashboard.state import LEVELS, View

URL_KEYS = [
    "indicator",
    "year",
    "level",
    "gemeenten",
    "lang",
    "focus",
    "factor",
    "min_hh",
    "classes",
]


def _seed(key: str, value: object) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def controls(ref: data.StoreRef, view: View) -> View:
    """Sidebar controls, seeded from the URL; returns the view they describe."""
    lang = common.language_switch(view)
    meta = data.indicators(ref)
    years_by = data.years_by_indicator(ref)
    names = common.gemeente_names(ref)
    groups = dict(zip(meta["id"], meta["group"], strict=True))
    indicator_ids = [i for i in meta.sort_values(["group"], kind="stable")["id"] if i in years_by]
    for key, value in (
        ("k_indicator", view.indicator),
        ("k_level", view.level),
        ("k_gemeenten", list(view.gemeenten)),
        ("k_classes", view.classes),
        ("k_focus", view.focus),
        ("k_factor", view.factor),
        ("k_min_hh", view.min_hh),
    ):
        _seed(key, value)
    from geodata.catalogue import GROUP_LABELS

    indicator = st.sidebar.selectbox(
        t("indicator", lang),
        indicator_ids,
        format_func=lambda i: (
            f"{GROUP_LABELS[groups[i]][1 if lang == 'en' else 0]} · {common.indicator_label(meta, i, lang)}"
        ),
        key="k_indicator",
    )
    years = years_by.get(indicator, [])
    if st.session_state.get("k_year") not in years:
        st.session_state["k_year"] = (
            view.year if view.year in years and indicator == view.indicator else max(years)
        )
    year = st.sidebar.select_slider(t("year", lang), options=years, key="k_year")
    level = st.sidebar.radio(
        t("level", lang), LEVELS, format_func=lambda v: t(v, lang), horizontal=True, key="k_level"
    )
    gemeenten = st.sidebar.multiselect(
        t("gemeenten", lang),
        list(data.region().codes),
        format_func=lambda c: names.get(c, c),
        key="k_gemeenten",
    )
    classes = st.sidebar.selectbox(
        t("classification", lang),
        analysis.CLASS_METHODS,
        format_func=lambda m: t(m, lang),
        key="k_classes",
    )
    with st.sidebar.expander(t("focus_title", lang), expanded=False):
        focus = st.selectbox(
            t("focus_indicator", lang),
            analysis.FOCUS_INDICATORS,
            format_func=lambda i: common.indicator_label(meta, i, lang),
            key="k_focus",
        )
        factor = st.slider(t("focus_factor", lang), 1.0, 3.0, step=0.1, key="k_factor")
        min_hh = st.number_input(
            t("focus_min_households", lang), min_value=0, max_value=10000, step=10, key="k_min_hh"
        )
    return replace(
        view,
        lang=lang,
        indicator=indicator,
        year=int(year),
        level=level,
        gemeenten=tuple(gemeenten) or view.gemeenten,
        classes=classes,
        focus=focus,
        factor=float(factor),
        min_hh=int(min_hh),
    )


def map_frame(ref: data.StoreRef, view: View) -> pd.DataFrame:
    """Areas of the view's year, level and municipalities with their value and rank."""
    areas = data.areas_table(ref)
    names = common.gemeente_names(ref)
    part = areas[
        (areas["year"] == view.year)
        & (areas["level"] == view.level)
        & areas["gemeente_code"].isin(view.gemeenten)
    ]
    values = data.values_for(ref, view.indicator, view.year)
    direction = data.indicators(ref).set_index("id").loc[view.indicator, "direction"]
    frame = part[["code", "name", "gemeente_code"]].copy()
    frame["gemeente_name"] = frame["gemeente_code"].map(names)
    frame["value"] = frame["code"].map(values).astype(float)
    frame["rank"] = analysis.ranks(frame["value"], direction)
    return frame.reset_index(drop=True)


def focus_frame(ref: data.StoreRef, view: View, year: int) -> pd.DataFrame:
    """All region buurten of `year` flagged by the view's focus rule (cached in `data`)."""
    return data.focus_buurten(ref, year, view.focus, view.factor, view.min_hh)


def indicator_panel(ref: data.StoreRef, view: View) -> None:
    """Definition, unit and source of the chosen indicator, beside the map."""
    lang = view.lang
    meta = data.indicators(ref).set_index("id").loc[view.indicator]
    st.markdown(f"**{meta['label_en' if lang == 'en' else 'label_nl']}**")
    st.markdown(
        f"{t('definition', lang)}: {meta['description_en' if lang == 'en' else 'description_nl']}"
    )
    st.markdown(f"{t('unit', lang)}: {meta['unit']}")
    r = _source_row(ref, view)
    if r is not None:
        if r["status"] == "published":
            st.markdown(
                f"{t('source', lang)}: CBS {r['table_id']}, `{r['source_key']}` ({view.year})"
            )
            if isinstance(r["reference_period"], str) and r["reference_period"]:
                st.markdown(f"{t('reference_period', lang)}: {r['reference_period']}")
        else:
            st.markdown(t("not_published", lang))


def render() -> None:
    ref = data.current_store()
    view = common.current_view(ref)
    view = controls(ref, view)
    common.write_view(view, URL_KEYS)
    lang = view.lang
    meta = data.indicators(ref).set_index("id")
    ind = meta.loc[view.indicator]
    label = ind["label_en" if lang == "en" else "label_nl"]
    st.title(f"{label} · {view.year}")

    frame = map_frame(ref, view)
    breaks = analysis.class_breaks(frame["value"], view.classes)
    classes = analysis.assign_classes(frame["value"], breaks)
    n_classes = len(breaks) + 1 if frame["value"].notna().any() else 0
    colors = figures.class_colors(n_classes, ind["direction"])
    decimals = 0 if ind["unit"] in ("aantal", "ha") else 1
    lo, hi = (frame["value"].min(), frame["value"].max()) if n_classes else (np.nan, np.nan)
    labels = analysis.class_labels(breaks, lo, hi, decimals) if n_classes else []

    focus_all = focus_frame(ref, view, view.year)
    focus_codes = set(focus_all.loc[focus_all["is_focus"], "code"])
    official = data.official_focus(ref, view.year)
    level_codes = set(frame["code"])
    col_map, col_side = st.columns([3, 1])
    with col_side:
        show_focus = st.toggle(
            t("focus_show", lang), value=True, key="k_show_focus", disabled=view.level != "buurt"
        )
        show_official = st.toggle(t("focus_official_show", lang), value=True, key="k_show_official")
        basemap = st.toggle(t("basemap", lang), value=False, key="k_basemap")
        st.html(
            figures.legend_html(
                labels,
                colors,
                lang,
                show_focus and view.level == "buurt",
                show_official,
                str(ind["unit"]),
            )
        )
        indicator_panel(ref, view)
    worse = (
        t("worse_low", lang) if ind["direction"] == "higher_is_better" else t("worse_high", lang)
    )
    payload = MapPayload(
        plotly_url=data.plotly_js_url(),
        topojson_url=data.topojson_url(),
        geo_url=data.geojson_url(ref, view.year, view.level),
        codes=list(frame["code"]),
        z=figures.z_values(classes),
        colorscale=figures.discrete_colorscale(colors),
        colorscale_n=n_classes + 1,
        hover=figures.hover_texts(frame, str(ind["unit"]), lang, decimals),
        focus_codes=sorted(focus_codes & level_codes) if view.level == "buurt" else [],
        official_codes=sorted(set(official["code"]) & level_codes),
        show_focus=bool(show_focus and view.level == "buurt"),
        show_official=bool(show_official),
        alt=t(
            "map_alt",
            lang,
            indicator=label,
            level=t(view.level, lang),
            year=view.year,
            n=len(frame),
            worse=worse,
        ),
        filename=f"kaart_{view.indicator}_{view.year}_{view.level}",
        profile_url=f"buurtprofiel?lang={lang}&area=",
        bounds=data.bounds(ref, view.gemeenten),
        view_key=",".join(view.gemeenten),
        source_line=f"{t('attribution', lang)} · CBS {_table_of(ref, view)}, {view.year}",
        basemap=bool(basemap),
    )
    with col_map:
        choropleth_map(payload, key="kaart_map")
        st.caption(t("attribution", lang) + f" · CBS {_table_of(ref, view)}, {view.year}")

    rule_sentence(ref, view, focus_all)
    focus_table(view, focus_all, common.gemeente_names(ref))
    st.subheader(t("focus_count_title", lang))
    counts = data.focus_counts(ref, view.focus, view.factor, view.min_hh)
    st.plotly_chart(
        figures.focus_count_chart(counts, common.gemeente_names(ref), lang), width="stretch"
    )
    common.attribution(lang)
    with st.expander(t("table_title", lang)):
        table = frame.rename(
            columns={
                "name": t("name", lang),
                "code": t("code", lang),
                "gemeente_name": t("municipality", lang),
                "value": f"{label} ({ind['unit']})",
                "rank": t("rank", lang),
            }
        ).drop(columns=["gemeente_code"])
        st.dataframe(table, hide_index=True, width="stretch")


def _source_row(ref: data.StoreRef, view: View) -> pd.Series | None:
    """The indicator_sources row of the view's indicator and year, if any."""
    src = data.indicator_sources(ref)
    row = src[(src["indicator"] == view.indicator) & (src["year"] == view.year)]
    return None if row.empty else row.iloc[0]


def _table_of(ref: data.StoreRef, view: View) -> str:
    row = _source_row(ref, view)
    return "" if row is None else str(row["table_id"])


def rule_sentence(ref: data.StoreRef, view: View, focus_all: pd.DataFrame) -> None:
    lang = view.lang
    meta = data.indicators(ref)
    mean = focus_all["regional_mean"].iloc[0] if len(focus_all) else np.nan
    threshold = focus_all["threshold"].iloc[0] if len(focus_all) else np.nan
    st.markdown(
        t(
            "focus_rule",
            lang,
            indicator=common.indicator_label(meta, view.focus, lang).lower(),
            factor=fmt_number(view.factor, 1, lang),
            mean=f"{fmt_number(mean, 1, lang)}%",
            threshold=f"{fmt_number(threshold, 1, lang)}%",
            min_households=view.min_hh,
        )
    )


def focus_table(view: View, focus_all: pd.DataFrame, names: dict[str, str]) -> None:
    lang = view.lang
    chosen = focus_all[focus_all["is_focus"] & focus_all["gemeente_code"].isin(view.gemeenten)]
    if chosen.empty:
        st.info(t("focus_none", lang))
        return
    table = pd.DataFrame(
        {
            t("name", lang): chosen["name"],
            t("code", lang): chosen["code"],
            t("municipality", lang): chosen["gemeente_code"].map(names),
            f"{t('value', lang)} (%)": chosen["value"].round(1),
            t("ratio", lang): chosen["ratio"].round(2),
            t("households", lang): chosen["households"].astype("Int64"),
        }
    ).sort_values(f"{t('value', lang)} (%)", ascending=False)
    st.dataframe(table, hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
