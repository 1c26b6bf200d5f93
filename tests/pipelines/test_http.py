"""The private HTTP layer: retries, validation, the cache and its error messages."""

from __future__ import annotations

import json

import pytest

from pipelines._http import HttpClient, build_url, error_text
from pipelines.errors import FetchError, ServiceError
from tests.conftest import fixture_bytes

GOOD = json.dumps({"value": [{"Key": "GM0363    "}]}).encode()


def client(tmp_path, **kwargs) -> HttpClient:
    options = {"backoff": 0.01, "retries": 3, **kwargs}
    return HttpClient(tmp_path / "cache", **options)


def test_build_url_encodes_spaces_as_percent_20_and_keeps_dollar():
    url = build_url(
        "http://x/TypedDataSet", {"$filter": "WijkenEnBuurten eq 'GM0363'", "$format": "json"}
    )
    assert url == "http://x/TypedDataSet?$filter=WijkenEnBuurten%20eq%20'GM0363'&$format=json"


def test_retries_503_then_succeeds(stub_server, tmp_path):
    stub_server.routes["/t"] = [(503, b"busy", ""), (503, b"busy", ""), (200, GOOD, "")]
    http = client(tmp_path)
    response = http.get_json(f"{stub_server.url}/t")
    assert response.data["value"][0]["Key"] == "GM0363    "
    assert stub_server.hits["/t"] == 3
    assert http.stats["retries"] == 2


def test_truncated_body_is_retried_and_never_cached(stub_server, tmp_path):
    stub_server.routes["/t"] = [(200, GOOD, "truncate"), (200, GOOD, "")]
    http = client(tmp_path)
    assert http.get_json(f"{stub_server.url}/t").data["value"]
    assert stub_server.hits["/t"] == 2


def test_malformed_body_fails_after_all_attempts_with_url_and_fix(stub_server, tmp_path):
    stub_server.routes["/t"] = [(200, b"{not json", "")]
    with pytest.raises(FetchError) as info:
        client(tmp_path).get_json(f"{stub_server.url}/t")
    message = str(info.value)
    assert f"{stub_server.url}/t" in message
    assert "4 attempts" in message
    assert "rerun `python -m pipelines build`" in message
    assert not list((tmp_path / "cache").rglob("*.body"))


def test_validation_failure_is_retried(stub_server, tmp_path):
    stub_server.routes["/t"] = [(200, b'{"other": 1}', ""), (200, GOOD, "")]

    def needs_value(data):
        if "value" not in data:
            raise ValueError("no value")

    assert client(tmp_path).get_json(f"{stub_server.url}/t", validate=needs_value).data["value"]


def test_client_error_is_raised_at_once_with_the_service_message(stub_server, tmp_path):
    text = b"Error getting TypedDataSet for '99999NED': Could not find a table named '99999NED'."
    stub_server.routes["/t"] = [(404, text, "")]
    with pytest.raises(ServiceError) as info:
        client(tmp_path).get_json(f"{stub_server.url}/t")
    assert info.value.status == 404
    assert "Could not find a table named '99999NED'" in str(info.value)
    assert stub_server.hits["/t"] == 1


def test_second_get_comes_from_cache(stub_server, tmp_path):
    stub_server.routes["/t"] = [(200, GOOD, "")]
    first = client(tmp_path).get_json(f"{stub_server.url}/t", {"$format": "json"})
    second = client(tmp_path).get_json(f"{stub_server.url}/t", {"$format": "json"})
    assert stub_server.hits["/t"] == 1
    assert not first.from_cache and second.from_cache
    assert second.retrieved_at == first.retrieved_at
    assert second.sha256 == first.sha256


def test_force_refetches_once_per_run(stub_server, tmp_path):
    stub_server.routes["/t"] = [(200, GOOD, "")]
    client(tmp_path).get_json(f"{stub_server.url}/t")
    forced = client(tmp_path, force=True)
    forced.get_json(f"{stub_server.url}/t")
    forced.get_json(f"{stub_server.url}/t")
    assert stub_server.hits["/t"] == 2


def test_corrupt_cache_entry_is_refetched(stub_server, tmp_path):
    stub_server.routes["/t"] = [(200, GOOD, "")]
    client(tmp_path).get_json(f"{stub_server.url}/t")
    for body in (tmp_path / "cache").rglob("*.body"):
        body.write_bytes(b"garbage")
    assert client(tmp_path).get_json(f"{stub_server.url}/t").data["value"]
    assert stub_server.hits["/t"] == 2


