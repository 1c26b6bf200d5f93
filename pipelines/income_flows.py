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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geodata import store
from geodata.config import Region
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


@dataclass
class ParsedFile:
    rows: pd.DataFrame
    sha256: str


def parse_income_flows(text: str, region: Region, path: Path = Path("<csv>")) -> pd.DataFrame:
    """Validate CSV text and return the rows as the `income_flows` table; raise on any bad row."""
    reader = csv.reader(text.splitlines())
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportError_(
            path, [(1, "the file is empty; expected the header " + ",".join(COLUMNS))]
        ) from None
    if header != COLUMNS:
        raise ImportError_(
            path, [(1, f"header is {','.join(header)}; expected {','.join(COLUMNS)}")]
        )
    known = set(region.all_codes) | {NATIONAL}
    problems: list[tuple[int, str]] = []
    rows: list[tuple] = []
    seen: dict[tuple, int] = {}
    for line, fields in enumerate(reader, start=2):
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(COLUMNS):
            problems.append((line, f"has {len(fields)} fields; expected {len(COLUMNS)}"))
            continue
        year, origin, destination, group, households = (f.strip() for f in fields)
        errors = []
        if not year.isdigit() or not 1990 <= int(year) <= dt.date.today().year:
            errors.append(f"year {year!r} is not a calendar year up to now")
        for name, code in (("origin_code", origin), ("destination_code", destination)):
            if code not in known:
                errors.append(
                    f"{name} {code!r} is not a municipality of the region (geodata/region.toml) or NL01"
                )
        if origin == destination and origin:
            errors.append("origin_code and destination_code are the same")
        if group not in INCOME_GROUPS:
            errors.append(f"income_group {group!r} is not one of {', '.join(INCOME_GROUPS)}")
        try:
            count = int(households)
            if count < 0:
                raise ValueError
        except ValueError:
            errors.append(f"households {households!r} is not a whole number >= 0")
            count = None
        key = (year, origin, destination, group)
        if key in seen:
            errors.append(
                f"duplicates line {seen[key]} (same year, origin, destination and income group)"
            )
        else:
            seen[key] = line
        if errors:
            problems.append((line, "; ".join(errors)))
        else:
            rows.append((int(year), origin, destination, group, count))
    if problems:
        raise ImportError_(path, problems)
    if not rows:
        raise ImportError_(path, [(2, "the file has a header but no rows")])
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(COLUMNS[:4], ignore_index=True)


def run(path: Path, store_path: Path, region: Region, source: str) -> int:
    """Import `path` into the store's `income_flows` (replacing it); returns the row count."""
    if not source.strip():
        raise PipelineError(
            "Name the source of the table with --source (e.g. 'CBS maatwerk 2025/123')."
        )
    body = Path(path).read_bytes()
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportError_(Path(path), [(1, f"the file is not UTF-8 ({exc})")]) from exc
    table = parse_income_flows(text, region, Path(path))
    store.require_store(store_path)
    tables = store.read_all(store_path)
    tables["income_flows"] = table
    sources = tables.get("sources", pd.DataFrame(columns=list(store.SCHEMA["sources"])))
    sources = sources[sources["source"] != "income_flows"]
    row = {
        "source": "income_flows",
        "table_id": source.strip(),
        "entity": Path(path).name,
        "year": None,
        "url": Path(path).resolve().as_uri(),
        "retrieved_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "rows": len(table),
        "sha256": hashlib.sha256(body).hexdigest(),
        "test_data": False,
        "status": "ok",
        "note": None,
    }
    tables["sources"] = pd.concat([sources, pd.DataFrame([row])], ignore_index=True)
    store.write_store(store_path, tables)
    return len(table)
