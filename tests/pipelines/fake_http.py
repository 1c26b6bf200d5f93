"""A stand-in for HttpClient that answers from fixtures, for unit tests of fetch functions."""

from __future__ import annotations

import hashlib
import json

from pipelines._http import HttpClient, Response, build_url


class FakeHttp(HttpClient):
    """Answers `get_json` from a dict of URL prefix -> body bytes (or an exception to raise);
    records requested URLs."""

    def __init__(self, answers: dict[str, bytes]) -> None:
        super().__init__(cache_dir="/nonexistent", max_workers=2)
        self.answers = answers
        self.requested: list[str] = []
        self.headers: list[dict | None] = []
        self.options: dict[str, dict] = {}  # per URL: the fresh / not_before it was asked with

    def get_json(
        self,
        url,
        params=None,
        *,
        validate=None,
        headers=None,
        parse=None,
        fresh=False,
        not_before=None,
    ) -> Response:
        full = build_url(url, params)
        self.requested.append(full)
        self.headers.append(headers)
        self.options[full] = {"fresh": fresh, "not_before": not_before}
        matches = [prefix for prefix in self.answers if full.startswith(prefix)]
        if not matches:
            raise AssertionError(f"unexpected request {full}")
        body = self.answers[max(matches, key=len)]
        if isinstance(body, Exception):
            raise body
        data = self._parse(body, validate, parse)
        return Response(
            full, data, "2024-01-01T00:00:00+00:00", hashlib.sha256(body).hexdigest(), False
        )


def as_bytes(obj) -> bytes:
    return json.dumps(obj).encode()
