"""Private HTTP layer: GET with retries, response validation and an on-disk cache keyed by URL.

Every source module fetches through `HttpClient.get_json`. A response is cached only after it
was read completely and parsed (and passed the caller's check), so a truncated or malformed
body is retried and never cached. A rerun with nothing changed is served from the cache;
``force=True`` refetches each URL once per run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import requests

from pipelines.errors import FetchError, ServiceError

T = TypeVar("T")
R = TypeVar("R")

USER_AGENT = "armoede-regio-amsterdam/0.1 (+https://github.com/; open data ETL)"
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def build_url(base: str, params: dict[str, Any] | None = None) -> str:
    """URL with a query string encoded the way OData expects (spaces as %20, `$` kept)."""
    if not params:
        return base
    query = urlencode(params, quote_via=quote, safe="$,'()*:")
    return f"{base}{'&' if '?' in base else '?'}{query}"


_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"<h[1-4][^>]*>(.*?)</h[1-4]>", re.IGNORECASE | re.DOTALL)
_SKIP = re.compile(r"<(script|style|title)[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL)


def error_text(body: str, limit: int = 400) -> str:
    """A service's error body as one short line of text.

    An HTML error page (IIS answers "HTTP Error 404.15 - Not Found" as a page) is reduced to
    its headings, or else to its text without tags.
    """
    if "<html" in body[:500].lower() or "<!doctype" in body[:200].lower():
        headings = [_TAG.sub("", h) for h in _HEADING.findall(body)]
        body = " ".join(headings[:2]) if headings else _TAG.sub(" ", _SKIP.sub(" ", body))
    return " ".join(body.split())[:limit]


def _instant(text: str) -> dt.datetime:
    """An ISO time as an aware UTC instant; a time without zone (CBS's catalog ``Modified``,
    Dutch local time) is read as UTC, which errs towards refetching."""
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Response:
    """A validated JSON response."""

    url: str
    data: Any
    retrieved_at: str
    sha256: str
    from_cache: bool


class _Invalid(Exception):
    """A 200 response whose body is unusable (truncated, not JSON, wrong shape)."""


class HttpClient:
    """GET JSON with retries and a disk cache. Safe to use from several threads."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        force: bool = False,
        retries: int = 6,
        backoff: float = 0.25,
        timeout: tuple[float, float] = (10.0, 120.0),
        max_workers: int = 4,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.force = force
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.max_workers = max_workers
        self._local = threading.local()
        self._lock = threading.Lock()
        self._refetched: set[str] = set()
        self._slots = threading.BoundedSemaphore(max_workers)  # caps requests in flight
        self.stats = {
            "network": 0,
            "cache": 0,
            "retries": 0,
            "longest_query": 0,
            "cache_damaged": 0,
            "cache_unwritable": 0,
            "stale": 0,
        }

    # -- cache --------------------------------------------------------------------------

    def _cache_paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.cache_dir / key[:2]
        return folder / f"{key}.body", folder / f"{key}.meta.json"

    def _read_cache(self, url: str) -> tuple[bytes, dict[str, Any]] | None:
        """The cached body and its metadata, or None when absent or damaged.

        A damaged entry (metadata that is not a JSON object, a body whose checksum differs) is
        treated like a missing one: the URL is fetched again and the entry rewritten. The
        number of damaged entries is counted in ``stats["cache_damaged"]``.
        """
        body_path, meta_path = self._cache_paths(url)
        if not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_bytes().decode("utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            meta, body = None, b""
        valid = (
            isinstance(meta, dict)
            and meta.get("url") == url
            and isinstance(meta.get("retrieved_at"), str)
            and hashlib.sha256(body).hexdigest() == meta.get("sha256")
        )
        if not valid:
            with self._lock:
                self.stats["cache_damaged"] += 1
            return None
        return body, meta

    def cached_sha256(self, url: str) -> str | None:
        """The sha256 the cache holds for the full request `url` (its metadata only, without
        reading the body), or None when it holds none."""
        _, meta_path = self._cache_paths(url)
        try:
            meta = json.loads(meta_path.read_bytes().decode("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("url") != url:
            return None
        sha = meta.get("sha256")
        return sha if isinstance(sha, str) else None

    def _write_cache(self, url: str, body: bytes, meta: dict[str, Any]) -> None:
        """Store a validated response. A cache that cannot be written (read-only, full) is not
        a failure: the build goes on, counted in ``stats["cache_unwritable"]``."""
        body_path, meta_path = self._cache_paths(url)
        suffix = f".tmp-{os.getpid()}-{threading.get_ident()}"
        # Bodies are stored as received: compressing them costs more CPU than the whole parse
        # on a fast link; the checksum in the meta file guards their integrity.
        try:
            body_path.parent.mkdir(parents=True, exist_ok=True)
            for path, payload in ((body_path, body), (meta_path, json.dumps(meta).encode())):
                tmp = path.with_name(path.name + suffix)
                try:
                    tmp.write_bytes(payload)
                    os.replace(tmp, path)
                finally:
                    tmp.unlink(missing_ok=True)
        except OSError:
            with self._lock:
                self.stats["cache_unwritable"] += 1

    # -- network ------------------------------------------------------------------------

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
            self._local.session = session
        return session

    def _download(self, url: str, headers: dict[str, str] | None) -> bytes:
        if not url.startswith("https://"):
            # Plain-HTTP hosts are local mirrors and test servers. Small single-threaded
            # servers often stall ~40 ms on a reused connection (Nagle's algorithm against
            # delayed ACKs); a fresh loopback connection costs ~0.1 ms. TLS hosts keep the
            # connection alive, because a handshake costs far more than that.
            headers = {**(headers or {}), "Connection": "close"}
        with self._slots:
            response = self._session().get(url, timeout=self.timeout, headers=headers)
            body = response.content
        if response.status_code in RETRY_STATUS:
            raise requests.HTTPError(f"HTTP {response.status_code}", response=response)
        if response.status_code >= 400:
            raise ServiceError(url, response.status_code, error_text(response.text))
        return body

    @staticmethod
    def _parse(
        body: bytes,
        validate: Callable[[Any], None] | None,
        parse: Callable[[bytes], Any] | None = None,
    ) -> Any:
        try:
            data = parse(body) if parse is not None else json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise _Invalid(f"the body is not complete JSON ({exc})") from exc
        if validate is not None:
            try:
                validate(data)
            except (ValueError, KeyError, TypeError) as exc:
                raise _Invalid(f"unexpected response shape: {exc}") from exc
        return data

    def _cached(
        self,
        full_url: str,
        validate: Callable[[Any], None] | None,
        parse: Callable[[bytes], Any] | None,
        not_before: str | None,
    ) -> Response | None:
        """The cached response of `full_url`, or None when absent, damaged, unusable or
        retrieved before `not_before` (the service changed the resource since)."""
        cached = self._read_cache(full_url)
        if cached is None:
            return None
        body, meta = cached
        if not_before is not None and _instant(meta["retrieved_at"]) < _instant(not_before):
            return None
        try:
            data = self._parse(body, validate, parse)
        except _Invalid:
            return None
        return Response(full_url, data, meta["retrieved_at"], meta["sha256"], True)

    def _fetch(
        self,
        full_url: str,
        validate: Callable[[Any], None] | None,
        headers: dict[str, str] | None,
        parse: Callable[[bytes], Any] | None,
    ) -> Response:
        """GET over the network with retries; the validated body is cached."""
        last_error: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                with self._lock:
                    self.stats["retries"] += 1
                delay = min(self.backoff * 2 ** (attempt - 1), 8.0)
                time.sleep(delay * (0.75 + 0.5 * random.random()))
            try:
                with self._lock:
                    self.stats["network"] += 1
                    query = len(urlsplit(full_url).query)
                    self.stats["longest_query"] = max(self.stats["longest_query"], query)
                body = self._download(full_url, headers)
                data = self._parse(body, validate, parse)
            except (requests.RequestException, _Invalid) as exc:
                last_error = exc
                continue
            retrieved_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
            digest = hashlib.sha256(body).hexdigest()
            self._write_cache(
                full_url, body, {"url": full_url, "retrieved_at": retrieved_at, "sha256": digest}
            )
            with self._lock:
                self._refetched.add(full_url)
            return Response(full_url, data, retrieved_at, digest, False)
        raise FetchError(full_url, self.retries + 1, last_error)

    def get_json(
        self,
        url: str,
        params: dict[str, Any] | None = None,
        *,
        validate: Callable[[Any], None] | None = None,
        headers: dict[str, str] | None = None,
        parse: Callable[[bytes], Any] | None = None,
        fresh: bool = False,
        not_before: str | None = None,
    ) -> Response:
        """GET `url` (with `params`) as JSON, from the cache when possible.

        Retries connection errors, HTTP 5xx/429 and incomplete or malformed bodies with
        exponential back-off. Raises `ServiceError` at once for other HTTP errors (the
        service's own message included) and `FetchError` when all attempts failed.
        `parse` replaces ``json.loads`` (it must raise ValueError for a broken body).
        `fresh` asks the network first (what editions exist today) and falls back to the
        cached copy only when the service cannot be reached (``stats["stale"]`` counts those).
        `not_before` (ISO time) refuses a cached copy retrieved before it: the service says the
        resource changed since.
        """
        full_url = build_url(url, params)
        use_cache = not self.force or full_url in self._refetched
        if use_cache and not fresh:
            cached = self._cached(full_url, validate, parse, not_before)
            if cached is not None:
                with self._lock:
                    self.stats["cache"] += 1
                return cached
        try:
            return self._fetch(full_url, validate, headers, parse)
        except FetchError:
            cached = self._cached(full_url, validate, parse, None) if fresh else None
            if cached is None:
                raise
            with self._lock:
                self.stats["stale"] += 1
            return cached

    def map(
        self, func: Callable[[T], R], items: Iterable[T], progress: Callable[[], None] | None = None
    ) -> list[R]:
        """Apply `func` to `items` concurrently (I/O bound), keeping the order of `items`."""
        items = list(items)
        if not items:
            return []
        with ThreadPoolExecutor(max_workers=min(self.max_workers, len(items))) as pool:
            futures = [pool.submit(func, item) for item in items]
            results = []
            try:
                for future in futures:
                    results.append(future.result())
                    if progress is not None:
                        progress()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
            return results
