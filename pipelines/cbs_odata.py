"""CBS StatLine OData v3: the shared fetch and parse functions for KWB and 81734NED.

Thin `fetch_*` functions do I/O through the private HTTP layer; `parse_*` functions are pure.
The Feed service (``/ODataFeed/odata/{table}``) pages at 10,000 rows with ``odata.nextLink``,
which `fetch_feed` follows until it is absent.

The service runs on IIS, whose request filtering refuses a query string over 2,048 characters
(HTTP 404.15). Every request is checked against `MAX_QUERY` before it is sent, and long
filters are split over several requests with `split_filter`, planned so that both the request
and the next link CBS would write for it fit in `QUERY_BUDGET`. CBS writes a next link by
repeating every query option percent-encoded (``'`` as ``%27``, ``(`` as ``%28``, ``,`` as
``%2C``) and appending ``&$skip=N``: longer than the request that produced it. A next link
that is still too long is sent as the same request with our shorter encoding and its ``$skip``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pandas as pd

from pipelines._http import HttpClient, Response, build_url
from pipelines.errors import QueryTooLongError, ServiceError, UnknownTableError

#: The longest query string (after ``?``, percent-encoded, as sent) this project sends to CBS.
MAX_QUERY = 2000
#: What a planned request may use: a next link repeats the options and adds ``$skip``/``$top``.
QUERY_BUDGET = 1900

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


def query_length(url: str) -> int:
    """Length of the raw query string of `url` (what IIS' maxQueryString counts)."""
    return len(urlsplit(url).query)


def next_link_length(params: dict[str, str]) -> int:
    """The query length of the next link CBS writes for a request with `params`: every option
    percent-encoded as CBS does, plus ``&$skip=`` and up to seven digits."""
    options = {"$format": "json", **params}
    encoded = "&".join(f"{name}={quote(str(value), safe='')}" for name, value in options.items())
    return len(encoded) + len("&$skip=1000000")


def fits(url: str, params: dict[str, str], budget: int = QUERY_BUDGET) -> bool:
    """Whether a request and the next link CBS would write for it both stay within `budget`."""
    query = query_length(build_url(url, {"$format": "json", **params}))
    return query <= budget and next_link_length(params) <= budget


def check_query(url: str, limit: int = MAX_QUERY) -> None:
    """Refuse to send a URL whose query string the CBS service would refuse (HTTP 404.15)."""
    length = query_length(url)
    if length > limit:
        raise QueryTooLongError(
            f"The request {url[:160]}... has a query string of {length:,} characters; CBS refuses "
            f"more than 2,048 (IIS HTTP 404.15) and this project sends at most {limit:,}. "
            "This is a bug in the request planning (pipelines/cbs_odata.py split_filter); please report it."
        )


def next_request(next_link: str, url: str, query: dict[str, str]) -> str:
    """The URL to send for a next link: the link itself when it fits `MAX_QUERY`, else the
    request it repeats (`query` plus its ``$skip``) in our shorter encoding.

    Raises `QueryTooLongError` for a long link that is not our request plus ``$skip``.
    """
    if query_length(next_link) <= MAX_QUERY:
        return next_link
    options = dict(parse_qsl(urlsplit(next_link).query, keep_blank_values=True))
    skip = options.pop("$skip", "")
    options.pop("$top", None)
    if skip.isascii() and skip.isdigit() and options == query:
        return build_url(url, {**query, "$skip": skip})
    raise QueryTooLongError(
        f"CBS answered with a next link of {query_length(next_link):,} characters "
        f"({next_link[:160]}...), longer than the 2,048 its own server accepts, and it is not "
        "the request plus $skip. This project cannot follow it; please report it with this "
        "message."
    )


def fetch_feed(
    http: HttpClient,
    url: str,
    params: dict[str, str] | None = None,
    not_before: str | None = None,
    fresh: bool = False,
) -> list[Response]:
    """GET an OData v3 Feed entity set, following ``odata.nextLink`` until it is absent.

    Every URL sent, each next link included, is checked against `MAX_QUERY` first (a next link
    over it is re-encoded, see `next_request`). `not_before` refetches cached pages retrieved
    before the table was last modified; `fresh` asks the service first (see `HttpClient`).
    """
    query = {"$format": "json", **(params or {})}
    check_query(build_url(url, query))
    get = partial(http.get_json, validate=_require_value_list, not_before=not_before, fresh=fresh)
    pages = [get(url, query)]
    seen = {pages[0].url}
    while (next_link := pages[-1].data.get("odata.nextLink")) is not None:
        if next_link in seen:
            raise ServiceError(next_link, 200, "odata.nextLink points back to a page already read")
        seen.add(next_link)
        target = next_request(next_link, url, query)
        check_query(target)
        pages.append(get(target))
    return pages


# -- filters that fit -------------------------------------------------------------------------


@dataclass(frozen=True)
class AnyOf:
    """One OData condition: `field` equals (or contains) any of `values`.

    ``how="eq"`` gives ``field eq 'a' or field eq 'b'``; ``how="substringof"`` gives
    ``substringof('a',field) or ...``. Quotes in values are escaped as OData wants.
    """

    field: str
    values: tuple[str, ...]
    how: str = "eq"

    def term(self, value: str) -> str:
        quoted = "'" + value.replace("'", "''") + "'"
        if self.how == "substringof":
            return f"substringof({quoted},{self.field})"
        return f"{self.field} eq {quoted}"

    def text(self) -> str:
        terms = [self.term(v) for v in self.values]
        return terms[0] if len(terms) == 1 else "(" + " or ".join(terms) + ")"


def filter_text(parts: tuple[AnyOf, ...]) -> str:
    """The conjunction of `parts` as an OData ``$filter``."""
    return " and ".join(part.text() for part in parts)


def split_filter(
    url: str, params: dict[str, str], parts: tuple[AnyOf, ...], budget: int = QUERY_BUDGET
) -> list[str]:
    """Filters that together select what ``and``-ing `parts` selects, each request within `budget`.

    The longest value list is halved until every request's query string (with `params`
    and ``$format=json``) fits. Raises `QueryTooLongError` when even single values do not fit.
    """
    text = filter_text(parts)
    if fits(url, {**params, "$filter": text}, budget):
        return [text]
    widest = max(range(len(parts)), key=lambda i: len(parts[i].values))
    values = parts[widest].values
    if len(values) < 2:
        raise QueryTooLongError(
            f"A single filter on {url} does not fit in {budget} characters ({text[:120]}...). "
            "Select fewer columns; this is a bug in the request planning, please report it."
        )
    half = len(values) // 2
    out: list[str] = []
    for chunk in (values[:half], values[half:]):
        narrowed = tuple(
            replace(p, values=chunk) if i == widest else p for i, p in enumerate(parts)
        )
        out += split_filter(url, params, narrowed, budget)
    return out


def split_select(keys: list[str], always: list[str], budget: int) -> list[list[str]]:
    """`keys` in groups whose ``$select`` (each with the `always` keys) stays within `budget`."""
    groups: list[list[str]] = []
    current: list[str] = []
    for key in keys:
        if current and len(",".join([*always, *current, key])) > budget:
            groups.append(current)
            current = []
        current.append(key)
    if current or not groups:
        groups.append(current)
    return [[*always, *group] for group in groups]


def fetch_table_infos(
    http: HttpClient, base: str, table_id: str, not_before: str | None = None
) -> Response:
    """The TableInfos of a table (title, period, modification date): one small request."""
    return fetch_feed(http, feed_url(base, table_id, "TableInfos"), not_before=not_before)[0]


def table_title(infos: Response) -> str:
    """The table's title from its TableInfos response ("" when absent)."""
    rows = infos.data.get("value") or [{}]
    return str(rows[0].get("Title") or "").strip()


def rows_of(pages: list[Response]) -> list[dict[str, Any]]:
    """All rows of a paged entity set."""
    return [row for page in pages for row in page.data["value"]]


def fetch_catalog(http: HttpClient, base: str, title_contains: str) -> list[Response]:
    """Catalog entries whose title contains `title_contains`, asked of the service every time
    (the catalog says which editions exist today); the cached copy only when it is offline."""
    escaped = title_contains.replace("'", "''")
    return fetch_feed(
        http,
        f"{base}/ODataCatalog/Tables",
        {
            "$filter": f"substringof('{escaped}',Title)",
            "$select": "Identifier,ShortTitle,Title,Period,Modified",
        },
        fresh=True,
    )


def fetch_data_properties(
    http: HttpClient, base: str, table_id: str, not_before: str | None = None
) -> list[Response]:
    """The DataProperties (dimensions and topics with key, unit, description) of a table."""
    try:
        return fetch_feed(http, feed_url(base, table_id, "DataProperties"), not_before=not_before)
    except ServiceError as exc:
        if exc.status == 404:
            raise UnknownTableError(
                f"CBS table {table_id!r} does not exist at {base} ({exc.text}). "
                "Check the table id in the CBS catalog and in pipelines/kwb.py or the region config."
            ) from exc
        raise


def parse_topics(properties: list[dict[str, Any]]) -> pd.DataFrame:
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
