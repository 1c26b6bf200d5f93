"""Amsterdam's own areas from the DSO API (dataset gebieden): buurten, wijken, ggwgebieden, stadsdelen.

Amsterdam names and codes its areas itself (buurt ``AA01`` "Planciusbuurt-Noord"); buurten and
wijken carry their CBS code (``cbsCode``), which links them to the KWB figures. The API pages
HAL JSON with ``_links.next``; all current objects are pulled.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geodata import store
from pipelines._http import HttpClient, Response
from pipelines.errors import ServiceError, UnknownRegionError

TABLES = {
    "buurten": "buurt",
    "wijken": "wijk",
    "ggwgebieden": "ggwgebied",
    "stadsdelen": "stadsdeel",
}
PAGE_SIZE = 1000
COLUMNS = list(store.SCHEMA["amsterdam_areas"])
PARENT_FIELD = {
    "buurten": "ligtInWijkIdentificatie",
    "wijken": "ligtInStadsdeelIdentificatie",
    "ggwgebieden": "ligtInStadsdeelIdentificatie",
}


def _validate_hal(table: str):
    def check(data: object) -> None:
        if not isinstance(data, dict) or not isinstance(
            (data.get("_embedded") or {}).get(table), list
        ):
            raise ValueError(f"expected HAL JSON with _embedded.{table}")

    return check


def fetch_table(http: HttpClient, base: str, table: str) -> list[Response]:
    """All pages of one gebieden table, following ``_links.next``."""
    url = f"{base}/v1/gebieden/{table}/"
    pages = [
        http.get_json(
            url, {"_format": "json", "_pageSize": str(PAGE_SIZE)}, validate=_validate_hal(table)
        )
    ]
    seen = {pages[0].url}
    while (nxt := ((pages[-1].data.get("_links") or {}).get("next") or {}).get("href")) is not None:
        if nxt in seen:
            raise ServiceError(nxt, 200, "_links.next points back to a page already read")
        seen.add(nxt)
        pages.append(http.get_json(nxt, validate=_validate_hal(table)))
    return pages


def _text(value: object) -> str | None:
    return None if value is None else str(value).strip() or None


def normalise_table(objects: list[dict], table: str) -> pd.DataFrame:
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


@dataclass
class AmsterdamResult:
    areas: pd.DataFrame
    responses: list[tuple[str, int, Response, int]]


def run(http: HttpClient, base: str, progress=None) -> AmsterdamResult:
    """Pull the four gebieden tables."""
    tables = list(TABLES)
    pages_per_table = http.map(lambda t: fetch_table(http, base, t), tables, progress=progress)
    frames, responses = [], []
    for table, pages in zip(tables, pages_per_table, strict=True):
        objects = [o for p in pages for o in p.data["_embedded"][table]]
        frames.append(normalise_table(objects, table))
        responses += [
            (f"Amsterdam gebieden {table}", 0, p, len(p.data["_embedded"][table])) for p in pages
        ]
    return AmsterdamResult(areas=pd.concat(frames, ignore_index=True), responses=responses)
