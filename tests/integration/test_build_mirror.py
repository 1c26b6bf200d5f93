"""Full builds against the local mirror: values, suppression, mergers, idempotence and faults."""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from geodata import schema
from geodata.backends import open_store
from geodata.catalogue import load_catalogue, parse_catalogue
from geodata.config import Gemeente, Settings, load_region
from pipelines import build as build_mod
from pipelines import kwb
from pipelines import mirror as mirror_mod
from pipelines._http import HttpClient
from pipelines.check import run_check
from pipelines.errors import BuildGapsError, PipelineError
from tests.conftest import mirror_settings, require_mirror

pytestmark = pytest.mark.mirror


def mirror_json(mirror, path: str, attempts: int = 8):
    """A response of the mirror, read directly as a reference (retried: the suite may run
    against a mirror that fails some answers on purpose, see MIRROR_FAULTS)."""
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(f"{mirror.url}{path}") as response:
                return json.loads(response.read())
        except (urllib.error.HTTPError, ValueError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


def content(path, ignore_urls: bool = False) -> dict[str, pd.DataFrame]:
    """Every table, with retrieval times dropped and geometry as WKB, for comparisons.

    `ignore_urls` also drops source URLs and checksums (bodies embed the URL), for stores
    built from mirrors on different ports.
    """
    tables = open_store(path).read_all()
    out = {}
    for name, frame in tables.items():
        if "geometry" in frame:
            frame = pd.DataFrame(frame).assign(geometry=frame.geometry.to_wkb())
        if name == "sources":
            frame = frame.drop(
                columns=["retrieved_at", "url", "sha256"] if ignore_urls else ["retrieved_at"]
            )
        if name == "indicator_sources":
            frame = frame.drop(columns=["retrieved_at"])
        if name == "service_editions":
            frame = frame.drop(columns=["checked_at"])
        if name == "build_info":
            continue  # about the build (its plan, URLs, time), not the content
        out[name] = frame.reset_index(drop=True)
    return out


def assert_same_content(a, b, ignore_urls: bool = False) -> None:
    ca, cb = content(a, ignore_urls), content(b, ignore_urls)
    assert sorted(ca) == sorted(cb)
    for name in ca:
        pd.testing.assert_frame_equal(ca[name], cb[name], obj=name)


def quick_http(settings, **kwargs) -> HttpClient:
    return HttpClient(settings.cache_dir, backoff=0.02, **kwargs)


def test_store_has_every_table_and_the_units_of_each_year(built_store, mirror):
    path = built_store.store
    assert set(open_store(path).tables()) == set(schema.SCHEMA) - {
        "income_flows"
    }  # that one is imported
    areas = open_store(path).areas()
    counts = areas.groupby(["year", "level"]).size()
    # The mirror's README lists the units per KWB year; the land units of PDOK match them.
    assert (
        counts[(2019, "buurt")] == 995
        and counts[(2019, "wijk")] == 229
        and counts[(2019, "gemeente")] == 17
    )
    assert counts[(2024, "buurt")] == 1214 and counts[(2024, "gemeente")] == 15
    assert areas.crs.to_epsg() == 28992
    assert areas.geometry.is_valid.all()


def test_values_equal_the_mirror_responses(built_store, mirror):
    raw = mirror_json(
        mirror,
        "/cbs/ODataFeed/odata/84583NED/TypedDataSet?$format=json&$filter=startswith(WijkenEnBuurten,'BU0363')",
    )["value"]
    key = next(k for k in raw[0] if k.startswith("HuishoudensMetEenLaagInkomen_"))
    expected = {r["WijkenEnBuurten"].strip(): r[key] for r in raw}
    values = open_store(built_store.store).values(indicator="low_income_households_pct", year=2019)
    values = values[values["area_code"].str.startswith("BU0363")]
    got = dict(zip(values["area_code"], values["value"], strict=True))
    assert got.keys() == expected.keys()
    suppressed = [code for code, value in expected.items() if value is None]
    assert suppressed, "the mirror suppresses some buurten"
    for code, value in expected.items():
        if value is None:
            assert pd.isna(got[code]), f"{code} is suppressed at CBS and must stay missing"
        else:
            assert got[code] == pytest.approx(value)


def test_indicator_sources_trace_every_value(built_store):
    sources = open_store(built_store.store).table("indicator_sources")
    low = sources[sources["indicator"] == "low_income_households_pct"].set_index("year")
    assert low.loc[2019, "table_id"] == "84583NED"
    assert low.loc[2019, "source_key"].startswith("HuishoudensMetEenLaagInkomen_")
    woz = sources[sources["indicator"] == "woz_mean_keur"].set_index("year")
    assert woz.loc[2019, "source_key"].startswith("GemiddeldeWoningwaarde_")  # another stem in 2019
    assert woz.loc[2015, "source_key"].startswith("GemiddeldeWoningwaarde_")
    assert woz.loc[2020, "source_key"].startswith("GemiddeldeWOZWaardeVanWoningen_")
    non_western = sources[sources["indicator"] == "non_western_background_pct"].set_index("year")
    assert non_western.loc[2023, "status"] == "not_published"
    assert set(sources["status"]) <= {"published", "not_published", "empty_in_table"}  # no gaps
    assert sources.loc[sources["status"] == "published", "retrieved_at"].notna().all()


def test_kwb_2024_has_the_persons_poverty_measure_not_the_household_one(built_store):
    path = built_store.store
    sources = open_store(path).table("indicator_sources").set_index(["indicator", "year"])
    for household in (
        "low_income_households_pct",
        "social_minimum_households_pct",
        "social_minimum_110_households_pct",
        "social_minimum_120_households_pct",
    ):
        assert sources.loc[(household, 2024), "status"] == "not_published"
        assert sources.loc[(household, 2023), "status"] == "published"
    assert sources.loc[("persons_in_poverty_pct", 2024), "source_key"].startswith(
        "PersonenInArmoede_"
    )
    values = open_store(path).values(indicator="persons_in_poverty_pct", year=2024)
    assert values["area_code"].str.startswith("BU").sum() > 1000
    assert values["value"].notna().sum() > 900


def test_every_source_records_whether_it_is_test_data(built_store):
    sources = open_store(built_store.store).table("sources")
    marked = sources.groupby("source")["test_data"].any()
    assert marked["kwb"] and marked["flows"] and marked["boundaries"]
    assert not marked["amsterdam"]  # the gebieden API has no test-data marking
    assert set(sources["status"]) == {"ok"}
    kwb_rows = sources[sources["source"] == "kwb"]
    assert set(kwb_rows["entity"]) >= {"TableInfos", "DataProperties", "TypedDataSet", "catalog"}
    assert (
        kwb_rows.loc[kwb_rows["entity"] == "TypedDataSet", "table_id"].str.fullmatch(r"\d{5}NED")
    ).all()


def test_every_query_string_sent_stays_under_the_limit(tmp_path):
    with mirror_mod.running_mirror(require_mirror()) as fresh:
        settings = mirror_settings(fresh, tmp_path)
        http = quick_http(settings)
        build_mod.build(settings, http=http, log=lambda _: None)
        stats = mirror_json(fresh, "/__stats")
    assert 0 < stats["longest_query"]["cbs"] < 2000
    assert http.stats["longest_query"] == max(stats["longest_query"].values())


def test_the_pdok_layers_of_each_year_are_read_from_its_capabilities(built_store):
    sources = open_store(built_store.store).table("sources")
    pdok = sources[(sources["source"] == "boundaries") & (sources["entity"] != "GetCapabilities")]
    layers = pdok.groupby("year")["entity"].agg(set)
    assert layers.loc[2020] == {
        "wijkenbuurten2020:cbs_gemeente_2020",
        "wijkenbuurten2020:cbs_wijken_2020",
        "wijkenbuurten2020:cbs_buurten_2020",
    }
    assert layers.loc[2023] == {
        "wijkenbuurten:gemeenten",
        "wijkenbuurten:wijken",
        "wijkenbuurten:buurten",
    }


def test_merged_municipalities(built_store):
    path = built_store.store
    gemeenten = open_store(path).areas(level="gemeente")
    years_of = gemeenten.groupby("code")["year"].agg(["min", "max"])
    assert tuple(years_of.loc["GM0457"]) == (2015, 2022)  # Weesp until KWB 2022 (merged 24 March)
    assert tuple(years_of.loc["GM0370"]) == (
        2015,
        2021,
    )  # Beemster until KWB 2021 (merged 1 January 2022)
    flows = open_store(path).table("flows")
    assert flows.loc[flows["origin_code"] == "GM0457", "year"].max() == 2021
    assert flows.loc[flows["destination_code"] == "GM0370", "year"].max() == 2021
    totals = flows[(flows["origin_code"] == "GM0363") & (flows["destination_code"] == "NL01")]
    assert list(totals["year"]) == list(range(2011, 2025))


def test_a_rebuild_from_cache_is_identical_and_asks_only_what_may_be_new(built_store, tmp_path):
    """From the cache except the three questions whose answer changes when a service publishes
    something: the KWB editions in the CBS catalog, 81734NED's periods, and whether Amsterdam's
    statistieken successor answers (a 404 is never cached)."""
    second = replace(built_store, store=str(tmp_path / "again.gpkg"))
    http = HttpClient(built_store.cache_dir)
    build_mod.build(second, http=http, log=lambda _: None)
    assert http.stats["network"] == 3
    assert_same_content(built_store.store, second.store)


def test_a_rebuild_with_nothing_new_writes_nothing_and_force_rewrites(built_store, tmp_path):
    """Same services, same answers, same code: the build says so and leaves the store as it
    is (not a byte changed); --force refetches and rewrites it."""
    again = replace(built_store, store=str(tmp_path / "store.gpkg"))
    shutil.copy(built_store.store, again.store)
    before = Path(again.store).read_bytes()
    http = HttpClient(built_store.cache_dir)
    summary = build_mod.build(again, http=http, log=lambda _: None)
    assert summary.up_to_date and summary.lines()[0] == f"Store up to date: {again.store}"
    assert "nothing was written" in " ".join(summary.lines())
    assert Path(again.store).read_bytes() == before
    assert http.stats["network"] <= 3  # only what may be new: the catalog, the periods
    forced = build_mod.build(
        again, http=quick_http(again, force=True), force=True, log=lambda _: None
    )
    assert not forced.up_to_date and Path(again.store).read_bytes() != before
    info = open_store(again.store).table("build_info")
    assert len(info) == 1 and info["plan"].iloc[0].startswith("kwb 2015-2025")


def test_a_rebuild_is_not_up_to_date_when_a_response_or_the_plan_changed(built_store, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(built_store.cache_dir, cache)
    again = replace(built_store, store=str(tmp_path / "store.gpkg"), cache_dir=cache)
    shutil.copy(built_store.store, again.store)
    older = build_mod.build(again, years=[2024, 2025], http=HttpClient(cache), log=lambda _: None)
    assert not older.up_to_date  # another plan than the store's: built, and recorded
    same = build_mod.build(again, years=[2024, 2025], http=HttpClient(cache), log=lambda _: None)
    assert same.up_to_date
    # the service answered something else since: its cached copy has another checksum
    url = str(open_store(again.store).table("sources")["url"].iloc[0])
    _, meta_path = HttpClient(cache)._cache_paths(url)
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "sha256": "0" * 64}))
    changed = build_mod.build(again, years=[2024, 2025], http=HttpClient(cache), log=lambda _: None)
    assert not changed.up_to_date


