"""Export page ("Exporteren"): choose indicators, areas and years, preview, then download.

Uses the same export code as ``python -m pipelines export`` (through `dashboard.data`). Files
are built on request (a button), because a file of the whole region takes seconds.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data
from dashboard.i18n import fmt_number, t
from dashboard.pages import common
from dashboard.state import MAP_LEVELS, ExportView
from geodata import export
from geodata.errors import StoreError

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "gpkg": "application/geopackage+sqlite3",
    "geojson": "application/geo+json",
}


def shape_controls(ref: data.StoreRef, view: ExportView) -> tuple[str, tuple[int, int], str]:
    """Level, years and layout."""
    lang = view.lang
    years = sorted(int(y) for y in data.areas_table(ref)["year"].unique())
    c1, c2, c3 = st.columns(3)
    common.seed("e_level", view.level)
    level = c1.radio(
        t("level", lang),
        MAP_LEVELS,
        format_func=lambda v: t(v, lang),
        key="e_level",
    )
    first, last = c2.select_slider(
        t("years_range", lang), options=years, value=(years[0], years[-1]), key="e_years"
    )
    layout = c3.radio(
        t("export_layout", lang),
        export.LAYOUTS,
        format_func=lambda v: t(f"layout_{v}", lang),
        key="e_layout",
    )
    return str(level), (int(first), int(last)), str(layout)


def selection(ref: data.StoreRef, view: ExportView) -> export.ExportRequest:
    """The export controls (seeded from the URL) as an export request."""
    lang, catalogue, names = view.lang, data.catalogue(), data.gemeente_names()
    common.seed("e_indicators", [view.indicator])
    common.seed("e_gemeenten", list(view.gemeenten))
    chosen = common.choose_many(
        st,
        t("export_indicators", lang),
        data.options(ref).indicators,
        lambda i: catalogue[i].label(lang),
        "e_indicators",
        t("all_indicators", lang),
    )
    level, (first, last), layout = shape_controls(ref, view)
    gemeenten = common.choose_many(
        st,
        t("gemeenten", lang),
        data.region().codes,
        lambda c: names.get(c, c),
        "e_gemeenten",
        t("all_gemeenten", lang),
    )
    only_focus = st.checkbox(t("export_focus_only", lang), key="e_focus", disabled=level != "buurt")
    focus = only_focus and level == "buurt"
    harmonised = harmonised_choice(ref, view, level)
    areas = data.focus_codes(ref, view.focus, view.factor, view.min_hh) if focus else None
    return export.ExportRequest(
        indicators=tuple(chosen) or None,
        level=level,
        gemeenten=tuple(gemeenten) or None,
        years=tuple(range(first, last + 1)),
        layout=layout,
        areas=areas,
        harmonised=harmonised,
    )


def harmonised_choice(ref: data.StoreRef, view: ExportView, level: str) -> bool:
    """Whether buurt values go out harmonised to the reference year's buurten (offered when
    the store has harmonised values and the level is buurt)."""
    reference = data.reference_year(ref)
    if reference is None:
        return False
    common.seed("e_harmonised", view.harmonised)
    chosen = st.checkbox(
        t("harmonised_switch", view.lang, year=reference),
        key="e_harmonised",
        disabled=level != "buurt",
        help=t("export_harmonised_help", view.lang),
    )
    return bool(chosen) and level == "buurt"


def download(ref: data.StoreRef, request: export.ExportRequest, rows: int, lang: str) -> None:
    f1, f2 = st.columns(2)
    fmt = f1.radio(t("export_format", lang), export.FORMATS, horizontal=True, key="e_format")
    separator = f2.radio(
        t("export_separator", lang), [";", ","], horizontal=True, key="e_sep", disabled=fmt != "csv"
    )
    if not st.button(
        t("export_prepare", lang), key="e_prepare", type="primary", disabled=rows == 0
    ):
        return
    try:
        name, body = data.export_file(ref, request, fmt, separator)
    except (export.ExportError, StoreError) as exc:
        st.error(str(exc))
        return
    st.download_button(
        t("export_download", lang, name=name),
        body,
        file_name=name,
        mime=MIME[fmt],
        key="e_download",
    )


def render() -> None:
    ref = data.current_store()
    view = common.read_view(ref, ExportView)
    view = replace(view, lang=common.language_switch(view.lang))
    lang = view.lang
    st.title(t("page_export", lang))
    request = selection(ref, view)
    common.write_view(
        replace(
            view,
            indicator=(request.indicators or (view.indicator,))[0],
            level=request.level,
            gemeenten=request.gemeenten or view.gemeenten,
            harmonised=request.harmonised,
        )
    )
    head, rows, columns = data.export_preview(ref, request, lang)
    st.caption(t("export_size", lang, rows=fmt_number(rows, 0, lang), columns=columns))
    st.dataframe(head, hide_index=True, width="stretch")
    download(ref, request, rows, lang)
    st.caption(t("export_cli", lang))
    common.attribution(ref, lang)


if __name__ == "__main__":
    render()
