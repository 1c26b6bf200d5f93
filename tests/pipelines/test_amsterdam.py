"""Amsterdam gebieden: HAL paging and normalisation."""

from __future__ import annotations

import pytest

from pipelines import amsterdam
from pipelines.errors import UnknownRegionError
from tests.conftest import fixture_bytes, fixture_json
from tests.pipelines.fake_http import FakeHttp


def test_fetch_table_follows_links_next():
    base = "https://api.data.amsterdam.nl"
    http = FakeHttp(
        {
            f"{base}/v1/gebieden/buurten/?_format=json&_pageSize=1000": fixture_bytes(
                "amsterdam/buurten_page1.json"
            ),
            f"{base}/v1/gebieden/buurten/?_format=json&_pageSize=2&page=2": fixture_bytes(
                "amsterdam/buurten_page2.json"
            ),
        }
    )
    pages = amsterdam.fetch_table(http, base, "buurten")
    assert len(pages) == 2


def test_normalise_table_links_amsterdam_codes_to_cbs_codes():
    objects = fixture_json("amsterdam/buurten_page1.json")["_embedded"]["buurten"]
    out = amsterdam.normalise_table(objects, "buurten")
    assert list(out["code"]) == ["AA01", "AA02"]
    assert list(out["cbs_code"]) == ["BU0363AA01", "BU0363AA02"]
    assert list(out["identificatie"]) == ["03630980000019", "03630980000020"]  # from id when absent
    assert out["parent_identificatie"].iloc[0] == "03630970000008"
    assert list(out.columns) == amsterdam.COLUMNS


def test_normalise_table_rejects_cbs_codes_outside_amsterdam():
    objects = [{"code": "X", "naam": "Elders", "cbsCode": "BU04790101", "id": "1.1"}]
    with pytest.raises(UnknownRegionError, match="BU04790101"):
        amsterdam.normalise_table(objects, "buurten")