def test_fail_rate_gives_the_same_content(built_store, tmp_path):
    with mirror_mod.running_mirror(require_mirror(), "--fail-rate", "0.2", "--seed", "3") as faulty:
        settings = mirror_settings(faulty, tmp_path)
        http = quick_http(settings, retries=8)
        build_mod.build(settings, http=http, log=lambda _: None)
    assert http.stats["retries"] > 0
    faulty_content = content(settings.store)
    reference = content(built_store.store)
    for name in ("areas", "indicator_values", "indicator_sources", "flows", "amsterdam_areas"):
        pd.testing.assert_frame_equal(faulty_content[name], reference[name], obj=name)


def test_truncated_responses_are_detected_and_retried(built_store, tmp_path):
    with mirror_mod.running_mirror(
        require_mirror(), "--truncate-rate", "0.2", "--seed", "5"
    ) as faulty:
        settings = mirror_settings(faulty, tmp_path)
        http = quick_http(settings, retries=8)
        build_mod.build(settings, http=http, only=("kwb", "flows"), log=lambda _: None)
    assert http.stats["retries"] > 0
    got = content(settings.store)["indicator_values"]
    reference = content(built_store.store)["indicator_values"]
    cbs = {i.id for i in kwb.cbs_indicators(load_catalogue())}  # only kwb was rebuilt here
    reference = reference[reference["indicator"].isin(cbs)].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, reference)


