"""Official focus-area lists (NPLV, Amsterdam's ontwikkelbuurten) from a versioned CSV file.

`official_focus_areas.csv` names each area by CBS code prefix, wijk name or buurt name, with
the list it belongs to and the public document it comes from. Users can extend the file; each
row is validated. Matching happens per boundary year, so an area that is not in a year's
division (for example Amsterdam's letter codes before 2022) is simply not matched.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geodata.errors import ConfigError

FOCUS_FILE = Path(__file__).resolve().parent / "official_focus_areas.csv"
COLUMNS = ["list_name", "label", "gemeente_code", "match_kind", "match_value", "source"]
MATCH_KINDS = ("code_prefix", "wijk_name", "buurt_name")


def load_focus_lists(path: Path = FOCUS_FILE) -> pd.DataFrame:
    """The official list rows, validated; a bad row is reported with its line number."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise ConfigError(
            f"Cannot read {path}: {exc}. Fix the CSV (columns {', '.join(COLUMNS)})."
        ) from exc
    if list(frame.columns) != COLUMNS:
        raise ConfigError(f"{path} has columns {list(frame.columns)}; expected {COLUMNS}.")
    for line, row in zip(range(2, len(frame) + 2), frame.itertuples(index=False), strict=True):
        if row.match_kind not in MATCH_KINDS:
            raise ConfigError(
                f"{path} line {line}: match_kind {row.match_kind!r}; use one of {', '.join(MATCH_KINDS)}."
            )
        if not row.source.strip():
            raise ConfigError(f"{path} line {line}: every entry must cite its source document.")
        if not (row.gemeente_code.startswith("GM") and len(row.gemeente_code) == 6):
            raise ConfigError(
                f"{path} line {line}: gemeente_code {row.gemeente_code!r} is not a code like GM0363."
            )
    return frame


def match_official_areas(areas: pd.DataFrame, lists: pd.DataFrame) -> pd.DataFrame:
    """Which areas of one boundary year fall in an official list.

    `areas` has code, name, level, gemeente_code, wijk_code (all levels of one year). Returns
    code, list_name, label, source for every matched wijk and buurt (a buurt in a matched wijk
    matches too).
    """
    rows = []
    wijk_names = areas[areas["level"] == "wijk"].set_index("code")["name"]
    for entry in lists.itertuples(index=False):
        in_gemeente = areas[areas["gemeente_code"] == entry.gemeente_code]
        if entry.match_kind == "code_prefix":
            hit = in_gemeente[in_gemeente["code"].str[2:].str.startswith(entry.match_value)]
        elif entry.match_kind == "buurt_name":
            hit = in_gemeente[
                (in_gemeente["level"] == "buurt")
                & (in_gemeente["name"].str.casefold() == entry.match_value.casefold())
            ]
        else:
            wijken = [
                c
                for c, n in wijk_names.items()
                if c[2:6] == entry.gemeente_code[2:]
                and n.casefold() == entry.match_value.casefold()
            ]
            hit = in_gemeente[
                in_gemeente["code"].isin(wijken) | in_gemeente["wijk_code"].isin(wijken)
            ]
        hit = hit[hit["level"] != "gemeente"]
        for code in hit["code"]:
            rows.append(
                {
                    "code": code,
                    "list_name": entry.list_name,
                    "label": entry.label,
                    "source": entry.source,
                }
            )
    return pd.DataFrame(rows, columns=["code", "list_name", "label", "source"]).drop_duplicates(
        ["code", "list_name"], ignore_index=True
    )
