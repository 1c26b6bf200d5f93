"""Amsterdam's own areas from the DSO API (dataset gebieden): buurten, wijken, ggwgebieden, stadsdelen.

Amsterdam names and codes its areas itself (buurt ``AA01`` "Planciusbuurt-Noord"); buurten and
wijken carry their CBS code (``cbsCode``), which links them to the KWB figures. The API pages
HAL JSON with ``_links.next``. The API is temporal: every request asks for the objects valid
on one date (``geldigOp``, today unless configured), or ended versions would come back beside
the current ones. When an API key is configured it is sent as ``X-Api-Key`` (a header, so it
never reaches the cache keys, the store or the logs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd

from geodata import schema
from pipelines._dso import hal_pages
from pipelines._http import HttpClient, Response
from pipelines.errors import UnknownRegionError
from pipelines.result import Provenance, SourceResult

SOURCE = "amsterdam"

TABLES = {
    "buurten": "buurt",
    "wijken": "wijk",
    "ggwgebieden": "ggwgebied",
    "stadsdelen": "stadsdeel",
}
PAGE_SIZE = 1000
COLUMNS = list(schema.SCHEMA["amsterdam_areas"])
PARENT_FIELD = {
    "buurten": "ligtInWijkIdentificatie",
    "wijken": "ligtInStadsdeelIdentificatie",
    "ggwgebieden": "ligtInStadsdeelIdentificatie",
}


def table_params(geldig_op: dt.date) -> dict[str, str]:
    return {"_format": "json", "_pageSize": str(PAGE_SIZE), "geldigOp": geldig_op.isoformat()}


def fetch_table(
    http: HttpClient,
    base: str,
    table: str,
    geldig_op: dt.date,
    api_key: str | None = None,
) -> list[Response]:
    """All pages of one gebieden table valid on `geldig_op`, following ``_links.next``."""
    return hal_pages(http, f"{base}/v1/gebieden/{table}/", table_params(geldig_op), table, api_key)


def _text(value: object) -> str | None:
    return None if value is None else str(value).strip() or None


def normalise_table(objects: list[dict[str, Any]], table: str) -> pd.DataFrame:
    """API objects into `amsterdam_areas` rows."""
    rows = []
    for obj in objects:
        rows.append(
            {
                "kind": TABLES[table],
                "identificatie": _text(
                    obj.get("identificatie") or (obj.get("id") or "").split(".")[0]
                ),
                "code": _text(obj.get("code")),
                "name": _text(obj.get("naam")),
                "cbs_code": _text(obj.get("cbsCode")),
                "parent_identificatie": _text(obj.get(PARENT_FIELD.get(table, ""), None)),
                "stadsdeel_identificatie": _text(obj.get("ligtInStadsdeelIdentificatie")),
                "ggwgebied_identificatie": _text(obj.get("ligtInGgwgebiedIdentificatie")),
                "begin_geldigheid": _text(obj.get("beginGeldigheid")),
                "eind_geldigheid": _text(obj.get("eindGeldigheid")),
            }
        )
    out = pd.DataFrame(rows, columns=COLUMNS)
    bad = out["cbs_code"].dropna()
    bad = bad[~bad.str.match(r"^(BU|WK)0363[0-9A-Z]+$")]
    if len(bad):
        raise UnknownRegionError(
            f"Amsterdam gebieden/{table} has CBS codes outside Amsterdam (GM0363): {list(bad[:5])}. "
            "The API changed its cbsCode field; check pipelines/amsterdam.py."
        )
    return out


def run(
    http: HttpClient,
    base: str,
    geldig_op: dt.date,
    api_key: str | None = None,
    progress: Callable[[], None] | None = None,
) -> SourceResult:
    """Pull the four gebieden tables as valid on `geldig_op`."""
    tables = list(TABLES)
    pages_per_table = http.map(
        lambda t: fetch_table(http, base, t, geldig_op, api_key), tables, progress=progress
    )
    frames, provenance = [], []
    for table, pages in zip(tables, pages_per_table, strict=True):
        objects = [o for p in pages for o in p.data["_embedded"][table]]
        frames.append(normalise_table(objects, table))
        provenance += [
            Provenance(SOURCE, "gebieden", table, None, p, len(p.data["_embedded"][table]))
            for p in pages
        ]
    return SourceResult(
        source=SOURCE,
        years=(),
        tables={"amsterdam_areas": pd.concat(frames, ignore_index=True)},
        provenance=provenance,
    )