def test_killing_the_mirror_leaves_the_old_store_and_the_build_resumes(built_store, tmp_path):
    target = tmp_path / "store.gpkg"
    shutil.copy(built_store.store, target)
    before = target.read_bytes()
    faulty = mirror_mod.start_mirror(require_mirror(), "--latency", "0.05")
    settings = replace(mirror_settings(faulty, tmp_path), store=str(target))
    errors: list[Exception] = []

    def run() -> None:
        try:
            build_mod.build(
                settings, http=quick_http(settings, retries=2), strict=True, log=lambda _: None
            )
        except Exception as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(1.0)
    faulty.stop()
    worker.join(timeout=120)
    assert errors and isinstance(errors[0], (BuildGapsError, PipelineError))
    message = str(errors[0])
    assert f"127.0.0.1:{faulty.port}" in message
    assert "rerun later" in message
    assert target.read_bytes() == before  # the old store is untouched
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]

    again = mirror_mod.start_mirror(require_mirror(), port=faulty.port)
    try:
        http = quick_http(settings)
        build_mod.build(settings, http=http, log=lambda _: None)
    finally:
        again.stop()
    assert http.stats["cache"] > 0  # resumed from what was fetched before the kill
    assert_same_content(built_store.store, target, ignore_urls=True)


def test_nothing_fetched_at_all_is_an_error_and_writes_nothing(built_store, tmp_path):
    target = tmp_path / "store.gpkg"
    shutil.copy(built_store.store, target)
    before = target.read_bytes()
    base = Settings(store=str(target), cache_dir=tmp_path / "cache")
    dead = replace(
        base,
        cbs_odata_url="http://127.0.0.1:9/cbs",
        pdok_url="http://127.0.0.1:9/pdok",
        amsterdam_api_url="http://127.0.0.1:9/amsterdam",
    )
    with pytest.raises(PipelineError, match="Nothing could be fetched"):
        build_mod.build(dead, http=quick_http(dead, retries=0), years=[2019], log=lambda _: None)
    assert target.read_bytes() == before


