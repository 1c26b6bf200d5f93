"""CBS StatLine OData v3: the shared fetch and parse functions for KWB and 81734NED.

Thin `fetch_*` functions do I/O through the private HTTP layer; `parse_*` functions are pure.
The Feed service (``/ODataFeed/odata/{table}``) pages at 10,000 rows with ``odata.nextLink``,
which `fetch_feed` follows until it is absent.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from pipelines._http import HttpClient, Response
from pipelines.errors import ServiceError, UnknownTableError

_SUFFIX = re.compile(r"_\d+$")


def key_stem(key: str) -> str:
    """The stable part of a CBS topic key: ``GemiddeldInkomenPerInwoner_72`` -> ``GemiddeldInkomenPerInwoner``."""
    return _SUFFIX.sub("", key)


def _require_value_list(data: Any) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("value"), list):
        raise ValueError("expected an OData v3 JSON object with a 'value' list")


def feed_url(base: str, table_id: str, entity: str = "") -> str:
    path = f"{base}/ODataFeed/odata/{table_id}"
    return f"{path}/{entity}" if entity else path


def fetch_feed(http: HttpClient, url: str, params: dict[str, str] | None = None) -> list[Response]:
    """GET an OData v3 Feed entity set, following ``odata.nextLink`` until it is absent."""
    query = {"$format": "json", **(params or {})}
    pages = [http.get_json(url, query, validate=_require_value_list)]
    seen = {pages[0].url}
    while (next_link := pages[-1].data.get("odata.nextLink")) is not None:
        if next_link in seen:
            raise ServiceError(next_link, 200, "odata.nextLink points back to a page already read")
        seen.add(next_link)
        pages.append(http.get_json(next_link, validate=_require_value_list))
    return pages


def rows_of(pages: list[Response]) -> list[dict]:
    """All rows of a paged entity set."""
    return [row for page in pages for row in page.data["value"]]


def fetch_catalog(http: HttpClient, base: str, title_contains: str) -> list[Response]:
    """Catalog entries whose title contains `title_contains`."""
    escaped = title_contains.replace("'", "''")
    return fetch_feed(
        http,
        f"{base}/ODataCatalog/Tables",
        {
            "$filter": f"substringof('{escaped}',Title)",
            "$select": "Identifier,ShortTitle,Title,Period,Modified",
        },
    )


def fetch_data_properties(http: HttpClient, base: str, table_id: str) -> list[Response]:
    """The DataProperties (dimensions and topics with key, unit, description) of a table."""
    try:
        return fetch_feed(http, feed_url(base, table_id, "DataProperties"))
    except ServiceError as exc:
        if exc.status == 404:
            raise UnknownTableError(
                f"CBS table {table_id!r} does not exist at {base} ({exc.text}). "
                "Check the table id in the CBS catalog and in pipelines/kwb.py or the region config."
            ) from exc
        raise


def parse_topics(properties: list[dict]) -> pd.DataFrame:
    """Topics of a DataProperties list, with their stem and the title of their topic group.

    Returns columns key, stem, title, unit, datatype, description, group_title.
    """
    by_id = {p.get("ID"): p for p in properties}
    rows = []
    for prop in properties:
        if prop.get("Type") != "Topic":
            continue
        parent = by_id.get(prop.get("ParentID"))
        rows.append(
            {
                "key": prop["Key"],
                "stem": key_stem(prop["Key"]),
                "title": (prop.get("Title") or "").strip(),
                "unit": (prop.get("Unit") or "").strip(),
                "datatype": prop.get("Datatype"),
                "description": (prop.get("Description") or "").strip(),
                "group_title": ((parent or {}).get("Title") or "").strip(),
            }
        )
    return pd.DataFrame(
        rows, columns=["key", "stem", "title", "unit", "datatype", "description", "group_title"]
    )


_MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_DATE = re.compile(
    r"(?:peildatum|per|op)\s+(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d{2})",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"(?:verslagjaar|peiljaar|betrekking op(?: het jaar)?|gegevens over(?: het jaar)?|cijfers over(?: het jaar)?)"
    r"\s+((?:19|20)\d{2})",
    re.IGNORECASE,
)
_TITLE_YEAR = re.compile(r"\(((?:19|20)\d{2})\)\s*$")


def parse_reference_period(*texts: str) -> str | None:
    """The reference date or year that CBS states in a topic's metadata, or None.

    Recognises "peildatum 1 januari 2019" (-> "2019-01-01"), "verslagjaar 2017",
    "betrekking op 2017" (-> "2017") and a title ending in "(2017)". Returns None when the
    text states no period; the store then leaves the field empty rather than guess.
    """
    for text in texts:
        if not text:
            continue
        if match := _DATE.search(text):
            day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], match.group(3)
            return f"{year}-{month:02d}-{day:02d}"
        if match := _YEAR.search(text):
            return match.group(1)
        if match := _TITLE_YEAR.search(text):
            return match.group(1)
    return None


def strip_keys(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Copy of `frame` with CBS's right-padded string keys trimmed."""
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = out[column].str.strip()
    return out
