"""Import origin-destination moves by income group (CBS maatwerk or a research office's table).

CBS 81734NED counts persons without income. Custom tables deliver households per origin,
destination and income group; this module validates such a CSV and puts it in the store table
`income_flows`. Every row is checked; when any row is bad, nothing is written and every bad
row is reported with its line number.

CSV columns (header required, UTF-8, comma-separated):
``year,origin_code,destination_code,income_group,households``
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from geodata import schema, store
from geodata.config import Region
from geodata.store import Store
from pipelines.errors import PipelineError

COLUMNS = ["year", "origin_code", "destination_code", "income_group", "households"]

#: Accepted income groups and what they mean (see the README).
INCOME_GROUPS = {
    "laag_inkomen": "huishoudens onder de lage-inkomensgrens van CBS",
    "geen_laag_inkomen": "huishoudens op of boven de lage-inkomensgrens van CBS",
    "kwintiel_1": "laagste 20% gestandaardiseerd besteedbaar huishoudensinkomen (landelijk)",
    "kwintiel_2": "tweede 20%",
    "kwintiel_3": "middelste 20%",
    "kwintiel_4": "vierde 20%",
    "kwintiel_5": "hoogste 20%",
    "onbekend": "inkomen onbekend",
}
LOW_INCOME_GROUPS = ("laag_inkomen", "kwintiel_1")
NATIONAL = "NL01"


class ImportError_(PipelineError):
    """The CSV has bad rows; `problems` lists them as (line, message)."""

    def __init__(self, path: Path, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        listing = "\n".join(f"  line {line}: {message}" for line, message in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(
            f"{path}: {len(problems)} bad row(s); nothing was imported. Fix these rows and run the "
            f"import again:\n{listing}{more}"
        )


#: A household count fits in a 32-bit integer; a larger number is a mistake in the file.
MAX_HOUSEHOLDS = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def ascii_int(text: str) -> int | None:
    """A whole number written with ASCII digits only (no sign, '_', spaces or other scripts)."""
    return int(text) if _DIGITS.fullmatch(text) else None


def check_row(fields: list[str], known: set[str]) -> tuple[tuple[Any, ...] | None, list[str]]:
    """One data row as (year, origin, destination, group, households), or the problems."""
    year_text, origin, destination, group, households_text = (f.strip() for f in fields)
    errors = []
    year = ascii_int(year_text)
    if year is None or not 1990 <= year <= dt.date.today().year:
        errors.append(f"year {year_text!r} is not a calendar year up to now (ASCII digits)")
    for name, code in (("origin_code", origin), ("destination_code", destination)):
        if code not in known:
            errors.append(
                f"{name} {code!r} is not a municipality of the region (geodata/region.toml) or NL01"
            )
    if origin == destination and origin:
        errors.append("origin_code and destination_code are the same")
    if group not in INCOME_GROUPS:
        errors.append(f"income_group {group!r} is not one of {', '.join(INCOME_GROUPS)}")
    households = ascii_int(households_text)
    if households is None or households > MAX_HOUSEHOLDS:
        errors.append(
            f"households {households_text[:40]!r} is not a whole number from 0 to "
            f"{MAX_HOUSEHOLDS:,} (ASCII digits)"
        )
    if errors:
        return None, errors
    return (year, origin, destination, group, households), []


def records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) per CSV record; a record spanning lines is refused."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    for fields in reader:
        yield line, fields
        line = reader.line_num + 1


def parse_header(first: tuple[int, list[str]] | None, path: Path) -> None:
    if first is None:
        raise ImportError_(
            path, [(1, "the file is empty; expected the header " + ",".join(COLUMNS))]
        )
    header = [h.strip() for h in first[1]]
    if header != COLUMNS:
        raise ImportError_(
            path, [(1, f"header is {','.join(header)}; expected {','.join(COLUMNS)}")]
        )


def parse_income_flows(text: str, region: Region, path: Path = Path("<csv>")) -> pd.DataFrame:
    """Validate CSV text and return the rows as the `income_flows` table; raise on any bad row."""
    lines = records(text)
    parse_header(next(lines, None), path)
    known = set(region.all_codes) | {NATIONAL}
    problems: list[tuple[int, str]] = []
    rows: list[tuple[Any, ...]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, fields in lines:
        if not any(f.strip() for f in fields):
            continue
        if any("\n" in f or "\r" in f for f in fields):
            problems.append((line, "a quoted field spans several lines; keep each row on one line"))
            continue
        if len(fields) != len(COLUMNS):
            problems.append((line, f"has {len(fields)} fields; expected {len(COLUMNS)}"))
            continue
        row, errors = check_row(fields, known)
        if row is not None:
            key = row[:4]  # compared as values: 2022 and 02022 are the same year
            if key in seen:
                errors = [
                    f"duplicates line {seen[key]} (same year, origin, destination and income group)"
                ]
            else:
                seen[key] = line
        if errors or row is None:
            problems.append((line, "; ".join(errors)))
        else:
            rows.append(row)
    if problems:
        raise ImportError_(path, problems)
    if not rows:
        raise ImportError_(path, [(2, "the file has a header but no rows")])
    frame = pd.DataFrame(rows, columns=COLUMNS).astype({"year": "int64", "households": "int64"})
    return frame.sort_values(COLUMNS[:4], ignore_index=True)


def read_text(path: Path) -> tuple[str, bytes]:
    """The CSV's text (UTF-8, a BOM allowed) and its bytes."""
    try:
        body = Path(path).read_bytes()
    except OSError as exc:
        raise PipelineError(f"Cannot read {path}: {exc.strerror or exc}. Check the path.") from exc
    try:
        return body.decode("utf-8-sig"), body
    except UnicodeDecodeError as exc:
        raise ImportError_(Path(path), [(1, f"the file is not UTF-8 ({exc})")]) from exc


def source_row(path: Path, body: bytes, source: str, rows: int) -> pd.DataFrame:
    """The `sources` row that says who delivered the imported table."""
    return pd.DataFrame(
        [
            {
                "source": "income_flows",
                "table_id": source.strip(),
                "entity": Path(path).name,
                "year": None,
                "url": Path(path).resolve().as_uri(),
                "retrieved_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                "rows": rows,
                "sha256": hashlib.sha256(body).hexdigest(),
                "test_data": False,
                "status": "ok",
                "note": None,
            }
        ],
        columns=list(schema.SCHEMA["sources"]),
    )


def run(path: Path, target: Store, region: Region, source: str) -> int:
    """Import `path` into the store's `income_flows` (replacing it); returns the row count.

    Only what the import owns is written: the `income_flows` table and its row in `sources`,
    under the writers' lock, so a build running at the same time cannot lose it.
    """
    if not source.strip():
        raise PipelineError(
            "Name the source of the table with --source (e.g. 'CBS maatwerk 2025/123')."
        )
    text, body = read_text(path)
    table = parse_income_flows(text, region, Path(path))
    with target.lock():
        target.require()
        target.publish(
            store.Publish(
                {"income_flows": table},
                rows={
                    "sources": store.RowReplacement(
                        source_row(path, body, source, len(table)), {"source": "income_flows"}
                    )
                },
            )
        )
    return len(table)