def test_unreachable_host_names_url_and_resume_hint(tmp_path):
    from geodata.loopback import free_port

    url = f"http://127.0.0.1:{free_port()}/cbs"
    with pytest.raises(FetchError) as info:
        client(tmp_path, retries=1).get_json(url)
    assert url in str(info.value)
    assert "existing store was left unchanged" in str(info.value)


def test_an_iis_error_page_becomes_one_readable_line(stub_server, tmp_path):
    page = fixture_bytes("cbs/iis_404_15.html")
    stub_server.routes["/t"] = [(404, page, "")]
    with pytest.raises(ServiceError) as info:
        client(tmp_path).get_json(f"{stub_server.url}/t")
    assert info.value.status == 404
    assert info.value.text == (
        "HTTP Error 404.15 - Not Found The request filtering module is configured to deny a "
        "request where the query string is too long."
    )
    assert stub_server.hits["/t"] == 1  # a 4xx is not retried


def test_error_text_of_plain_bodies_is_kept_on_one_line():
    assert error_text("Error getting TypedDataSet:\r\n could not find X") == (
        "Error getting TypedDataSet: could not find X"
    )
    assert len(error_text("x" * 5000)) == 400


def test_longest_query_string_sent_is_counted(stub_server, tmp_path):
    stub_server.routes["/t"] = [(200, GOOD, "")]
    http = client(tmp_path)
    http.get_json(f"{stub_server.url}/t", {"$filter": "a" * 50})
    assert http.stats["longest_query"] == len("$filter=" + "a" * 50)


def test_a_fresh_request_asks_the_service_even_when_cached(stub_server, tmp_path):
    newer = json.dumps({"value": [{"Key": "GM0363    "}, {"Key": "GM0362    "}]}).encode()
    stub_server.routes["/catalog"] = [(200, GOOD, ""), (200, newer, "")]
    client(tmp_path).get_json(f"{stub_server.url}/catalog")
    again = client(tmp_path).get_json(f"{stub_server.url}/catalog", fresh=True)
    assert stub_server.hits["/catalog"] == 2 and not again.from_cache
    assert len(again.data["value"]) == 2  # what the service says today


def test_a_fresh_request_falls_back_to_the_cache_when_the_service_is_down(stub_server, tmp_path):
    stub_server.routes["/catalog"] = [(200, GOOD, ""), (503, b"down", "")]
    stub_server.routes["/other"] = [(503, b"down", "")]
    client(tmp_path).get_json(f"{stub_server.url}/catalog")
    http = client(tmp_path, retries=1)
    stale = http.get_json(f"{stub_server.url}/catalog", fresh=True)
    assert stale.from_cache and stale.data["value"][0]["Key"] == "GM0363    "
    assert http.stats["stale"] == 1
    with pytest.raises(FetchError):  # nothing cached: the failure is reported
        http.get_json(f"{stub_server.url}/other", fresh=True)


def test_a_cached_copy_older_than_the_tables_modification_is_fetched_again(stub_server, tmp_path):
    stub_server.routes["/t"] = [(200, GOOD, "")]
    first = client(tmp_path).get_json(f"{stub_server.url}/t")
    earlier = "2020-01-01T02:00:00"  # modified before the copy was retrieved: the copy is good
    assert client(tmp_path).get_json(f"{stub_server.url}/t", not_before=earlier).from_cache
    later = "2999-01-01T00:00:00"  # CBS changed the table after the copy was retrieved
    again = client(tmp_path).get_json(f"{stub_server.url}/t", not_before=later)
    assert not again.from_cache and stub_server.hits["/t"] == 2
    assert first.retrieved_at <= again.retrieved_at


def test_the_cached_checksum_is_read_from_the_metadata_alone(tmp_path):
    http = HttpClient(tmp_path)
    url = "https://example.org/feed?$top=1"
    assert http.cached_sha256(url) is None
    http._write_cache(
        url, b"{}", {"url": url, "retrieved_at": "2026-12-05T00:00:00+00:00", "sha256": "ab"}
    )
    assert http.cached_sha256(url) == "ab"
    _, meta = http._cache_paths(url)
    meta.write_text("not json")
    assert http.cached_sha256(url) is None
