"""Keyboard navigation for the presentation page (arrow keys press the previous/next buttons)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_component = st.components.v2.component(
    "regio_armoede_slide_keys",
    html="<span></span>",
    js=(Path(__file__).parent / "keys.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def arrow_keys(previous_label: str, next_label: str) -> None:
    _component(data={"previous": previous_label, "next": next_label}, key="slide_keys")
