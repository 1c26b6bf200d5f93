"""When a rebuild would write what the store holds: the pure decision and its digest."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from geodata.config import Settings
from pipelines import uptodate
from pipelines.editions import Offers
from pipelines.kwb import KwbEdition

SOURCES = pd.DataFrame(
    {
        "url": ["https://x/a?1", "https://x/b"],
        "sha256": ["aa", "bb"],
        "status": ["ok", "ok"],
    }
)
PLAN = [("kwb", [2023, 2024]), ("amsterdam", [])]


def test_the_same_inputs_and_responses_are_up_to_date():
    cached = {"https://x/a?1": "aa", "https://x/b": "bb"}
    assert uptodate.unchanged("d", "d", SOURCES, 0, cached.get)


def test_anything_else_is_not():
    cached = {"https://x/a?1": "aa", "https://x/b": "bb"}
    assert not uptodate.unchanged("d", "e", SOURCES, 0, cached.get)  # other inputs
    assert not uptodate.unchanged(None, "d", SOURCES, 0, cached.get)  # an older store
    assert not uptodate.unchanged("d", "d", SOURCES, 1, cached.get)  # a failure to retry
    assert not uptodate.unchanged("d", "d", SOURCES.iloc[:0], 0, cached.get)  # nothing held
    gap = SOURCES.assign(status=["ok", "gap"])
    assert not uptodate.unchanged("d", "d", gap, 0, cached.get)
    other = {**cached, "https://x/b": "cc"}  # the service answered something else
    assert not uptodate.unchanged("d", "d", SOURCES, 0, other.get)
    assert not uptodate.unchanged("d", "d", SOURCES, 0, {"https://x/b": "bb"}.get)  # not cached


def digest(settings: Settings, offers: Offers, plan=PLAN, harmonisation=(True, None)) -> str:
    return uptodate.inputs_digest(settings, offers, plan, harmonisation, code="code")


def test_the_digest_follows_what_decides_the_build():
    day = Settings(amsterdam_geldig_op=dt.date(2026, 12, 5))
    offers = Offers(
        kwb={2024: KwbEdition(2024, "85984NED", "Kerncijfers 2024", None)}, asked={"kwb"}
    )
    base = digest(day, offers)
    assert base == digest(day, offers)
    assert base != digest(replace(day, amsterdam_geldig_op=dt.date(2026, 12, 6)), offers)
    assert base != digest(replace(day, cbs_odata_url="http://127.0.0.1:9/cbs"), offers)
    assert base != digest(replace(day, amsterdam_api_key="k"), offers)
    newer = replace(offers, kwb={**offers.kwb, 2025: KwbEdition(2025, "86165NED", "KWB", None)})
    assert base != digest(day, newer)
    assert base != digest(day, offers, plan=[("kwb", [2024])])
    assert base != digest(day, offers, harmonisation=(True, 2023))
    assert base != uptodate.inputs_digest(day, offers, PLAN, (True, None), code="other")


def test_the_plan_reads_as_a_line():
    assert uptodate.plan_text([("kwb", [2015, 2016, 2017]), ("flows", [2011, 2014])]) == (
        "kwb 2015-2017; flows 2011,2014"
    )
    assert uptodate.plan_text([("amsterdam", [])]) == "amsterdam -"


def test_the_code_digest_changes_with_a_file(tmp_path):
    (tmp_path / "pipelines").mkdir()
    (tmp_path / "pipelines" / "a.py").write_text("x = 1\n")
    first = uptodate.code_digest(tmp_path)
    (tmp_path / "pipelines" / "a.py").write_text("x = 2\n")
    assert uptodate.code_digest(tmp_path) != first
