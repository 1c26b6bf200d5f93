"""Shared page plumbing: the view from the URL, the language switch, notices, attribution."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.i18n import t
from dashboard.state import Options, View, parse_view, view_to_params


def options(ref: data.StoreRef) -> Options:
    meta = data.indicators(ref)
    region = data.region()
    return Options(
        indicators=list(meta["id"]),
        years_by_indicator=data.years_by_indicator(ref),
        gemeenten=list(region.codes),
    )


def current_view(ref: data.StoreRef) -> View:
    """The view from the URL; invalid values become defaults with a small notice."""
    view, bad = parse_view(st.query_params.to_dict(), options(ref))
    for name, value in bad:
        st.toast(t("invalid_param", view.lang, name=name, value=value))
        st.caption(t("invalid_param", view.lang, name=name, value=value))
    return view


def write_view(view: View, keys: list[str]) -> None:
    """Mirror the given selections into the URL (only when they changed, to avoid reruns)."""
    wanted = view_to_params(view, keys)
    current = st.query_params.to_dict()
    if any(current.get(k) != v for k, v in wanted.items()) or any(
        k not in wanted for k in current if k in keys
    ):
        st.query_params.from_dict({**{k: v for k, v in current.items() if k not in keys}, **wanted})


def language_switch(view: View) -> str:
    """A sidebar switch between Dutch and English; the choice lives in the URL (`lang`)."""
    choice = st.sidebar.radio(
        t("language", view.lang),
        ["nl", "en"],
        index=0 if view.lang == "nl" else 1,
        format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
        horizontal=True,
        key="lang_switch",
    )
    return choice


def page_setup() -> tuple[data.StoreRef, View, str]:
    """The store, the view from the URL and the language (switch in the sidebar, kept in the URL)."""
    ref = data.current_store()
    view = current_view(ref)
    lang = language_switch(view)
    if lang != view.lang:
        st.query_params["lang"] = lang
    return ref, view, lang


def gemeente_names(ref: data.StoreRef) -> dict[str, str]:
    region = data.region()
    return {g.code: g.name for g in region.all_gemeenten}


def indicator_label(meta: pd.DataFrame, indicator: str, lang: str) -> str:
    row = meta.set_index("id").loc[indicator]
    return str(row["label_en"] if lang == "en" else row["label_nl"])


def attribution(lang: str, extra: str = "") -> None:
    st.caption(f"{t('attribution', lang)}{extra}")