RENAMED_STEM = """
[[indicator]]
id = "low_income_households_pct"
group = "inkomen"
label_nl = "x"
label_en = "x"
unit = "%"
description_nl = "x"
description_en = "x"
aggregation = "mean"
weight = "population"
direction = "higher_is_worse"
sources = [{ years = "2015-2023", stem = "HuishoudensMetEenHeelLaagInkomen", unit = "%" }]

[[indicator]]
id = "population"
group = "bevolking"
label_nl = "x"
label_en = "x"
unit = "aantal"
description_nl = "x"
description_en = "x"
aggregation = "sum"
direction = "neutral"
sources = [{ years = "2015-2024", stem = "AantalInwoners", unit = "aantal" }]
"""


def test_a_gap_keeps_the_previous_values_and_is_reported(built_store, tmp_path):
    target = tmp_path / "store.gpkg"
    shutil.copy(built_store.store, target)
    settings = replace(built_store, store=str(target))
    summary = build_mod.build(
        settings,
        years=[2019],
        only=("kwb",),
        indicators=parse_catalogue(RENAMED_STEM),
        log=lambda _: None,
    )
    (gap,) = summary.gaps
    assert gap.indicator == "low_income_households_pct" and gap.year == 2019
    assert gap.status == "missing_in_table" and "indicators.toml" in gap.fix
    assert any("HuishoudensMetEenHeelLaagInkomen" in line for line in summary.lines())
    old, new = (
        open_store(path)
        .values(year=2019)
        .query("indicator in ('low_income_households_pct', 'population')")
        .reset_index(drop=True)
        for path in (built_store.store, target)
    )
    assert len(old) > 1000
    pd.testing.assert_frame_equal(old, new)
    sources = open_store(target).table("indicator_sources").set_index(["indicator", "year"])
    kept = sources.loc[("low_income_households_pct", 2019)]
    assert kept["status"] == "published" and kept["source_key"].startswith("HuishoudensMetEen")
    assert "Not refreshed" in kept["note"] and "HuishoudensMetEenHeelLaagInkomen" in kept["note"]
    before = (
        open_store(built_store.store).table("indicator_sources").set_index(["indicator", "year"])
    )
    assert kept["retrieved_at"] == before.loc[("low_income_households_pct", 2019), "retrieved_at"]


