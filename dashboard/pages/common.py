"""What every page does first and last: read its typed view from the URL, write it back.

Notices about refused URL values show the value as a code span (`safe.code_span`), never as
Markdown, so a link cannot make a viewer's browser fetch anything.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from dashboard import data
from dashboard.i18n import LANGS, t
from dashboard.runtime import timing
from dashboard.safe import code_span
from dashboard.state import Notice, parse_view, url_keys, view_to_params

V = TypeVar("V")
R = TypeVar("R")


def notice(item: Notice, lang: str) -> None:
    st.caption(t("invalid_param", lang, name=code_span(item.name), value=code_span(item.value)))


def read_view(ref: data.StoreRef, view_type: type[V]) -> V:
    """The page's view from the query string; refused values are named in a small notice.

    When the URL changed from outside the page (a link, back/forward, another window) since
    the page last wrote it, or the page opens for the first time in this session with its own
    parameters in the URL, `url_changed` is true and `seed` gives the widgets the URL's values
    (also the shared ones, like the language); otherwise the widgets keep what the user chose.
    """
    params = st.query_params.to_dict()
    view, notices = parse_view(view_type, params, data.options(ref))
    last = st.session_state.get(f"_url_{view_type.__name__}")
    own = set(url_keys(view_type))
    changed = params != last and bool(own & set(params))
    st.session_state["_url_changed"] = changed and not started_by_control()
    st.session_state["_url_page"] = view_type.__name__
    for item in notices:
        notice(item, getattr(view, "lang", "nl"))
    return view


def _controls() -> dict[str, object]:
    """The values of the controls (the session state's keys that do not start with "_")."""
    return {str(k): v for k, v in st.session_state.items() if not str(k).startswith("_")}


def remember_controls() -> None:
    """At the end of a run (or of a fragment's own rerun): the controls' values, for
    `started_by_control` in the next."""
    st.session_state["_controls"] = _controls()


def page_fragment(name: str) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """`st.fragment` for a part of a page: a control inside it reruns only that part. Its own
    reruns are timed as page `name` (`timing.fragment_run`) and end as a run does: with the
    controls' values remembered."""

    def decorate(part: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(part)
        def run(*args: Any, **kwargs: Any) -> R:
            with timing.fragment_run(name):
                result = part(*args, **kwargs)
            remember_controls()
            return result

        return st.fragment(run)

    return decorate


def run_finished() -> None:
    """At the end of every full run (the router calls it): the URL's values have been given
    to the widgets, so a fragment's own rerun must not give them again (it would undo the
    user's choice inside the fragment); and the controls' values are remembered."""
    st.session_state["_url_changed"] = False
    remember_controls()


def started_by_control() -> bool:
    """Whether a control of the page started this run (one of them changed since the last).

    Such a run comes from the page itself, even when its query string lags behind what the
    page last wrote (a quick second pick reaching the server before the browser applied the
    first run's URL): that older URL is not a change from outside and must not reset the
    controls to it. Back/forward and links change no control."""
    before = st.session_state.get("_controls")
    if not isinstance(before, dict):
        return False
    now = _controls()
    return any(key in now and now[key] != value for key, value in before.items())


def url_changed() -> bool:
    """Whether this run's URL came from outside the page (see `read_view`)."""
    return bool(st.session_state.get("_url_changed", False))


def write_view(view: object) -> None:
    """Mirror the view into the URL (only when it changed, to avoid reruns); other pages'
    parameters are dropped, so a copied link holds exactly this page's state."""
    wanted = view_to_params(view)
    st.session_state[f"_url_{type(view).__name__}"] = wanted
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def language_switch(lang: str) -> str:
    """A sidebar switch between Dutch and English; the choice lives in the URL (`lang`)."""
    seed("lang_switch", lang)
    return str(
        st.sidebar.radio(
            t("language", lang),
            LANGS,
            format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
            horizontal=True,
            key="lang_switch",
        )
    )


def seed(key: str, value: object) -> None:
    """Give a widget its value from the URL: the first time the page runs in this session,
    and again whenever the URL changed from outside."""
    if key not in st.session_state or url_changed():
        st.session_state[key] = value


def forget_on_url_change(*keys: str) -> None:
    """Drop widget state when the URL changed from outside, so `value=` (from the URL) applies."""
    if url_changed():
        for key in keys:
            st.session_state.pop(key, None)


def choose_many(
    container: object,
    label: str,
    options: Sequence[str],
    format_func: Callable[[str], str],
    key: str,
    placeholder: str,
) -> list[str]:
    """A multiselect that speaks the page's language: our placeholder (what an empty
    choice means) and no "Select all" entry, which Streamlit cannot translate."""
    return list(
        container.multiselect(  # type: ignore[attr-defined]
            label,
            list(options),
            format_func=format_func,
            key=key,
            placeholder=placeholder,
            select_all=False,
        )
    )


def attribution(ref: data.StoreRef, lang: str) -> None:
    st.caption(data.attribution(ref, lang))


__all__ = [
    "attribution",
    "choose_many",
    "language_switch",
    "notice",
    "read_view",
    "seed",
    "url_keys",
    "write_view",
]
