"""A damaged response cache is a missing one: refetched, said once, never a traceback."""

from __future__ import annotations

import json
import os

import pytest

from pipelines._http import HttpClient

GOOD = json.dumps({"value": [{"Key": "GM0363"}]}).encode()


@pytest.mark.parametrize(
    "meta",
    [b"not json{{", os.urandom(64), b"[1,2]", b'{"url": 5}', b"", b'{"url": "x", "sha256": "0"}'],
    ids=["text", "random", "list", "wrong-types", "empty", "wrong-url"],
)
def test_damaged_cache_metadata_is_refetched_and_rewritten(stub_server, tmp_path, meta):
    stub_server.routes["/t"] = [(200, GOOD, "")]
    url = f"{stub_server.url}/t"
    first = HttpClient(tmp_path / "cache", backoff=0.01)
    first.get_json(url)
    _, meta_path = first._cache_paths(url)
    meta_path.write_bytes(meta)
    again = HttpClient(tmp_path / "cache", backoff=0.01)
    assert again.get_json(url).data["value"][0]["Key"] == "GM0363"
    assert again.stats == {**again.stats, "network": 1, "cache": 0, "cache_damaged": 1}
    third = HttpClient(tmp_path / "cache", backoff=0.01)
    third.get_json(url)
    assert third.stats["cache"] == 1 and third.stats["cache_damaged"] == 0  # rewritten


def test_a_body_that_no_longer_matches_its_checksum_is_refetched(stub_server, tmp_path):
    stub_server.routes["/t"] = [(200, GOOD, "")]
    url = f"{stub_server.url}/t"
    client = HttpClient(tmp_path / "cache", backoff=0.01)
    client.get_json(url)
    body_path, _ = client._cache_paths(url)
    body_path.write_bytes(GOOD[:-3])
    again = HttpClient(tmp_path / "cache", backoff=0.01)
    again.get_json(url)
    assert again.stats["network"] == 1 and again.stats["cache_damaged"] == 1


def test_a_cache_that_cannot_be_written_does_not_stop_the_fetch(stub_server, tmp_path, tmpfs):
    stub_server.routes["/t"] = [(200, GOOD, "")]
    folder = tmpfs("1m", read_only=True)
    client = HttpClient(folder / "cache", backoff=0.01)
    assert client.get_json(f"{stub_server.url}/t").data["value"]
    assert client.stats["cache_unwritable"] == 1