def test_strict_turns_a_gap_into_a_failure_that_writes_nothing(built_store, tmp_path):
    target = tmp_path / "store.gpkg"
    shutil.copy(built_store.store, target)
    before = target.read_bytes()
    settings = replace(built_store, store=str(target))
    with pytest.raises(BuildGapsError, match="HuishoudensMetEenHeelLaagInkomen"):
        build_mod.build(
            settings,
            years=[2019],
            only=("kwb",),
            indicators=parse_catalogue(RENAMED_STEM),
            strict=True,
            log=lambda _: None,
        )
    assert target.read_bytes() == before


def test_a_table_the_service_lacks_is_a_gap_that_names_it(mirror, tmp_path):
    settings = mirror_settings(mirror, tmp_path)
    edition = kwb.KwbEdition(2031, "99999NED", "Kerncijfers wijken en buurten 2031")
    result = kwb.run(
        quick_http(settings), settings.cbs_odata_url, load_region(), [edition], load_catalogue()
    )
    (gap,) = result.gaps
    assert gap.year == 2031 and gap.status == "fetch_failed"
    assert "99999NED" in gap.reason


def test_years_no_service_offers_leave_the_store_untouched_and_say_so(mirror, tmp_path):
    settings = mirror_settings(mirror, tmp_path)
    with pytest.raises(PipelineError, match=r"--years 2031.*not offered.*2025"):
        build_mod.build(
            settings, years=[2031], only=("kwb",), http=quick_http(settings), log=lambda _: None
        )
    assert not Path(settings.store).exists()


def test_unknown_region_code_is_named(mirror, tmp_path):
    settings = mirror_settings(mirror, tmp_path)
    region = load_region()
    bad = replace(region, gemeenten=(*region.gemeenten, Gemeente("GM9999", "Nergenshuizen")))
    edition = kwb.KwbEdition(2019, "84583NED", "Kerncijfers wijken en buurten 2019")
    result = kwb.run(quick_http(settings), settings.cbs_odata_url, bad, [edition], load_catalogue())
    assert "GM9999" in result.gaps[0].reason and "region.toml" in result.gaps[0].reason
    with pytest.raises(PipelineError, match="GM9999"):
        build_mod.build(
            settings, region=bad, only=("flows",), http=quick_http(settings), log=lambda _: None
        )
    assert not Path(settings.store).exists()


def test_check_reports_tables_layers_and_counts(mirror, tmp_path):
    settings = mirror_settings(mirror, tmp_path)
    report = run_check(settings, load_region(), [2020, 2024], load_catalogue())
    text = "\n".join(report.lines)
    assert "KWB 2024: 85984NED" in text and "persons_in_poverty_pct" in text
    assert "[TEST DATA]" in text
    assert "PDOK 2020" in text and "wijkenbuurten2020:cbs_buurten_2020" in text
    assert "CBS 81734NED: dimensions RegioVanVestiging, RegioVanVertrek, Perioden" in text
    assert "Amsterdam gebieden" in text and "buurten 518" in text
    assert report.problems == []


def test_partial_rebuild_replaces_only_its_own_rows(built_store, tmp_path):
    target = tmp_path / "store.gpkg"
    shutil.copy(built_store.store, target)
    settings = replace(built_store, store=str(target))
    build_mod.build(settings, years=[2019], only=("kwb",), log=lambda _: None)
    assert_same_content(built_store.store, target)


def test_the_bbga_minima_reach_amsterdams_buurten_and_gebieden_in_every_year(built_store):
    built = open_store(built_store.store)
    for year in range(2015, 2025):
        minima = built.values(indicator="ams_minima_households_pct", year=year)
        codes = set(minima["area_code"])
        gebieden = {c for c in codes if c.startswith("GX")}
        assert len(gebieden) == 25, year  # every ggw-gebied, under Amsterdam's own code
        assert "GM0363" in codes and "A" in codes  # the city and a stadsdeel
        buurten = {c for c in codes if c.startswith("BU0363")}
        cbs = set(built.values(indicator="population", year=year)["area_code"])
        assert buurten <= cbs, year  # linked to the CBS codes of the KWB values of that year
        if year >= 2016:
            assert len(buurten) > 450, year
    sources = built.table("indicator_sources")
    minima = sources[sources["indicator"] == "ams_minima_households_pct"].set_index("year")
    assert (minima["source"] == "bbga").all()
    assert (minima.loc[:2024, "status"] == "published").all()
    assert minima.loc[2025, "status"] == "empty_in_table"  # KWB 2025 is out, the BBGA's is not
    assert minima.loc[2023, "source_key"] == "IMINHH120_P"
    assert minima.loc[2023, "reference_period"] == "1 januari 2023"
    levels = built.areas(geometry=False).groupby(["year", "level"]).size()
    assert levels[(2019, "stadsdeel")] >= 8 and levels[(2019, "gebied")] == 25


