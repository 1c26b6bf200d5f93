"""Tables as people read them: headers in the page's language, numbers in its format, and a
dash (never "None" or "nan") where a value is missing.

Every table the app shows goes through `display_table`, so one place decides how a count, a
share, a year, a yes/no or a date reads in Dutch and in English. The displayed frame holds
text only: what is shown is exactly what was formatted here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.i18n import TEXTS, fmt_number, t

MISSING = "–"
KINDS = ("text", "count", "number", "year", "flag", "when", "term", "list")


@dataclass(frozen=True)
class Column:
    """One shown column: where its values come from, its header, and how they read.

    kind: ``text`` as is; ``count`` whole numbers with thousands separators; ``number`` with
    ``decimals``; ``year`` plain digits; ``flag`` yes/no; ``when`` a timestamp to the minute;
    ``term`` a code word translated through the interface texts (``term_<value>``), else as is;
    ``list`` a list kept as is (for a sparkline column).
    """

    source: str
    header: str
    kind: str = "text"
    decimals: int = 1

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Column {self.source!r}: kind {self.kind!r}; use one of {KINDS}.")


def is_missing(value: object) -> bool:
    """None, NaN, NaT and pandas' NA all count as missing (lists never do)."""
    if isinstance(value, list | tuple):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _when(value: object) -> str:
    try:
        moment = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    if moment.tzinfo is not None:
        return str(moment.tz_convert("UTC").strftime("%Y-%m-%d %H:%M UTC"))
    return str(moment.strftime("%Y-%m-%d %H:%M"))


def term(value: object, lang: str) -> str:
    """A code word (a level, a source, an aggregation) in the page's language."""
    key = f"term_{value}"
    return t(key, lang) if key in TEXTS else str(value)


def _formatter(column: Column, lang: str) -> Callable[[object], object]:
    kind = column.kind
    if kind == "count":
        return lambda v: fmt_number(float(v), 0, lang)  # type: ignore[arg-type]
    if kind == "number":
        return lambda v: fmt_number(float(v), column.decimals, lang)  # type: ignore[arg-type]
    if kind == "year":
        return lambda v: str(int(v))  # type: ignore[call-overload]
    if kind == "flag":
        return lambda v: t("yes" if bool(v) else "no", lang)
    if kind == "when":
        return _when
    if kind == "term":
        return lambda v: term(v, lang)
    if kind == "list":
        return list  # type: ignore[return-value]
    return str


def cell_text(value: object, column: Column, lang: str) -> object:
    """One value as shown in `column` (a list stays a list for sparkline columns)."""
    if is_missing(value):
        return [] if column.kind == "list" else MISSING
    return _formatter(column, lang)(value)


def column_text(values: pd.Series, column: Column, lang: str) -> list[object]:
    """A whole column as shown: missing values found at once, the rest formatted by one
    formatter (a table of a thousand areas is formatted in a few milliseconds)."""
    raw = values.to_numpy(dtype=object)
    if column.kind == "list":
        return [[] if not isinstance(v, list | tuple) and is_missing(v) else list(v) for v in raw]
    missing = pd.isna(values).to_numpy()
    if column.kind in ("count", "number"):
        decimals = 0 if column.kind == "count" else column.decimals
        return list(numbers_text(values, decimals, lang, missing))
    format_ = _formatter(column, lang)
    return [MISSING if gone else format_(v) for v, gone in zip(raw, missing, strict=True)]


def numbers_text(
    values: pd.Series, decimals: int, lang: str, missing: np.ndarray | None = None
) -> list[str]:
    """Numbers in the language's notation (1.234,5 or 1,234.5), a dash where missing."""
    missing = pd.isna(values).to_numpy() if missing is None else missing
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    pattern = f"{{:,.{decimals}f}}"
    swap = str.maketrans(",.", ".,") if lang == "nl" else None
    out = []
    for value, gone in zip(numbers, missing, strict=True):
        if gone or value != value:
            out.append(MISSING)
            continue
        text = pattern.format(value)
        out.append(text.translate(swap) if swap else text)
    return out


def display_table(frame: pd.DataFrame, columns: Sequence[Column], lang: str) -> pd.DataFrame:
    """`frame` as shown: the chosen columns, in order, under their headers, as text."""
    return pd.DataFrame(
        {column.header: column_text(frame[column.source], column, lang) for column in columns},
        index=range(len(frame)),
    )


def _guess_kind(name: str, values: pd.Series) -> Column:
    if name == "year" or name.endswith("_year"):
        return Column(name, name, "year")
    if pd.api.types.is_bool_dtype(values):
        return Column(name, name, "flag")
    if pd.api.types.is_integer_dtype(values):
        return Column(name, name, "count")
    if pd.api.types.is_float_dtype(values):
        return Column(name, name, "number", decimals=_decimals(values))
    return Column(name, name, "text")


def _decimals(values: pd.Series, most: int = 3) -> int:
    """The fewest decimals (up to `most`) that show every value of `values` exactly."""
    known = values.dropna()
    for decimals in range(most + 1):
        if ((known.round(decimals) - known).abs() < 1e-9).all():
            return decimals
    return most


def preview_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An export's first rows: its own column names (they are the file's contract), its
    numbers in the page's language."""
    return display_table(frame, [_guess_kind(str(c), frame[c]) for c in frame.columns], lang)
