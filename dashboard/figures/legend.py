"""The map legend: what the map page and the change map draw beside the map, as HTML.

Drawn by us rather than by plotly, so that swatches and type are as large as a projector needs.
Every text is escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from dashboard.i18n import t
from dashboard.palette import ESTIMATED_COLOR, FOCUS_COLOR, NO_DATA_COLOR, OFFICIAL_COLOR


@dataclass(frozen=True)
class Legend:
    """A map legend: a swatch per class, 'no data' (or what grey means here), the outlines."""

    labels: list[str]
    colors: list[str]
    unit: str
    show_focus: bool = False
    show_official: bool = False
    no_data: str | None = None  # what grey means here, when it is not "no data"
    show_estimated: bool = False  # harmonised: the outline of a partly estimated buurt


def legend_html(legend: Legend, lang: str) -> str:
    """An HTML legend: the unit, the classes, 'no data', and the outline layers when shown.

    Every text is escaped; the 'no data' swatch is the plain grey the map draws.
    """
    rows = [f'<div class="rc-legend-title">{html.escape(legend.unit)}</div>']
    for label, color in zip(legend.labels, legend.colors, strict=True):
        rows.append(
            f'<div><span class="sw" style="background:{color}"></span>{html.escape(label)}</div>'
        )
    rows.append(
        f'<div><span class="sw" style="background:{NO_DATA_COLOR}"></span>'
        f"{html.escape(legend.no_data or t('no_data', lang))}</div>"
    )
    if legend.show_focus:
        rows.append(
            f'<div><span class="sw" style="border:3px solid {FOCUS_COLOR}"></span>{t("focus_data_driven", lang)}</div>'
        )
    if legend.show_official:
        rows.append(
            f'<div><span class="sw" style="border:3px solid {OFFICIAL_COLOR}"></span>{t("focus_official", lang)}</div>'
        )
    if legend.show_estimated:
        rows.append(
            f'<div><span class="sw" style="border:3px solid {ESTIMATED_COLOR}"></span>{t("estimated_legend", lang)}</div>'
        )
    style = (
        "<style>.rc-legend div{display:flex;align-items:center;gap:.5em;margin:.15em 0;font-size:1rem}"
        ".rc-legend .sw{display:inline-block;width:1.4em;height:1em;border:1px solid #666}"
        ".rc-legend-title{font-weight:600}</style>"
    )
    return style + '<div class="rc-legend">' + "".join(rows) + "</div>"
