"""The map's indicator picker: a native select whose pick recolours the map in the browser at
once (from `data.recolour_url`) while the rerun brings everything else."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import streamlit as st

from dashboard.palette import CONTROL_BACKGROUND, CONTROL_BORDER

_HTML = (
    '<div class="rc-picker"><label for="rc-indicator-select"></label>'
    '<select id="rc-indicator-select" data-testid="rc-indicator-select"></select></div>'
)
_CSS = f"""
.rc-picker label {{ display: block; font-size: 14px; margin-bottom: 0.25rem; }}
.rc-picker select {{ width: 100%; font: inherit; font-size: 15px; padding: 0.45rem 0.5rem;
  border-radius: 0.5rem; border: 1px solid {CONTROL_BORDER}; background: {CONTROL_BACKGROUND}; }}
"""
_component = st.components.v2.component(
    "regio_armoede_indicator_picker",
    html=_HTML,
    css=_CSS,
    js=(Path(__file__).parent / "picker.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def indicator_picker(
    label: str,
    groups: list[tuple[str, list[tuple[str, str]]]],
    value: str,
    key: str,
) -> str | None:
    """Show the picker with `value` chosen; returns the indicator picked in the browser (the
    component's state), or None when nothing was picked in this instance yet."""
    payload = [{"label": g, "options": options} for g, options in groups]
    signature = hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12]
    result = _component(
        data={"label": label, "groups": payload, "value": value, "signature": signature},
        key=key,
        on_indicator_change=lambda: None,
    )
    picked = getattr(result, "indicator", None)
    return picked if isinstance(picked, str) else None