def test_bbga_codes_that_cbs_uses_for_other_areas_are_left_out(built_store):
    # KWB 2015 still has Amsterdam's older division: BU03630000 is Burgwallen-Oude Zijde
    # there, while the BBGA's 2015 figures use it for Kop Zeedijk.
    built = open_store(built_store.store)
    assert "BU03630000" not in set(
        built.values(indicator="ams_minima_households_pct", year=2015)["area_code"]
    )
    assert "BU03630000" in set(
        built.values(indicator="ams_minima_households_pct", year=2016)["area_code"]
    )


def test_a_renamed_bbga_variable_is_a_gap_not_a_failed_build(built_store, tmp_path):
    target = tmp_path / "store.gpkg"
    shutil.copy(built_store.store, target)
    settings = replace(built_store, store=str(target))
    renamed = tuple(
        replace(i, sources=(replace(i.sources[0], stems=("IMINHH120_PCT",)),))
        if i.id == "ams_minima_households_pct"
        else i
        for i in load_catalogue()
    )
    summary = build_mod.build(
        settings, years=[2023], only=("bbga",), indicators=renamed, log=lambda _: None
    )
    gaps = {(g.indicator, g.status) for g in summary.gaps}
    assert gaps == {("ams_minima_households_pct", "missing_in_table")}
    assert any("IMINHH120_PCT" in line and "indicators.toml" in line for line in summary.lines())
    kept = open_store(target).values(indicator="ams_minima_households_pct", year=2023)
    assert len(kept) > 500  # the previous values stay
    other = open_store(target).values(indicator="ams_households", year=2023)
    assert len(other) > 500  # the other BBGA indicators were rebuilt


def test_the_newest_edition_is_built_without_a_config_change(built_store):
    """The mirror serves KWB 2025 (86165NED, income block empty) and PDOK 2025 (camelCase
    statistics); region.toml names only the first edition, so the build finds both."""
    assert load_region().kwb_years == (2015, None)
    built = open_store(built_store.store)
    sources = built.table("indicator_sources").set_index(["indicator", "year"])
    assert sources.loc[("population", 2025), ["status", "table_id"]].tolist() == [
        "published",
        "86165NED",
    ]
    assert sources.loc[("persons_in_poverty_pct", 2025), "status"] == "empty_in_table"
    assert sources.loc[("persons_in_poverty_pct", 2024), "status"] == "published"
    areas = built.areas(year=2025, level="buurt", geometry=False)
    assert len(areas) == 1214  # the 2024 division, served again for 2025
    offered = built.table("service_editions")
    kwb_offered = offered[offered["source"] == "kwb"].set_index("year")
    assert kwb_offered.loc[2025, "table_id"] == "86165NED" and kwb_offered.index.max() == 2025
    assert (offered["checked_by"] == "build").all()


def test_check_says_when_the_store_is_behind_and_records_what_is_offered(built_store, tmp_path):
    older = replace(built_store, store=str(tmp_path / "older.gpkg"))
    years = list(range(2015, 2025))
    build_mod.build(older, years=years, http=HttpClient(built_store.cache_dir), log=lambda _: None)
    target = open_store(older.store)
    report = run_check(older, load_region(), [2024], load_catalogue(), target)
    text = "\n".join(report.lines)
    assert "store is behind: KWB 2025 (86165NED) available (the store has 2024)" in text
    assert "PDOK 2025" in text and "store is behind: PDOK 2025 available" in text
    assert "Amsterdam statistics [test data]: answered by bbga" in text
    offered = target.table("service_editions")
    assert set(offered["checked_by"]) == {"check"}
    assert offered[offered["source"] == "boundaries"]["year"].max() == 2025
    assert offered[offered["source"] == "kwb"]["year"].max() == 2025
