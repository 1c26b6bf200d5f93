"""Amsterdam's DSO API (private): HAL JSON pages followed through ``_links.next``.

Datasets `gebieden` and `bbga` answer alike: ``_embedded.<table>`` holds the objects of one
page, ``_links.next.href`` the next page (absent on the last). An API key, when configured,
goes in the ``X-Api-Key`` header, so it never reaches the cache keys, the store or the logs.
"""

from __future__ import annotations

from collections.abc import Callable

from pipelines._http import HttpClient, Response
from pipelines.errors import ServiceError


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
    pages = [http.get_json(url, params, validate=check, headers=headers)]
    seen = {pages[0].url}
    while (nxt := next_link(pages[-1])) is not None:
        if nxt in seen:
            raise ServiceError(nxt, 200, "_links.next points back to a page already read")
        seen.add(nxt)
        pages.append(http.get_json(nxt, validate=check, headers=headers))
    return pages


def embedded(pages: list[Response], table: str) -> list[dict]:
    """The objects of all `pages`, in order."""
    return [obj for page in pages for obj in page.data["_embedded"][table]]
