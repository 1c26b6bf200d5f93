"""How a source publishes its figures, where it changes what a number means.

Amsterdam's BBGA (and its successor) publishes counts of 1 to 4 as 5 and percentages above 90
as 90, to protect small groups. A 5 there means "1 to 5" and a 90 "90 or more": the map's
hover, the profile and the exports say so beside such values (`bound`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Counts of 1 to 4 are published as this value.
ROUNDED_COUNT = 5.0
#: Percentages above this value are published as this value.
CAPPED_SHARE = 90.0
#: The sources that publish this way.
SOURCES = frozenset({"bbga"})

NOTES = {
    "<=": (
        "1 tot en met 5 (de bron rondt 1 tot 4 af op 5)",
        "1 to 5 (the source rounds 1 to 4 up to 5)",
    ),
    ">=": (
        "90 of meer (de bron zet hoger dan 90 op 90)",
        "90 or more (the source sets above 90 to 90)",
    ),
}


def bound(values: pd.Series, unit: str | pd.Series, source: str | pd.Series) -> np.ndarray:
    """Per value "<=" (a published 5 that stands for 1 to 5), ">=" (a published 90 % that
    stands for 90 or more) or "" (the value as it is)."""
    units = pd.Series(unit, index=values.index) if isinstance(unit, str) else unit
    sources = pd.Series(source, index=values.index) if isinstance(source, str) else source
    ours = sources.isin(SOURCES).to_numpy()
    counted = (units == "aantal").to_numpy() & (values == ROUNDED_COUNT).to_numpy()
    capped = (units == "%").to_numpy() & (values == CAPPED_SHARE).to_numpy()
    out = np.full(len(values), "", dtype=object)
    out[ours & counted] = "<="
    out[ours & capped] = ">="
    return out


def note(mark: str, lang: str = "nl") -> str:
    """What a "<=" or ">=" mark means, in words ("" for no mark)."""
    if mark not in NOTES:
        return ""
    nl, en = NOTES[mark]
    return en if lang == "en" else nl
