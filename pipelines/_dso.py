"""Amsterdam's DSO API (private): HAL JSON pages followed through ``_links.next``.

Datasets `gebieden` and `bbga` answer alike: ``_embedded.<table>`` holds the objects of one
page, ``_links.next.href`` the next page (absent on the last). An API key, when configured,
goes in the ``X-Api-Key`` header, so it never reaches the cache keys, the store or the logs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from pipelines._http import HttpClient, Response
from pipelines.errors import ApiKeyError, SchemaError, ServiceError

_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")

#: Where a key for Amsterdam's API is asked for (the DSO API's documentation).
KEY_FORM = "https://keys.api.data.amsterdam.nl/clients/v1/register/"


def _message(text: str) -> str:
    """The ``message`` of a JSON error body (``{"message":"API key missing"}``), else the text."""
    try:
        body = json.loads(text)
    except ValueError:
        return text
    return str(body.get("message") or text) if isinstance(body, dict) else text


def key_error(exc: ServiceError, api_key: str | None) -> ApiKeyError | None:
    """The one-line error for a refused key: 401 "API key missing", 400 "invalid API key"."""
    text = _message(exc.text).lower()
    if exc.status == 401 or (exc.status in (400, 403) and "api key" in text):
        if api_key and exc.status != 401:
            return ApiKeyError(
                f"Amsterdam's API refused AMSTERDAM_API_KEY as invalid (HTTP {exc.status}: "
                f"{_message(exc.text)}).",
                "check the value of AMSTERDAM_API_KEY (no quotes or spaces), or ask a new key at "
                f"{KEY_FORM}; then rerun.",
            )
        return ApiKeyError(
            f"Amsterdam's API asks for an API key (HTTP {exc.status}: {_message(exc.text)}); "
            "AMSTERDAM_API_KEY is not set.",
            f"set AMSTERDAM_API_KEY to a key from {KEY_FORM} and rerun.",
        )
    return None


def api_headers(api_key: str | None) -> dict[str, str] | None:
    """The ``X-Api-Key`` header when a key is configured."""
    return {"X-Api-Key": api_key} if api_key else None


def hal_validator(table: str) -> Callable[[object], None]:
    """A response check: HAL JSON with a list under ``_embedded.<table>``."""

    def check(data: object) -> None:
        if not isinstance(data, dict) or not isinstance(
            (data.get("_embedded") or {}).get(table), list
        ):
            raise ValueError(f"expected HAL JSON with _embedded.{table}")

    return check


def next_link(page: Response) -> str | None:
    """The URL of the page after `page`, or None on the last page."""
    links = page.data.get("_links") or {}
    return ((links.get("next") or {}) if isinstance(links, dict) else {}).get("href")


def hal_pages(
    http: HttpClient,
    url: str,
    params: dict[str, str],
    table: str,
    api_key: str | None = None,
) -> list[Response]:
    """Every page of one listing, in order; a ``next`` link that loops is refused."""
    headers, check = api_headers(api_key), hal_validator(table)
    try:
        pages = [http.get_json(url, params, validate=check, headers=headers)]
        seen = {pages[0].url}
        while (nxt := next_link(pages[-1])) is not None:
            if nxt in seen:
                raise ServiceError(nxt, 200, "_links.next points back to a page already read")
            seen.add(nxt)
            pages.append(http.get_json(nxt, validate=check, headers=headers))
    except ServiceError as exc:
        refused = key_error(exc, api_key)
        if refused is not None:
            raise refused from exc
        raise
    return pages


def embedded_rows(table: str) -> Callable[[Response], int]:
    """Counts the objects of `table` in one HAL page (for provenance)."""

    def rows(page: Response) -> int:
        return len(page.data["_embedded"][table])

    return rows


def embedded(pages: list[Response], table: str) -> list[dict[str, Any]]:
    """The objects of all `pages`, in order."""
    return [obj for page in pages for obj in page.data["_embedded"][table]]


# -- strict parsing shared by the BBGA and its successor ----------------------------------


def strict_number(value: object, where: str) -> float:
    """A number, or NaN for null and "" (the live API sometimes sends "" for no value)."""
    if value is None or value == "":
        return float("nan")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and _NUMBER.match(value):
        return float(value)
    raise SchemaError(
        f"{where}: waarde {value!r} is not a number. Amsterdam's answer changed; check "
        "pipelines/bbga.py and pipelines/statistieken.py."
    )


def one_value_per_key(frame: pd.DataFrame) -> pd.DataFrame:
    """One value per (variable, year, area): exact repeats (overlapping pages) are dropped, two
    different values for one key are refused."""
    key = ["variable", "year", "gebiedcode15"]
    frame = frame.drop_duplicates()
    clash = frame[frame.duplicated(key, keep=False)]
    if len(clash):
        first = clash.iloc[0]
        raise SchemaError(
            f"{first['variable']} {first['year']} {first['gebiedcode15']} has "
            f"{len(clash)} different values. The answer is inconsistent; rerun with --force, "
            "and report it to the API's maintainers when it persists."
        )
    return frame.reset_index(drop=True)
