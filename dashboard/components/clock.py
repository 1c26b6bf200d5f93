"""A clock for the presenter view: time of day and minutes since the start (drawn in the
browser, so it ticks without reruns)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.palette import INK

_component = st.components.v2.component(
    "regio_armoede_clock",
    html=f'<div class="rc-clock" style="font-size:40px;font-weight:600;color:{INK}"></div>',
    js=(Path(__file__).parent / "clock.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def clock(code: str, minutes_label: str) -> None:
    _component(data={"code": code, "minutes": minutes_label}, key="presenter_clock")
