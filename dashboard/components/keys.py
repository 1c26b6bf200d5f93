"""Presentation mode in the browser: arrow keys press the previous/next buttons, and the
window's height comes back, so the slide's chart can fill the projector."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_component = st.components.v2.component(
    "regio_armoede_slide_keys",
    html="<span></span>",
    js=(Path(__file__).parent / "keys.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)

#: Until the browser has said how tall its window is: a 1920×1080 projector.
DEFAULT_HEIGHT = 1080


def slide_keys(previous_label: str, next_label: str) -> int:
    """Bind the arrow keys; returns the browser window's height in px (as last reported)."""
    known = st.session_state.get("_viewport_height", DEFAULT_HEIGHT)
    result = _component(
        data={"previous": previous_label, "next": next_label, "height": known},
        key="slide_keys",
        on_height_change=lambda: None,
    )
    reported = getattr(result, "height", None)
    if isinstance(reported, int | float) and 200 <= reported <= 10_000:
        st.session_state["_viewport_height"] = int(reported)
    return int(st.session_state.get("_viewport_height", DEFAULT_HEIGHT))
